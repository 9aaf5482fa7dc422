//! Payments on one integration: initialize (and its completion at checkout) and charges on saved
//! authorizations (charge_authorization, partial_debit).

use serde_json::Value;

use super::IntegrationState;
use super::card_behaviour::{Behaviour, ChargeResult, fee};
use super::records::{Origin, Step, TxStatus};
use super::refusals::Refusal;

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

#[cfg(test)]
impl ChargeRequest {
    /// The tests' charge: `amount` kobo on the sandbox's always-successful card, under `reference`.
    pub(crate) fn succeeding(reference: &str, amount: u64) -> Self {
        ChargeRequest {
            email: "success@example.com".into(),
            amount,
            currency: "NGN".into(),
            authorization_code: crate::state::fixtures::AUTH_SUCCESS.into(),
            reference: Some(reference.into()),
            metadata: None,
            partial_at_least: None,
            origin: Origin::ChargeAuthorization,
        }
    }
}

/// What the customer's card did at checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CheckoutPayment {
    /// Paid: the card becomes a reusable authorization whose later charges follow `behaviour`,
    /// with the card's `last4` when it is known.
    Paid { behaviour: Behaviour, last4: Option<&'static str> },
    /// Refused with `gateway_response` ("Declined", "Insufficient Funds"): no authorization.
    Refused { gateway_response: String },
}

impl IntegrationState {
    /// POST /transaction/initialize: an `abandoned` transaction awaiting the customer.
    pub(crate) fn initialize(
        &mut self,
        email: &str,
        amount: u64,
        currency: String,
        reference: Option<String>,
        metadata: Option<Value>,
        callback_url: Option<String>,
    ) -> Result<usize, Refusal> {
        if reference.as_deref().is_some_and(|r| self.transactions.reference_taken(r)) {
            return Err(Refusal::DuplicateReference);
        }
        let now = self.now;
        let customer = self.customers.ensure(&mut self.ids, email, now);
        let reference = reference.unwrap_or_else(|| self.transactions.fresh_reference(&mut self.ids, 10));
        let mut tx =
            self.transactions.blank(&mut self.ids, reference, amount, currency, customer, Origin::Initialize, now);
        tx.gateway_response = "The transaction was not completed".into();
        tx.metadata = metadata;
        tx.callback_url = callback_url;
        tx.access_code = Some(self.ids.lower_alnum(15));
        let index = self.transactions.insert(tx);
        self.ledger.record_status("transaction.initialize", &self.transactions[index], now);
        Ok(index)
    }

    /// Completes an initialized transaction as the customer does at checkout, with what their
    /// card did: paid (the card becomes a reusable authorization) or refused. The checkout page
    /// and `POST /_sandbox/transactions/{reference}/complete` both come here.
    pub(crate) fn complete(&mut self, reference: &str, payment: CheckoutPayment) -> Result<usize, Refusal> {
        let index = self.transactions.by_reference(reference).ok_or(Refusal::ReferenceNotFound)?;
        let tx = &self.transactions[index];
        if tx.status != TxStatus::Abandoned || tx.origin != Origin::Initialize {
            return Err(Refusal::NotAwaitingPayment { reference: reference.into() });
        }
        let now = self.now;
        let authorization = match &payment {
            CheckoutPayment::Paid { behaviour, last4 } => {
                let auth = self.cards.issue(&mut self.ids, self.transactions[index].customer, behaviour.clone(), None);
                if let Some(last4) = last4 {
                    self.cards[auth].last4 = (*last4).into();
                }
                Some(self.cards[auth].code.clone())
            }
            CheckoutPayment::Refused { .. } => None,
        };
        let tx = &mut self.transactions[index];
        tx.ip_address = Some("127.0.0.1".into());
        tx.checkout_log = true;
        tx.steps.push(Step { kind: "action", message: "Attempted to pay with card".into(), at: now });
        match payment {
            CheckoutPayment::Paid { .. } => {
                tx.status = TxStatus::Success;
                tx.gateway_response = "Successful".into();
                tx.paid_at = Some(now);
                let country = authorization
                    .as_deref()
                    .and_then(|c| self.cards.by_code(c))
                    .map_or("NG", |a| self.cards[a].country_code.as_str())
                    .to_string();
                tx.fees = Some(fee(tx.amount, &tx.currency, &country));
                tx.authorization = authorization;
                tx.steps.push(Step { kind: "success", message: "Successfully paid with card".into(), at: now });
            }
            CheckoutPayment::Refused { gateway_response } => {
                tx.status = TxStatus::Failed;
                tx.steps.push(Step { kind: "error", message: format!("Error: {gateway_response}"), at: now });
                tx.gateway_response = gateway_response;
            }
        }
        self.ledger.record_status("transaction.complete", &self.transactions[index], now);
        if self.transactions[index].status == TxStatus::Success {
            self.paid(index);
        }
        Ok(index)
    }

