//! One secret key's world: its data (`state`), its faults, its request log and its webhook
//! deliveries, each behind its own lock so the logs and counters touched on every request stay
//! off the business-state lock. Lock order, where two are held: state, then deliveries.

use std::fmt;

use parking_lot::Mutex;
use paystack_facts::keys::Domain;
use tokio::sync::Notify;

use crate::config::SandboxConfig;
use crate::deliveries::DeliveryLog;
use crate::faults::FaultState;
use crate::ids::{fnv1a, mix};
use crate::request_log::RequestLog;
use crate::state::IntegrationState;
use crate::state::records::Settings;

/// The key that signs an integration's webhooks; its Debug never shows it.
#[derive(Clone)]
pub(crate) struct SecretKey(String);

impl SecretKey {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

pub(crate) struct Integration {
    pub id: u64,
    pub domain: Domain,
    pub key: SecretKey,
    pub state: Mutex<IntegrationState>,
    pub faults: Mutex<FaultState>,
    pub requests: Mutex<RequestLog>,
    pub deliveries: Mutex<DeliveryLog>,
    /// Wakes the batch runner (new batch, resume, config change, reset).
    pub wake: Notify,
}

impl fmt::Debug for Integration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Integration").field("id", &self.id).field("domain", &self.domain).finish_non_exhaustive()
    }
}

impl Integration {
    pub(crate) fn new(key: &str, domain: Domain, config: &SandboxConfig, now: i64) -> Self {
        let key = SecretKey(key.to_string());
        let id = 100_000 + fnv1a(key.0.as_bytes()) % 900_000;
        Self {
            id,
            domain,
            state: Mutex::new(Self::fresh_state(id, domain, &key, config, now)),
            faults: Mutex::new(FaultState::new(config.faults.clone(), config.seed)),
            requests: Mutex::new(RequestLog::new(config.request_log_limit)),
            deliveries: Mutex::new(DeliveryLog::default()),
            wake: Notify::new(),
            key,
        }
    }

    fn fresh_state(id: u64, domain: Domain, key: &SecretKey, config: &SandboxConfig, now: i64) -> IntegrationState {
        let settings = Settings {
            process_interval_ms: config.process_interval_ms,
            webhook_url: config.webhook_url.clone(),
            webhook_retry_interval_ms: config.webhook_retry_interval_ms,
            webhook_max_attempts: config.webhook_max_attempts,
            webhook_timeout_ms: config.webhook_timeout_ms,
            payment_session_timeout_ms: config.payment_session_timeout_ms,
        };
        // Each key gets its own id sequence, independent of other keys' traffic.
        let seed = mix(config.seed, fnv1a(key.0.as_bytes()));
        IntegrationState::new(id, domain, seed, settings, now)
    }

    /// Back to the state of a new integration at `now`: fixtures, start-up faults and settings,
    /// empty logs (the clock is the sandbox's and keeps its time).
    pub(crate) fn reset(&self, config: &SandboxConfig, now: i64) {
        *self.state.lock() = Self::fresh_state(self.id, self.domain, &self.key, config, now);
        self.deliveries.lock().clear();
        *self.faults.lock() = FaultState::new(config.faults.clone(), config.seed);
        self.requests.lock().clear();
        self.wake.notify_one();
    }
}
