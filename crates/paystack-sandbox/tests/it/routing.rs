//! The router is the endpoint table of paystack-facts: every route answers at its method and
//! path, with or without a trailing slash, and nothing else is routed.

use paystack_facts::{Method, ROUTES};
use reqwest::Method as HttpMethod;
use serde_json::{Value, json};

use crate::common::*;

/// A path of `template` with each placeholder filled: a batch, a transaction, a reference, a
/// settlement, a refund.
fn concrete(template: &str, batch: &Value, transaction: &Value, settlement: &Value, refund: &Value) -> String {
    let id = if template.starts_with("/settlement/") {
        settlement["id"].to_string()
    } else if template.starts_with("/refund/") {
        refund["id"].to_string()
    } else {
        transaction["id"].to_string()
    };
    template
        .replace("{id_or_code}", batch["batch_code"].as_str().unwrap())
        .replace("{batch_code}", batch["batch_code"].as_str().unwrap())
        .replace("{id_or_reference}", transaction["reference"].as_str().unwrap())
        .replace("{reference}", transaction["reference"].as_str().unwrap())
        .replace("{id}", &id)
}

#[tokio::test]
async fn every_route_answers_with_and_without_a_trailing_slash() {
    let sb = Sandbox::start(json!({"process_interval_ms": 60_000}));
    let api = sb.api();
    let transaction = api.paid_transaction("slash@example.com", 5000, json!({})).await;
    let refund =
        api.post("/refund", json!({"transaction": transaction["reference"], "amount": 100})).await.body["data"].clone();
    // Two days later the transaction has settled (the batch comes after, so it stays active).
    api.post("/_sandbox/clock/advance", json!({"days": 2})).await;
    let settlement = api.get("/settlement").await.body["data"][0].clone();
    let batch = api.bulk(json!([{"authorization": AUTH_SUCCESS, "amount": 100}])).await;
    for route in &ROUTES {
        let path = concrete(route.path, &batch, &transaction, &settlement, &refund);
        let method = match route.method {
            Method::Get => HttpMethod::GET,
            Method::Post => HttpMethod::POST,
        };
        // POSTs get an empty object: refused for its content, by the endpoint's own handler.
        let body = (route.method == Method::Post).then(|| json!({}));
        let plain = api.send(method.clone(), &path, body.clone()).await;
        let slashed = api.send(method, &format!("{path}/"), body).await;
        let message = plain.body["message"].as_str().unwrap_or_default().to_string();
        assert!(!message.starts_with("Route not found"), "{} {path}: {message}", route.method.as_str());
        assert_eq!((plain.status, &plain.body["message"]), (slashed.status, &slashed.body["message"]), "{path}/");
        if route.method == Method::Get && route.operation != paystack_facts::Operation::BulkChargePause {
            assert_eq!(plain.status, 200, "{path}: {:?}", plain.body);
            if let Some(expected) = route.message {
                assert_eq!(message, expected, "{path}");
            }
        }
    }
}

#[tokio::test]
async fn other_methods_and_paths_are_not_routes() {
    let sb = Sandbox::start(json!({}));
    let api = sb.api();
    for (method, path) in [
        (HttpMethod::POST, "/transaction/verify/x"),
        (HttpMethod::GET, "/transaction/initialize"),
        (HttpMethod::DELETE, "/bulkcharge"),
        (HttpMethod::GET, "/transaction/totals//"),
        (HttpMethod::GET, "/transfer"),
    ] {
        let reply = api.send(method.clone(), path, None).await;
        assert_eq!(reply.status, 404, "{method} {path}: {:?}", reply.body);
        assert_eq!(reply.body["message"], format!("Route not found: {method} {path}"));
    }
}
