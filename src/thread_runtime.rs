//! Sync calls run on an engine of the calling thread: a current-thread tokio runtime and a
//! connection pool of its own. `block_on` then drives the socket on the caller's thread, with
//! no hand-off to a worker thread and back (two cross-thread wake-ups per call otherwise).
//!
//! An engine costs a runtime, a connection pool and a new connection, so a thread gets one only
//! from its third call on: a thread that makes a call or two and ends (a thread per request)
//! uses the process's shared runtime and pool instead, and reuses its connections.
//!
//! Engines are keyed by the owning client and die with it (or with the thread). A forked child
//! inherits the forking thread's engines with their epoll instance shared with the parent: it
//! leaves them untouched and builds new ones.

use std::cell::RefCell;
use std::sync::{Arc, Weak};

use paystack_core::{Client, Error};
use tokio::runtime::Runtime;

/// Identifies a `CoreClient`; engines hold it weakly so they go when the client goes.
#[derive(Debug, Default)]
pub struct Owner;

struct Engine {
    pid: u32,
    owner: Weak<Owner>,
    runtime: Runtime,
    client: Client,
}

/// Calls a thread makes through the shared pool before it gets an engine of its own.
const CALLS_BEFORE_ENGINE: u32 = 2;

thread_local! {
    static ENGINES: RefCell<Vec<Engine>> = const { RefCell::new(Vec::new()) };
    /// Calls made so far per client, while this thread has no engine for it.
    static CALLS: RefCell<Vec<(Weak<Owner>, u32)>> = const { RefCell::new(Vec::new()) };
}

/// Whether this thread has made enough calls with `owner` to warrant an engine; counts this one.
fn warranted(owner: &Arc<Owner>) -> bool {
    CALLS.with(|calls| {
        let mut calls = calls.borrow_mut();
        calls.retain(|(o, _)| o.strong_count() > 0);
        match calls.iter_mut().find(|(o, _)| std::ptr::eq(o.as_ptr(), Arc::as_ptr(owner))) {
            Some((_, n)) if *n >= CALLS_BEFORE_ENGINE => true,
            Some((_, n)) => {
                *n += 1;
                false
            }
            None => {
                calls.push((Arc::downgrade(owner), 1));
                false
            }
        }
    })
}

/// Runs `f` with this thread's engine for `owner`, building it (from `make`) when the thread has
/// made enough calls to warrant one. `None`: not yet; the caller uses the shared runtime.
pub fn with_engine<R>(
    owner: &Arc<Owner>,
    make: impl FnOnce() -> Result<Client, Error>,
    f: impl FnOnce(&Runtime, &Client) -> R,
) -> Result<Option<R>, Error> {
    let pid = std::process::id();
    let engine = ENGINES.with(|engines| {
        let mut engines = engines.borrow_mut();
        if engines.iter().any(|e| e.pid != pid) {
            // Inherited through fork: never dropped here (see the module comment).
            let (inherited, ours): (Vec<Engine>, Vec<Engine>) = engines.drain(..).partition(|e| e.pid != pid);
            std::mem::forget(inherited);
            *engines = ours;
        }
        // Engines of clients that are gone.
        engines.retain(|e| e.owner.strong_count() > 0);
        let index = match engines.iter().position(|e| std::ptr::eq(e.owner.as_ptr(), Arc::as_ptr(owner))) {
            Some(i) => i,
            None if !warranted(owner) => return Ok(None),
            None => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Error::Config(format!("cannot start a runtime for this thread: {e}")))?;
                engines.push(Engine { pid, owner: Arc::downgrade(owner), runtime, client: make()? });
                engines.len() - 1
            }
        };
        // Taken out while it runs, so a call made from inside it (none today) cannot alias it.
        Ok::<_, Error>(Some(engines.swap_remove(index)))
    })?;
    let Some(engine) = engine else { return Ok(None) };
    let result = f(&engine.runtime, &engine.client);
    ENGINES.with(|engines| engines.borrow_mut().push(engine));
    Ok(Some(result))
}
