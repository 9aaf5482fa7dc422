//! The embedded sandbox: `paystack_rs.sandbox.Sandbox` starts one on its own thread and runtime
//! and talks to it over HTTP like any other program would.

use std::sync::Mutex;

use paystack_sandbox::args::{self, Parsed};
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

/// The configuration `paystack-rs sandbox ARGS` asks for, as JSON for `SandboxServer`, read by
/// the binary's own parser (`paystack_sandbox::args`): the same flags, defaults and errors.
/// None when the arguments ask for help.
#[pyfunction]
fn sandbox_args(py: Python<'_>, args: Vec<String>) -> PyResult<Option<String>> {
    match args::parse(&args).map_err(|e| configuration(py, e))? {
        Parsed::Help => Ok(None),
        Parsed::Run(config) => serde_json::to_string(&*config)
            .map(Some)
            .map_err(|e| configuration(py, format!("sandbox configuration: {e}"))),
    }
}

/// The usage text of the sandbox's flags, for `program`.
#[pyfunction]
fn sandbox_usage(program: &str) -> String {
    args::usage(program)
}

/// What a sandbox says once it listens at `base_url` (never its key).
#[pyfunction]
fn sandbox_banner(py: Python<'_>, base_url: &str, config_json: &str) -> PyResult<String> {
    let config = SandboxConfig::from_json(config_json).map_err(|e| configuration(py, format!("sandbox: {e}")))?;
    Ok(args::banner(base_url, &config))
}

pub fn add_to(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sandbox_args, m)?)?;
    m.add_function(wrap_pyfunction!(sandbox_usage, m)?)?;
    m.add_function(wrap_pyfunction!(sandbox_banner, m)?)?;
    m.add("SANDBOX_DEFAULT_SECRET_KEY", paystack_sandbox::DEFAULT_SECRET_KEY)?;
    Ok(())
}
