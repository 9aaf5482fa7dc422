//! Reading a charge file: the CSV an operator charges with (`paystack-rs bulk-charge FILE.csv`),
//! and the one reader of expected charges (`reconcile`'s `expected="charges.csv"`).
//!
//! One row per charge, a header naming the columns. `authorization` (or `authorization_code`) and
//! `amount` (an integer in the subunit) are required; `reference`, `attempt_partial_debit`,
//! `at_least` and `metadata` (a JSON object) are Paystack's optional fields (docs/paystack-api.md
//! §3.1); a column `metadata.NAME` adds `NAME` to the row's metadata. Every row is checked by the
//! bulk-charge item rules (`crate::bulk_items`), and every problem is reported with its line:
//! the number of the file's record, counted as Python's `csv.reader` counts them (an empty line is
//! a record; a quoted value spanning lines is one), so the lines the CLI printed before stay.
//!
//! Pure: the caller reads the file (and reports what stops it from being read).

use serde_json::{Map, Value};

use crate::bulk_items::Charge;

/// The columns Paystack's bulk charge item has (docs/paystack-api.md §3.1), in the order shown.
pub const COLUMNS: &[&str] = &["authorization", "amount", "reference", "attempt_partial_debit", "at_least", "metadata"];
/// Other names accepted for a column.
pub const ALIASES: &[(&str, &str)] = &[("authorization_code", "authorization")];
/// A column naming one key of the row's metadata.
pub const METADATA_PREFIX: &str = "metadata.";
/// The longest value a cell may hold (Python's `csv.field_size_limit()`, which the reader had).
const FIELD_LIMIT: usize = 131_072;

const TRUE: &[&str] = &["true", "yes", "y", "1"];
const FALSE: &[&str] = &["false", "no", "n", "0"];

/// One thing wrong with the file: its line (1 is the header; 0 the file as a whole), the column
/// (empty for the row or the file), what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl Problem {
    fn new(line: usize, field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem { line, field: field.into(), message: message.into() }
    }
}

/// One charge of the file: its line and the item sent to Paystack (its `reference` only when the
/// file gives one), keys in the file's column order. `amount` and `at_least` are integers, or,
/// beyond `u64` (only in an expected-charges file, which is not checked), their digits as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: usize,
    pub item: Map<String, Value>,
}

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// False for an expected-charges file (reconciliation): a row may give its reference instead
    /// of an authorization, and rows are not checked as charges.
    pub require_authorization: bool,
    /// True to ignore columns that are not a charge's (an export's `email`) instead of refusing them.
    pub other_columns: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { require_authorization: true, other_columns: false }
    }
}

/// The run name derived references start with: `run`, or the file's name without its extension
/// (as Python's `os.path.splitext(os.path.basename(path))[0]`), in the bulk-reference charset.
pub fn run_name(path: &str, run: Option<&str>) -> String {
    let raw = match run {
        Some(run) => run,
        None => {
            let base = path.rsplit('/').next().unwrap_or(path);
            match base.rfind('.') {
                Some(dot) if base[..dot].bytes().any(|b| b != b'.') => &base[..dot],
                _ => base,
            }
        }
    };
    super::references::run_name(raw)
}

