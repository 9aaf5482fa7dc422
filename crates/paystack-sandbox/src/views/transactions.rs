//! The JSON shapes of Paystack's answers. Each view lists its keys in the order, and with the
//! value types, of Paystack's sample for that endpoint; the samples disagree with one another in
//! places (`metadata` "" vs null, `plan` {} vs null vs 0, `source` object vs null), and each view
//! reproduces its own endpoint's sample. Keys the samples lack but the OAS schema requires are
//! added at the end of the object.

use serde_json::{Map, Value, json};

use crate::clock::iso;
use crate::state::IntegrationState;
use crate::state::model::{Authorization, Customer, Transaction, TxStatus};

fn opt_str(v: &Option<String>) -> Value {
    v.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

fn opt_time(v: Option<i64>) -> Value {
    v.map_or(Value::Null, |t| Value::String(iso(t)))
}

/// The customer as verify, fetch, charge_authorization and webhooks show it.
pub(crate) fn customer(c: &Customer) -> Value {
    json!({
        "id": c.id,
        "first_name": opt_str(&c.first_name),
        "last_name": opt_str(&c.last_name),
        "email": c.email,
        "customer_code": c.code,
        "phone": opt_str(&c.phone),
        "metadata": c.metadata.clone().unwrap_or(Value::Null),
        "risk_action": "default",
        "international_format_phone": opt_str(&c.international_format_phone),
    })
}

/// The customer inside GET /transaction items (no `international_format_phone`, other key order).
fn customer_in_list(c: &Customer) -> Value {
    json!({
        "id": c.id,
        "first_name": opt_str(&c.first_name),
        "last_name": opt_str(&c.last_name),
        "email": c.email,
        "phone": opt_str(&c.phone),
        "metadata": c.metadata.clone().unwrap_or(Value::Null),
        "customer_code": c.code,
        "risk_action": "default",
    })
}

/// Which optional keys an authorization object carries in a view.
#[derive(Debug, Clone, Copy)]
struct AuthKeys {
    receiver: bool,
}

fn authorization(a: &Authorization, keys: AuthKeys) -> Value {
    let mut v = json!({
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
        "signature": a.signature,
        "account_name": opt_str(&a.account_name),
    });
    if keys.receiver {
        if let Value::Object(map) = &mut v {
            map.insert("receiver_bank_account_number".into(), Value::Null);
            map.insert("receiver_bank".into(), Value::Null);
        }
    }
    v
}

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

/// A transaction's authorization, or `{}` when none was created (abandoned, declined at checkout).
fn tx_authorization(st: &IntegrationState, tx: &Transaction, keys: AuthKeys) -> Value {
    tx.authorization
        .as_deref()
        .and_then(|code| st.authorization(code))
        .map_or_else(|| json!({}), |a| authorization(&st.authorizations[a], keys))
}

/// `metadata` of single-object views: what was sent, or `""` when nothing was (as the samples).
fn metadata_single(tx: &Transaction) -> Value {
    tx.metadata.clone().unwrap_or_else(|| Value::String(String::new()))
}

/// The timeline / `log` object, built from the transaction's steps.
pub(crate) fn timeline(tx: &Transaction) -> Value {
    let start = tx.created_at;
    let last = tx.steps.last().map_or(start, |s| s.at);
    let history: Vec<Value> = tx
        .steps
        .iter()
        .map(|s| json!({"type": s.kind, "message": s.message, "time": (s.at - start).max(0) / 1000}))
        .collect();
    json!({
        "start_time": start / 1000,
        "time_spent": (last - start).max(0) / 1000,
        "attempts": tx.steps.iter().filter(|s| s.kind == "action").count(),
        "errors": tx.steps.iter().filter(|s| s.kind == "error").count(),
        "success": tx.status == TxStatus::Success,
        "mobile": false,
        "input": [],
        "history": history,
    })
}

fn log(tx: &Transaction) -> Value {
    if tx.checkout_log { timeline(tx) } else { Value::Null }
}

fn source(tx: &Transaction, entry_point: bool) -> Value {
    let mut v = json!({"type": "api", "source": "merchant_api", "identifier": null});
    if entry_point {
        if let Value::Object(map) = &mut v {
            map.insert("entry_point".into(), Value::String(tx.origin.entry_point().into()));
        }
    }
    v
}

/// GET /transaction/verify/{reference}.
pub(crate) fn verify(st: &IntegrationState, index: usize) -> Value {
    let tx = &st.transactions[index];
    json!({
        "id": tx.id,
        "domain": st.domain.as_str(),
        "status": tx.status.as_str(),
        "reference": tx.reference,
        "receipt_number": null,
        "amount": tx.amount,
        "message": null,
        "gateway_response": tx.gateway_response,
        "paid_at": opt_time(tx.paid_at),
        "created_at": iso(tx.created_at),
        "channel": "card",
        "currency": tx.currency,
        "ip_address": opt_str(&tx.ip_address),
        "metadata": metadata_single(tx),
        "log": log(tx),
        "fees": tx.fees,
        "fees_split": null,
        "authorization": tx_authorization(st, tx, AuthKeys { receiver: false }),
        "customer": customer(&st.customers[tx.customer]),
        "plan": null,
        "split": {},
        "order_id": null,
        "paidAt": opt_time(tx.paid_at),
        "createdAt": iso(tx.created_at),
        "requested_amount": tx.requested_amount,
        "pos_transaction_data": null,
        "source": null,
        "fees_breakdown": null,
        "connect": null,
        "transaction_date": iso(tx.created_at),
        "plan_object": {},
        "subaccount": {},
    })
}

/// GET /transaction/{id}.
pub(crate) fn fetch(st: &IntegrationState, index: usize) -> Value {
    let tx = &st.transactions[index];
    json!({
        "id": tx.id,
        "domain": st.domain.as_str(),
        "status": tx.status.as_str(),
        "reference": tx.reference,
        "receipt_number": null,
        "amount": tx.amount,
        "message": null,
        "gateway_response": tx.gateway_response,
        "helpdesk_link": null,
        "paid_at": opt_time(tx.paid_at),
        "created_at": iso(tx.created_at),
        "channel": "card",
        "currency": tx.currency,
        "ip_address": opt_str(&tx.ip_address),
        "metadata": metadata_single(tx),
        "log": log(tx),
        "fees": tx.fees,
        "fees_split": null,
        "authorization": tx_authorization(st, tx, AuthKeys { receiver: true }),
        "customer": customer(&st.customers[tx.customer]),
        "plan": {},
        "subaccount": {},
        "split": {},
        "order_id": null,
        "paidAt": opt_time(tx.paid_at),
        "createdAt": iso(tx.created_at),
        "requested_amount": tx.requested_amount,
        "pos_transaction_data": null,
        "source": source(tx, false),
        "fees_breakdown": null,
        "connect": null,
    })
}

/// One item of GET /transaction.
pub(crate) fn list_item(st: &IntegrationState, index: usize) -> Value {
    let tx = &st.transactions[index];
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
        "ip_address": opt_str(&tx.ip_address),
        "metadata": tx.metadata.clone().unwrap_or(Value::Null),
        "log": log(tx),
        "fees": tx.fees,
        "fees_split": null,
        "customer": customer_in_list(&st.customers[tx.customer]),
        "authorization": tx_authorization(st, tx, AuthKeys { receiver: false }),
        "plan": {},
        "split": {},
        "subaccount": {},
        "order_id": null,
        "paidAt": opt_time(tx.paid_at),
        "createdAt": iso(tx.created_at),
        "requested_amount": tx.requested_amount,
        "source": source(tx, true),
        "connect": null,
        "pos_transaction_data": null,
    })
}

