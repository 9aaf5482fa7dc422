//! Conformance with Paystack's official sample responses (`samples/api/{bulk-charges,transactions}`
//! and the bulk-charge webhook): for each sample, the sandbox's answer to the same request has the
//! same keys, the same value types and the same message.
//!
//! How values are compared:
//! - Types are strict: null matches only null, an integer only an integer, "" only a string.
//!   Where a type depends on the data (a customer's `metadata` is null for one customer and an
//!   object for another), the test sends the request with a fixture customer of the sample's kind.
//! - Objects must have exactly the sample's keys, except keys listed in `extra` for that sample:
//!   keys the OAS schema of the endpoint requires but the sample lacks (the OAS test checks them).
//! - Arrays: the sandbox's array must be non-empty when the sample's is, and every element must
//!   have the shape of the sample's first element.
//! - `exceptions` lists the paths whose type may differ, each with its reason.

use serde_json::{Value, json};

use crate::common::*;

/// A key or path allowed to differ, and why.
struct Allowed {
    path: &'static str,
    reason: &'static str,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn compare(
    path: &str,
    sample: &Value,
    actual: &Value,
    extra: &[Allowed],
    exceptions: &[Allowed],
    problems: &mut Vec<String>,
) {
    if exceptions.iter().any(|e| e.path == path) {
        return;
    }
    match (sample, actual) {
        (Value::Object(s), Value::Object(a)) => {
            for key in s.keys() {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                match a.get(key) {
                    Some(value) => compare(&child, &s[key], value, extra, exceptions, problems),
                    None => problems.push(format!("{child}: missing")),
                }
            }
            for key in a.keys().filter(|k| !s.contains_key(*k)) {
                let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                if !extra.iter().any(|e| e.path == child) {
                    problems.push(format!("{child}: not in the sample"));
                }
            }
        }
        (Value::Array(s), Value::Array(a)) => {
            if let Some(first) = s.first() {
                if a.is_empty() {
                    problems.push(format!("{path}: empty, the sample has elements"));
                }
                for element in a {
                    compare(&format!("{path}[]"), first, element, extra, exceptions, problems);
                }
            }
        }
        _ if type_name(sample) == type_name(actual) => {}
        _ => problems.push(format!(
            "{path}: sample is {}, sandbox gave {} ({actual})",
            type_name(sample),
            type_name(actual)
        )),
    }
}

/// Compares a reply with `samples/api/<dir>/response.json` under `status_key`.
fn check(dir: &str, status_key: &str, reply: &Reply, extra: &[Allowed], exceptions: &[Allowed]) {
    let samples = read_json(&format!("samples/api/{dir}/response.json"));
    let sample = &samples[status_key]["data"];
    assert!(sample.is_object(), "no sample {status_key} in {dir}");
    let mut problems = Vec::new();
    compare("", sample, &reply.body, extra, exceptions, &mut problems);
    assert_eq!(reply.body["message"], sample["message"], "{dir}: message");
    assert!(problems.is_empty(), "{dir} ({status_key}) differs from the sample:\n{}", problems.join("\n"));
    for e in extra.iter().chain(exceptions) {
        assert!(!e.reason.is_empty());
    }
}

const OAS_REQUIRES: &str = "the OAS schema of this endpoint requires it (checked by the OAS test)";

