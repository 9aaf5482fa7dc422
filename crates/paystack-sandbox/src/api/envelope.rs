//! Paystack's response envelopes: `{"status": true, "message", "data", "meta"?}` and the error
//! forms, minimal `{"status": false, "message"}` or full with `meta.nextStep`, `type`, `code`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use paystack_facts::messages::{self, Message};
use paystack_facts::{Operation, errors};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::state::refusals::Refusal;

/// `{"status": true, "message": .., "data": ..}`.
pub(crate) fn ok(message: &str, data: Value) -> Response {
    Json(json!({"status": true, "message": message, "data": data})).into_response()
}

/// A list: `{"status": true, "message": .., "data": [..], "meta": {..}}`, the items written
/// straight into the answer (`views::Each`) or given as values.
pub(crate) fn ok_list(message: &str, data: impl Serialize, meta: Value) -> Response {
    Json(ListEnvelope { status: true, message, data, meta }).into_response()
}

#[derive(Serialize)]
struct ListEnvelope<'a, D> {
    status: bool,
    message: &'a str,
    data: D,
    meta: Value,
}

/// An answer without `data` (pause/resume).
pub(crate) fn ok_message(message: &str) -> Response {
    Json(json!({"status": true, "message": message})).into_response()
}

/// The message of `operation`'s success answer: Paystack's, or the sandbox's own for the two
/// endpoints Paystack documents no answer for (docs/paystack-api.md T11, T12).
pub(crate) fn success_message(operation: Operation) -> &'static str {
    match operation.route().message {
        Some(message) => message,
        None if operation == Operation::TransactionEvent => "Transaction events retrieved",
        None if operation == Operation::TransactionSession => "Transaction session retrieved",
        None => "Success",
    }
}

/// `operation`'s success answer with `data`.
pub(crate) fn success(operation: Operation, data: Value) -> Response {
    ok(success_message(operation), data)
}

/// `operation`'s success answer with a list and its `meta`.
pub(crate) fn success_list(operation: Operation, data: impl Serialize, meta: Value) -> Response {
    ok_list(success_message(operation), data, meta)
}

/// `operation`'s success answer without `data` (pause, resume).
pub(crate) fn success_without_data(operation: Operation) -> Response {
    ok_message(success_message(operation))
}

/// The `type` of an error in Paystack's full error form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorType {
    Validation,
    Api,
}

impl ErrorType {
    fn as_str(self) -> &'static str {
        match self {
            ErrorType::Validation => errors::VALIDATION_ERROR,
            ErrorType::Api => errors::API_ERROR,
        }
    }
}

/// An error answer. `detail` switches on the full form.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub detail: Option<ErrorDetail>,
}

#[derive(Debug, Clone)]
pub(crate) struct ErrorDetail {
    pub next_step: String,
    pub kind: ErrorType,
    pub code: &'static str,
}