/// POST /transaction/charge_authorization (`partial: false`) and /transaction/partial_debit.
pub(crate) fn charge(st: &IntegrationState, index: usize, partial: bool) -> Value {
    let tx = &st.transactions[index];
    let mut map = Map::new();
    map.insert("amount".into(), tx.amount.into());
    map.insert("currency".into(), tx.currency.clone().into());
    map.insert("transaction_date".into(), iso(tx.created_at).into());
    map.insert("status".into(), tx.status.as_str().into());
    map.insert("reference".into(), tx.reference.clone().into());
    map.insert("domain".into(), st.domain.as_str().into());
    map.insert("metadata".into(), metadata_single(tx));
    map.insert("gateway_response".into(), tx.gateway_response.clone().into());
    map.insert("message".into(), Value::Null);
    map.insert("channel".into(), "card".into());
    map.insert("ip_address".into(), Value::Null);
    map.insert("log".into(), Value::Null);
    // The partial-debit schema types `fees` as a plain integer; a declined charge has none.
    let fees = if partial { tx.fees.unwrap_or(0).into() } else { json!(tx.fees) };
    map.insert("fees".into(), fees);
    map.insert("authorization".into(), tx_authorization(st, tx, AuthKeys { receiver: false }));
    map.insert("customer".into(), customer(&st.customers[tx.customer]));
    if partial {
        map.insert("plan".into(), 0.into());
        map.insert("requested_amount".into(), tx.requested_amount.into());
    } else {
        map.insert("plan".into(), Value::Null);
    }
    map.insert("id".into(), tx.id.into());
    Value::Object(map)
}

/// `data` of a `charge.success` webhook, in the bulk-charge webhook sample's shape.
pub(crate) fn webhook_transaction(st: &IntegrationState, index: usize) -> Value {
    let tx = &st.transactions[index];
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
        "ip_address": opt_str(&tx.ip_address),
        "metadata": metadata_single(tx),
        "fees_breakdown": null,
        "log": log(tx),
        "fees": tx.fees,
        "fees_split": null,
        "authorization": tx_authorization(st, tx, AuthKeys { receiver: true }),
        "customer": customer(&st.customers[tx.customer]),
        "plan": {},
        "subaccount": {},
        "split": {},
        "order_id": null,
        "paidAt": opt_time(tx.paid_at),
        "requested_amount": tx.requested_amount,
        "pos_transaction_data": null,
        "source": {"type": "api", "source": "merchant_api", "entry_point": tx.origin.entry_point(), "identifier": null},
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
        "pending_charges": st.pending_charges(batch),
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
        "pending_charges": st.pending_charges(batch),
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
    let c = &st.charges[charge];
    let tx = &st.transactions[c.transaction];
    let auth =
        st.authorization(&c.authorization).map_or_else(|| json!({}), |a| authorization_in_bulk(&st.authorizations[a]));
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
