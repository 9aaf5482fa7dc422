//! The kinds of parameter values, and the rules each must meet before it is sent.
//!
//! `check` takes what the caller gave (already JSON: the binding turns dates into ISO strings
//! and enums into their values) and returns the value to put on the wire, or the problem.

use serde_json::{Map, Value};

use crate::timestamp;
pub use paystack_facts::enums::{CHANNELS, CURRENCIES};
use paystack_facts::limits::{self, MAX_REFERENCE_LEN};

/// The largest amount Paystack accepts, in subunits (`paystack_facts::limits::MAX_AMOUNT`), as the
/// signed integers amounts are read into.
pub const MAX_AMOUNT: i64 = limits::MAX_AMOUNT as i64;

/// What a parameter's value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A non-empty string.
    Text,
    /// A path segment: a non-empty string or integer that cannot climb out of its segment.
    Segment,
    /// A numeric transaction id (GET /transaction/{id} answers 400 for anything else).
    TransactionId,
    /// An amount in the currency's subunit: a positive integer (numeric strings accepted).
    Amount,
    /// A positive integer (page, perPage, customer id).
    PositiveInt,
    /// A non-negative integer (invoice_limit, transaction_charge).
    Count,
    Boolean,
    /// A date or datetime, ISO 8601 (`2016-09-21` or `2016-09-24T00:00:05.000Z`).
    Timestamp,
    Email,
    Currency,
    /// A transaction reference: alphanumerics and `-`, `.`, `=` (docs/paystack-api.md §2.3).
    Reference,
    /// A list of payment channels.
    Channels,
    /// Custom data: an object, or a string holding a JSON object.
    Metadata,
    /// A JSON object (e.g. a dynamic split).
    Object,
    /// A customer's bank account for a refund: `currency`, `account_number`, `bank_id`
    /// (docs/paystack-api.md §8.3, the OAS's `RefundRetryAccountDetails`).
    RefundAccount,
    /// One of a fixed set of strings.
    Choice(&'static [&'static str]),
    /// The list of bulk charge items; checked by `bulk_items::check_bulk_charges`.
    BulkCharges,
}

impl Kind {
    /// A short description used in error messages and docstrings.
    pub fn describe(self) -> String {
        match self {
            Kind::Text => "a non-empty string".into(),
            Kind::Segment => "a non-empty string or integer".into(),
            Kind::TransactionId => "a numeric transaction id".into(),
            Kind::Amount => "a positive integer amount in the currency's subunit".into(),
            Kind::PositiveInt => "a positive integer".into(),
            Kind::Count => "a non-negative integer".into(),
            Kind::Boolean => "a boolean".into(),
            Kind::Timestamp => "a date or datetime (ISO 8601)".into(),
            Kind::Email => "an email address".into(),
            Kind::Currency => format!("one of {}", CURRENCIES.join(", ")),
            Kind::Reference => "a reference of letters, digits, '-', '.' and '='".into(),
            Kind::Channels => format!("a list of channels from {}", CHANNELS.join(", ")),
            Kind::Metadata => "an object or a string of JSON".into(),
            Kind::Object => "an object".into(),
            Kind::RefundAccount => "an object with currency, account_number and bank_id".into(),
            Kind::Choice(options) => format!("one of {}", options.join(", ")),
            Kind::BulkCharges => "a list of bulk charge items".into(),
        }
    }
}

