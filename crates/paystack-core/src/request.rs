//! Turning a call's arguments into the exact request to send: every parameter checked, path
//! segments percent-encoded, wire names applied, references filled in where Paystack dedupes on them.

use std::sync::Arc;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value};

use crate::bulk_items::{BulkChargeItem, EncodedBatch, check_batch_of, encode_charges, encode_json_batch};
use crate::endpoint::{Endpoint, HttpMethod, Location, Safety};
use crate::error::{Issue, ValidationError};
use crate::reference::{self, ItemReferences};
use crate::value::{Kind, check, query_text};

/// Everything but RFC 3986's unreserved characters is encoded, so a value such as `a/b`, `?x`
/// or `%2F` stays inside its own path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A request ready for the transport; building it sent nothing.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    pub endpoint: &'static Endpoint,
    /// The path with its segments filled in and encoded, plus the query string.
    pub path_and_query: String,
    /// The JSON body, for POSTs (shared by every attempt, never copied).
    pub body: Option<Bytes>,
    /// The transaction reference this request carries (charges and initialize).
    pub reference: Option<String>,
    /// The item references of a bulk initiation, in order (shared with the reply).
    pub item_references: Arc<ItemReferences>,
}

impl PreparedRequest {
    pub fn method(&self) -> HttpMethod {
        self.endpoint.method
    }
}

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Json(Value),
    /// A batch already checked and written (`bulk_items::encode_batch`): the Python binding checks
    /// and writes it straight from Python objects, while it holds them.
    Encoded(EncodedBatch),
    /// A batch checked when it was built (`BulkChargeListObject`), shared rather than copied.
    Batch(Arc<Vec<BulkChargeItem>>),
}

impl From<Value> for Arg {
    fn from(value: Value) -> Self {
        Arg::Json(value)
    }
}

/// Checks `args` (one slot per parameter of `endpoint`, in order; `None` = not given) and builds
/// the request. Every problem is reported at once.
pub fn prepare(endpoint: &'static Endpoint, args: &[Option<Arg>]) -> Result<PreparedRequest, ValidationError> {
    let mut issues = Vec::new();
    if args.len() != endpoint.params.len() {
        issues.push(Issue::new(
            "arguments",
            format!(
                "{} takes {} parameters, {} were given",
                endpoint.qualified_name(),
                endpoint.params.len(),
                args.len()
            ),
        ));
        return Err(ValidationError { issues });
    }

    let mut path = String::with_capacity(endpoint.path.len() + 24);
    let mut query = String::new();
    let mut body = Map::new();
    let mut whole_body = None;
    let mut encoded: Option<EncodedBatch> = None;
    let mut segments: Vec<(&str, String)> = Vec::new();

    for (param, arg) in endpoint.params.iter().zip(args) {
        let value = match arg {
            None | Some(Arg::Json(Value::Null)) => {
                if param.required {
                    issues.push(Issue::new(param.name, "is required"));
                }
                continue;
            }
            Some(Arg::Encoded(batch)) if param.kind == Kind::BulkCharges => {
                encoded = Some(batch.clone());
                continue;
            }
            Some(Arg::Batch(batch)) if param.kind == Kind::BulkCharges => {
                // Checked when it was built; the rules across items are cheap to confirm.
                let checked: Vec<Option<&BulkChargeItem>> = batch.iter().map(Some).collect();
                match check_batch_of(&checked) {
                    Ok(()) => encoded = Some(encode_charges(batch.iter())),
                    Err(mut e) => issues.append(&mut e.issues),
                }
                continue;
            }
            Some(Arg::Encoded(_) | Arg::Batch(_)) => {
                issues.push(Issue::new(param.name, format!("must be {}", param.kind.describe())));
                continue;
            }
            Some(Arg::Json(value)) => value,
        };
        if param.kind == Kind::BulkCharges {
            match value.as_array().map(|items| encode_json_batch(items)) {
                Some(Ok(batch)) => encoded = Some(batch),
                Some(Err(mut e)) => issues.append(&mut e.issues),
                None => issues.push(Issue::new(param.name, "must be a list of bulk charge items")),
            }
            continue;
        }
        match check(param.kind, value) {
            Ok(wire) => match param.location {
                Location::Path => segments.push((param.wire, query_text(&wire))),
                Location::Query => {
                    query.push(if query.is_empty() { '?' } else { '&' });
                    query.extend(utf8_percent_encode(param.wire, SEGMENT));
                    query.push('=');
                    query.extend(utf8_percent_encode(&query_text(&wire), SEGMENT));
                }
                Location::Body => {
                    body.insert(param.wire.to_string(), wire);
                }
                Location::WholeBody => whole_body = Some(wire),
            },
            Err(message) => issues.push(Issue::new(param.name, message)),
        }
    }
    check_across_fields(&body, &mut issues);
    if !issues.is_empty() {
        return Err(ValidationError { issues });
    }

    fill_path(endpoint.path, &segments, &mut path);
    path.push_str(&query);

    let mut reference = None;
    if matches!(endpoint.safety, Safety::ChargeByReference | Safety::InitializeByReference) {
        let r = match body.get("reference") {
            Some(Value::String(r)) => r.clone(),
            _ => {
                let r = reference::generate();
                body.insert("reference".into(), Value::String(r.clone()));
                r
            }
        };
        reference = Some(r);
    }
    if endpoint.safety == Safety::RefundOnce {
        // The transaction refunded: what an "outcome unknown" error names.
        reference = body.get("transaction").and_then(Value::as_str).map(str::to_owned);
    }

    let encoding_failed = |e: serde_json::Error| ValidationError { issues: vec![Issue::new("body", e.to_string())] };
    let mut item_references = Arc::default();
    let body = match (endpoint.method, encoded) {
        (HttpMethod::Get, _) => None,
        (HttpMethod::Post, Some(batch)) => {
            item_references = batch.references;
            Some(batch.body)
        }
        (HttpMethod::Post, None) => {
            let json = whole_body.unwrap_or(Value::Object(body));
            Some(Bytes::from(serde_json::to_vec(&json).map_err(encoding_failed)?))
        }
    };
    Ok(PreparedRequest { endpoint, path_and_query: path, body, reference, item_references })
}

