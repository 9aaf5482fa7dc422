//! The webhook dispatcher: turns the state's events into deliveries (`charge.success`, and
//! `refund.pending|processing|processed|failed|needs-attention`), rendered in Paystack's shape
//! (`views`), signed by `paystack_facts::webhooks::sign` with the integration's key, recorded in
//! its delivery log, POSTed with `x-paystack-signature` and retried until the receiver answers
//! 200 (docs/paystack-api.md §5, §8.3).
//!
//! Attempts follow the clock: the first is due when the event happened, each retry
//! `webhook_retry_interval_ms` after the previous attempt ended. When the clock is moved past
//! them, the attempts due are made at once, each stamped with the time it was due.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use paystack_facts::webhooks::{
    CHARGE_SUCCESS, REFUND_FAILED, REFUND_NEEDS_ATTENTION, REFUND_PENDING, REFUND_PROCESSED, REFUND_PROCESSING,
    SIGNATURE_HEADER, sign,
};
use serde_json::json;

use crate::clock::Clock;
use crate::deliveries::{Delivery, DeliveryAttempt, DeliveryStatus};
use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::IntegrationState;
use crate::state::outbox::Event;
use crate::state::records::Settings;
use crate::state::refunds::RefundStatus;
use crate::views;

/// A delivery to send once the locks are released.
#[derive(Debug, Clone)]
pub(crate) struct Send {
    delivery_id: u64,
    url: String,
    body: Bytes,
    signature: String,
    settings: Settings,
    /// When the first attempt is due (the event's time).
    due: i64,
}

/// The event name of a refund's status.
fn refund_event(status: RefundStatus) -> &'static str {
    match status {
        RefundStatus::Pending => REFUND_PENDING,
        RefundStatus::Processing => REFUND_PROCESSING,
        RefundStatus::Processed => REFUND_PROCESSED,
        RefundStatus::Failed => REFUND_FAILED,
        RefundStatus::NeedsAttention => REFUND_NEEDS_ATTENTION,
    }
}

/// Renders, signs and records a delivery for each event, when the integration has a webhook
/// URL. Called with the state locked (`commit`), so the state is the one the events describe.
pub(crate) fn record(integration: &Integration, state: &IntegrationState, events: Vec<Event>) -> Vec<Send> {
    let Some(url) = state.settings.webhook_url.clone() else { return Vec::new() };
    let mut deliveries = integration.deliveries.lock();
    events
        .into_iter()
        .map(|event| {
            let (name, payload, transaction, at) = match event {
                Event::ChargeSucceeded { transaction } => {
                    let data = views::transactions::webhook_transaction(state, transaction);
                    let at = state.transactions[transaction].paid_at.unwrap_or(state.now);
                    (CHARGE_SUCCESS, data, transaction, at)
                }
                Event::Refund { refund, status, at } => {
                    let data = views::refunds::webhook(state, refund, status);
                    (refund_event(status), data, state.refunds[refund].transaction, at)
                }
            };
            let body = Bytes::from(serde_json::to_vec(&json!({"event": name, "data": payload})).unwrap_or_default());
            let signature = sign(&body, integration.key.expose());
            let tx = &state.transactions[transaction];
            let id = deliveries.next_id();
            deliveries.push(Delivery {
                id,
                event: name,
                reference: tx.reference.clone(),
                transaction_id: tx.id,
                url: url.clone(),
                created_at: at,
                status: DeliveryStatus::Pending,
                attempts: Vec::new(),
                body: body.clone(),
                signature: signature.clone(),
                next_attempt_at: Some(at),
            });
            Send { delivery_id: id, url: url.clone(), body, signature, settings: state.settings.clone(), due: at }
        })
        .collect()
}

/// Starts one delivery task per recorded delivery.
pub(crate) fn send(registry: &Registry, integration: &Arc<Integration>, sends: Vec<Send>) {
    for job in sends {
        tokio::spawn(deliver(registry.http.clone(), Arc::clone(&registry.clock), Arc::clone(integration), job));
    }
}

async fn deliver(http: reqwest::Client, clock: Arc<Clock>, integration: Arc<Integration>, job: Send) {
    let settings = &job.settings;
    let max_attempts = settings.webhook_max_attempts.max(1);
    let mut due = job.due;
    for attempt in 1..=max_attempts {
        clock.sleep_until(due).await;
        let started = std::time::Instant::now();
        let result = http
            .post(&job.url)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, &job.signature)
            .body(job.body.clone())
            .timeout(Duration::from_millis(settings.webhook_timeout_ms))
            .send()
            .await;
        let (status_code, error) = match result {
            Ok(response) => (Some(response.status().as_u16()), None),
            Err(e) => (None, Some(describe(&e))),
        };
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let delivered = status_code == Some(200);
        let last = attempt == max_attempts;
        // The attempt happened when it was due: now, or earlier when the clock was moved past it.
        let at = due.min(clock.now());
        due = at.saturating_add_unsigned(duration_ms).saturating_add_unsigned(settings.webhook_retry_interval_ms);
        {
            let mut deliveries = integration.deliveries.lock();
            // After a reset the record is gone and nobody is waiting for this delivery.
            let Some(delivery) = deliveries.get_mut(job.delivery_id) else { return };
            delivery.attempts.push(DeliveryAttempt { at, status_code, error, duration_ms });
            delivery.status = if delivered {
                DeliveryStatus::Delivered
            } else if last {
                DeliveryStatus::Failed
            } else {
                DeliveryStatus::Pending
            };
            delivery.next_attempt_at = (!delivered && !last).then_some(due);
        }
        if delivered || last {
            return;
        }
    }
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else {
        "request failed".into()
    }
}
