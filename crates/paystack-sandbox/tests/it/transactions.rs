//! Transactions: validation, the initialize → complete flow, charges and their outcomes,
//! lists, totals, export, timeline.

use serde_json::{Value, json};

use crate::common::*;

#[tokio::test]
async fn initialize_validation_messages() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let cases = [
        (json!({"amount": 100}), "Email Address is required", "missing_params"),
        (json!({"email": "not-an-email", "amount": 100}), "Invalid Email Address Passed", "invalid_params"),
        (json!({"email": "a@example.com"}), "Invalid Amount Sent", "invalid_params"),
        (json!({"email": "a@example.com", "amount": "12a"}), "Invalid Amount Sent", "invalid_params"),
        (
            json!({"email": "a@example.com", "amount": 1_000_000_001u64}),
            "Transaction amount limit exceeded",
            "invalid_params",
        ),
        (
            json!({"email": "a@example.com", "amount": 100, "reference": "bad ref!"}),
            "Invalid character in transaction reference",
            "invalid_params",
        ),
        (
            json!({"email": "a@example.com", "amount": 100, "currency": "EUR"}),
            "Currency not supported by merchant",
            "invalid_params",
        ),
    ];
    for (body, message, code) in cases {
        let reply = api.post("/transaction/initialize", body).await;
        assert_eq!(reply.status, 400, "{message}");
        assert_eq!(reply.body["message"], message);
        assert_eq!(reply.body["code"], code);
        assert_eq!(reply.body["type"], "validation_error");
        assert!(reply.body["meta"]["nextStep"].is_string());
    }
    let first = api
        .post("/transaction/initialize", json!({"email": "a@example.com", "amount": "100", "reference": "ref.1=x"}))
        .await;
    assert_eq!(first.status, 200);
    let dup = api
        .post("/transaction/initialize", json!({"email": "a@example.com", "amount": 100, "reference": "ref.1=x"}))
        .await;
    assert_eq!(
        dup.body,
        json!({"status": false, "message": "Duplicate Transaction Reference", "meta": {"nextStep": "Try and create the Transaction or Charge with a new reference"}, "type": "validation_error", "code": "duplicate_reference"})
    );
    // Only the successful initialize reached the ledger.
    assert_eq!(api.ledger("").await["entries"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_complete_verify_and_reuse_the_authorization() {
    let receiver = Receiver::start(0).await;
    let sb = Sandbox::start(json!({"webhook_url": receiver.url()}));
    let api = sb.api();
    let init = api
        .post(
            "/transaction/initialize",
            json!({"email": "New@Example.com", "amount": 25000, "metadata": "{\"order\": 42}"}),
        )
        .await;
    let reference = init.body["data"]["reference"].as_str().unwrap().to_string();
    let access_code = init.body["data"]["access_code"].as_str().unwrap();
    assert_eq!(
        init.body["data"]["authorization_url"],
        format!("{}/_sandbox/checkout/{access_code}", sb.server.base_url())
    );
    let checkout = api.get(&format!("/_sandbox/checkout/{access_code}")).await;
    assert_eq!(checkout.body["data"]["reference"], reference);

    let abandoned = api.get(&format!("/transaction/verify/{reference}")).await;
    assert_eq!(abandoned.status, 200);
    assert_eq!(abandoned.body["data"]["status"], "abandoned");
    assert_eq!(abandoned.body["data"]["authorization"], json!({}));
    assert_eq!(abandoned.body["data"]["metadata"], json!({"order": 42}), "stringified metadata is parsed");
    assert_eq!(abandoned.body["data"]["customer"]["email"], "new@example.com");

    let done = api.post(&format!("/_sandbox/transactions/{reference}/complete"), json!({"status": "success"})).await;
    assert_eq!(done.body["data"]["status"], "success");
    let again = api.post(&format!("/_sandbox/transactions/{reference}/complete"), json!({"status": "success"})).await;
    assert_eq!(again.status, 409, "a transaction completes once");
    let verified = api.get(&format!("/transaction/verify/{reference}")).await.body["data"].clone();
    assert_eq!(verified["gateway_response"], "Successful");
    assert!(verified["log"]["history"].as_array().unwrap().len() == 2);
    let auth = verified["authorization"]["authorization_code"].as_str().unwrap().to_string();
    assert!(auth.starts_with("AUTH_"));
    wait_for(std::time::Duration::from_secs(5), || async { (receiver.count() == 1).then_some(()) }).await;

    // The new authorization can be charged.
    let charge = api
        .post(
            "/transaction/charge_authorization",
            json!({"email": "new@example.com", "amount": 1000, "authorization_code": auth}),
        )
        .await;
    assert_eq!(charge.body["data"]["status"], "success");

    // A failed checkout creates no authorization and sends no webhook.
    let second = api.post("/transaction/initialize", json!({"email": "new@example.com", "amount": 5})).await;
    let second_ref = second.body["data"]["reference"].as_str().unwrap();
    api.post(&format!("/_sandbox/transactions/{second_ref}/complete"), json!({"status": "failed"})).await;
    let failed = api.get(&format!("/transaction/verify/{second_ref}")).await.body["data"].clone();
    assert_eq!((failed["status"].as_str(), failed["authorization"].clone()), (Some("failed"), json!({})));
    wait_for(std::time::Duration::from_secs(5), || async { (receiver.count() == 2).then_some(()) }).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(receiver.count(), 2, "one webhook for the checkout, one for the charge, none for the failure");
}

#[tokio::test]
async fn verify_and_fetch_errors() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let unknown = api.get("/transaction/verify/nope").await;
    assert_eq!((unknown.status, unknown.body["message"].as_str()), (400, Some("Transaction reference not found.")));
    for path in ["/transaction/verify/", "/transaction/abc", "/transaction/abc/event", "/transaction/abc/session"] {
        let reply = api.get(path).await;
        assert_eq!(
            (reply.status, reply.body["message"].as_str()),
            (400, Some("Transaction ID should be numeric.")),
            "{path}"
        );
    }
    for path in ["/transaction/1", "/transaction/1/event", "/transaction/1/session"] {
        let reply = api.get(path).await;
        assert_eq!((reply.status, reply.body["message"].as_str()), (404, Some("Transaction not found")), "{path}");
    }
    let timeline = api.get("/transaction/timeline/12345").await;
    assert_eq!(timeline.body, json!({"status": false, "message": "Transaction ID or reference is invalid"}));
}

#[tokio::test]
async fn charge_authorization_outcomes_and_errors() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let charge = |body: Value| {
        let api = api.clone();
        async move { api.post("/transaction/charge_authorization", body).await }
    };
    let declined = charge(
        json!({"email": EMAIL_DECLINED, "amount": 500, "authorization_code": AUTH_DECLINED, "reference": "dec-1"}),
    )
    .await;
    assert_eq!(declined.status, 200, "declines are HTTP 200");
    assert_eq!(
        (declined.body["data"]["status"].as_str(), declined.body["data"]["gateway_response"].as_str()),
        (Some("failed"), Some("Declined"))
    );
    // A declined charge consumed its reference.
    let reuse = charge(
        json!({"email": EMAIL_DECLINED, "amount": 500, "authorization_code": AUTH_DECLINED, "reference": "dec-1"}),
    )
    .await;
    assert_eq!(reuse.body["message"], "Duplicate Transaction Reference");

    let errors = [
        (
            json!({"email": EMAIL_SUCCESS, "amount": 5, "authorization_code": "AUTH_nope"}),
            "Authorization code is invalid",
        ),
        (
            json!({"email": EMAIL_PLAIN, "amount": 5, "authorization_code": AUTH_SUCCESS}),
            "Email does not match Authorization code. Authorization may be inactive or belong to a different email. Please confirm.",
        ),
        (
            json!({"email": EMAIL_SUCCESS, "amount": 5, "authorization_code": AUTH_SUCCESS, "currency": "XYZ"}),
            "Currency not supported by merchant",
        ),
        (json!({"email": EMAIL_SUCCESS, "amount": 5}), "Authorization code is required"),
    ];
    for (body, message) in errors {
        let reply = charge(body.clone()).await;
        assert_eq!((reply.status, reply.body["message"].as_str()), (400, Some(message)), "{body}");
    }
    // A 400 does not consume the reference.
    let bad =
        charge(json!({"email": EMAIL_PLAIN, "amount": 5, "authorization_code": AUTH_SUCCESS, "reference": "keep-me"}))
            .await;
    assert_eq!(bad.status, 400);
    let good = charge(json!({"email": EMAIL_SUCCESS, "amount": "5", "authorization_code": AUTH_SUCCESS, "reference": "keep-me", "metadata": {"a": 1}})).await;
    assert_eq!(good.body["data"]["status"], "success");
    assert_eq!(good.body["data"]["metadata"], json!({"a": 1}));

    // Low balance: 500,000 kobo, spent by successful charges.
    let low = |amount: u64| charge(json!({"email": EMAIL_LOW, "amount": amount, "authorization_code": AUTH_LOW}));
    assert_eq!(low(300_000).await.body["data"]["status"], "success");
    let short = low(300_000).await;
    assert_eq!(
        (short.body["data"]["status"].as_str(), short.body["data"]["gateway_response"].as_str()),
        (Some("failed"), Some("Insufficient Funds"))
    );
    assert_eq!(low(200_000).await.body["data"]["status"], "success");
}

