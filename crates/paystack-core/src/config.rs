//! A client's settings: the secret key (never printed), base URL, timeouts, retries, rate limit
//! and trust roots, with the checks made once when a client is built.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use crate::error::{Error, clip};
use crate::quota::Quota;
use crate::shared_limiter::SharedRateLimit;

pub const DEFAULT_BASE_URL: &str = "https://api.paystack.co";

/// A Paystack secret key. Its `Debug` shows only the mode, so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(String);

impl SecretKey {
    /// Checks the key's shape without ever echoing it.
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        let key = key.into();
        if key.is_empty() {
            return Err(Error::Config(
                "no Paystack secret key: set paystack_rs.api_key, the PAYSTACK_SECRET_KEY environment variable, or pass secret_key=".into(),
            ));
        }
        if key.chars().any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii()) {
            return Err(Error::Config(
                "the Paystack secret key contains spaces or characters that cannot be sent in a header".into(),
            ));
        }
        Ok(SecretKey(key))
    }

    /// The key itself, for the Authorization header and webhook signatures only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `test`, `live` or `unknown`, from the key's prefix.
    pub fn mode(&self) -> &'static str {
        paystack_facts::keys::Domain::of_key(&self.0).map_or("unknown", |(domain, _)| domain.as_str())
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(<{} key redacted>)", self.mode())
    }
}

/// How long each part of a call may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeouts {
    /// Establishing the TCP/TLS connection.
    pub connect: Duration,
    /// Waiting for the response headers, and between pieces of the body.
    pub read: Duration,
    /// The whole call, every retry and recovery included.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        // Paystack answers in well under a second; a charge can take a few. The total leaves room
        // for two retries with backoff without ever hanging a worker for minutes.
        Timeouts { connect: Duration::from_secs(10), read: Duration::from_secs(30), total: Duration::from_secs(60) }
    }
}

/// When and how often to send again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `max_retries + 1` attempts at most).
    pub max_retries: u32,
    /// The first backoff ceiling; doubles each retry (full jitter below it).
    pub base_delay: Duration,
    /// The largest backoff ceiling.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 2, base_delay: Duration::from_millis(500), max_delay: Duration::from_secs(8) }
    }
}

/// A client's rate limit (Python's `rate_limit=`): a quota this process keeps to on its own, or
/// one shared through Redis with every process of the integration.
#[derive(Debug, Clone)]
pub enum RateLimit {
    Local(Quota),
    Shared(Box<SharedRateLimit>),
}

impl RateLimit {
    /// The quota kept to.
    pub fn quota(&self) -> Quota {
        match self {
            RateLimit::Local(quota) => *quota,
            RateLimit::Shared(shared) => shared.quota,
        }
    }
}

/// Everything a client needs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub secret_key: SecretKey,
    pub base_url: String,
    pub timeouts: Timeouts,
    pub retry: RetryPolicy,
    /// The quota the client keeps to, and where its count is kept (none: no client-side limit).
    pub rate_limit: Option<RateLimit>,
    /// Extra trust roots (PEM), e.g. a corporate proxy's CA.
    pub ca_bundle_pem: Option<Vec<u8>>,
    pub user_agent: String,
    pub max_body_bytes: usize,
}