    /// charge_authorization / partial_debit: checked against the authorization, then charged. A
    /// decline is a transaction too (it consumes the reference); a refusal changes nothing.
    pub(crate) fn charge(&mut self, request: ChargeRequest) -> Result<usize, Refusal> {
        if request.origin == Origin::PartialDebit && self.customers.by_email(&request.email).is_none() {
            return Err(Refusal::CustomerNotFound);
        }
        let auth = self.cards.reusable(&request.authorization_code).ok_or(Refusal::AuthorizationInvalid)?;
        let customer = self.cards[auth].customer;
        if self.customers[customer].email != request.email.to_ascii_lowercase() {
            return Err(Refusal::EmailDoesNotMatchAuthorization);
        }
        if request.reference.as_deref().is_some_and(|r| self.transactions.reference_taken(r)) {
            return Err(Refusal::DuplicateReference);
        }
        let reference = match request.reference {
            Some(reference) => reference,
            None => self.transactions.fresh_reference(&mut self.ids, 15),
        };
        let operation = match request.origin {
            Origin::PartialDebit => "transaction.partial_debit",
            _ => "transaction.charge_authorization",
        };
        let mut tx = self.transactions.blank(
            &mut self.ids,
            reference,
            request.amount,
            request.currency,
            customer,
            request.origin,
            self.now,
        );
        tx.metadata = request.metadata;
        tx.authorization = Some(request.authorization_code);
        let result = self.cards[auth].funds.attempt(request.amount, request.partial_at_least);
        let index = self.transactions.insert(tx);
        let country = self.cards[auth].country_code.clone();
        self.transactions[index].settle(&result, true, self.now, &country);
        self.ledger.record_status(operation, &self.transactions[index], self.now);
        if matches!(result, ChargeResult::Approved { .. }) {
            self.paid(index);
        }
        Ok(index)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::outbox::Event;
    use super::super::test_state;
    use super::*;

    #[test]
    fn same_seed_same_ids() {
        let (mut a, mut b) = (test_state(), test_state());
        let ia = a.initialize("x@example.com", 100, "NGN".into(), None, None, None).unwrap();
        let ib = b.initialize("x@example.com", 100, "NGN".into(), None, None, None).unwrap();
        assert_eq!(a.transactions[ia].reference, b.transactions[ib].reference);
        assert_eq!(a.transactions[ia].id, b.transactions[ib].id);
    }

    #[test]
    fn a_successful_charge_raises_one_event_and_a_refusal_none() {
        let mut s = test_state();
        let request = |reference: &str| ChargeRequest::succeeding(reference, 100);
        let index = s.charge(request("r-1")).unwrap();
        assert_eq!(s.outbox.take(), [Event::ChargeSucceeded { transaction: index }]);
        assert_eq!(s.charge(request("r-1")).unwrap_err(), Refusal::DuplicateReference);
        assert!(s.outbox.take().is_empty());
        assert_eq!(s.ledger.entries().len(), 1);
    }
}