#[tokio::test]
async fn partial_debit_rules() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let partial = |body: Value| {
        let api = api.clone();
        async move { api.post("/transaction/partial_debit", body).await }
    };
    let taken = partial(json!({"email": EMAIL_LOW, "amount": 800_000, "authorization_code": AUTH_LOW, "currency": "NGN", "at_least": 100_000})).await;
    let data = &taken.body["data"];
    assert_eq!(
        (data["status"].as_str(), data["amount"].as_u64(), data["requested_amount"].as_u64()),
        (Some("success"), Some(500_000), Some(800_000))
    );
    assert_eq!(data["plan"], 0);
    let empty =
        partial(json!({"email": EMAIL_LOW, "amount": 1000, "authorization_code": AUTH_LOW, "currency": "NGN"})).await;
    assert_eq!(empty.body["data"]["status"], "failed");
    let errors = [
        (
            json!({"email": EMAIL_LOW, "amount": 100, "authorization_code": AUTH_LOW, "currency": "NGN", "at_least": 200}),
            "at_least cannot be greater than amount",
        ),
        (
            json!({"email": "ghost@example.com", "amount": 100, "authorization_code": AUTH_LOW, "currency": "NGN"}),
            "Customer not found",
        ),
        (
            json!({"email": EMAIL_LOW, "amount": 100, "authorization_code": AUTH_LOW, "currency": "GHS"}),
            "Currency GHS is not supported for Partial Debit",
        ),
        (json!({"email": EMAIL_LOW, "amount": 100, "authorization_code": AUTH_LOW}), "Currency is required"),
    ];
    for (body, message) in errors {
        let reply = partial(body).await;
        assert_eq!((reply.status, reply.body["message"].as_str()), (400, Some(message)));
    }
}

