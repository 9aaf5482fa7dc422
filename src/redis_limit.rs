//! `paystack_rs.RedisRateLimit`: the settings of a quota shared through Redis, accepted wherever
//! `rate_limit=` is. It holds settings only: each client builds its own limiter (and connection)
//! from them, once per process.

use paystack_core::{OnFailure, Quota, RateLimit, SharedRateLimit};
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors::{configuration, to_py_err};
use crate::settings;

/// `rate_limit=` as a client takes it: a `RedisRateLimit`, or anything `settings::rate_limit` reads.
pub fn rate_limit(value: Option<&Bound<'_, PyAny>>) -> Result<Option<RateLimit>, String> {
    if let Some(shared) = value.and_then(|v| v.cast::<RedisRateLimit>().ok()) {
        return Ok(Some(RateLimit::Shared(Box::new(shared.get().settings.clone()))));
    }
    settings::rate_limit(value)
}

/// A rate limit shared through Redis by every process and machine of one integration.
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct RedisRateLimit {
    pub settings: SharedRateLimit,
}

#[pymethods]
impl RedisRateLimit {
    #[new]
    #[pyo3(signature = (url, quota = None, key = None, *, on_failure = None, timeout = None, ca_bundle = None, fallback_quota = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        url: &Bound<'_, PyAny>,
        quota: Option<&Bound<'_, PyAny>>,
        key: Option<&Bound<'_, PyAny>>,
        on_failure: Option<&str>,
        timeout: Option<&Bound<'_, PyAny>>,
        ca_bundle: Option<std::path::PathBuf>,
        fallback_quota: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let url = settings::text("url", url, "a string such as redis://127.0.0.1:6379/0")
            .map_err(|m| configuration(py, m))?;
        let quota = match quota {
            Some(q) if !q.is_none() => settings::quota("quota", q).map_err(|m| configuration(py, m))?,
            _ => Quota::PAYSTACK_LIVE,
        };
        let mut shared = SharedRateLimit::new(&url, quota).map_err(|e| to_py_err(py, e))?;
        if let Some(key) = key.filter(|k| !k.is_none()) {
            let key = key
                .cast::<PyString>()
                .map_err(|_| configuration(py, "key must be a string (the name the quota is kept under)".into()))?
                .to_str()?
                .to_owned();
            SharedRateLimit::check_namespace(&key).map_err(|m| configuration(py, format!("key {m}")))?;
            shared.namespace = Some(key);
        }
        shared.on_failure = match on_failure {
            None | Some("local") => OnFailure::Local,
            Some("raise") => OnFailure::Raise,
            Some(other) => {
                return Err(configuration(
                    py,
                    format!(
                        "on_failure must be \"local\" or \"raise\", not {}",
                        paystack_core::error::clip(&format!("{other:?}"), 30)
                    ),
                ));
            }
        };
        if let Some(t) = settings::seconds("timeout", timeout).map_err(|m| configuration(py, m))? {
            shared.timeout = t;
        }
        if let Some(q) = fallback_quota.filter(|q| !q.is_none()) {
            shared.fallback_quota = Some(settings::quota("fallback_quota", q).map_err(|m| configuration(py, m))?);
        }
        if let Some(path) = ca_bundle {
            let pem = settings::ca_bundle(&path).map_err(|m| configuration(py, m))?;
            shared.trust_only(&pem).map_err(|e| to_py_err(py, e))?;
        }
        Ok(RedisRateLimit { settings: shared })
    }

    /// Where the Redis is, without credentials.
    #[getter]
    fn url(&self) -> &str {
        self.settings.store()
    }

    /// `(requests, seconds)`.
    #[getter]
    fn quota(&self) -> (u32, f64) {
        (self.settings.quota.limit, self.settings.quota.window.as_secs_f64())
    }

    /// `(requests, seconds)` each process keeps to while Redis cannot be reached.
    #[getter]
    fn fallback_quota(&self) -> (u32, f64) {
        let quota = self.settings.fallback_quota.unwrap_or(self.settings.quota);
        (quota.limit, quota.window.as_secs_f64())
    }

    #[getter]
    fn key(&self) -> Option<&str> {
        self.settings.namespace.as_deref()
    }

    #[getter]
    fn on_failure(&self) -> &'static str {
        match self.settings.on_failure {
            OnFailure::Local => "local",
            OnFailure::Raise => "raise",
        }
    }

    #[getter]
    fn timeout(&self) -> f64 {
        self.settings.timeout.as_secs_f64()
    }

    /// The Redis keys the quota of `secret_key` is kept under (no secret in them: a hash).
    fn redis_keys(&self, py: Python<'_>, secret_key: &str) -> PyResult<(String, String)> {
        let key = paystack_core::SecretKey::new(secret_key).map_err(|e| to_py_err(py, e))?;
        let [log, pause] = self.settings.keys_for(key.expose());
        Ok((log, pause))
    }

    fn __repr__(&self) -> String {
        let (limit, window) = self.quota();
        let key = self.settings.namespace.as_deref().map(|k| format!(", key={k:?}")).unwrap_or_default();
        let fallback = match self.settings.fallback_quota {
            Some(_) => {
                let (limit, window) = self.fallback_quota();
                format!(", fallback_quota=({limit}, {window:?})")
            }
            None => String::new(),
        };
        format!(
            "RedisRateLimit({:?}, quota=({limit}, {window:?}){key}, on_failure={:?}{fallback})",
            self.settings.store(),
            self.on_failure()
        )
    }
}
