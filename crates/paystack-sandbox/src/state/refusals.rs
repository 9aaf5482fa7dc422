//! The requests the state refuses because of what the integration holds, not because of their
//! shape: each is one of Paystack's documented answers (docs/paystack-api.md §2.3, T5, T10, §8.3) or,
//! for the control API, the sandbox's own. A client cannot catch these before sending.

/// Why a state change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The reference is taken (also a reference repeated within one batch).
    DuplicateReference,
    /// No reusable authorization with that code.
    AuthorizationInvalid,
    /// The authorization belongs to another customer.
    EmailDoesNotMatchAuthorization,
    /// partial_debit for an email the integration has no customer for.
    CustomerNotFound,
    /// Control API: no transaction with that reference.
    ReferenceNotFound,
    /// Control API: the transaction is not an initialized one awaiting payment.
    NotAwaitingPayment { reference: String },
    /// Pause or resume of a batch that has completed.
    BatchComplete,
    /// A refund of a transaction the integration does not have.
    TransactionNotFound,
    /// A refund of a transaction that is not `success`.
    RefundNotSuccessful,
    /// A refund of a transaction already refunded in full.
    FullyReversed,
    /// A refund larger than what is left to refund.
    RefundExceedsBalance { left: u64 },
    /// A refund in another currency than its transaction's.
    RefundCurrencyMismatch,
    /// A USD refund under USD 1.
    RefundBelowMinimum,
    /// No refund with that id.
    RefundNotFound,
    /// Retry of a refund not in `needs-attention`.
    RefundNotNeedsAttention,
    /// Control API: the refund has already reached a final status.
    RefundFinal { status: &'static str },
}