/// Reads and checks a charge file's text (a leading byte-order mark is dropped): its rows, or
/// every problem found, by line.
pub fn read(text: &str, options: Options) -> Result<Vec<Row>, Vec<Problem>> {
    let records = records(text.strip_prefix('\u{feff}').unwrap_or(text))?;
    let Some(start) = records.iter().position(|r| !is_blank(r)) else {
        return Err(vec![Problem::new(1, "", "the file is empty (a header line naming the columns comes first)")]);
    };
    let mut problems = Vec::new();
    let columns = columns(&records[start], start + 1, &mut problems, options);
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut rows = Vec::new();
    let mut first_line_of: Vec<(String, usize)> = Vec::new();
    for (offset, record) in records[start + 1..].iter().enumerate() {
        let number = start + 2 + offset;
        if is_blank(record) {
            continue;
        }
        let Some((row, bad_fields)) = row(record, &columns, number, &mut problems) else { continue };
        let reference = given_reference(&row);
        if reference.is_none() && !row.item.contains_key("authorization") {
            if !bad_fields.iter().any(|f| f == "authorization") {
                problems.push(Problem::new(number, "reference", "is required when the row has no authorization"));
            }
            continue;
        }
        if let Some(reference) = reference {
            match first_line_of.iter().find(|(r, _)| *r == reference) {
                Some((_, first)) => {
                    let message = format!("{} is also the reference on line {first}", py_repr(&reference));
                    problems.push(Problem::new(number, "reference", message));
                    continue;
                }
                None => first_line_of.push((reference, number)),
            }
        }
        if options.require_authorization && !checked(&row, &mut problems, &bad_fields) {
            continue;
        }
        if bad_fields.is_empty() {
            rows.push(row);
        }
    }
    if problems.is_empty() && rows.is_empty() {
        problems.push(Problem::new(start + 1, "", "no charges: the file has a header and no rows"));
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

/// The file's records as Python's `csv.reader` gives them: an empty line is an empty record.
/// The `csv` crate skips empty lines, so they are counted back: a record's bytes run from the end
/// of the one before (the empty lines first) through the first byte of its own line end.
fn records(text: &str) -> Result<Vec<Vec<String>>, Vec<Problem>> {
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut end = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(vec![Problem::new(0, "", format!("not a CSV file in UTF-8: {e}"))]),
        }
        let mut leading = &bytes[end..];
        let content = leading.iter().position(|b| *b != b'\r' && *b != b'\n').unwrap_or(leading.len());
        leading = &leading[..content];
        // The `\n` of the record before's `\r\n` is not an empty line.
        if end > 0 && bytes[end - 1] == b'\r' {
            leading = leading.strip_prefix(b"\n").unwrap_or(leading);
        }
        out.extend(std::iter::repeat_with(Vec::new).take(line_ends(leading)));
        if record.iter().any(|cell| cell.chars().count() > FIELD_LIMIT) {
            let message = format!("not a CSV file in UTF-8: field larger than field limit ({FIELD_LIMIT})");
            return Err(vec![Problem::new(0, "", message)]);
        }
        out.push(record.iter().map(str::to_owned).collect());
        end = usize::try_from(reader.position().byte()).unwrap_or(bytes.len()).min(bytes.len());
    }
    Ok(out)
}

/// The line ends in `bytes` (line ends only; `\r\n` is one).
fn line_ends(bytes: &[u8]) -> usize {
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    bytes.len() - crlf
}

/// Python's `str.strip()`: Unicode whitespace and the ASCII separators U+001C..U+001F.
fn strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

fn is_blank(record: &[String]) -> bool {
    record.iter().all(|cell| strip(cell).is_empty())
}

