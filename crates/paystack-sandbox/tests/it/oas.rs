//! The sandbox's 200 answers validate against the response schemas of Paystack's OpenAPI
//! document (`spec/dist_paystack.yaml`, OAS 3.0) wherever it has one.
//!
//! OAS 3.0 → JSON Schema: local `$ref`s are inlined, `nullable: true` adds `"null"` to the type
//! (a `nullable` schema without a type accepts anything, as in OAS 3.0), and OAS-only keywords
//! (`example`, `format`, `x-…`) are dropped.
//!
//! One exception, patched below with its reason: the OAS types the bulk-charge items list's
//! `meta.perPage` as a string, while Paystack's sample (and every other list) has an integer.

use serde_json::{Map, Value, json};

use crate::common::*;

fn spec() -> Value {
    let path = data_dir().join("spec/dist_paystack.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_norway::from_str(&text).expect("the OAS document is YAML")
}

fn resolve(spec: &Value, reference: &str) -> Value {
    let pointer = reference.strip_prefix('#').expect("local $ref");
    spec.pointer(pointer).cloned().unwrap_or_else(|| panic!("dangling $ref {reference}"))
}

/// OAS 3.0 schema → JSON Schema.
fn convert(spec: &Value, schema: &Value, depth: usize) -> Value {
    assert!(depth < 64, "$ref cycle");
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                return convert(spec, &resolve(spec, reference), depth + 1);
            }
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "nullable" | "example" | "format" | "description" => {}
                    k if k.starts_with("x-") => {}
                    "properties" => {
                        let props: Map<String, Value> = value
                            .as_object()
                            .unwrap()
                            .iter()
                            .map(|(name, s)| (name.clone(), convert(spec, s, depth + 1)))
                            .collect();
                        out.insert(key.clone(), Value::Object(props));
                    }
                    "items" | "not" | "additionalProperties" if value.is_object() => {
                        out.insert(key.clone(), convert(spec, value, depth + 1));
                    }
                    "anyOf" | "oneOf" | "allOf" => {
                        let list = value.as_array().unwrap().iter().map(|s| convert(spec, s, depth + 1)).collect();
                        out.insert(key.clone(), Value::Array(list));
                    }
                    _ => {
                        out.insert(key.clone(), value.clone());
                    }
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(t)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                    if let Some(Value::Array(values)) = out.get_mut("enum") {
                        values.push(Value::Null);
                    }
                }
                // anyOf/oneOf with nullable: allow null as an alternative.
                for key in ["anyOf", "oneOf"] {
                    if let Some(Value::Array(list)) = out.get_mut(key) {
                        list.push(json!({"type": "null"}));
                    }
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

fn response_schema(spec: &Value, path: &str, method: &str) -> Value {
    let schema = &spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"];
    assert!(!schema.is_null(), "no 200 schema for {method} {path}");
    convert(spec, schema, 0)
}

fn assert_valid(spec: &Value, path: &str, method: &str, reply: &Reply, patch: impl FnOnce(&mut Value)) {
    assert_eq!(reply.status, 200, "{method} {path}: {:?}", reply.body);
    let mut schema = response_schema(spec, path, method);
    patch(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(&reply.body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{method} {path} does not match the OAS schema:\n{}\n{}", errors.join("\n"), reply.body);
}

fn no_patch(_: &mut Value) {}

#[tokio::test]
async fn answers_validate_against_the_openapi_schemas() {
    let spec = spec();
    let sb = Sandbox::start(json!({}));
    let api = sb.api();

    // Bulk charge, with the full-profile customer (the OAS types names and phone as strings).
    let created = api.post("/bulkcharge", json!([{"authorization": AUTH_FULL, "amount": 1000}])).await;
    assert_valid(&spec, "/bulkcharge", "post", &created, no_patch);
    let code = created.body["data"]["batch_code"].as_str().unwrap().to_string();
    api.wait_complete(&code).await;
    assert_valid(&spec, "/bulkcharge", "get", &api.get("/bulkcharge").await, no_patch);
    assert_valid(&spec, "/bulkcharge/{code}", "get", &api.get(&format!("/bulkcharge/{code}")).await, no_patch);
    let charges = api.get(&format!("/bulkcharge/{code}/charges")).await;
    assert_valid(&spec, "/bulkcharge/{code}/charges", "get", &charges, |schema| {
        // Exception: the OAS says string; the sample and the API give an integer (docs/paystack-api.md §2.4).
        schema["properties"]["meta"]["properties"]["perPage"] = json!({"type": ["integer", "string"]});
    });
    api.put("/_sandbox/config", json!({"process_interval_ms": 60_000})).await;
    let slow = api.bulk(json!([{"authorization": AUTH_FULL, "amount": 1000}])).await;
    let slow_code = slow["batch_code"].as_str().unwrap();
    assert_valid(
        &spec,
        "/bulkcharge/pause/{code}",
        "get",
        &api.get(&format!("/bulkcharge/pause/{slow_code}")).await,
        no_patch,
    );
    assert_valid(
        &spec,
        "/bulkcharge/resume/{code}",
        "get",
        &api.get(&format!("/bulkcharge/resume/{slow_code}")).await,
        no_patch,
    );

    // Transactions.
    let init = api.post("/transaction/initialize", json!({"email": EMAIL_FULL, "amount": 5000})).await;
    assert_valid(&spec, "/transaction/initialize", "post", &init, no_patch);
    // The fetch schema requires metadata.custom_fields.
    let metadata = json!({"custom_fields": [{"display_name": "Order", "variable_name": "order", "value": "42"}]});
    let paid = api.paid_transaction(EMAIL_FULL, 5000, json!({"metadata": metadata})).await;
    let reference = paid["reference"].as_str().unwrap();
    assert_valid(
        &spec,
        "/transaction/verify/{reference}",
        "get",
        &api.get(&format!("/transaction/verify/{reference}")).await,
        no_patch,
    );
    assert_valid(&spec, "/transaction/{id}", "get", &api.get(&format!("/transaction/{}", paid["id"])).await, no_patch);
    assert_valid(
        &spec,
        "/transaction/timeline/{id}",
        "get",
        &api.get(&format!("/transaction/timeline/{}", paid["id"])).await,
        no_patch,
    );
    let charge = api
        .post(
            "/transaction/charge_authorization",
            json!({"email": EMAIL_FULL, "amount": 3000, "authorization_code": AUTH_FULL}),
        )
        .await;
    assert_valid(&spec, "/transaction/charge_authorization", "post", &charge, no_patch);
    let partial = api
        .post(
            "/transaction/partial_debit",
            json!({"email": EMAIL_FULL, "amount": 3000, "authorization_code": AUTH_FULL, "currency": "NGN", "at_least": 100}),
        )
        .await;
    assert_valid(&spec, "/transaction/partial_debit", "post", &partial, no_patch);
    // Offset pagination (the schema's meta); abandoned transactions have `authorization: {}`,
    // which the list item schema does not allow, so list the successful ones.
    assert_valid(&spec, "/transaction", "get", &api.get("/transaction?status=success").await, no_patch);
    assert_valid(&spec, "/transaction/totals", "get", &api.get("/transaction/totals").await, no_patch);
    assert_valid(&spec, "/transaction/export", "get", &api.get("/transaction/export").await, no_patch);
}

#[test]
fn nullable_conversion() {
    let spec = json!({"components": {"schemas": {"X": {"type": "string", "nullable": true}}}});
    let converted =
        convert(&spec, &json!({"type": "object", "properties": {"x": {"$ref": "#/components/schemas/X"}}}), 0);
    assert_eq!(converted["properties"]["x"], json!({"type": ["string", "null"]}));
    let validator = jsonschema::validator_for(&converted).unwrap();
    assert!(validator.is_valid(&json!({"x": null})));
    assert!(!validator.is_valid(&json!({"x": 1})));
}
