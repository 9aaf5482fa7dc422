//! The integration's refunds (docs/paystack-api.md §8.3) and the pace they go at
//! (docs/sandbox.md, "Refunds"): `pending` when created, `processing` an hour later, `processed`
//! a day after creation (`expected_at`); then deducted from the next settlements in the refund's
//! currency until `fully_deducted`.

use std::collections::HashMap;
use std::ops::{Index, IndexMut};

use crate::clock::{MS_PER_DAY, MS_PER_HOUR};
use crate::ids::IdGen;

/// From creation to `processing`.
pub(crate) const PROCESSING_AFTER: i64 = MS_PER_HOUR;
/// From creation to `processed` (and `expected_at`).
pub(crate) const PROCESSED_AFTER: i64 = MS_PER_DAY;

/// Who the sandbox says refunded (`refunded_by`; Paystack shows the dashboard user's email).
pub(crate) const REFUNDED_BY: &str = "sandbox@paystack-rs.test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefundStatus {
    Pending,
    Processing,
    Processed,
    Failed,
    NeedsAttention,
}

impl RefundStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Pending => "pending",
            RefundStatus::Processing => "processing",
            RefundStatus::Processed => "processed",
            RefundStatus::Failed => "failed",
            RefundStatus::NeedsAttention => "needs-attention",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [Self::Pending, Self::Processing, Self::Processed, Self::Failed, Self::NeedsAttention]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Refund {
    pub id: u64,
    /// The refunded transaction (an index).
    pub transaction: usize,
    pub amount: u64,
    pub currency: String,
    pub status: RefundStatus,
    pub customer_note: String,
    pub merchant_note: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub expected_at: i64,
    /// When it was processed.
    pub refunded_at: Option<i64>,
    /// When it next moves on its own (`None`: final, or waiting for the merchant).
    pub next_change: Option<i64>,
    /// `TRF_…` once processed (the events' `refund_reference`).
    pub refund_reference: Option<String>,
    /// How much of it settlements have taken so far.
    pub deducted_amount: u64,
    /// The last settlement that took some of it (an index).
    pub settlement: Option<usize>,
}

impl Refund {
    pub(crate) fn fully_deducted(&self) -> bool {
        self.deducted_amount >= self.amount
    }

    /// Whether it counts against what is left to refund on its transaction (a failed one does not).
    pub(crate) fn holds_amount(&self) -> bool {
        self.status != RefundStatus::Failed
    }
}

#[derive(Debug, Default)]
pub(crate) struct Refunds {
    all: Vec<Refund>,
    by_id: HashMap<u64, usize>,
    /// Refunds of each transaction (by transaction index), oldest first.
    by_transaction: HashMap<usize, Vec<usize>>,
    /// Refunds that will still move on their own.
    pub moving: Vec<usize>,
    /// Processed refunds not yet fully deducted, oldest first.
    pub to_deduct: Vec<usize>,
    last_id: u64,
}

impl Refunds {
    pub(crate) fn next_id(&mut self, ids: &mut IdGen) -> u64 {
        if self.last_id == 0 {
            self.last_id = 3_000_000;
        }
        self.last_id += ids.range(1, 97);
        self.last_id
    }

    pub(crate) fn insert(&mut self, refund: Refund) -> usize {
        let index = self.all.len();
        self.by_id.insert(refund.id, index);
        self.by_transaction.entry(refund.transaction).or_default().push(index);
        if refund.next_change.is_some() {
            self.moving.push(index);
        }
        self.all.push(refund);
        index
    }

    pub(crate) fn by_id(&self, id: u64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// The refunds of a transaction, oldest first.
    pub(crate) fn of_transaction(&self, transaction: usize) -> &[usize] {
        self.by_transaction.get(&transaction).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn len(&self) -> usize {
        self.all.len()
    }
}

impl Index<usize> for Refunds {
    type Output = Refund;
    fn index(&self, index: usize) -> &Refund {
        &self.all[index]
    }
}

impl IndexMut<usize> for Refunds {
    fn index_mut(&mut self, index: usize) -> &mut Refund {
        &mut self.all[index]
    }
}
