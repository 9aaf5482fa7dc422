//! The shared state of a running sandbox: the configuration, one [`Integration`] per secret key
//! (created on first use), the export files, and the HTTP client that sends webhooks.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};
use paystack_facts::keys::Domain;

use crate::config::SandboxConfig;
use crate::integration::Integration;

/// A CSV produced by GET /transaction/export, served at `/_sandbox/exports/{token}.csv`.
#[derive(Debug, Clone)]
pub(crate) struct Export {
    pub csv: String,
    pub expires_at: i64,
}

/// What to start for each new integration (its batch runner); given by the server so the
/// registry does not depend on what runs.
pub(crate) type OnNewIntegration = fn(&Arc<Registry>, &Arc<Integration>);

pub(crate) struct Registry {
    pub config: SandboxConfig,
    integrations: RwLock<HashMap<String, Arc<Integration>>>,
    pub exports: Mutex<HashMap<String, Export>>,
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
        Ok(Arc::new(Self {
            config,
            integrations: RwLock::new(HashMap::new()),
            exports: Mutex::new(HashMap::new()),
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
        let integration = Arc::new(Integration::new(key, domain, &self.config));
        map.insert(key.to_string(), Arc::clone(&integration));
        (self.on_new)(self, &integration);
        integration
    }

    /// Every integration created so far.
    pub(crate) fn integrations(&self) -> Vec<Arc<Integration>> {
        self.integrations.read().values().cloned().collect()
    }
}
