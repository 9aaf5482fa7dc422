//! The control API under `/_sandbox`: what a tester uses to drive and inspect the sandbox.
//! Authenticated with the integration's own Bearer key (so it acts on that key's state), never
//! subject to faults, never in the request log. Health, export files and checkout pages need no key.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use crate::app::{App, Integration, with_state};
use crate::auth::bearer_key;
use crate::clock::{iso, now_ms};
use crate::config::validate_webhook_url;
use crate::envelope::{ApiError, ApiResult, ok, ok_message};
use crate::faults::{FaultConfig, FaultState};
use crate::fixtures;
use crate::outcomes::Behaviour;
use crate::params::{self, query_map, string_field};
use crate::render;
use crate::request_log::RequestEntry;
use crate::state::model::{Authorization, Customer};
use crate::state::{IntegrationState, NewCustomer};

pub(crate) fn routes(app: Arc<App>) -> Router<Arc<App>> {
    let authenticated = Router::new()
        .route("/_sandbox/fixtures", get(fixtures_list))
        .route("/_sandbox/customers", get(customers_list).post(customers_add))
        .route("/_sandbox/transactions/{reference}/complete", post(complete))
        .route("/_sandbox/faults", get(faults_get).put(faults_put).delete(faults_delete))
        .route("/_sandbox/ledger", get(ledger_get).delete(ledger_delete))
        .route("/_sandbox/requests", get(requests_get).delete(requests_delete))
        .route("/_sandbox/webhooks", get(webhooks_get).delete(webhooks_delete))
        .route("/_sandbox/config", get(config_get).put(config_put))
        .route("/_sandbox/reset", post(reset))
        .route_layer(from_fn_with_state(app, control_auth));
    Router::new()
        .route("/_sandbox/health", get(health))
        .route("/_sandbox/exports/{file}", get(export_file))
        .route("/_sandbox/checkout/{access_code}", get(checkout))
        .merge(authenticated)
}

async fn control_auth(State(app): State<Arc<App>>, mut request: Request, next: Next) -> Response {
    let integration = match bearer_key(request.headers()) {
        Ok((key, domain)) => app.integration(key, domain),
        Err(e) => return e.into_response(),
    };
    request.extensions_mut().insert(integration);
    next.run(request).await
}

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError::plain(StatusCode::BAD_REQUEST, message)
}

async fn health() -> Response {
    ok_message("ok")
}

/// GET /_sandbox/exports/{token}.csv — the file a GET /transaction/export pointed at.
async fn export_file(State(app): State<Arc<App>>, Path(file): Path<String>) -> ApiResult {
    let token = file.strip_suffix(".csv").unwrap_or(&file);
    let exports = app.exports.lock();
    let export = exports.get(token).ok_or_else(|| ApiError::plain(StatusCode::NOT_FOUND, "Export not found"))?;
    if export.expires_at <= now_ms() {
        return Err(ApiError::plain(StatusCode::FORBIDDEN, "Request has expired"));
    }
    Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8")], export.csv.clone()).into_response())
}

/// GET /_sandbox/checkout/{access_code} — where `authorization_url` points: describes the
/// pending payment and how a test completes it.
async fn checkout(State(app): State<Arc<App>>, Path(access_code): Path<String>) -> ApiResult {
    for integration in app.integrations() {
        let state = integration.state.lock();
        if let Some(tx) = state.transactions.iter().find(|t| t.access_code.as_deref() == Some(access_code.as_str())) {
            return Ok(ok(
                "Sandbox checkout",
                json!({
                    "reference": tx.reference,
                    "amount": tx.amount,
                    "currency": tx.currency,
                    "email": state.customers[tx.customer].email,
                    "status": tx.status.as_str(),
                    "complete_with": format!(
                        "POST /_sandbox/transactions/{}/complete {{\"status\": \"success\"}} with the integration's Bearer key",
                        tx.reference
                    ),
                }),
            ));
        }
    }
    Err(ApiError::plain(StatusCode::NOT_FOUND, "Checkout session not found"))
}

fn authorization_json(a: &Authorization) -> Value {
    json!({
        "authorization_code": a.code,
        "reusable": a.reusable,
        "fixture": a.fixture,
        "behaviour": serde_json::to_value(&a.funds.behaviour).unwrap_or(Value::Null),
        "description": a.funds.describe(),
        "last4": a.last4,
        "signature": a.signature,
    })
}

