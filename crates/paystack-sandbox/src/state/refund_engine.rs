//! Refunding (docs/paystack-api.md §8.3, docs/sandbox.md "Refunds"): a refund is checked against
//! what is left to refund on its transaction, then moves `pending` → `processing` → `processed`
//! on the clock, raising a `refund.*` event at each status; once processed it waits to be
//! deducted from the next settlements in its currency (`settlement_engine`).

use paystack_facts::messages::REFUND_USD_MINIMUM;

use super::IntegrationState;
use super::outbox::Event;
use super::records::TxStatus;
use super::refunds::{PROCESSED_AFTER, PROCESSING_AFTER, REFUNDED_BY, Refund, RefundStatus};
use super::refusals::Refusal;

/// A validated `POST /refund`.
#[derive(Debug, Clone, Default)]
pub(crate) struct RefundRequest {
    /// A reference, or a numeric id.
    pub transaction: String,
    /// The whole of what is left to refund when `None`.
    pub amount: Option<u64>,
    pub currency: Option<String>,
    pub customer_note: Option<String>,
    pub merchant_note: Option<String>,
}

impl IntegrationState {
    /// A transaction by reference, or by id when the text is a number no reference uses.
    pub(crate) fn transaction_by_reference_or_id(&self, text: &str) -> Option<usize> {
        self.transactions
            .by_reference(text)
            .or_else(|| text.parse::<u64>().ok().and_then(|id| self.transactions.by_id(id)))
    }

    /// What is left to refund on a transaction: its amount less every refund that did not fail.
    pub(crate) fn refundable(&self, transaction: usize) -> u64 {
        let refunded: u64 = self
            .refunds
            .of_transaction(transaction)
            .iter()
            .map(|r| &self.refunds[*r])
            .filter(|r| r.holds_amount())
            .map(|r| r.amount)
            .sum();
        self.transactions[transaction].amount.saturating_sub(refunded)
    }

    /// POST /refund: a `pending` refund, or the refusal Paystack answers with.
    pub(crate) fn create_refund(&mut self, request: RefundRequest) -> Result<usize, Refusal> {
        let transaction =
            self.transaction_by_reference_or_id(request.transaction.trim()).ok_or(Refusal::TransactionNotFound)?;
        let tx = &self.transactions[transaction];
        if tx.status != TxStatus::Success {
            return Err(Refusal::RefundNotSuccessful);
        }
        if request.currency.as_deref().is_some_and(|c| !c.eq_ignore_ascii_case(&tx.currency)) {
            return Err(Refusal::RefundCurrencyMismatch);
        }
        let left = self.refundable(transaction);
        if left == 0 {
            return Err(Refusal::FullyReversed);
        }
        let amount = request.amount.unwrap_or(left);
        if amount > left {
            return Err(Refusal::RefundExceedsBalance { left });
        }
        let tx = &self.transactions[transaction];
        if tx.currency == "USD" && amount < REFUND_USD_MINIMUM {
            return Err(Refusal::RefundBelowMinimum);
        }
        let now = self.now;
        let reference = tx.reference.clone();
        let currency = tx.currency.clone();
        let id = self.refunds.next_id(&mut self.ids);
        let refund = Refund {
            id,
            transaction,
            amount,
            currency: currency.clone(),
            status: RefundStatus::Pending,
            customer_note: request.customer_note.unwrap_or_else(|| format!("Refund for transaction {reference}")),
            merchant_note: request
                .merchant_note
                .unwrap_or_else(|| format!("Refund for transaction {reference} by {REFUNDED_BY}")),
            created_at: now,
            updated_at: now,
            expected_at: now + PROCESSED_AFTER,
            refunded_at: None,
            next_change: Some(now + PROCESSING_AFTER),
            refund_reference: None,
            deducted_amount: 0,
            settlement: None,
        };
        let index = self.refunds.insert(refund);
        self.record_refund("refund.create", index);
        self.outbox.raise(Event::Refund { refund: index, status: RefundStatus::Pending, at: now });
        Ok(index)
    }

