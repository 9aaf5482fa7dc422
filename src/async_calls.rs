//! Async calls: an awaitable for the running asyncio loop whose cancellation stops the call.
//!
//! The call runs as a task on the process's runtime. Its awaitable is a `CallFuture`
//! (python/paystack_rs/_async.py), an `asyncio.Future` whose `cancel()` aborts that task at once:
//! `Task.cancel()`, `asyncio.wait_for` and `asyncio.run`'s clean-up all cancel the future a task
//! awaits, so no attempt, backoff, retry or lookup of the call starts after it, and an attempt in
//! flight is dropped with its connection (the core reports a charge that was on the wire).
//!
//! A loop closed without cancelling its tasks never cancels their futures, so each loop with
//! calls in flight is also watched: ten times a second, a blocking thread asks whether the loop
//! is closed (or gone), and if so every call of that loop stops.
//!
//! The outcome reaches the loop through its socket bridge (`async_bridge`, loops with
//! `add_reader`), or else through `loop.call_soon_threadsafe`.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::FutureExt;
use paystack_core::envelope::{CheckedBody, EnvelopeDecoder};
use paystack_core::{Arg, CallOptions, Client, Endpoint, Error, Reply};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{IntoPyDict, PyType};
use tokio::sync::watch;
use tokio::task::AbortHandle;

use crate::call_result::finish;
use crate::errors::panic_to_py_err;
use crate::process_runtime::runtime;

type Outcome = Result<Result<Reply<CheckedBody>, Error>, Box<dyn Any + Send>>;

/// How often a loop with calls in flight is asked whether it was closed.
const WATCH_EVERY: Duration = Duration::from_millis(100);

/// Set on a `CallFuture`: `cancel()` calls `abort()`.
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct CallHandle {
    task: AbortHandle,
}

#[pymethods]
impl CallHandle {
    /// Stops the call: nothing more is sent for it.
    fn abort(&self) {
        self.task.abort();
    }
}

/// Whether the calls of one loop must stop because it closed; the calls in flight, for the watcher.
struct LoopWatch {
    closed: watch::Sender<bool>,
    in_flight: AtomicUsize,
    watching: AtomicBool,
    /// `weakref.ref(loop)`: the watcher must not keep a loop alive.
    event_loop: Py<PyAny>,
}

/// A call's place in its loop's count; leaves it when the call ends, however it ends.
struct InFlight(Arc<LoopWatch>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl LoopWatch {
    fn started(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        if !self.watching.swap(true, Ordering::SeqCst) {
            runtime().spawn(watch_loop(Arc::clone(self)));
        }
        InFlight(Arc::clone(self))
    }
}

async fn watch_loop(watch: Arc<LoopWatch>) {
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        if watch.in_flight.load(Ordering::SeqCst) == 0 {
            watch.watching.store(false, Ordering::SeqCst);
            // A call that started meanwhile saw `watching` set and spawned no watcher: carry on
            // for it, unless another watcher took over.
            if watch.in_flight.load(Ordering::SeqCst) == 0 || watch.watching.swap(true, Ordering::SeqCst) {
                return;
            }
        }
        // On a blocking thread: a runtime worker never waits for the GIL.
        let asked = Arc::clone(&watch);
        let closed = tokio::task::spawn_blocking(move || {
            Python::attach(|py| {
                let event_loop = asked.event_loop.bind(py).call0()?;
                if event_loop.is_none() {
                    return Ok(true);
                }
                event_loop.call_method0(pyo3::intern!(py, "is_closed"))?.is_truthy()
            })
            .unwrap_or(true)
        })
        .await
        .unwrap_or(true);
        if closed {
            let _ = watch.closed.send(true);
            return;
        }
    }
}

/// Where a loop's calls deliver their outcome, and their watch; one per loop (and process).
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct LoopState {
    pid: u32,
    #[cfg(unix)]
    sender: Option<Arc<crate::async_bridge::Sender>>,
    watch: Arc<LoopWatch>,
}

fn loop_state<'py>(py: Python<'py>, event_loop: &Bound<'py, PyAny>) -> PyResult<Bound<'py, LoopState>> {
    static STATES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let states = STATES
        .get_or_try_init(py, || py.import("weakref")?.getattr("WeakKeyDictionary")?.call0().map(Bound::unbind))?
        .bind(py);
    let found = states.call_method1(pyo3::intern!(py, "get"), (event_loop,))?;
    if let Ok(state) = found.cast_into::<LoopState>() {
        // One made before a fork shares its socket with the parent: make another.
        if state.get().pid == std::process::id() {
            return Ok(state);
        }
    }
    let reference = py.import("weakref")?.getattr("ref")?.call1((event_loop,))?.unbind();
    let (closed, _) = watch::channel(false);
    let watch = Arc::new(LoopWatch {
        closed,
        in_flight: AtomicUsize::new(0),
        watching: AtomicBool::new(false),
        event_loop: reference,
    });
    let state = LoopState {
        pid: std::process::id(),
        #[cfg(unix)]
        sender: crate::async_bridge::register(py, event_loop)?,
        watch,
    };
    let state = Bound::new(py, state)?;
    states.set_item(event_loop, &state)?;
    Ok(state)
}

fn call_future_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CELL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CELL.import(py, "paystack_rs._async", "CallFuture")
}