fn customer_json(state: &IntegrationState, index: usize) -> Value {
    let c: &Customer = &state.customers[index];
    let authorizations: Vec<Value> =
        state.authorizations.iter().filter(|a| a.customer == index).map(authorization_json).collect();
    json!({
        "id": c.id,
        "customer_code": c.code,
        "email": c.email,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "phone": c.phone,
        "metadata": c.metadata,
        "createdAt": iso(c.created_at),
        "authorizations": authorizations,
    })
}

/// GET /_sandbox/fixtures — the seeded authorizations, what each does, and the amount rules.
async fn fixtures_list(Extension(integration): Extension<Arc<Integration>>) -> Response {
    let state = integration.state.lock();
    let authorizations: Vec<Value> = state
        .authorizations
        .iter()
        .filter(|a| a.fixture)
        .map(|a| {
            let c = &state.customers[a.customer];
            let mut v = authorization_json(a);
            if let Value::Object(map) = &mut v {
                map.insert("email".into(), c.email.clone().into());
                map.insert("customer_code".into(), c.code.clone().into());
                map.insert("customer_id".into(), c.id.into());
            }
            v
        })
        .collect();
    ok(
        "Fixtures retrieved",
        json!({
            "integration": state.integration_id,
            "domain": state.domain.as_str(),
            "authorizations": authorizations,
            "rules": [
                format!("amounts above {} (NGN 10,000,000) are refused with \"Transaction amount limit exceeded\"", paystack_facts::limits::MAX_AMOUNT),
                format!("check_authorization in test mode answers \"Insufficient Funds\" from {} (NGN 500,000) up", crate::outcomes::CHECK_AUTHORIZATION_TEST_LIMIT),
                format!("a bulk charge is attempted at most {} times; a failed attempt goes to the back of the batch's queue", crate::state::BULK_RETRY_LIMIT),
                format!("{} starts with {} kobo; successful charges spend it", fixtures::AUTH_LOW_BALANCE, fixtures::LOW_BALANCE),
            ],
        }),
    )
}

async fn customers_list(Extension(integration): Extension<Arc<Integration>>) -> Response {
    let state = integration.state.lock();
    let customers: Vec<Value> = (0..state.customers.len()).map(|i| customer_json(&state, i)).collect();
    ok("Customers retrieved", Value::Array(customers))
}

fn optional_string(map: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad_request(format!("{key} must be a string"))),
    }
}

fn behaviour_of(map: &Map<String, Value>) -> Result<Behaviour, ApiError> {
    match map.get("behaviour") {
        None | Some(Value::Null) => Ok(Behaviour::Success),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
            bad_request(format!(
                "behaviour: {e}; expected {{\"kind\": \"success\"}}, {{\"kind\": \"decline\", \"gateway_response\": \"Declined\"}}, {{\"kind\": \"balance\", \"amount\": 100000}} or {{\"kind\": \"fail_first\", \"failures\": 3}}"
            ))
        }),
    }
}

/// POST /_sandbox/customers — a customer (or an existing one, by email) with a new reusable
/// authorization: `{"email", "first_name"?, "last_name"?, "phone"?, "metadata"?, "behaviour"?,
/// "authorization_code"?}`.
async fn customers_add(
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    const KNOWN: &[&str] =
        &["email", "first_name", "last_name", "phone", "metadata", "behaviour", "authorization_code"];
    if let Some(key) = map.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(bad_request(format!("unknown field {key}; expected one of {}", KNOWN.join(", "))));
    }
    let email = params::email(&map)?;
    let behaviour = behaviour_of(&map)?;
    let new = NewCustomer {
        email,
        first_name: optional_string(&map, "first_name")?,
        last_name: optional_string(&map, "last_name")?,
        phone: optional_string(&map, "phone")?,
        metadata: map.get("metadata").filter(|v| !v.is_null()).cloned(),
    };
    let code = optional_string(&map, "authorization_code")?;
    let mut state = integration.state.lock();
    let (customer, authorization) = state.add_customer(new, behaviour, code).map_err(bad_request)?;
    let data = json!({
        "customer": customer_json(&state, customer),
        "authorization": authorization_json(&state.authorizations[authorization]),
    });
    Ok((StatusCode::CREATED, axum::Json(json!({"status": true, "message": "Customer created", "data": data})))
        .into_response())
}

