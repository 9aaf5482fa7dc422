//! One integration's data and the operations that change it. Every operation runs under the
//! integration's mutex and never awaits, so a lock is held for microseconds.

pub(crate) mod model;

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::auth::Domain;
use crate::clock::now_ms;
use paystack_facts::messages;
use paystack_facts::webhooks::CHARGE_SUCCESS;

use crate::envelope::ApiError;
use crate::fixtures;
use crate::ids::IdGen;
use crate::outcomes::{Behaviour, ChargeResult, Funds, fee};
use crate::render;
use model::*;

pub(crate) use paystack_facts::limits::BULK_RETRY_LIMIT;

/// The key that signs webhooks; its Debug never shows it.
#[derive(Clone)]
pub(crate) struct SecretKey(pub String);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

#[derive(Debug)]
pub(crate) struct IntegrationState {
    pub integration_id: u64,
    pub domain: Domain,
    signing_key: SecretKey,
    ids: IdGen,
    last_tx_id: u64,
    last_customer_id: u64,
    last_batch_id: u64,
    last_charge_id: u64,
    next_delivery_id: u64,
    ledger_seq: u64,
    pub customers: Vec<Customer>,
    customers_by_email: HashMap<String, usize>,
    pub authorizations: Vec<Authorization>,
    authorizations_by_code: HashMap<String, usize>,
    pub transactions: Vec<Transaction>,
    by_reference: HashMap<String, usize>,
    by_id: HashMap<u64, usize>,
    pub batches: Vec<Batch>,
    batches_by_code: HashMap<String, usize>,
    batches_by_id: HashMap<u64, usize>,
    /// Batches that still have charges to process (active or paused).
    open_batches: Vec<usize>,
    pub charges: Vec<BulkCharge>,
    pub ledger: Vec<LedgerEntry>,
    pub deliveries: Vec<Delivery>,
    outbox: Vec<Outgoing>,
    pub settings: Settings,
}

/// A charge on a saved authorization (charge_authorization, partial_debit).
#[derive(Debug)]
pub(crate) struct ChargeRequest {
    pub email: String,
    pub amount: u64,
    pub currency: String,
    pub authorization_code: String,
    pub reference: Option<String>,
    pub metadata: Option<Value>,
    /// `Some(at_least)` for a partial debit.
    pub partial_at_least: Option<u64>,
    pub origin: Origin,
}

/// A validated bulk-charge item.
#[derive(Debug)]
pub(crate) struct BulkItemRequest {
    pub authorization: usize,
    pub amount: u64,
    pub reference: Option<String>,
    pub attempt_partial_debit: bool,
    pub at_least: Option<u64>,
    pub metadata: Option<Value>,
}

/// A customer to add through the control API.
#[derive(Debug, Default)]
pub(crate) struct NewCustomer {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub metadata: Option<Value>,
}

impl IntegrationState {
    pub(crate) fn new(integration_id: u64, domain: Domain, key: SecretKey, seed: u64, settings: Settings) -> Self {
        let mut ids = IdGen::new(seed);
        let last_tx_id = 4_100_000_000 + ids.range(0, 9_999_999);
        let last_batch_id = 66_600_000 + ids.range(0, 99_999);
        let mut state = Self {
            integration_id,
            domain,
            signing_key: key,
            ids,
            last_tx_id,
            last_customer_id: 200_000,
            last_batch_id,
            last_charge_id: 0,
            next_delivery_id: 1,
            ledger_seq: 0,
            customers: Vec::new(),
            customers_by_email: HashMap::new(),
            authorizations: Vec::new(),
            authorizations_by_code: HashMap::new(),
            transactions: Vec::new(),
            by_reference: HashMap::new(),
            by_id: HashMap::new(),
            batches: Vec::new(),
            batches_by_code: HashMap::new(),
            batches_by_id: HashMap::new(),
            open_batches: Vec::new(),
            charges: Vec::new(),
            ledger: Vec::new(),
            deliveries: Vec::new(),
            outbox: Vec::new(),
            settings,
        };
        state.seed_fixtures();
        state
    }

