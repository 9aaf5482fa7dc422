//! What happened: the ledger, the request log and the webhook deliveries, and clearing them.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Extension;
use axum::extract::RawQuery;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::api::envelope::ok;
use crate::api::params::query_map;
use crate::clock::iso;
use crate::integration::Integration;
use crate::request_log::RequestEntry;
use crate::state::ledger::LedgerEntry;

/// GET /_sandbox/ledger?reference=&operation= — entries plus, per reference, how many entries
/// and how many successful charges it has.
pub(crate) async fn ledger_get(
    Extension(integration): Extension<Arc<Integration>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = query_map(raw.as_deref());
    let state = integration.state.lock();
    let entries: Vec<&LedgerEntry> = state
        .ledger
        .entries()
        .iter()
        .filter(|e| q.get("reference").is_none_or(|r| *r == e.reference))
        .filter(|e| q.get("operation").is_none_or(|o| *o == e.operation))
        .collect();
    let mut counts: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for e in &entries {
        let count = counts.entry(e.reference.as_str()).or_default();
        count.0 += 1;
        if e.outcome == "success" {
            count.1 += 1;
        }
    }
    let counts: Map<String, Value> =
        counts.into_iter().map(|(r, (n, s))| (r.to_string(), json!({"entries": n, "successful_charges": s}))).collect();
    let entries: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "seq": e.seq,
                "at": iso(e.at),
                "operation": e.operation,
                "reference": e.reference,
                "amount": e.amount,
                "currency": e.currency,
                "outcome": e.outcome,
                "transaction_id": e.transaction_id,
                "batch_code": e.batch_code,
                "attempt": e.attempt,
                "gateway_response": e.gateway_response,
            })
        })
        .collect();
    ok("Ledger retrieved", json!({"entries": entries, "counts": counts}))
}

pub(crate) async fn ledger_delete(Extension(integration): Extension<Arc<Integration>>) -> Response {
    integration.state.lock().ledger.clear();
    ok("Ledger cleared", json!({}))
}

/// GET /_sandbox/requests?method=&path= — oldest first.
pub(crate) async fn requests_get(
    Extension(integration): Extension<Arc<Integration>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = query_map(raw.as_deref());
    let log = integration.requests.lock();
    let entries: Vec<Value> = log
        .entries()
        .filter(|e| q.get("method").is_none_or(|m| m.eq_ignore_ascii_case(&e.method)))
        .filter(|e| q.get("path").is_none_or(|p| *p == e.path))
        .map(RequestEntry::to_json)
        .collect();
    ok("Requests retrieved", Value::Array(entries))
}

pub(crate) async fn requests_delete(Extension(integration): Extension<Arc<Integration>>) -> Response {
    integration.requests.lock().clear();
    ok("Requests cleared", json!({}))
}

/// GET /_sandbox/webhooks?reference= — deliveries with every attempt, signature and payload.
pub(crate) async fn webhooks_get(
    Extension(integration): Extension<Arc<Integration>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let q = query_map(raw.as_deref());
    let deliveries: Vec<Value> = integration
        .deliveries
        .lock()
        .iter()
        .filter(|d| q.get("reference").is_none_or(|r| *r == d.reference))
        .map(|d| {
            let attempts: Vec<Value> = d
                .attempts
                .iter()
                .map(|a| json!({"at": iso(a.at), "status_code": a.status_code, "error": a.error, "duration_ms": a.duration_ms}))
                .collect();
            json!({
                "id": d.id,
                "event": d.event,
                "reference": d.reference,
                "transaction_id": d.transaction_id,
                "url": d.url,
                "status": d.status.as_str(),
                "createdAt": iso(d.created_at),
                "attempts": attempts,
                "signature": d.signature,
                "payload": serde_json::from_slice::<Value>(&d.body).unwrap_or(Value::Null),
            })
        })
        .collect();
    ok("Webhooks retrieved", Value::Array(deliveries))
}

pub(crate) async fn webhooks_delete(Extension(integration): Extension<Arc<Integration>>) -> Response {
    integration.deliveries.lock().clear();
    ok("Webhooks cleared", json!({}))
}
