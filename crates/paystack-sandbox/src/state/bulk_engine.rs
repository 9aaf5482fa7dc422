//! Bulk charges on one integration: a batch is created with one queued transaction per charge,
//! then processed one charge per turn, failures going to the back of the queue until
//! `BULK_RETRY_LIMIT` attempts (docs/paystack-api.md §3.6).

use paystack_facts::enums::DEFAULT_CURRENCY;
use paystack_facts::limits::BULK_RETRY_LIMIT;
use serde_json::{Value, json};

use super::IntegrationState;
use super::card_behaviour::ChargeResult;
use super::ledger::LedgerEntry;
use super::records::{Batch, BatchStatus, BulkCharge, ChargeStatus, Origin, TxStatus};
use super::refusals::Refusal;

/// A validated bulk-charge item.
#[derive(Debug)]
pub(crate) struct BulkItemRequest {
    /// The index of its authorization in `IntegrationState::cards`.
    pub authorization: usize,
    pub amount: u64,
    pub reference: Option<String>,
    pub attempt_partial_debit: bool,
    pub at_least: Option<u64>,
    pub metadata: Option<Value>,
}

impl IntegrationState {
    /// Creates a batch (already validated) with one queued transaction per charge.
    pub(crate) fn create_batch(&mut self, items: Vec<BulkItemRequest>, interval_ms: u64) -> usize {
        let now = self.now;
        let (batch_id, code) = self.batches.next_id_and_code(&mut self.ids);
        let batch_index = self.batches.len();
        let reference = format!("bulkcharge-{now}-{}", self.ids.lower_alnum(10));
        let total: u64 = items.iter().map(|i| i.amount).sum();
        let mut charge_indices = Vec::with_capacity(items.len());
        for item in items {
            let card = &self.cards[item.authorization];
            let (customer, authorization) = (card.customer, card.code.clone());
            let reference = match item.reference {
                Some(reference) => reference,
                None => self.transactions.fresh_reference(&mut self.ids, 15),
            };
            let mut tx = self.transactions.blank(
                &mut self.ids,
                reference,
                item.amount,
                DEFAULT_CURRENCY.into(),
                customer,
                Origin::BulkCharge { batch: batch_index },
                now,
            );
            tx.status = TxStatus::Queued;
            tx.gateway_response = "Queued".into();
            tx.authorization = Some(authorization.clone());
            tx.metadata = Some(bulk_metadata(item.metadata, batch_id, &code));
            let transaction = self.transactions.insert(tx);
            let id = self.batches.next_charge_id(&mut self.ids);
            charge_indices.push(self.batches.charges.len());
            self.batches.charges.push(BulkCharge {
                id,
                batch: batch_index,
                customer,
                authorization,
                amount: item.amount,
                at_least: item.at_least,
                attempt_partial_debit: item.attempt_partial_debit,
                status: ChargeStatus::Pending,
                message: "Pending".into(),
                attempts: 0,
                transaction,
                created_at: now,
                updated_at: now,
            });
        }
        self.batches.insert(Batch {
            id: batch_id,
            code: code.clone(),
            reference: reference.clone(),
            status: BatchStatus::Active,
            created_at: now,
            updated_at: now,
            queue: charge_indices.iter().copied().collect(),
            charges: charge_indices,
            next_due: now.saturating_add_unsigned(interval_ms),
        });
        self.ledger.push(LedgerEntry {
            seq: 0,
            at: now,
            operation: "bulkcharge.create",
            reference,
            amount: total,
            currency: DEFAULT_CURRENCY.into(),
            outcome: "active".into(),
            transaction_id: None,
            batch_code: Some(code),
            attempt: None,
            gateway_response: None,
        });
        batch_index
    }

    /// Pauses or resumes a batch; a completed batch has nothing left to pause or resume.
    pub(crate) fn set_paused(&mut self, batch: usize, paused: bool, interval_ms: u64) -> Result<(), Refusal> {
        if self.batches[batch].status == BatchStatus::Complete {
            return Err(Refusal::BatchComplete);
        }
        let pending: u64 = self.batches[batch].queue.iter().map(|c| self.batches.charges[*c].amount).sum();
        let b = &mut self.batches[batch];
        let now = self.now;
        b.status = if paused { BatchStatus::Paused } else { BatchStatus::Active };
        b.updated_at = now;
        if !paused {
            b.next_due = now.saturating_add_unsigned(interval_ms);
        }
        let (reference, code) = (b.reference.clone(), b.code.clone());
        self.ledger.push(LedgerEntry {
            seq: 0,
            at: now,
            operation: if paused { "bulkcharge.pause" } else { "bulkcharge.resume" },
            reference,
            amount: pending,
            currency: DEFAULT_CURRENCY.into(),
            outcome: if paused { "paused" } else { "active" }.into(),
            transaction_id: None,
            batch_code: Some(code),
            attempt: None,
            gateway_response: None,
        });
        Ok(())
    }

    /// The active batch whose next charge is due first, and when (Unix milliseconds).
    pub(crate) fn next_batch_due(&self) -> Option<(i64, usize)> {
        self.batches
            .open
            .iter()
            .filter(|b| self.batches[**b].status == BatchStatus::Active)
            .map(|b| (self.batches[*b].next_due, *b))
            .min()
    }

    /// One step of the engine, at `self.now`: `batch` processes its next charge; a batch with
    /// nothing left is complete and leaves the open list.
    pub(crate) fn process_batch_step(&mut self, batch: usize) {
        let now = self.now;
        if let Some(charge) = self.batches[batch].queue.pop_front() {
            self.process_charge(batch, charge);
        }
        self.batches[batch].next_due = now.saturating_add_unsigned(self.settings.process_interval_ms);
        if self.batches[batch].queue.is_empty() {
            let b = &mut self.batches[batch];
            b.status = BatchStatus::Complete;
            b.updated_at = now;
            self.batches.open.retain(|open| *open != batch);
        }
    }

