//! Sync calls run on an engine of the calling thread: a current-thread tokio runtime and a
//! connection pool of its own. `block_on` then drives the socket on the caller's thread, with
//! no hand-off to a worker thread and back (two cross-thread wake-ups per call otherwise).
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

thread_local! {
    static ENGINES: RefCell<Vec<Engine>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's engine for `owner`, building it (from `make`) on first use.
pub fn with_engine<R>(
    owner: &Arc<Owner>,
    make: impl FnOnce() -> Result<Client, Error>,
    f: impl FnOnce(&Runtime, &Client) -> R,
) -> Result<R, Error> {
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
        Ok::<_, Error>(engines.swap_remove(index))
    })?;
    let result = f(&engine.runtime, &engine.client);
    ENGINES.with(|engines| engines.borrow_mut().push(engine));
    Ok(result)
}
