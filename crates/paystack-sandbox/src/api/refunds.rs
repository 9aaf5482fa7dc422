//! The refund routes (docs/paystack-api.md §8.3).
//! (First step: the routes exist and answer 404 until refunds land.)

use axum::http::StatusCode;
use paystack_facts::messages;

use super::envelope::{ApiError, ApiResult};

pub(crate) async fn create() -> ApiResult {
    Err(ApiError::not_found(StatusCode::NOT_FOUND, messages::TRANSACTION_NOT_FOUND))
}

pub(crate) async fn list() -> ApiResult {
    Err(ApiError::not_found(StatusCode::NOT_FOUND, messages::REFUND_NOT_FOUND))
}

pub(crate) async fn fetch() -> ApiResult {
    Err(ApiError::not_found(StatusCode::NOT_FOUND, messages::REFUND_NOT_FOUND))
}

pub(crate) async fn retry() -> ApiResult {
    Err(ApiError::not_found(StatusCode::NOT_FOUND, messages::REFUND_NOT_FOUND))
}
