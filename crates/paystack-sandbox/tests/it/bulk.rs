//! Bulk charges: validation, the batch lifecycle, retries, partial debits, lists.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::*;

async fn charges(api: &Api, code: &str, query: &str) -> Vec<Value> {
    api.get(&format!("/bulkcharge/{code}/charges{query}")).await.body["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn lifecycle_pause_resume_complete() {
    let sb = Sandbox::start(json!({"process_interval_ms": 40}));
    let api = sb.api();
    let items: Vec<Value> = (0..6)
        .map(|i| json!({"authorization": AUTH_SUCCESS, "amount": 1000 + i, "reference": format!("life-{i}")}))
        .collect();
    let batch = api.bulk(Value::Array(items)).await;
    assert_eq!(batch["status"], "active");
    assert_eq!((batch["total_charges"].as_u64(), batch["pending_charges"].as_u64()), (Some(6), Some(6)));
    let code = batch["batch_code"].as_str().unwrap().to_string();
    assert!(code.starts_with("BCH_") && code.len() == 19, "{code}");
    assert!(batch["reference"].as_str().unwrap().starts_with("bulkcharge-"));

    // A queued charge is already a transaction, in status "queued".
    let queued = api.get("/transaction/verify/life-5").await;
    assert_eq!(queued.body["data"]["status"], "queued");

    // Let one or two go through, then pause: nothing moves while paused.
    let pending_after_pause = {
        let api2 = api.clone();
        let code2 = code.clone();
        wait_for(Duration::from_secs(5), move || {
            let api = api2.clone();
            let code = code2.clone();
            async move {
                let b = api.get(&format!("/bulkcharge/{code}")).await.body["data"].clone();
                (b["pending_charges"].as_u64().unwrap() < 6).then_some(())
            }
        })
        .await;
        let paused = api.get(&format!("/bulkcharge/pause/{code}")).await;
        assert_eq!(paused.body, json!({"status": true, "message": "Bulk charge batch has been paused"}));
        let b = api.get(&format!("/bulkcharge/{code}")).await.body["data"].clone();
        assert_eq!(b["status"], "paused");
        b["pending_charges"].as_u64().unwrap()
    };
    assert!(pending_after_pause > 0, "paused before the batch finished");
    tokio::time::sleep(Duration::from_millis(250)).await;
    let still = api.get(&format!("/bulkcharge/{code}")).await.body["data"].clone();
    assert_eq!(
        still["pending_charges"].as_u64().unwrap(),
        pending_after_pause,
        "a paused batch keeps its pending charges"
    );
    assert_eq!(charges(&api, &code, "?status=pending").await.len() as u64, pending_after_pause);

    let resumed = api.get(&format!("/bulkcharge/resume/{code}")).await;
    assert_eq!(resumed.body, json!({"status": true, "message": "Bulk charge batch has been resumed"}));
    let done = api.wait_complete(&code).await;
    assert_eq!(done["pending_charges"], 0);
    assert_eq!(done["total_charges"], 6);
    // Complete batches cannot be paused.
    assert_eq!(api.get(&format!("/bulkcharge/pause/{code}")).await.status, 400);

    // Every charge became a verifiable transaction with the batch's custom fields.
    let verified = api.get("/transaction/verify/life-3").await.body["data"].clone();
    assert_eq!(verified["status"], "success");
    assert_eq!(verified["amount"], 1003);
    let fields = verified["metadata"]["custom_fields"].as_array().unwrap();
    assert_eq!(fields[0]["value"], done["id"].to_string());
    assert_eq!(fields[1]["value"], code);
    assert_eq!(
        fields[2],
        json!({"display_name": "Charged via", "variable_name": "charged_via", "value": "Bulkcharge"})
    );

    // Fetch by numeric id works too; the ledger shows create, pause, resume and six charges.
    let by_id = api.get(&format!("/bulkcharge/{}", done["id"])).await;
    assert_eq!(by_id.body["data"]["batch_code"], code);
    let ledger = api.ledger("").await;
    let ops: Vec<&str> =
        ledger["entries"].as_array().unwrap().iter().map(|e| e["operation"].as_str().unwrap()).collect();
    assert_eq!(ops.iter().filter(|o| **o == "bulkcharge.charge").count(), 6);
    for op in ["bulkcharge.create", "bulkcharge.pause", "bulkcharge.resume"] {
        assert!(ops.contains(&op), "{op} in {ops:?}");
    }
}

#[tokio::test]
async fn failed_attempts_are_retried_up_to_five_times() {
    let sb = Sandbox::start(json!({"process_interval_ms": 2}));
    let api = sb.api();
    let batch = api
        .bulk(json!([
            {"authorization": AUTH_FLAKY3, "amount": 700, "reference": "flaky-three"},
            {"authorization": AUTH_FLAKY5, "amount": 700, "reference": "flaky-five"},
            {"authorization": AUTH_DECLINED, "amount": 700, "reference": "always-declined"}
        ]))
        .await;
    let code = batch["batch_code"].as_str().unwrap();
    api.wait_complete(code).await;
    let items = charges(&api, code, "").await;
    let status: Vec<&str> = items.iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["success", "failed", "failed"]);
    assert_eq!(items[1]["message"], "Issuer or Switch Inoperative");
    assert_eq!(items[2]["message"], "Declined");

    let attempts = |reference: &'static str| {
        let api = api.clone();
        async move {
            let entries = api.ledger(&format!("?reference={reference}")).await["entries"].as_array().unwrap().clone();
            entries.iter().map(|e| e["outcome"].as_str().unwrap().to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(attempts("flaky-three").await, ["retry", "retry", "retry", "success"]);
    assert_eq!(attempts("flaky-five").await, ["retry", "retry", "retry", "retry", "failed"]);
    assert_eq!(attempts("always-declined").await, ["retry", "retry", "retry", "retry", "failed"]);
    let declined = api.get("/transaction/verify/always-declined").await.body["data"].clone();
    assert_eq!(
        (declined["status"].as_str(), declined["gateway_response"].as_str()),
        (Some("failed"), Some("Declined"))
    );
    let timeline = api.get("/transaction/timeline/flaky-five").await.body["data"].clone();
    assert_eq!((timeline["attempts"].as_u64(), timeline["errors"].as_u64()), (Some(5), Some(5)));
    // The sixth attempt on AUTH_flaky5fail (here a direct charge) succeeds: the limit was exactly five.
    let sixth = api
        .post(
            "/transaction/charge_authorization",
            json!({"email": "flaky5@example.com", "amount": 700, "authorization_code": AUTH_FLAKY5}),
        )
        .await;
    assert_eq!(sixth.body["data"]["status"], "success");
}

#[tokio::test]
async fn attempt_partial_debit_takes_what_is_left() {
    let sb = Sandbox::start(json!({"process_interval_ms": 2}));
    let api = sb.api();
    // AUTH_lowbalance holds 500,000 kobo.
    let batch = api
        .bulk(json!([
            {"authorization": AUTH_LOW, "amount": 400_000, "reference": "low-1"},
            {"authorization": AUTH_LOW, "amount": 300_000, "reference": "low-2", "attempt_partial_debit": true, "at_least": 50_000},
            {"authorization": AUTH_LOW, "amount": 300_000, "reference": "low-3", "attempt_partial_debit": true, "at_least": 1}
        ]))
        .await;
    api.wait_complete(batch["batch_code"].as_str().unwrap()).await;
    let low2 = api.get("/transaction/verify/low-2").await.body["data"].clone();
    assert_eq!(
        (low2["status"].as_str(), low2["amount"].as_u64(), low2["requested_amount"].as_u64()),
        (Some("success"), Some(100_000), Some(300_000))
    );
    let low3 = api.get("/transaction/verify/low-3").await.body["data"].clone();
    assert_eq!(
        (low3["status"].as_str(), low3["gateway_response"].as_str()),
        (Some("failed"), Some("Insufficient Funds"))
    );
}

#[tokio::test]
async fn invalid_batches_are_refused_and_change_nothing() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    api.post(
        "/transaction/charge_authorization",
        json!({"email": EMAIL_SUCCESS, "amount": 100, "authorization_code": AUTH_SUCCESS, "reference": "used-ref"}),
    )
    .await;
    let ledger_before = api.ledger("").await["entries"].as_array().unwrap().len();
    let too_many: Vec<Value> = (0..1001)
        .map(|i| json!({"authorization": AUTH_SUCCESS, "amount": 100, "reference": format!("r{i}")}))
        .collect();
    let cases = [
        (
            json!({"charges": [{"authorization": AUTH_SUCCESS, "amount": 100}]}),
            "Request body must be a JSON array of charge objects",
        ),
        (json!([]), "between 1 and 1000"),
        (Value::Array(too_many), "between 1 and 1000"),
        (json!([{"authorization": AUTH_SUCCESS, "amount": 0}]), "charges[0].amount"),
        (json!([{"authorization": AUTH_SUCCESS, "amount": 10.5}]), "Amount must be an integer"),
        (json!([{"authorization": AUTH_SUCCESS, "amount": 100, "reference": "Upper"}]), "charges[0].reference"),
        (json!([{"authorization": "AUTH_unknown", "amount": 100}]), "Authorization code is invalid"),
        (
            json!([{"authorization": AUTH_SUCCESS, "amount": 100}, {"authorization": AUTH_SUCCESS, "amount": 200, "reference": "x1"}]),
            "without a reference",
        ),
        (
            json!([{"authorization": AUTH_SUCCESS, "amount": 100, "reference": "dup"}, {"authorization": AUTH_PLAIN, "amount": 100, "reference": "dup"}]),
            "Duplicate Transaction Reference",
        ),
        (
            json!([{"authorization": AUTH_SUCCESS, "amount": 100, "reference": "used-ref"}]),
            "Duplicate Transaction Reference",
        ),
        (
            json!([{"authorization": AUTH_SUCCESS, "amount": 100, "at_least": 200}]),
            "at_least cannot be greater than amount",
        ),
    ];
    for (body, expected) in cases {
        let reply = api.post("/bulkcharge", body).await;
        assert_eq!(reply.status, 400, "{expected}: {:?}", reply.body);
        let message = reply.body["message"].as_str().unwrap();
        assert!(message.contains(expected), "expected {expected:?} in {message:?}");
        assert_eq!(reply.body["status"], false);
    }
    let dup =
        api.post("/bulkcharge", json!([{"authorization": AUTH_SUCCESS, "amount": 1, "reference": "used-ref"}])).await;
    assert_eq!(dup.body["code"], "duplicate_reference");
    assert_eq!(dup.body["meta"]["nextStep"], "Try and create the Transaction or Charge with a new reference");
    assert_eq!(api.ledger("").await["entries"].as_array().unwrap().len(), ledger_before);
    assert_eq!(api.get("/bulkcharge").await.body["meta"]["total"], 0);
    // Amounts as numeric strings are accepted.
    let ok = api.post("/bulkcharge", json!([{"authorization": AUTH_SUCCESS, "amount": "2500"}])).await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn unknown_batches_are_404() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    for path in [
        "/bulkcharge/BCH_nope",
        "/bulkcharge/123",
        "/bulkcharge/BCH_nope/charges",
        "/bulkcharge/pause/BCH_nope",
        "/bulkcharge/resume/BCH_nope",
    ] {
        let reply = api.get(path).await;
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.body,
            json!({"status": false, "message": "Bulk charge code not found", "meta": {"nextStep": "Ensure that you're passing the correct reference for the requested resource that exists on this integration"}, "type": "validation_error", "code": "not_found"})
        );
    }
}

