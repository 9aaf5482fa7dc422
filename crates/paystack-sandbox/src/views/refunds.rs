//! A refund as Paystack shows it (docs/paystack-api.md §8.3): the create answer (the transaction
//! as an object, `samples/api/refunds/create`), fetch and list (the transaction as an id,
//! `samples/doc/payments/refunds/list-refunds`, `samples/api/refunds/fetch`), and the `refund.*`
//! events (`samples/doc/payments/refunds/events`).

use serde_json::{Map, Value, json};

use super::opt_time;
use crate::clock::iso;
use crate::state::IntegrationState;
use crate::state::refunds::{REFUNDED_BY, RefundStatus};

/// GET /refund/{id}, GET /refund items, and the retry answer.
pub(crate) fn refund(st: &IntegrationState, index: usize) -> Value {
    let r = &st.refunds[index];
    let tx = &st.transactions[r.transaction];
    json!({
        "integration": st.integration_id,
        "transaction": tx.id,
        "dispute": Value::Null,
        "settlement": r.settlement.map(|s| st.settlements[s].id),
        "id": r.id,
        "domain": st.domain.as_str(),
        "currency": r.currency,
        "amount": r.amount,
        "status": r.status.as_str(),
        "refunded_at": opt_time(r.refunded_at),
        "expected_at": iso(r.expected_at),
        "channel": Value::Null,
        "refunded_by": REFUNDED_BY,
        "customer_note": r.customer_note,
        "merchant_note": r.merchant_note,
        "deducted_amount": r.deducted_amount,
        "fully_deducted": r.fully_deducted(),
        "createdAt": iso(r.created_at),
        "updatedAt": iso(r.updated_at),
    })
}

/// POST /refund's answer: the refund with its transaction as an object.
pub(crate) fn created(st: &IntegrationState, index: usize) -> Value {
    let r = &st.refunds[index];
    let tx = &st.transactions[r.transaction];
    let transaction = json!({
        "id": tx.id,
        "domain": st.domain.as_str(),
        "reference": tx.reference,
        "amount": tx.amount,
        "paid_at": opt_time(tx.paid_at),
        "channel": "card",
        "currency": tx.currency,
        "authorization": {"exp_month": Value::Null, "exp_year": Value::Null, "account_name": Value::Null},
        "customer": {"international_format_phone": st.customers[tx.customer].international_format_phone},
        "plan": {},
        "subaccount": {"currency": Value::Null},
        "split": {},
        "order_id": Value::Null,
        "paidAt": opt_time(tx.paid_at),
        "pos_transaction_data": Value::Null,
        "source": Value::Null,
        "fees_breakdown": Value::Null,
    });
    let mut data = Map::new();
    data.insert("transaction".into(), transaction);
    if let Value::Object(rest) = refund(st, index) {
        for (key, value) in rest {
            if key != "transaction" {
                data.insert(key, value);
            }
        }
    }
    Value::Object(data)
}

/// The `data` of a `refund.*` event for the refund reaching `status` (`amount` a string, as in
/// Paystack's samples).
pub(crate) fn webhook(st: &IntegrationState, index: usize, status: RefundStatus) -> Value {
    let r = &st.refunds[index];
    let tx = &st.transactions[r.transaction];
    let customer = &st.customers[tx.customer];
    json!({
        "status": status.as_str(),
        "transaction_reference": tx.reference,
        "refund_reference": if status == RefundStatus::Processed { r.refund_reference.clone() } else { None },
        "amount": r.amount.to_string(),
        "currency": r.currency,
        "processor": "sandbox",
        "customer": {"first_name": customer.first_name, "last_name": customer.last_name, "email": customer.email},
        "integration": st.integration_id,
        "domain": st.domain.as_str(),
        "id": r.id.to_string(),
        "customer_note": r.customer_note,
        "merchant_note": r.merchant_note,
    })
}
