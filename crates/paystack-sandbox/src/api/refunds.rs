//! Refunds (docs/paystack-api.md §8.3): create, list, fetch, and retry with the customer's
//! bank details.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use paystack_facts::Operation;
use paystack_facts::enums::REFUND_CURRENCIES;
use paystack_facts::messages;
use serde_json::{Map, Value};

use super::envelope::{ApiError, ApiResult, success, success_list};
use super::params::{self, DateRange, Paging, query_map, string_field};
use crate::commit::commit;
use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::refund_engine::RefundRequest;
use crate::state::refunds::RefundStatus;
use crate::views;

fn optional_note(map: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::invalid(format!("{key} must be a string"), "Pass the note as text")),
    }
}

/// POST /refund — `transaction` (reference or id), `amount`?, `currency`?, `customer_note`?,
/// `merchant_note`?.
pub(crate) async fn create(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let transaction =
        string_field(&map, "transaction").ok_or_else(|| ApiError::missing(messages::REFUND_TRANSACTION_REQUIRED))?;
    let amount = match map.get("amount") {
        None | Some(Value::Null) => None,
        Some(value) => Some(params::parse_amount(Some(value)).map_err(ApiError::refused)?),
    };
    let currency = match string_field(&map, "currency").map(|c| c.to_ascii_uppercase()) {
        Some(c) if !REFUND_CURRENCIES.contains(&c.as_str()) => {
            return Err(ApiError::refused(messages::CURRENCY_NOT_SUPPORTED));
        }
        other => other,
    };
    let request = RefundRequest {
        transaction,
        amount,
        currency,
        customer_note: optional_note(&map, "customer_note")?,
        merchant_note: optional_note(&map, "merchant_note")?,
    };
    let data = commit(&registry, &integration, |state| {
        let index = state.create_refund(request)?;
        Ok::<_, ApiError>(views::refunds::created(state, index))
    })?;
    Ok(success(Operation::RefundCreate, data))
}

/// GET /refund — newest first, `from` / `to` on creation; `meta` adds `failedRefundCount`.
/// (`transaction` and `currency` filter too, as Paystack's dashboard does.)
pub(crate) async fn list(Extension(integration): Extension<Arc<Integration>>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_map(raw.as_deref());
    let paging = Paging::from_query(&q)?;
    let range = DateRange::from_query(&q)?;
    let transaction = q.get("transaction").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let currency = q.get("currency").map(|s| s.trim().to_ascii_uppercase()).filter(|s| !s.is_empty());
    let state = integration.state.lock();
    let transaction = match transaction {
        Some(t) => match state.transaction_by_reference_or_id(&t) {
            Some(index) => Some(Some(index)),
            None => Some(None),
        },
        None => None,
    };
    let matching: Vec<usize> = (0..state.refunds.len())
        .rev()
        .filter(|r| {
            let refund = &state.refunds[*r];
            range.contains(refund.created_at)
                && transaction.is_none_or(|t| t == Some(refund.transaction))
                && currency.as_deref().is_none_or(|c| c == refund.currency)
        })
        .collect();
    let failed = matching.iter().filter(|r| state.refunds[**r].status == RefundStatus::Failed).count();
    let (page, mut meta) = paging.select(matching.into_iter());
    meta.insert("failedRefundCount".into(), failed.into());
    let data: Vec<Value> = page.iter().map(|r| views::refunds::refund(&state, *r)).collect();
    Ok(success_list(Operation::RefundList, data, Value::Object(meta)))
}

fn refund_id(text: &str) -> Result<u64, ApiError> {
    text.trim().parse::<u64>().map_err(|_| ApiError::not_found(StatusCode::NOT_FOUND, messages::REFUND_NOT_FOUND))
}

/// GET /refund/{id}.
pub(crate) async fn fetch(Extension(integration): Extension<Arc<Integration>>, Path(id): Path<String>) -> ApiResult {
    let id = refund_id(&id)?;
    let state = integration.state.lock();
    let index = state
        .refunds
        .by_id(id)
        .ok_or_else(|| ApiError::not_found(StatusCode::NOT_FOUND, messages::REFUND_NOT_FOUND))?;
    Ok(success(Operation::RefundFetch, views::refunds::refund(&state, index)))
}

/// POST /refund/retry_with_customer_details/{id} — `refund_account_details` {`currency`,
/// `account_number`, `bank_id`}; only a refund in `needs-attention` (else 422, as the sample).
pub(crate) async fn retry(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let id = refund_id(&id)?;
    let map = params::body_object(&headers, &body)?;
    let details = match map.get("refund_account_details") {
        Some(Value::Object(details)) => details,
        _ => {
            return Err(ApiError::missing(messages::Message {
                text: "refund_account_details is required",
                next_step: messages::MISSING_PARAMS_NEXT_STEP,
            }));
        }
    };
    for key in ["currency", "account_number", "bank_id"] {
        if string_field(details, key).is_none() {
            return Err(ApiError::invalid(
                format!("refund_account_details.{key} is required"),
                "Pass the customer's currency, account_number and bank_id",
            ));
        }
    }
    let data = commit(&registry, &integration, |state| {
        let index = state.retry_refund(id)?;
        Ok::<_, ApiError>(views::refunds::refund(state, index))
    })?;
    Ok(success(Operation::RefundRetry, data))
}