#[tokio::test]
async fn lists_filter_and_paginate() {
    let sb = Sandbox::start(json!({"process_interval_ms": 1}));
    let api = sb.api();
    let mut codes = Vec::new();
    for i in 0..5 {
        let batch = api.bulk(json!([{"authorization": AUTH_SUCCESS, "amount": 100 + i}])).await;
        codes.push(batch["batch_code"].as_str().unwrap().to_string());
    }
    for code in &codes {
        api.wait_complete(code).await;
    }
    api.put("/_sandbox/config", json!({"process_interval_ms": 60_000})).await;
    let active = api
        .bulk(json!([{"authorization": AUTH_SUCCESS, "amount": 1}, {"authorization": AUTH_DECLINED, "amount": 2}]))
        .await;
    let active_code = active["batch_code"].as_str().unwrap();
    api.get(&format!("/bulkcharge/pause/{active_code}")).await;

    let page = api.get("/bulkcharge?perPage=2&page=2").await.body;
    assert_eq!(page["meta"], json!({"total": 6, "skipped": 2, "perPage": 2, "page": 2, "pageCount": 3}));
    let listed: Vec<&str> =
        page["data"].as_array().unwrap().iter().map(|b| b["batch_code"].as_str().unwrap()).collect();
    assert_eq!(listed, [codes[3].as_str(), codes[2].as_str()], "newest first");
    let paused = api.get("/bulkcharge?status=paused").await.body;
    assert_eq!(paused["meta"]["total"], 1);
    assert_eq!(paused["data"][0]["batch_code"], active_code);
    assert_eq!(api.get("/bulkcharge?status=complete").await.body["meta"]["total"], 5);
    assert_eq!(api.get("/bulkcharge?status=bogus").await.status, 400);
    assert_eq!(api.get("/bulkcharge?from=2999-01-01").await.body["meta"]["total"], 0);
    assert_eq!(api.get("/bulkcharge?to=2000-01-01").await.body["meta"]["total"], 0);
    assert_eq!(api.get("/bulkcharge?from=2000-01-01&to=2999-12-31").await.body["meta"]["total"], 6);
    assert_eq!(api.get("/bulkcharge?from=yesterday").await.status, 400);
    assert_eq!(api.get("/bulkcharge?perPage=0").await.status, 400);

    let items = api.get(&format!("/bulkcharge/{active_code}/charges?status=pending&perPage=1")).await.body;
    assert_eq!(items["meta"], json!({"total": 2, "skipped": 0, "perPage": 1, "page": 1, "pageCount": 2}));
    assert_eq!(items["data"][0]["authorization"]["authorization_code"], AUTH_SUCCESS, "submission order");
    assert_eq!(api.get(&format!("/bulkcharge/{active_code}/charges?status=success")).await.body["meta"]["total"], 0);
}