    /// Delivery ids keep counting across a reset so a late delivery task cannot touch a new record.
    pub(crate) fn continue_delivery_ids_from(&mut self, previous: &IntegrationState) {
        self.next_delivery_id = previous.next_delivery_id;
    }

    fn seed_fixtures(&mut self) {
        let now = now_ms();
        for f in fixtures::all() {
            let customer = self.customers.len();
            self.customers.push(Customer {
                id: f.customer_id,
                code: f.customer_code.into(),
                email: f.email.into(),
                first_name: f.first_name.map(Into::into),
                last_name: f.last_name.map(Into::into),
                phone: f.phone.map(Into::into),
                international_format_phone: f.international_format_phone.map(Into::into),
                metadata: f.metadata.clone(),
                created_at: now,
            });
            self.customers_by_email.insert(f.email.into(), customer);
            self.insert_authorization(Authorization {
                code: f.authorization_code.into(),
                customer,
                bin: "408408".into(),
                last4: f.last4.into(),
                exp_month: "12".into(),
                exp_year: "2030".into(),
                card_type: "visa ".into(),
                bank: "TEST BANK".into(),
                brand: "visa".into(),
                signature: f.signature.into(),
                account_name: f.account_name.map(Into::into),
                reusable: true,
                funds: Funds::new(f.behaviour.clone()),
                fixture: true,
            });
        }
    }

    fn insert_authorization(&mut self, authorization: Authorization) {
        self.authorizations_by_code.insert(authorization.code.clone(), self.authorizations.len());
        self.authorizations.push(authorization);
    }

    // ----- lookups -------------------------------------------------------------------------

    pub(crate) fn customer_by_email(&self, email: &str) -> Option<usize> {
        self.customers_by_email.get(&email.to_ascii_lowercase()).copied()
    }

    pub(crate) fn authorization(&self, code: &str) -> Option<usize> {
        self.authorizations_by_code.get(code).copied()
    }

    pub(crate) fn transaction_by_reference(&self, reference: &str) -> Option<usize> {
        self.by_reference.get(reference).copied()
    }

    pub(crate) fn transaction_by_id(&self, id: u64) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    pub(crate) fn reference_taken(&self, reference: &str) -> bool {
        self.by_reference.contains_key(reference)
    }

    /// A batch by numeric id or `BCH_` code.
    pub(crate) fn batch(&self, id_or_code: &str) -> Option<usize> {
        match id_or_code.parse::<u64>() {
            Ok(id) => self.batches_by_id.get(&id).copied(),
            Err(_) => self.batches_by_code.get(id_or_code).copied(),
        }
    }

    pub(crate) fn pending_charges(&self, batch: usize) -> usize {
        self.batches[batch].queue.len()
    }

    // ----- customers and authorizations ------------------------------------------------------

    fn create_customer(&mut self, new: NewCustomer) -> usize {
        self.last_customer_id += self.ids.range(1, 9);
        let email = new.email.to_ascii_lowercase();
        let international_format_phone = new.phone.as_ref().map(|p| international(p));
        let customer = Customer {
            id: self.last_customer_id,
            code: format!("CUS_{}", self.ids.lower_alnum(15)),
            email: email.clone(),
            first_name: new.first_name,
            last_name: new.last_name,
            phone: new.phone,
            international_format_phone,
            metadata: new.metadata,
            created_at: now_ms(),
        };
        let index = self.customers.len();
        self.customers.push(customer);
        self.customers_by_email.insert(email, index);
        index
    }

    /// The customer with this email, created (all-null profile) if new: initialize does this.
    pub(crate) fn ensure_customer(&mut self, email: &str) -> usize {
        match self.customer_by_email(email) {
            Some(index) => index,
            None => self.create_customer(NewCustomer { email: email.into(), ..NewCustomer::default() }),
        }
    }