impl ApiError {
    /// `{"status": false, "message"}` with the given status.
    pub(crate) fn plain(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into(), detail: None }
    }

    /// 400 in the minimal form (the control API's refusals).
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::plain(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn unauthorized(message: &str) -> Self {
        Self::plain(StatusCode::UNAUTHORIZED, message)
    }

    fn full(
        status: StatusCode,
        message: impl Into<String>,
        next_step: &str,
        kind: ErrorType,
        code: &'static str,
    ) -> Self {
        Self { status, message: message.into(), detail: Some(ErrorDetail { next_step: next_step.into(), kind, code }) }
    }

    /// 400 `missing_params`.
    pub(crate) fn missing(message: Message) -> Self {
        Self::full(
            StatusCode::BAD_REQUEST,
            message.text,
            message.next_step,
            ErrorType::Validation,
            errors::MISSING_PARAMS,
        )
    }

    /// 400 `invalid_params`, with how to fix it.
    pub(crate) fn invalid(message: impl Into<String>, next_step: &str) -> Self {
        Self::full(StatusCode::BAD_REQUEST, message, next_step, ErrorType::Validation, errors::INVALID_PARAMS)
    }

    /// 400 `invalid_params` with one of Paystack's messages.
    pub(crate) fn refused(message: Message) -> Self {
        Self::invalid(message.text, message.next_step)
    }

    /// 400 "Duplicate Transaction Reference" exactly as Paystack's OAS example.
    pub(crate) fn duplicate_reference() -> Self {
        let message = messages::DUPLICATE_REFERENCE;
        Self::full(
            StatusCode::BAD_REQUEST,
            message.text,
            message.next_step,
            ErrorType::Validation,
            errors::DUPLICATE_REFERENCE,
        )
    }

    /// A `not_found` error with the given HTTP status (Paystack uses 404 or, for verify, 400).
    pub(crate) fn not_found(status: StatusCode, message: Message) -> Self {
        Self::full(status, message.text, message.next_step, ErrorType::Validation, errors::NOT_FOUND)
    }

    /// 429 with docs/paystack-api.md §2.5's body.
    pub(crate) fn rate_limited() -> Self {
        let message = messages::RATE_LIMIT_EXCEEDED;
        Self::full(StatusCode::TOO_MANY_REQUESTS, message.text, message.next_step, ErrorType::Api, errors::RATE_LIMITED)
    }

    /// An injected server error.
    pub(crate) fn server(status: StatusCode) -> Self {
        let message = match status.as_u16() {
            502 => "Bad Gateway",
            503 => "Service Unavailable",
            504 => "Gateway Timeout",
            _ => "An error occurred while processing your request",
        };
        Self::full(status, message, "Try the API call again", ErrorType::Api, errors::UNKNOWN)
    }

    pub(crate) fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("status".into(), Value::Bool(false));
        body.insert("message".into(), Value::String(self.message.clone()));
        if let Some(detail) = &self.detail {
            body.insert("meta".into(), json!({"nextStep": detail.next_step}));
            body.insert("type".into(), Value::String(detail.kind.as_str().into()));
            body.insert("code".into(), Value::String(detail.code.into()));
        }
        Value::Object(body)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

/// A refusal by the state as Paystack answers it.
impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::DuplicateReference => ApiError::duplicate_reference(),
            Refusal::AuthorizationInvalid => ApiError::refused(messages::AUTHORIZATION_CODE_INVALID),
            Refusal::EmailDoesNotMatchAuthorization => ApiError::refused(messages::EMAIL_DOES_NOT_MATCH_AUTHORIZATION),
            Refusal::CustomerNotFound => ApiError::plain(StatusCode::BAD_REQUEST, messages::CUSTOMER_NOT_FOUND),
            Refusal::ReferenceNotFound => ApiError::not_found(StatusCode::NOT_FOUND, messages::REFERENCE_NOT_FOUND),
            Refusal::NotAwaitingPayment { reference } => ApiError::plain(
                StatusCode::CONFLICT,
                format!("Transaction {reference} is not an initialized transaction awaiting payment"),
            ),
            Refusal::BatchComplete => ApiError::invalid(
                "Bulk charge batch has already been completed",
                "Only active or paused batches can be paused or resumed",
            ),
            Refusal::TransactionNotFound => ApiError::not_found(StatusCode::NOT_FOUND, messages::TRANSACTION_NOT_FOUND),
            Refusal::RefundNotSuccessful => ApiError::refused(messages::REFUND_TRANSACTION_NOT_SUCCESSFUL),
            Refusal::FullyReversed => ApiError::refused(messages::TRANSACTION_FULLY_REVERSED),
            Refusal::RefundExceedsBalance { .. } => ApiError::refused(messages::REFUND_AMOUNT_EXCEEDS_BALANCE),
            Refusal::RefundCurrencyMismatch => ApiError::refused(messages::REFUND_CURRENCY_MISMATCH),
            Refusal::RefundBelowMinimum => ApiError::refused(messages::REFUND_BELOW_USD_MINIMUM),
            Refusal::RefundNotFound => ApiError::not_found(StatusCode::NOT_FOUND, messages::REFUND_NOT_FOUND),
            Refusal::RefundNotNeedsAttention => ApiError::full(
                StatusCode::UNPROCESSABLE_ENTITY,
                messages::REFUND_NOT_NEEDS_ATTENTION.text,
                messages::REFUND_NOT_NEEDS_ATTENTION.next_step,
                ErrorType::Validation,
                errors::INVALID_PARAMS,
            ),
            Refusal::RefundFinal { status } => {
                ApiError::plain(StatusCode::CONFLICT, format!("Refund is already {status}"))
            }
        }
    }
}

/// The result of a handler.
pub(crate) type ApiResult = Result<Response, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_forms() {
        assert_eq!(ApiError::unauthorized("Invalid key").body(), json!({"status": false, "message": "Invalid key"}));
        assert_eq!(
            ApiError::missing(messages::EMAIL_REQUIRED).body(),
            json!({"status": false, "message": "Email Address is required",
                   "meta": {"nextStep": "Provide all required params "},
                   "type": "validation_error", "code": "missing_params"})
        );
        let body = ApiError::duplicate_reference().body();
        assert_eq!(body["code"], "duplicate_reference");
        assert_eq!(body["meta"]["nextStep"], "Try and create the Transaction or Charge with a new reference");
    }
}
