//! What real clients send, answered as Paystack answers it: bodies with or without a content type,
//! forms with nested names, repeated query names, Authorization headers with extra whitespace,
//! calendar-impossible dates, and a sandbox that accepts only the keys it was given.

use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::common::*;

/// Sends `body` as is with the given content type (none when `None`).
async fn raw_post(api: &Api, path: &str, content_type: Option<&str>, body: &str) -> (u16, Value) {
    let mut request =
        api.client.post(format!("{}{path}", api.base)).bearer_auth(api.key.as_deref().unwrap()).body(body.to_string());
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn bodies_are_read_with_or_without_a_content_type() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let json_body = r#"{"email": "body@example.com", "amount": 5000}"#;
    let form_body = "email=body%40example.com&amount=5000";
    for (content_type, body) in [
        (Some("application/json"), json_body),
        (Some("application/json; charset=utf-8"), json_body),
        (None, json_body),
        (Some("text/plain"), json_body),
        (Some("application/x-www-form-urlencoded"), json_body),
        (Some("application/x-www-form-urlencoded"), form_body),
        (Some("application/x-www-form-urlencoded; charset=UTF-8"), form_body),
        (None, form_body),
    ] {
        let (status, reply) = raw_post(&api, "/transaction/initialize", content_type, body).await;
        assert_eq!(status, 200, "{content_type:?} {body}: {reply}");
        let reference = reply["data"]["reference"].as_str().unwrap().to_string();
        let verify = api.get(&format!("/transaction/verify/{reference}")).await;
        assert_eq!(verify.body["data"]["amount"], 5000);
        assert_eq!(verify.body["data"]["customer"]["email"], "body@example.com");
    }
    // A form labelled JSON is not JSON: refused, and nothing is created.
    let (status, reply) = raw_post(&api, "/transaction/initialize", Some("application/json"), form_body).await;
    assert_eq!(status, 400, "{reply}");
    assert!(reply["message"].as_str().unwrap().starts_with("Invalid JSON body"), "{reply}");
}

#[tokio::test]
async fn form_names_nest_as_paystack_reads_them() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    let form = "email=nest%40example.com&amount=7000&channels[]=card&channels[]=bank&metadata[order]=A-7&metadata[cart]=3&reference=nest-1&reference=nest-2";
    let (status, reply) = raw_post(&api, "/transaction/initialize", None, form).await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["data"]["reference"], "nest-1", "a repeated name keeps its first value");
    let verify = api.get("/transaction/verify/nest-1").await;
    assert_eq!(verify.body["data"]["metadata"], json!({"order": "A-7", "cart": "3"}));
    let logged = api.get("/_sandbox/requests?path=/transaction/initialize").await;
    assert_eq!(logged.body["data"][0]["body"]["email"], "nest@example.com");
}

#[tokio::test]
async fn a_repeated_query_name_keeps_its_first_value() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    for email in ["q1@example.com", "q2@example.com", "q3@example.com"] {
        api.paid_transaction(email, 1000, json!({})).await;
    }
    let reply = api.get("/transaction?perPage=1&perPage=2&page=2&page=1").await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(reply.body["meta"]["perPage"], 1);
    assert_eq!(reply.body["meta"]["page"], 2);
    assert_eq!(reply.body["data"].as_array().unwrap().len(), 1);
    let by_status = api.get("/transaction?status=abandoned&status=success").await;
    assert_eq!(by_status.body["meta"]["total"], 0, "status=abandoned wins: every transaction here succeeded");
    // Page numbers as text with whitespace or a sign are numbers.
    let spaced = api.get("/transaction?perPage=%202%20&page=%2B1").await;
    assert_eq!((spaced.status, &spaced.body["meta"]["perPage"]), (200, &json!(2)), "{:?}", spaced.body);
}

#[tokio::test]
async fn authorization_headers_with_extra_whitespace() {
    let sb = Sandbox::start(json!({}));
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let key = sb.server.secret_key().to_string();
    let url = format!("{}/transaction/totals", sb.server.base_url());
    for (header, status, message) in [
        (format!("Bearer {key}"), 200, "Transaction totals"),
        (format!("Bearer   {key}"), 200, "Transaction totals"),
        (format!("  Bearer {key}  "), 200, "Transaction totals"),
        (format!("bearer\t{key}"), 200, "Transaction totals"),
        (format!("Bearer{key}"), 401, "Format is Authorization Bearer [secret key]"),
        (format!("Token {key}"), 401, "Format is Authorization Bearer [secret key]"),
        ("Bearer ".to_string(), 401, "Format is Authorization Bearer [secret key]"),
        (format!("Bearer {key} extra"), 401, "Invalid key"),
    ] {
        let reply = client.get(&url).header("authorization", &header).send().await.unwrap();
        let code = reply.status().as_u16();
        let body: Value = reply.json().await.unwrap();
        assert_eq!((code, body["message"].as_str().unwrap()), (status, message), "{header:?}");
    }
}

