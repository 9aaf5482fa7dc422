//! `CoreClient`: one Paystack client per Python `Paystack` object, calling any endpoint by its
//! index in the core's table, sync (GIL released) or async (an awaitable). The HTTP client inside
//! belongs to a process and is rebuilt in a forked child, like the runtime.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwapOption;
use futures_util::FutureExt;
use paystack_core::error::{Issue, ValidationError};
use paystack_core::value::Kind;
use paystack_core::{Arg, CallOptions, Client, ClientConfig, ENDPOINTS, Error, RateLimit, Reply, SecretKey};
use pyo3::exceptions::{PyIndexError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::convert::{bulk_arg, to_json};
use crate::decode::{ReplyBody, ReplyDecoder, json_to_py};
use crate::errors::{self, configuration, panic_to_py_err, to_py_err};
use crate::headers::Headers;
use crate::response::new_response;
use crate::runtime::{future_into_py, runtime};
use crate::thread_engine::{Owner, with_engine};
use paystack_core::decode::{CheckedBody, EnvelopeDecoder};

struct ProcessClient {
    pid: u32,
    client: Arc<Client>,
}

/// A thread-safe Paystack client (the engine behind `paystack_rs.Paystack`).
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct CoreClient {
    config: ClientConfig,
    current: ArcSwapOption<ProcessClient>,
    owner: Arc<Owner>,
}

fn seconds(name: &str, value: Option<f64>) -> Result<Option<Duration>, String> {
    match value {
        None => Ok(None),
        Some(v) if v.is_finite() && v > 0.0 && v < 1e9 => Ok(Some(Duration::from_secs_f64(v))),
        Some(v) => Err(format!("{name} must be a positive number of seconds, not {v}")),
    }
}

fn rate_limit(value: Option<&Bound<'_, PyAny>>) -> Result<Option<RateLimit>, String> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(None) };
    if let Ok(name) = value.extract::<String>() {
        return RateLimit::preset(&name).map(Some).ok_or_else(|| {
            format!(
                "rate_limit {name:?} is not a preset (use \"paystack-test\", \"paystack-live\" or (requests, seconds))"
            )
        });
    }
    if let Ok((limit, window)) = value.extract::<(u32, f64)>() {
        if limit > 0 && window.is_finite() && window > 0.0 {
            return Ok(Some(RateLimit { limit, window: Duration::from_secs_f64(window) }));
        }
    }
    Err("rate_limit must be a preset name or (requests, seconds) with both positive".into())
}

#[pymethods]
impl CoreClient {
    #[new]
    #[pyo3(signature = (secret_key, base_url = None, *, timeout = None, connect_timeout = None, read_timeout = None, max_retries = None, rate_limit = None, ca_bundle = None, user_agent = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        secret_key: &str,
        base_url: Option<&str>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        read_timeout: Option<f64>,
        max_retries: Option<u32>,
        rate_limit: Option<&Bound<'_, PyAny>>,
        ca_bundle: Option<std::path::PathBuf>,
        user_agent: Option<&str>,
    ) -> PyResult<Self> {
        let key = SecretKey::new(secret_key).map_err(|e| to_py_err(py, e))?;
        let mut config = ClientConfig::new(key);
        if let Some(url) = base_url {
            config.base_url = url.to_owned();
        }
        let settings = (|| -> Result<(), String> {
            if let Some(t) = seconds("timeout", timeout)? {
                config.timeouts.total = t;
            }
            if let Some(t) = seconds("connect_timeout", connect_timeout)? {
                config.timeouts.connect = t;
            }
            if let Some(t) = seconds("read_timeout", read_timeout)? {
                config.timeouts.read = t;
            }
            if let Some(n) = max_retries {
                config.retry.max_retries = n;
            }
            config.rate_limit = self::rate_limit(rate_limit)?;
            if let Some(path) = &ca_bundle {
                config.ca_bundle_pem =
                    Some(std::fs::read(path).map_err(|e| format!("cannot read ca_bundle {}: {e}", path.display()))?);
            }
            if let Some(ua) = user_agent {
                config.user_agent = format!("{ua} {}", config.user_agent);
            }
            Ok(())
        })();
        settings.map_err(|m| configuration(py, m))?;
        let core = CoreClient { config, current: ArcSwapOption::empty(), owner: Arc::new(Owner) };
        // Build now so a bad base URL or CA bundle fails here, not on the first call.
        core.client().map_err(|e| to_py_err(py, e))?;
        Ok(core)
    }

    /// Calls endpoint number `endpoint` with one argument per parameter (None when not given),
    /// blocking this thread (the GIL released) until the answer arrives.
    #[pyo3(signature = (endpoint, args, timeout = None, max_retries = None))]
    fn call(
        &self,
        py: Python<'_>,
        endpoint: usize,
        args: &Bound<'_, PyTuple>,
        timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let (endpoint, args) = convert_args(py, endpoint, args)?;
        let options = call_options(py, timeout, max_retries)?;
        let outcome = py.detach(|| {
            std::panic::catch_unwind(AssertUnwindSafe(|| {
                let local = with_engine(
                    &self.owner,
                    || self.client()?.sibling(),
                    |runtime, local| runtime.block_on(local.call(endpoint, &args, &options, &ReplyDecoder)),
                )?;
                match local {
                    Some(result) => result,
                    // Not worth an engine yet: the shared runtime's workers drive the socket.
                    None => runtime().block_on(self.client()?.call(endpoint, &args, &options, &ReplyDecoder)),
                }
            }))
        });
        match outcome {
            Ok(result) => finish(py, result).map(Bound::unbind),
            Err(panic) => Err(panic_to_py_err(py, panic)),
        }
    }

    /// The same call as an awaitable for the running asyncio loop.
    #[pyo3(signature = (endpoint, args, timeout = None, max_retries = None))]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        endpoint: usize,
        args: &Bound<'py, PyTuple>,
        timeout: Option<&Bound<'py, PyAny>>,
        max_retries: Option<u32>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (endpoint, args) = convert_args(py, endpoint, args)?;
        let options = call_options(py, timeout, max_retries)?;
        let client = self.client().map_err(|e| to_py_err(py, e))?;
        #[cfg(unix)]
        {
            let event_loop = pyo3_async_runtimes::get_running_loop(py)?;
            if let Some(sender) = crate::bridge::bridge_for(py, &event_loop)? {
                let future = event_loop.call_method0(pyo3::intern!(py, "create_future"))?;
                let handle = future.clone().unbind();
                crate::runtime::runtime().spawn(async move {
                    let outcome =
                        AssertUnwindSafe(client.call(endpoint, &args, &options, &EnvelopeDecoder)).catch_unwind().await;
                    sender.complete(crate::bridge::Completion { future: handle, outcome });
                });
                return Ok(future);
            }
        }
        future_into_py(py, async move {
            let outcome = AssertUnwindSafe(client.call(endpoint, &args, &options, &ReplyDecoder)).catch_unwind().await;
            Python::attach(|py| match outcome {
                Ok(result) => finish(py, result).map(Bound::unbind),
                Err(panic) => Err(panic_to_py_err(py, panic)),
            })
        })
    }

    #[getter]
    fn base_url(&self) -> String {
        self.config.base_url.trim_end_matches('/').to_owned()
    }

    /// "test" or "live" (from the key's prefix), or "unknown".
    #[getter]
    fn mode(&self) -> &'static str {
        self.config.secret_key.mode()
    }

    #[getter]
    fn timeout(&self) -> f64 {
        self.config.timeouts.total.as_secs_f64()
    }

    #[getter]
    fn max_retries(&self) -> u32 {
        self.config.retry.max_retries
    }

    fn __repr__(&self) -> String {
        format!("CoreClient(base_url={:?}, mode={:?})", self.base_url(), self.mode())
    }
}