/// Checks `value` against `kind` and returns the value to send, or what is wrong with it.
pub fn check(kind: Kind, value: &Value) -> Result<Value, String> {
    let wrong = || Err(format!("must be {}", kind.describe()));
    match kind {
        Kind::Text => match value {
            Value::String(s) if !s.trim().is_empty() => Ok(value.clone()),
            Value::String(_) => Err("must not be empty".into()),
            _ => wrong(),
        },
        Kind::Segment => segment(value).map(Value::String),
        Kind::TransactionId => match value {
            Value::Number(n) if n.as_u64().is_some_and(|n| n > 0) => Ok(Value::String(n.to_string())),
            Value::String(s) if !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(value.clone())
            }
            _ => Err("must be a numeric transaction id (use verify() for references)".into()),
        },
        Kind::Amount => {
            let amount =
                integer(value).ok_or_else(|| "must be an integer amount in the currency's subunit".to_string())?;
            if amount <= 0 {
                Err("must be a positive amount in the currency's subunit".into())
            } else if amount > MAX_AMOUNT {
                Err(format!("must not exceed {MAX_AMOUNT} (Paystack's transaction limit)"))
            } else {
                Ok(Value::from(amount))
            }
        }
        Kind::PositiveInt => match integer(value) {
            Some(n) if n > 0 => Ok(Value::from(n)),
            _ => wrong(),
        },
        Kind::Count => match integer(value) {
            Some(n) if n >= 0 => Ok(Value::from(n)),
            _ => wrong(),
        },
        Kind::Boolean => match value {
            Value::Bool(_) => Ok(value.clone()),
            _ => wrong(),
        },
        Kind::Timestamp => match value {
            Value::String(s) => timestamp::parse(s).map(|_| value.clone()).map_err(|e| e.to_string()),
            _ => Err(timestamp::DateError::Shape.to_string()),
        },
        Kind::Email => match value {
            Value::String(s) if is_email(s) => Ok(value.clone()),
            Value::String(s) if s.trim().is_empty() => Err("must not be empty".into()),
            _ => Err("must be a valid email address".into()),
        },
        Kind::Currency => match value {
            Value::String(s) => {
                let upper = s.trim().to_ascii_uppercase();
                if CURRENCIES.contains(&upper.as_str()) { Ok(Value::String(upper)) } else { wrong() }
            }
            _ => wrong(),
        },
        Kind::Reference => match value {
            Value::String(s) if is_transaction_reference(s) => Ok(value.clone()),
            Value::String(s) if s.is_empty() => Err("must not be empty".into()),
            Value::String(s) if s.len() > MAX_REFERENCE_LEN => {
                Err(format!("must be at most {MAX_REFERENCE_LEN} characters"))
            }
            Value::String(_) => Err("may contain only letters, digits, '-', '.' and '='".into()),
            _ => wrong(),
        },
        Kind::Channels => match value {
            Value::Array(items) if !items.is_empty() => {
                for item in items {
                    match item {
                        Value::String(s) if CHANNELS.contains(&s.as_str()) => {}
                        other => return Err(format!("has an unknown channel {other}; {}", kind.describe())),
                    }
                }
                Ok(value.clone())
            }
            Value::Array(_) => Err("must not be empty".into()),
            _ => wrong(),
        },
        Kind::Metadata => match value {
            Value::Object(_) => Ok(value.clone()),
            Value::String(s) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Object(_)) => Ok(value.clone()),
                _ => Err("must be an object or a string holding a JSON object".into()),
            },
            _ => wrong(),
        },
        Kind::Object => match value {
            Value::Object(_) => Ok(value.clone()),
            _ => wrong(),
        },
        Kind::RefundAccount => {
            let Value::Object(account) = value else { return wrong() };
            if !account.get("currency").and_then(Value::as_str).is_some_and(|c| CURRENCIES.contains(&c)) {
                return Err(format!(".currency must be one of {}", CURRENCIES.join(", ")));
            }
            let digits = |v: &Value| match v {
                Value::String(s) => !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()),
                Value::Number(n) => n.as_u64().is_some(),
                _ => false,
            };
            if !account.get("account_number").is_some_and(digits) {
                return Err(".account_number must be the account's number (digits)".into());
            }
            if !account.get("bank_id").is_some_and(digits) {
                return Err(".bank_id must be the bank's id (List Banks)".into());
            }
            Ok(value.clone())
        }
        Kind::Choice(options) => match value {
            Value::String(s) if options.contains(&s.as_str()) => Ok(value.clone()),
            _ => wrong(),
        },
        // The list as a whole is checked by `bulk_items::check_bulk_charges`, which knows item indexes.
        Kind::BulkCharges => match value {
            Value::Array(_) => Ok(value.clone()),
            _ => wrong(),
        },
    }
}

/// An integer from a JSON integer or a string of digits (Paystack accepts both for amounts).
pub fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) if !s.is_empty() && s.len() <= 18 => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) { s.parse().ok() } else { None }
        }
        _ => None,
    }
}

fn segment(value: &Value) -> Result<String, String> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
        _ => return Err(format!("must be {}", Kind::Segment.describe())),
    };
    if text.trim().is_empty() {
        return Err("must not be empty".into());
    }
    // URL parsers resolve `.` and `..` segments (even percent-encoded), so they could reach
    // another endpoint; no Paystack id or reference is made of dots alone.
    if text.bytes().all(|b| b == b'.') {
        return Err("must not be made only of dots".into());
    }
    if text.len() > 256 {
        return Err("must be at most 256 characters".into());
    }
    Ok(text)
}

