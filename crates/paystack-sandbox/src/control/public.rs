//! The control routes that need no key: health, the export files GET /transaction/export points
//! at, and the checkout page `authorization_url` points at.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::api::envelope::{ApiError, ApiResult, ok, ok_message};
use crate::clock::now_ms;
use crate::registry::Registry;

pub(crate) async fn health() -> Response {
    ok_message("ok")
}

/// GET /_sandbox/exports/{token}.csv — the file a GET /transaction/export pointed at.
pub(crate) async fn export_file(State(registry): State<Arc<Registry>>, Path(file): Path<String>) -> ApiResult {
    let token = file.strip_suffix(".csv").unwrap_or(&file);
    let exports = registry.exports.lock();
    let export = exports.get(token).ok_or_else(|| ApiError::plain(StatusCode::NOT_FOUND, "Export not found"))?;
    if export.expires_at <= now_ms() {
        return Err(ApiError::plain(StatusCode::FORBIDDEN, "Request has expired"));
    }
    Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8")], export.csv.clone()).into_response())
}

/// GET /_sandbox/checkout/{access_code} — where `authorization_url` points: describes the
/// pending payment and how a test completes it.
pub(crate) async fn checkout(State(registry): State<Arc<Registry>>, Path(access_code): Path<String>) -> ApiResult {
    for integration in registry.integrations() {
        let state = integration.state.lock();
        if let Some(tx) = state.transactions.iter().find(|t| t.access_code.as_deref() == Some(access_code.as_str())) {
            return Ok(ok(
                "Sandbox checkout",
                json!({
                    "reference": tx.reference,
                    "amount": tx.amount,
                    "currency": tx.currency,
                    "email": state.customers[tx.customer].email,
                    "status": tx.status.as_str(),
                    "complete_with": format!(
                        "POST /_sandbox/transactions/{}/complete {{\"status\": \"success\"}} with the integration's Bearer key",
                        tx.reference
                    ),
                }),
            ));
        }
    }
    Err(ApiError::plain(StatusCode::NOT_FOUND, "Checkout session not found"))
}