/// A call's arguments gathered by parameter name (the table's Python names) into the table's
/// slots. A name the endpoint does not have, or a required parameter never named, is an issue
/// naming the parameter and the endpoint: a caller never fills a slot by position, so reordering
/// the table cannot shift anyone's arguments.
#[derive(Debug)]
pub struct NamedArgs {
    endpoint: &'static Endpoint,
    args: Vec<Option<Arg>>,
    /// One bit per parameter that was named (given, even as None).
    named: u64,
    /// Where the next name is looked for first: callers that name every parameter (the generated
    /// methods) do so in table order, so each name is found at once.
    next: usize,
    issues: Vec<Issue>,
}

impl NamedArgs {
    pub fn new(endpoint: &'static Endpoint) -> Self {
        debug_assert!(endpoint.params.len() <= 64, "NamedArgs keeps one bit per parameter");
        NamedArgs { endpoint, args: vec![None; endpoint.params.len()], named: 0, next: 0, issues: Vec::new() }
    }

    pub fn endpoint(&self) -> &'static Endpoint {
        self.endpoint
    }

    /// The slot of the parameter called `name`, marked as named; an unknown name is an issue.
    pub fn slot(&mut self, name: &str) -> Option<usize> {
        let params = self.endpoint.params;
        let found = match params.get(self.next) {
            Some(param) if param.name == name => Some(self.next),
            _ => self.endpoint.param_index(name),
        };
        match found {
            Some(index) => {
                self.named |= 1 << index;
                self.next = index + 1;
                Some(index)
            }
            None => {
                let message = format!("is not a parameter of {}", self.endpoint.qualified_name());
                self.issues.push(Issue::new(name, message));
                None
            }
        }
    }

    /// Fills the slot `slot` (from [`NamedArgs::slot`]).
    pub fn set(&mut self, slot: usize, value: Arg) {
        self.args[slot] = Some(value);
    }

    /// Records problems found with a value (reported with the others by `finish`).
    pub fn reject(&mut self, issues: impl IntoIterator<Item = Issue>) {
        self.issues.extend(issues);
    }

    /// The arguments in table order (`None` = not given), or every problem found.
    pub fn finish(mut self) -> Result<Vec<Option<Arg>>, ValidationError> {
        for (index, param) in self.endpoint.params.iter().enumerate() {
            if param.required && self.named & (1 << index) == 0 {
                self.issues.push(Issue::new(param.name, format!("is required by {}", self.endpoint.qualified_name())));
            }
        }
        if self.issues.is_empty() { Ok(self.args) } else { Err(ValidationError { issues: self.issues }) }
    }
}

