//! The transaction views: verify, fetch, list items, charges, and the webhook's `data`.

use serde_json::{Map, Value, json};

use super::{AuthKeys, customer, customer_in_list, log, metadata_single, opt_str, opt_time, source, tx_authorization};
use crate::clock::iso;
use crate::state::IntegrationState;

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