/// POST /_sandbox/transactions/{reference}/complete — `{"status": "success"|"failed",
/// "behaviour"?}`: the customer pays (or fails to) at checkout. Success creates a reusable
/// authorization with `behaviour` (default success) and sends `charge.success`.
async fn complete(
    State(app): State<Arc<App>>,
    Extension(integration): Extension<Arc<Integration>>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let success = match string_field(&map, "status").as_deref() {
        Some("success") => true,
        Some("failed") => false,
        _ => return Err(bad_request("status must be \"success\" or \"failed\"")),
    };
    let behaviour = behaviour_of(&map)?;
    let data = with_state(&app, &integration, |state| {
        let index = state.complete(&reference, success, behaviour)?;
        Ok::<_, ApiError>(render::verify(state, index))
    })?;
    Ok(ok("Transaction completed", data))
}

fn faults_json(faults: &FaultState) -> Value {
    let stats: Vec<Value> =
        faults.stats().into_iter().map(|(matched, fired)| json!({"matched": matched, "fired": fired})).collect();
    json!({
        "seed": faults.config().seed,
        "rules": serde_json::to_value(&faults.config().rules).unwrap_or(Value::Null),
        "stats": stats,
    })
}

async fn faults_get(Extension(integration): Extension<Arc<Integration>>) -> Response {
    ok("Faults retrieved", faults_json(&integration.faults.lock()))
}

/// PUT /_sandbox/faults — replaces the rules (counters restart).
async fn faults_put(
    State(app): State<Arc<App>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let config = FaultConfig::from_value(params::body_value(&headers, &body)?).map_err(bad_request)?;
    let mut faults = integration.faults.lock();
    *faults = FaultState::new(config, app.config.seed);
    Ok(ok("Faults updated", faults_json(&faults)))
}

async fn faults_delete(State(app): State<Arc<App>>, Extension(integration): Extension<Arc<Integration>>) -> Response {
    let mut faults = integration.faults.lock();
    *faults = FaultState::new(FaultConfig::default(), app.config.seed);
    ok("Faults cleared", faults_json(&faults))
}

/// GET /_sandbox/ledger?reference=&operation= — entries plus, per reference, how many entries
/// and how many successful charges it has.
async fn ledger_get(Extension(integration): Extension<Arc<Integration>>, RawQuery(raw): RawQuery) -> Response {
    let q = query_map(raw.as_deref());
    let state = integration.state.lock();
    let entries: Vec<&crate::state::model::LedgerEntry> = state
        .ledger
        .iter()
        .filter(|e| q.get("reference").is_none_or(|r| *r == e.reference))
        .filter(|e| q.get("operation").is_none_or(|o| *o == e.operation))
        .collect();
    let mut counts: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for e in &entries {
        let count = counts.entry(e.reference.as_str()).or_default();
        count.0 += 1;
        if e.outcome == "success" {
            count.1 += 1;
        }
    }
    let counts: Map<String, Value> =
        counts.into_iter().map(|(r, (n, s))| (r.to_string(), json!({"entries": n, "successful_charges": s}))).collect();
    let entries: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "seq": e.seq,
                "at": iso(e.at),
                "operation": e.operation,
                "reference": e.reference,
                "amount": e.amount,
                "currency": e.currency,
                "outcome": e.outcome,
                "transaction_id": e.transaction_id,
                "batch_code": e.batch_code,
                "attempt": e.attempt,
                "gateway_response": e.gateway_response,
            })
        })
        .collect();
    ok("Ledger retrieved", json!({"entries": entries, "counts": counts}))
}

async fn ledger_delete(Extension(integration): Extension<Arc<Integration>>) -> Response {
    integration.state.lock().ledger.clear();
    ok("Ledger cleared", json!({}))
}

/// GET /_sandbox/requests?method=&path= — oldest first.
async fn requests_get(Extension(integration): Extension<Arc<Integration>>, RawQuery(raw): RawQuery) -> Response {
    let q = query_map(raw.as_deref());
    let log = integration.requests.lock();
    let entries: Vec<Value> = log
        .entries()
        .filter(|e| q.get("method").is_none_or(|m| m.eq_ignore_ascii_case(&e.method)))
        .filter(|e| q.get("path").is_none_or(|p| *p == e.path))
        .map(RequestEntry::to_json)
        .collect();
    ok("Requests retrieved", Value::Array(entries))
}

