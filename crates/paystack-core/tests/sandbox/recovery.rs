//! Recovery where it lives: its own budget under 429s, and bulk recovery that finds a lost batch
//! in a bounded number of lookups however many batches were created after it.

use std::time::Duration;

use paystack_core::{CallOptions, Level};
use serde_json::{Value, json};

use crate::harness::*;

fn items(prefix: &str, n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"authorization": AUTH_SUCCESS, "amount": 100 + i, "reference": format!("{prefix}-{i}")}))
            .collect(),
    )
}

#[tokio::test]
async fn recovery_lookups_keep_trying_past_max_retries_until_they_know() {
    // The charge's answer is lost, then its verify is refused four times: with max_retries = 1 the
    // lookups would have given up after two tries and called the outcome unknown.
    let sb = Sandbox::new("lookup_budget");
    sb.set_faults(json!([
        {"kind": "drop_after", "route": CHARGE, "count": 1},
        {"kind": "error", "status": 429, "route": "/transaction/verify/*", "count": 4},
    ]))
    .await;
    let options = CallOptions { max_retries: Some(1), ..CallOptions::default() };
    let reply = ok(call(&sb.client, "transaction.charge_authorization", charge_args("budget-1"), options).await);
    assert!(reply.recovered);
    assert_eq!(reply.attempts, 6); // the charge, four refused lookups, the one that answered
    let paths = sb.paths().await;
    assert_eq!(paths.iter().filter(|p| p.as_str() == "GET /transaction/verify/budget-1").count(), 5, "{paths:?}");
    assert_eq!(paths.iter().filter(|p| p.starts_with("POST")).count(), 1);
    assert_eq!(sb.charges_of("budget-1").await, 1);
}

#[tokio::test]
async fn a_lookup_refused_with_retry_after_waits_for_it() {
    let sb = Sandbox::new("lookup_retry_after");
    sb.set_faults(json!([
        {"kind": "drop_after", "route": CHARGE, "count": 1},
        {"kind": "rate_limit", "limit": 1, "window_ms": 1500, "route": "/transaction/verify/*"},
    ]))
    .await;
    // Use up the window's one verify, so the charge's lookup is refused with Retry-After.
    let _ = call(&sb.client, "transaction.verify", json!({"reference": "nothing-here"}), CallOptions::default()).await;
    let options = CallOptions { max_retries: Some(0), ..CallOptions::default() };
    let reply = ok(call(&sb.client, "transaction.charge_authorization", charge_args("ra-1"), options).await);
    assert!(reply.recovered);
    let verifies: Vec<_> = sb
        .requests()
        .await
        .into_iter()
        .filter(|r| r["path"] == "/transaction/verify/ra-1")
        .map(|r| r["fault"].clone())
        .collect();
    assert_eq!(verifies.first(), Some(&json!("rate_limited")), "{verifies:?}");
    assert_eq!(verifies.last(), Some(&json!(null)), "{verifies:?}");
    assert!(verifies.len() <= 3, "it waited for the reset instead of hammering: {verifies:?}");
    assert_eq!(sb.charges_of("ra-1").await, 1);
}

