//! Settling (docs/sandbox.md, "Settlements"): each morning the previous days' successful
//! transactions are paid out, one settlement per currency, less fees and less what processed
//! refunds still owe; then each settlement goes `pending` → `processing` → `success`.
//!
//! The arithmetic (docs/paystack-api.md §8.1): `total_processed` is the sum of the transactions'
//! amounts, `total_fees` the sum of their fees, `total_amount = total_processed − total_fees`,
//! `deductions` the sum taken for refunds (never more than `total_amount`), `effective_amount =
//! total_amount − deductions`.

use std::collections::BTreeMap;

use super::IntegrationState;
use super::outbox::Event;
use super::settlements::{Settlement, SettlementStatus};
use crate::clock::{MS_PER_DAY, day_start};

impl IntegrationState {
    /// A transaction has just been paid: it raises `charge.success` and waits to be settled.
    pub(crate) fn paid(&mut self, transaction: usize) {
        self.settlements.unsettled.push(transaction);
        self.outbox.raise(Event::ChargeSucceeded { transaction });
    }

    /// The morning run at `self.now`: every successful transaction paid before today and not yet
    /// settled is settled, one settlement per currency, and processed refunds are deducted.
    pub(crate) fn run_settlements(&mut self) {
        let now = self.now;
        let today = day_start(now);
        let mut by_currency: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut later = Vec::new();
        for tx in std::mem::take(&mut self.settlements.unsettled) {
            match self.transactions[tx].paid_at {
                Some(paid) if paid < today => {
                    by_currency.entry(self.transactions[tx].currency.clone()).or_default().push(tx);
                }
                _ => later.push(tx),
            }
        }
        self.settlements.unsettled = later;
        for (currency, transactions) in by_currency {
            let id = self.settlements.next_id(&mut self.ids);
            let index = self.settlements.len();
            let total_processed = transactions.iter().map(|t| self.transactions[*t].amount).sum();
            let total_fees = transactions.iter().map(|t| self.transactions[*t].fees.unwrap_or(0)).sum();
            for tx in &transactions {
                self.transactions[*tx].settlement = Some(index);
            }
            let mut settlement = Settlement {
                id,
                currency,
                status: SettlementStatus::Pending,
                settlement_date: today,
                transactions,
                total_processed,
                total_fees,
                deducted: Vec::new(),
                created_at: now,
                updated_at: now,
            };
            self.deduct_refunds(&mut settlement, index);
            self.settlements.insert(settlement);
        }
        self.settlements.next_run = today + MS_PER_DAY + super::settlements::CREATED_AFTER_MIDNIGHT;
    }

    /// Takes what processed refunds in the settlement's currency still owe, oldest first, until
    /// the settlement's `total_amount` is used up; a refund only partly covered waits for the next.
    fn deduct_refunds(&mut self, settlement: &mut Settlement, index: usize) {
        let mut room = settlement.total_amount();
        let mut still_owing = Vec::new();
        for refund_index in std::mem::take(&mut self.refunds.to_deduct) {
            let refund = &mut self.refunds[refund_index];
            if refund.currency != settlement.currency || room == 0 {
                still_owing.push(refund_index);
                continue;
            }
            let take = (refund.amount - refund.deducted_amount).min(room);
            refund.deducted_amount += take;
            refund.settlement = Some(index);
            refund.updated_at = self.now;
            room -= take;
            settlement.deducted.push((refund_index, take));
            if !refund.fully_deducted() {
                still_owing.push(refund_index);
            }
        }
        self.refunds.to_deduct = still_owing;
    }

    /// The settlement whose next status is due first, and when.
    pub(crate) fn next_settlement_change(&self) -> Option<(i64, usize)> {
        self.settlements.open.iter().filter_map(|s| self.settlements[*s].next_change().map(|at| (at, *s))).min()
    }

    /// Moves a settlement to its next status at `self.now`.
    pub(crate) fn advance_settlement(&mut self, index: usize) {
        let settlement = &mut self.settlements[index];
        settlement.status = match settlement.status {
            SettlementStatus::Pending => SettlementStatus::Processing,
            SettlementStatus::Processing | SettlementStatus::Success => SettlementStatus::Success,
        };
        settlement.updated_at = self.now;
        if settlement.status == SettlementStatus::Success {
            self.settlements.open.retain(|s| *s != index);
        }
    }
}
