//! Webhooks: signed with HMAC-SHA512 of the raw body, retried after non-200, logged.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_and_retried_until_200() {
    let receiver = Receiver::start(2).await;
    let sb = Sandbox::start(
        json!({"webhook_url": receiver.url(), "webhook_max_attempts": 5, "webhook_retry_interval_ms": 30}),
    );
    let api = sb.api();
    api.post(
        "/transaction/charge_authorization",
        json!({"email": EMAIL_SUCCESS, "amount": 4200, "authorization_code": AUTH_SUCCESS, "reference": "hook-1"}),
    )
    .await;
    let delivery = wait_for(Duration::from_secs(10), || {
        let api = api.clone();
        async move {
            let deliveries = api.get("/_sandbox/webhooks").await.body["data"].clone();
            (deliveries[0]["status"] == "delivered").then(|| deliveries[0].clone())
        }
    })
    .await;
    let codes: Vec<Value> = delivery["attempts"].as_array().unwrap().iter().map(|a| a["status_code"].clone()).collect();
    assert_eq!(codes, [json!(500), json!(500), json!(200)]);
    assert_eq!(receiver.count(), 3);
    let received = receiver.received.lock().clone();
    for (headers, body) in &received {
        let signature = headers["x-paystack-signature"].to_str().unwrap();
        assert_eq!(signature, hmac_sha512_hex(sb.server.secret_key(), body), "signature of the exact raw body");
        assert!(signature.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(headers["content-type"], "application/json");
    }
    assert_eq!(received[0].1, received[2].1, "retries resend the same body");
    let payload: Value = serde_json::from_slice(&received[0].1).unwrap();
    assert_eq!(payload["event"], "charge.success");
    assert_eq!(payload["data"]["reference"], "hook-1");
    assert_eq!(delivery["payload"], payload);
    assert_eq!(delivery["signature"], received[0].0["x-paystack-signature"].to_str().unwrap());
    // The transaction's event endpoint reports the delivery.
    let id = payload["data"]["id"].as_u64().unwrap();
    let events = api.get(&format!("/transaction/{id}/event")).await.body["data"]["events"].clone();
    assert_eq!(events[0]["status"], "delivered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gives_up_after_max_attempts_and_each_key_signs_its_own() {
    let receiver = Receiver::start(usize::MAX).await;
    let sb = Sandbox::start(
        json!({"webhook_url": receiver.url(), "webhook_max_attempts": 3, "webhook_retry_interval_ms": 10}),
    );
    let other = sb.api_with(Some("sk_test_someone_else"));
    other
        .post(
            "/transaction/charge_authorization",
            json!({"email": EMAIL_SUCCESS, "amount": 100, "authorization_code": AUTH_SUCCESS}),
        )
        .await;
    let delivery = wait_for(Duration::from_secs(10), || {
        let api = other.clone();
        async move {
            let d = api.get("/_sandbox/webhooks").await.body["data"][0].clone();
            (d["status"] == "failed").then_some(d)
        }
    })
    .await;
    assert_eq!(delivery["attempts"].as_array().unwrap().len(), 3);
    let (headers, body) = receiver.received.lock()[0].clone();
    assert_eq!(headers["x-paystack-signature"].to_str().unwrap(), hmac_sha512_hex("sk_test_someone_else", &body));
    // The default key's integration saw nothing.
    assert_eq!(sb.api().get("/_sandbox/webhooks").await.body["data"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn url_set_through_the_control_api_and_unreachable_receivers() {
    let receiver = Receiver::start(0).await;
    let sb = Sandbox::start(json!({"webhook_max_attempts": 2, "webhook_retry_interval_ms": 10}));
    let api = sb.api();
    // No URL: nothing is sent or logged.
    api.post(
        "/transaction/charge_authorization",
        json!({"email": EMAIL_SUCCESS, "amount": 100, "authorization_code": AUTH_SUCCESS}),
    )
    .await;
    assert_eq!(api.get("/_sandbox/webhooks").await.body["data"], json!([]));
    let config = api.put("/_sandbox/config", json!({"webhook_url": receiver.url()})).await;
    assert_eq!(config.body["data"]["webhook_url"], receiver.url());
    api.bulk(json!([{"authorization": AUTH_SUCCESS, "amount": 100}, {"authorization": AUTH_DECLINED, "amount": 100}]))
        .await;
    wait_for(Duration::from_secs(10), || async { (receiver.count() == 1).then_some(()) }).await;
    // A receiver that is not there: attempts record the connection error.
    api.put("/_sandbox/config", json!({"webhook_url": "http://127.0.0.1:9/nothing-here"})).await;
    api.post(
        "/transaction/charge_authorization",
        json!({"email": EMAIL_SUCCESS, "amount": 100, "authorization_code": AUTH_SUCCESS, "reference": "to-nowhere"}),
    )
    .await;
    let failed = wait_for(Duration::from_secs(10), || {
        let api = api.clone();
        async move {
            let d = api.get("/_sandbox/webhooks?reference=to-nowhere").await.body["data"][0].clone();
            (d["status"] == "failed").then_some(d)
        }
    })
    .await;
    assert_eq!(failed["attempts"][0]["status_code"], Value::Null);
    assert!(failed["attempts"][0]["error"].is_string());
    assert_eq!(api.put("/_sandbox/config", json!({"webhook_url": "ftp://x"})).await.status, 400);
    api.put("/_sandbox/config", json!({"webhook_url": null})).await;
    assert_eq!(api.delete("/_sandbox/webhooks").await.status, 200);
    assert_eq!(api.get("/_sandbox/webhooks").await.body["data"], json!([]));
}
