//! The `type` and `code` of Paystack's full error form (docs/paystack-api.md §2.1):
//! `{"status": false, "message", "meta": {"nextStep"}, "type", "code"}`.

/// `type` of a request Paystack refused for its content.
pub const VALIDATION_ERROR: &str = "validation_error";
/// `type` of a refusal by the processor.
pub const PROCESSOR_ERROR: &str = "processor_error";
/// `type` of Paystack's own failures and of rate limiting.
pub const API_ERROR: &str = "api_error";

/// `code`: a required parameter is missing.
pub const MISSING_PARAMS: &str = "missing_params";
/// `code`: a parameter is malformed.
pub const INVALID_PARAMS: &str = "invalid_params";
/// `code`: the reference is taken ("Duplicate Transaction Reference").
pub const DUPLICATE_REFERENCE: &str = "duplicate_reference";
/// `code`: no such resource on this integration.
pub const NOT_FOUND: &str = "not_found";
/// `code`: over the quota (HTTP 429).
pub const RATE_LIMITED: &str = "rate_limited";
/// `code`: anything else.
pub const UNKNOWN: &str = "unknown";
