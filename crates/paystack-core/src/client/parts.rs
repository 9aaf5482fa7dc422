//! What every step of a call uses: the client (settings, transport, quota, observer), what a call
//! returns, and one call's limits and counts.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::ClientConfig;
use crate::error::{CallSite, Error};
use crate::observe::{Area, Level, Observer};
use crate::quota::Limiter;
use crate::ratelimit::RateLimiter;
use crate::reference::ItemReferences;
use crate::request::PreparedRequest;
use crate::shared_limit::SharedLimiter;
use crate::transport::{HeaderMap, Transport};

/// Per-call overrides of the client's settings.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CallOptions {
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    pub total_timeout: Option<Duration>,
    pub max_retries: Option<u32>,
}

/// A successful call.
#[derive(Debug)]
pub struct Reply<T> {
    pub status_code: u16,
    pub headers: HeaderMap,
    pub body: T,
    /// Requests sent for this call, recovery lookups included.
    pub attempts: u32,
    /// True when an earlier attempt's answer was lost and this is what the client found out
    /// (the verified transaction or the fetched batch) instead of sending again.
    pub recovered: bool,
    /// The transaction reference the call carried (given or generated).
    pub reference: Option<String>,
    /// The item references of a bulk initiation (given or generated), in order.
    pub item_references: Arc<ItemReferences>,
}

/// A Paystack client: thread-safe, cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Client {
    pub(super) transport: Transport,
    pub(super) config: ClientConfig,
    pub(super) limiter: Option<Limiter>,
    pub(super) observer: Option<Arc<dyn Observer>>,
}

/// One call's limits, shared by its attempts and its lookups.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits<'a> {
    pub(super) options: &'a CallOptions,
    pub(super) deadline: Instant,
}

/// How far a loop's sending got: requests sent on behalf of the call (lookups included), and
/// sends of this loop's own request (what `max_retries` counts).
#[derive(Debug, Clone, Copy)]
pub(super) struct Tries {
    pub(super) attempts: u32,
    pub(super) sends: u32,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let transport = Transport::new(&config)?;
        let limiter = match (&config.shared_rate_limit, config.rate_limit) {
            (Some(shared), _) => {
                Some(Limiter::Shared(Box::new(SharedLimiter::new(shared.clone(), config.secret_key.expose()))))
            }
            (None, Some(quota)) => Some(Limiter::Local(Arc::new(RateLimiter::new(quota)))),
            (None, None) => None,
        };
        Ok(Client { transport, config, limiter, observer: None })
    }

    /// The same client reporting its requests, retries and recoveries to `observer`.
    pub fn with_observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// A client with the same settings, rate limiter and observer but a connection pool (and a
    /// shared limiter's Redis connection) of its own: for a thread that drives its own runtime, so
    /// its sockets never change threads.
    pub fn sibling(&self) -> Result<Self, Error> {
        Ok(Client {
            transport: Transport::new(&self.config)?,
            config: self.config.clone(),
            limiter: self.limiter.as_ref().map(Limiter::sibling),
            observer: self.observer.clone(),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// The observer, when it wants events of this area and level.
    pub(super) fn wants(&self, area: Area, level: Level) -> Option<&dyn Observer> {
        self.observer.as_deref().filter(|o| o.enabled(area, level))
    }
}

pub(super) fn site(request: &PreparedRequest) -> CallSite {
    CallSite {
        endpoint: request.endpoint.qualified_name(),
        method: request.endpoint.method.as_str(),
        path: request.endpoint.path,
    }
}

/// The reference a request moving money is known by: its transaction reference, or the first
/// item reference of a batch.
pub(super) fn first_reference(request: &PreparedRequest) -> Option<&str> {
    request.reference.as_deref().or_else(|| request.item_references.first())
}
