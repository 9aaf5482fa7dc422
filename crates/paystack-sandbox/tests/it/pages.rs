//! The HTML pages over real HTTP: the checkout page `authorization_url` opens (paying with each
//! test card, redirects, closed and expired sessions, double submissions) and the dashboard
//! (sign-in, every page, filters, refresh while a batch runs, never the key). The browser tests
//! in tests/test_browser.py drive the same pages in Chromium.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::*;

/// A browser-like client: no redirects followed, cookies kept only when asked.
fn browser() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

struct Page {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

async fn fetch(request: reqwest::RequestBuilder) -> Page {
    let response = request.header("accept", "text/html,application/xhtml+xml,*/*;q=0.8").send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    Page { status, headers, text: response.text().await.unwrap() }
}

async fn open(client: &reqwest::Client, url: &str) -> Page {
    fetch(client.get(url)).await
}

async fn submit(client: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> Page {
    let body = serde_urlencoded::to_string(form).unwrap();
    fetch(client.post(url).header("content-type", "application/x-www-form-urlencoded").body(body)).await
}

/// initialize with `extra`; returns (reference, authorization_url).
async fn initialize(api: &Api, amount: u64, extra: Value) -> (String, String) {
    let mut body = json!({"email": "Buyer@Example.com", "amount": amount});
    if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
        b.extend(e);
    }
    let init = api.post("/transaction/initialize", body).await;
    assert_eq!(init.status, 200, "{:?}", init.body);
    let data = &init.body["data"];
    (data["reference"].as_str().unwrap().into(), data["authorization_url"].as_str().unwrap().into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paying_at_checkout_completes_the_transaction_as_the_control_call_does() {
    let receiver = Receiver::start(0).await;
    let sb = Sandbox::start(json!({"webhook_url": receiver.url()}));
    let api = sb.api();
    let client = browser();
    let callback = "http://127.0.0.1:9/shop/callback?order=7";
    let (reference, url) = initialize(&api, 2_500_050, json!({"callback_url": callback})).await;

    let page = open(&client, &url).await;
    assert_eq!(page.status, 200);
    assert!(page.headers["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(page.headers["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    for shown in ["₦25,000.50", "buyer@example.com", reference.as_str(), "Sandbox merchant #", "TEST MODE"] {
        assert!(page.text.contains(shown), "the page shows {shown}");
    }
    for button in ["pay-success", "pay-declined", "pay-insufficient-funds", "cancel"] {
        assert!(page.text.contains(&format!("id=\"{button}\"")), "{button}");
    }
    assert!(!page.text.contains("<script"), "no script");
    assert!(!page.text.contains(sb.server.secret_key()), "no key");
    assert!(!page.text.contains("http://") && !page.text.contains("https://"), "no external asset or link");

    let paid = submit(&client, &url, &[("card", "success")]).await;
    assert_eq!(paid.status, 303);
    let expected = format!("{callback}&trxref={reference}&reference={reference}");
    assert_eq!(paid.location(), expected);

    let verified = api.get(&format!("/transaction/verify/{reference}")).await.body["data"].clone();
    assert_eq!(
        (verified["status"].as_str(), verified["gateway_response"].as_str()),
        (Some("success"), Some("Successful"))
    );
    assert_eq!(verified["authorization"]["last4"], "4081");
    assert_eq!(verified["authorization"]["reusable"], true);
    let ledger = api.ledger(&format!("?reference={reference}")).await;
    let operations: Vec<&str> =
        ledger["entries"].as_array().unwrap().iter().map(|e| e["operation"].as_str().unwrap()).collect();
    assert_eq!(operations, ["transaction.initialize", "transaction.complete"]);
    assert_eq!(ledger["counts"][&reference]["successful_charges"], 1);
    // The signed charge.success, as for the control call.
    wait_for(Duration::from_secs(5), || async { (receiver.count() == 1).then_some(()) }).await;
    let (headers, body) = receiver.received.lock()[0].clone();
    assert_eq!(headers["x-paystack-signature"].to_str().unwrap(), hmac_sha512_hex(sb.server.secret_key(), &body));
    let event: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (event["event"].as_str(), event["data"]["reference"].as_str()),
        (Some("charge.success"), Some(reference.as_str()))
    );

    // The new authorization charges at once.
    let code = verified["authorization"]["authorization_code"].as_str().unwrap();
    let charge = api
        .post(
            "/transaction/charge_authorization",
            json!({"email": "buyer@example.com", "amount": 100, "authorization_code": code}),
        )
        .await;
    assert_eq!(charge.body["data"]["status"], "success");

    // The access code is used up: the page says so and paying again changes nothing.
    let again = open(&client, &url).await;
    assert_eq!(again.status, 409);
    assert!(again.text.contains("already been completed"));
    assert!(again.text.contains(&format!("href=\"{}\"", expected.replace('&', "&amp;"))), "a way back to the merchant");
    let twice = submit(&client, &url, &[("card", "success")]).await;
    assert_eq!(twice.status, 409);
    assert_eq!(api.ledger(&format!("?reference={reference}")).await["counts"][&reference]["successful_charges"], 1);
}

#[tokio::test]
async fn declined_and_insufficient_funds_fail_the_transaction_and_send_nothing() {
    let receiver = Receiver::start(0).await;
    let sb = Sandbox::start(json!({"webhook_url": receiver.url()}));
    let api = sb.api();
    let client = browser();
    for (card, gateway_response) in [("declined", "Declined"), ("insufficient-funds", "Insufficient Funds")] {
        let (reference, url) = initialize(&api, 10_000, json!({"callback_url": "http://127.0.0.1:9/cb"})).await;
        let page = submit(&client, &url, &[("card", card)]).await;
        assert_eq!(page.status, 303);
        assert_eq!(page.location(), format!("http://127.0.0.1:9/cb?trxref={reference}&reference={reference}"));
        let verified = api.get(&format!("/transaction/verify/{reference}")).await.body["data"].clone();
        assert_eq!(verified["status"], "failed", "{card}");
        assert_eq!(verified["gateway_response"], gateway_response);
        assert_eq!(verified["authorization"], json!({}));
        let history = verified["log"]["history"].as_array().unwrap();
        assert_eq!(history.last().unwrap()["message"], format!("Error: {gateway_response}"));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(receiver.count(), 0, "failed charges send no webhook");
    // The control call takes a gateway response too.
    let (reference, _) = initialize(&api, 100, json!({})).await;
    let done = api
        .post(
            &format!("/_sandbox/transactions/{reference}/complete"),
            json!({"status": "failed", "gateway_response": "Insufficient Funds"}),
        )
        .await;
    assert_eq!(done.body["data"]["gateway_response"], "Insufficient Funds");
}

#[tokio::test]
async fn without_a_usable_callback_the_result_is_shown_here() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let client = browser();
    let (reference, url) = initialize(&api, 5_000, json!({})).await;
    let page = submit(&client, &url, &[("card", "success")]).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Payment successful") && page.text.contains(&reference));

    let (_, url) = initialize(&api, 5_000, json!({"callback_url": "javascript:alert(document.cookie)"})).await;
    let page = submit(&client, &url, &[("card", "declined")]).await;
    assert_eq!(page.status, 200, "never a redirect to a script URL");
    assert!(page.text.contains("Payment failed: Declined"));
    assert!(!page.text.contains("href=\"javascript:"));
    assert!(page.text.contains("is not an http(s) URL"));
}

#[tokio::test]
async fn cancelling_leaves_the_transaction_open() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let client = browser();
    let (reference, url) = initialize(&api, 700, json!({})).await;
    let page = submit(&client, &url, &[("cancel", "1")]).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Payment cancelled"));
    assert_eq!(api.get(&format!("/transaction/verify/{reference}")).await.body["data"]["status"], "abandoned");
    assert_eq!(open(&client, &url).await.status, 200, "the customer can come back and pay");

    // Paystack's metadata.cancel_action takes the customer there.
    let (_, url) = initialize(&api, 700, json!({"metadata": {"cancel_action": "http://127.0.0.1:9/cart"}})).await;
    let page = submit(&client, &url, &[("cancel", "1")]).await;
    assert_eq!((page.status, page.location()), (303, "http://127.0.0.1:9/cart"));

    for form in [&[("card", "stolen")][..], &[][..], &[("card", "success"), ("cancel", "1")][..]] {
        assert_eq!(submit(&client, &url, form).await.status, 400, "{form:?}");
    }
}

#[tokio::test]
async fn expired_unknown_and_reset_sessions_get_a_page_of_their_own() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let client = browser();
    let base = sb.server.base_url();
    let unknown = open(&client, &format!("{base}/_sandbox/checkout/nosuchcode")).await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.text.contains("Payment page not found"));
    let json = api.get("/_sandbox/checkout/nosuchcode").await;
    assert_eq!((json.status, json.body["message"].as_str()), (404, Some("Checkout session not found")));

    let settings = api.put("/_sandbox/config", json!({"payment_session_timeout_ms": 1})).await;
    assert_eq!(settings.body["data"]["payment_session_timeout_ms"], 1);
    let (reference, url) = initialize(&api, 300, json!({})).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let expired = open(&client, &url).await;
    assert_eq!(expired.status, 410);
    assert!(expired.text.contains("expired"));
    assert_eq!(submit(&client, &url, &[("card", "success")]).await.status, 410);
    assert_eq!(api.get(&format!("/transaction/verify/{reference}")).await.body["data"]["status"], "abandoned");

    api.put("/_sandbox/config", json!({"payment_session_timeout_ms": 0})).await;
    let (reference, url) = initialize(&api, 300, json!({})).await;
    let described = api.get(&url.replace(&base, "")).await;
    assert_eq!(described.body["data"]["reference"], reference.as_str(), "JSON to a client that asks for it");
    api.post("/_sandbox/reset", json!({})).await;
    assert_eq!(open(&client, &url).await.status, 404, "a reset forgets the session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_submission_pays_once() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let client = browser();
    let (reference, url) = initialize(&api, 1_000, json!({"callback_url": "http://127.0.0.1:9/cb"})).await;
    let tries: Vec<_> = (0..8)
        .map(|_| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move { submit(&client, &url, &[("card", "success")]).await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tries {
        statuses.push(t.await.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 409, 409, 409, 409, 409, 409, 409]);
    assert_eq!(api.ledger(&format!("?reference={reference}")).await["counts"][&reference]["successful_charges"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_everything_and_never_the_key() {
    let receiver = Receiver::start(1).await;
    let key = "sk_test_dashboard_secret_0123456789";
    let sb = Sandbox::start(
        json!({"keys": [key, "sk_test_other_key"], "webhook_url": receiver.url(), "start": "2024-08-01T09:00:00Z"}),
    );
    let api = sb.api_with(Some(key));
    let base = sb.server.base_url();
    let client = browser();

    let login = open(&client, &format!("{base}/_sandbox/")).await;
    assert_eq!(login.status, 200);
    assert!(login.text.contains("name=\"key\""));
    assert_eq!(open(&client, &format!("{base}/_sandbox")).await.location(), "/_sandbox/");
    let refused = submit(&client, &format!("{base}/_sandbox/"), &[("key", "sk_test_not_configured")]).await;
    assert_eq!(refused.status, 401);
    assert!(refused.text.contains("Invalid key") && !refused.text.contains("sk_test_not_configured"), "never echoed");

    // Some of everything: transactions of each status, a batch, webhooks (one retried), a fault.
    api.paid_transaction("paid@example.com", 12_345, json!({})).await;
    let (failed, url) = initialize(&api, 999, json!({})).await;
    submit(&client, &url, &[("card", "declined")]).await;
    let (open_ref, _) = initialize(&api, 555, json!({})).await;
    api.put("/_sandbox/faults", json!([{"kind": "error", "status": 503, "route": "/transaction/totals", "count": 1}]))
        .await;
    assert_eq!(api.get("/transaction/totals").await.status, 503);
    let batch = api
        .bulk(
            json!([{"authorization": AUTH_SUCCESS, "amount": 1000}, {"authorization": AUTH_DECLINED, "amount": 2000}]),
        )
        .await;
    let batch_code = batch["batch_code"].as_str().unwrap().to_string();
    api.wait_complete(&batch_code).await;
    wait_for(Duration::from_secs(5), || async { (receiver.count() >= 3).then_some(()) }).await;
    // A day later, a settlement; a refund whose note would be markup if it were not escaped.
    let refunded = api.paid_transaction("refund@example.com", 40_000, json!({})).await;
    let note = "<b>boxed</b> & \"quoted\"";
    let refund = api
        .post("/refund", json!({"transaction": refunded["reference"], "amount": 10_000, "merchant_note": note}))
        .await;
    assert_eq!(refund.status, 200, "{:?}", refund.body);
    api.post("/_sandbox/clock/advance", json!({"days": 1})).await;
    let settlement = api.get("/settlement").await.body["data"][0]["id"].clone();
    let refunded_reference = refunded["reference"].as_str().unwrap().to_string();

    let signed = submit(&client, &format!("{base}/_sandbox/"), &[("key", key)]).await;
    assert_eq!((signed.status, signed.location()), (303, "/_sandbox/"));
    let set_cookie = signed.headers["set-cookie"].to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict") && !set_cookie.contains(key));
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let signed_in = |path: String| fetch(client.get(format!("{base}{path}")).header("cookie", cookie.clone()));

    let pages = [
        "/_sandbox/",
        "/_sandbox/dashboard/transactions",
        "/_sandbox/dashboard/transactions?status=failed",
        "/_sandbox/dashboard/batches",
        &format!("/_sandbox/dashboard/batches/{batch_code}"),
        "/_sandbox/dashboard/webhooks",
        "/_sandbox/dashboard/ledger",
        "/_sandbox/dashboard/requests",
        "/_sandbox/dashboard/requests?faults=1",
        "/_sandbox/dashboard/faults",
        "/_sandbox/dashboard/payouts",
        &format!("/_sandbox/dashboard/payouts/{settlement}"),
        "/_sandbox/dashboard/payouts/424242",
    ];
    let mut texts = Vec::new();
    for path in pages {
        let page = signed_in(path.to_string()).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.text.contains("Sign out"), "{path} is signed in");
        assert!(!page.text.contains(key), "{path} shows the key");
        assert!(!page.text.contains("<script"), "{path}");
        texts.push(page.text);
    }
    let [overview, all, only_failed, batches, charges, webhooks, ledger, requests, faulty, faults, payouts, one, none] =
        &texts[..]
    else {
        unreachable!()
    };
    assert!(overview.contains("<b>6</b>transactions"), "{overview}");
    assert!(
        payouts.contains(&format!("data-settlement=\"{settlement}\"")) && payouts.contains("data-status=\"success\"")
    );
    assert!(payouts.contains("<td>yes</td>"), "its figures add up");
    assert!(
        payouts.contains("&lt;b&gt;boxed&lt;/b&gt; &amp; &quot;quoted&quot;") && !payouts.contains(note),
        "escaped"
    );
    assert!(payouts.contains("data-status=\"processed\""), "the refund, processed a day later");
    assert!(one.contains(&format!("data-reference=\"{refunded_reference}\"")) && one.contains("₦400.00"));
    assert!(none.contains("Settlement not found"));
    for reference in [&failed, &open_ref] {
        assert!(all.contains(reference.as_str()));
    }
    assert!(only_failed.contains(&format!("data-reference=\"{failed}\"")));
    assert!(!only_failed.contains(&format!("data-reference=\"{open_ref}\"")), "the filter filters");
    assert!(all.contains("checkout page"), "an open checkout is linked");
    assert!(batches.contains(&batch_code) && batches.contains("<progress value=\"2\" max=\"2\""));
    assert!(charges.contains(AUTH_DECLINED) && charges.contains("data-status=\"failed\""));
    assert!(!charges.contains("http-equiv=\"refresh\""), "a complete batch does not refresh");
    assert!(webhooks.contains("x-paystack-signature") && webhooks.contains("charge.success"));
    assert!(webhooks.contains("500") && webhooks.contains("delivered"), "every attempt: the failed first one too");
    assert!(ledger.contains("bulkcharge.charge") && ledger.contains("transaction.complete"));
    assert!(requests.contains("error:503") && requests.contains("[redacted]"));
    assert!(faulty.contains("/transaction/totals") && !faulty.contains("/bulkcharge"), "only the faulted ones");
    assert!(faults.contains("&quot;status&quot;:503") && faults.contains("payment_session_timeout_ms"));

    // While a batch is processing, the pages that show it reload themselves.
    api.put("/_sandbox/config", json!({"process_interval_ms": 200})).await;
    let running = api.bulk(json!([{"authorization": AUTH_SUCCESS, "amount": 100}, {"authorization": AUTH_FULL, "amount": 100}, {"authorization": AUTH_PLAIN, "amount": 100}])).await;
    let code = running["batch_code"].as_str().unwrap();
    let page = signed_in(format!("/_sandbox/dashboard/batches/{code}")).await;
    assert!(page.text.contains("http-equiv=\"refresh\""));
    assert!(signed_in("/_sandbox/".into()).await.text.contains("http-equiv=\"refresh\""));

    // Signing out forgets the session.
    let out = fetch(client.post(format!("{base}/_sandbox/logout")).header("cookie", cookie.clone())).await;
    assert_eq!(out.status, 303);
    assert!(out.headers["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    let after = signed_in("/_sandbox/dashboard/transactions".into()).await;
    assert!(after.text.contains("name=\"key\"") && !after.text.contains(&failed), "signed out");
}