fn given_reference(row: &Row) -> Option<String> {
    match row.item.get("reference") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn columns(header: &[String], line: usize, problems: &mut Vec<Problem>, options: Options) -> Vec<String> {
    let mut names: Vec<String> = header
        .iter()
        .map(|cell| {
            let name = strip(cell).to_lowercase().replace(' ', "_");
            let name = if name.starts_with(METADATA_PREFIX) {
                // Your own metadata keys keep their spelling.
                format!("{METADATA_PREFIX}{}", strip(strip(cell).get(METADATA_PREFIX.len()..).unwrap_or("")))
            } else {
                name
            };
            ALIASES.iter().find(|(alias, _)| *alias == name).map_or(name, |(_, to)| (*to).to_owned())
        })
        .collect();
    if names.len() == 1 && names[0].contains(';') {
        problems.push(Problem::new(line, "", "the columns are separated by ';': save the file as CSV with commas"));
        return names;
    }
    let known = COLUMNS.join(", ");
    for index in 0..names.len() {
        let name = &names[index];
        if (name.starts_with(METADATA_PREFIX) && name.len() > METADATA_PREFIX.len()) || COLUMNS.contains(&name.as_str())
        {
            continue;
        }
        if options.other_columns {
            names[index] = String::new(); // ignored: not a charge's column
            continue;
        }
        let shown = strip(&header[index]);
        if shown.is_empty() {
            problems.push(Problem::new(line, "", format!("column {} has no name", index + 1)));
        } else if shown.to_uppercase().starts_with("AUTH_") {
            let message = format!("the first line must name the columns ({known}), not be a charge");
            problems.push(Problem::new(line, "", message));
            return names;
        } else {
            let message =
                format!("unknown column {}: the columns are {known} and metadata.NAME for your own", py_repr(shown));
            problems.push(Problem::new(line, "", message));
        }
    }
    for (index, name) in names.iter().enumerate() {
        if !name.is_empty() && names[..index].contains(name) {
            problems.push(Problem::new(line, "", format!("column {} appears twice", py_repr(name))));
        }
    }
    let required: &[&str] = if options.require_authorization { &["authorization", "amount"] } else { &["amount"] };
    for name in required {
        if !names.iter().any(|n| n == name) {
            let message = format!("no {} column (the header is {})", py_repr(name), header.join(", "));
            problems.push(Problem::new(line, "", message));
        }
    }
    if !options.require_authorization && !names.iter().any(|n| n == "authorization" || n == "reference") {
        problems.push(Problem::new(line, "", "a 'reference' or an 'authorization' column is needed to match charges"));
    }
    names
}

/// The row's item (without the cells that are wrong) and the columns found wrong: the rest of the
/// row is still checked, so every problem of the file is listed at once. None when the row has
/// more values than there are columns.
fn row(record: &[String], columns: &[String], line: usize, problems: &mut Vec<Problem>) -> Option<(Row, Vec<String>)> {
    if record.len() > columns.len() && record[columns.len()..].iter().any(|cell| !strip(cell).is_empty()) {
        problems.push(Problem::new(line, "", format!("{} values for {} columns", record.len(), columns.len())));
        return None;
    }
    let mut item = Map::new();
    let mut found: Vec<Problem> = Vec::new();
    let mut metadata: Vec<(String, String)> = Vec::new();
    for (name, raw) in columns.iter().zip(record) {
        let value = strip(raw);
        if value.is_empty() || name.is_empty() {
            continue;
        }
        if let Some(key) = name.strip_prefix(METADATA_PREFIX) {
            match metadata.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value.to_owned(),
                None => metadata.push((key.to_owned(), value.to_owned())),
            }
        } else if name == "amount" || name == "at_least" {
            match integer(value) {
                Some(number) => {
                    item.insert(name.clone(), number);
                }
                None => found.push(Problem::new(line, name.as_str(), not_an_integer(value))),
            }
        } else if name == "attempt_partial_debit" {
            let lower = value.to_lowercase();
            if TRUE.contains(&lower.as_str()) {
                item.insert(name.clone(), Value::Bool(true));
            } else if FALSE.contains(&lower.as_str()) {
                item.insert(name.clone(), Value::Bool(false));
            } else {
                found.push(Problem::new(line, name.as_str(), format!("must be true or false, not {}", py_repr(value))));
            }
        } else if name == "metadata" {
            match serde_json::from_str::<Value>(value) {
                Ok(Value::Object(object)) => {
                    item.insert(name.clone(), Value::Object(object));
                }
                _ => found.push(Problem::new(line, "metadata", r#"must be a JSON object, e.g. {"invoice": "INV-1"}"#)),
            }
        } else {
            item.insert(name.clone(), Value::String(value.to_owned()));
        }
    }
    if !metadata.is_empty() {
        let given = item.entry("metadata").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(given) = given {
            for (key, value) in metadata {
                if given.contains_key(&key) {
                    found.push(Problem::new(line, format!("metadata.{key}"), "is also in the metadata column"));
                }
                given.insert(key, Value::String(value));
            }
        }
    }
    for name in ["authorization", "amount"] {
        if columns.iter().any(|c| c == name) && !item.contains_key(name) && !found.iter().any(|p| p.field == name) {
            found.push(Problem::new(line, name, "is required"));
        }
    }
    let mut bad_fields: Vec<String> = Vec::new();
    for problem in &found {
        let field = problem.field.split('.').next().unwrap_or("").to_owned();
        if !bad_fields.contains(&field) {
            bad_fields.push(field);
        }
    }
    problems.extend(found);
    Some((Row { line, item }, bad_fields))
}

/// The bulk-charge item rules for one row; their problems, with the row's line (those of columns
/// already found wrong, or missing because they were, are not repeated).
fn checked(row: &Row, problems: &mut Vec<Problem>, bad_fields: &[String]) -> bool {
    let mut item = row.item.clone();
    // A stand-in for a required cell already reported, so the rules still check the others.
    for (name, stand_in) in [("authorization", Value::from("AUTH_stand_in")), ("amount", Value::from(1))] {
        if bad_fields.iter().any(|f| f == name) {
            item.insert(name.to_owned(), stand_in);
        }
    }
    // An integer too large to send is the only problem reported, as the binding's conversion of
    // the item refuses it before the rules run.
    let too_large: Vec<&str> =
        ["amount", "at_least"].into_iter().filter(|name| item.get(*name).is_some_and(is_too_large)).collect();
    if !too_large.is_empty() {
        for name in too_large {
            if !bad_fields.iter().any(|f| f == name) {
                problems.push(Problem::new(row.line, name, "is an integer too large to send"));
            }
        }
        return false;
    }
    let item = Value::Object(item);
    match Charge::from_json(None, &item) {
        Ok(_) => true,
        Err(issues) => {
            for issue in issues {
                let head = issue.field.split('.').next().unwrap_or("");
                if !bad_fields.iter().any(|f| f == head) {
                    problems.push(Problem::new(row.line, issue.field, issue.message));
                }
            }
            false
        }
    }
}

/// A cell of digits as a JSON number (the bulk-item rules judge its size); digits beyond `u64`
/// are kept as text (`is_too_large`), as JSON numbers cannot hold them exactly.
fn integer(value: &str) -> Option<Value> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match value.parse::<i64>() {
        Ok(n) => Value::from(n),
        Err(_) => value.parse::<u64>().map_or_else(|_| Value::from(value), Value::from),
    })
}

