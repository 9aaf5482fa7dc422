//! Reconciliation rows straight from list pages' JSON: one typed column per field, with no
//! intermediate value per item (a page of 1000 transactions is read in one pass, each field
//! copied once into its column). The Python binding hands the columns to pandas, polars or
//! pyarrow as buffers, or builds Python values one column at a time.
//!
//! The columns are the same for a batch's charges (`GET /bulkcharge/{code}/charges`,
//! docs/paystack-api.md §3.4) and for transactions (`GET /transaction`, T3): see `COLUMNS`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::Deserializer;
use serde::de::{Deserialize, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::envelope::{Bytes, Decoder, EnvelopeFields, HasEnvelope};
use crate::page_info::{PageItems, Scalar, decode_page, note};
use crate::pager::{Keep, PageInfo, PagedBody};

/// The columns, in order (the Python `reconcile.COLUMNS`).
pub const COLUMNS: &[&str] = &[
    "reference",
    "batch_code",
    "authorization",
    "customer_email",
    "amount",
    "currency",
    "fees",
    "status",
    "gateway_response",
    "paid_at",
    "attempts",
    "metadata",
    "transaction_id",
    "created_at",
];

/// Integer columns; `paid_at` and `created_at` are text columns that also read as timestamps;
/// `metadata` is JSON text; the rest are text.
pub const INTEGER_COLUMNS: &[&str] = &["amount", "fees", "attempts", "transaction_id"];

/// Text values, one after another, with where each ends and whether it is there (not null).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextColumn {
    pub data: String,
    /// `offsets[i]..offsets[i + 1]` is value `i` (Arrow's large_string layout).
    pub offsets: Vec<i64>,
    pub valid: Vec<bool>,
}

impl TextColumn {
    fn new() -> Self {
        TextColumn { data: String::new(), offsets: vec![0], valid: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.valid.len()
    }

    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
    }

    pub fn push(&mut self, value: Option<&str>) {
        if let Some(v) = value {
            self.data.push_str(v);
        }
        self.offsets.push(self.data.len() as i64);
        self.valid.push(value.is_some());
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        if !self.valid[i] {
            return None;
        }
        Some(&self.data[self.offsets[i] as usize..self.offsets[i + 1] as usize])
    }

    fn extend_from(&mut self, other: &TextColumn, keep: Option<&[bool]>) {
        for i in 0..other.len() {
            if keep.is_none_or(|k| k[i]) {
                self.push(other.get(i));
            }
        }
    }
}

/// 64-bit integers with whether each is there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntColumn {
    pub values: Vec<i64>,
    pub valid: Vec<bool>,
}

impl IntColumn {
    pub fn push(&mut self, value: Option<i64>) {
        self.values.push(value.unwrap_or(0));
        self.valid.push(value.is_some());
    }

    pub fn get(&self, i: usize) -> Option<i64> {
        self.valid[i].then(|| self.values[i])
    }

    fn extend_from(&mut self, other: &IntColumn, keep: Option<&[bool]>) {
        for i in 0..other.values.len() {
            if keep.is_none_or(|k| k[i]) {
                self.push(other.get(i));
            }
        }
    }
}

/// A column, by kind.
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    Text(&'a TextColumn),
    Int(&'a IntColumn),
}

/// Rows, column by column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    pub reference: TextColumn,
    pub batch_code: TextColumn,
    pub authorization: TextColumn,
    pub customer_email: TextColumn,
    pub amount: IntColumn,
    pub currency: TextColumn,
    pub fees: IntColumn,
    pub status: TextColumn,
    pub gateway_response: TextColumn,
    pub paid_at: TextColumn,
    pub attempts: IntColumn,
    /// The metadata as Paystack sent it, as JSON text (`""` when Paystack sent an empty string).
    pub metadata: TextColumn,
    pub transaction_id: IntColumn,
    pub created_at: TextColumn,
}