#[tokio::test]
async fn a_lost_batch_is_found_with_three_lookups() {
    let sb = Sandbox::new("lost_batch_found");
    sb.set_faults(json!([{"kind": "drop_after", "method": "POST", "route": "/bulkcharge", "count": 1}])).await;
    let reply =
        ok(call(&sb.client, "bulk_charge.initiate", json!({"charges": items("lb", 3)}), CallOptions::default()).await);
    assert!(reply.recovered);
    assert_eq!(reply.body["message"], "Bulk charge retrieved");
    assert_eq!(reply.body["data"]["total_charges"], 3);
    let code = reply.body["data"]["batch_code"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        sb.paths().await,
        [
            "POST /bulkcharge".to_string(),
            "GET /transaction/verify/lb-0".into(),
            format!("GET /bulkcharge/{code}/charges"),
            format!("GET /bulkcharge/{code}"),
        ]
    );
    assert_eq!(reply.attempts, 4);
    assert_eq!(sb.ledger("bulkcharge.create").await["entries"].as_array().map(Vec::len), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_batch_is_found_however_many_newer_batches_there_are() {
    // Our batch is created but its answer lost; while the client waits to look (the first lookup
    // is held 2.5 s), another caller of the same account creates 200 batches.
    let sb = Sandbox::new("lost_batch_200_newer");
    sb.set_faults(json!([
        {"kind": "drop_after", "method": "POST", "route": "/bulkcharge", "count": 1},
        {"kind": "latency", "ms": 2500, "method": "GET", "count": 1},
    ]))
    .await;
    let other = sb.another_client();
    let newer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        for i in 0..200 {
            let charges =
                json!({"charges": [{"authorization": AUTH_SUCCESS, "amount": 100, "reference": format!("newer-{i}")}]});
            ok(call(&other, "bulk_charge.initiate", charges, CallOptions::default()).await);
        }
    });
    let options = CallOptions { total_timeout: Some(Duration::from_secs(30)), ..CallOptions::default() };
    let reply = ok(call(&sb.client, "bulk_charge.initiate", json!({"charges": items("ours", 3)}), options).await);
    newer.await.unwrap_or_else(|e| panic!("{e}"));
    assert!(reply.recovered);
    let ours: Vec<String> = sb
        .requests()
        .await
        .iter()
        .filter(|r| {
            !(r["method"] == "POST" && r["body"][0]["reference"].as_str().is_some_and(|s| s.starts_with("newer-")))
        })
        .map(|r| format!("{} {}", r["method"].as_str().unwrap_or("?"), r["path"].as_str().unwrap_or("?")))
        .collect();
    // The initiation and three lookups, whatever the 200 newer batches.
    assert_eq!(ours.len(), 4, "{ours:?}");
    assert_eq!(ours[1], "GET /transaction/verify/ours-0");
    assert_eq!(reply.attempts, 4);
    assert_eq!(sb.ledger("bulkcharge.create").await["entries"].as_array().map(Vec::len), Some(201));
    let info = sb.recorder.messages(Level::Info);
    assert!(
        info.iter().any(|m| m.contains("reference ours-0 went through: returning it, not sending again (3 lookups)")),
        "{info:?}"
    );
}

#[tokio::test]
async fn a_batch_refused_with_500_is_looked_up_then_sent_again_once() {
    let sb = Sandbox::new("batch_500_sent_again");
    sb.set_faults(json!([{"kind": "error", "status": 500, "method": "POST", "route": "/bulkcharge", "count": 1}]))
        .await;
    let reply =
        ok(call(&sb.client, "bulk_charge.initiate", json!({"charges": items("b5", 2)}), CallOptions::default()).await);
    assert_eq!(reply.body["message"], "Charges have been queued");
    assert_eq!(sb.paths().await, ["POST /bulkcharge", "GET /transaction/verify/b5-0", "POST /bulkcharge"]);
    assert_eq!(sb.ledger("bulkcharge.create").await["entries"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_reference_of_another_batch_is_a_duplicate_not_a_recovery() {
    // An earlier batch used reference dup-0; ours (dup-0, dup-1) is refused, and its answer lost.
    let sb = Sandbox::new("reference_of_another_batch");
    let charges = json!({"charges": [{"authorization": AUTH_SUCCESS, "amount": 100, "reference": "dup-0"}]});
    ok(call(&sb.client, "bulk_charge.initiate", charges, CallOptions::default()).await);
    sb.set_faults(json!([{"kind": "drop_after", "method": "POST", "route": "/bulkcharge", "count": 1}])).await;
    let error = failed(
        call(&sb.client, "bulk_charge.initiate", json!({"charges": items("dup", 2)}), CallOptions::default()).await,
    );
    let api = error.api().unwrap_or_else(|| panic!("{error}"));
    assert_eq!(api.code.as_deref(), Some("duplicate_reference"));
    assert_eq!(error.outcome_unknown(), None);
    assert_eq!(sb.ledger("bulkcharge.create").await["entries"].as_array().map(Vec::len), Some(1));
}