#[tokio::test]
async fn check_authorization_rules() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let ok = api
        .post(
            "/transaction/check_authorization",
            json!({"email": EMAIL_SUCCESS, "amount": 10_000, "authorization_code": AUTH_SUCCESS}),
        )
        .await;
    assert_eq!(
        ok.body,
        json!({"status": true, "message": "Authorization is valid for this amount", "data": {"amount": 10_000, "currency": "NGN"}})
    );
    let big = api
        .post(
            "/transaction/check_authorization",
            json!({"email": EMAIL_SUCCESS, "amount": 50_000_000, "authorization_code": AUTH_SUCCESS}),
        )
        .await;
    assert_eq!((big.status, big.body["message"].as_str()), (400, Some("Insufficient Funds")));
    let low = api
        .post(
            "/transaction/check_authorization",
            json!({"email": EMAIL_LOW, "amount": 600_000, "authorization_code": AUTH_LOW}),
        )
        .await;
    assert_eq!(low.body["message"], "Insufficient Funds");
    // The OAS requires only email and amount: without a code there is no card to check.
    let no_code = api.post("/transaction/check_authorization", json!({"email": EMAIL_SUCCESS, "amount": 100})).await;
    assert_eq!((no_code.status, no_code.body["message"].as_str()), (400, Some("Authorization code is invalid")));
    // Checking charges nothing.
    assert!(api.ledger("").await["entries"].as_array().unwrap().is_empty());
    // The legacy test-mode limit does not apply to live keys.
    let live = sb.api_with(Some("sk_live_checker"));
    let live_big = live
        .post(
            "/transaction/check_authorization",
            json!({"email": EMAIL_SUCCESS, "amount": 50_000_000, "authorization_code": AUTH_SUCCESS}),
        )
        .await;
    assert_eq!(live_big.status, 200);
}

