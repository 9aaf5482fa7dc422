//! `PayoutStream`: a period's (or one settlement's) payouts gathered by the core
//! (`paystack_core::payouts`) on the runtime, with its progress for Python to show while it waits,
//! sync (the GIL released, Ctrl-C honoured) or async; then the report's views as columns.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use paystack_core::Error;
use paystack_core::payouts::{Col, Gathered, Progress, Scope, Table, gather, report};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::sync::atomic::Ordering;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::async_calls::spawn_on_loop;
use crate::client::CoreClient;
use crate::errors::to_py_err;
use crate::process_runtime::runtime;
use crate::python_to_json::to_json;
use crate::settings::call_options;
use crate::signals::{interruptible, on_main_thread};

type Outcome = Result<Gathered, Error>;

/// The payouts being gathered.
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct PayoutStream {
    progress: Arc<Progress>,
    finished: watch::Receiver<bool>,
    outcome: Arc<Mutex<Option<Outcome>>>,
    task: Mutex<Option<JoinHandle<()>>>,
}

/// A date argument as the JSON the core reads (a `datetime.date` becomes ISO text).
fn date_arg(name: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(None) };
    match to_json(value) {
        Ok(serde_json::Value::String(s)) => Ok(Some(s)),
        _ => Err(pyo3::exceptions::PyTypeError::new_err(format!("{name} must be a str or a datetime.date"))),
    }
}

#[pymethods]
impl PayoutStream {
    /// Starts gathering: the settlements dated `_from`..`to`, or (with `settlement`) that one.
    #[new]
    #[pyo3(signature = (core, *, _from = None, to = None, settlement = None, per_page = 100, concurrency = 8, timeout = None, max_retries = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        core: &CoreClient,
        _from: Option<&Bound<'_, PyAny>>,
        to: Option<&Bound<'_, PyAny>>,
        settlement: Option<i64>,
        per_page: u64,
        concurrency: usize,
        timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let scope = match settlement {
            Some(id) => Scope::One(id),
            None => Scope::Period { from: date_arg("_from", _from)?, to: date_arg("to", to)? },
        };
        let options = call_options(py, timeout, max_retries)?;
        let client = core.client().map_err(|e| to_py_err(py, e))?;
        let progress = Arc::new(Progress::default());
        let (done, finished) = watch::channel(false);
        let outcome = Arc::new(Mutex::new(None));
        let (into, counts) = (Arc::clone(&outcome), Arc::clone(&progress));
        let task = runtime().spawn(async move {
            let result = gather(client, scope, options, per_page, concurrency, counts).await;
            if let Ok(mut slot) = into.lock() {
                *slot = Some(result);
            }
            let _ = done.send(true);
        });
        Ok(PayoutStream { progress, finished, outcome, task: Mutex::new(Some(task)) })
    }

    /// Waits up to `seconds` (the GIL released, Ctrl-C honoured): `(pages read, pages known,
    /// finished)`.
    fn poll(&self, py: Python<'_>, seconds: f64) -> PyResult<(u64, u64, bool)> {
        let mut finished = self.finished.clone();
        let signals = on_main_thread(py);
        let wait = Duration::from_secs_f64(seconds.clamp(0.0, 3600.0));
        let waited = py.detach(|| {
            runtime().block_on(interruptible(signals, async move {
                let _ = tokio::time::timeout(wait, finished.wait_for(|done| *done)).await;
            }))
        });
        if let Err(interrupted) = waited {
            self.close();
            return Err(interrupted);
        }
        Ok(self.counts())
    }

    /// The awaitable twin of `poll`.
    fn poll_async<'py>(slf: Bound<'py, Self>, py: Python<'py>, seconds: f64) -> PyResult<Bound<'py, PyAny>> {
        let mut finished = slf.get().finished.clone();
        let wait = Duration::from_secs_f64(seconds.clamp(0.0, 3600.0));
        let work = async move {
            let _ = tokio::time::timeout(wait, finished.wait_for(|done| *done)).await;
        };
        let stream = slf.unbind();
        spawn_on_loop(py, work, move |py, ()| stream.get().counts().into_py_any(py))
    }

    /// The report's views, once finished: `{view: [(column, kind, values), ...]}` (kind "int",
    /// "text", "timestamp" or "bool"); raises the error that stopped the gathering.
    fn report<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let outcome = self.outcome.lock().map_err(|_| PyRuntimeError::new_err("poisoned"))?.take();
        let gathered = match outcome {
            Some(Ok(gathered)) => gathered,
            Some(Err(error)) => return Err(to_py_err(py, error)),
            None => return Err(PyRuntimeError::new_err("the payouts are not gathered yet (poll until finished)")),
        };
        let built = py.detach(|| report(&gathered));
        let views = PyDict::new(py);
        for (name, table) in built.views() {
            views.set_item(name, table_to_py(py, table)?)?;
        }
        Ok(views)
    }

    /// Stops: the requests in flight are cancelled.
    fn close(&self) {
        if let Ok(mut task) = self.task.lock() {
            if let Some(task) = task.take() {
                task.abort();
            }
        }
    }
}

impl PayoutStream {
    fn counts(&self) -> (u64, u64, bool) {
        let done = self.progress.done.load(Ordering::Relaxed);
        let known = self.progress.known.load(Ordering::Relaxed).max(done);
        (done, known, *self.finished.borrow())
    }
}

impl Drop for PayoutStream {
    fn drop(&mut self) {
        self.close();
    }
}

fn table_to_py<'py>(py: Python<'py>, table: &Table) -> PyResult<Bound<'py, PyList>> {
    let columns = PyList::empty(py);
    for (name, col) in &table.columns {
        let values = match col {
            Col::Int(v) => PyList::new(py, v)?,
            Col::Text(v) | Col::Time(v) => PyList::new(py, v)?,
            Col::Bool(v) => PyList::new(py, v)?,
        };
        columns.append((*name, col.kind(), values))?;
    }
    Ok(columns)
}