/// Whether an integer column's value is digits too large for a JSON number (kept as text).
pub fn is_too_large(value: &Value) -> bool {
    value.is_string()
}

fn not_an_integer(value: &str) -> String {
    let shown = py_repr(value);
    if is_decimal(value) {
        return format!(
            "must be a whole number in the subunit (a positive integer: kobo for NGN, so 5000.50 is 500050), not {shown}"
        );
    }
    if is_thousands(value) {
        return format!("must be written without thousands separators, not {shown}");
    }
    if value.starts_with('-') {
        return format!("must be a positive integer in the subunit, not {shown}");
    }
    format!("must be an integer in the subunit (kobo for NGN), not {shown}")
}

/// `[0-9]+[.,][0-9]{1,2}`
fn is_decimal(value: &str) -> bool {
    let Some(sep) = value.find(['.', ',']) else { return false };
    let (whole, decimals) = (&value[..sep], &value[sep + 1..]);
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && (1..=2).contains(&decimals.len())
        && decimals.bytes().all(|b| b.is_ascii_digit())
}

/// `[0-9]{1,3}(,[0-9]{3})+`
fn is_thousands(value: &str) -> bool {
    let mut groups = value.split(',');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && !rest.is_empty()
        && rest.iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// Python's `repr` of a string, as the messages have always shown values: single quotes unless
/// the text holds one and no double quote; backslash escapes for quotes, `\\`, line ends, tabs
/// and other control characters.
pub fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..=0xa0).contains(&(c as u32)) || c == '\u{ad}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if matches!(c as u32, 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x206f | 0x3000 | 0xfeff) => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHARGE: Options = Options { require_authorization: true, other_columns: false };
    const EXPECTED: Options = Options { require_authorization: false, other_columns: false };

    fn problems(text: &str, options: Options) -> Vec<String> {
        read(text, options)
            .expect_err("problems")
            .iter()
            .map(|p| {
                if p.field.is_empty() {
                    format!("{}: {}", p.line, p.message)
                } else {
                    format!("{}: {}: {}", p.line, p.field, p.message)
                }
            })
            .collect()
    }

    #[test]
    fn rows_keep_column_order_aliases_and_metadata() {
        let text = "\u{feff}authorization_code,amount,reference,metadata,metadata.invoice,attempt_partial_debit\n\
                    AUTH_a,500000,,\"{\"\"k\"\": 1}\",INV-1,yes\n\
                    AUTH_b, 250000 ,rent-42,,INV-2,\n";
        let rows = read(text, CHARGE).expect("rows");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(
            Value::Object(rows[0].item.clone()),
            serde_json::json!({"authorization": "AUTH_a", "amount": 500000, "metadata": {"k": 1, "invoice": "INV-1"}, "attempt_partial_debit": true})
        );
        let keys: Vec<&String> = rows[1].item.keys().collect();
        assert_eq!(keys, ["authorization", "amount", "reference", "metadata"]);
        assert_eq!(rows[1].item["metadata"], serde_json::json!({"invoice": "INV-2"}));
    }

    #[test]
    fn empty_lines_count_as_lines_and_the_header_is_the_first_that_is_not() {
        for text in [
            "\n\nauthorization,amount\n\nAUTH_a,x\r\n\r\nAUTH_b,1\r\rAUTH_c,y\n",
            "\r\n\r\nauthorization,amount\r\n\r\nAUTH_a,x\r\n\r\nAUTH_b,1\n\nAUTH_c,y",
        ] {
            assert_eq!(
                problems(text, CHARGE),
                [
                    "5: amount: must be an integer in the subunit (kobo for NGN), not 'x'",
                    "9: amount: must be an integer in the subunit (kobo for NGN), not 'y'"
                ],
                "{text:?}"
            );
        }
        let rows =
            read("authorization,amount,metadata.note\nAUTH_a,1,\"two\nlines\"\n\nAUTH_b,2\n", CHARGE).expect("rows");
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
    }

    #[test]
    fn every_problem_is_reported_with_its_line_and_field() {
        let text = "authorization,amount,reference,at_least,attempt_partial_debit,metadata\n\
                    AUTH_a,5000.50,Bad Ref,,maybe,[1]\n\
                    ,1,ok-1,,,\n\
                    AUTH_c,\"1,000\",ok-1,,,\n\
                    AUTH_d,-5,,9,,\n\
                    AUTH_e,1,x,,,,extra\n";
        assert_eq!(
            problems(text, CHARGE),
            [
                "2: amount: must be a whole number in the subunit (a positive integer: kobo for NGN, so 5000.50 is 500050), not '5000.50'",
                "2: attempt_partial_debit: must be true or false, not 'maybe'",
                "2: metadata: must be a JSON object, e.g. {\"invoice\": \"INV-1\"}",
                "2: reference: may contain only lowercase letters, digits, '-' and '_'",
                "3: authorization: is required",
                "4: amount: must be written without thousands separators, not '1,000'",
                "4: reference: 'ok-1' is also the reference on line 3",
                "5: amount: must be a positive integer in the subunit, not '-5'",
                "5: at_least: cannot be greater than amount",
                "5: at_least: applies only with attempt_partial_debit=True",
                "6: 7 values for 6 columns",
            ]
        );
    }

    #[test]
    fn header_problems_stop_the_reading() {
        assert_eq!(problems("", CHARGE), ["1: the file is empty (a header line naming the columns comes first)"]);
        assert_eq!(
            problems("authorization;amount\nA;1\n", CHARGE),
            ["1: the columns are separated by ';': save the file as CSV with commas"]
        );
        assert_eq!(
            problems("AUTH_x,100\n", CHARGE),
            [
                "1: the first line must name the columns (authorization, amount, reference, attempt_partial_debit, at_least, metadata), not be a charge"
            ]
        );
        assert_eq!(
            problems("amount,Email,,amount\n1,a,,1\n", CHARGE),
            [
                "1: unknown column 'Email': the columns are authorization, amount, reference, attempt_partial_debit, at_least, metadata and metadata.NAME for your own",
                "1: column 3 has no name",
                "1: column 'amount' appears twice",
                "1: no 'authorization' column (the header is amount, Email, , amount)",
            ]
        );
        assert_eq!(problems("authorization,amount\n\n", CHARGE), ["1: no charges: the file has a header and no rows"]);
        let rows = read("Authorization,Amount,email\nAUTH_a,1,a@b.c\n", Options { other_columns: true, ..CHARGE })
            .expect("rows");
        assert_eq!(Value::Object(rows[0].item.clone()), serde_json::json!({"authorization": "AUTH_a", "amount": 1}));
    }

    #[test]
    fn expected_files_match_by_reference_without_the_charge_rules() {
        assert_eq!(
            problems("amount,email\n1,a\n", EXPECTED)[1..],
            ["1: a 'reference' or an 'authorization' column is needed to match charges"]
        );
        let rows = read("reference,amount\nAny Ref,1\n", EXPECTED).expect("rows");
        assert_eq!(rows[0].item["reference"], "Any Ref");
        assert_eq!(problems("reference,amount,authorization\n,1,\n", EXPECTED), ["2: authorization: is required"]);
        assert_eq!(
            problems("reference,amount\n,1\n", EXPECTED),
            ["2: reference: is required when the row has no authorization"]
        );
    }

    #[test]
    fn metadata_columns_may_not_repeat_the_metadata_object() {
        let text = "authorization,amount,metadata,metadata.k\nAUTH_a,1,\"{\"\"k\"\":1}\",v\n";
        assert_eq!(problems(text, CHARGE), ["2: metadata.k: is also in the metadata column"]);
    }

    #[test]
    fn integers_too_large_to_send_are_refused_as_such() {
        let rows = read("reference,amount\nr,99999999999999999999999\n", EXPECTED).expect("rows");
        assert!(is_too_large(&rows[0].item["amount"]));
        assert_eq!(rows[0].item["amount"], "99999999999999999999999");
        assert_eq!(
            problems("authorization,amount\nAUTH_a,99999999999999999999999\n", CHARGE),
            ["2: amount: is an integer too large to send"]
        );
        assert_eq!(
            problems("authorization,amount\nAUTH_a,9999999999999999999\n", CHARGE),
            ["2: amount: must be an integer amount in the currency's subunit (kobo, pesewas, cents)"]
        );
    }

    #[test]
    fn run_names_come_from_the_file_name() {
        assert_eq!(run_name("dir/August Rent.csv", None), "august-rent");
        assert_eq!(run_name("dir/a.b.csv", Some("My Run")), "my-run");
        assert_eq!(run_name(".csv", None), run_name("", Some(".csv")));
    }

    #[test]
    fn values_are_shown_as_python_shows_them() {
        assert_eq!(py_repr("a'b"), "\"a'b\"");
        assert_eq!(py_repr("a'\"b\\\t"), "'a\\'\"b\\\\\\t'");
    }
}
