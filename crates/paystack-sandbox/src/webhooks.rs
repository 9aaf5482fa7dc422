//! `charge.success` webhooks: signed with HMAC-SHA512 of the exact body under the integration's
//! secret key, POSTed with `x-paystack-signature`, retried until the receiver answers 200.

use std::sync::Arc;
use std::time::Duration;

use paystack_facts::webhooks::SIGNATURE_HEADER;

use crate::app::{App, Integration};
use crate::clock::now_ms;
use crate::state::model::{DeliveryAttempt, DeliveryStatus, Outgoing};

/// Starts one delivery task per webhook.
pub(crate) fn dispatch(app: &Arc<App>, integration: &Arc<Integration>, outgoing: Vec<Outgoing>) {
    for job in outgoing {
        tokio::spawn(deliver(app.http.clone(), Arc::clone(integration), job));
    }
}

async fn deliver(http: reqwest::Client, integration: Arc<Integration>, job: Outgoing) {
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
            let mut state = integration.state.lock();
            // After a reset the record is gone and nobody is waiting for this delivery.
            let Some(delivery) = state.delivery_mut(job.delivery_id) else { return };
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
