//! The messages Paystack answers with, and the `meta.nextStep` that goes with each in its full
//! error form. Sources: the samples and the OAS (docs/paystack-api.md §2–§4) and Paystack's list
//! of API errors (`tests/data/paystack/spec/api-errors.json`, whose `solution` is the next step).

/// A message and the advice Paystack gives with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Message {
    pub text: &'static str,
    /// `meta.nextStep` in the full error form.
    pub next_step: &'static str,
}

const fn message(text: &'static str, next_step: &'static str) -> Message {
    Message { text, next_step }
}

// Authentication (docs/paystack-api.md §2.1): always the minimal form, HTTP 401.

pub const NO_AUTHORIZATION_HEADER: &str = "No Authorization Header was found";
pub const AUTHORIZATION_FORMAT: &str = "Format is Authorization Bearer [secret key]";
pub const INVALID_KEY: &str = "Invalid key";

// Request parameters.

/// The next step of every `missing_params` error (trailing space included, as Paystack sends it).
pub const MISSING_PARAMS_NEXT_STEP: &str = "Provide all required params ";

pub const EMAIL_REQUIRED: Message = message("Email Address is required", MISSING_PARAMS_NEXT_STEP);
pub const INVALID_EMAIL: Message =
    message("Invalid Email Address Passed", "Ensure that the email follows the format: \"username@example.com\"");
pub const INVALID_AMOUNT: Message =
    message("Invalid Amount Sent", "Ensure the amount is an integer greater than 0, in the currency's subunit");
pub const AMOUNT_NOT_INTEGER: Message = message(
    "Amount must be an integer",
    "Ensure that you're passing your amount correctly. It should be a number greater than zero, with no decimals",
);
pub const AMOUNT_NOT_POSITIVE: Message =
    message("You must specify a valid amount", "Ensure the amount is an integer greater than 0");
pub const AMOUNT_LIMIT_EXCEEDED: Message =
    message("Transaction amount limit exceeded", "You'll need to re-initialize the transaction with lower amount");
pub const INVALID_REFERENCE_CHARACTER: Message = message(
    "Invalid character in transaction reference",
    "Ensure that you aren't using any characters that aren't alphanumeric or contained in \"-,., =\" in your transaction reference",
);
pub const CURRENCY_NOT_SUPPORTED: Message = message(
    "Currency not supported by merchant",
    "Ensure you're passing the currency code for a currency enabled on your integration",
);
pub const AUTHORIZATION_CODE_REQUIRED: Message = message("Authorization code is required", MISSING_PARAMS_NEXT_STEP);
pub const AT_LEAST_ABOVE_AMOUNT: Message = message(
    "at_least cannot be greater than amount",
    "Ensure that the value you're passing for at_least is less than the amount value.",
);
/// `from` is not a date (docs/paystack-api.md §2.4).
pub const INVALID_FROM_DATE: Message =
    message("Invalid 'from' date", "Ensure you're passing the 'from' parameter in ISO 8601 format");
/// `to` is not a date.
pub const INVALID_TO_DATE: Message =
    message("Invalid 'to' date", "Ensure you're passing the 'to' parameter in ISO 8601 format");

/// Partial debit in a currency the merchant cannot use for it (docs/paystack-api.md T10).
pub fn partial_debit_currency_unsupported(currency: &str) -> String {
    format!("Currency {currency} is not supported for Partial Debit")
}
pub const PARTIAL_DEBIT_CURRENCY_NEXT_STEP: &str = "Use a currency enabled for Partial Debit";

// State: what the integration holds decides these.

pub const DUPLICATE_REFERENCE: Message =
    message("Duplicate Transaction Reference", "Try and create the Transaction or Charge with a new reference");
pub const AUTHORIZATION_CODE_INVALID: Message =
    message("Authorization code is invalid", "Use a valid authorization code by generating a new one");
pub const EMAIL_DOES_NOT_MATCH_AUTHORIZATION: Message = message(
    "Email does not match Authorization code. Authorization may be inactive or belong to a different email. Please confirm.",
    "Verify that the authorization code being passed belongs to the email address you're passing",
);
/// Partial debit for an email the integration has no customer for (docs/paystack-api.md T10).
pub const CUSTOMER_NOT_FOUND: &str = "Customer not found";
pub const INSUFFICIENT_FUNDS: &str = "Insufficient Funds";

