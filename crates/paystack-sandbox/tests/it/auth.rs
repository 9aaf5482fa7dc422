//! Keys: 401s, test/live domains, and one separate integration per key.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn unauthorized_answers() {
    let sb = Sandbox::start(json!({}));
    let missing = sb.api_with(None).get("/transaction").await;
    assert_eq!(
        (missing.status, missing.body.clone()),
        (401, json!({"status": false, "message": "No Authorization Header was found"}))
    );
    for key in ["pk_test_public", "sk_test_", "sk_prod_x", "sk_test_bad-char"] {
        let reply = sb.api_with(Some(key)).get("/bulkcharge").await;
        assert_eq!(
            (reply.status, reply.body.clone()),
            (401, json!({"status": false, "message": "Invalid key"})),
            "{key}"
        );
    }
    let not_bearer = sb
        .client
        .get(format!("{}/transaction", sb.server.base_url()))
        .header("authorization", format!("Basic {}", sb.server.secret_key()))
        .send()
        .await
        .unwrap();
    assert_eq!(not_bearer.status(), 401);
    let body: serde_json::Value = not_bearer.json().await.unwrap();
    assert_eq!(body["message"], "Format is Authorization Bearer [secret key]");
    // The control API wants a key too (except health).
    assert_eq!(sb.api_with(None).get("/_sandbox/ledger").await.status, 401);
    assert_eq!(sb.api_with(None).get("/_sandbox/health").await.status, 200);
    // Unknown routes are 404 with or without a key.
    let unknown = sb.api_with(None).get("/nope").await;
    assert_eq!((unknown.status, unknown.body["status"].clone()), (404, json!(false)));
    assert_eq!(sb.api().post("/transaction", json!({})).await.status, 404, "wrong method");
}

#[tokio::test]
async fn each_key_is_its_own_integration() {
    let sb = Sandbox::start(json!({}));
    let alice = sb.api_with(Some("sk_test_alice"));
    let bob = sb.api_with(Some("sk_test_bob"));
    let live = sb.api_with(Some("sk_live_carol"));
    let charge =
        json!({"email": EMAIL_SUCCESS, "amount": 100, "authorization_code": AUTH_SUCCESS, "reference": "shared-ref"});
    assert_eq!(alice.post("/transaction/charge_authorization", charge.clone()).await.status, 200);
    // The same reference is free in another integration; fixtures exist in every one.
    assert_eq!(bob.post("/transaction/charge_authorization", charge.clone()).await.status, 200);
    let from_live = live.post("/transaction/charge_authorization", charge).await;
    assert_eq!(from_live.body["data"]["domain"], "live");
    assert_eq!(alice.get("/transaction").await.body["meta"]["total"], 1);
    assert_eq!(sb.api().get("/transaction").await.body["meta"]["total"], 0);
    assert_eq!(alice.get("/transaction/verify/shared-ref").await.body["data"]["domain"], "test");
    let a = alice.get("/transaction/verify/shared-ref").await.body["data"]["id"].clone();
    let b = bob.get("/transaction/verify/shared-ref").await.body["data"]["id"].clone();
    assert_ne!(a, b, "ids come from per-key sequences");
    // Batches are separate too.
    let batch = alice.bulk(json!([{"authorization": AUTH_SUCCESS, "amount": 100}])).await;
    assert_eq!(bob.get(&format!("/bulkcharge/{}", batch["batch_code"].as_str().unwrap())).await.status, 404);
}