impl Default for Rows {
    fn default() -> Self {
        Rows {
            reference: TextColumn::new(),
            batch_code: TextColumn::new(),
            authorization: TextColumn::new(),
            customer_email: TextColumn::new(),
            amount: IntColumn::default(),
            currency: TextColumn::new(),
            fees: IntColumn::default(),
            status: TextColumn::new(),
            gateway_response: TextColumn::new(),
            paid_at: TextColumn::new(),
            attempts: IntColumn::default(),
            metadata: TextColumn::new(),
            transaction_id: IntColumn::default(),
            created_at: TextColumn::new(),
        }
    }
}

/// Counts and sums of the rows of one status and currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub count: u64,
    pub amount: i64,
    /// None when a row's fee is unknown (never counted as 0).
    pub fees: Option<i64>,
    /// What reached the merchant: amount − fees of the successful rows (None when a fee is
    /// unknown); 0 for every other status, which moves no money.
    pub net: Option<i64>,
}

impl Default for Totals {
    fn default() -> Self {
        Totals { count: 0, amount: 0, fees: Some(0), net: Some(0) }
    }
}

/// What a transaction leaves after fees: amount − fees for a successful one whose fees are known
/// (docs/paystack-api.md §8: a failed charge moves no money; an unknown fee stays unknown).
pub fn net(status: Option<&str>, amount: Option<i64>, fees: Option<i64>) -> Option<i64> {
    match status {
        Some("success") => Some(amount? - fees?),
        _ => None,
    }
}

/// A (status, currency) pair, either of which a row may lack.
pub type StatusCurrency = (Option<String>, Option<String>);

impl Rows {
    pub fn len(&self) -> usize {
        self.reference.len()
    }

    pub fn is_empty(&self) -> bool {
        self.reference.is_empty()
    }

