//! The records an integration keeps: customers, authorizations, transactions, batches and their
//! charges, and the ledger / webhook-delivery logs a tester reads.

use std::collections::VecDeque;

use axum::body::Bytes;
use serde_json::Value;
use tokio::time::Instant;

use crate::outcomes::Funds;

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
    /// Indices into `IntegrationState::charges`, in submission order.
    pub charges: Vec<usize>,
    /// Charges waiting to be (re)tried, front first.
    pub queue: VecDeque<usize>,
    /// When the engine may process this batch's next charge.
    pub next_due: Instant,
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

/// What really happened, for tests that must prove a retried POST charged once.
#[derive(Debug, Clone)]
pub(crate) struct LedgerEntry {
    pub seq: u64,
    pub at: i64,
    /// e.g. `transaction.charge_authorization`, `bulkcharge.charge`, `bulkcharge.pause`.
    pub operation: &'static str,
    pub reference: String,
    pub amount: u64,
    pub currency: String,
    /// e.g. `success`, `failed`, `abandoned`, `retry`, `active`, `paused`.
    pub outcome: String,
    pub transaction_id: Option<u64>,
    pub batch_code: Option<String>,
    pub attempt: Option<u32>,
    pub gateway_response: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct DeliveryAttempt {
    pub at: i64,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: u64,
}

/// One webhook event and its delivery attempts.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub id: u64,
    pub event: &'static str,
    pub reference: String,
    pub transaction_id: u64,
    pub url: String,
    pub created_at: i64,
    pub status: DeliveryStatus,
    pub attempts: Vec<DeliveryAttempt>,
    pub body: Bytes,
    pub signature: String,
}

/// A webhook to send once the state lock is released.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing {
    pub delivery_id: u64,
    pub url: String,
    pub body: Bytes,
    pub signature: String,
    pub settings: Settings,
}

/// Per-integration settings changeable through `PUT /_sandbox/config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    pub process_interval_ms: u64,
    pub webhook_url: Option<String>,
    pub webhook_retry_interval_ms: u64,
    pub webhook_max_attempts: u32,
    pub webhook_timeout_ms: u64,
}
