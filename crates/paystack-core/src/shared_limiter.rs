//! A rate limiter shared by every process and machine that uses the same Redis and the same
//! Paystack integration. Paystack counts requests per integration (docs/paystack-api.md §2.5), so
//! sixteen workers that each keep under the quota send sixteen times it.
//!
//! Each attempt asks Redis once (EVALSHA of [`TAKE`]; SCRIPT LOAD the first time only): the
//! script keeps a sliding log of send times (a sorted set stamped with Redis's own clock, so
//! machines whose clocks disagree still share one window) and a "paused until" that a 429 sets,
//! and either takes a slot or answers how long to wait. Keys are `paystack-rs:{<ns>}:log` and
//! `paystack-rs:{<ns>}:pause`, `<ns>` a SHA-256 of the secret key (never the key) unless a
//! namespace is given; the braces keep both keys in one Redis Cluster slot.
//!
//! When Redis cannot be reached, calls go on under the process's own limiter (or fail, if so
//! configured) and the caller's observer hears of it once per outage; the limiter reconnects in
//! the background, never making a call wait for it, and the shared count resumes.
//!
//! A connection is driven by the runtime of the calls that use it: each client has its own (a
//! sibling client, which a thread drives on its own runtime, gets its own), so a check costs one
//! round trip with no hand-off to another thread, as the HTTP request does. What the limiter
//! knows besides (the local fallback count, whether the outage was told) is shared by the
//! siblings. A forked child builds its own client, and with it its own limiter and connection.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use sha2::{Digest, Sha256};
use tokio::sync::watch;

use crate::error::{Error, clip};
use crate::local_limiter::LocalLimiter;
use crate::quota::Quota;

/// Takes a slot. KEYS: the log, the pause. ARGV: limit, hold (µs), a unique member.
/// Returns 0 when a slot was taken, else the µs to wait before asking again.
const TAKE_LUA: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local hold = tonumber(ARGV[2])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then
  return math.floor(paused - now) + 1
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - hold))
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], string.format('%.0f', now), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(hold / 1000) + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, math.floor(tonumber(oldest[2]) + hold - now))
";

/// Pauses every caller. KEYS: the pause. ARGV: µs from now. A shorter pause never shortens a
/// longer one.
const PAUSE_LUA: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local wait = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if now + wait > current then
  redis.call('SET', KEYS[1], string.format('%.0f', now + wait), 'PX', math.ceil(wait / 1000) + 1000)
end
return 0
";

static TAKE: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(TAKE_LUA));
static PAUSE: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(PAUSE_LUA));

/// How long after a failure the limiter tries Redis again (in the background).
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// What a call does while the shared limiter's Redis cannot be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFailure {
    /// Go on under the process's own limiter, with the same quota (fail open).
    Local,
    /// Fail the call with a connection error; nothing is sent.
    Raise,
}

/// The settings of a shared limiter: where its Redis is, the quota, and whose quota it is.
#[derive(Clone)]
pub struct SharedRateLimit {
    client: redis::Client,
    shown: String,
    pub quota: Quota,
    /// The quota each process keeps to on its own while Redis cannot be reached (default: the
    /// whole quota; with N processes, a share such as quota/N keeps them under it together).
    pub fallback_quota: Option<Quota>,
    /// The name the quota is kept under (default: a hash of the secret key).
    pub namespace: Option<String>,
    pub on_failure: OnFailure,
    /// How long connecting or one check may take before Redis counts as unreachable.
    pub timeout: Duration,
}

impl fmt::Debug for SharedRateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedRateLimit")
            .field("store", &self.shown)
            .field("quota", &self.quota)
            .field("fallback_quota", &self.fallback_quota)
            .field("namespace", &self.namespace)
            .field("on_failure", &self.on_failure)
            .finish()
    }
}

