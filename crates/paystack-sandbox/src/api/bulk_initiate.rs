//! POST /bulkcharge (docs/paystack-api.md §3.1): a bare JSON array of up to 1000 charges, checked
//! item by item, then against the integration, and queued as one batch.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use paystack_facts::Operation;
use paystack_facts::limits::{MAX_BATCH_SIZE, is_bulk_reference_byte};
use paystack_facts::messages;
use serde_json::Value;

use super::envelope::{ApiError, ApiResult, success};
use super::params::{self, parse_amount};
use crate::commit::commit;
use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::IntegrationState;
use crate::state::bulk_engine::BulkItemRequest;
use crate::views;

fn item_error(index: usize, field: &str, problem: &str) -> ApiError {
    ApiError::invalid(
        format!("charges[{index}].{field}: {problem}"),
        "Fix the charge at that index; each charge needs an authorization code and an integer amount",
    )
}

/// A charge as sent, checked for shape but not yet against the integration's data.
struct ItemInput {
    authorization: String,
    amount: u64,
    reference: Option<String>,
    attempt_partial_debit: bool,
    at_least: Option<u64>,
    metadata: Option<Value>,
}

fn parse_item(index: usize, value: &Value) -> Result<ItemInput, ApiError> {
    let Value::Object(item) = value else {
        return Err(ApiError::invalid(
            format!("charges[{index}] must be an object with authorization and amount"),
            "Send each charge as {\"authorization\": \"AUTH_xxx\", \"amount\": 10000}",
        ));
    };
    let authorization = match item.get("authorization") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => return Err(item_error(index, "authorization", "an authorization code is required")),
    };
    let amount = parse_amount(item.get("amount")).map_err(|m| item_error(index, "amount", m.text))?;
    let reference = match item.get("reference") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(is_bulk_reference_byte) => Some(s.clone()),
        Some(_) => {
            return Err(item_error(
                index,
                "reference",
                "only lowercase letters (a-z), digits (0-9), dash (-) and underscore (_) are allowed",
            ));
        }
    };
    let attempt_partial_debit = match item.get("attempt_partial_debit") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(item_error(index, "attempt_partial_debit", "must be true or false")),
    };
    let at_least = match item.get("at_least") {
        None | Some(Value::Null) => None,
        some => Some(parse_amount(some).map_err(|m| item_error(index, "at_least", m.text))?),
    };
    if at_least.is_some_and(|least| least > amount) {
        return Err(item_error(index, "at_least", messages::AT_LEAST_ABOVE_AMOUNT.text));
    }
    let metadata = match params::metadata(item.get("metadata")) {
        None => None,
        Some(v @ Value::Object(_)) => Some(v),
        Some(_) => return Err(item_error(index, "metadata", "must be an object")),
    };
    Ok(ItemInput { authorization, amount, reference, attempt_partial_debit, at_least, metadata })
}

/// The checks that need the integration: known authorizations, repeated authorizations without
/// references, references unique in the batch and unused by any transaction.
fn check_against_state(state: &IntegrationState, inputs: Vec<ItemInput>) -> Result<Vec<BulkItemRequest>, ApiError> {
    let mut uses: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        uses.entry(input.authorization.as_str()).or_default().push(i);
    }
    let mut repeated: Vec<usize> = uses
        .values()
        .filter(|ix| ix.len() > 1)
        .flat_map(|ix| ix.iter().copied().filter(|i| inputs[*i].reference.is_none()))
        .collect();
    repeated.sort_unstable();
    if let Some(&i) = repeated.first() {
        return Err(ApiError::invalid(
            format!(
                "charges[{i}].reference: authorization {} appears more than once in this batch, and you can't use the same authorization in a batch without a reference",
                inputs[i].authorization
            ),
            "Give every charge that reuses an authorization its own reference",
        ));
    }
    let mut seen = HashSet::new();
    for input in &inputs {
        if let Some(reference) = &input.reference {
            if !seen.insert(reference.as_str()) || state.transactions.reference_taken(reference) {
                return Err(ApiError::duplicate_reference());
            }
        }
    }
    inputs
        .into_iter()
        .enumerate()
        .map(|(i, input)| {
            let authorization = state
                .cards
                .reusable(&input.authorization)
                .ok_or_else(|| item_error(i, "authorization", messages::AUTHORIZATION_CODE_INVALID.text))?;
            Ok(BulkItemRequest {
                authorization,
                amount: input.amount,
                reference: input.reference,
                attempt_partial_debit: input.attempt_partial_debit,
                at_least: input.at_least,
                metadata: input.metadata,
            })
        })
        .collect()
}

/// POST /bulkcharge — the body is a bare JSON array of charges.
pub(crate) async fn initiate(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let Value::Array(items) = params::body_value(&headers, &body)? else {
        return Err(ApiError::invalid(
            "Request body must be a JSON array of charge objects",
            "Send the charges as a bare JSON array, e.g. [{\"authorization\": \"AUTH_xxx\", \"amount\": 10000}], not wrapped in an object",
        ));
    };
    if items.is_empty() || items.len() > MAX_BATCH_SIZE {
        return Err(ApiError::invalid(
            format!("A batch must contain between 1 and {MAX_BATCH_SIZE} charges, got {}", items.len()),
            "Split larger batches into several requests",
        ));
    }
    let inputs = items.iter().enumerate().map(|(i, v)| parse_item(i, v)).collect::<Result<Vec<_>, _>>()?;
    let data = commit(&registry, &integration, |state| {
        let requests = check_against_state(state, inputs)?;
        let interval = state.settings.process_interval_ms;
        let batch = state.create_batch(requests, interval);
        Ok::<_, ApiError>(views::batches::batch_created(state, batch))
    })?;
    integration.wake.notify_one();
    Ok(success(Operation::BulkChargeInitiate, data))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn item_shapes() {
        assert!(parse_item(0, &json!({"authorization": "AUTH_a", "amount": "100"})).is_ok());
        let cases = [
            (json!(5), "charges[0] must be an object"),
            (json!({"amount": 100}), "charges[0].authorization"),
            (json!({"authorization": "AUTH_a", "amount": 0}), "charges[0].amount"),
            (json!({"authorization": "AUTH_a", "amount": 100, "reference": "Bad"}), "charges[0].reference"),
            (
                json!({"authorization": "AUTH_a", "amount": 100, "at_least": 101}),
                "at_least cannot be greater than amount",
            ),
            (
                json!({"authorization": "AUTH_a", "amount": 100, "attempt_partial_debit": "yes"}),
                "attempt_partial_debit",
            ),
            (json!({"authorization": "AUTH_a", "amount": 100, "metadata": [1]}), "metadata"),
        ];
        for (value, expected) in cases {
            let err = parse_item(0, &value).err().unwrap();
            assert!(err.message.contains(expected), "{value}: {}", err.message);
        }
    }
}
