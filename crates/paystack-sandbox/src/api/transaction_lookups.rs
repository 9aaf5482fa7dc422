//! Transaction lookups (docs/paystack-api.md T2, T4, T7, T11, T12): verify, fetch, timeline,
//! and the undocumented event and session.

use std::sync::Arc;

use axum::Extension;
use axum::extract::Path;
use axum::http::StatusCode;
use paystack_facts::Operation;
use paystack_facts::messages;
use serde_json::{Value, json};

use super::envelope::{ApiError, ApiResult, success};
use crate::clock::iso;
use crate::integration::Integration;
use crate::state::IntegrationState;
use crate::views;

fn not_numeric() -> ApiError {
    ApiError::refused(messages::TRANSACTION_ID_NOT_NUMERIC)
}

fn transaction_not_found() -> ApiError {
    ApiError::not_found(StatusCode::NOT_FOUND, messages::TRANSACTION_NOT_FOUND)
}

/// The transaction with numeric id `raw`: 400 when not numeric, 404 when unknown.
pub(crate) fn by_id(state: &IntegrationState, raw: &str) -> Result<usize, ApiError> {
    let raw = raw.trim();
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_numeric());
    }
    // Numeric but beyond any id (more digits than a u64 holds): no such transaction.
    let id: u64 = raw.parse().map_err(|_| transaction_not_found())?;
    state.transactions.by_id(id).ok_or_else(transaction_not_found)
}

/// GET /transaction/verify/{reference}. Unknown references are a 400, as observed on the API.
pub(crate) async fn verify(
    Extension(integration): Extension<Arc<Integration>>,
    Path(reference): Path<String>,
) -> ApiResult {
    let state = integration.state.lock();
    let index = state
        .transactions
        .by_reference(&reference)
        .ok_or_else(|| ApiError::not_found(StatusCode::BAD_REQUEST, messages::REFERENCE_NOT_FOUND))?;
    Ok(success(Operation::TransactionVerify, views::transactions::verify(&state, index)))
}

/// GET /transaction/{id}. `GET /transaction/verify/` (no reference) lands here too, as on
/// Paystack: id "verify", hence "Transaction ID should be numeric." (docs/paystack-api.md T2).
pub(crate) async fn fetch(Extension(integration): Extension<Arc<Integration>>, Path(id): Path<String>) -> ApiResult {
    let state = integration.state.lock();
    let index = by_id(&state, &id)?;
    Ok(success(Operation::TransactionFetch, views::transactions::fetch(&state, index)))
}

/// GET /transaction/timeline/{id_or_reference}.
pub(crate) async fn timeline(
    Extension(integration): Extension<Arc<Integration>>,
    Path(id_or_reference): Path<String>,
) -> ApiResult {
    let state = integration.state.lock();
    let by_id = id_or_reference.parse::<u64>().ok().and_then(|id| state.transactions.by_id(id));
    let index = by_id
        .or_else(|| state.transactions.by_reference(&id_or_reference))
        .ok_or_else(|| ApiError::plain(StatusCode::BAD_REQUEST, messages::TIMELINE_NOT_FOUND))?;
    Ok(success(Operation::TransactionTimeline, views::timeline(&state.transactions[index])))
}

/// GET /transaction/{id}/event (undocumented upstream): the webhook events of the transaction.
pub(crate) async fn event(Extension(integration): Extension<Arc<Integration>>, Path(id): Path<String>) -> ApiResult {
    let (id, reference) = {
        let state = integration.state.lock();
        let tx = &state.transactions[by_id(&state, &id)?];
        (tx.id, tx.reference.clone())
    };
    let events: Vec<Value> = integration
        .deliveries
        .lock()
        .iter()
        .filter(|d| d.transaction_id == id)
        .map(|d| {
            json!({
                "event": d.event,
                "status": d.status.as_str(),
                "attempts": d.attempts.len(),
                "createdAt": iso(d.created_at),
            })
        })
        .collect();
    Ok(success(Operation::TransactionEvent, json!({"id": id, "reference": reference, "events": events})))
}

/// GET /transaction/{id}/session (undocumented upstream): the checkout session of the transaction.
pub(crate) async fn session(Extension(integration): Extension<Arc<Integration>>, Path(id): Path<String>) -> ApiResult {
    let state = integration.state.lock();
    let index = by_id(&state, &id)?;
    let tx = &state.transactions[index];
    let completed = tx.steps.last().map(|s| iso(s.at));
    Ok(success(
        Operation::TransactionSession,
        json!({
            "id": tx.id,
            "reference": tx.reference,
            "status": tx.status.as_str(),
            "channel": "card",
            "access_code": tx.access_code,
            "callback_url": tx.callback_url,
            "ip_address": tx.ip_address,
            "started_at": iso(tx.created_at),
            "completed_at": completed,
        }),
    ))
}