async fn seed_transactions(api: &Api) -> Vec<Value> {
    let mut made = Vec::new();
    for (i, (email, auth)) in
        [(EMAIL_SUCCESS, AUTH_SUCCESS), (EMAIL_PLAIN, AUTH_PLAIN), (EMAIL_DECLINED, AUTH_DECLINED)].iter().enumerate()
    {
        for j in 0..3u64 {
            let amount = 1000 * (i as u64 + 1) + j;
            let reply = api
                .post(
                    "/transaction/charge_authorization",
                    json!({"email": email, "amount": amount, "authorization_code": auth}),
                )
                .await;
            made.push(reply.body["data"].clone());
        }
    }
    api.post("/transaction/initialize", json!({"email": EMAIL_SUCCESS, "amount": 777})).await;
    made
}

#[tokio::test]
async fn list_filters_pagination_and_cursors() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    seed_transactions(&api).await;
    let all = api.get("/transaction").await.body;
    assert_eq!(all["meta"]["total"], 10);
    let ids: Vec<u64> = all["data"].as_array().unwrap().iter().map(|t| t["id"].as_u64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first");

    let page = api.get("/transaction?perPage=4&page=3").await.body;
    assert_eq!(page["meta"]["skipped"], 8);
    assert_eq!(page["meta"]["pageCount"], 3);
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let volume: u64 = page["data"].as_array().unwrap().iter().map(|t| t["amount"].as_u64().unwrap()).sum();
    assert_eq!(page["meta"]["total_volume"], volume);
    assert_eq!(api.get("/transaction?per_page=4").await.body["meta"]["perPage"], 4, "per_page alias");

    assert_eq!(api.get("/transaction?status=failed").await.body["meta"]["total"], 3);
    assert_eq!(api.get("/transaction?status=abandoned").await.body["meta"]["total"], 1);
    assert_eq!(api.get("/transaction?customer=100002").await.body["meta"]["total"], 3);
    assert_eq!(api.get("/transaction?amount=2001").await.body["meta"]["total"], 1);
    assert_eq!(api.get("/transaction?terminalid=T1").await.body["meta"]["total"], 0);
    assert_eq!(api.get("/transaction?from=2999-01-01").await.body["meta"]["total"], 0);
    assert_eq!(api.get("/transaction?to=2000-01-01T00:00:00Z").await.body["meta"]["total"], 0);
    assert_eq!(api.get("/transaction?status=weird").await.status, 400);

    // Cursor pagination walks the same order, forwards and back.
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let path = match &next {
            None => "/transaction?use_cursor=true&perPage=3".to_string(),
            Some(cursor) => format!("/transaction?use_cursor=true&perPage=3&next={cursor}"),
        };
        let reply = api.get(&path).await.body;
        assert_eq!(reply["meta"]["perPage"], 3);
        if next.is_none() {
            assert_eq!(reply["meta"]["previous"], Value::Null);
        }
        seen.extend(reply["data"].as_array().unwrap().iter().map(|t| t["id"].as_u64().unwrap()));
        pages.push(reply.clone());
        match reply["meta"]["next"].as_str() {
            Some(cursor) => next = Some(cursor.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    let previous = pages[2]["meta"]["previous"].as_str().unwrap();
    let back = api.get(&format!("/transaction?use_cursor=true&perPage=3&previous={previous}")).await.body;
    assert_eq!(back["data"], pages[1]["data"]);
    assert_eq!(api.get("/transaction?use_cursor=true&next=garbage").await.status, 400);
}

#[tokio::test]
async fn totals_and_export_are_computed_from_state() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let made = seed_transactions(&api).await;
    let success_volume: u64 =
        made.iter().filter(|t| t["status"] == "success").map(|t| t["amount"].as_u64().unwrap()).sum();
    let totals = api.get("/transaction/totals").await.body["data"].clone();
    assert_eq!(totals["total_transactions"], 6);
    assert_eq!(totals["total_volume"], success_volume);
    assert_eq!(totals["total_volume_by_currency"], json!([{"currency": "NGN", "amount": success_volume}]));
    assert_eq!(api.get("/transaction/totals?from=2999-01-01").await.body["data"]["total_transactions"], 0);

    let export = api.get("/transaction/export?status=success&customer=100001").await.body["data"].clone();
    let path = export["path"].as_str().unwrap();
    assert!(
        path.starts_with(&format!("{}/_sandbox/exports/", sb.server.base_url())) && path.ends_with(".csv"),
        "{path}"
    );
    assert_eq!(export["expiresAt"].as_str().unwrap().len(), "2024-08-22 11:01:23".len());
    let csv = sb.client.get(path).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("id,reference,status,amount"));
    assert_eq!(lines.len(), 4, "header + the 3 successful charges of customer 100001:\n{text}");
    assert!(lines[1..].iter().all(|l| l.contains(",success,") && l.contains(EMAIL_SUCCESS)));
    assert_eq!(
        sb.client.get(format!("{}/_sandbox/exports/nope.csv", sb.server.base_url())).send().await.unwrap().status(),
        404
    );
}