impl SharedRateLimit {
    /// `url`: `redis://[user:password@]host[:port][/db]`, `rediss://…` (TLS, the server's
    /// certificate checked against the system's roots; see [`Self::trust_only`]) or
    /// `unix:///path`. An error never repeats the URL, which may hold a password.
    pub fn new(url: &str, quota: Quota) -> Result<Self, Error> {
        let scheme = url.split_once("://").map_or("", |(s, _)| s);
        if !matches!(scheme, "redis" | "rediss" | "unix" | "redis+unix") {
            return Err(Error::Config(format!(
                "the Redis URL of rate_limit must start with redis://, rediss:// or unix://, not {}",
                clip(&format!("{:?}", format!("{scheme}://")), 30)
            )));
        }
        let client = redis::Client::open(url).map_err(|_| {
            Error::Config("the Redis URL of rate_limit is not valid (redis://[user:password@]host[:port][/db])".into())
        })?;
        let info = client.get_connection_info();
        if let redis::ConnectionAddr::TcpTls { insecure: true, .. } = info.addr() {
            // A Redis whose certificate is not checked can be impersonated to lift the quota.
            return Err(Error::Config(
                "the Redis URL of rate_limit asks not to check the server's certificate (#insecure): \
                 give ca_bundle= the CA that signed it instead"
                    .into(),
            ));
        }
        let shown = format!("{scheme}://{}/{}", info.addr(), info.redis_settings().db());
        Ok(SharedRateLimit {
            client,
            shown,
            quota,
            fallback_quota: None,
            namespace: None,
            on_failure: OnFailure::Local,
            timeout: Duration::from_secs(1),
        })
    }

    /// Trusts the certificates of `pem` (a PEM CA bundle), and only them, for a `rediss://`
    /// Redis: a private CA or a self-signed server.
    pub fn trust_only(&mut self, pem: &[u8]) -> Result<(), Error> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        if !matches!(self.client.get_connection_info().addr(), redis::ConnectionAddr::TcpTls { .. }) {
            return Err(Error::Config("ca_bundle of rate_limit needs a rediss:// (TLS) Redis URL".into()));
        }
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::Config(format!("the ca_bundle of rate_limit is not valid PEM: {e}")))?;
        if certs.is_empty() {
            return Err(Error::Config("the ca_bundle of rate_limit holds no certificates".into()));
        }
        let certificates = redis::TlsCertificates { client_tls: None, root_cert: Some(pem.to_vec()) };
        self.client = redis::Client::build_with_tls(self.client.get_connection_info().clone(), certificates)
            .map_err(|e| Error::Config(format!("the ca_bundle of rate_limit cannot be used: {}", describe(&e))))?;
        Ok(())
    }

    /// Where the Redis is, without credentials: `redis://127.0.0.1:6379/0`.
    pub fn store(&self) -> &str {
        &self.shown
    }

    /// Checks a namespace given instead of the key's hash.
    pub fn check_namespace(namespace: &str) -> Result<(), String> {
        if namespace.is_empty() || namespace.len() > 100 {
            return Err("must be 1 to 100 characters".into());
        }
        if namespace.chars().any(|c| c.is_whitespace() || c.is_control() || c == '{' || c == '}') {
            return Err("must not contain spaces, control characters or braces".into());
        }
        Ok(())
    }

    /// The namespace this integration's quota is kept under: the one given, or the first 128
    /// bits of a SHA-256 of the secret key, in hex.
    pub fn namespace_for(&self, secret_key: &str) -> String {
        if let Some(namespace) = &self.namespace {
            return namespace.clone();
        }
        let digest = Sha256::new().chain_update(b"paystack-rs quota\0").chain_update(secret_key).finalize();
        hex::encode(&digest[..16])
    }

    /// The Redis keys: the log of sends and the pause.
    pub fn keys_for(&self, secret_key: &str) -> [String; 2] {
        let ns = self.namespace_for(secret_key);
        [format!("paystack-rs:{{{ns}}}:log"), format!("paystack-rs:{{{ns}}}:pause")]
    }
}

/// What the limiter has to tell the call's observer.
#[derive(Debug, Clone, Copy)]
pub enum Transition<'a> {
    /// Redis could not be reached (the first such call since it last was).
    Down { reason: &'a str, fallback: bool },
    /// Redis answers again: calls share its quota again.
    Back,
}