impl CoreClient {
    /// This process's client, built on first use here (after a fork, the child builds its own).
    pub(crate) fn client(&self) -> Result<Arc<Client>, Error> {
        let pid = std::process::id();
        if let Some(current) = self.current.load().as_ref() {
            if current.pid == pid {
                return Ok(Arc::clone(&current.client));
            }
        }
        let fresh = Arc::new(ProcessClient { pid, client: Arc::new(Client::new(self.config.clone())?) });
        let previous = self.current.swap(Some(Arc::clone(&fresh)));
        if let Some(previous) = previous {
            if previous.pid != pid {
                // The parent's connections are registered with the parent's epoll instance,
                // which this child shares: dropping them here would break the parent's.
                std::mem::forget(previous);
            }
        }
        Ok(Arc::clone(&fresh.client))
    }
}

impl Drop for CoreClient {
    fn drop(&mut self) {
        if let Some(current) = self.current.swap(None) {
            if current.pid != std::process::id() {
                std::mem::forget(current);
            }
        }
    }
}

/// A call's `timeout`: seconds for the whole call, or a `Timeouts(connect=, read=, total=)`.
pub(crate) fn call_options(
    py: Python<'_>,
    timeout: Option<&Bound<'_, PyAny>>,
    max_retries: Option<u32>,
) -> PyResult<CallOptions> {
    let invalid = |m: String| errors::validation(py, &ValidationError { issues: vec![Issue::new("timeout", m)] });
    let mut options = CallOptions { max_retries, ..CallOptions::default() };
    let Some(timeout) = timeout.filter(|t| !t.is_none()) else { return Ok(options) };
    if let Ok(total) = timeout.extract::<f64>() {
        options.total_timeout = seconds("timeout", Some(total)).map_err(invalid)?;
        return Ok(options);
    }
    let part = |name: &str| -> PyResult<Option<Duration>> {
        let value = timeout.getattr(name).map_err(|_| {
            invalid("must be a number of seconds or paystack_rs.Timeouts(connect=, read=, total=)".into())
        })?;
        let value: Option<f64> =
            value.extract().map_err(|_| invalid(format!("{name} must be a number of seconds or None")))?;
        seconds(&format!("timeout.{name}"), value).map_err(invalid)
    };
    options.connect_timeout = part("connect")?;
    options.read_timeout = part("read")?;
    options.total_timeout = part("total")?;
    Ok(options)
}

