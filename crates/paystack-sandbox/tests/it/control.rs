//! The control API: fixtures, customers, request log, reset, config.

use serde_json::{Value, json};

use crate::common::*;

#[tokio::test]
async fn fixtures_are_listed_and_documented() {
    let sb = Sandbox::start(json!({}));
    let fixtures = sb.api().get("/_sandbox/fixtures").await.body["data"].clone();
    let codes: Vec<&str> = fixtures["authorizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["authorization_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [AUTH_SUCCESS, AUTH_PLAIN, AUTH_FULL, AUTH_DECLINED, AUTH_LOW, AUTH_FLAKY3, AUTH_FLAKY5]);
    let low = &fixtures["authorizations"][4];
    assert_eq!(low["behaviour"], json!({"kind": "balance", "amount": 500_000}));
    assert_eq!(low["email"], EMAIL_LOW);
    assert!(low["description"].as_str().unwrap().contains("Insufficient Funds"));
    // Fixture codes and customers are the same for every key.
    let other = sb.api_with(Some("sk_live_other")).get("/_sandbox/fixtures").await.body["data"].clone();
    assert_eq!(other["authorizations"], fixtures["authorizations"]);
    assert_eq!(other["domain"], "live");
}

#[tokio::test]
async fn customers_with_chosen_behaviours() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let created = api
        .post(
            "/_sandbox/customers",
            json!({"email": "Eve@Example.com", "first_name": "Eve", "phone": "08011112222", "behaviour": {"kind": "fail_first", "failures": 1}, "authorization_code": "AUTH_evecard01"}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    assert_eq!(created.body["data"]["authorization"]["authorization_code"], "AUTH_evecard01");
    assert_eq!(created.body["data"]["customer"]["email"], "eve@example.com");
    let charge = |reference: &'static str| {
        let api = api.clone();
        async move {
            api.post("/transaction/charge_authorization", json!({"email": "eve@example.com", "amount": 100, "authorization_code": "AUTH_evecard01", "reference": reference}))
                .await
                .body["data"]["status"]
                .clone()
        }
    };
    assert_eq!(charge("eve-1").await, "failed");
    assert_eq!(charge("eve-2").await, "success");
    let declined = api
        .post(
            "/_sandbox/customers",
            json!({"email": "no@example.com", "behaviour": {"kind": "decline", "gateway_response": "Do Not Honor"}}),
        )
        .await;
    let code = declined.body["data"]["authorization"]["authorization_code"].as_str().unwrap().to_string();
    let reply = api
        .post(
            "/transaction/charge_authorization",
            json!({"email": "no@example.com", "amount": 100, "authorization_code": code}),
        )
        .await;
    assert_eq!(reply.body["data"]["gateway_response"], "Do Not Honor");
    for bad in [
        json!({"behaviour": {"kind": "success"}}),
        json!({"email": "x@example.com", "behaviour": {"kind": "explode"}}),
        json!({"email": "x@example.com", "authorization_code": "AUTH_evecard01"}),
        json!({"email": "x@example.com", "colour": "red"}),
    ] {
        assert_eq!(api.post("/_sandbox/customers", bad.clone()).await.status, 400, "{bad}");
    }
    let customers = api.get("/_sandbox/customers").await.body["data"].clone();
    assert!(
        customers.as_array().unwrap().iter().any(
            |c| c["email"] == "eve@example.com" && c["authorizations"][0]["authorization_code"] == "AUTH_evecard01"
        )
    );
}

#[tokio::test]
async fn request_log_shows_what_reached_the_wire() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    api.post("/transaction/initialize", json!({"email": "log@example.com", "amount": 1234})).await;
    api.get("/transaction?perPage=5&status=success").await;
    let client = &sb.client;
    client
        .get(format!("{}/transaction/totals", sb.server.base_url()))
        .bearer_auth(sb.server.secret_key())
        .header("x-request-id", "abc-1")
        .send()
        .await
        .unwrap();
    let log = api.get("/_sandbox/requests").await;
    let text = log.body.to_string();
    assert!(!text.contains(sb.server.secret_key()), "never the Authorization value");
    let entries = log.body["data"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 3, "control requests are not logged");
    assert_eq!(entries[0]["method"], "POST");
    assert_eq!(entries[0]["body"], json!({"email": "log@example.com", "amount": 1234}));
    assert_eq!(entries[0]["headers"]["authorization"], "[redacted]");
    assert_eq!(entries[1]["query"], "perPage=5&status=success");
    assert_eq!(entries[1]["query_params"], json!({"perPage": "5", "status": "success"}));
    assert_eq!(entries[1]["body"], Value::Null);
    assert_eq!(entries[2]["headers"]["x-request-id"], "abc-1");
    assert_eq!(entries[2]["fault"], Value::Null);
    assert_eq!(api.get("/_sandbox/requests?method=post").await.body["data"].as_array().unwrap().len(), 1);
    api.delete("/_sandbox/requests").await;
    assert_eq!(api.get("/_sandbox/requests").await.body["data"], json!([]));
}

#[tokio::test]
async fn reset_restores_a_new_integration() {
    let sb = Sandbox::start(json!({"faults": [{"kind": "latency", "ms": 1}]}));
    let api = sb.api();
    api.post(
        "/transaction/charge_authorization",
        json!({"email": EMAIL_LOW, "amount": 500_000, "authorization_code": AUTH_LOW}),
    )
    .await;
    api.put("/_sandbox/faults", json!([])).await;
    api.put("/_sandbox/config", json!({"process_interval_ms": 999})).await;
    api.post("/_sandbox/customers", json!({"email": "temp@example.com"})).await;
    assert_eq!(api.post("/_sandbox/reset", json!({})).await.status, 200);
    assert_eq!(api.get("/transaction").await.body["meta"]["total"], 0);
    assert_eq!(api.ledger("").await["entries"], json!([]));
    assert_eq!(api.get("/_sandbox/config").await.body["data"]["process_interval_ms"], 5);
    assert_eq!(api.get("/_sandbox/faults").await.body["data"]["rules"][0]["kind"], "latency");
    let customers = api.get("/_sandbox/customers").await.body["data"].as_array().unwrap().len();
    assert_eq!(customers, 7, "only the fixtures");
    // The low-balance card is full again.
    let again = api
        .post(
            "/transaction/charge_authorization",
            json!({"email": EMAIL_LOW, "amount": 500_000, "authorization_code": AUTH_LOW}),
        )
        .await;
    assert_eq!(again.body["data"]["status"], "success");
    // Requests made before the reset are gone from the log: only the list and the charge remain.
    assert_eq!(api.get("/_sandbox/requests").await.body["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn config_validation() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    for bad in [
        json!({"process_interval_ms": -1}),
        json!({"webhook_max_attempts": 0}),
        json!({"colour": 1}),
        json!({"webhook_url": 5}),
    ] {
        assert_eq!(api.put("/_sandbox/config", bad.clone()).await.status, 400, "{bad}");
    }
    let updated = api.put("/_sandbox/config", json!({"webhook_retry_interval_ms": 7, "webhook_max_attempts": 2})).await;
    assert_eq!(updated.body["data"]["webhook_retry_interval_ms"], 7);
    assert_eq!(updated.body["data"]["webhook_max_attempts"], 2);
}
