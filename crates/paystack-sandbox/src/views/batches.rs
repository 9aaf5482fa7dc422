//! The bulk-charge views: a created, fetched or listed batch, and the charges of a batch.

use serde::ser::{Serialize, Serializer};
use serde_json::{Value, json};

use super::{EmptyObject, Iso, NULL, write_object};
use crate::clock::iso;
use crate::state::IntegrationState;
use crate::state::records::{Authorization, Customer, Transaction};

/// The authorization bulk-charge items show (the sample has no `signature`; the OAS requires it,
/// so it follows the sample's keys), or `{}`.
struct AuthorizationInBulk<'a>(Option<&'a Authorization>);

impl Serialize for AuthorizationInBulk<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(a) = self.0 else { return EmptyObject.serialize(serializer) };
        write_object!(serializer, {
            "authorization_code": a.code,
            "bin": a.bin,
            "last4": a.last4,
            "exp_month": a.exp_month,
            "exp_year": a.exp_year,
            "channel": "card",
            "card_type": a.card_type,
            "bank": a.bank,
            "country_code": a.country_code,
            "brand": a.brand,
            "reusable": a.reusable,
            "account_name": a.account_name,
            "signature": a.signature,
        })
    }
}

/// The compact transaction embedded in a bulk-charge item (sample `fetch-charge`).
struct TransactionInBulk<'a> {
    st: &'a IntegrationState,
    tx: &'a Transaction,
}

impl Serialize for TransactionInBulk<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tx = self.tx;
        write_object!(serializer, {
            "id": tx.id,
            "domain": self.st.domain.as_str(),
            "status": tx.status.as_str(),
            "reference": tx.reference,
            "amount": tx.amount,
            "message": NULL,
            "gateway_response": tx.gateway_response,
            "paid_at": Iso(tx.paid_at),
            "created_at": Iso(Some(tx.created_at)),
            "channel": "card",
            "currency": tx.currency,
            "ip_address": NULL,
            "metadata": MetadataSingle(tx),
            "log": NULL,
            "fees": NULL,
            "fees_split": NULL,
            "customer": EmptyObject,
            "authorization": EmptyObject,
            "plan": EmptyObject,
            "subaccount": EmptyObject,
            "paidAt": Iso(tx.paid_at),
            "createdAt": Iso(Some(tx.created_at)),
        })
    }
}

/// `metadata` of single-object views: what was sent, or `""` when nothing was.
struct MetadataSingle<'a>(&'a Transaction);

impl Serialize for MetadataSingle<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0.metadata {
            Some(value) => value.serialize(serializer),
            None => serializer.serialize_str(""),
        }
    }
}

/// A bulk charge's metadata: the transaction's, or `{"custom_fields": []}`.
struct ChargeMetadata<'a>(&'a Transaction);

impl Serialize for ChargeMetadata<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0.metadata {
            Some(value) => value.serialize(serializer),
            None => write_object!(serializer, { "custom_fields": [(); 0] }),
        }
    }
}

/// The customer inside a bulk-charge item.
struct CustomerInBulk<'a>(&'a Customer);

impl Serialize for CustomerInBulk<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        write_object!(serializer, {
            "id": c.id,
            "first_name": c.first_name,
            "last_name": c.last_name,
            "email": c.email,
            "customer_code": c.code,
            "phone": c.phone,
            "metadata": c.metadata,
            "risk_action": "default",
            "international_format_phone": c.international_format_phone,
        })
    }
}

/// POST /bulkcharge.
pub(crate) fn batch_created(st: &IntegrationState, batch: usize) -> Value {
    let b = &st.batches[batch];
    json!({
        "batch_code": b.code,
        "reference": b.reference,
        "id": b.id,
        "integration": st.integration_id,
        "domain": st.domain.as_str(),
        "status": b.status.as_str(),
        "total_charges": b.charges.len(),
        "pending_charges": st.batches[batch].queue.len(),
        "createdAt": iso(b.created_at),
        "updatedAt": iso(b.updated_at),
    })
}

/// GET /bulkcharge/{id_or_code}.
pub(crate) fn batch(st: &IntegrationState, batch: usize) -> Value {
    let b = &st.batches[batch];
    json!({
        "domain": st.domain.as_str(),
        "batch_code": b.code,
        "status": b.status.as_str(),
        "id": b.id,
        "total_charges": b.charges.len(),
        "pending_charges": st.batches[batch].queue.len(),
        "createdAt": iso(b.created_at),
        "updatedAt": iso(b.updated_at),
        "reference": b.reference,
        "integration": st.integration_id,
    })
}

/// One item of GET /bulkcharge, written straight to the answer.
pub(crate) struct BatchListItem<'a> {
    pub st: &'a IntegrationState,
    pub batch: usize,
}

impl Serialize for BatchListItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let b = &self.st.batches[self.batch];
        write_object!(serializer, {
            "domain": self.st.domain.as_str(),
            "batch_code": b.code,
            "status": b.status.as_str(),
            "id": b.id,
            "createdAt": Iso(Some(b.created_at)),
            "updatedAt": Iso(Some(b.updated_at)),
            "integration": self.st.integration_id,
            "reference": b.reference,
            "easy_cron_id": NULL,
        })
    }
}

/// One item of GET /bulkcharge/{id_or_code}/charges, written straight to the answer.
pub(crate) struct ChargeItem<'a> {
    pub st: &'a IntegrationState,
    pub charge: usize,
}

impl Serialize for ChargeItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let st = self.st;
        let c = &st.batches.charges[self.charge];
        let tx = &st.transactions[c.transaction];
        let card = st.cards.by_code(&c.authorization).map(|a| &st.cards[a]);
        write_object!(serializer, {
            "integration": st.integration_id,
            "bulkcharge": st.batches[c.batch].id,
            "customer": CustomerInBulk(&st.customers[c.customer]),
            "authorization": AuthorizationInBulk(card),
            "transaction": TransactionInBulk { st, tx },
            "domain": st.domain.as_str(),
            "amount": c.amount,
            "currency": tx.currency,
            "status": c.status.as_str(),
            "id": c.id,
            "createdAt": Iso(Some(c.created_at)),
            "updatedAt": Iso(Some(c.updated_at)),
            "at_least": c.at_least.unwrap_or(c.amount),
            "reference": tx.reference,
            "metadata": ChargeMetadata(tx),
            "message": c.message,
            "attempt_partial_debit": c.attempt_partial_debit,
        })
    }
}