async fn requests_delete(Extension(integration): Extension<Arc<Integration>>) -> Response {
    integration.requests.lock().clear();
    ok("Requests cleared", json!({}))
}

/// GET /_sandbox/webhooks?reference= — deliveries with every attempt, signature and payload.
async fn webhooks_get(Extension(integration): Extension<Arc<Integration>>, RawQuery(raw): RawQuery) -> Response {
    let q = query_map(raw.as_deref());
    let state = integration.state.lock();
    let deliveries: Vec<Value> = state
        .deliveries
        .iter()
        .filter(|d| q.get("reference").is_none_or(|r| *r == d.reference))
        .map(|d| {
            let attempts: Vec<Value> = d
                .attempts
                .iter()
                .map(|a| json!({"at": iso(a.at), "status_code": a.status_code, "error": a.error, "duration_ms": a.duration_ms}))
                .collect();
            json!({
                "id": d.id,
                "event": d.event,
                "reference": d.reference,
                "transaction_id": d.transaction_id,
                "url": d.url,
                "status": d.status.as_str(),
                "createdAt": iso(d.created_at),
                "attempts": attempts,
                "signature": d.signature,
                "payload": serde_json::from_slice::<Value>(&d.body).unwrap_or(Value::Null),
            })
        })
        .collect();
    ok("Webhooks retrieved", Value::Array(deliveries))
}

async fn webhooks_delete(Extension(integration): Extension<Arc<Integration>>) -> Response {
    integration.state.lock().deliveries.clear();
    ok("Webhooks cleared", json!({}))
}

fn settings_json(state: &IntegrationState) -> Value {
    let s = &state.settings;
    json!({
        "process_interval_ms": s.process_interval_ms,
        "webhook_url": s.webhook_url,
        "webhook_retry_interval_ms": s.webhook_retry_interval_ms,
        "webhook_max_attempts": s.webhook_max_attempts,
        "webhook_timeout_ms": s.webhook_timeout_ms,
    })
}

async fn config_get(Extension(integration): Extension<Arc<Integration>>) -> Response {
    ok("Config retrieved", settings_json(&integration.state.lock()))
}

/// PUT /_sandbox/config — any of process_interval_ms, webhook_url (null turns webhooks off),
/// webhook_retry_interval_ms, webhook_max_attempts, webhook_timeout_ms.
async fn config_put(Extension(integration): Extension<Arc<Integration>>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let number = |key: &str| -> Result<Option<u64>, ApiError> {
        match map.get(key) {
            None => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| bad_request(format!("{key} must be a non-negative integer"))),
        }
    };
    let mut settings = integration.state.lock().settings.clone();
    for key in map.keys() {
        match key.as_str() {
            "process_interval_ms"
            | "webhook_url"
            | "webhook_retry_interval_ms"
            | "webhook_max_attempts"
            | "webhook_timeout_ms" => {}
            other => return Err(bad_request(format!("unknown setting {other}"))),
        }
    }
    if let Some(v) = number("process_interval_ms")? {
        settings.process_interval_ms = v;
    }
    if let Some(v) = number("webhook_retry_interval_ms")? {
        settings.webhook_retry_interval_ms = v;
    }
    if let Some(v) = number("webhook_timeout_ms")? {
        settings.webhook_timeout_ms = v;
    }
    if let Some(v) = number("webhook_max_attempts")? {
        settings.webhook_max_attempts = u32::try_from(v)
            .ok()
            .filter(|v| *v >= 1)
            .ok_or_else(|| bad_request("webhook_max_attempts must be at least 1"))?;
    }
    match map.get("webhook_url") {
        None => {}
        Some(Value::Null) => settings.webhook_url = None,
        Some(Value::String(url)) => {
            validate_webhook_url(url).map_err(bad_request)?;
            settings.webhook_url = Some(url.clone());
        }
        Some(_) => return Err(bad_request("webhook_url must be a string or null")),
    }
    let data = {
        let mut state = integration.state.lock();
        state.settings = settings;
        settings_json(&state)
    };
    integration.wake.notify_one();
    Ok(ok("Config updated", data))
}

/// POST /_sandbox/reset — the integration as new: fixtures, start-up faults and settings.
async fn reset(State(app): State<Arc<App>>, Extension(integration): Extension<Arc<Integration>>) -> Response {
    integration.reset(&app.config);
    ok("Integration reset", json!({}))
}