    /// Adds (or finds) a customer and gives them a new reusable authorization with `behaviour`.
    pub(crate) fn add_customer(
        &mut self,
        new: NewCustomer,
        behaviour: Behaviour,
        code: Option<String>,
    ) -> Result<(usize, usize), String> {
        if let Some(code) = &code {
            if self.authorizations_by_code.contains_key(code) {
                return Err(format!("authorization code {code} already exists"));
            }
            if !code.starts_with("AUTH_") || code.len() < 6 || code.contains(char::is_whitespace) {
                return Err("authorization code must look like AUTH_<letters/digits>".into());
            }
        }
        let customer = match self.customer_by_email(&new.email) {
            Some(existing) => existing,
            None => self.create_customer(new),
        };
        let authorization = self.new_authorization(customer, behaviour, code);
        Ok((customer, authorization))
    }

    fn new_authorization(&mut self, customer: usize, behaviour: Behaviour, code: Option<String>) -> usize {
        let code = code.unwrap_or_else(|| format!("AUTH_{}", self.ids.lower_alnum(10)));
        let last4 = format!("{:04}", self.ids.range(0, 9999));
        let signature = format!("SIG_{}", self.ids.alnum(20));
        self.insert_authorization(Authorization {
            code,
            customer,
            bin: "408408".into(),
            last4,
            exp_month: "12".into(),
            exp_year: "2030".into(),
            card_type: "visa ".into(),
            bank: "TEST BANK".into(),
            brand: "visa".into(),
            signature,
            account_name: None,
            reusable: true,
            funds: Funds::new(behaviour),
            fixture: false,
        });
        self.authorizations.len() - 1
    }

    // ----- transactions ----------------------------------------------------------------------

    fn next_transaction_id(&mut self) -> u64 {
        self.last_tx_id += self.ids.range(1, 97);
        self.last_tx_id
    }

    /// A generated reference no transaction uses yet.
    fn fresh_reference(&mut self, len: usize) -> String {
        loop {
            let reference = self.ids.lower_alnum(len);
            if !self.by_reference.contains_key(&reference) {
                return reference;
            }
        }
    }

    fn insert_transaction(&mut self, tx: Transaction) -> usize {
        let index = self.transactions.len();
        self.by_reference.insert(tx.reference.clone(), index);
        self.by_id.insert(tx.id, index);
        self.transactions.push(tx);
        index
    }

    fn blank_transaction(
        &mut self,
        reference: String,
        amount: u64,
        currency: String,
        customer: usize,
        origin: Origin,
    ) -> Transaction {
        Transaction {
            id: self.next_transaction_id(),
            reference,
            status: TxStatus::Abandoned,
            amount,
            requested_amount: amount,
            currency,
            gateway_response: String::new(),
            ip_address: None,
            metadata: None,
            fees: None,
            customer,
            authorization: None,
            created_at: now_ms(),
            paid_at: None,
            origin,
            steps: Vec::new(),
            access_code: None,
            callback_url: None,
            checkout_log: false,
        }
    }

    /// POST /transaction/initialize: an `abandoned` transaction awaiting the customer.
    pub(crate) fn initialize(
        &mut self,
        email: &str,
        amount: u64,
        currency: String,
        reference: Option<String>,
        metadata: Option<Value>,
        callback_url: Option<String>,
    ) -> Result<usize, ApiError> {
        if reference.as_deref().is_some_and(|r| self.reference_taken(r)) {
            return Err(ApiError::duplicate_reference());
        }
        let customer = self.ensure_customer(email);
        let reference = reference.unwrap_or_else(|| self.fresh_reference(10));
        let mut tx = self.blank_transaction(reference, amount, currency, customer, Origin::Initialize);
        tx.gateway_response = "The transaction was not completed".into();
        tx.metadata = metadata;
        tx.callback_url = callback_url;
        tx.access_code = Some(self.ids.lower_alnum(15));
        let index = self.insert_transaction(tx);
        self.record_transaction("transaction.initialize", index, None);
        Ok(index)
    }

