//! Reading request parameters the way Paystack does: JSON or form bodies (with or without a
//! content type), amounts as integers or numeric strings, metadata as an object or stringified
//! JSON, `perPage`/`page`, `from`/`to`.

use std::collections::HashMap;

use axum::http::HeaderMap;
use axum::http::header::{CONTENT_TYPE, HOST};
use paystack_facts::enums::{CURRENCIES, DEFAULT_CURRENCY};
use paystack_facts::limits::{MAX_AMOUNT, is_transaction_reference_byte};
use paystack_facts::messages::{self, Message};
use paystack_facts::pagination;
use serde_json::{Map, Value};

use super::envelope::ApiError;
use crate::clock::{Bound, parse_timestamp};
pub(crate) use crate::wire::query_map;
use crate::wire::{BodyError, parse_body};

/// `http://<Host header>`: the sandbox's own base URL as the client reached it, for the links it
/// hands out (checkout, export files).
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(HOST).and_then(|h| h.to_str().ok()).filter(|h| !h.is_empty()).unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// The parsed body of a request (`wire::parse_body`), or the 400 for one that cannot be read.
pub(crate) fn body_value(headers: &HeaderMap, body: &[u8]) -> Result<Value, ApiError> {
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    parse_body(content_type, body).map_err(|e| match e {
        BodyError::Form => ApiError::invalid("Invalid request body", "Send a valid form-encoded or JSON body"),
        BodyError::Json(e) => ApiError::invalid(
            format!("Invalid JSON body: {e}"),
            "Send a valid JSON body with Content-Type: application/json",
        ),
    })
}

/// The body as an object (absent body = empty object).
pub(crate) fn body_object(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match body_value(headers, body)? {
        Value::Null => Ok(Map::new()),
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::invalid("Request body should be a JSON object", "Send the parameters as a JSON object")),
    }
}

/// A non-empty string field (numbers are accepted and stringified, as form bodies carry only strings).
pub(crate) fn string_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// An integer amount: a JSON integer or a numeric string. `Err` carries Paystack's message.
pub(crate) fn parse_amount(value: Option<&Value>) -> Result<u64, Message> {
    let value = value.ok_or(messages::INVALID_AMOUNT)?;
    let text = match value {
        Value::Number(n) => {
            if let Some(v) = n.as_u64() {
                return if v == 0 { Err(messages::AMOUNT_NOT_POSITIVE) } else { Ok(v) };
            }
            if n.as_i64().is_some() {
                return Err(messages::INVALID_AMOUNT);
            }
            return Err(messages::AMOUNT_NOT_INTEGER);
        }
        Value::String(s) => s.trim().to_string(),
        _ => return Err(messages::INVALID_AMOUNT),
    };
    if let Ok(v) = text.parse::<u64>() {
        return if v == 0 { Err(messages::AMOUNT_NOT_POSITIVE) } else { Ok(v) };
    }
    if text.parse::<f64>().is_ok_and(|f| f.is_finite() && f > 0.0) {
        return Err(messages::AMOUNT_NOT_INTEGER);
    }
    Err(messages::INVALID_AMOUNT)
}

/// `amount` of a transaction request, with the 400 Paystack answers when it is wrong.
pub(crate) fn amount(map: &Map<String, Value>) -> Result<u64, ApiError> {
    let amount = parse_amount(map.get("amount")).map_err(ApiError::refused)?;
    if amount > MAX_AMOUNT {
        return Err(ApiError::refused(messages::AMOUNT_LIMIT_EXCEEDED));
    }
    Ok(amount)
}

/// `email`: required and shaped like an address.
pub(crate) fn email(map: &Map<String, Value>) -> Result<String, ApiError> {
    let email = string_field(map, "email").ok_or_else(|| ApiError::missing(messages::EMAIL_REQUIRED))?;
    if !is_email(&email) {
        return Err(ApiError::refused(messages::INVALID_EMAIL));
    }
    Ok(email.to_ascii_lowercase())
}

pub(crate) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
}

