//! What Paystack's answers mean: an error's reason, and the batch a bulk charge's transaction
//! came from (docs/paystack-api.md §2.3, §3.6).

use paystack_facts::{errors, messages};
use serde_json::Value;

/// The custom field Paystack adds to a bulk charge's transaction metadata, naming its batch
/// (docs/paystack-api.md §3.6).
pub const BATCH_CODE_FIELD: &str = "bulkcharge_batch_code";

/// The custom fields Paystack adds to every bulk charge's metadata (docs/paystack-api.md §3.5):
/// a retry leaves them out, Paystack adds them again for the new batch.
pub const BULK_CHARGE_FIELDS: &[&str] = &["bulkcharge_id", BATCH_CODE_FIELD, "charged_via"];

/// What a Paystack refusal means, recognised from its status, `code` and message (Paystack's
/// minimal error envelope has no `code`: docs/paystack-api.md §2.1). Exposed as `APIError.reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// The reference was used already ("Duplicate Transaction Reference", docs/paystack-api.md §2.3).
    DuplicateReference,
    /// What was asked for does not exist: verify's 400 "Transaction reference not found."
    /// (observed) or 404 (per the OAS), an unknown batch or transaction.
    NotFound,
    /// Over the quota (429).
    RateLimited,
    /// The secret key is missing or not valid (401).
    InvalidKey,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::DuplicateReference => errors::DUPLICATE_REFERENCE,
            Reason::NotFound => errors::NOT_FOUND,
            Reason::RateLimited => errors::RATE_LIMITED,
            Reason::InvalidKey => "invalid_key",
        }
    }
}

/// Paystack's answer for a reference already used: its `code`, or its message where it sends none.
pub fn is_duplicate_reference(code: Option<&str>, message: &str) -> bool {
    code == Some(errors::DUPLICATE_REFERENCE)
        || message.to_ascii_lowercase().contains(&messages::DUPLICATE_REFERENCE.text.to_ascii_lowercase())
}

/// Verify's answer for an unknown reference: 400 "Transaction reference not found." (observed)
/// or 404 (per the OAS).
pub fn is_not_found(status: u16, code: Option<&str>, message: &str) -> bool {
    matches!(status, 400 | 404)
        && (code == Some(errors::NOT_FOUND) || message.to_ascii_lowercase().contains("not found"))
}

/// The reason of an error answer, or `None` when it is not one the client recognises.
pub fn reason(status: u16, code: Option<&str>, message: &str) -> Option<Reason> {
    if is_duplicate_reference(code, message) {
        Some(Reason::DuplicateReference)
    } else if is_not_found(status, code, message) {
        Some(Reason::NotFound)
    } else if status == 429 || code == Some(errors::RATE_LIMITED) {
        Some(Reason::RateLimited)
    } else if status == 401 {
        Some(Reason::InvalidKey)
    } else {
        None
    }
}

/// The batch code Paystack writes into a bulk charge's transaction metadata: a custom field
/// `bulkcharge_batch_code`, or a plain member of that name; the metadata may be an object or a
/// string holding one.
pub fn batch_code_of(transaction: &Value) -> Option<String> {
    let metadata = match transaction.get("metadata")? {
        Value::String(text) => serde_json::from_str(text).ok()?,
        other => other.clone(),
    };
    let fields = metadata.get("custom_fields").and_then(Value::as_array);
    fields
        .into_iter()
        .flatten()
        .find(|f| f.get("variable_name").and_then(Value::as_str) == Some(BATCH_CODE_FIELD))
        .and_then(|f| f.get("value"))
        .or_else(|| metadata.get(BATCH_CODE_FIELD))
        .and_then(Value::as_str)
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
}

/// A charge's metadata for its retry: without the custom fields Paystack adds to every bulk charge
/// (it adds them again for the new batch); None when nothing is left. The metadata may be an
/// object or a string holding one.
pub fn retry_metadata(metadata: &Value) -> Option<Value> {
    let mut kept = match metadata {
        Value::String(text) => serde_json::from_str::<Value>(text).ok()?,
        other => other.clone(),
    };
    let object = kept.as_object_mut()?;
    if let Some(Value::Array(fields)) = object.get_mut("custom_fields") {
        fields.retain(|f| {
            !f.get("variable_name").and_then(Value::as_str).is_some_and(|n| BULK_CHARGE_FIELDS.contains(&n))
        });
        if fields.is_empty() {
            object.remove("custom_fields");
        }
    }
    (!object.is_empty()).then_some(kept)
}