    /// The column called `name` (one of `COLUMNS`).
    pub fn column(&self, name: &str) -> Option<Column<'_>> {
        Some(match name {
            "reference" => Column::Text(&self.reference),
            "batch_code" => Column::Text(&self.batch_code),
            "authorization" => Column::Text(&self.authorization),
            "customer_email" => Column::Text(&self.customer_email),
            "amount" => Column::Int(&self.amount),
            "currency" => Column::Text(&self.currency),
            "fees" => Column::Int(&self.fees),
            "status" => Column::Text(&self.status),
            "gateway_response" => Column::Text(&self.gateway_response),
            "paid_at" => Column::Text(&self.paid_at),
            "attempts" => Column::Int(&self.attempts),
            "metadata" => Column::Text(&self.metadata),
            "transaction_id" => Column::Int(&self.transaction_id),
            "created_at" => Column::Text(&self.created_at),
            _ => return None,
        })
    }

    /// Appends `other`'s rows, or only those `keep` marks.
    pub fn extend(&mut self, other: &Rows, keep: Option<&Keep>) {
        let keep = keep.filter(|k| !k.all()).map(|k| k.keep.as_slice());
        self.reference.extend_from(&other.reference, keep);
        self.batch_code.extend_from(&other.batch_code, keep);
        self.authorization.extend_from(&other.authorization, keep);
        self.customer_email.extend_from(&other.customer_email, keep);
        self.amount.extend_from(&other.amount, keep);
        self.currency.extend_from(&other.currency, keep);
        self.fees.extend_from(&other.fees, keep);
        self.status.extend_from(&other.status, keep);
        self.gateway_response.extend_from(&other.gateway_response, keep);
        self.paid_at.extend_from(&other.paid_at, keep);
        self.attempts.extend_from(&other.attempts, keep);
        self.metadata.extend_from(&other.metadata, keep);
        self.transaction_id.extend_from(&other.transaction_id, keep);
        self.created_at.extend_from(&other.created_at, keep);
    }

    /// The rows at `indices`, in that order (out-of-range indices are skipped).
    pub fn take(&self, indices: &[usize]) -> Rows {
        let mut keep_rows = Rows::default();
        let n = self.len();
        for &i in indices.iter().filter(|i| **i < n) {
            keep_rows.reference.push(self.reference.get(i));
            keep_rows.batch_code.push(self.batch_code.get(i));
            keep_rows.authorization.push(self.authorization.get(i));
            keep_rows.customer_email.push(self.customer_email.get(i));
            keep_rows.amount.push(self.amount.get(i));
            keep_rows.currency.push(self.currency.get(i));
            keep_rows.fees.push(self.fees.get(i));
            keep_rows.status.push(self.status.get(i));
            keep_rows.gateway_response.push(self.gateway_response.get(i));
            keep_rows.paid_at.push(self.paid_at.get(i));
            keep_rows.attempts.push(self.attempts.get(i));
            keep_rows.metadata.push(self.metadata.get(i));
            keep_rows.transaction_id.push(self.transaction_id.get(i));
            keep_rows.created_at.push(self.created_at.get(i));
        }
        keep_rows
    }

    /// By (status, currency), in first-seen order: count, amount and fees (missing fees count as 0).
    pub fn totals(&self) -> Vec<(StatusCurrency, Totals)> {
        let mut order: Vec<StatusCurrency> = Vec::new();
        let mut sums: HashMap<(Option<&str>, Option<&str>), usize> = HashMap::new();
        let mut totals: Vec<Totals> = Vec::new();
        for i in 0..self.len() {
            let key = (self.status.get(i), self.currency.get(i));
            let slot = *sums.entry(key).or_insert_with(|| {
                order.push((key.0.map(str::to_owned), key.1.map(str::to_owned)));
                totals.push(Totals::default());
                totals.len() - 1
            });
            let t = &mut totals[slot];
            let (amount, fees) = (self.amount.get(i), self.fees.get(i));
            t.count += 1;
            t.amount += amount.unwrap_or(0);
            t.fees = t.fees.zip(fees).map(|(a, b)| a + b);
            if key.0 == Some("success") {
                t.net = t.net.zip(net(key.0, amount, fees)).map(|(a, b)| a + b);
            }
        }
        order.into_iter().zip(totals).collect()
    }

    /// The period to list transactions over to find the fees these rows lack (a batch's charges
    /// carry `fees: null`, docs/paystack-api.md §3.4): from the earliest creation of such a row to
    /// a day after its latest payment or creation; None when no fee is missing.
    pub fn missing_fees_window(&self) -> Option<(String, String)> {
        let mut window: Option<(i64, i64)> = None;
        for i in (0..self.len()).filter(|&i| self.fees.get(i).is_none()) {
            let created = self.created_at.get(i).and_then(timestamp_ms);
            let paid = self.paid_at.get(i).and_then(timestamp_ms);
            let (Some(start), Some(end)) = (created.or(paid), paid.max(created)) else { continue };
            window = Some(window.map_or((start, end), |(a, b)| (a.min(start), b.max(end))));
        }
        let iso = |ms: i64| crate::timestamp::Timestamp { epoch_ms: ms }.to_iso();
        window.map(|(start, end)| (iso(start), iso(end + 86_400_000)))
    }

    /// Fills the fees these rows lack from `listed` (the same transactions as a list gives
    /// them), matched by transaction id, else by reference: how many were filled.
    pub fn fill_fees(&mut self, listed: &Rows) -> usize {
        let mut by_id: HashMap<i64, i64> = HashMap::new();
        let mut by_reference: HashMap<&str, i64> = HashMap::new();
        for i in 0..listed.len() {
            let Some(fee) = listed.fees.get(i) else { continue };
            if let Some(id) = listed.transaction_id.get(i) {
                by_id.insert(id, fee);
            }
            if let Some(reference) = listed.reference.get(i) {
                by_reference.insert(reference, fee);
            }
        }
        let mut filled = 0;
        for i in 0..self.len() {
            if self.fees.get(i).is_some() {
                continue;
            }
            let found = self
                .transaction_id
                .get(i)
                .and_then(|id| by_id.get(&id))
                .or_else(|| self.reference.get(i).and_then(|r| by_reference.get(r)));
            if let Some(fee) = found {
                self.fees.values[i] = *fee;
                self.fees.valid[i] = true;
                filled += 1;
            }
        }
        filled
    }
}