/// Starts `endpoint` on the runtime and returns its awaitable on the running loop.
pub fn start<'py>(
    py: Python<'py>,
    client: Arc<Client>,
    endpoint: &'static Endpoint,
    args: Vec<Option<Arg>>,
    options: CallOptions,
) -> PyResult<Bound<'py, PyAny>> {
    let event_loop = get_running_loop(py)?;
    let state = loop_state(py, &event_loop)?;
    let state = state.get();
    let future = call_future_class(py)?.call((), Some(&[("loop", &event_loop)].into_py_dict(py)?))?;
    let handle = future.clone().unbind();
    let delivery = Delivery::new(state, &event_loop);
    let in_flight = state.watch.started();
    let mut closed = state.watch.closed.subscribe();
    let task = runtime().spawn(async move {
        let _in_flight = in_flight;
        let call = AssertUnwindSafe(paystack_core::refunds::call(&client, endpoint, &args, &options, &EnvelopeDecoder))
            .catch_unwind();
        tokio::select! {
            biased;
            // The loop closed without cancelling: dropping the call stops it.
            _ = closed.wait_for(|closed| *closed) => {}
            outcome = call => delivery.complete(handle, outcome),
        }
    });
    future.setattr(pyo3::intern!(py, "_paystack_call"), CallHandle { task: task.abort_handle() })?;
    Ok(future)
}

/// Runs `work` on the runtime and returns an awaitable on the running loop whose `cancel()`
/// aborts it, as a call's does (its loop closing stops it too); `then` turns its output into the
/// result with the GIL, on a blocking thread. For the awaitables that are not one call (the next
/// page of an `auto_paging_iter`).
pub fn spawn_on_loop<'py, W, Then>(py: Python<'py>, work: W, then: Then) -> PyResult<Bound<'py, PyAny>>
where
    W: std::future::Future + Send + 'static,
    W::Output: Send + 'static,
    Then: FnOnce(Python<'_>, W::Output) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let event_loop = get_running_loop(py)?;
    let state = loop_state(py, &event_loop)?;
    let state = state.get();
    let future = call_future_class(py)?.call((), Some(&[("loop", &event_loop)].into_py_dict(py)?))?;
    let handle = future.clone().unbind();
    let event_loop = event_loop.unbind();
    let in_flight = state.watch.started();
    let mut closed = state.watch.closed.subscribe();
    let task = runtime().spawn(async move {
        let _in_flight = in_flight;
        tokio::select! {
            biased;
            _ = closed.wait_for(|closed| *closed) => {}
            outcome = AssertUnwindSafe(work).catch_unwind() => {
                // Built on a blocking thread: a runtime worker never waits for the GIL.
                tokio::task::spawn_blocking(move || {
                    Python::attach(|py| {
                        let (ok, value) = match outcome.map(|output| then(py, output)) {
                            Ok(Ok(value)) => (true, value),
                            Ok(Err(error)) => (false, error.into_value(py).into_any()),
                            Err(panic) => (false, panic_to_py_err(py, panic).into_value(py).into_any()),
                        };
                        let resolve = match wrap_pyfunction!(resolve, py) {
                            Ok(f) => f,
                            Err(e) => return e.write_unraisable(py, None),
                        };
                        // A loop closed meanwhile refuses: nobody is waiting any more.
                        let _ = event_loop.call_method1(py, "call_soon_threadsafe", (resolve, handle, ok, value));
                    });
                });
            }
        }
    });
    future.setattr(pyo3::intern!(py, "_paystack_call"), CallHandle { task: task.abort_handle() })?;
    Ok(future)
}

fn get_running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static GET: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    GET.get_or_try_init(py, || py.import("asyncio")?.getattr("get_running_loop").map(Bound::unbind))?.bind(py).call0()
}

/// How an outcome reaches the loop.
enum Delivery {
    #[cfg(unix)]
    Bridge(Arc<crate::async_bridge::Sender>),
    Threadsafe(Py<PyAny>),
}

impl Delivery {
    fn new(state: &LoopState, event_loop: &Bound<'_, PyAny>) -> Self {
        #[cfg(unix)]
        if let Some(sender) = &state.sender {
            return Delivery::Bridge(Arc::clone(sender));
        }
        let _ = state;
        Delivery::Threadsafe(event_loop.clone().unbind())
    }

    fn complete(self, future: Py<PyAny>, outcome: Outcome) {
        match self {
            #[cfg(unix)]
            Delivery::Bridge(sender) => sender.complete(crate::async_bridge::Completion { future, outcome }),
            // Built on a blocking thread: a runtime worker never waits for the GIL.
            Delivery::Threadsafe(event_loop) => {
                tokio::task::spawn_blocking(move || {
                    Python::attach(|py| {
                        let (ok, value) = match outcome {
                            Ok(result) => match finish(py, result) {
                                Ok(response) => (true, response.unbind()),
                                Err(error) => (false, error.into_value(py).into_any()),
                            },
                            Err(panic) => (false, panic_to_py_err(py, panic).into_value(py).into_any()),
                        };
                        let resolve = match wrap_pyfunction!(resolve, py) {
                            Ok(f) => f,
                            Err(e) => return e.write_unraisable(py, None),
                        };
                        // A loop closed meanwhile refuses: nobody is waiting any more.
                        let _ = event_loop.call_method1(py, "call_soon_threadsafe", (resolve, future, ok, value));
                    });
                });
            }
        }
    }
}

/// Runs on the loop: settles the call's future unless it was cancelled meanwhile.
#[pyfunction]
fn resolve(future: &Bound<'_, PyAny>, ok: bool, value: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = future.py();
    if future.call_method0(pyo3::intern!(py, "done"))?.is_truthy()? {
        return Ok(());
    }
    let method = if ok { pyo3::intern!(py, "set_result") } else { pyo3::intern!(py, "set_exception") };
    future.call_method1(method, (value,))?;
    Ok(())
}