/// Why a call may not be sent.
#[derive(Debug)]
pub enum Refused {
    /// The wait for a slot would pass the call's deadline.
    Wait(Duration),
    /// Redis cannot be reached and the limiter is set to raise.
    Unreachable(String),
}

enum Link {
    Idle,
    /// Connecting; `first`: callers wait for it (later reconnects go on in the background).
    Connecting {
        done: watch::Receiver<bool>,
        first: bool,
    },
    Ready(MultiplexedConnection),
    Down {
        retry_at: Instant,
        reason: String,
    },
}

/// What the clients of one process sharing a limiter have in common.
struct Common {
    settings: SharedRateLimit,
    keys: [String; 2],
    hold_us: u64,
    local: LocalLimiter,
    /// Set once the observer has heard that Redis is unreachable; cleared when it is back.
    degraded: AtomicBool,
    member_prefix: String,
    sends: AtomicU64,
}

/// The limiter of one client: the common part and a connection of its own.
pub struct SharedLimiter {
    common: Arc<Common>,
    link: Arc<Mutex<Link>>,
}

impl fmt::Debug for SharedLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedLimiter").field("settings", &self.common.settings).finish_non_exhaustive()
    }
}

impl SharedLimiter {
    /// The limiter of the integration whose secret key is `secret_key` (only its hash is kept).
    pub fn new(settings: SharedRateLimit, secret_key: &str) -> Self {
        let hold = LocalLimiter::new(settings.quota).hold();
        let hold_us = u64::try_from(hold.as_micros()).unwrap_or(u64::MAX);
        let local = LocalLimiter::new(settings.fallback_quota.unwrap_or(settings.quota));
        let mut random = [0u8; 8];
        // A member of the log must be unique across processes: a random prefix per limiter.
        let _ = getrandom::fill(&mut random);
        let common = Common {
            keys: settings.keys_for(secret_key),
            settings,
            hold_us,
            local,
            degraded: AtomicBool::new(false),
            member_prefix: hex::encode(random),
            sends: AtomicU64::new(0),
        };
        SharedLimiter { common: Arc::new(common), link: Arc::new(Mutex::new(Link::Idle)) }
    }

    /// The same limiter with a connection of its own, for a client driven by another runtime.
    pub fn sibling(&self) -> SharedLimiter {
        SharedLimiter { common: Arc::clone(&self.common), link: Arc::new(Mutex::new(Link::Idle)) }
    }

    pub fn settings(&self) -> &SharedRateLimit {
        &self.common.settings
    }

    /// The Redis keys this limiter uses.
    pub fn keys(&self) -> &[String; 2] {
        &self.common.keys
    }

