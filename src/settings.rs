//! A client's settings and a call's options as Python gives them, checked by name: the wrong type
//! or a value out of range is an error naming the parameter, with the value shown briefly.

use std::time::Duration;

use paystack_core::config::{retry_count, timeout_seconds};
use paystack_core::error::{Issue, ValidationError, clip};
use paystack_core::{CallOptions, Quota, RateLimit, SharedRateLimit};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString, PyTuple};

use crate::errors;
use crate::python_to_json::{short_repr, type_name};

/// `not str '5'`: the type and a short repr of a value of the wrong type.
fn not_this(value: &Bound<'_, PyAny>) -> String {
    format!("not {} {}", type_name(value), short_repr(value))
}

fn is_given<'a, 'py>(value: Option<&'a Bound<'py, PyAny>>) -> Option<&'a Bound<'py, PyAny>> {
    value.filter(|v| !v.is_none())
}

/// The PEM of a `ca_bundle=` (the client's and a `RedisRateLimit`'s), or why it cannot be read.
pub fn ca_bundle(path: &std::path::Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read ca_bundle {}: {e}", path.display()))
}

/// Seconds given as an int or a float (never a bool or a string), checked by the core's rules.
pub fn seconds(name: &str, value: Option<&Bound<'_, PyAny>>) -> Result<Option<Duration>, String> {
    let Some(value) = is_given(value) else { return Ok(None) };
    let number = if value.is_instance_of::<PyBool>() {
        None
    } else if let Ok(f) = value.cast::<PyFloat>() {
        Some(f.value())
    } else if value.is_instance_of::<PyInt>() {
        match value.extract::<f64>() {
            Ok(n) => Some(n),
            // Too large for a float, so out of range all the same.
            Err(_) => {
                return Err(format!(
                    "{name} must be at most {} seconds (a day), not {}",
                    paystack_core::config::MAX_TIMEOUT_SECONDS,
                    short_repr(value)
                ));
            }
        }
    } else {
        None
    };
    let Some(number) = number else { return Err(format!("{name} must be a number of seconds, {}", not_this(value))) };
    timeout_seconds(number).map(Some).map_err(|m| format!("{name} {m}"))
}

/// A retry count given as an int (never a bool).
pub fn retries(name: &str, value: Option<&Bound<'_, PyAny>>) -> Result<Option<u32>, String> {
    let Some(value) = is_given(value) else { return Ok(None) };
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(format!("{name} must be an integer from 0 to 100, {}", not_this(value)));
    }
    let count = value.extract::<i64>().map(i128::from).unwrap_or_else(|_| {
        // Beyond i64: only its sign matters for the message.
        if value.lt(0).unwrap_or(false) { i128::MIN } else { i128::MAX }
    });
    let shown = match count {
        i128::MIN | i128::MAX => Err(format!("{name} must be from 0 to 100, not {}", short_repr(value))),
        n => retry_count(n).map_err(|m| format!("{name} {m}")),
    };
    shown.map(Some)
}

/// A string setting (the secret key, the base URL); `describe` says what it should be.
pub fn text(name: &str, value: &Bound<'_, PyAny>, describe: &str) -> Result<String, String> {
    let s = value.cast::<PyString>().map_err(|_| format!("{name} must be {describe}, not {}", type_name(value)))?;
    s.to_str().map(str::to_owned).map_err(|_| format!("{name} is not valid UTF-8 text"))
}

/// `rate_limit`, as a `paystack_core::RateLimit`: a preset name or `(requests, seconds)` (a quota
/// for this process), or a `redis://` URL (Paystack's live quota, shared);
/// `redis_limit::rate_limit` adds a `RedisRateLimit`.
pub fn rate_limit(value: Option<&Bound<'_, PyAny>>) -> Result<Option<RateLimit>, String> {
    let Some(value) = is_given(value) else { return Ok(None) };
    if let Ok(url) = value.cast::<PyString>() {
        let url = url.to_str().unwrap_or_default();
        if url.contains("://") {
            return SharedRateLimit::new(url, Quota::PAYSTACK_LIVE)
                .map(|s| Some(RateLimit::Shared(Box::new(s))))
                .map_err(|e| e.to_string());
        }
    }
    quota("rate_limit", value).map(|q| Some(RateLimit::Local(q)))
}

/// A quota: a preset name or `(requests, seconds)`.
pub fn quota(name: &str, value: &Bound<'_, PyAny>) -> Result<Quota, String> {
    // Only rate_limit= itself may also be shared through Redis.
    let (or_shared, or_url) =
        if name == "rate_limit" { (", or a paystack_rs.RedisRateLimit", " or a redis:// URL") } else { ("", "") };
    let wrong = || {
        format!(
            "{name} must be \"paystack-test\", \"paystack-live\" or (requests, seconds) with both positive{or_shared}"
        )
    };
    if let Ok(preset) = value.cast::<PyString>() {
        let preset = preset.to_str().unwrap_or_default();
        return Quota::preset(preset).ok_or_else(|| {
            format!(
                "{name} {} is not a preset (use \"paystack-test\", \"paystack-live\", (requests, seconds){or_url})",
                clip(&format!("{preset:?}"), 40)
            )
        });
    }
    let pair = value.cast::<PyTuple>().ok().filter(|t| t.len() == 2).ok_or_else(wrong)?;
    let limit = pair.get_item(0).ok().filter(|n| !n.is_instance_of::<PyBool>()).and_then(|n| n.extract::<u32>().ok());
    let window = seconds("rate_limit's window", pair.get_item(1).ok().as_ref()).map_err(|_| wrong())?;
    match (limit, window) {
        (Some(limit), Some(window)) if limit > 0 => Ok(Quota { limit, window }),
        _ => Err(wrong()),
    }
}

/// A call's `timeout` (seconds for the whole call, or a `Timeouts(connect=, read=, total=)`) and
/// `max_retries`; problems are a `ValidationError` naming the parameter: nothing is sent.
pub fn call_options(
    py: Python<'_>,
    timeout: Option<&Bound<'_, PyAny>>,
    max_retries: Option<&Bound<'_, PyAny>>,
) -> PyResult<CallOptions> {
    let invalid = |field: &str, m: String| {
        // The message already starts with the parameter's name.
        let message = m.strip_prefix(field).map_or(m.clone(), |rest| rest.trim_start().to_owned());
        errors::validation(py, &ValidationError { issues: vec![Issue::new(field, message)] })
    };
    let mut options = CallOptions {
        max_retries: retries("max_retries", max_retries).map_err(|m| invalid("max_retries", m))?,
        ..CallOptions::default()
    };
    let Some(timeout) = is_given(timeout) else { return Ok(options) };
    if timeout.is_instance_of::<PyInt>() || timeout.is_instance_of::<PyFloat>() || timeout.is_instance_of::<PyBool>() {
        options.total_timeout = seconds("timeout", Some(timeout)).map_err(|m| invalid("timeout", m))?;
        return Ok(options);
    }
    let part = |name: &str| -> PyResult<Option<Duration>> {
        let field = format!("timeout.{name}");
        let value = timeout.getattr(name).map_err(|_| {
            invalid(
                "timeout",
                format!(
                    "timeout must be a number of seconds or paystack_rs.Timeouts(connect=, read=, total=), {}",
                    not_this(timeout)
                ),
            )
        })?;
        seconds(&field, Some(&value)).map_err(|m| invalid(&field, m))
    };
    options.connect_timeout = part("connect")?;
    options.read_timeout = part("read")?;
    options.total_timeout = part("total")?;
    Ok(options)
}
