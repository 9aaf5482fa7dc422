//! The core's events as records of Python's `logging` module: logger `paystack_rs.http`,
//! `paystack_rs.retry` or `paystack_rs.recovery` (python/paystack_rs/_logging.py).
//!
//! Whether an area and level are wanted is read from a cached threshold per area (an atomic), so a
//! disabled level costs no call into Python and nothing is formatted. The cache is exact once
//! `logging` is in use: `_logging.py` recomputes it whenever logging's own level cache is cleared
//! (every `setLevel`, `logging.disable`, `dictConfig`). Until `logging` is imported at all, only
//! warnings are wanted; a warning then imports it (Python's last-resort handler prints it).

use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use paystack_core::{Area, Event, Level, Observer};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};

/// Per area (in `Area::ALL` order), the lowest level wanted; above `Warning` means none.
static THRESHOLDS: [AtomicU8; 4] = [AtomicU8::new(30), AtomicU8::new(30), AtomicU8::new(30), AtomicU8::new(30)];
/// Whether `_logging.py` has hooked logging's cache (then `THRESHOLDS` follows it).
static HOOKED: AtomicBool = AtomicBool::new(false);

fn slot(area: Area) -> usize {
    match area {
        Area::Http => 0,
        Area::Retry => 1,
        Area::Recovery => 2,
        Area::RateLimit => 3,
    }
}

/// What `_logging.py` reports after each change of logging's configuration: the lowest level
/// each area's logger is enabled for (`http`, `retry`, `recovery`, `ratelimit`; 255: none).
/// An authorization code as the logs show it (`…` and its last four characters): the command
/// line shows codes this way too, so there is one rule for both.
#[pyfunction]
pub fn mask_authorization(code: &str) -> String {
    paystack_core::observe::Masked(code).to_string()
}

#[pyfunction]
pub fn set_log_levels(http: u8, retry: u8, recovery: u8, ratelimit: u8) {
    for (cell, level) in THRESHOLDS.iter().zip([http, retry, recovery, ratelimit]) {
        cell.store(level, Ordering::Relaxed);
    }
    HOOKED.store(true, Ordering::Release);
}

/// Called as each call starts (the GIL held): once `logging` has been imported by anyone, lets
/// `_logging.py` hook it. One atomic load once hooked; a dictionary lookup until then.
pub fn notice_logging(py: Python<'_>) {
    if HOOKED.load(Ordering::Acquire) {
        return;
    }
    static MODULES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
    let modules = MODULES.get_or_try_init(py, || {
        py.import("sys")?.getattr("modules")?.cast_into::<PyDict>().map(Bound::unbind).map_err(PyErr::from)
    });
    let imported = modules.is_ok_and(|m| m.bind(py).contains(pyo3::intern!(py, "logging")).unwrap_or(false));
    if imported {
        if let Err(e) = logging_module(py).and_then(|m| m.call_method0("install")) {
            e.write_unraisable(py, None);
        }
    }
}

fn logging_module(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static MODULE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    MODULE.get_or_try_init(py, || py.import("paystack_rs._logging").map(|m| m.into_any().unbind())).map(|m| m.bind(py))
}

/// The observer every client of the extension reports to.
#[derive(Debug)]
pub struct LoggingObserver;

pub fn observer() -> Arc<dyn Observer> {
    static OBSERVER: OnceLock<Arc<dyn Observer>> = OnceLock::new();
    Arc::clone(OBSERVER.get_or_init(|| Arc::new(LoggingObserver)))
}

impl Observer for LoggingObserver {
    fn enabled(&self, area: Area, level: Level) -> bool {
        level as u8 >= THRESHOLDS[slot(area)].load(Ordering::Relaxed)
    }

    fn record(&self, event: &Event<'_>) {
        let message = event.to_string();
        Python::attach(|py| {
            if let Err(e) = emit(py, event, &message) {
                e.write_unraisable(py, None);
            }
        });
    }
}

/// `logging.getLogger("paystack_rs.<area>").log(level, message, extra={...})`, the extra fields
/// prefixed `paystack_` so they never collide with a LogRecord's own attributes.
fn emit(py: Python<'_>, event: &Event<'_>, message: &str) -> PyResult<()> {
    let extra = PyDict::new(py);
    extra.set_item("paystack_endpoint", event.endpoint().qualified_name())?;
    if let Some(reference) = event.reference() {
        extra.set_item("paystack_reference", reference)?;
    }
    match event {
        Event::Request { endpoint, path, status, duration, attempt, .. } => {
            extra.set_item("paystack_method", endpoint.method.as_str())?;
            extra.set_item("paystack_path", *path)?;
            extra.set_item("paystack_status", *status)?;
            extra.set_item("paystack_duration_ms", duration.as_secs_f64() * 1000.0)?;
            extra.set_item("paystack_attempt", *attempt)?;
        }
        Event::Retry { attempt, reason, delay, .. } => {
            extra.set_item("paystack_attempt", *attempt)?;
            extra.set_item("paystack_reason", *reason)?;
            extra.set_item("paystack_delay_s", delay.as_secs_f64())?;
        }
        Event::Recovering { reason, .. } | Event::OutcomeUnknown { reason, .. } => {
            extra.set_item("paystack_reason", *reason)?;
        }
        Event::Recovered { lookups, .. } => extra.set_item("paystack_lookups", *lookups)?,
        Event::Abandoned { .. } => {}
        Event::Paused { delay, shared, .. } => {
            extra.set_item("paystack_delay_s", delay.as_secs_f64())?;
            extra.set_item("paystack_shared", *shared)?;
        }
        Event::LimiterDown { store, reason, fallback, .. } => {
            extra.set_item("paystack_store", *store)?;
            extra.set_item("paystack_reason", *reason)?;
            extra.set_item("paystack_fallback", *fallback)?;
        }
        Event::LimiterBack { store, .. } => extra.set_item("paystack_store", *store)?,
    }
    let area = PyString::new(py, event.area().as_str());
    logging_module(py)?.call_method1("emit", (area, event.level() as u8, message, extra))?;
    Ok(())
}