    /// Completes an initialized transaction as the customer would at checkout.
    pub(crate) fn complete(&mut self, reference: &str, success: bool, behaviour: Behaviour) -> Result<usize, ApiError> {
        let index = self
            .transaction_by_reference(reference)
            .ok_or_else(|| ApiError::not_found(StatusCode::NOT_FOUND, messages::REFERENCE_NOT_FOUND))?;
        if self.transactions[index].status != TxStatus::Abandoned
            || self.transactions[index].origin != Origin::Initialize
        {
            return Err(ApiError::plain(
                StatusCode::CONFLICT,
                format!("Transaction {reference} is not an initialized transaction awaiting payment"),
            ));
        }
        let now = now_ms();
        let authorization = success.then(|| {
            let customer = self.transactions[index].customer;
            let auth = self.new_authorization(customer, behaviour, None);
            self.authorizations[auth].code.clone()
        });
        let tx = &mut self.transactions[index];
        tx.ip_address = Some("127.0.0.1".into());
        tx.checkout_log = true;
        tx.steps.push(Step { kind: "action", message: "Attempted to pay with card".into(), at: now });
        if success {
            tx.status = TxStatus::Success;
            tx.gateway_response = "Successful".into();
            tx.paid_at = Some(now);
            tx.fees = Some(fee(tx.amount, &tx.currency));
            tx.authorization = authorization;
            tx.steps.push(Step { kind: "success", message: "Successfully paid with card".into(), at: now });
        } else {
            tx.status = TxStatus::Failed;
            tx.gateway_response = "Declined".into();
            tx.steps.push(Step { kind: "error", message: "Error: Declined".into(), at: now });
        }
        self.record_transaction("transaction.complete", index, None);
        if success {
            self.emit_charge_success(index);
        }
        Ok(index)
    }

    /// charge_authorization / partial_debit: validates against the authorization, then charges.
    pub(crate) fn charge(&mut self, request: ChargeRequest) -> Result<usize, ApiError> {
        let auth = self
            .authorization(&request.authorization_code)
            .filter(|a| self.authorizations[*a].reusable)
            .ok_or_else(|| ApiError::refused(messages::AUTHORIZATION_CODE_INVALID))?;
        let customer = self.authorizations[auth].customer;
        if self.customers[customer].email != request.email.to_ascii_lowercase() {
            return Err(ApiError::refused(messages::EMAIL_DOES_NOT_MATCH_AUTHORIZATION));
        }
        if request.reference.as_deref().is_some_and(|r| self.reference_taken(r)) {
            return Err(ApiError::duplicate_reference());
        }
        let reference = match request.reference {
            Some(reference) => reference,
            None => self.fresh_reference(15),
        };
        let operation = match request.origin {
            Origin::PartialDebit => "transaction.partial_debit",
            _ => "transaction.charge_authorization",
        };
        let mut tx = self.blank_transaction(reference, request.amount, request.currency, customer, request.origin);
        tx.metadata = request.metadata;
        tx.authorization = Some(request.authorization_code);
        let result = self.authorizations[auth].funds.attempt(request.amount, request.partial_at_least);
        let index = self.insert_transaction(tx);
        self.settle_attempt(index, &result, true);
        self.record_transaction(operation, index, None);
        if matches!(result, ChargeResult::Approved { .. }) {
            self.emit_charge_success(index);
        }
        Ok(index)
    }

    /// Applies one charge attempt to a transaction. `last` is false for a bulk attempt that will
    /// be retried: the transaction stays queued.
    fn settle_attempt(&mut self, index: usize, result: &ChargeResult, last: bool) {
        let now = now_ms();
        let tx = &mut self.transactions[index];
        tx.steps.push(Step { kind: "action", message: "Attempted to charge authorization".into(), at: now });
        match result {
            ChargeResult::Approved { amount } => {
                tx.status = TxStatus::Success;
                tx.amount = *amount;
                tx.gateway_response = "Approved".into();
                tx.paid_at = Some(now);
                tx.fees = Some(fee(*amount, &tx.currency));
                tx.steps.push(Step { kind: "success", message: "Successfully charged authorization".into(), at: now });
            }
            ChargeResult::Declined { gateway_response } => {
                tx.steps.push(Step { kind: "error", message: format!("Error: {gateway_response}"), at: now });
                tx.gateway_response = gateway_response.clone();
                if last {
                    tx.status = TxStatus::Failed;
                }
            }
        }
    }