// Not found.

/// Verify of an unknown reference: HTTP 400, as observed (docs/paystack-api.md T2).
pub const REFERENCE_NOT_FOUND: Message = message(
    "Transaction reference not found.",
    "Ensure that you're passing the reference of a transaction that exists on this integration",
);
/// Fetch with a non-numeric id, and `/transaction/verify/` with no reference (T2, T4).
pub const TRANSACTION_ID_NOT_NUMERIC: Message = message(
    "Transaction ID should be numeric.",
    "Transaction IDs will always be numeric values. Verify that you're passing the transaction ID, and not reference",
);
pub const TRANSACTION_NOT_FOUND: Message = message(
    "Transaction not found",
    "Ensure that you're passing the id of a transaction that exists on this integration",
);
/// Timeline of an unknown id or reference (docs/paystack-api.md T7): the minimal form.
pub const TIMELINE_NOT_FOUND: &str = "Transaction ID or reference is invalid";
/// An unknown batch: HTTP 404 (docs/paystack-api.md §3.3).
pub const BULK_CHARGE_NOT_FOUND: Message = message(
    "Bulk charge code not found",
    "Ensure that you're passing the correct reference for the requested resource that exists on this integration",
);

// Settlements and refunds (docs/paystack-api.md §8).

/// An unknown settlement id (the sandbox's wording; Paystack documents only a 404).
pub const SETTLEMENT_NOT_FOUND: Message = message(
    "Settlement not found",
    "Ensure that you're passing the id of a settlement that exists on this integration",
);
/// An unknown refund id (the sandbox's wording; Paystack documents only a 404).
pub const REFUND_NOT_FOUND: Message =
    message("Refund not found", "Ensure that you're passing the id of a refund that exists on this integration");
/// POST /refund without `transaction`.
pub const REFUND_TRANSACTION_REQUIRED: Message =
    message("Transaction reference or id is required", MISSING_PARAMS_NEXT_STEP);
/// A refund of a transaction already refunded in full: Paystack's documented error
/// (`tests/data/paystack/spec/api-errors.json`, tag Refund).
pub const TRANSACTION_FULLY_REVERSED: Message = message(
    "Transaction has been fully reversed",
    "Let the customer know that the refund should get to their account soon.",
);
/// A refund larger than what is left to refund (wording assumed: Paystack documents the rule,
/// "Amount cannot be more than the original transaction amount", not the message).
pub const REFUND_AMOUNT_EXCEEDS_BALANCE: Message = message(
    "Refund amount cannot be more than the amount left to refund on the transaction",
    "Ensure the amount is not more than the transaction amount less what has been refunded",
);
/// A refund of a transaction that was never paid (wording assumed).
pub const REFUND_TRANSACTION_NOT_SUCCESSFUL: Message = message(
    "Only successful transactions can be refunded",
    "Ensure that you're passing the reference or id of a successful transaction",
);
/// A refund in a currency other than the transaction's (wording assumed).
pub const REFUND_CURRENCY_MISMATCH: Message = message(
    "Refund currency must be the transaction's currency",
    "Leave currency out or pass the currency the transaction was paid in",
);
/// `Cannot refund less than USD 1` (api-errors.json, tag Refund): 100 cents.
pub const REFUND_BELOW_USD_MINIMUM: Message =
    message("Cannot refund less than USD 1", "Increase refund amount to USD 1 and above");
/// The smallest USD refund, in cents.
pub const REFUND_USD_MINIMUM: u64 = 100;
/// Retry with customer details of a refund that does not need attention: HTTP 422, Paystack's
/// sample (`samples/api/refunds/retry`).
pub const REFUND_NOT_NEEDS_ATTENTION: Message = message(
    "Invalid Refund state, refund status should be \"needs-attention\"",
    "Ensure that the value(s) you're passing are valid.",
);

// Paystack's side.

/// HTTP 429 (docs/paystack-api.md §2.5).
pub const RATE_LIMIT_EXCEEDED: Message =
    message("Rate limit exceeded!", "Wait a few minutes and try the API call again");
