//! Retries that never charge twice: each fault the sandbox can inject, and what the ledger and the
//! request log show afterwards.

use std::time::{Duration, Instant};

use paystack_core::{CallOptions, Level};
use serde_json::json;

use crate::harness::*;

#[tokio::test]
async fn a_get_is_retried_after_5xx() {
    let sb = Sandbox::new("get_retried_after_5xx");
    sb.set_faults(json!([{"kind": "error", "status": 502, "count": 2}])).await;
    let reply = ok(call(&sb.client, "transaction.totals", json!({}), CallOptions::default()).await);
    assert_eq!(reply.attempts, 3);
    let faults: Vec<_> = sb.requests().await.iter().map(|r| r["fault"].clone()).collect();
    assert_eq!(faults, [json!("error:502"), json!("error:502"), json!(null)]);
    // One DEBUG line per request and an INFO line per retry, with the reason.
    let debug = sb.recorder.messages(Level::Debug);
    assert_eq!(debug.len(), 3, "{debug:?}");
    assert!(debug[0].starts_with("GET /transaction/totals 502 in "), "{debug:?}");
    assert!(debug[2].starts_with("GET /transaction/totals 200 in "), "{debug:?}");
    let info = sb.recorder.messages(Level::Info);
    assert_eq!(info.len(), 2, "{info:?}");
    assert!(
        info[0].starts_with("transaction.totals: attempt 1 failed (HTTP 502 Bad Gateway); trying again in "),
        "{info:?}"
    );
}

#[tokio::test]
async fn a_429_waits_for_the_servers_reset() {
    let sb = Sandbox::new("429_waits");
    sb.set_faults(json!([{"kind": "rate_limit", "limit": 2, "window_ms": 700}])).await;
    let started = Instant::now();
    let mut attempts = 0;
    for _ in 0..4 {
        let options = CallOptions { max_retries: Some(5), ..CallOptions::default() };
        attempts += ok(call(&sb.client, "transaction.totals", json!({}), options).await).attempts;
    }
    assert!(attempts > 4);
    assert!(started.elapsed() >= Duration::from_millis(500), "it waited for the window instead of hammering");
    let refused = sb.requests().await.iter().filter(|r| r["fault"] == "rate_limited").count();
    assert!((1..=3).contains(&refused), "{refused}");
}

#[tokio::test]
async fn a_charge_answered_500_is_verified_before_it_is_sent_again() {
    let sb = Sandbox::new("charge_500_verified");
    sb.set_faults(json!([{"kind": "error", "status": 500, "route": CHARGE, "count": 1}])).await;
    let reply =
        ok(call(&sb.client, "transaction.charge_authorization", charge_args("r500"), CallOptions::default()).await);
    assert_eq!(reply.body["data"]["status"], "success");
    assert_eq!((reply.attempts, reply.recovered), (3, false));
    assert_eq!(
        sb.paths().await,
        [format!("POST {CHARGE}"), "GET /transaction/verify/r500".into(), format!("POST {CHARGE}")]
    );
    assert_eq!(sb.charges_of("r500").await, 1);
    let info = sb.recorder.messages(Level::Info);
    assert!(info.iter().any(|m| m.contains("reference r500 did not go through: sending again (1 lookup)")), "{info:?}");
}

#[tokio::test]
async fn a_charge_whose_answer_was_lost_is_found_not_repeated() {
    let sb = Sandbox::new("charge_lost_found");
    sb.set_faults(json!([{"kind": "drop_after", "route": CHARGE, "count": 1}])).await;
    let reply =
        ok(call(&sb.client, "transaction.charge_authorization", charge_args("lost-1"), CallOptions::default()).await);
    assert!(reply.recovered);
    assert_eq!(reply.body["message"], "Verification successful");
    assert_eq!(reply.body["data"]["reference"], "lost-1");
    assert_eq!(reply.attempts, 2);
    assert_eq!(sb.paths().await, [format!("POST {CHARGE}"), "GET /transaction/verify/lost-1".into()]);
    assert_eq!(sb.charges_of("lost-1").await, 1);
    let info = sb.recorder.messages(Level::Info);
    assert!(info.iter().any(|m| m.contains("the answer for reference lost-1 was lost")), "{info:?}");
    assert!(
        info.iter().any(|m| m.contains("reference lost-1 went through: returning it, not sending again")),
        "{info:?}"
    );
}