/// Paystack's transaction reference charset: alphanumerics, `-`, `.`, `=`.
pub fn is_transaction_reference(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_REFERENCE_LEN && s.bytes().all(limits::is_transaction_reference_byte)
}

/// A pragmatic email check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// The query-string form of a checked value.
pub fn query_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// An empty JSON object, for bodies with no members.
pub fn empty_object() -> Value {
    Value::Object(Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts() {
        assert_eq!(check(Kind::Amount, &json!(100)), Ok(json!(100)));
        assert_eq!(check(Kind::Amount, &json!("20000")), Ok(json!(20000)));
        assert!(check(Kind::Amount, &json!(0)).is_err());
        assert!(check(Kind::Amount, &json!(-5)).is_err());
        assert!(check(Kind::Amount, &json!(1.5)).is_err());
        assert!(check(Kind::Amount, &json!("1e3")).is_err());
        assert!(check(Kind::Amount, &json!(true)).is_err());
        assert!(check(Kind::Amount, &json!(MAX_AMOUNT + 1)).is_err());
    }

    #[test]
    fn references() {
        assert!(is_transaction_reference("re4lyvq3s3"));
        assert!(is_transaction_reference("order-1.2=3"));
        assert!(!is_transaction_reference("a/b"));
        assert!(!is_transaction_reference("a b"));
        assert!(!is_transaction_reference(""));
        assert!(!is_transaction_reference("é"));
    }

    #[test]
    fn segments_cannot_climb() {
        assert!(check(Kind::Segment, &json!("..")).is_err());
        assert!(check(Kind::Segment, &json!(".")).is_err());
        assert!(check(Kind::Segment, &json!("")).is_err());
        assert_eq!(check(Kind::Segment, &json!("../x")), Ok(json!("../x")));
        assert_eq!(check(Kind::Segment, &json!(17)), Ok(json!("17")));
    }

    #[test]
    fn transaction_ids() {
        assert_eq!(check(Kind::TransactionId, &json!(4099260516_u64)), Ok(json!("4099260516")));
        assert!(check(Kind::TransactionId, &json!("4099260516")).is_ok());
        assert!(check(Kind::TransactionId, &json!("re4lyvq3s3")).is_err());
        assert!(check(Kind::TransactionId, &json!(0)).is_err());
    }

    #[test]
    fn emails() {
        assert!(is_email("demo@test.com"));
        assert!(!is_email("demo@test"));
        assert!(!is_email("demo test@x.com"));
        assert!(!is_email("@x.com"));
        assert!(!is_email("a@b@c.com"));
    }

    #[test]
    fn timestamps() {
        for ok in ["2016-09-21", "2016-09-24T00:00:05.000Z", "2013-10-20T19:20:30+01:00", "2024-02-29"] {
            assert_eq!(check(Kind::Timestamp, &json!(ok)), Ok(json!(ok)));
        }
        assert_eq!(
            check(Kind::Timestamp, &json!("2023-02-29")),
            Err("has day 29, but February 2023 has 28 days".to_string())
        );
        assert!(check(Kind::Timestamp, &json!("2016-13-01")).is_err());
        assert!(check(Kind::Timestamp, &json!("yesterday")).is_err());
        assert!(check(Kind::Timestamp, &json!(1_700_000_000)).is_err());
    }

    #[test]
    fn currencies_are_normalised() {
        assert_eq!(check(Kind::Currency, &json!("ngn")), Ok(json!("NGN")));
        assert!(check(Kind::Currency, &json!("XYZ")).is_err());
    }

    #[test]
    fn metadata() {
        assert!(check(Kind::Metadata, &json!({"a": 1})).is_ok());
        assert!(check(Kind::Metadata, &json!("{\"a\": 1}")).is_ok());
        assert!(check(Kind::Metadata, &json!("[1]")).is_err());
        assert!(check(Kind::Metadata, &json!(3)).is_err());
    }

    #[test]
    fn channels() {
        assert!(check(Kind::Channels, &json!(["card", "bank"])).is_ok());
        assert!(check(Kind::Channels, &json!(["cash"])).is_err());
        assert!(check(Kind::Channels, &json!([])).is_err());
    }
}
