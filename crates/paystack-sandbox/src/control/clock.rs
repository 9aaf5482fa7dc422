//! The clock (docs/sandbox.md, "The clock"): read it, and move it forward. Moving it runs, before
//! answering, everything that fell due in between in every integration, in time order (batch
//! charges, settlements, refunds), and waits for the webhook attempts that fell due.

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};

use crate::api::envelope::{ApiError, ApiResult, ok};
use crate::api::params;
use crate::clock::{Bound, Clock, MS_PER_DAY, MS_PER_HOUR, iso, parse_timestamp};
use crate::commit::{self, commit};
use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::refunds::RefundStatus;
use crate::views;

/// The longest `advance` waits for webhook attempts that fell due.
const WEBHOOK_WAIT_LIMIT: Duration = Duration::from_secs(30);

fn clock_json(clock: &Clock) -> Value {
    json!({
        "now": iso(clock.now()),
        "start": clock.start().map(iso),
        "advanced_ms": clock.advanced(),
        "mode": if clock.start().is_some() { "started" } else { "real_time" },
    })
}

/// GET /_sandbox/clock.
pub(crate) async fn clock_get(State(registry): State<Arc<Registry>>) -> Response {
    ok("Clock retrieved", clock_json(&registry.clock))
}

/// How far a body asks to move: `days`, `hours`, `minutes`, `seconds` (non-negative integers,
/// added up), or `to` (an instant not before now).
fn requested_ms(registry: &Registry, headers: &HeaderMap, body: &Bytes) -> Result<i64, ApiError> {
    let map = if body.is_empty() { serde_json::Map::new() } else { params::body_object(headers, body)? };
    const UNITS: [(&str, i64); 4] =
        [("days", MS_PER_DAY), ("hours", MS_PER_HOUR), ("minutes", 60_000), ("seconds", 1000)];
    if let Some(key) = map.keys().find(|k| k.as_str() != "to" && !UNITS.iter().any(|(u, _)| u == k)) {
        return Err(ApiError::bad_request(format!(
            "unknown field {key}; expected days, hours, minutes, seconds or to"
        )));
    }
    if let Some(to) = map.get("to") {
        if map.len() > 1 {
            return Err(ApiError::bad_request("give either to or days/hours/minutes/seconds, not both"));
        }
        let target = to
            .as_str()
            .and_then(|s| parse_timestamp(s, Bound::Start))
            .ok_or_else(|| ApiError::bad_request("to must be an ISO 8601 date or date-time"))?;
        let now = registry.clock.now();
        if target < now {
            return Err(ApiError::bad_request(format!(
                "the clock only moves forward: to {} is before now {}",
                iso(target),
                iso(now)
            )));
        }
        return Ok(target - now);
    }
    let mut total: i64 = 0;
    for (unit, ms) in UNITS {
        if let Some(value) = map.get(unit) {
            let n = value
                .as_u64()
                .and_then(|n| i64::try_from(n).ok())
                .ok_or_else(|| ApiError::bad_request(format!("{unit} must be a non-negative integer")))?;
            total = n
                .checked_mul(ms)
                .and_then(|v| total.checked_add(v))
                .filter(|t| *t <= 3660 * MS_PER_DAY)
                .ok_or_else(|| ApiError::bad_request("the clock moves at most ten years at a time"))?;
        }
    }
    Ok(total)
}

/// POST /_sandbox/clock/advance — `{"days": 1, "hours": 2}` or `{"to": "2024-09-01T00:00:00Z"}`.
pub(crate) async fn advance(State(registry): State<Arc<Registry>>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let ms = requested_ms(&registry, &headers, &body)?;
    let now = registry.clock.advance(ms);
    for integration in registry.integrations() {
        commit::run_until(&registry, &integration, now);
        integration.wake.notify_one();
    }
    let deadline = tokio::time::Instant::now() + WEBHOOK_WAIT_LIMIT;
    while tokio::time::Instant::now() < deadline
        && registry.integrations().iter().any(|i| i.deliveries.lock().attempt_due_by(now))
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(ok("Clock advanced", clock_json(&registry.clock)))
}

/// POST /_sandbox/refunds/{id}/status — `{"status": "failed"|"needs-attention"}`: a refund still
/// pending or processing fails, or needs the customer's bank details (then
/// `POST /refund/retry_with_customer_details/{id}` takes it on), with its `refund.*` webhook.
pub(crate) async fn refund_status(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let status = match params::string_field(&map, "status").as_deref().and_then(RefundStatus::parse) {
        Some(status @ (RefundStatus::Failed | RefundStatus::NeedsAttention)) => status,
        _ => return Err(ApiError::bad_request("status must be \"failed\" or \"needs-attention\"")),
    };
    let id: u64 = id.trim().parse().map_err(|_| ApiError::bad_request("the refund id is a number"))?;
    let data = commit(&registry, &integration, |state| {
        let index = state.interrupt_refund(id, status)?;
        Ok::<_, ApiError>(views::refunds::refund(state, index))
    })?;
    Ok(ok("Refund updated", data))
}