/// A charge of `GET /bulkcharge/{code}/charges` or a verified transaction, as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeFacts {
    pub reference: String,
    pub authorization: Option<String>,
    pub amount: Option<u64>,
    pub status: Option<String>,
}

/// The reference, card, amount and status of a batch's charge (its own `reference` per the OAS,
/// its transaction's per the samples) or of a transaction.
pub fn charge_facts(item: &Value) -> Option<ChargeFacts> {
    let transaction = item.get("transaction");
    let text = |value: Option<&Value>| value.and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    let reference = text(item.get("reference")).or_else(|| text(transaction.and_then(|t| t.get("reference"))))?;
    let authorization = item
        .get("authorization")
        .and_then(|a| a.get("authorization_code").or(Some(a)))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let amount = item.get("amount").or_else(|| transaction.and_then(|t| t.get("amount"))).and_then(Value::as_u64);
    let status = text(item.get("status")).or_else(|| text(transaction.and_then(|t| t.get("status"))));
    Some(ChargeFacts { reference, authorization, amount, status })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reasons() {
        assert_eq!(reason(400, Some("duplicate_reference"), ""), Some(Reason::DuplicateReference));
        assert_eq!(reason(400, None, "Duplicate Transaction Reference"), Some(Reason::DuplicateReference));
        assert_eq!(reason(400, None, "Transaction reference not found."), Some(Reason::NotFound));
        assert_eq!(reason(404, Some("not_found"), ""), Some(Reason::NotFound));
        assert_eq!(reason(500, None, "not found"), None);
        assert_eq!(reason(400, None, "Invalid key"), None);
    }

    #[test]
    fn batch_codes_in_every_shape() {
        let field =
            json!({"metadata": {"custom_fields": [{"variable_name": "bulkcharge_batch_code", "value": "BCH_1"}]}});
        assert_eq!(batch_code_of(&field).as_deref(), Some("BCH_1"));
        let text = json!({"metadata": "{\"custom_fields\":[{\"variable_name\":\"bulkcharge_batch_code\",\"value\":\"BCH_2\"}]}"});
        assert_eq!(batch_code_of(&text).as_deref(), Some("BCH_2"));
        let plain = json!({"metadata": {"bulkcharge_batch_code": "BCH_3"}});
        assert_eq!(batch_code_of(&plain).as_deref(), Some("BCH_3"));
        assert_eq!(batch_code_of(&json!({"metadata": ""})), None);
        assert_eq!(batch_code_of(&json!({"metadata": {"bulkcharge_batch_code": ""}})), None);
        assert_eq!(batch_code_of(&json!({})), None);
    }

    #[test]
    fn a_retry_keeps_the_callers_metadata_only() {
        let paystack = json!({"invoice": "INV-1", "custom_fields": [
            {"variable_name": "bulkcharge_batch_code", "value": "BCH_1"},
            {"variable_name": "charged_via", "value": "bulkcharge"},
            {"variable_name": "desk", "value": "A"}]});
        assert_eq!(
            retry_metadata(&paystack),
            Some(json!({"invoice": "INV-1", "custom_fields": [{"variable_name": "desk", "value": "A"}]}))
        );
        let only_paystacks = json!({"custom_fields": [{"variable_name": "bulkcharge_id", "value": 1}]});
        assert_eq!(retry_metadata(&only_paystacks), None);
        assert_eq!(retry_metadata(&json!("{\"a\": 1}")), Some(json!({"a": 1})));
        assert_eq!(retry_metadata(&json!("")), None);
        assert_eq!(retry_metadata(&Value::Null), None);
    }

    #[test]
    fn charge_facts_from_the_oas_and_the_samples() {
        let sample = json!({"authorization": {"authorization_code": "AUTH_a"}, "amount": 20500, "status": "success",
            "transaction": {"reference": "r-1", "amount": 1}});
        let facts = charge_facts(&sample).expect("a sample charge");
        assert_eq!(
            (facts.reference.as_str(), facts.authorization.as_deref(), facts.amount),
            ("r-1", Some("AUTH_a"), Some(20500))
        );
        let oas =
            json!({"reference": "r-2", "authorization": "AUTH_b", "transaction": {"amount": 7, "status": "failed"}});
        let facts = charge_facts(&oas).expect("an OAS charge");
        assert_eq!(
            (facts.amount, facts.status.as_deref(), facts.authorization.as_deref()),
            (Some(7), Some("failed"), Some("AUTH_b"))
        );
        assert_eq!(charge_facts(&json!({"amount": 1})), None);
    }
}
