//! Sync calls wait with the GIL released, so Python cannot run its signal handlers meanwhile. On
//! the main thread (the only one Python runs handlers on) a waiting call re-takes the GIL every
//! 50 ms to let them run: Ctrl-C raises `KeyboardInterrupt` (and a SIGALRM handler runs) within a
//! tick, and the call's future is then dropped, which stops it as a cancel does. Other threads
//! wait without ticking.
//!
//! The ticks come from one thread of the process that wakes every 50 ms and, when a call is
//! waiting, notifies it. A timer per call would cost about 2.5% of a sync verify against a local
//! server (registering and cancelling it in the runtime's timer wheel on every call).

use std::cell::Cell;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use arc_swap::ArcSwapOption;
use pyo3::prelude::*;
use tokio::sync::Notify;

/// How often a waiting call on the main thread lets Python handle signals.
const CHECK_EVERY: Duration = Duration::from_millis(50);

thread_local! {
    /// (pid, whether this is Python's main thread), computed once per thread and process.
    static MAIN: Cell<Option<(u32, bool)>> = const { Cell::new(None) };
}

/// Whether this thread is Python's main thread (where signal handlers run).
pub fn on_main_thread(py: Python<'_>) -> bool {
    let pid = std::process::id();
    if let Some((p, main)) = MAIN.get() {
        if p == pid {
            return main;
        }
    }
    let main = (|| -> PyResult<bool> {
        let threading = py.import("threading")?;
        let main_ident = threading.call_method0("main_thread")?.getattr("ident")?;
        threading.call_method0("get_ident")?.eq(main_ident)
    })()
    .unwrap_or(false);
    MAIN.set(Some((pid, main)));
    main
}

/// The process's tick: calls waiting on the main thread, and how to wake them.
struct Ticker {
    pid: u32,
    waiting: AtomicUsize,
    tick: Notify,
}

/// This process's ticker, started on first use (and again in a forked child, which has not the
/// parent's thread).
fn ticker() -> Arc<Ticker> {
    static CURRENT: ArcSwapOption<Ticker> = ArcSwapOption::const_empty();
    let pid = std::process::id();
    if let Some(current) = CURRENT.load_full().filter(|t| t.pid == pid) {
        return current;
    }
    let fresh = Arc::new(Ticker { pid, waiting: AtomicUsize::new(0), tick: Notify::new() });
    let previous = CURRENT.rcu(|current| match current {
        Some(c) if c.pid == pid => Some(Arc::clone(c)),
        _ => Some(Arc::clone(&fresh)),
    });
    if let Some(winner) = previous.filter(|t| t.pid == pid) {
        return winner; // another thread of this process started it meanwhile
    }
    let ticking = Arc::clone(&fresh);
    // Without the thread (it could not start), calls still finish, only not interrupted early.
    let _ = std::thread::Builder::new().name("paystack-rs-signals".into()).spawn(move || {
        loop {
            std::thread::sleep(CHECK_EVERY);
            if ticking.waiting.load(Ordering::Acquire) > 0 {
                ticking.tick.notify_waiters();
            }
        }
    });
    fresh
}

/// Counts a waiting call while it waits.
struct Waiting(Arc<Ticker>);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::Release);
    }
}

/// Runs `call` to completion, or until a signal handler raises (then `call` is dropped).
pub async fn interruptible<F: Future>(check_signals: bool, call: F) -> Result<F::Output, PyErr> {
    if !check_signals {
        return Ok(call.await);
    }
    let ticker = ticker();
    ticker.waiting.fetch_add(1, Ordering::AcqRel);
    let waiting = Waiting(ticker);
    tokio::pin!(call);
    loop {
        tokio::select! {
            biased;
            output = &mut call => return Ok(output),
            () = waiting.0.tick.notified() => Python::attach(|py| py.check_signals())?,
        }
    }
}
