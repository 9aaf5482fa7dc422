//! `CoreClient`: one Paystack client per Python `Paystack` object, calling any endpoint by its
//! name in the core's table (`"transaction.verify"`), sync (GIL released) or async (an awaitable). The HTTP client inside
//! belongs to a process and is rebuilt in a forked child, like the runtime.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use arc_swap::ArcSwapOption;
use paystack_core::endpoints::by_name;
use paystack_core::error::Issue;
use paystack_core::request::NamedArgs;
use paystack_core::value::Kind;
use paystack_core::{Arg, Client, ClientConfig, Error, SecretKey};
use pyo3::exceptions::{PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyMapping, PyString};

use crate::bulk_items::bulk_arg;
use crate::call_result::finish;
use crate::errors::{self, configuration, panic_to_py_err, to_py_err};
use crate::json_to_python::ReplyDecoder;
use crate::process_runtime::runtime;
use crate::python_to_json::to_json;
use crate::settings;
use crate::signals::{interruptible, on_main_thread};
use crate::thread_runtime::{Owner, with_engine};

struct ProcessClient {
    pid: u32,
    client: Arc<Client>,
}

/// The client's three timeouts in seconds, each None for its default: (total, connect, read).
type Timeouts<'py> = (Option<Bound<'py, PyAny>>, Option<Bound<'py, PyAny>>, Option<Bound<'py, PyAny>>);

/// A thread-safe Paystack client (the engine behind `paystack_rs.Paystack`).
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct CoreClient {
    config: ClientConfig,
    current: ArcSwapOption<ProcessClient>,
    owner: Arc<Owner>,
}

#[pymethods]
impl CoreClient {
    #[new]
    #[pyo3(signature = (secret_key, base_url, *, timeouts = None, max_retries = None, rate_limit = None, ca_bundle = None))]
    fn new(
        py: Python<'_>,
        secret_key: &Bound<'_, PyAny>,
        base_url: &Bound<'_, PyAny>,
        timeouts: Option<Timeouts<'_>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        rate_limit: Option<&Bound<'_, PyAny>>,
        ca_bundle: Option<std::path::PathBuf>,
    ) -> PyResult<Self> {
        let key = settings::text("secret_key", secret_key, "a string (sk_test_... or sk_live_...)")
            .map_err(|m| configuration(py, m))?;
        let key = SecretKey::new(key).map_err(|e| to_py_err(py, e))?;
        let mut config = ClientConfig::new(key);
        let settings = (|| -> Result<(), String> {
            config.base_url = settings::text("base_url", base_url, "a string such as https://api.paystack.co")?;
            // Named as `Paystack(...)` names them, since that is where a wrong one was written.
            let (total, connect, read) = timeouts.unwrap_or_default();
            for (name, value, slot) in [
                ("timeout", total, &mut config.timeouts.total),
                ("connect_timeout", connect, &mut config.timeouts.connect),
                ("read_timeout", read, &mut config.timeouts.read),
            ] {
                if let Some(t) = settings::seconds(name, value.as_ref())? {
                    *slot = t;
                }
            }
            if let Some(n) = settings::retries("max_retries", max_retries)? {
                config.retry.max_retries = n;
            }
            config.rate_limit = crate::redis_limit::rate_limit(rate_limit)?;
            if let Some(path) = &ca_bundle {
                config.ca_bundle_pem = Some(settings::ca_bundle(path)?);
            }
            Ok(())
        })();
        settings.map_err(|m| configuration(py, m))?;
        let core = CoreClient { config, current: ArcSwapOption::empty(), owner: Arc::new(Owner) };
        // Build now so a bad base URL or CA bundle fails here, not on the first call.
        core.client().map_err(|e| to_py_err(py, e))?;
        Ok(core)
    }