#[tokio::test]
async fn bulk_charge_samples() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    // The sample's two charges share a customer: the same authorization twice, each with a reference.
    let reply = api
        .post(
            "/bulkcharge",
            json!([
                {"authorization": AUTH_PLAIN, "amount": 20500, "reference": "sample-one"},
                {"authorization": AUTH_PLAIN, "amount": 11500, "reference": "sample-two"}
            ]),
        )
        .await;
    assert_eq!(reply.status, 200);
    check("bulk-charges/initiate", "200", &reply, &[], &[]);
    let code = reply.body["data"]["batch_code"].as_str().unwrap().to_string();
    api.wait_complete(&code).await;

    let list = api.get("/bulkcharge").await;
    check(
        "bulk-charges/list",
        "200",
        &list,
        &[
            Allowed { path: "data[].integration", reason: OAS_REQUIRES },
            Allowed { path: "data[].reference", reason: OAS_REQUIRES },
            Allowed { path: "data[].easy_cron_id", reason: OAS_REQUIRES },
        ],
        &[],
    );

    let fetched = api.get(&format!("/bulkcharge/{code}")).await;
    check(
        "bulk-charges/fetch-batch",
        "200",
        &fetched,
        &[
            Allowed { path: "data.reference", reason: OAS_REQUIRES },
            Allowed { path: "data.integration", reason: OAS_REQUIRES },
        ],
        &[],
    );

    let items = api.get(&format!("/bulkcharge/{code}/charges")).await;
    check(
        "bulk-charges/fetch-charge",
        "200",
        &items,
        &[
            Allowed { path: "data[].at_least", reason: OAS_REQUIRES },
            Allowed { path: "data[].reference", reason: OAS_REQUIRES },
            Allowed { path: "data[].metadata", reason: OAS_REQUIRES },
            Allowed { path: "data[].message", reason: OAS_REQUIRES },
            Allowed { path: "data[].attempt_partial_debit", reason: OAS_REQUIRES },
            Allowed { path: "data[].customer.international_format_phone", reason: OAS_REQUIRES },
            Allowed { path: "data[].authorization.signature", reason: OAS_REQUIRES },
        ],
        &[Allowed {
            path: "data[].transaction.metadata",
            reason: "the 2017 sample shows \"\", from before Paystack added the bulkcharge_id / \
                     bulkcharge_batch_code / charged_via custom_fields that the 2024 bulk-charge webhook \
                     sample (docs/paystack-api.md §3.6) shows on every bulk-charge transaction; the sandbox follows the newer fact",
        }],
    );

    // Pause / resume need a batch still running: slow the engine down first.
    api.put("/_sandbox/config", json!({"process_interval_ms": 60_000})).await;
    let slow = api.bulk(json!([{"authorization": AUTH_SUCCESS, "amount": 100}])).await;
    let slow_code = slow["batch_code"].as_str().unwrap();
    let paused = api.get(&format!("/bulkcharge/pause/{slow_code}")).await;
    check("bulk-charges/pause", "200", &paused, &[], &[]);
    let resumed = api.get(&format!("/bulkcharge/resume/{slow_code}")).await;
    check("bulk-charges/resume", "200", &resumed, &[], &[]);
}

#[tokio::test]
async fn transaction_samples() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();

    let init = api.post("/transaction/initialize", json!({"email": EMAIL_PLAIN, "amount": 30050})).await;
    check("transactions/initialize", "200", &init, &[], &[]);

    // verify: the sample's customer has `metadata: null` -> the plain fixture customer.
    let reference = init.body["data"]["reference"].as_str().unwrap();
    api.post(&format!("/_sandbox/transactions/{reference}/complete"), json!({"status": "success"})).await;
    let verify = api.get(&format!("/transaction/verify/{reference}")).await;
    check("transactions/verify", "200", &verify, &[], &[]);

    // fetch: the sample's customer has custom_fields metadata -> the success fixture customer.
    let paid = api.paid_transaction(EMAIL_SUCCESS, 30050, json!({})).await;
    let fetch = api.get(&format!("/transaction/{}", paid["id"])).await;
    check(
        "transactions/fetch",
        "200",
        &fetch,
        &[
            Allowed { path: "data.authorization.receiver_bank_account_number", reason: OAS_REQUIRES },
            Allowed { path: "data.authorization.receiver_bank", reason: OAS_REQUIRES },
        ],
        &[],
    );

    // list: the sample shows cursor pagination meta; a second transaction makes `next` a string.
    api.paid_transaction(EMAIL_SUCCESS, 1000, json!({})).await;
    let list = api.get("/transaction?use_cursor=true&perPage=1").await;
    check("transactions/list", "200", &list, &[], &[]);

    let timeline = api.get(&format!("/transaction/timeline/{reference}")).await;
    check("transactions/view_timeline", "200", &timeline, &[], &[]);
    let missing = api.get("/transaction/timeline/no-such-reference").await;
    assert_eq!(missing.status, 400);
    check("transactions/view_timeline", "400", &missing, &[], &[]);

    let charge = api
        .post(
            "/transaction/charge_authorization",
            json!({"email": EMAIL_SUCCESS, "amount": 35247, "authorization_code": AUTH_SUCCESS}),
        )
        .await;
    check("transactions/charge_authorization", "200", &charge, &[], &[]);

    let partial = api
        .post(
            "/transaction/partial_debit",
            json!({"email": EMAIL_SUCCESS, "amount": 50000, "authorization_code": AUTH_SUCCESS, "currency": "NGN"}),
        )
        .await;
    check("transactions/partial_debit", "200", &partial, &[], &[]);
    let unknown = api
        .post(
            "/transaction/partial_debit",
            json!({"email": "nobody@example.com", "amount": 50000, "authorization_code": AUTH_SUCCESS, "currency": "NGN"}),
        )
        .await;
    assert_eq!(unknown.status, 400);
    check("transactions/partial_debit", "400", &unknown, &[], &[]);

    // totals: the sample has two currencies.
    api.post(
        "/transaction/charge_authorization",
        json!({"email": EMAIL_SUCCESS, "amount": 28000, "authorization_code": AUTH_SUCCESS, "currency": "USD"}),
    )
    .await;
    let totals = api.get("/transaction/totals").await;
    check("transactions/totals", "200", &totals, &[], &[]);
    assert_eq!(totals.body["data"]["total_volume_by_currency"].as_array().unwrap().len(), 2);

    let export = api.get("/transaction/export").await;
    check("transactions/export", "200", &export, &[], &[]);
}

