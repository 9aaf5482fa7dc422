//! Sync calls wait with the GIL released, so Python cannot run its signal handlers meanwhile. On
//! the main thread (the only one Python runs handlers on) a waiting call re-takes the GIL every
//! 50 ms to let them run: Ctrl-C raises `KeyboardInterrupt` (and a SIGALRM handler runs) within a
//! tick, and the call's future is then dropped, which stops it as a cancel does. Other threads
//! wait without ticking.

use std::cell::Cell;
use std::future::Future;
use std::time::Duration;

use pyo3::prelude::*;

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

/// Runs `call` to completion, or until a signal handler raises (then `call` is dropped).
pub async fn interruptible<F: Future>(check_signals: bool, call: F) -> Result<F::Output, PyErr> {
    if !check_signals {
        return Ok(call.await);
    }
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + CHECK_EVERY, CHECK_EVERY);
    tokio::pin!(call);
    loop {
        tokio::select! {
            biased;
            output = &mut call => return Ok(output),
            _ = ticks.tick() => Python::attach(|py| py.check_signals())?,
        }
    }
}
