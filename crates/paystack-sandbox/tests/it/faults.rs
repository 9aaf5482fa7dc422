//! Faults: latency, 5xx, 429 with Paystack's headers, dropped connections before and after
//! processing, truncated bodies; targeting, determinism, and the ledger that tells what happened.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::*;

fn charge_body(reference: &str) -> Value {
    json!({"email": EMAIL_SUCCESS, "amount": 1000, "authorization_code": AUTH_SUCCESS, "reference": reference})
}

#[tokio::test]
async fn latency_targets_a_route() {
    let sb = Sandbox::start(json!({"faults": [{"kind": "latency", "ms": 150, "route": "/transaction/verify/*"}]}));
    let api = sb.api();
    api.get("/transaction/totals").await;
    // Another route is not delayed: its log entry names no fault (a timing would depend on load).
    let other = api.get("/_sandbox/requests?path=/transaction/totals").await.body["data"][0].clone();
    assert_eq!(other["path"], "/transaction/totals", "{other}");
    assert!(other["fault"].is_null(), "{other}");
    let started = Instant::now();
    api.get("/transaction/verify/x").await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    let log = api.get("/_sandbox/requests?path=/transaction/verify/x").await.body["data"][0].clone();
    assert_eq!(log["fault"], "latency:150ms");
}

#[tokio::test]
async fn a_401_fault_answers_as_a_revoked_key() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    api.put("/_sandbox/faults", json!([{"kind": "error", "status": 401, "route": "/transaction", "after": 1}])).await;
    assert_eq!(api.get("/transaction").await.status, 200);
    let reply = api.get("/transaction").await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body, json!({"status": false, "message": "Invalid key"}));
}

#[tokio::test]
async fn server_errors_do_not_process_the_request() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    for status in [500u16, 502, 503] {
        api.put("/_sandbox/faults", json!([{"kind": "error", "status": status, "method": "POST", "route": "/transaction/charge_authorization"}])).await;
        let reply = api.post("/transaction/charge_authorization", charge_body(&format!("err-{status}"))).await;
        assert_eq!(reply.status, status);
        assert_eq!(reply.body["status"], false);
        assert_eq!(reply.body["type"], "api_error");
        assert_eq!(api.ledger(&format!("?reference=err-{status}")).await["entries"], json!([]));
    }
    // Other routes and the control API are untouched.
    assert_eq!(api.get("/transaction").await.status, 200);
    api.put("/_sandbox/faults", json!([{"kind": "error", "status": 503}])).await;
    assert_eq!(api.get("/_sandbox/faults").await.status, 200);
    assert_eq!(api.get("/_sandbox/health").await.status, 200);
    assert_eq!(api.get("/transaction").await.status, 503);
    assert_eq!(api.delete("/_sandbox/faults").await.status, 200);
    assert_eq!(api.get("/transaction").await.status, 200);
}

#[tokio::test]
async fn rate_limit_preset_paystack_test() {
    let sb = Sandbox::start(json!({"faults": [{"kind": "rate_limit", "preset": "paystack-test"}]}));
    let api = sb.api();
    for i in 0..100u32 {
        let reply = api.get("/transaction/totals").await;
        assert_eq!(reply.status, 200, "request {i}");
        assert_eq!(reply.headers["x-ratelimit-limit"], "100");
        assert_eq!(reply.headers["x-ratelimit-remaining"], (99 - i).to_string().as_str());
    }
    let limited = api.get("/transaction/totals").await;
    assert_eq!(limited.status, 429);
    assert_eq!(
        limited.body,
        json!({"status": false, "message": "Rate limit exceeded!", "meta": {"nextStep": "Wait a few minutes and try the API call again"}, "type": "api_error", "code": "rate_limited"})
    );
    assert_eq!(limited.headers["x-ratelimit-limit"], "100");
    assert_eq!(limited.headers["x-ratelimit-remaining"], "0");
    let reset: u64 = limited.headers["x-ratelimit-reset"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&reset), "{reset}");
    assert_eq!(limited.headers["retry-after"].to_str().unwrap(), reset.to_string());
    // Quotas are per integration.
    assert_eq!(sb.api_with(Some("sk_test_fresh_quota")).get("/transaction/totals").await.status, 200);
    // The control API is never rate limited.
    assert_eq!(api.get("/_sandbox/ledger").await.status, 200);
}

#[tokio::test]
async fn rate_limit_window_resets() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    api.put("/_sandbox/faults", json!([{"kind": "rate_limit", "limit": 2, "window_ms": 300, "method": "GET"}])).await;
    assert_eq!(api.get("/transaction").await.status, 200);
    assert_eq!(api.get("/transaction").await.status, 200);
    assert_eq!(api.get("/transaction").await.status, 429);
    assert_eq!(
        api.post("/transaction/initialize", json!({"email": "a@example.com", "amount": 5})).await.status,
        200,
        "only GETs are limited"
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(api.get("/transaction").await.status, 200);
    let preset = api.put("/_sandbox/faults", json!([{"kind": "rate_limit", "preset": "paystack-live"}])).await;
    assert_eq!(preset.body["data"]["rules"][0]["preset"], "paystack-live");
    assert_eq!(api.get("/transaction").await.headers["x-ratelimit-limit"], "600");
}

