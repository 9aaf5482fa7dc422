//! Changing an integration while it runs: its fault rules, its settings, and a reset.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use crate::api::envelope::{ApiError, ApiResult, ok};
use crate::api::params;
use crate::config::validate_webhook_url;
use crate::faults::{FaultConfig, FaultState};
use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::IntegrationState;

fn faults_json(faults: &FaultState) -> Value {
    let stats: Vec<Value> =
        faults.stats().into_iter().map(|(matched, fired)| json!({"matched": matched, "fired": fired})).collect();
    json!({
        "seed": faults.config().seed,
        "rules": serde_json::to_value(&faults.config().rules).unwrap_or(Value::Null),
        "stats": stats,
    })
}

pub(crate) async fn faults_get(Extension(integration): Extension<Arc<Integration>>) -> Response {
    ok("Faults retrieved", faults_json(&integration.faults.lock()))
}

/// PUT /_sandbox/faults — replaces the rules (counters restart).
pub(crate) async fn faults_put(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let config = FaultConfig::from_value(params::body_value(&headers, &body)?).map_err(ApiError::bad_request)?;
    let mut faults = integration.faults.lock();
    *faults = FaultState::new(config, registry.config.seed);
    Ok(ok("Faults updated", faults_json(&faults)))
}

pub(crate) async fn faults_delete(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
) -> Response {
    let mut faults = integration.faults.lock();
    *faults = FaultState::new(FaultConfig::default(), registry.config.seed);
    ok("Faults cleared", faults_json(&faults))
}

fn settings_json(state: &IntegrationState) -> Value {
    let s = &state.settings;
    json!({
        "process_interval_ms": s.process_interval_ms,
        "webhook_url": s.webhook_url,
        "webhook_retry_interval_ms": s.webhook_retry_interval_ms,
        "webhook_max_attempts": s.webhook_max_attempts,
        "webhook_timeout_ms": s.webhook_timeout_ms,
        "payment_session_timeout_ms": s.payment_session_timeout_ms,
    })
}

pub(crate) async fn config_get(Extension(integration): Extension<Arc<Integration>>) -> Response {
    ok("Config retrieved", settings_json(&integration.state.lock()))
}

/// PUT /_sandbox/config — any of process_interval_ms, webhook_url (null turns webhooks off),
/// webhook_retry_interval_ms, webhook_max_attempts, webhook_timeout_ms, payment_session_timeout_ms.
pub(crate) async fn config_put(
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let number = |key: &str| -> Result<Option<u64>, ApiError> {
        match map.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| ApiError::bad_request(format!("{key} must be a non-negative integer"))),
        }
    };
    let mut settings = integration.state.lock().settings.clone();
    for key in map.keys() {
        match key.as_str() {
            "process_interval_ms"
            | "webhook_url"
            | "webhook_retry_interval_ms"
            | "webhook_max_attempts"
            | "webhook_timeout_ms"
            | "payment_session_timeout_ms" => {}
            other => return Err(ApiError::bad_request(format!("unknown setting {other}"))),
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
    if let Some(v) = number("payment_session_timeout_ms")? {
        settings.payment_session_timeout_ms = v;
    }
    if let Some(v) = number("webhook_max_attempts")? {
        settings.webhook_max_attempts = u32::try_from(v)
            .ok()
            .filter(|v| *v >= 1)
            .ok_or_else(|| ApiError::bad_request("webhook_max_attempts must be at least 1"))?;
    }
    match map.get("webhook_url") {
        None => {}
        Some(Value::Null) => settings.webhook_url = None,
        Some(Value::String(url)) => {
            validate_webhook_url(url).map_err(ApiError::bad_request)?;
            settings.webhook_url = Some(url.clone());
        }
        Some(_) => return Err(ApiError::bad_request("webhook_url must be a string or null")),
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
pub(crate) async fn reset(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
) -> Response {
    integration.reset(&registry.config, registry.clock.now());
    ok("Integration reset", json!({}))
}
