//! The records an integration keeps: customers, authorizations, transactions, batches and their
//! charges, and the integration's settings.

use std::collections::VecDeque;

use serde_json::Value;

use super::card_behaviour::{ChargeResult, Funds, fee};

#[derive(Debug, Clone)]
pub(crate) struct Customer {
    pub id: u64,
    pub code: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub international_format_phone: Option<String>,
    pub metadata: Option<Value>,
    pub created_at: i64,
}

/// A reusable card authorization and the rules its charges follow.
#[derive(Debug, Clone)]
pub(crate) struct Authorization {
    pub code: String,
    pub customer: usize,
    pub bin: String,
    pub last4: String,
    pub exp_month: String,
    pub exp_year: String,
    pub card_type: String,
    pub bank: String,
    pub brand: String,
    pub signature: String,
    pub account_name: Option<String>,
    /// Where the card was issued (ISO 3166 alpha-2): local or international for the fee.
    pub country_code: String,
    pub reusable: bool,
    pub funds: Funds,
    /// Whether it was seeded (listed as a fixture).
    pub fixture: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TxStatus {
    /// Initialized, not paid ("The customer hasn't completed the transaction").
    Abandoned,
    /// A bulk charge waiting for the engine ("Only possible on bulk charge transactions").
    Queued,
    Success,
    Failed,
}

impl TxStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TxStatus::Abandoned => "abandoned",
            TxStatus::Queued => "queued",
            TxStatus::Success => "success",
            TxStatus::Failed => "failed",
        }
    }
}

/// Which API created a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    Initialize,
    ChargeAuthorization,
    PartialDebit,
    BulkCharge { batch: usize },
}

impl Origin {
    /// `source.entry_point` as Paystack reports it.
    pub(crate) fn entry_point(&self) -> &'static str {
        match self {
            Origin::Initialize => "transaction_initialize",
            _ => "charge",
        }
    }
}

/// One step of a transaction's timeline.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// `action`, `success`, `error`, `input` or `auth`.
    pub kind: &'static str,
    pub message: String,
    pub at: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct Transaction {
    pub id: u64,
    pub reference: String,
    pub status: TxStatus,
    /// What was (or will be) charged.
    pub amount: u64,
    /// What the merchant asked for (differs after a partial debit).
    pub requested_amount: u64,
    pub currency: String,
    pub gateway_response: String,
    pub ip_address: Option<String>,
    pub metadata: Option<Value>,
    pub fees: Option<u64>,
    pub customer: usize,
    pub authorization: Option<String>,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub origin: Origin,
    pub steps: Vec<Step>,
    pub access_code: Option<String>,
    pub callback_url: Option<String>,
    /// Checkout-completed transactions carry a `log` object; API charges report `log: null`.
    pub checkout_log: bool,
    /// The settlement that paid it out (an index into the settlements), once settled.
    pub settlement: Option<usize>,
}

impl Transaction {
    /// Applies one charge attempt. `last` is false for a bulk attempt that will be retried: the
    /// transaction stays queued.
    /// `card_country` is where the card was issued, for the fee (docs/paystack-api.md §8.4).
    pub(crate) fn settle(&mut self, result: &ChargeResult, last: bool, now: i64, card_country: &str) {
        self.steps.push(Step { kind: "action", message: "Attempted to charge authorization".into(), at: now });
        match result {
            ChargeResult::Approved { amount } => {
                self.status = TxStatus::Success;
                self.amount = *amount;
                self.gateway_response = "Approved".into();
                self.paid_at = Some(now);
                self.fees = Some(fee(*amount, &self.currency, card_country));
                self.steps.push(Step {
                    kind: "success",
                    message: "Successfully charged authorization".into(),
                    at: now,
                });
            }
            ChargeResult::Declined { gateway_response } => {
                self.steps.push(Step { kind: "error", message: format!("Error: {gateway_response}"), at: now });
                self.gateway_response = gateway_response.clone();
                if last {
                    self.status = TxStatus::Failed;
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BatchStatus {
    Active,
    Paused,
    Complete,
}

impl BatchStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Active => "active",
            BatchStatus::Paused => "paused",
            BatchStatus::Complete => "complete",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Batch {
    pub id: u64,
    pub code: String,
    pub reference: String,
    pub status: BatchStatus,
    pub created_at: i64,
    pub updated_at: i64,
    /// Indices into `Batches::charges`, in submission order.
    pub charges: Vec<usize>,
    /// Charges waiting to be (re)tried, front first.
    pub queue: VecDeque<usize>,
    /// When the engine may process this batch's next charge (Unix milliseconds, clock time).
    pub next_due: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChargeStatus {
    Pending,
    Success,
    Failed,
}

impl ChargeStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ChargeStatus::Pending => "pending",
            ChargeStatus::Success => "success",
            ChargeStatus::Failed => "failed",
        }
    }
}

/// One charge of a batch.
#[derive(Debug, Clone)]
pub(crate) struct BulkCharge {
    pub id: u64,
    pub batch: usize,
    pub customer: usize,
    pub authorization: String,
    pub amount: u64,
    pub at_least: Option<u64>,
    pub attempt_partial_debit: bool,
    pub status: ChargeStatus,
    pub message: String,
    pub attempts: u32,
    pub transaction: usize,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Per-integration settings changeable through `PUT /_sandbox/config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub process_interval_ms: u64,
    pub webhook_url: Option<String>,
    pub webhook_retry_interval_ms: u64,
    pub webhook_max_attempts: u32,
    pub webhook_timeout_ms: u64,
    /// How long a checkout stays open after initialize, in milliseconds (0: no limit).
    pub payment_session_timeout_ms: u64,
}