/// The endpoint and its arguments; conversion problems are reported per field.
pub(crate) fn convert_args(
    py: Python<'_>,
    index: usize,
    args: &Bound<'_, PyTuple>,
) -> PyResult<(&'static paystack_core::Endpoint, Vec<Option<Arg>>)> {
    let endpoint = ENDPOINTS.get(index).ok_or_else(|| PyIndexError::new_err(format!("no endpoint {index}")))?;
    if args.len() != endpoint.params.len() {
        return Err(PyTypeError::new_err(format!(
            "{} takes {} arguments, got {}",
            endpoint.qualified_name(),
            endpoint.params.len(),
            args.len()
        )));
    }
    let mut values = Vec::with_capacity(args.len());
    let mut issues = Vec::new();
    for (param, arg) in endpoint.params.iter().zip(args.iter()) {
        if arg.is_none() {
            values.push(None);
            continue;
        }
        let converted = if param.kind == Kind::BulkCharges {
            bulk_arg(&arg)
        } else {
            to_json(&arg).map(Arg::Json).map_err(|message| vec![Issue::new(param.name, message)])
        };
        match converted {
            Ok(v) => values.push(Some(v)),
            Err(mut found) => {
                issues.append(&mut found);
                values.push(None);
            }
        }
    }
    if issues.is_empty() { Ok((endpoint, values)) } else { Err(errors::validation(py, &ValidationError { issues })) }
}

/// A decoded body whose Python objects are built once the caller holds the GIL.
pub trait IntoPyBody {
    fn into_py_body(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>>;
}

impl IntoPyBody for CheckedBody {
    fn into_py_body(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        json_to_py(py, &self.value).map_err(|m| errors::decode_error(py, m))
    }
}

impl IntoPyBody for ReplyBody {
    fn into_py_body(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        match self {
            ReplyBody::Checked(checked) => checked.into_py_body(py),
            ReplyBody::Built(built) => Ok(built.value.into_bound(py)),
        }
    }
}

/// The `Response` for a call's outcome (or the typed exception).
pub fn finish<B: IntoPyBody>(py: Python<'_>, result: Result<Reply<B>, Error>) -> PyResult<Bound<'_, PyAny>> {
    let reply = result.map_err(|e| to_py_err(py, e))?;
    let body = reply.body.into_py_body(py)?;
    new_response(
        py,
        body,
        reply.status_code,
        Headers::new(reply.headers),
        reply.attempts,
        reply.recovered,
        reply.reference,
        &reply.item_references,
    )
}