    // ----- bulk charges ----------------------------------------------------------------------

    /// Creates a batch (already validated by the handler) with one queued transaction per charge.
    pub(crate) fn create_batch(&mut self, items: Vec<BulkItemRequest>, interval: Duration) -> usize {
        let now = now_ms();
        self.last_batch_id += self.ids.range(1, 50);
        let batch_id = self.last_batch_id;
        let code = loop {
            let code = format!("BCH_{}", self.ids.lower_alnum(15));
            if !self.batches_by_code.contains_key(&code) {
                break code;
            }
        };
        let batch_index = self.batches.len();
        let reference = format!("bulkcharge-{now}-{}", self.ids.lower_alnum(10));
        let total: u64 = items.iter().map(|i| i.amount).sum();
        let mut charge_indices = Vec::with_capacity(items.len());
        for item in items {
            let customer = self.authorizations[item.authorization].customer;
            let reference = match item.reference {
                Some(reference) => reference,
                None => self.fresh_reference(15),
            };
            let mut tx = self.blank_transaction(
                reference,
                item.amount,
                "NGN".into(),
                customer,
                Origin::BulkCharge { batch: batch_index },
            );
            tx.status = TxStatus::Queued;
            tx.gateway_response = "Queued".into();
            tx.authorization = Some(self.authorizations[item.authorization].code.clone());
            tx.metadata = Some(bulk_metadata(item.metadata, batch_id, &code));
            let transaction = self.insert_transaction(tx);
            self.last_charge_id += self.ids.range(1, 5);
            charge_indices.push(self.charges.len());
            self.charges.push(BulkCharge {
                id: self.last_charge_id,
                batch: batch_index,
                customer,
                authorization: self.authorizations[item.authorization].code.clone(),
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
        self.batches.push(Batch {
            id: batch_id,
            code: code.clone(),
            reference: reference.clone(),
            status: BatchStatus::Active,
            created_at: now,
            updated_at: now,
            queue: charge_indices.iter().copied().collect(),
            charges: charge_indices,
            next_due: Instant::now() + interval,
        });
        self.batches_by_code.insert(code.clone(), batch_index);
        self.batches_by_id.insert(batch_id, batch_index);
        self.open_batches.push(batch_index);
        self.push_ledger(LedgerEntry {
            seq: 0,
            at: now,
            operation: "bulkcharge.create",
            reference,
            amount: total,
            currency: "NGN".into(),
            outcome: "active".into(),
            transaction_id: None,
            batch_code: Some(code),
            attempt: None,
            gateway_response: None,
        });
        batch_index
    }

    /// Pauses or resumes a batch. `Err` for a completed batch (nothing left to pause or resume).
    pub(crate) fn set_paused(&mut self, batch: usize, paused: bool, interval: Duration) -> Result<(), ApiError> {
        let b = &mut self.batches[batch];
        if b.status == BatchStatus::Complete {
            return Err(ApiError::invalid(
                "Bulk charge batch has already been completed",
                "Only active or paused batches can be paused or resumed",
            ));
        }
        let now = now_ms();
        b.status = if paused { BatchStatus::Paused } else { BatchStatus::Active };
        b.updated_at = now;
        if !paused {
            b.next_due = Instant::now() + interval;
        }
        let (reference, code) = (b.reference.clone(), b.code.clone());
        let pending: u64 = b.queue.iter().map(|c| self.charges[*c].amount).sum();
        self.push_ledger(LedgerEntry {
            seq: 0,
            at: now,
            operation: if paused { "bulkcharge.pause" } else { "bulkcharge.resume" },
            reference,
            amount: pending,
            currency: "NGN".into(),
            outcome: if paused { "paused" } else { "active" }.into(),
            transaction_id: None,
            batch_code: Some(code),
            attempt: None,
            gateway_response: None,
        });
        Ok(())
    }

    /// The engine's step: each active batch whose turn has come processes its next charge.
    /// Returns when the next batch will be due, or `None` when nothing is waiting.
    pub(crate) fn process_due(&mut self, now: Instant) -> Option<Instant> {
        let interval = Duration::from_millis(self.settings.process_interval_ms);
        let mut next: Option<Instant> = None;
        let open = std::mem::take(&mut self.open_batches);
        let mut still_open = Vec::with_capacity(open.len());
        for batch in open {
            if self.batches[batch].status == BatchStatus::Active && self.batches[batch].next_due <= now {
                if let Some(charge) = self.batches[batch].queue.pop_front() {
                    self.process_charge(batch, charge);
                }
                self.batches[batch].next_due = now + interval;
                if self.batches[batch].queue.is_empty() {
                    let b = &mut self.batches[batch];
                    b.status = BatchStatus::Complete;
                    b.updated_at = now_ms();
                    continue;
                }
            }
            if self.batches[batch].status == BatchStatus::Active {
                let due = self.batches[batch].next_due;
                next = Some(next.map_or(due, |n| n.min(due)));
            }
            still_open.push(batch);
        }
        // Batches created while we iterated were pushed onto the (taken) list; keep them too.
        still_open.append(&mut self.open_batches);
        self.open_batches = still_open;
        next
    }

    fn process_charge(&mut self, batch: usize, charge: usize) {
        let now = now_ms();
        let (auth_code, amount, partial) = {
            let c = &mut self.charges[charge];
            c.attempts += 1;
            c.updated_at = now;
            (c.authorization.clone(), c.amount, c.attempt_partial_debit.then_some(c.at_least.unwrap_or(0)))
        };
        let result = match self.authorization(&auth_code) {
            Some(auth) => self.authorizations[auth].funds.attempt(amount, partial),
            None => ChargeResult::Declined { gateway_response: "Authorization code is invalid".into() },
        };
        let attempts = self.charges[charge].attempts;
        let approved = matches!(result, ChargeResult::Approved { .. });
        let last = approved || attempts >= BULK_RETRY_LIMIT;
        let transaction = self.charges[charge].transaction;
        self.settle_attempt(transaction, &result, last);
        let c = &mut self.charges[charge];
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
        self.record_transaction_outcome("bulkcharge.charge", transaction, Some(code), Some(attempts), outcome);
        if approved {
            self.emit_charge_success(transaction);
        }
    }

    // ----- ledger, webhooks ------------------------------------------------------------------

    fn push_ledger(&mut self, mut entry: LedgerEntry) {
        self.ledger_seq += 1;
        entry.seq = self.ledger_seq;
        self.ledger.push(entry);
    }

    fn record_transaction(&mut self, operation: &'static str, index: usize, batch_code: Option<String>) {
        let outcome = self.transactions[index].status.as_str();
        self.record_transaction_outcome(operation, index, batch_code, None, outcome);
    }

    fn record_transaction_outcome(
        &mut self,
        operation: &'static str,
        index: usize,
        batch_code: Option<String>,
        attempt: Option<u32>,
        outcome: &str,
    ) {
        let tx = &self.transactions[index];
        let entry = LedgerEntry {
            seq: 0,
            at: now_ms(),
            operation,
            reference: tx.reference.clone(),
            amount: tx.amount,
            currency: tx.currency.clone(),
            outcome: outcome.into(),
            transaction_id: Some(tx.id),
            batch_code,
            attempt,
            gateway_response: (!tx.gateway_response.is_empty()).then(|| tx.gateway_response.clone()),
        };
        self.push_ledger(entry);
    }

    /// Logs a `charge.success` delivery and queues it when the integration has a webhook URL.
    fn emit_charge_success(&mut self, index: usize) {
        let Some(url) = self.settings.webhook_url.clone() else { return };
        let payload = json!({"event": CHARGE_SUCCESS, "data": render::webhook_transaction(self, index)});
        let body = axum::body::Bytes::from(serde_json::to_vec(&payload).unwrap_or_default());
        let signature = paystack_facts::webhooks::sign(&body, &self.signing_key.0);
        let id = self.next_delivery_id;
        self.next_delivery_id += 1;
        let tx = &self.transactions[index];
        self.deliveries.push(Delivery {
            id,
            event: CHARGE_SUCCESS,
            reference: tx.reference.clone(),
            transaction_id: tx.id,
            url: url.clone(),
            created_at: now_ms(),
            status: DeliveryStatus::Pending,
            attempts: Vec::new(),
            body: body.clone(),
            signature: signature.clone(),
        });
        self.outbox.push(Outgoing { delivery_id: id, url, body, signature, settings: self.settings.clone() });
    }

    /// A fresh, unguessable-enough name for an export file.
    pub(crate) fn export_token(&mut self) -> String {
        format!("{}_{}", self.integration_id, self.ids.lower_alnum(24))
    }

    pub(crate) fn take_outbox(&mut self) -> Vec<Outgoing> {
        std::mem::take(&mut self.outbox)
    }

    pub(crate) fn delivery_mut(&mut self, id: u64) -> Option<&mut Delivery> {
        self.deliveries.iter_mut().rev().find(|d| d.id == id)
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

/// `08012345678` → `+2348012345678`; numbers already in `+` form are kept.
fn international(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if phone.trim_start().starts_with('+') {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("+234{rest}")
    } else {
        format!("+{digits}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn state() -> IntegrationState {
        IntegrationState::new(
            1,
            Domain::Test,
            SecretKey("sk_test_x".into()),
            7,
            Settings {
                process_interval_ms: 0,
                webhook_url: None,
                webhook_retry_interval_ms: 10,
                webhook_max_attempts: 2,
                webhook_timeout_ms: 100,
            },
        )
    }

    #[test]
    fn bulk_metadata_appends_custom_fields() {
        let meta = bulk_metadata(Some(json!({"plan": "gold", "custom_fields": [{"a": 1}]})), 191, "BCH_x");
        assert_eq!(meta["plan"], "gold");
        assert_eq!(meta["custom_fields"].as_array().unwrap().len(), 4);
        assert_eq!(meta["custom_fields"][3]["value"], "Bulkcharge");
        assert_eq!(bulk_metadata(None, 1, "BCH_y")["custom_fields"][0]["value"], "1");
    }

    #[test]
    fn same_seed_same_ids() {
        let (mut a, mut b) = (state(), state());
        let ia = a.initialize("x@example.com", 100, "NGN".into(), None, None, None).unwrap();
        let ib = b.initialize("x@example.com", 100, "NGN".into(), None, None, None).unwrap();
        assert_eq!(a.transactions[ia].reference, b.transactions[ib].reference);
        assert_eq!(a.transactions[ia].id, b.transactions[ib].id);
    }

    #[test]
    fn bulk_retries_then_fails_at_the_limit() {
        let mut s = state();
        let auth = s.authorization(fixtures::AUTH_DECLINED).unwrap();
        let batch = s.create_batch(
            vec![BulkItemRequest {
                authorization: auth,
                amount: 100,
                reference: Some("r1".into()),
                attempt_partial_debit: false,
                at_least: None,
                metadata: None,
            }],
            Duration::ZERO,
        );
        let mut steps = 0;
        while s.process_due(Instant::now()).is_some() {
            steps += 1;
        }
        assert_eq!(steps, 4, "four retries are scheduled after the first attempt");
        assert_eq!(s.batches[batch].status, BatchStatus::Complete);
        let charge = &s.charges[s.batches[batch].charges[0]];
        assert_eq!((charge.status, charge.attempts), (ChargeStatus::Failed, BULK_RETRY_LIMIT));
        assert_eq!(s.transactions[charge.transaction].status, TxStatus::Failed);
    }

    #[test]
    fn international_phone() {
        assert_eq!(international("08012345678"), "+2348012345678");
        assert_eq!(international("+245 421361"), "+245421361");
    }
}