/// The arguments of `endpoint` in table order, from `(parameter name, value)` pairs (see
/// [`NamedArgs`]).
pub fn named_args<'a>(
    endpoint: &'static Endpoint,
    given: impl IntoIterator<Item = (&'a str, Arg)>,
) -> Result<Vec<Option<Arg>>, ValidationError> {
    let mut args = NamedArgs::new(endpoint);
    for (name, value) in given {
        if let Some(slot) = args.slot(name) {
            args.set(slot, value);
        }
    }
    args.finish()
}

/// Rules between parameters that Paystack documents (docs/paystack-api.md T10: "at_least cannot be greater than amount").
fn check_across_fields(body: &Map<String, Value>, issues: &mut Vec<Issue>) {
    if let (Some(amount), Some(at_least)) =
        (body.get("amount").and_then(Value::as_i64), body.get("at_least").and_then(Value::as_i64))
    {
        if at_least > amount {
            issues.push(Issue::new("at_least", "cannot be greater than amount"));
        }
    }
}

fn fill_path(template: &str, segments: &[(&str, String)], out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let name = &rest[open + 1..close];
        if let Some((_, value)) = segments.iter().find(|(n, _)| *n == name) {
            out.extend(utf8_percent_encode(value, SEGMENT));
        }
        rest = &rest[(close + 1).min(rest.len())..];
    }
    out.push_str(rest);
}

