//! The shared state of a running sandbox: the configuration, one [`Integration`] per secret key
//! (created on first use), the export files, and the HTTP client that sends webhooks.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};
use tokio::sync::Notify;

use crate::auth::Domain;
use crate::config::SandboxConfig;
use crate::engine;
use crate::faults::FaultState;
use crate::ids::{fnv1a, mix};
use crate::request_log::RequestLog;
use crate::state::model::Settings;
use crate::state::{IntegrationState, SecretKey};
use crate::webhooks;

/// A CSV produced by GET /transaction/export, served at `/_sandbox/exports/{token}.csv`.
#[derive(Debug, Clone)]
pub(crate) struct Export {
    pub csv: String,
    pub expires_at: i64,
}

pub(crate) struct App {
    pub config: SandboxConfig,
    integrations: RwLock<HashMap<String, Arc<Integration>>>,
    pub exports: Mutex<HashMap<String, Export>>,
    pub http: reqwest::Client,
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App").field("config", &self.config).finish_non_exhaustive()
    }
}

/// One secret key's world. Separate mutexes keep the request log and fault counters (touched on
/// every request) off the business-state lock.
pub(crate) struct Integration {
    pub id: u64,
    pub domain: Domain,
    key: SecretKey,
    pub state: Mutex<IntegrationState>,
    pub faults: Mutex<FaultState>,
    pub requests: Mutex<RequestLog>,
    /// Wakes the bulk-charge engine (new batch, resume, config change, reset).
    pub wake: Notify,
}

impl fmt::Debug for Integration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Integration").field("id", &self.id).field("domain", &self.domain).finish_non_exhaustive()
    }
}

impl App {
    pub(crate) fn new(config: SandboxConfig) -> std::io::Result<Arc<Self>> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .map_err(|e| std::io::Error::other(format!("cannot build the webhook HTTP client: {e}")))?;
        Ok(Arc::new(Self {
            config,
            integrations: RwLock::new(HashMap::new()),
            exports: Mutex::new(HashMap::new()),
            http,
        }))
    }

    /// The integration of `key`, created with the fixtures (and its engine started) on first use.
    pub(crate) fn integration(self: &Arc<Self>, key: &str, domain: Domain) -> Arc<Integration> {
        if let Some(found) = self.integrations.read().get(key) {
            return Arc::clone(found);
        }
        let mut map = self.integrations.write();
        if let Some(found) = map.get(key) {
            return Arc::clone(found);
        }
        let integration = Arc::new(Integration::new(key, domain, &self.config));
        map.insert(key.to_string(), Arc::clone(&integration));
        tokio::spawn(engine::run(Arc::clone(self), Arc::clone(&integration)));
        integration
    }
}

impl App {
    /// Every integration created so far.
    pub(crate) fn integrations(&self) -> Vec<Arc<Integration>> {
        self.integrations.read().values().cloned().collect()
    }
}

impl Integration {
    fn new(key: &str, domain: Domain, config: &SandboxConfig) -> Self {
        let key = SecretKey(key.to_string());
        let id = 100_000 + fnv1a(key.0.as_bytes()) % 900_000;
        let state = Self::fresh_state(id, domain, &key, config);
        Self {
            id,
            domain,
            state: Mutex::new(state),
            faults: Mutex::new(FaultState::new(config.faults.clone(), config.seed)),
            requests: Mutex::new(RequestLog::new(config.request_log_limit)),
            wake: Notify::new(),
            key,
        }
    }

    fn fresh_state(id: u64, domain: Domain, key: &SecretKey, config: &SandboxConfig) -> IntegrationState {
        let settings = Settings {
            process_interval_ms: config.process_interval_ms,
            webhook_url: config.webhook_url.clone(),
            webhook_retry_interval_ms: config.webhook_retry_interval_ms,
            webhook_max_attempts: config.webhook_max_attempts,
            webhook_timeout_ms: config.webhook_timeout_ms,
        };
        // Each key gets its own id sequence, independent of other keys' traffic.
        let seed = mix(config.seed, fnv1a(key.0.as_bytes()));
        IntegrationState::new(id, domain, key.clone(), seed, settings)
    }

    /// Back to the state of a new integration: fixtures, start-up faults and settings, empty logs.
    pub(crate) fn reset(&self, config: &SandboxConfig) {
        let fresh = Self::fresh_state(self.id, self.domain, &self.key, config);
        {
            let mut state = self.state.lock();
            let mut fresh = fresh;
            fresh.continue_delivery_ids_from(&state);
            *state = fresh;
        }
        *self.faults.lock() = FaultState::new(config.faults.clone(), config.seed);
        self.requests.lock().clear();
        self.wake.notify_one();
    }
}

/// Runs `f` under the integration's state lock, then sends the webhooks it produced.
pub(crate) fn with_state<R>(
    app: &Arc<App>,
    integration: &Arc<Integration>,
    f: impl FnOnce(&mut IntegrationState) -> R,
) -> R {
    let (result, outgoing) = {
        let mut state = integration.state.lock();
        let result = f(&mut state);
        (result, state.take_outbox())
    };
    if !outgoing.is_empty() {
        webhooks::dispatch(app, integration, outgoing);
    }
    result
}
