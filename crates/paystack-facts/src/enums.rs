//! The fixed sets of values Paystack's parameters and objects take.

/// The currencies a Paystack integration can be enabled for (docs/paystack-api.md §2.2): the OAS
/// `Currency` enum (NGN, GHS, ZAR, KES, USD) and the newer XOF, EGP and RWF that Paystack's SDK
/// enums list. A currency outside an integration's enabled set is refused by Paystack with
/// "Currency not supported by merchant"; which currencies an integration has is its state, not a
/// fact about the API, so the client accepts all of these and the sandbox enables all of them.
pub const CURRENCIES: &[&str] = &["NGN", "GHS", "ZAR", "KES", "USD", "XOF", "EGP", "RWF"];

/// The currency of a request that names none.
pub const DEFAULT_CURRENCY: &str = "NGN";

/// Currencies partial debit is seen to accept ("Currency GHS is not supported for Partial Debit",
/// docs/paystack-api.md T10). A merchant setting, so the client does not check it.
pub const PARTIAL_DEBIT_CURRENCIES: &[&str] = &["NGN", "ZAR"];

/// Every transaction status (docs/paystack-api.md §4, [DOC-VERIFY]).
pub const TRANSACTION_STATUSES: &[&str] =
    &["abandoned", "failed", "ongoing", "pending", "processing", "queued", "reversed", "success"];

/// The `status` filter of GET /transaction (docs/paystack-api.md T3; `reversed` from the OAS).
pub const TRANSACTION_LIST_STATUSES: &[&str] = &["success", "failed", "abandoned", "reversed"];

/// The `status` filter of GET /transaction/export (docs/paystack-api.md T9).
pub const TRANSACTION_EXPORT_STATUSES: &[&str] = &["success", "failed", "abandoned", "reversed", "all"];

/// A batch's status, and the `status` filter of GET /bulkcharge (docs/paystack-api.md §3.2, §3.6).
pub const BATCH_STATUSES: &[&str] = &["active", "paused", "complete"];

/// The `status` filter of GET /bulkcharge/{id_or_code}/charges (docs/paystack-api.md §3.4: the
/// docs list pending, success, failed; the OAS adds error and inactive_authorization).
pub const CHARGE_STATUSES: &[&str] = &["pending", "success", "failed", "error", "inactive_authorization"];

/// A settlement's status, and the `status` filter of GET /settlement (docs/paystack-api.md §8.1).
pub const SETTLEMENT_STATUSES: &[&str] = &["success", "processing", "pending", "failed"];

/// The `subaccount` filter's value for the main account's settlements only (docs/paystack-api.md §8.1).
pub const SETTLEMENT_MAIN_ACCOUNT: &str = "none";

/// A refund's status (docs/paystack-api.md §8.3: the objects and the `refund.*` events).
pub const REFUND_STATUSES: &[&str] = &["pending", "processing", "processed", "failed", "needs-attention"];

/// The currencies `POST /refund` takes (docs/paystack-api.md §8.3: the OAS `RefundCreate` enum).
pub const REFUND_CURRENCIES: &[&str] = &["GHS", "KES", "NGN", "USD", "ZAR"];

/// The payment channels `initialize` accepts (docs/paystack-api.md T1).
pub const CHANNELS: &[&str] =
    &["card", "bank", "apple_pay", "ussd", "qr", "mobile_money", "bank_transfer", "eft", "payattitude"];

/// Who bears the transaction charge (docs/paystack-api.md T1; default `account`).
pub const BEARERS: &[&str] = &["account", "subaccount"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_subsets_of_the_statuses() {
        for status in
            TRANSACTION_LIST_STATUSES.iter().chain(TRANSACTION_EXPORT_STATUSES.iter().filter(|s| **s != "all"))
        {
            assert!(TRANSACTION_STATUSES.contains(status), "{status}");
        }
        assert!(CURRENCIES.contains(&DEFAULT_CURRENCY));
        assert!(PARTIAL_DEBIT_CURRENCIES.iter().all(|c| CURRENCIES.contains(c)));
        assert!(CURRENCIES.iter().all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
        assert!(REFUND_CURRENCIES.iter().all(|c| CURRENCIES.contains(c)));
    }
}
