//! The limiter a client keeps its calls under: the process's own (`LocalLimiter`), or one shared
//! through Redis (`SharedLimiter`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::local_limiter::LocalLimiter;
use crate::shared_limiter::{Refused, SharedLimiter, Transition};

/// A client's limiter.
#[derive(Debug)]
pub enum Limiter {
    Local(Arc<LocalLimiter>),
    Shared(Box<SharedLimiter>),
}

impl Limiter {
    /// The same limiter for a sibling client (another runtime): the local count is the same one;
    /// a shared limiter gets a connection of its own.
    pub fn sibling(&self) -> Limiter {
        match self {
            Limiter::Local(local) => Limiter::Local(Arc::clone(local)),
            Limiter::Shared(shared) => Limiter::Shared(Box::new(shared.sibling())),
        }
    }

    /// Waits for a slot unless that would pass `deadline`.
    pub async fn acquire(&self, deadline: Instant, report: &(dyn Fn(Transition<'_>) + Sync)) -> Result<(), Refused> {
        match self {
            Limiter::Local(local) => local.acquire(deadline).await.map_err(Refused::Wait),
            Limiter::Shared(shared) => shared.acquire(deadline, report).await,
        }
    }

    /// Holds every caller of this limiter for `wait` (a 429 asked for it).
    pub async fn pause(&self, wait: Duration) {
        match self {
            Limiter::Local(local) => local.pause(Instant::now() + wait),
            Limiter::Shared(shared) => shared.pause(wait).await,
        }
    }

    /// Where the shared quota is kept (`redis://host:port/db`), for messages.
    pub fn store(&self) -> Option<&str> {
        match self {
            Limiter::Local(_) => None,
            Limiter::Shared(shared) => Some(shared.settings().store()),
        }
    }
}