    /// Waits for a slot in the shared quota (or the local one while Redis is unreachable),
    /// unless that would pass `deadline`. `report` hears of Redis going and coming back.
    pub async fn acquire(&self, deadline: Instant, report: &(dyn Fn(Transition<'_>) + Sync)) -> Result<(), Refused> {
        // A connection that broke since its last use (Redis restarted while this client was idle)
        // is replaced at once, before anything counts as an outage.
        let mut may_reconnect = true;
        loop {
            let (answer, connected) = match self.connection().await {
                Ok(mut connection) => (self.take(&mut connection).await, true),
                Err(reason) => (Err(reason), false),
            };
            match answer {
                Err(_) if connected && may_reconnect => {
                    may_reconnect = false;
                    self.forget_connection();
                }
                Ok(wait) => {
                    if self.common.degraded.swap(false, Ordering::AcqRel) {
                        report(Transition::Back);
                    }
                    let now = Instant::now();
                    if wait.is_zero() {
                        self.common.local.record(now);
                        return Ok(());
                    }
                    if now + wait > deadline {
                        return Err(Refused::Wait(wait));
                    }
                    tokio::time::sleep(wait).await;
                }
                Err(reason) => {
                    self.mark_down(&reason);
                    let fallback = self.common.settings.on_failure == OnFailure::Local;
                    if !self.common.degraded.swap(true, Ordering::AcqRel) {
                        report(Transition::Down { reason: &reason, fallback });
                    }
                    return if fallback {
                        self.common.local.acquire(deadline).await.map_err(Refused::Wait)
                    } else {
                        Err(Refused::Unreachable(reason))
                    };
                }
            }
        }
    }

    /// Holds every caller sharing the quota for `wait` (a 429's `Retry-After`): in Redis when it
    /// answers, and in this process's own limiter in any case.
    pub async fn pause(&self, wait: Duration) {
        self.common.local.pause(Instant::now() + wait);
        let connection = match &*self.lock() {
            Link::Ready(c) => Some(c.clone()),
            _ => None,
        };
        let Some(mut connection) = connection else { return };
        let mut invocation = PAUSE.prepare_invoke();
        invocation.key(&self.common.keys[1]).arg(u64::try_from(wait.as_micros()).unwrap_or(u64::MAX));
        let sent =
            tokio::time::timeout(self.common.settings.timeout, invocation.invoke_async::<i64>(&mut connection)).await;
        if !matches!(sent, Ok(Ok(_))) {
            self.mark_down("the pause could not be stored");
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Link> {
        self.link.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One check in Redis: zero when a slot was taken, else how long to wait.
    async fn take(&self, connection: &mut MultiplexedConnection) -> Result<Duration, String> {
        let n = self.common.sends.fetch_add(1, Ordering::Relaxed);
        let member = format!("{}-{n}", self.common.member_prefix);
        let mut invocation = TAKE.prepare_invoke();
        invocation
            .key(&self.common.keys[0])
            .key(&self.common.keys[1])
            .arg(self.common.settings.quota.limit)
            .arg(self.common.hold_us)
            .arg(member);
        match tokio::time::timeout(self.common.settings.timeout, invocation.invoke_async::<i64>(connection)).await {
            Ok(Ok(us)) => Ok(Duration::from_micros(u64::try_from(us).unwrap_or(0))),
            Ok(Err(e)) => Err(describe(&e)),
            Err(_) => Err(format!("no answer within {:.2} s", self.common.settings.timeout.as_secs_f64())),
        }
    }

    /// The connection broke: the next call connects again (and waits for it).
    fn forget_connection(&self) {
        let mut link = self.lock();
        if matches!(*link, Link::Ready(_)) {
            *link = Link::Idle;
        }
    }

    /// A failed check or pause: the connection is dropped and tried again later.
    fn mark_down(&self, reason: &str) {
        let mut link = self.lock();
        if matches!(*link, Link::Ready(_)) {
            *link = Link::Down { retry_at: Instant::now() + RECONNECT_AFTER, reason: reason.to_owned() };
        }
    }

    /// The connection, or why there is none. The first connection is waited for; reconnecting
    /// happens in the background while calls go on without Redis.
    async fn connection(&self) -> Result<MultiplexedConnection, String> {
        let mut done = {
            let mut link = self.lock();
            match &*link {
                Link::Ready(connection) => return Ok(connection.clone()),
                Link::Connecting { done, first: true } => done.clone(),
                Link::Connecting { first: false, .. } => return Err("reconnecting".into()),
                Link::Down { retry_at, reason } if Instant::now() < *retry_at => return Err(reason.clone()),
                Link::Idle | Link::Down { .. } => {
                    let first = matches!(*link, Link::Idle);
                    let (tell, done) = watch::channel(false);
                    if let Err(reason) = self.connect(tell) {
                        *link = Link::Down { retry_at: Instant::now() + RECONNECT_AFTER, reason: reason.clone() };
                        return Err(reason);
                    }
                    *link = Link::Connecting { done: done.clone(), first };
                    if !first {
                        return Err("reconnecting".into());
                    }
                    done
                }
            }
        };
        let waited =
            tokio::time::timeout(self.common.settings.timeout + Duration::from_millis(100), done.changed()).await;
        match (&*self.lock(), waited) {
            (Link::Ready(connection), _) => Ok(connection.clone()),
            (Link::Down { reason, .. }, _) => Err(reason.clone()),
            _ => Err(format!("no connection within {:.2} s", self.common.settings.timeout.as_secs_f64())),
        }
    }

    /// Connects on the calling task's runtime (which then drives the connection); the outcome
    /// goes into the link, then `tell` is told.
    fn connect(&self, tell: watch::Sender<bool>) -> Result<(), String> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| "not on a tokio runtime".to_string())?;
        let client = self.common.settings.client.clone();
        let timeout = self.common.settings.timeout;
        let link = Arc::clone(&self.link);
        runtime.spawn(async move {
            let config = redis::AsyncConnectionConfig::new()
                .set_connection_timeout(Some(timeout))
                .set_response_timeout(Some(timeout));
            let outcome = client.get_multiplexed_async_connection_with_config(&config).await;
            let mut link = link.lock().unwrap_or_else(PoisonError::into_inner);
            *link = match outcome {
                Ok(connection) => Link::Ready(connection),
                Err(e) => Link::Down { retry_at: Instant::now() + RECONNECT_AFTER, reason: describe(&e) },
            };
            drop(link);
            let _ = tell.send(true);
        });
        Ok(())
    }
}

/// A Redis error in a few words (never a URL or a password: redis-rs's messages hold neither).
fn describe(error: &redis::RedisError) -> String {
    clip(&error.to_string(), 160).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk_test_shared_limit_unit";

    #[test]
    fn urls_are_checked_without_being_echoed() {
        let quota = Quota::PAYSTACK_TEST;
        let shared = SharedRateLimit::new("redis://:hunter2@127.0.0.1:6390/3", quota).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(shared.store(), "redis://127.0.0.1:6390/3");
        assert!(!format!("{shared:?}").contains("hunter2"));
        for bad in [
            "http://127.0.0.1:6379",
            "127.0.0.1:6379",
            "rediss://:hunter2@example.com/#insecure",
            "redis://:hunter2@[bad",
        ] {
            let Err(Error::Config(message)) = SharedRateLimit::new(bad, quota) else { panic!("{bad} accepted") };
            assert!(message.contains("rate_limit") && !message.contains("hunter2"), "{message}");
        }
    }

    #[test]
    fn a_ca_bundle_is_for_a_tls_redis_and_must_hold_certificates() {
        let quota = Quota::PAYSTACK_TEST;
        let mut plain = SharedRateLimit::new("redis://127.0.0.1", quota).unwrap_or_else(|e| panic!("{e}"));
        let Err(Error::Config(message)) = plain.trust_only(b"") else { panic!("a CA for plain Redis accepted") };
        assert!(message.contains("rediss://"), "{message}");
        let mut tls = SharedRateLimit::new("rediss://:hunter2@127.0.0.1:6390", quota).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(tls.store(), "rediss://127.0.0.1:6390/0");
        let Err(Error::Config(message)) = tls.trust_only(b"not a certificate") else { panic!("no PEM accepted") };
        assert!(message.contains("no certificates"), "{message}");
        let broken = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        let Err(Error::Config(message)) = tls.trust_only(broken) else { panic!("broken PEM accepted") };
        assert!(message.contains("not valid PEM") && !message.contains("hunter2"), "{message}");
    }

    #[test]
    fn keys_are_namespaced_by_a_hash_of_the_key() {
        let shared = SharedRateLimit::new("redis://127.0.0.1", Quota::PAYSTACK_TEST).unwrap_or_else(|e| panic!("{e}"));
        let keys = shared.keys_for(KEY);
        assert!(keys[0].starts_with("paystack-rs:{") && keys[0].ends_with("}:log"), "{keys:?}");
        assert!(!keys.iter().any(|k| k.contains("shared_limit_unit")), "{keys:?}");
        assert_ne!(shared.keys_for("sk_test_another"), keys);
        let named = SharedRateLimit { namespace: Some("acme".into()), ..shared };
        assert_eq!(named.keys_for(KEY)[1], "paystack-rs:{acme}:pause");
        assert!(SharedRateLimit::check_namespace("a b").is_err());
        assert!(SharedRateLimit::check_namespace("").is_err());
    }
}
