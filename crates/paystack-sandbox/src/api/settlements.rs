//! GET /settlement and a settlement's transactions (docs/paystack-api.md §8.1, §8.2).
//! (First step: the routes exist and answer 404 until the settlement engine lands.)

use axum::http::StatusCode;
use paystack_facts::messages;

use super::envelope::{ApiError, ApiResult};

pub(crate) async fn list() -> ApiResult {
    Err(ApiError::not_found(StatusCode::NOT_FOUND, messages::SETTLEMENT_NOT_FOUND))
}

pub(crate) async fn transactions() -> ApiResult {
    Err(ApiError::not_found(StatusCode::NOT_FOUND, messages::SETTLEMENT_NOT_FOUND))
}