    fn process_charge(&mut self, batch: usize, charge: usize) {
        let now = self.now;
        let (auth_code, amount, partial) = {
            let c = &mut self.batches.charges[charge];
            c.attempts += 1;
            c.updated_at = now;
            (c.authorization.clone(), c.amount, c.attempt_partial_debit.then_some(c.at_least.unwrap_or(0)))
        };
        let (result, country) = match self.cards.by_code(&auth_code) {
            Some(auth) => (self.cards[auth].funds.attempt(amount, partial), self.cards[auth].country_code.clone()),
            None => (ChargeResult::Declined { gateway_response: "Authorization code is invalid".into() }, "NG".into()),
        };
        let attempts = self.batches.charges[charge].attempts;
        let approved = matches!(result, ChargeResult::Approved { .. });
        let last = approved || attempts >= BULK_RETRY_LIMIT;
        let transaction = self.batches.charges[charge].transaction;
        self.transactions[transaction].settle(&result, last, now, &country);
        let c = &mut self.batches.charges[charge];
        c.message = self.transactions[transaction].gateway_response.clone();
        let outcome = if approved {
            c.status = ChargeStatus::Success;
            "success"
        } else if last {
            c.status = ChargeStatus::Failed;
            "failed"
        } else {
            self.batches[batch].queue.push_back(charge);
            "retry"
        };
        self.batches[batch].updated_at = now;
        let code = self.batches[batch].code.clone();
        self.ledger.record(
            "bulkcharge.charge",
            &self.transactions[transaction],
            Some(code),
            Some(attempts),
            outcome,
            now,
        );
        if approved {
            self.paid(transaction);
        }
    }
}

/// A bulk charge's metadata: the item's own fields plus the custom_fields Paystack adds
/// (bulkcharge_id, bulkcharge_batch_code, charged_via), as in the bulk-charge webhook sample.
fn bulk_metadata(item: Option<Value>, batch_id: u64, code: &str) -> Value {
    let added = [
        json!({"display_name": "Bulkcharge ID", "variable_name": "bulkcharge_id", "value": batch_id.to_string()}),
        json!({"display_name": "Bulkcharge batch code", "variable_name": "bulkcharge_batch_code", "value": code}),
        json!({"display_name": "Charged via", "variable_name": "charged_via", "value": "Bulkcharge"}),
    ];
    let mut map = match item {
        Some(Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let fields = map.entry("custom_fields").or_insert_with(|| Value::Array(Vec::new()));
    if !fields.is_array() {
        *fields = Value::Array(Vec::new());
    }
    if let Value::Array(list) = fields {
        list.extend(added);
    }
    Value::Object(map)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::fixtures;
    use super::super::test_state;
    use super::*;

    #[test]
    fn bulk_metadata_appends_custom_fields() {
        let meta = bulk_metadata(Some(json!({"plan": "gold", "custom_fields": [{"a": 1}]})), 191, "BCH_x");
        assert_eq!(meta["plan"], "gold");
        assert_eq!(meta["custom_fields"].as_array().unwrap().len(), 4);
        assert_eq!(meta["custom_fields"][3]["value"], "Bulkcharge");
        assert_eq!(bulk_metadata(None, 1, "BCH_y")["custom_fields"][0]["value"], "1");
    }

    #[test]
    fn bulk_retries_then_fails_at_the_limit() {
        let mut s = test_state();
        let auth = s.cards.by_code(fixtures::AUTH_DECLINED).unwrap();
        let batch = s.create_batch(
            vec![BulkItemRequest {
                authorization: auth,
                amount: 100,
                reference: Some("r1".into()),
                attempt_partial_debit: false,
                at_least: None,
                metadata: None,
            }],
            0,
        );
        let mut steps = 0;
        while let Some((_, due)) = s.next_batch_due() {
            s.process_batch_step(due);
            steps += 1;
        }
        assert_eq!(steps, 5, "the first attempt and four retries");
        assert_eq!(s.batches[batch].status, BatchStatus::Complete);
        let charge = &s.batches.charges[s.batches[batch].charges[0]];
        assert_eq!((charge.status, charge.attempts), (ChargeStatus::Failed, BULK_RETRY_LIMIT));
        assert_eq!(s.transactions[charge.transaction].status, TxStatus::Failed);
        assert!(s.outbox.take().is_empty(), "a failed charge raises no event");
    }

    #[test]
    fn a_paused_batch_waits_and_a_complete_one_refuses() {
        let mut s = test_state();
        let auth = s.cards.by_code(fixtures::AUTH_SUCCESS).unwrap();
        let item = |reference: &str| BulkItemRequest {
            authorization: auth,
            amount: 100,
            reference: Some(reference.into()),
            attempt_partial_debit: false,
            at_least: None,
            metadata: None,
        };
        let batch = s.create_batch(vec![item("a"), item("b")], 0);
        s.set_paused(batch, true, 0).unwrap();
        assert_eq!(s.next_batch_due(), None, "nothing active");
        s.set_paused(batch, false, 0).unwrap();
        let next_run = s.settlements.next_run;
        assert!(s.run_until(s.now) > s.now, "both charges run at once with no interval");
        assert_eq!(s.batches[batch].status, BatchStatus::Complete);
        assert_eq!(s.outbox.take().len(), 2);
        assert_eq!(s.set_paused(batch, true, 0), Err(Refusal::BatchComplete));
        assert_eq!(s.settlements.next_run, next_run, "no settlement ran");
    }
}