#[tokio::test]
async fn impossible_dates_are_refused_by_name() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    for (query, message) in [
        ("from=2024-02-30", "Invalid 'from' date"),
        ("from=2023-02-29", "Invalid 'from' date"),
        ("to=2024-02-30T10:00:00Z", "Invalid 'to' date"),
        ("to=2024-01-01T25:61:00Z", "Invalid 'to' date"),
        ("from=2024-01-01T10:00:00%2B14:30", "Invalid 'from' date"),
    ] {
        for path in ["/transaction", "/bulkcharge", "/transaction/totals", "/transaction/export"] {
            let reply = api.get(&format!("{path}?{query}")).await;
            assert_eq!(reply.status, 400, "{path}?{query}: {:?}", reply.body);
            assert_eq!(reply.body["message"], message, "{path}?{query}");
            assert_eq!(reply.body["type"], "validation_error");
        }
    }
    for query in ["from=2024-02-29", "to=2024-12-31T23:59:59.999%2B14:00", "from=2024-01-01%2010:00:00"] {
        let reply = api.get(&format!("/transaction?{query}")).await;
        assert_eq!(reply.status, 200, "{query}: {:?}", reply.body);
    }
}

#[tokio::test]
async fn a_numeric_id_beyond_any_transaction_is_not_found() {
    let sb = Sandbox::start(json!({}));
    let reply = sb.api().get("/transaction/99999999999999999999999").await;
    assert_eq!((reply.status, reply.body["message"].as_str().unwrap()), (404, "Transaction not found"));
}

#[tokio::test]
async fn with_keys_every_other_key_is_invalid() {
    let sb = Sandbox::start(json!({"keys": ["sk_test_allowed_one", "sk_live_allowed_two"]}));
    assert_eq!(sb.server.secret_key(), "sk_test_allowed_one");
    for key in ["sk_test_allowed_one", "sk_live_allowed_two"] {
        let api = sb.api_with(Some(key));
        assert_eq!(api.get("/transaction/totals").await.status, 200, "{key}");
        assert_eq!(api.get("/_sandbox/fixtures").await.status, 200, "{key}");
    }
    for key in ["sk_test_wrong", "sk_test_paystack_rs_sandbox_0000000000000000", "sk_live_allowed_one"] {
        let api = sb.api_with(Some(key));
        for path in ["/transaction/totals", "/bulkcharge", "/_sandbox/ledger"] {
            let reply = api.get(path).await;
            assert_eq!(reply.status, 401, "{key} {path}");
            assert_eq!(reply.body, json!({"status": false, "message": "Invalid key"}), "{key} {path}");
        }
        let charge = api
            .post(
                "/transaction/charge_authorization",
                json!({"email": EMAIL_SUCCESS, "amount": 100, "authorization_code": AUTH_SUCCESS}),
            )
            .await;
        assert_eq!(charge.status, 401);
    }
    // Nothing reached an integration: the allowed key's log and ledger are empty.
    let allowed = sb.api_with(Some("sk_test_allowed_one"));
    assert_eq!(allowed.get("/_sandbox/ledger").await.body["data"]["entries"], json!([]));
}

#[test]
fn the_binary_takes_keys() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_paystack-sandbox"))
        .args(["--port", "0", "--key", "sk_test_binary_one", "--key=sk_test_binary_two"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().to_string();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let statuses = runtime.block_on(async {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let mut statuses = Vec::new();
        for key in ["sk_test_binary_one", "sk_test_binary_two", "sk_test_wrong"] {
            let reply = client.get(format!("{base}/transaction/totals")).bearer_auth(key).send().await.unwrap();
            statuses.push(reply.status().as_u16());
        }
        statuses
    });
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(statuses, [200, 200, 401]);
    let bad = Command::new(env!("CARGO_BIN_EXE_paystack-sandbox"))
        .args(["--key", "pk_test_public"])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(bad.code(), Some(2));
}
