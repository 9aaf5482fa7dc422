//! A call whose future is dropped (a cancelled task, an interrupted wait) stops: no new attempt,
//! backoff, retry or lookup starts afterwards, an attempt in flight is abandoned, and a charge
//! that may have happened is reported.

use std::time::Duration;

use paystack_core::{CallOptions, Level};
use serde_json::json;

use crate::harness::*;

/// Runs the call for `after`, then drops it; returns how many requests had reached the sandbox
/// at that moment, and how many a while later.
async fn cancel_after(sb: &Sandbox, reference: &str, after: Duration, quiet: Duration) -> (usize, usize) {
    let call = call(&sb.client, "transaction.charge_authorization", charge_args(reference), CallOptions::default());
    assert!(tokio::time::timeout(after, call).await.is_err(), "the call ended before it was cancelled");
    let at_cancel = sb.requests().await.len();
    tokio::time::sleep(quiet).await;
    (at_cancel, sb.requests().await.len())
}

#[tokio::test]
async fn a_call_cancelled_during_its_backoff_sends_nothing_more() {
    let sb = Sandbox::new("cancel_in_backoff");
    // Use up a 2 s window, so the charge is refused (unprocessed) with Retry-After.
    sb.set_faults(json!([{"kind": "rate_limit", "limit": 1, "window_ms": 2000}])).await;
    ok(call(&sb.client, "transaction.totals", json!({}), CallOptions::default()).await);
    let (at_cancel, later) = cancel_after(&sb, "cb-1", Duration::from_millis(300), Duration::from_millis(2500)).await;
    assert_eq!((at_cancel, later), (2, 2), "a request was sent after the cancel");
    assert_eq!(sb.charges_of("cb-1").await, 0);
    // Nothing was at stake (a 429 is never processed): no warning.
    assert_eq!(sb.recorder.messages(Level::Warning), Vec::<String>::new());
}

#[tokio::test]
async fn a_call_cancelled_during_a_slow_answer_abandons_it_and_says_so() {
    let sb = Sandbox::new("cancel_in_flight");
    sb.set_faults(json!([{"kind": "latency", "ms": 1000, "route": CHARGE}])).await;
    let (at_cancel, later) = cancel_after(&sb, "cf-1", Duration::from_millis(200), Duration::from_millis(1500)).await;
    assert_eq!((at_cancel, later), (1, 1), "a request was sent after the cancel");
    // The request was on the wire before the cancel: at most that one charge (the sandbox drops a
    // request whose connection closed while it was held; Paystack may process it).
    assert!(sb.charges_of("cf-1").await <= 1);
    let warnings = sb.recorder.messages(Level::Warning);
    assert_eq!(
        warnings,
        [
            "transaction.charge_authorization cancelled while its request was on the wire: reference cf-1 (authorization …s001) may have been charged; verify it before charging again"
        ]
    );
}

#[tokio::test]
async fn a_call_cancelled_while_verifying_a_lost_answer_stops_and_says_so() {
    let sb = Sandbox::new("cancel_in_lookup");
    sb.set_faults(json!([
        {"kind": "drop_after", "route": CHARGE, "count": 1},
        {"kind": "latency", "ms": 1000, "route": "/transaction/verify/*"},
    ]))
    .await;
    let (at_cancel, later) = cancel_after(&sb, "cl-1", Duration::from_millis(400), Duration::from_millis(1500)).await;
    assert_eq!(at_cancel, later, "a request was sent after the cancel");
    assert_eq!(sb.paths().await, [format!("POST {CHARGE}"), "GET /transaction/verify/cl-1".into()]);
    assert_eq!(sb.charges_of("cl-1").await, 1);
    let warnings = sb.recorder.messages(Level::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("cancelled before an attempt whose answer was lost could be verified: reference cl-1"),
        "{warnings:?}"
    );
}

#[tokio::test]
async fn a_cancelled_read_says_nothing() {
    let sb = Sandbox::new("cancel_a_read");
    sb.set_faults(json!([{"kind": "latency", "ms": 600}])).await;
    let read = call(&sb.client, "transaction.totals", json!({}), CallOptions::default());
    assert!(tokio::time::timeout(Duration::from_millis(100), read).await.is_err());
    assert_eq!(sb.recorder.messages(Level::Warning), Vec::<String>::new());
}