    /// Calls the endpoint named `endpoint` ("transaction.verify") with `params`, a mapping by
    /// parameter name (None = not given), blocking this thread (the GIL released) until the
    /// answer arrives.
    #[pyo3(signature = (endpoint, params, timeout = None, max_retries = None))]
    fn call(
        &self,
        py: Python<'_>,
        endpoint: &str,
        params: &Bound<'_, PyAny>,
        timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        crate::py_logging::notice_logging(py);
        let (endpoint, args) = convert_args(py, endpoint, params)?;
        let options = settings::call_options(py, timeout, max_retries)?;
        let signals = on_main_thread(py);
        let outcome = py.detach(|| {
            std::panic::catch_unwind(AssertUnwindSafe(|| {
                let local = with_engine(
                    &self.owner,
                    || self.client()?.sibling(),
                    |runtime, local| {
                        runtime.block_on(interruptible(
                            signals,
                            paystack_core::refunds::call(local, endpoint, &args, &options, &ReplyDecoder),
                        ))
                    },
                )?;
                Ok::<_, Error>(match local {
                    Some(waited) => waited,
                    // Not worth an engine yet: the shared runtime's workers drive the socket.
                    None => {
                        let client = self.client()?;
                        runtime().block_on(interruptible(
                            signals,
                            paystack_core::refunds::call(&client, endpoint, &args, &options, &ReplyDecoder),
                        ))
                    }
                })
            }))
        });
        match outcome {
            Ok(Ok(Ok(result))) => finish(py, result).map(Bound::unbind),
            // A signal handler raised (KeyboardInterrupt): the call was dropped, and stopped.
            Ok(Ok(Err(interrupted))) => Err(interrupted),
            Ok(Err(error)) => Err(to_py_err(py, error)),
            Err(panic) => Err(panic_to_py_err(py, panic)),
        }
    }

    /// The same call as an awaitable for the running asyncio loop.
    #[pyo3(signature = (endpoint, params, timeout = None, max_retries = None))]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        endpoint: &str,
        params: &Bound<'py, PyAny>,
        timeout: Option<&Bound<'py, PyAny>>,
        max_retries: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::py_logging::notice_logging(py);
        let (endpoint, args) = convert_args(py, endpoint, params)?;
        let options = settings::call_options(py, timeout, max_retries)?;
        let client = self.client().map_err(|e| to_py_err(py, e))?;
        crate::async_calls::start(py, client, endpoint, args, options)
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
        let client = Client::new(self.config.clone())?.with_observer(crate::py_logging::observer());
        let fresh = Arc::new(ProcessClient { pid, client: Arc::new(client) });
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

/// The endpoint named `resource.name` (e.g. "transaction.verify"). Only names: a method generated
/// from an older table cannot reach another endpoint by its position.
pub(crate) fn endpoint_named(name: &str) -> PyResult<&'static paystack_core::Endpoint> {
    by_name(name).ok_or_else(|| PyKeyError::new_err(format!("no endpoint {name:?}")))
}

/// The endpoint and its arguments from `params`, a mapping by parameter name (the table's Python
/// names; None = not given), placed in the table's slots by the core (`NamedArgs`): an unknown
/// name, a required one missing, and every value that does not convert are reported together, by
/// parameter, in one `ValidationError`, and nothing is sent.
pub(crate) fn convert_args(
    py: Python<'_>,
    name: &str,
    params: &Bound<'_, PyAny>,
) -> PyResult<(&'static paystack_core::Endpoint, Vec<Option<Arg>>)> {
    let endpoint = endpoint_named(name)?;
    let mut named = NamedArgs::new(endpoint);
    if let Ok(dict) = params.cast::<PyDict>() {
        for (key, value) in dict.iter() {
            place(&mut named, &key, &value)?;
        }
    } else if let Ok(mapping) = params.cast::<PyMapping>() {
        for item in mapping.items()?.iter() {
            let (key, value) = item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?;
            place(&mut named, &key, &value)?;
        }
    } else {
        return Err(PyTypeError::new_err(format!(
            "{} takes its parameters as a mapping by name, not {}",
            endpoint.qualified_name(),
            params.get_type().name()?
        )));
    }
    named.finish().map(|args| (endpoint, args)).map_err(|e| errors::validation(py, &e))
}

/// One `name: value` pair of a call's parameters into its slot.
fn place(named: &mut NamedArgs, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let Ok(key) = key.cast::<PyString>() else {
        let message = format!("is not a parameter name of {} (names are strings)", named.endpoint().qualified_name());
        named.reject([Issue::new(key.repr()?.to_string(), message)]);
        return Ok(());
    };
    let Some(slot) = named.slot(key.to_str()?) else { return Ok(()) };
    if value.is_none() {
        return Ok(());
    }
    let param = &named.endpoint().params[slot];
    let converted = if param.kind == Kind::BulkCharges {
        bulk_arg(value)
    } else {
        to_json(value).map(Arg::Json).map_err(|message| vec![Issue::new(param.name, message)])
    };
    match converted {
        Ok(arg) => named.set(slot, arg),
        Err(issues) => named.reject(issues),
    }
    Ok(())
}