/// Milliseconds since the epoch of an ISO 8601 timestamp as Paystack writes them
/// (`2024-08-22T09:15:02.000Z`; also without fraction, with a space for the `T`, or an offset).
pub fn timestamp_ms(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b' ' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &b[19..];
    let mut millis = 0i64;
    if let Some((b'.', fraction)) = rest.split_first() {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        for (i, c) in fraction[..n].iter().take(3).enumerate() {
            millis += i64::from(c - b'0') * 10i64.pow(2 - i as u32);
        }
        rest = &fraction[n..];
    }
    let offset_minutes = match rest {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let value = |a: u8, b: u8| -> Option<i64> {
                (a.is_ascii_digit() && b.is_ascii_digit()).then(|| i64::from(a - b'0') * 10 + i64::from(b - b'0'))
            };
            let minutes = value(*h1, *h2)? * 60 + value(*m1, *m2)?;
            if *sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hour) * 60 + minute - offset_minutes) * 60_000 + second * 1000 + millis)
}

// -- decoding ---------------------------------------------------------------------------------

/// Which list the pages come from (the items differ; the rows do not).
#[derive(Debug, Clone)]
pub enum RowKind {
    /// A batch's charges; the batch code is not in the items, so it is given.
    Charges {
        batch_code: Option<String>,
    },
    Transactions,
}

/// A page decoded into rows, with its envelope and paging.
#[derive(Debug, Clone)]
pub struct RowsPage {
    pub envelope: EnvelopeFields,
    pub info: PageInfo,
    pub rows: Rows,
}

impl HasEnvelope for RowsPage {
    fn envelope(&self) -> &EnvelopeFields {
        &self.envelope
    }
}

impl PagedBody for RowsPage {
    fn info(&self) -> &PageInfo {
        &self.info
    }
}

/// Decodes list pages into `RowsPage`s.
#[derive(Debug, Clone)]
pub struct RowsDecoder {
    pub kind: RowKind,
}

impl Decoder for RowsDecoder {
    type Output = RowsPage;
    fn decode(&self, bytes: &Bytes) -> Result<RowsPage, String> {
        let mut rows = Rows::default();
        let (envelope, info) = match &self.kind {
            RowKind::Charges { batch_code } => {
                decode_page(bytes, &mut ChargeRows { rows: &mut rows, batch_code: batch_code.as_deref() })?
            }
            RowKind::Transactions => decode_page(bytes, &mut TransactionRows { rows: &mut rows })?,
        };
        Ok(RowsPage { envelope, info, rows })
    }
}

/// Decodes one page's body (for tests and for callers holding the bytes).
pub fn decode_rows(kind: &RowKind, bytes: &[u8]) -> Result<RowsPage, String> {
    RowsDecoder { kind: kind.clone() }.decode(&Bytes::copy_from_slice(bytes))
}