/// An optional transaction `reference`: "Only -, ., = and alphanumeric characters allowed."
pub(crate) fn reference(map: &Map<String, Value>) -> Result<Option<String>, ApiError> {
    let Some(reference) = string_field(map, "reference") else { return Ok(None) };
    if reference.bytes().all(is_transaction_reference_byte) {
        Ok(Some(reference))
    } else {
        Err(ApiError::refused(messages::INVALID_REFERENCE_CHARACTER))
    }
}

/// `currency`, default NGN; anything outside the integration's currencies is refused. Every
/// sandbox integration is enabled for every currency Paystack has.
pub(crate) fn currency(map: &Map<String, Value>) -> Result<String, ApiError> {
    let currency = string_field(map, "currency").unwrap_or_else(|| DEFAULT_CURRENCY.into()).to_ascii_uppercase();
    if CURRENCIES.contains(&currency.as_str()) {
        Ok(currency)
    } else {
        Err(ApiError::refused(messages::CURRENCY_NOT_SUPPORTED))
    }
}

/// `metadata`: an object, or stringified JSON (kept as parsed when it is an object).
pub(crate) fn metadata(value: Option<&Value>) -> Option<Value> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(parsed @ Value::Object(_)) => Some(parsed),
            _ => Some(Value::String(s.clone())),
        },
        Some(other) => Some(other.clone()),
    }
}

/// `perPage` (alias `per_page`, default 50) and `page` (default 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Paging {
    pub per_page: u64,
    pub page: u64,
}

impl Paging {
    pub(crate) fn from_query(q: &HashMap<String, String>) -> Result<Self, ApiError> {
        let positive = |name: &str, raw: Option<&String>, default: u64| -> Result<u64, ApiError> {
            match raw.map(|s| s.trim()).filter(|s| !s.is_empty()) {
                None => Ok(default),
                Some(s) => s.parse::<u64>().ok().filter(|v| *v >= 1).ok_or_else(|| {
                    ApiError::invalid(
                        format!("{name} must be a positive integer"),
                        "Pass a whole number greater than 0",
                    )
                }),
            }
        };
        let per_page = q.get(pagination::PER_PAGE).or_else(|| q.get(pagination::PER_PAGE_ALIAS));
        Ok(Self {
            per_page: positive(pagination::PER_PAGE, per_page, pagination::DEFAULT_PER_PAGE)?,
            page: positive(pagination::PAGE, q.get(pagination::PAGE), pagination::DEFAULT_PAGE)?,
        })
    }

    pub(crate) fn skipped(&self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// The page's slice of `items` and the offset meta `{total, skipped, perPage, page, pageCount}`.
    pub(crate) fn slice<'a, T>(&self, items: &'a [T]) -> (&'a [T], Map<String, Value>) {
        let total = items.len() as u64;
        let start = self.skipped().min(total) as usize;
        let end = (start as u64).saturating_add(self.per_page).min(total) as usize;
        (&items[start..end], self.meta(total))
    }

    /// The page of the items `matching` accepts, in order, and the offset meta: one pass, keeping
    /// only the page (a page of 1000 out of 100,000 transactions without a list of all of them).
    pub(crate) fn select<I: Iterator<Item = usize>>(&self, items: I) -> (Vec<usize>, Map<String, Value>) {
        let skipped = self.skipped();
        let mut page = Vec::with_capacity(self.per_page.min(10_000) as usize);
        let mut total = 0u64;
        for item in items {
            if total >= skipped && total - skipped < self.per_page {
                page.push(item);
            }
            total += 1;
        }
        (page, self.meta(total))
    }

    fn meta(&self, total: u64) -> Map<String, Value> {
        let mut meta = Map::new();
        meta.insert("total".into(), total.into());
        meta.insert("skipped".into(), self.skipped().into());
        meta.insert(pagination::PER_PAGE.into(), self.per_page.into());
        meta.insert(pagination::PAGE.into(), self.page.into());
        meta.insert("pageCount".into(), total.div_ceil(self.per_page).into());
        meta
    }
}

