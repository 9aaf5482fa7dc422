//! The embedded sandbox: `paystack_rs.sandbox.Sandbox` starts one on its own thread and runtime
//! and talks to it over HTTP like any other program would.

use std::sync::Mutex;

use paystack_sandbox::{SandboxConfig, SandboxServer as Server};
use pyo3::prelude::*;

use crate::errors::configuration;

/// A running sandbox server (see `paystack_rs.sandbox.Sandbox`).
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct SandboxServer {
    server: Mutex<Option<Server>>,
    pid: u32,
    base_url: String,
    secret_key: String,
    port: u16,
}

#[pymethods]
impl SandboxServer {
    /// Starts a sandbox configured by a JSON object (any subset of the sandbox's settings).
    #[new]
    fn new(py: Python<'_>, config_json: &str) -> PyResult<Self> {
        let config = SandboxConfig::from_json(config_json).map_err(|e| configuration(py, format!("sandbox: {e}")))?;
        let server = py
            .detach(|| Server::start(config))
            .map_err(|e| configuration(py, format!("cannot start the sandbox: {e}")))?;
        Ok(SandboxServer {
            base_url: server.base_url(),
            secret_key: server.secret_key().to_owned(),
            port: server.local_addr().port(),
            server: Mutex::new(Some(server)),
            pid: std::process::id(),
        })
    }

    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    #[getter]
    fn secret_key(&self) -> &str {
        &self.secret_key
    }

    #[getter]
    fn port(&self) -> u16 {
        self.port
    }

    #[getter]
    fn running(&self) -> bool {
        self.server.lock().map(|s| s.is_some()).unwrap_or(false)
    }

    /// Stops the server and waits for it (requests in flight get two seconds). Idempotent.
    fn shutdown(&self, py: Python<'_>) {
        let server = self.server.lock().ok().and_then(|mut s| s.take());
        if let Some(mut server) = server {
            if self.pid == std::process::id() {
                py.detach(|| server.shutdown());
            } else {
                // A forked child has the parent's server without its thread: leave it alone.
                std::mem::forget(server);
            }
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "SandboxServer(base_url={:?}, running={})",
            self.base_url,
            if self.running() { "True" } else { "False" }
        )
    }
}

impl Drop for SandboxServer {
    fn drop(&mut self) {
        if self.pid != std::process::id() {
            if let Some(server) = self.server.get_mut().ok().and_then(Option::take) {
                std::mem::forget(server);
            }
        }
    }
}
