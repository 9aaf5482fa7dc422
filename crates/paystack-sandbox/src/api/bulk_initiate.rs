//! Bulk Charge endpoints (docs/paystack-api.md §3).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

use crate::app::{App, Integration, with_state};
use paystack_facts::Operation;
use paystack_facts::enums::{BATCH_STATUSES, CHARGE_STATUSES};
use paystack_facts::limits::{MAX_BATCH_SIZE, is_bulk_reference_byte};
use paystack_facts::messages;

use crate::envelope::{ApiError, ApiResult, success, success_list, success_without_data};
use crate::params::{self, DateRange, Paging, parse_amount, query_map};
use crate::render;
use crate::state::{BulkItemRequest, IntegrationState};

fn batch_not_found() -> ApiError {
    ApiError::not_found(StatusCode::NOT_FOUND, messages::BULK_CHARGE_NOT_FOUND)
}

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
            if !seen.insert(reference.as_str()) || state.reference_taken(reference) {
                return Err(ApiError::duplicate_reference());
            }
        }
    }
    inputs
        .into_iter()
        .enumerate()
        .map(|(i, input)| {
            let authorization = state
                .authorization(&input.authorization)
                .filter(|a| state.authorizations[*a].reusable)
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
    State(app): State<Arc<App>>,
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
    let data = with_state(&app, &integration, |state| {
        let requests = check_against_state(state, inputs)?;
        let interval = Duration::from_millis(state.settings.process_interval_ms);
        let batch = state.create_batch(requests, interval);
        Ok::<_, ApiError>(render::batch_created(state, batch))
    })?;
    integration.wake.notify_one();
    Ok(success(Operation::BulkChargeInitiate, data))
}

fn status_filter(q: &HashMap<String, String>, allowed: &[&str]) -> Result<Option<String>, ApiError> {
    match q.get("status").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if allowed.contains(&s) => Ok(Some(s.to_string())),
        Some(s) => Err(ApiError::invalid(
            format!("Invalid status {s:?}: expected one of {}", allowed.join(", ")),
            "Pass one of the documented status values",
        )),
    }
}

/// GET /bulkcharge — batches, newest first.
pub(crate) async fn list(Extension(integration): Extension<Arc<Integration>>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_map(raw.as_deref());
    let paging = Paging::from_query(&q)?;
    let range = DateRange::from_query(&q)?;
    let status = status_filter(&q, BATCH_STATUSES)?;
    let state = integration.state.lock();
    let matching: Vec<usize> = (0..state.batches.len())
        .rev()
        .filter(|b| {
            let batch = &state.batches[*b];
            range.contains(batch.created_at) && status.as_deref().is_none_or(|s| s == batch.status.as_str())
        })
        .collect();
    let (page, meta) = paging.slice(&matching);
    let data = page.iter().map(|b| render::batch_list_item(&state, *b)).collect();
    Ok(success_list(Operation::BulkChargeList, data, Value::Object(meta)))
}

/// GET /bulkcharge/{id_or_code}.
pub(crate) async fn fetch(
    Extension(integration): Extension<Arc<Integration>>,
    Path(id_or_code): Path<String>,
) -> ApiResult {
    let state = integration.state.lock();
    let batch = state.batch(&id_or_code).ok_or_else(batch_not_found)?;
    Ok(success(Operation::BulkChargeFetch, render::batch(&state, batch)))
}

/// GET /bulkcharge/{id_or_code}/charges — in submission order.
pub(crate) async fn charges(
    Extension(integration): Extension<Arc<Integration>>,
    Path(id_or_code): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let q = query_map(raw.as_deref());
    let paging = Paging::from_query(&q)?;
    let range = DateRange::from_query(&q)?;
    let status = status_filter(&q, CHARGE_STATUSES)?;
    let state = integration.state.lock();
    let batch = state.batch(&id_or_code).ok_or_else(batch_not_found)?;
    let matching: Vec<usize> = state.batches[batch]
        .charges
        .iter()
        .copied()
        .filter(|c| {
            let charge = &state.charges[*c];
            range.contains(charge.created_at) && status.as_deref().is_none_or(|s| s == charge.status.as_str())
        })
        .collect();
    let (page, meta) = paging.slice(&matching);
    let data = page.iter().map(|c| render::bulk_charge(&state, *c)).collect();
    Ok(success_list(Operation::BulkChargeCharges, data, Value::Object(meta)))
}

fn set_paused(app: &Arc<App>, integration: &Arc<Integration>, code: &str, paused: bool) -> Result<(), ApiError> {
    with_state(app, integration, |state| {
        let batch = state.batch(code).ok_or_else(batch_not_found)?;
        let interval = Duration::from_millis(state.settings.process_interval_ms);
        state.set_paused(batch, paused, interval)
    })?;
    integration.wake.notify_one();
    Ok(())
}

/// GET /bulkcharge/pause/{batch_code} — answers without `data`.
pub(crate) async fn pause(
    State(app): State<Arc<App>>,
    Extension(integration): Extension<Arc<Integration>>,
    Path(code): Path<String>,
) -> ApiResult {
    set_paused(&app, &integration, &code, true)?;
    Ok(success_without_data(Operation::BulkChargePause))
}

/// GET /bulkcharge/resume/{batch_code} — answers without `data`.
pub(crate) async fn resume(
    State(app): State<Arc<App>>,
    Extension(integration): Extension<Arc<Integration>>,
    Path(code): Path<String>,
) -> ApiResult {
    set_paused(&app, &integration, &code, false)?;
    Ok(success_without_data(Operation::BulkChargeResume))
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