#[tokio::test]
async fn drop_before_processing_changes_nothing() {
    let sb = Sandbox::start(
        json!({"faults": [{"kind": "drop_before", "method": "POST", "route": "/transaction/charge_authorization", "count": 1}]}),
    );
    let api = sb.api();
    let first =
        api.try_send(reqwest::Method::POST, "/transaction/charge_authorization", Some(charge_body("drop-1"))).await;
    assert!(first.is_err(), "the connection closes without an answer");
    assert_eq!(api.ledger("?reference=drop-1").await["entries"], json!([]));
    let logged = api.get("/_sandbox/requests?method=POST").await.body["data"][0].clone();
    assert_eq!(logged["fault"], "drop_before");
    // The retry goes through (count: 1) and charges once.
    let retry = api.post("/transaction/charge_authorization", charge_body("drop-1")).await;
    assert_eq!(retry.body["data"]["status"], "success");
    assert_eq!(api.ledger("?reference=drop-1").await["counts"]["drop-1"]["successful_charges"], 1);
}

#[tokio::test]
async fn drop_after_processing_and_the_ledger_proves_one_charge() {
    let sb = Sandbox::start(
        json!({"faults": [{"kind": "drop_after", "method": "POST", "route": "/transaction/charge_authorization", "count": 1}]}),
    );
    let api = sb.api();
    let first =
        api.try_send(reqwest::Method::POST, "/transaction/charge_authorization", Some(charge_body("once-1"))).await;
    assert!(first.is_err(), "no answer");
    // It was processed: the transaction exists.
    assert_eq!(api.get("/transaction/verify/once-1").await.body["data"]["status"], "success");
    // A client retrying with the same reference is refused, so the customer is charged once.
    let retry = api.post("/transaction/charge_authorization", charge_body("once-1")).await;
    assert_eq!(retry.body["message"], "Duplicate Transaction Reference");
    let ledger = api.ledger("?reference=once-1").await;
    assert_eq!(ledger["counts"]["once-1"], json!({"entries": 1, "successful_charges": 1}));
    assert_eq!(ledger["entries"][0]["operation"], "transaction.charge_authorization");
    assert_eq!(ledger["entries"][0]["amount"], 1000);
}

#[tokio::test]
async fn truncated_bodies_keep_status_and_headers() {
    let sb = Sandbox::start(json!({"faults": [{"kind": "truncate", "route": "/transaction/totals"}]}));
    let url = format!("{}/transaction/totals", sb.server.base_url());
    let response = sb.client.get(&url).bearer_auth(sb.server.secret_key()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let declared: usize = response.headers()["content-length"].to_str().unwrap().parse().unwrap();
    assert!(declared > 20);
    assert!(response.bytes().await.is_err(), "the body ends early");
    // Raw socket view: status line and headers complete, fewer body bytes than declared.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(sb.server.local_addr()).await.unwrap();
    let request = format!(
        "GET /transaction/totals HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n\r\n",
        sb.server.secret_key()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"));
    assert_eq!(body.len(), declared / 2);
}

#[tokio::test]
async fn error_rates_are_deterministic_per_seed() {
    let pattern = |seed: u64| async move {
        let sb = Sandbox::start(
            json!({"faults": {"seed": seed, "rules": [{"kind": "error", "status": 503, "rate": 0.5, "route": "/transaction"}]}}),
        );
        let api = sb.api();
        let mut hits = Vec::new();
        for _ in 0..40 {
            hits.push(api.get("/transaction").await.status == 503);
        }
        hits
    };
    let a = pattern(11).await;
    assert_eq!(a, pattern(11).await, "same seed, same faults");
    assert_ne!(a, pattern(12).await, "another seed, other faults");
    let fired = a.iter().filter(|h| **h).count();
    assert!((8..=32).contains(&fired), "{fired}");
}

#[tokio::test]
async fn bad_fault_rules_are_refused() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let reply = api.put("/_sandbox/faults", json!([{"kind": "latency"}])).await;
    assert_eq!(reply.status, 400);
    assert!(reply.body["message"].as_str().unwrap().contains("ms"));
    let stats = api.put("/_sandbox/faults", json!([{"kind": "latency", "ms": 1, "after": 1}])).await;
    assert_eq!(stats.status, 200);
    api.get("/transaction").await;
    api.get("/transaction").await;
    assert_eq!(api.get("/_sandbox/faults").await.body["data"]["stats"][0], json!({"matched": 2, "fired": 1}));
}
