//! The bulk-charge views: a created, fetched or listed batch, and the charges of a batch.

use serde_json::{Value, json};

use super::{metadata_single, opt_str, opt_time};
use crate::clock::iso;
use crate::state::IntegrationState;
use crate::state::records::{Authorization, Transaction};

/// The authorization bulk-charge items show (the sample has no `signature`; the OAS requires it,
/// so it follows the sample's keys).
fn authorization_in_bulk(a: &Authorization) -> Value {
    json!({
        "authorization_code": a.code,
        "bin": a.bin,
        "last4": a.last4,
        "exp_month": a.exp_month,
        "exp_year": a.exp_year,
        "channel": "card",
        "card_type": a.card_type,
        "bank": a.bank,
        "country_code": "NG",
        "brand": a.brand,
        "reusable": a.reusable,
        "account_name": opt_str(&a.account_name),
        "signature": a.signature,
    })
}

/// The compact transaction embedded in a bulk-charge item (sample `fetch-charge`).
fn transaction_in_bulk(st: &IntegrationState, tx: &Transaction) -> Value {
    json!({
        "id": tx.id,
        "domain": st.domain.as_str(),
        "status": tx.status.as_str(),
        "reference": tx.reference,
        "amount": tx.amount,
        "message": null,
        "gateway_response": tx.gateway_response,
        "paid_at": opt_time(tx.paid_at),
        "created_at": iso(tx.created_at),
        "channel": "card",
        "currency": tx.currency,
        "ip_address": null,
        "metadata": metadata_single(tx),
        "log": null,
        "fees": null,
        "fees_split": null,
        "customer": {},
        "authorization": {},
        "plan": {},
        "subaccount": {},
        "paidAt": opt_time(tx.paid_at),
        "createdAt": iso(tx.created_at),
    })
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

/// One item of GET /bulkcharge.
pub(crate) fn batch_list_item(st: &IntegrationState, batch: usize) -> Value {
    let b = &st.batches[batch];
    json!({
        "domain": st.domain.as_str(),
        "batch_code": b.code,
        "status": b.status.as_str(),
        "id": b.id,
        "createdAt": iso(b.created_at),
        "updatedAt": iso(b.updated_at),
        "integration": st.integration_id,
        "reference": b.reference,
        "easy_cron_id": null,
    })
}

/// One item of GET /bulkcharge/{id_or_code}/charges.
pub(crate) fn bulk_charge(st: &IntegrationState, charge: usize) -> Value {
    let c = &st.batches.charges[charge];
    let tx = &st.transactions[c.transaction];
    let auth = st.cards.by_code(&c.authorization).map_or_else(|| json!({}), |a| authorization_in_bulk(&st.cards[a]));
    let cust = &st.customers[c.customer];
    json!({
        "integration": st.integration_id,
        "bulkcharge": st.batches[c.batch].id,
        "customer": {
            "id": cust.id,
            "first_name": opt_str(&cust.first_name),
            "last_name": opt_str(&cust.last_name),
            "email": cust.email,
            "customer_code": cust.code,
            "phone": opt_str(&cust.phone),
            "metadata": cust.metadata.clone().unwrap_or(Value::Null),
            "risk_action": "default",
            "international_format_phone": opt_str(&cust.international_format_phone),
        },
        "authorization": auth,
        "transaction": transaction_in_bulk(st, tx),
        "domain": st.domain.as_str(),
        "amount": c.amount,
        "currency": tx.currency,
        "status": c.status.as_str(),
        "id": c.id,
        "createdAt": iso(c.created_at),
        "updatedAt": iso(c.updated_at),
        "at_least": c.at_least.unwrap_or(c.amount),
        "reference": tx.reference,
        "metadata": tx.metadata.clone().unwrap_or_else(|| json!({"custom_fields": []})),
        "message": c.message,
        "attempt_partial_debit": c.attempt_partial_debit,
    })
}