impl ClientConfig {
    pub fn new(secret_key: SecretKey) -> Self {
        ClientConfig {
            secret_key,
            base_url: DEFAULT_BASE_URL.into(),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            rate_limit: None,
            ca_bundle_pem: None,
            user_agent: concat!("paystack-rs/", env!("CARGO_PKG_VERSION")).into(),
            max_body_bytes: crate::envelope::DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// Checks a base URL: `https://`, or `http://` only to a loopback host (the sandbox), since a
/// secret key must never cross a network in clear text. Returns it without a trailing slash.
///
/// Checked before it is parsed: a URL parser drops tabs and newlines and trims spaces, so
/// `"https://api.paystack.co\n/evil"` would otherwise become a different, valid URL.
pub fn check_base_url(base_url: &str) -> Result<String, Error> {
    let shown = || clip(&format!("{base_url:?}"), 60).into_owned();
    if base_url.trim().is_empty() {
        return Err(Error::Config(
            "base_url is empty: leave it unset for https://api.paystack.co, or give the sandbox's URL".into(),
        ));
    }
    if base_url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::Config(format!("base_url {} must not contain spaces or control characters", shown())));
    }
    let url = reqwest::Url::parse(base_url)
        .map_err(|e| Error::Config(format!("base_url {} is not a valid URL: {e}", shown())))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!("base_url {} must not have a query or fragment", shown())));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config("base_url must not contain credentials".into()));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config(format!(
                "base_url {} uses plain http to a host that is not loopback; the secret key would travel unencrypted (use https://)",
                shown()
            )));
        }
        other => {
            return Err(Error::Config(format!(
                "base_url scheme {} is not supported (use https://)",
                clip(&format!("{other:?}"), 20)
            )));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The longest timeout accepted, in seconds (a day): anything longer is a mistake, not a wait.
pub const MAX_TIMEOUT_SECONDS: f64 = 86_400.0;
/// The most retries accepted per call (the overall deadline bounds them anyway).
pub const MAX_RETRIES: u32 = 100;

/// A number as an error message shows it: `5`, `0.25`, `1e300`, `nan`, never 300 digits.
pub fn short_number(v: f64) -> String {
    if v.is_finite() && v != 0.0 && !(1e-4..1e9).contains(&v.abs()) { format!("{v:e}") } else { format!("{v}") }
}

/// A timeout setting in seconds: positive, finite, at most a day. The error says what is wrong
/// (the caller names the parameter).
pub fn timeout_seconds(seconds: f64) -> Result<Duration, String> {
    if !seconds.is_finite() || seconds <= 0.0 {
        return Err(format!("must be a positive number of seconds, not {}", short_number(seconds)));
    }
    if seconds > MAX_TIMEOUT_SECONDS {
        return Err(format!("must be at most {MAX_TIMEOUT_SECONDS} seconds (a day), not {}", short_number(seconds)));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// A retry count: 0 to `MAX_RETRIES`.
pub fn retry_count(count: i128) -> Result<u32, String> {
    match u32::try_from(count) {
        Ok(n) if n <= MAX_RETRIES => Ok(n),
        _ if count < 0 => Err(format!("must be 0 or more, not {count}")),
        _ => Err(format!("must be at most {MAX_RETRIES}, not {}", clip(&count.to_string(), 24))),
    }
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_key_is_never_printed() {
        let key = SecretKey::new("sk_test_supersecret123").unwrap_or_else(|e| panic!("{e}"));
        let shown = format!("{key:?}");
        assert!(!shown.contains("supersecret"), "{shown}");
        assert!(shown.contains("test"));
        let config = ClientConfig::new(key);
        assert!(!format!("{config:?}").contains("supersecret"));
    }

    #[test]
    fn secret_key_shape() {
        assert!(SecretKey::new("").is_err());
        assert!(SecretKey::new("sk_test_a b").is_err());
        assert!(SecretKey::new("sk_test_a\n").is_err());
        assert!(SecretKey::new("sk_live_abc").is_ok());
    }

    #[test]
    fn base_urls() {
        assert_eq!(check_base_url("https://api.paystack.co/").ok().as_deref(), Some("https://api.paystack.co"));
        assert!(check_base_url("http://127.0.0.1:8080").is_ok());
        assert!(check_base_url("http://[::1]:8080").is_ok());
        assert!(check_base_url("http://localhost:1").is_ok());
        assert!(check_base_url("http://api.paystack.co").is_err());
        assert!(check_base_url("http://10.0.0.1").is_err());
        assert!(check_base_url("ftp://127.0.0.1").is_err());
        assert!(check_base_url("https://user:pw@api.paystack.co").is_err());
        assert!(check_base_url("not a url").is_err());
        for bad in [
            "",
            "   ",
            "\t",
            "https://api.paystack.co\n/x",
            "https://api.paystack.co/\u{7f}",
            " https://api.paystack.co",
        ] {
            let Err(Error::Config(message)) = check_base_url(bad) else { panic!("{bad:?} accepted") };
            assert!(message.starts_with("base_url"), "{message}");
        }
        assert!(check_base_url("https://api.paystack.co/?x=1").is_err());
        assert!(check_base_url("https://api.paystack.co/#x").is_err());
        let Err(Error::Config(message)) = check_base_url(&format!("http://{}", "a".repeat(5000))) else {
            panic!("accepted")
        };
        assert!(message.len() < 300, "{message}");
    }

    #[test]
    fn timeouts_and_retries_are_checked_by_name() {
        assert_eq!(timeout_seconds(2.5), Ok(Duration::from_millis(2500)));
        assert_eq!(timeout_seconds(0.0), Err("must be a positive number of seconds, not 0".into()));
        assert_eq!(timeout_seconds(-1.0), Err("must be a positive number of seconds, not -1".into()));
        assert_eq!(timeout_seconds(f64::NAN), Err("must be a positive number of seconds, not NaN".into()));
        assert_eq!(timeout_seconds(f64::INFINITY), Err("must be a positive number of seconds, not inf".into()));
        assert_eq!(timeout_seconds(1e300), Err("must be at most 86400 seconds (a day), not 1e300".into()));
        assert_eq!(retry_count(3), Ok(3));
        assert_eq!(retry_count(0), Ok(0));
        assert_eq!(retry_count(-1), Err("must be 0 or more, not -1".into()));
        assert_eq!(retry_count(10_i128.pow(20)), Err("must be at most 100, not 100000000000000000000".into()));
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(1e-9), "1e-9");
    }
}