/// A JSON object's fields, read leniently: a value of another type reads as "not there".
struct Lenient<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Lenient<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Lenient<T>, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(|t| Lenient(Some(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Lenient<T>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
            fn visit_unit<E>(self) -> Result<Lenient<T>, E> {
                Ok(Lenient(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Lenient<T>, E> {
                Ok(Lenient(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Lenient<T>, E> {
                Ok(Lenient(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Lenient<T>, E> {
                Ok(Lenient(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Lenient<T>, E> {
                Ok(Lenient(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Lenient<T>, E> {
                Ok(Lenient(None))
            }
        }
        deserializer.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient(None)
    }
}

fn text<'a>(value: &'a Scalar<'_>) -> Option<Cow<'a, str>> {
    match value {
        Scalar::Str(s) => Some(Cow::Borrowed(s.as_ref())),
        Scalar::Int(n) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

fn integer(value: &Scalar<'_>) -> Option<i64> {
    match value {
        Scalar::Int(n) => Some(*n),
        Scalar::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Customer<'a> {
    #[serde(borrow)]
    email: Scalar<'a>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Authorization<'a> {
    #[serde(borrow)]
    authorization_code: Scalar<'a>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LogAttempts {
    #[serde(deserialize_with = "lenient_i64")]
    attempts: Option<i64>,
}

fn lenient_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(integer(&Scalar::deserialize(deserializer)?))
}

/// An item of `GET /transaction` (docs/paystack-api.md T3), the fields the rows need.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct TransactionItem<'a> {
    #[serde(borrow)]
    id: Scalar<'a>,
    #[serde(borrow)]
    reference: Scalar<'a>,
    #[serde(borrow)]
    amount: Scalar<'a>,
    #[serde(borrow)]
    currency: Scalar<'a>,
    #[serde(borrow)]
    fees: Scalar<'a>,
    #[serde(borrow)]
    status: Scalar<'a>,
    #[serde(borrow)]
    gateway_response: Scalar<'a>,
    #[serde(borrow)]
    paid_at: Scalar<'a>,
    #[serde(borrow, rename = "paidAt")]
    paid_at_camel: Scalar<'a>,
    #[serde(borrow, rename = "createdAt")]
    created_at_camel: Scalar<'a>,
    #[serde(borrow)]
    created_at: Scalar<'a>,
    #[serde(borrow)]
    metadata: Option<&'a RawValue>,
    #[serde(borrow)]
    customer: Lenient<Customer<'a>>,
    #[serde(borrow)]
    authorization: Lenient<Authorization<'a>>,
    log: Lenient<LogAttempts>,
    #[serde(deserialize_with = "lenient_i64")]
    attempts: Option<i64>,
}

/// The transaction inside a batch charge (the sample's compact form, docs/paystack-api.md §3.4).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ChargeTransaction<'a> {
    #[serde(borrow)]
    id: Scalar<'a>,
    #[serde(borrow)]
    reference: Scalar<'a>,
    #[serde(borrow)]
    currency: Scalar<'a>,
    #[serde(borrow)]
    fees: Scalar<'a>,
    #[serde(borrow)]
    gateway_response: Scalar<'a>,
    #[serde(borrow)]
    paid_at: Scalar<'a>,
    #[serde(borrow, rename = "paidAt")]
    paid_at_camel: Scalar<'a>,
    #[serde(borrow)]
    metadata: Option<&'a RawValue>,
}

/// An item of `GET /bulkcharge/{code}/charges`.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ChargeItem<'a> {
    #[serde(borrow)]
    id: Scalar<'a>,
    #[serde(borrow)]
    reference: Scalar<'a>,
    #[serde(borrow)]
    amount: Scalar<'a>,
    #[serde(borrow)]
    currency: Scalar<'a>,
    #[serde(borrow)]
    status: Scalar<'a>,
    #[serde(borrow, rename = "createdAt")]
    created_at: Scalar<'a>,
    #[serde(borrow)]
    metadata: Option<&'a RawValue>,
    #[serde(borrow)]
    customer: Lenient<Customer<'a>>,
    #[serde(borrow)]
    authorization: Lenient<Authorization<'a>>,
    #[serde(borrow)]
    transaction: Lenient<ChargeTransaction<'a>>,
    #[serde(deserialize_with = "lenient_i64")]
    attempts: Option<i64>,
}

/// Metadata as a column value: JSON text, or None for null. A string (Paystack sends `""` for
/// none, or sometimes a string holding JSON) is its text.
fn metadata_text(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
    let raw = raw?.get();
    match raw.as_bytes().first() {
        None | Some(b'n') => None,
        Some(b'"') => serde_json::from_str::<Cow<'_, str>>(raw).ok(),
        _ => Some(Cow::Borrowed(raw)),
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CustomField<'a> {
    #[serde(borrow)]
    variable_name: Scalar<'a>,
    #[serde(borrow)]
    value: Scalar<'a>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct MetadataFields<'a> {
    #[serde(borrow)]
    custom_fields: Option<Vec<Lenient<CustomField<'a>>>>,
}

/// The `bulkcharge_batch_code` custom field Paystack adds to a bulk charge's metadata.
fn batch_code_of(metadata: &str) -> Option<String> {
    if !metadata.starts_with('{') {
        return None;
    }
    let fields: MetadataFields<'_> = serde_json::from_str(metadata).ok()?;
    fields.custom_fields?.into_iter().filter_map(|f| f.0).find_map(|f| match (&f.variable_name, &f.value) {
        (Scalar::Str(name), value) if name == "bulkcharge_batch_code" => text(value).map(Cow::into_owned),
        _ => None,
    })
}

struct TransactionRows<'r> {
    rows: &'r mut Rows,
}

impl<'de> PageItems<'de> for TransactionRows<'_> {
    type Item = Lenient<TransactionItem<'de>>;

    fn push(&mut self, item: Self::Item, info: &mut PageInfo) {
        let tx = item.0.unwrap_or_default();
        let r = &mut *self.rows;
        let created = text(&tx.created_at_camel).or_else(|| text(&tx.created_at));
        note(info, integer(&tx.id), created.as_deref());
        let metadata = metadata_text(tx.metadata);
        r.reference.push(text(&tx.reference).as_deref());
        r.batch_code.push(metadata.as_deref().and_then(batch_code_of).as_deref());
        r.authorization.push(tx.authorization.0.as_ref().and_then(|a| text(&a.authorization_code)).as_deref());
        r.customer_email.push(tx.customer.0.as_ref().and_then(|c| text(&c.email)).as_deref());
        r.amount.push(integer(&tx.amount));
        r.currency.push(text(&tx.currency).as_deref());
        r.fees.push(integer(&tx.fees));
        r.status.push(text(&tx.status).as_deref());
        r.gateway_response.push(text(&tx.gateway_response).as_deref());
        r.paid_at.push(text(&tx.paid_at).or_else(|| text(&tx.paid_at_camel)).as_deref());
        r.attempts.push(tx.attempts.or_else(|| tx.log.0.and_then(|l| l.attempts)));
        r.metadata.push(metadata.as_deref());
        r.transaction_id.push(integer(&tx.id));
        r.created_at.push(created.as_deref());
    }
}

struct ChargeRows<'r, 'b> {
    rows: &'r mut Rows,
    batch_code: Option<&'b str>,
}

impl<'de> PageItems<'de> for ChargeRows<'_, '_> {
    type Item = Lenient<ChargeItem<'de>>;

    fn push(&mut self, item: Self::Item, info: &mut PageInfo) {
        let charge = item.0.unwrap_or_default();
        let tx = charge.transaction.0.unwrap_or_default();
        let r = &mut *self.rows;
        let created = text(&charge.created_at);
        note(info, integer(&charge.id), created.as_deref());
        r.reference.push(text(&charge.reference).or_else(|| text(&tx.reference)).as_deref());
        r.batch_code.push(self.batch_code);
        r.authorization.push(charge.authorization.0.as_ref().and_then(|a| text(&a.authorization_code)).as_deref());
        r.customer_email.push(charge.customer.0.as_ref().and_then(|c| text(&c.email)).as_deref());
        r.amount.push(integer(&charge.amount));
        r.currency.push(text(&charge.currency).or_else(|| text(&tx.currency)).as_deref());
        r.fees.push(integer(&tx.fees));
        r.status.push(text(&charge.status).as_deref());
        r.gateway_response.push(text(&tx.gateway_response).as_deref());
        r.paid_at.push(text(&tx.paid_at).or_else(|| text(&tx.paid_at_camel)).as_deref());
        r.attempts.push(charge.attempts);
        r.metadata.push(metadata_text(charge.metadata.or(tx.metadata)).as_deref());
        r.transaction_id.push(integer(&tx.id));
        r.created_at.push(created.as_deref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(path: &str) -> Vec<u8> {
        // The vendored samples hold {"200": {"data": <the answer>}}.
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/paystack/samples/api/");
        let text = std::fs::read_to_string(format!("{root}{path}")).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        serde_json::to_vec(&value["200"]["data"]).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_transaction_list_sample() {
        let page = decode_rows(&RowKind::Transactions, &sample("transactions/list/response.json"))
            .unwrap_or_else(|e| panic!("{e}"));
        let r = &page.rows;
        assert_eq!(r.len(), 1);
        assert_eq!(r.reference.get(0), Some("re4lyvq3s3"));
        assert_eq!(r.authorization.get(0), Some("AUTH_uh8bcl3zbn"));
        assert_eq!(r.customer_email.get(0), Some("demo@test.com"));
        assert_eq!((r.amount.get(0), r.fees.get(0), r.attempts.get(0)), (Some(40333), Some(10283), Some(1)));
        assert_eq!(r.currency.get(0), Some("NGN"));
        assert_eq!(r.status.get(0), Some("success"));
        assert_eq!(r.gateway_response.get(0), Some("Successful"));
        assert_eq!(r.paid_at.get(0), Some("2024-08-22T09:15:02.000Z"));
        assert_eq!(r.created_at.get(0), Some("2024-08-22T09:14:24.000Z"));
        assert_eq!(r.metadata.get(0), None);
        assert_eq!(r.batch_code.get(0), None);
        assert_eq!(r.transaction_id.get(0), Some(4_099_260_516));
        assert_eq!(page.info.ids, vec![Some(4_099_260_516)]);
        assert!(page.info.is_cursor());
        assert_eq!(page.envelope.status, Some(true));
    }

    #[test]
    fn the_batch_charges_sample() {
        let kind = RowKind::Charges { batch_code: Some("BCH_x".into()) };
        let page =
            decode_rows(&kind, &sample("bulk-charges/fetch-charge/response.json")).unwrap_or_else(|e| panic!("{e}"));
        let r = &page.rows;
        assert!(r.len() >= 2);
        assert_eq!(r.reference.get(0), Some("2mr588n0ik9enja"));
        assert_eq!(r.batch_code.get(0), Some("BCH_x"));
        assert_eq!(r.authorization.get(0), Some("AUTH_jh3cfpca"));
        assert_eq!(r.customer_email.get(0), Some("test@again.com"));
        assert_eq!((r.amount.get(0), r.fees.get(0)), (Some(20500), None));
        assert_eq!(r.metadata.get(0), Some(""));
        assert_eq!(r.transaction_id.get(0), Some(718_835));
        assert_eq!(page.info.ids[0], Some(15));
        assert_eq!(page.info.page_count, Some(1));
    }

    #[test]
    fn batch_codes_from_metadata_and_odd_values() {
        let body = br#"{"status":true,"message":"ok","data":[
            {"id":1,"reference":"a","amount":"100","metadata":{"custom_fields":[{"variable_name":"charged_via","value":"Bulkcharge"},
              {"variable_name":"bulkcharge_batch_code","value":"BCH_1"}],"order":7},"customer":[],"authorization":null,"log":"x"},
            {"id":2,"reference":12,"amount":1.5,"metadata":"{\"a\": 1}","customer":{"email":"x@y.z"},"createdAt":"2024-01-01T00:00:00Z"},
            7],
            "meta":{"total":3,"page":1,"pageCount":1,"perPage":50}}"#;
        let page = decode_rows(&RowKind::Transactions, body).unwrap_or_else(|e| panic!("{e}"));
        let r = &page.rows;
        assert_eq!(r.len(), 3);
        assert_eq!(r.batch_code.get(0), Some("BCH_1"));
        assert_eq!(r.amount.get(0), Some(100));
        assert!(r.metadata.get(0).is_some_and(|m| m.contains("\"order\":7")));
        assert_eq!(r.customer_email.get(0), None);
        assert_eq!(r.reference.get(1), Some("12"));
        assert_eq!(r.amount.get(1), None);
        assert_eq!(r.metadata.get(1), Some("{\"a\": 1}"));
        assert_eq!(r.customer_email.get(1), Some("x@y.z"));
        assert_eq!(r.reference.get(2), None);
        assert_eq!(page.info.ids, vec![Some(1), Some(2), None]);
        assert_eq!(page.info.newest.as_deref(), Some("2024-01-01T00:00:00Z"));
        assert!(decode_rows(&RowKind::Transactions, br#"{"status":true,"data":[{"id":1,"#).is_err());
    }

    #[test]
    fn extend_take_and_totals() {
        let body = br#"{"status":true,"data":[
            {"id":1,"reference":"a","amount":100,"fees":10,"currency":"NGN","status":"success"},
            {"id":2,"reference":"b","amount":200,"currency":"NGN","status":"failed"},
            {"id":3,"reference":"c","amount":300,"fees":30,"currency":"NGN","status":"success"},
            {"id":4,"reference":"d","amount":400,"fees":1,"currency":"USD","status":"success"}]}"#;
        let page = decode_rows(&RowKind::Transactions, body).unwrap_or_else(|e| panic!("{e}"));
        let mut all = Rows::default();
        all.extend(&page.rows, None);
        all.extend(&page.rows, Some(&Keep { keep: vec![false, true, false, false] }));
        assert_eq!(all.len(), 5);
        assert_eq!(all.reference.get(4), Some("b"));
        let totals = all.totals();
        assert_eq!(totals[0].0, (Some("success".into()), Some("NGN".into())));
        assert_eq!(totals[0].1, Totals { count: 2, amount: 400, fees: Some(40), net: Some(360) });
        // Failed charges without fees: the fees are unknown, and nothing reached the merchant.
        assert_eq!(totals[1].1, Totals { count: 2, amount: 400, fees: None, net: Some(0) });
        assert_eq!(totals[2].1, Totals { count: 1, amount: 400, fees: Some(1), net: Some(399) });
        // Fees a batch's charges lack, filled from the transactions listed.
        let listed_body =
            br#"{"status":true,"data":[{"id":2,"reference":"b","amount":200,"fees":0,"status":"failed"}]}"#;
        let listed = decode_rows(&RowKind::Transactions, listed_body).unwrap_or_else(|e| panic!("{e}")).rows;
        let mut filled = all.clone();
        assert_eq!(filled.fill_fees(&listed), 2);
        assert_eq!(filled.totals()[1].1.fees, Some(0));
        assert_eq!(filled.missing_fees_window(), None);
        let some = all.take(&[3, 0, 99]);
        assert_eq!(some.len(), 2);
        assert_eq!((some.reference.get(0), some.reference.get(1)), (Some("d"), Some("a")));
        assert_eq!(some.fees.get(0), Some(1));
    }

    #[test]
    fn timestamps() {
        assert_eq!(timestamp_ms("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(timestamp_ms("2024-08-22T09:15:02.000Z"), Some(1_724_318_102_000));
        assert_eq!(timestamp_ms("2024-08-22T09:15:02Z"), Some(1_724_318_102_000));
        assert_eq!(timestamp_ms("2024-08-22 10:15:02.5+01:00"), Some(1_724_318_102_500));
        assert_eq!(timestamp_ms("2000-02-29T00:00:00.123456Z"), Some(951_782_400_123));
        assert_eq!(timestamp_ms("2024-13-01T00:00:00Z"), None);
        assert_eq!(timestamp_ms("yesterday"), None);
        assert_eq!(timestamp_ms("2024-08-22T09:15:02.Z"), None);
    }
}