#[tokio::test]
async fn expired_exports_are_refused() {
    let sb = Sandbox::start(json!({"export_ttl_ms": 50}));
    let api = sb.api();
    let path = api.get("/transaction/export").await.body["data"]["path"].as_str().unwrap().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    assert_eq!(sb.client.get(path).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn timeline_event_and_session() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let paid = api.paid_transaction(EMAIL_PLAIN, 900, json!({})).await;
    let by_ref =
        api.get(&format!("/transaction/timeline/{}", paid["reference"].as_str().unwrap())).await.body["data"].clone();
    let by_id = api.get(&format!("/transaction/timeline/{}", paid["id"])).await.body["data"].clone();
    assert_eq!(by_ref, by_id);
    let kinds: Vec<&str> = by_ref["history"].as_array().unwrap().iter().map(|h| h["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["action", "success"]);
    assert_eq!(by_ref["success"], true);
    let event = api.get(&format!("/transaction/{}/event", paid["id"])).await;
    assert_eq!(event.status, 200);
    assert_eq!(event.body["data"]["reference"], paid["reference"]);
    let session = api.get(&format!("/transaction/{}/session", paid["id"])).await;
    assert_eq!(session.body["data"]["status"], "success");
    assert!(session.body["data"]["access_code"].is_string());
}

#[tokio::test]
async fn form_bodies_are_accepted() {
    let sb = Sandbox::start(json!({}));
    let reply = sb
        .client
        .post(format!("{}/transaction/initialize", sb.server.base_url()))
        .bearer_auth(sb.server.secret_key())
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=form%40example.com&amount=4500")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let body: Value = reply.json().await.unwrap();
    let verify = sb.api().get(&format!("/transaction/verify/{}", body["data"]["reference"].as_str().unwrap())).await;
    assert_eq!(verify.body["data"]["amount"], 4500);
}