/// Encodes one path segment the way `prepare` does.
pub fn encode_segment(value: &str) -> String {
    utf8_percent_encode(value, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::find;
    use serde_json::json;

    fn ep(resource: &str, name: &str) -> &'static Endpoint {
        find(resource, name).unwrap_or_else(|| panic!("no endpoint {resource}.{name}"))
    }

    fn args(e: &Endpoint, given: &[(&str, Value)]) -> Vec<Option<Arg>> {
        e.params.iter().map(|p| given.iter().find(|(n, _)| *n == p.name).map(|(_, v)| Arg::Json(v.clone()))).collect()
    }

    #[test]
    fn named_arguments_land_in_their_slots() {
        let e = ep("bulk_charge", "charges");
        let args = named_args(e, [("page", Arg::from(json!(2))), ("code", Arg::from(json!("BCH_x")))])
            .unwrap_or_else(|e| panic!("{e}"));
        let r = prepare(e, &args).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.path_and_query, "/bulkcharge/BCH_x/charges?page=2");
        let Err(err) = named_args(e, [("perPage", Arg::from(json!(2)))]) else { panic!("accepted") };
        assert_eq!(
            err.issues,
            [
                Issue::new("perPage", "is not a parameter of bulk_charge.charges"),
                Issue::new("code", "is required by bulk_charge.charges"),
            ]
        );
        // Named as None, a required parameter is given but empty: prepare's check reports it.
        let mut none = NamedArgs::new(e);
        assert_eq!(none.slot("code"), Some(0));
        let args = none.finish().unwrap_or_else(|e| panic!("{e}"));
        let Err(err) = prepare(e, &args) else { panic!("accepted") };
        assert_eq!(err.issues, [Issue::new("code", "is required")]);
        assert!(
            crate::endpoints::by_name("transaction.verify")
                .is_some_and(|e| e.path == "/transaction/verify/{reference}")
        );
        assert!(crate::endpoints::by_name("transaction").is_none());
        assert!(crate::endpoints::by_name("transaction.nope").is_none());
    }

    #[test]
    fn path_segments_are_encoded() {
        let e = ep("transaction", "verify");
        for (given, expected) in [
            ("re4lyvq3s3", "/transaction/verify/re4lyvq3s3"),
            ("../x", "/transaction/verify/..%2Fx"),
            ("a/b", "/transaction/verify/a%2Fb"),
            ("a?b#c", "/transaction/verify/a%3Fb%23c"),
            ("%2F", "/transaction/verify/%252F"),
            ("é", "/transaction/verify/%C3%A9"),
        ] {
            let r = prepare(e, &args(e, &[("reference", json!(given))])).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(r.path_and_query, expected);
        }
        assert!(prepare(e, &args(e, &[("reference", json!(".."))])).is_err());
        assert!(prepare(e, &args(e, &[])).is_err());
    }

    #[test]
    fn query_uses_wire_names_in_table_order() {
        let e = ep("bulk_charge", "charges");
        let r = prepare(
            e,
            &args(
                e,
                &[
                    ("code", json!("BCH_x")),
                    ("status", json!("failed")),
                    ("per_page", json!(100)),
                    ("_from", json!("2024-01-01")),
                ],
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.path_and_query, "/bulkcharge/BCH_x/charges?status=failed&perPage=100&from=2024-01-01");
        assert!(r.body.is_none());
    }

    #[test]
    fn charge_gets_a_generated_reference_when_none_given() {
        let e = ep("transaction", "charge_authorization");
        let r = prepare(
            e,
            &args(e, &[("email", json!("a@b.co")), ("amount", json!(500)), ("authorization_code", json!("AUTH_x"))]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let body: Value = serde_json::from_slice(r.body.as_deref().unwrap_or_default()).unwrap_or_default();
        let reference = r.reference.clone().unwrap_or_default();
        assert!(crate::value::is_transaction_reference(&reference));
        assert_eq!(
            body,
            json!({"email": "a@b.co", "amount": 500, "authorization_code": "AUTH_x", "reference": reference})
        );
    }

    #[test]
    fn all_problems_are_reported_together() {
        let e = ep("transaction", "initialize");
        let Err(err) =
            prepare(e, &args(e, &[("email", json!("nope")), ("amount", json!(-1)), ("channels", json!(["cash"]))]))
        else {
            panic!("accepted")
        };
        let fields: Vec<_> = err.issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["email", "amount", "channels"]);
    }

    #[test]
    fn at_least_cannot_exceed_amount() {
        let e = ep("transaction", "partial_debit");
        let given = |at_least: i64| {
            args(
                e,
                &[
                    ("email", json!("a@b.co")),
                    ("amount", json!(100)),
                    ("authorization_code", json!("AUTH_x")),
                    ("currency", json!("NGN")),
                    ("at_least", json!(at_least)),
                ],
            )
        };
        assert!(prepare(e, &given(100)).is_ok());
        let Err(err) = prepare(e, &given(101)) else { panic!("accepted") };
        assert_eq!(err.issues, vec![Issue::new("at_least", "cannot be greater than amount")]);
    }

    #[test]
    fn bulk_initiate_sends_a_bare_array_with_references() {
        let e = ep("bulk_charge", "initiate");
        let r = prepare(e, &[Some(Arg::Json(json!([{"authorization": "AUTH_a", "amount": 100, "reference": "r-1"}, {"authorization": "AUTH_b", "amount": "200"}])))])
            .unwrap_or_else(|e| panic!("{e}"));
        let body: Value = serde_json::from_slice(r.body.as_deref().unwrap_or_default()).unwrap_or_default();
        assert_eq!(r.item_references.len(), 2);
        assert_eq!(r.item_references.get(0), Some("r-1"));
        assert_eq!(
            body,
            json!([{"authorization": "AUTH_a", "amount": 100, "reference": "r-1"}, {"authorization": "AUTH_b", "amount": 200, "reference": r.item_references.get(1)}])
        );
        assert!(r.item_references.get(1).is_some_and(crate::bulk_items::is_bulk_reference));
    }
}