/// The samples keyed "400" for fetch / verify / charge_authorization are the "Invalid key" body;
/// docs/paystack-api.md §2.1 (and the OAS) give that answer HTTP 401, which the sandbox uses.
#[tokio::test]
async fn invalid_key_samples() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api_with(Some("pk_test_not_a_secret_key"));
    for (dir, path) in [
        ("transactions/fetch", "/transaction/1"),
        ("transactions/verify", "/transaction/verify/x"),
        ("transactions/charge_authorization", "/transaction/charge_authorization"),
    ] {
        let reply =
            if dir.ends_with("charge_authorization") { api.post(path, json!({})).await } else { api.get(path).await };
        assert_eq!(reply.status, 401);
        check(dir, "400", &reply, &[], &[]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_charge_webhook_sample() {
    let receiver = Receiver::start(0).await;
    let sb = Sandbox::start(json!({"webhook_url": receiver.url()}));
    let api = sb.api();
    // The sample's customer has names, a phone and `metadata: {}` -> the full fixture customer.
    api.bulk(json!([{"authorization": AUTH_FULL, "amount": 25000, "reference": "my_reference_3"}])).await;
    wait_for(std::time::Duration::from_secs(10), || async { (receiver.count() > 0).then_some(()) }).await;
    let body = receiver.received.lock()[0].1.clone();
    let payload: Value = serde_json::from_slice(&body).unwrap();
    let sample = read_json("samples/doc/payments/bulk-charge/webhook/index.json");
    let mut problems = Vec::new();
    compare("", &sample, &payload, &[], &[], &mut problems);
    assert!(problems.is_empty(), "webhook differs from the sample:\n{}", problems.join("\n"));
    assert_eq!(payload["event"], "charge.success");
    let fields = payload["data"]["metadata"]["custom_fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["variable_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["bulkcharge_id", "bulkcharge_batch_code", "charged_via"]);
    assert_eq!(fields[2]["value"], "Bulkcharge");
}

#[test]
fn comparator_is_strict() {
    let mut problems = Vec::new();
    compare(
        "",
        &json!({"a": null, "b": 1, "c": [{"d": "x"}]}),
        &json!({"a": {}, "b": 1.5, "c": [{"d": "y", "e": 1}]}),
        &[],
        &[],
        &mut problems,
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
    let mut none = Vec::new();
    compare("", &json!({"c": []}), &json!({"c": [1]}), &[], &[], &mut none);
    assert!(none.is_empty());
}
