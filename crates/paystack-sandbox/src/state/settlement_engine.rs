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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::payments::ChargeRequest;
    use super::super::refund_engine::RefundRequest;
    use super::super::settlements::SettlementStatus;
    use super::super::{TEST_START, test_state};
    use super::*;
    use crate::clock::MS_PER_HOUR;

    fn pay(s: &mut IntegrationState, reference: &str, amount: u64) -> usize {
        s.charge(ChargeRequest::succeeding(reference, amount)).unwrap()
    }

    #[test]
    fn a_day_settles_the_next_morning_and_a_large_refund_is_deducted_over_two_settlements() {
        let mut s = test_state();
        let big = pay(&mut s, "big", 1_000_000);
        pay(&mut s, "small", 100_000);
        s.run_until(TEST_START + 15 * MS_PER_HOUR);
        assert_eq!(s.settlements.len(), 0, "nothing settles the same day");
        s.run_until(TEST_START + 16 * MS_PER_HOUR + 1);
        assert_eq!(s.settlements.len(), 1, "01:00 the next day");
        let first = &s.settlements[0];
        // 1.5% + NGN 100 on NGN 10,000; 1.5% alone on NGN 1,000 (under NGN 2,500).
        assert_eq!((first.total_processed, first.total_fees), (1_100_000, 25_000 + 1_500));
        assert_eq!(first.status, SettlementStatus::Pending);
        s.run_until(TEST_START + 24 * MS_PER_HOUR);
        assert_eq!(s.settlements[0].status, SettlementStatus::Success, "09:00");

        // Refund all of "big" on day two; processed on day three; day three's sales are small.
        s.create_refund(RefundRequest { transaction: "big".into(), ..RefundRequest::default() }).unwrap();
        assert_eq!(s.refundable(big), 0);
        s.run_until(TEST_START + 48 * MS_PER_HOUR + 1);
        pay(&mut s, "day3", 300_000);
        s.run_until(TEST_START + 64 * MS_PER_HOUR + 1); // day four, 01:00
        let third = &s.settlements[s.settlements.len() - 1];
        assert_eq!(third.total_amount(), 300_000 - 4_500 - 10_000);
        assert_eq!((third.deductions(), third.effective_amount()), (third.total_amount(), 0), "all of it taken");
        let refund = &s.refunds[0];
        assert_eq!(refund.deducted_amount, 285_500);
        assert!(!refund.fully_deducted());
        pay(&mut s, "day4", 2_000_000);
        s.run_until(TEST_START + 88 * MS_PER_HOUR + 1); // day five, 01:00
        let fourth = &s.settlements[s.settlements.len() - 1];
        assert_eq!(fourth.deductions(), 1_000_000 - 285_500, "the rest");
        assert_eq!(fourth.effective_amount(), 2_000_000 - 30_000 - 10_000 - 714_500);
        assert!(s.refunds[0].fully_deducted());
        assert!(s.refunds.to_deduct.is_empty());
    }
}
