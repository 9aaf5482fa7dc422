//! The transaction views: verify, fetch, list items, charges, and the webhook's `data`.

use serde::ser::{Serialize, Serializer};
use serde_json::{Map, Value, json};

use super::{
    AuthKeys, AuthorizationView, CustomerInList, EmptyObject, Iso, NULL, Source, card_of, customer, log,
    metadata_single, opt_str, opt_time, source, tx_authorization, write_object,
};
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

/// One item of GET /transaction, written straight to the answer.
pub(crate) struct ListItem<'a> {
    pub st: &'a IntegrationState,
    pub index: usize,
}

impl Serialize for ListItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let st = self.st;
        let tx = &st.transactions[self.index];
        write_object!(serializer, {
            "id": tx.id,
            "domain": st.domain.as_str(),
            "status": tx.status.as_str(),
            "reference": tx.reference,
            "amount": tx.amount,
            "message": NULL,
            "gateway_response": tx.gateway_response,
            "paid_at": Iso(tx.paid_at),
            "created_at": Iso(Some(tx.created_at)),
            "channel": "card",
            "currency": tx.currency,
            "ip_address": tx.ip_address,
            "metadata": tx.metadata,
            "log": log(tx),
            "fees": tx.fees,
            "fees_split": NULL,
            "customer": CustomerInList(&st.customers[tx.customer]),
            "authorization": AuthorizationView { card: card_of(st, tx), keys: AuthKeys { receiver: false } },
            "plan": EmptyObject,
            "split": EmptyObject,
            "subaccount": EmptyObject,
            "order_id": NULL,
            "paidAt": Iso(tx.paid_at),
            "createdAt": Iso(Some(tx.created_at)),
            "requested_amount": tx.requested_amount,
            "source": Source { tx, entry_point: true },
            "connect": NULL,
            "pos_transaction_data": NULL,
        })
    }
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