    /// The refund whose next status is due first, and when.
    pub(crate) fn next_refund_change(&self) -> Option<(i64, usize)> {
        self.refunds.moving.iter().filter_map(|r| self.refunds[*r].next_change.map(|at| (at, *r))).min()
    }

    /// Moves a refund to its next status at `self.now`: `processing`, then `processed`.
    pub(crate) fn advance_refund(&mut self, index: usize) {
        let now = self.now;
        let refund = &mut self.refunds[index];
        let status = match refund.status {
            RefundStatus::Pending => {
                refund.next_change = Some(refund.created_at.max(now) + (PROCESSED_AFTER - PROCESSING_AFTER));
                RefundStatus::Processing
            }
            _ => {
                refund.next_change = None;
                refund.refunded_at = Some(now);
                refund.refund_reference = Some(format!("TRF_{}", self.ids.lower_alnum(15)));
                RefundStatus::Processed
            }
        };
        self.set_refund_status(index, status);
    }

    /// Puts a refund in `status` at `self.now`, with its event; a refund leaving the clock's
    /// hands stops moving, a processed one waits to be deducted.
    fn set_refund_status(&mut self, index: usize, status: RefundStatus) {
        let refund = &mut self.refunds[index];
        refund.status = status;
        refund.updated_at = self.now;
        match status {
            RefundStatus::Processed => {
                refund.next_change = None;
                self.refunds.to_deduct.push(index);
            }
            RefundStatus::Failed | RefundStatus::NeedsAttention => refund.next_change = None,
            RefundStatus::Pending | RefundStatus::Processing => {}
        }
        if self.refunds[index].next_change.is_none() {
            self.refunds.moving.retain(|r| *r != index);
        }
        self.record_refund("refund.update", index);
        self.outbox.raise(Event::Refund { refund: index, status, at: self.now });
    }

    /// Control API: a refund still moving fails or needs the customer's bank details.
    pub(crate) fn interrupt_refund(&mut self, id: u64, status: RefundStatus) -> Result<usize, Refusal> {
        let index = self.refunds.by_id(id).ok_or(Refusal::RefundNotFound)?;
        let current = self.refunds[index].status;
        if !matches!(current, RefundStatus::Pending | RefundStatus::Processing) {
            return Err(Refusal::RefundFinal { status: current.as_str() });
        }
        self.set_refund_status(index, status);
        Ok(index)
    }

    /// POST /refund/retry_with_customer_details/{id}: a refund that needs attention is processed
    /// again, to the account given: `processing` now, `processed` a day later.
    pub(crate) fn retry_refund(&mut self, id: u64) -> Result<usize, Refusal> {
        let index = self.refunds.by_id(id).ok_or(Refusal::RefundNotFound)?;
        if self.refunds[index].status != RefundStatus::NeedsAttention {
            return Err(Refusal::RefundNotNeedsAttention);
        }
        let now = self.now;
        let refund = &mut self.refunds[index];
        refund.expected_at = now + PROCESSED_AFTER;
        refund.next_change = Some(now + PROCESSED_AFTER);
        self.refunds.moving.push(index);
        self.set_refund_status(index, RefundStatus::Processing);
        Ok(index)
    }

    fn record_refund(&mut self, operation: &'static str, index: usize) {
        let refund = &self.refunds[index];
        let tx = &self.transactions[refund.transaction];
        self.ledger.push(super::ledger::LedgerEntry {
            seq: 0,
            at: self.now,
            operation,
            reference: tx.reference.clone(),
            amount: refund.amount,
            currency: refund.currency.clone(),
            outcome: refund.status.as_str().into(),
            transaction_id: Some(tx.id),
            batch_code: None,
            attempt: None,
            gateway_response: None,
        });
    }
}
