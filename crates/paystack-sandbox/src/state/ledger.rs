//! The ledger: what really happened to money, one entry per state change that charged, tried to
//! charge or changed a batch, for tests that must prove a retried POST charged once.

use super::records::Transaction;

/// One thing that happened.
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

/// The entries, oldest first, numbered from 1.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    entries: Vec<LedgerEntry>,
    seq: u64,
}

impl Ledger {
    pub(crate) fn push(&mut self, mut entry: LedgerEntry) {
        self.seq += 1;
        entry.seq = self.seq;
        self.entries.push(entry);
    }

    /// An entry about `tx` as it stands: its reference, amount and gateway response.
    pub(crate) fn record(
        &mut self,
        operation: &'static str,
        tx: &Transaction,
        batch_code: Option<String>,
        attempt: Option<u32>,
        outcome: &str,
        at: i64,
    ) {
        self.push(LedgerEntry {
            seq: 0,
            at,
            operation,
            reference: tx.reference.clone(),
            amount: tx.amount,
            currency: tx.currency.clone(),
            outcome: outcome.into(),
            transaction_id: Some(tx.id),
            batch_code,
            attempt,
            gateway_response: (!tx.gateway_response.is_empty()).then(|| tx.gateway_response.clone()),
        });
    }

    /// An entry about `tx` whose outcome is its status.
    pub(crate) fn record_status(&mut self, operation: &'static str, tx: &Transaction, at: i64) {
        self.record(operation, tx, None, None, tx.status.as_str(), at);
    }

    pub(crate) fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// Forgets the entries; numbering goes on.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}
