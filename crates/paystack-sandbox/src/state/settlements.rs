//! The integration's settlements (payouts to its bank account, docs/paystack-api.md §8.1) and
//! the schedule they follow (docs/sandbox.md, "Settlements").
//!
//! The schedule: the successful transactions of a UTC day settle the next day, one settlement
//! per currency, created `pending` at 01:00 UTC, `processing` at 04:00 and `success` at 09:00
//! (Paystack's sample: paid 1 September, settlement dated 2 September, created about 01:00 and
//! updated between 04:00 and 10:00). `settlement_date` is that day's midnight.

use std::collections::HashMap;
use std::ops::{Index, IndexMut};

use crate::clock::{MS_PER_DAY, MS_PER_HOUR, day_start};
use crate::ids::IdGen;

/// When, after midnight UTC, a day's settlements are created.
pub(crate) const CREATED_AFTER_MIDNIGHT: i64 = MS_PER_HOUR;
/// When, after midnight UTC, they start processing.
pub(crate) const PROCESSING_AFTER_MIDNIGHT: i64 = 4 * MS_PER_HOUR;
/// When, after midnight UTC, they are paid (`success`).
pub(crate) const PAID_AFTER_MIDNIGHT: i64 = 9 * MS_PER_HOUR;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SettlementStatus {
    Pending,
    Processing,
    Success,
}

impl SettlementStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SettlementStatus::Pending => "pending",
            SettlementStatus::Processing => "processing",
            SettlementStatus::Success => "success",
        }
    }
}

/// One payout: a day's successful transactions in one currency, less fees and deductions.
#[derive(Debug, Clone)]
pub(crate) struct Settlement {
    pub id: u64,
    pub currency: String,
    pub status: SettlementStatus,
    /// Midnight UTC of the day it is paid.
    pub settlement_date: i64,
    /// The transactions it pays out (indices), oldest first.
    pub transactions: Vec<usize>,
    /// Sum of their amounts.
    pub total_processed: u64,
    /// Sum of their fees.
    pub total_fees: u64,
    /// What was taken from it for refunds: (refund index, amount), in the order taken.
    pub deducted: Vec<(usize, u64)>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Settlement {
    /// `total_processed − total_fees`.
    pub(crate) fn total_amount(&self) -> u64 {
        self.total_processed.saturating_sub(self.total_fees)
    }

    /// The sum of what refunds took from it.
    pub(crate) fn deductions(&self) -> u64 {
        self.deducted.iter().map(|(_, amount)| amount).sum()
    }

    /// `total_amount − deductions`: what reaches the bank.
    pub(crate) fn effective_amount(&self) -> u64 {
        self.total_amount().saturating_sub(self.deductions())
    }

    /// When its next status is due, if it has one to go.
    pub(crate) fn next_change(&self) -> Option<i64> {
        match self.status {
            SettlementStatus::Pending => Some(self.settlement_date + PROCESSING_AFTER_MIDNIGHT),
            SettlementStatus::Processing => Some(self.settlement_date + PAID_AFTER_MIDNIGHT),
            SettlementStatus::Success => None,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Settlements {
    all: Vec<Settlement>,
    by_id: HashMap<u64, usize>,
    /// Settlements not yet `success`.
    pub open: Vec<usize>,
    /// Successful transactions not yet in a settlement, in the order they were paid.
    pub unsettled: Vec<usize>,
    /// When the next day's settlements are made.
    pub next_run: i64,
    last_id: u64,
}

impl Settlements {
    /// No settlements; the first run is the morning after `now`.
    pub(crate) fn new(now: i64) -> Self {
        Self {
            all: Vec::new(),
            by_id: HashMap::new(),
            open: Vec::new(),
            unsettled: Vec::new(),
            next_run: day_start(now) + MS_PER_DAY + CREATED_AFTER_MIDNIGHT,
            last_id: 3_100_000,
        }
    }

    pub(crate) fn next_id(&mut self, ids: &mut IdGen) -> u64 {
        self.last_id += ids.range(1, 97);
        self.last_id
    }

    pub(crate) fn insert(&mut self, settlement: Settlement) -> usize {
        let index = self.all.len();
        self.by_id.insert(settlement.id, index);
        if settlement.status != SettlementStatus::Success {
            self.open.push(index);
        }
        self.all.push(settlement);
        index
    }

    pub(crate) fn by_id(&self, id: u64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.all.len()
    }
}

impl Index<usize> for Settlements {
    type Output = Settlement;
    fn index(&self, index: usize) -> &Settlement {
        &self.all[index]
    }
}

impl IndexMut<usize> for Settlements {
    fn index_mut(&mut self, index: usize) -> &mut Settlement {
        &mut self.all[index]
    }
}
