//! The control routes that need no key: health, and the export files GET /transaction/export
//! points at.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

use crate::api::envelope::{ApiError, ApiResult, ok_message};
use crate::registry::Registry;

pub(crate) async fn health() -> Response {
    ok_message("ok")
}

/// GET /_sandbox/exports/{token}.csv — the file a GET /transaction/export pointed at.
pub(crate) async fn export_file(State(registry): State<Arc<Registry>>, Path(file): Path<String>) -> ApiResult {
    let token = file.strip_suffix(".csv").unwrap_or(&file);
    let exports = registry.exports.lock();
    let export = exports.get(token).ok_or_else(|| ApiError::plain(StatusCode::NOT_FOUND, "Export not found"))?;
    if export.expires_at <= registry.clock.now() {
        return Err(ApiError::plain(StatusCode::FORBIDDEN, "Request has expired"));
    }
    Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8")], export.csv.clone()).into_response())
}
