//! The tokio runtime belongs to a process. After `os.fork()` (Celery prefork, gunicorn
//! --preload) the child finds the parent's runtime without its threads, so it builds its own and
//! leaves the parent's untouched: dropping it, or anything registered with its I/O driver, from
//! the child would deregister sockets from an epoll instance the parent still uses.

use std::sync::Arc;

use arc_swap::ArcSwapOption;
use tokio::runtime::Runtime;

/// A runtime and the process it was built in.
struct ProcessRuntime {
    pid: u32,
    runtime: &'static Runtime,
}

/// Lock-free, so a fork that happens while another thread reads it cannot leave the child
/// waiting on a lock held by a thread that no longer exists.
static CURRENT: ArcSwapOption<ProcessRuntime> = ArcSwapOption::const_empty();

/// This process's runtime, built on first use (and again in a forked child).
pub fn runtime() -> &'static Runtime {
    let pid = std::process::id();
    if let Some(current) = CURRENT.load().as_ref() {
        if current.pid == pid {
            return current.runtime;
        }
    }
    let fresh = Arc::new(ProcessRuntime { pid, runtime: build() });
    let previous = CURRENT.rcu(|current| match current {
        Some(c) if c.pid == pid => Some(Arc::clone(c)),
        _ => Some(Arc::clone(&fresh)),
    });
    match previous {
        // Another thread of this process won the race: use its runtime.
        Some(p) if p.pid == pid => p.runtime,
        // The parent's entry stays alive forever (see the module comment).
        other => {
            std::mem::forget(other);
            fresh.runtime
        }
    }
}

fn build() -> &'static Runtime {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("paystack-rs")
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("cannot start the paystack-rs runtime: {e}"));
    // Leaked on purpose: it lives as long as the process, and must never be dropped in a child.
    Box::leak(Box::new(runtime))
}
