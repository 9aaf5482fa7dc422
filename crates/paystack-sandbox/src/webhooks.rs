//! The webhook dispatcher: turns the state's events into `charge.success` deliveries, rendered in
//! Paystack's shape (`views`), signed by `paystack_facts::webhooks::sign` with the integration's
//! key, recorded in its delivery log, POSTed with `x-paystack-signature` and retried until the
//! receiver answers 200 (docs/paystack-api.md §5).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use paystack_facts::webhooks::{CHARGE_SUCCESS, SIGNATURE_HEADER, sign};
use serde_json::json;

use crate::clock::now_ms;
use crate::deliveries::{Delivery, DeliveryAttempt, DeliveryStatus};
use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::IntegrationState;
use crate::state::outbox::Event;
use crate::state::records::Settings;
use crate::views;

/// A delivery to send once the locks are released.
#[derive(Debug, Clone)]
pub(crate) struct Send {
    delivery_id: u64,
    url: String,
    body: Bytes,
    signature: String,
    settings: Settings,
}

/// Renders, signs and records a delivery for each event, when the integration has a webhook
/// URL. Called with the state locked (`commit`), so the state is the one the events describe.
pub(crate) fn record(integration: &Integration, state: &IntegrationState, events: Vec<Event>) -> Vec<Send> {
    let Some(url) = state.settings.webhook_url.clone() else { return Vec::new() };
    let mut deliveries = integration.deliveries.lock();
    events
        .into_iter()
        .map(|event| {
            let Event::ChargeSucceeded { transaction } = event;
            let payload =
                json!({"event": CHARGE_SUCCESS, "data": views::transactions::webhook_transaction(state, transaction)});
            let body = Bytes::from(serde_json::to_vec(&payload).unwrap_or_default());
            let signature = sign(&body, integration.key.expose());
            let tx = &state.transactions[transaction];
            let id = deliveries.next_id();
            deliveries.push(Delivery {
                id,
                event: CHARGE_SUCCESS,
                reference: tx.reference.clone(),
                transaction_id: tx.id,
                url: url.clone(),
                created_at: now_ms(),
                status: DeliveryStatus::Pending,
                attempts: Vec::new(),
                body: body.clone(),
                signature: signature.clone(),
            });
            Send { delivery_id: id, url: url.clone(), body, signature, settings: state.settings.clone() }
        })
        .collect()
}

/// Starts one delivery task per recorded delivery.
pub(crate) fn send(registry: &Registry, integration: &Arc<Integration>, sends: Vec<Send>) {
    for job in sends {
        tokio::spawn(deliver(registry.http.clone(), Arc::clone(integration), job));
    }
}

async fn deliver(http: reqwest::Client, integration: Arc<Integration>, job: Send) {
    let settings = &job.settings;
    let max_attempts = settings.webhook_max_attempts.max(1);
    for attempt in 1..=max_attempts {
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
        let delivered = status_code == Some(200);
        let last = attempt == max_attempts;
        {
            let mut deliveries = integration.deliveries.lock();
            // After a reset the record is gone and nobody is waiting for this delivery.
            let Some(delivery) = deliveries.get_mut(job.delivery_id) else { return };
            delivery.attempts.push(DeliveryAttempt {
                at: now_ms(),
                status_code,
                error,
                duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            });
            delivery.status = if delivered {
                DeliveryStatus::Delivered
            } else if last {
                DeliveryStatus::Failed
            } else {
                DeliveryStatus::Pending
            };
        }
        if delivered || last {
            return;
        }
        tokio::time::sleep(Duration::from_millis(settings.webhook_retry_interval_ms)).await;
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
