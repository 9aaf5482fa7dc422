//! The JSON shapes of Paystack's answers. Each view lists its keys in the order, and with the
//! value types, of Paystack's sample for that endpoint; the samples disagree with one another in
//! places (`metadata` "" vs null, `plan` {} vs null vs 0, `source` object vs null), and each view
//! reproduces its own endpoint's sample. Keys the samples lack but the OAS schema requires are
//! added at the end of the object. This module holds the pieces the views share.

pub(crate) mod batches;
pub(crate) mod transactions;

use serde_json::{Value, json};

use crate::clock::iso;
use crate::state::IntegrationState;
use crate::state::records::{Authorization, Customer, Transaction, TxStatus};

pub(crate) fn opt_str(v: &Option<String>) -> Value {
    v.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

pub(crate) fn opt_time(v: Option<i64>) -> Value {
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
pub(crate) fn customer_in_list(c: &Customer) -> Value {
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
pub(crate) struct AuthKeys {
    pub receiver: bool,
}

pub(crate) fn authorization(a: &Authorization, keys: AuthKeys) -> Value {
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

/// A transaction's authorization, or `{}` when none was created (abandoned, declined at checkout).
pub(crate) fn tx_authorization(st: &IntegrationState, tx: &Transaction, keys: AuthKeys) -> Value {
    tx.authorization
        .as_deref()
        .and_then(|code| st.cards.by_code(code))
        .map_or_else(|| json!({}), |a| authorization(&st.cards[a], keys))
}

/// `metadata` of single-object views: what was sent, or `""` when nothing was (as the samples).
pub(crate) fn metadata_single(tx: &Transaction) -> Value {
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

pub(crate) fn log(tx: &Transaction) -> Value {
    if tx.checkout_log { timeline(tx) } else { Value::Null }
}

pub(crate) fn source(tx: &Transaction, entry_point: bool) -> Value {
    let mut v = json!({"type": "api", "source": "merchant_api", "identifier": null});
    if entry_point {
        if let Value::Object(map) = &mut v {
            map.insert("entry_point".into(), Value::String(tx.origin.entry_point().into()));
        }
    }
    v
}