/// Inclusive `from` / `to` bounds in epoch milliseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DateRange {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl DateRange {
    pub(crate) fn from_query(q: &HashMap<String, String>) -> Result<Self, ApiError> {
        let bound = |name: &str, which: Bound, invalid: Message| -> Result<Option<i64>, ApiError> {
            match q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => parse_timestamp(s, which).map(Some).ok_or_else(|| ApiError::refused(invalid)),
            }
        };
        Ok(Self {
            from: bound(pagination::FROM, Bound::Start, messages::INVALID_FROM_DATE)?,
            to: bound(pagination::TO, Bound::End, messages::INVALID_TO_DATE)?,
        })
    }

    pub(crate) fn contains(&self, ms: i64) -> bool {
        self.from.is_none_or(|f| ms >= f) && self.to.is_none_or(|t| ms <= t)
    }
}

/// The `status` filter of a list: one of `allowed`, or none.
pub(crate) fn status_filter(q: &HashMap<String, String>, allowed: &[&str]) -> Result<Option<String>, ApiError> {
    match q.get("status").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if allowed.contains(&s) => Ok(Some(s.to_string())),
        Some(s) => Err(ApiError::invalid(
            format!("Invalid status {s:?}: expected one of {}", allowed.join(", ")),
            "Pass one of the documented status values",
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts() {
        let text = |v: Option<&Value>| parse_amount(v).map_err(|m| m.text);
        assert_eq!(text(Some(&json!(100))), Ok(100));
        assert_eq!(text(Some(&json!("20000"))), Ok(20000));
        assert_eq!(text(Some(&json!(0))), Err("You must specify a valid amount"));
        assert_eq!(text(Some(&json!(-5))), Err("Invalid Amount Sent"));
        assert_eq!(text(Some(&json!(10.5))), Err("Amount must be an integer"));
        assert_eq!(text(Some(&json!("10.5"))), Err("Amount must be an integer"));
        assert_eq!(text(Some(&json!("12a"))), Err("Invalid Amount Sent"));
        assert_eq!(text(None), Err("Invalid Amount Sent"));
        assert_eq!(text(Some(&json!(true))), Err("Invalid Amount Sent"));
    }

    #[test]
    fn emails_and_metadata() {
        assert!(is_email("a@b.co"));
        for bad in ["a", "a@b", "@b.co", "a@b.co x", "a@@b.co", "a@.co"] {
            assert!(!is_email(bad), "{bad}");
        }
        assert_eq!(metadata(Some(&json!("{\"a\":1}"))), Some(json!({"a": 1})));
        assert_eq!(metadata(Some(&json!("plain"))), Some(json!("plain")));
        assert_eq!(metadata(Some(&json!({"b": 2}))), Some(json!({"b": 2})));
        assert_eq!(metadata(Some(&json!(""))), None);
    }

    #[test]
    fn paging_math() {
        let q: HashMap<String, String> = [("perPage".to_string(), "3".to_string()), ("page".into(), "2".into())].into();
        let paging = Paging::from_query(&q).unwrap();
        let items: Vec<u32> = (0..8).collect();
        let (page, meta) = paging.slice(&items);
        assert_eq!(page, &[3, 4, 5]);
        assert_eq!(Value::Object(meta), json!({"total": 8, "skipped": 3, "perPage": 3, "page": 2, "pageCount": 3}));
        let alias: HashMap<String, String> = [("per_page".to_string(), "7".to_string())].into();
        assert_eq!(Paging::from_query(&alias).unwrap().per_page, 7);
        let beyond = Paging { per_page: 5, page: 9 };
        assert!(beyond.slice(&items).0.is_empty());
        // select keeps only the page of what it is given, with the same meta as slice.
        for paging in [paging, beyond, Paging { per_page: 8, page: 1 }, Paging { per_page: 3, page: 3 }] {
            let indices: Vec<usize> = (0..8).collect();
            let (sliced, meta) = paging.slice(&indices);
            assert_eq!(paging.select(0..8), (sliced.to_vec(), meta));
        }
        let bad: HashMap<String, String> = [("page".to_string(), "0".to_string())].into();
        assert!(Paging::from_query(&bad).is_err());
    }
}