#[tokio::test]
async fn a_charge_dropped_before_processing_is_sent_again_once() {
    let sb = Sandbox::new("charge_dropped_before");
    sb.set_faults(json!([{"kind": "drop_before", "route": "/transaction/partial_debit", "count": 1}])).await;
    let args = json!({"email": EMAIL_SUCCESS, "amount": 5000, "authorization_code": AUTH_SUCCESS, "currency": "NGN", "reference": "dropped-1"});
    let reply = ok(call(&sb.client, "transaction.partial_debit", args, CallOptions::default()).await);
    assert_eq!(reply.body["data"]["status"], "success");
    assert_eq!(sb.charges_of("dropped-1").await, 1);
}

#[tokio::test]
async fn a_slow_charge_past_the_timeout_charges_once() {
    // The first attempt is held 800 ms by the server and then processed; the client gives up on
    // it after 200 ms, verifies (nothing yet), and sends again with the same reference.
    let sb = Sandbox::new("slow_charge_once");
    sb.set_faults(json!([{"kind": "latency", "ms": 800, "route": CHARGE, "count": 1}])).await;
    let options = CallOptions { read_timeout: Some(Duration::from_millis(200)), ..CallOptions::default() };
    let reply = ok(call(&sb.client, "transaction.charge_authorization", charge_args("slow-1"), options).await);
    assert_eq!(reply.body["data"]["status"], "success");
    tokio::time::sleep(Duration::from_millis(1000)).await; // the held attempt finishes: refused as a duplicate
    assert_eq!(sb.charges_of("slow-1").await, 1);
}

#[tokio::test]
async fn when_the_outcome_stays_unknown_the_error_names_the_reference() {
    let sb = Sandbox::new("outcome_stays_unknown");
    sb.set_faults(json!([
        {"kind": "drop_after", "route": CHARGE},
        {"kind": "error", "status": 503, "route": "/transaction/verify/*"},
    ]))
    .await;
    let options =
        CallOptions { max_retries: Some(1), total_timeout: Some(Duration::from_secs(2)), ..CallOptions::default() };
    let started = Instant::now();
    let error = failed(call(&sb.client, "transaction.charge_authorization", charge_args("unknown-1"), options).await);
    assert_eq!(error.outcome_unknown(), Some("unknown-1"));
    assert!(error.to_string().contains("verify reference \"unknown-1\" before charging again"), "{error}");
    // The lookups kept trying until the deadline (not just max_retries + 1 times).
    assert!(started.elapsed() >= Duration::from_millis(1500), "{:?}", started.elapsed());
    let verifies = sb.paths().await.iter().filter(|p| p.starts_with("GET /transaction/verify/")).count();
    assert!(verifies > 3, "{verifies} lookups");
    assert_eq!(sb.charges_of("unknown-1").await, 1); // it did go through: the caller must verify later
    let warnings = sb.recorder.messages(Level::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with(
            "transaction.charge_authorization: outcome unknown for reference unknown-1 (authorization …s001)"
        ),
        "{warnings:?}"
    );
    assert!(!warnings[0].contains(AUTH_SUCCESS));
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_charge() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(1);
    let sb = Sandbox::with("refused_connection", |config| {
        config.base_url = format!("http://127.0.0.1:{port}");
        config.retry = fast_retries(2);
    });
    let error = failed(
        call(&sb.client, "transaction.charge_authorization", charge_args("refused-1"), CallOptions::default()).await,
    );
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.outcome_unknown(), None); // nothing was sent, so nothing is unknown
}

#[tokio::test]
async fn the_overall_deadline_bounds_every_retry() {
    let sb = Sandbox::new("deadline_bounds");
    sb.set_faults(json!([{"kind": "error", "status": 503}])).await;
    let options =
        CallOptions { max_retries: Some(50), total_timeout: Some(Duration::from_secs(1)), ..CallOptions::default() };
    let started = Instant::now();
    let error = failed(call(&sb.client, "transaction.totals", json!({}), options).await);
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert!((2..51).contains(&error.attempts()), "{}", error.attempts());
}

