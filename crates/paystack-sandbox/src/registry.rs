//! The shared state of a running sandbox: the configuration, one [`Integration`] per secret key
//! (created on first use), the export files, the checkout sessions and dashboard sign-ins (both
//! found without a key), and the HTTP client that sends webhooks.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};
use paystack_facts::keys::Domain;

use crate::clock::Clock;
use crate::config::SandboxConfig;
use crate::integration::Integration;

/// A CSV produced by GET /transaction/export, served at `/_sandbox/exports/{token}.csv`.
#[derive(Debug, Clone)]
pub(crate) struct Export {
    pub csv: String,
    pub expires_at: i64,
}

/// The path of the checkout page an access code opens (`authorization_url` is this on the
/// sandbox's base URL).
pub(crate) fn checkout_path(access_code: &str) -> String {
    format!("/_sandbox/checkout/{access_code}")
}

/// The payment an access code opens at checkout: which integration, which transaction. The page
/// checks that the transaction still carries this access code (a reset forgets it).
#[derive(Debug, Clone)]
pub(crate) struct CheckoutSession {
    pub integration: Arc<Integration>,
    pub reference: String,
}

/// Dashboard sign-ins: a random token (the browser's cookie) per integration, the oldest
/// forgotten first beyond a limit.
#[derive(Debug, Default)]
pub(crate) struct DashboardSessions {
    by_token: HashMap<String, Arc<Integration>>,
    order: VecDeque<String>,
}

impl DashboardSessions {
    pub(crate) fn insert(&mut self, token: String, integration: Arc<Integration>, limit: usize) {
        while self.order.len() >= limit.max(1) {
            if let Some(old) = self.order.pop_front() {
                self.by_token.remove(&old);
            }
        }
        self.order.push_back(token.clone());
        self.by_token.insert(token, integration);
    }

    pub(crate) fn get(&self, token: &str) -> Option<Arc<Integration>> {
        self.by_token.get(token).cloned()
    }

    pub(crate) fn remove(&mut self, token: &str) {
        if self.by_token.remove(token).is_some() {
            self.order.retain(|t| t != token);
        }
    }
}

/// What to start for each new integration (its batch runner); given by the server so the
/// registry does not depend on what runs.
pub(crate) type OnNewIntegration = fn(&Arc<Registry>, &Arc<Integration>);

pub(crate) struct Registry {
    pub config: SandboxConfig,
    /// The sandbox's one clock (docs/sandbox.md, "The clock").
    pub clock: Arc<Clock>,
    integrations: RwLock<HashMap<String, Arc<Integration>>>,
    pub exports: Mutex<HashMap<String, Export>>,
    /// Checkout sessions by access code (`POST /transaction/initialize` opens one).
    pub checkouts: Mutex<HashMap<String, CheckoutSession>>,
    pub dashboard_sessions: Mutex<DashboardSessions>,
    /// Sends webhooks.
    pub http: reqwest::Client,
    on_new: OnNewIntegration,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Registry {
    pub(crate) fn new(config: SandboxConfig, on_new: OnNewIntegration) -> std::io::Result<Arc<Self>> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .build()
            .map_err(|e| std::io::Error::other(format!("cannot build the webhook HTTP client: {e}")))?;
        let clock = Arc::new(Clock::new(config.start_ms()));
        Ok(Arc::new(Self {
            clock,
            config,
            integrations: RwLock::new(HashMap::new()),
            exports: Mutex::new(HashMap::new()),
            checkouts: Mutex::new(HashMap::new()),
            dashboard_sessions: Mutex::new(DashboardSessions::default()),
            http,
            on_new,
        }))
    }

    /// The integration of `key`, created with the fixtures (and its runner started) on first use.
    pub(crate) fn integration(self: &Arc<Self>, key: &str, domain: Domain) -> Arc<Integration> {
        if let Some(found) = self.integrations.read().get(key) {
            return Arc::clone(found);
        }
        let mut map = self.integrations.write();
        if let Some(found) = map.get(key) {
            return Arc::clone(found);
        }
        let integration = Arc::new(Integration::new(key, domain, &self.config, self.clock.now()));
        map.insert(key.to_string(), Arc::clone(&integration));
        (self.on_new)(self, &integration);
        integration
    }

    /// Every integration so far.
    pub(crate) fn integrations(&self) -> Vec<Arc<Integration>> {
        self.integrations.read().values().cloned().collect()
    }
}