#[tokio::test]
async fn max_retries_zero_sends_once() {
    let sb = Sandbox::new("max_retries_zero");
    sb.set_faults(json!([{"kind": "error", "status": 503, "count": 1}])).await;
    let options = CallOptions { max_retries: Some(0), ..CallOptions::default() };
    let error = failed(call(&sb.client, "transaction.totals", json!({}), options).await);
    assert_eq!(error.attempts(), 1);
    assert_eq!(sb.requests().await.len(), 1);
}

#[tokio::test]
async fn initialize_with_a_lost_answer() {
    let sb = Sandbox::new("initialize_lost");
    // A generated reference: the orphaned (unpaid) transaction is left, a new one is made.
    sb.set_faults(json!([{"kind": "drop_after", "route": "/transaction/initialize", "count": 1}])).await;
    let reply = ok(call(
        &sb.client,
        "transaction.initialize",
        json!({"email": "ada@example.com", "amount": 5000}),
        CallOptions::default(),
    )
    .await);
    assert!(reply.body["data"]["authorization_url"].is_string());
    assert_eq!(reply.reference.as_deref(), reply.body["data"]["reference"].as_str());
    // The caller's own reference: never silently replaced; the error says what happened.
    sb.set_faults(json!([{"kind": "drop_after", "route": "/transaction/initialize", "count": 1}])).await;
    let args = json!({"email": "ada@example.com", "amount": 5000, "reference": "order-77"});
    let error = failed(call(&sb.client, "transaction.initialize", args, CallOptions::default()).await);
    let api = error.api().unwrap_or_else(|| panic!("{error}"));
    assert_eq!(api.code.as_deref(), Some("duplicate_reference"));
    assert!(api.meta.as_ref().is_some_and(|m| m["nextStep"].as_str().is_some_and(|s| s.contains("order-77"))));
}

/// The fault run in small: 200 charges, 16 at a time, through a sandbox that breaks about a fifth
/// of all requests. Every call succeeds once or fails, and no reference is ever charged twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_charges_through_faults_charge_each_reference_once() {
    let sb = std::sync::Arc::new(Sandbox::with("fault_run_small", |config| {
        config.retry = fast_retries(6);
        config.timeouts.read = Duration::from_millis(150);
    }));
    sb.set_faults(json!([
        {"kind": "latency", "ms": 400, "rate": 0.055},
        {"kind": "drop_after", "rate": 0.055},
        {"kind": "error", "status": 500, "rate": 0.055},
        {"kind": "error", "status": 503, "rate": 0.055},
    ]))
    .await;
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(16));
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (sb, slots) = (sb.clone(), slots.clone());
        tasks.push(tokio::spawn(async move {
            let _slot = slots.acquire().await;
            let reference = format!("fr-{i}");
            let result =
                call(&sb.client, "transaction.charge_authorization", charge_args(&reference), CallOptions::default())
                    .await;
            (reference, result.map(|r| r.recovered))
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap_or_else(|e| panic!("{e}")));
    }
    sb.clear_faults().await;
    tokio::time::sleep(Duration::from_millis(600)).await; // attempts still held finish (refused as duplicates)
    let ledger = sb.ledger("transaction.charge_authorization").await;
    let counts = ledger["counts"].as_object().cloned().unwrap_or_default();
    assert!(counts.values().all(|c| c["successful_charges"].as_u64() <= Some(1)), "a reference was charged twice");
    let mut recovered = 0;
    for (reference, outcome) in &outcomes {
        let charged = counts.get(reference).and_then(|c| c["successful_charges"].as_u64()).unwrap_or(0);
        match outcome {
            Ok(was_recovered) => {
                assert_eq!(charged, 1, "{reference}: a success the caller saw is exactly one charge");
                recovered += u32::from(*was_recovered);
            }
            Err(_) => assert!(charged <= 1, "{reference}"),
        }
    }
    let faulted = sb.requests().await.iter().filter(|r| !r["fault"].is_null()).count();
    assert!(faulted > 20, "{faulted} faults injected");
    assert!(recovered > 0, "recovery did real work");
    assert!(outcomes.iter().filter(|(_, o)| o.is_ok()).count() >= 195);
}
