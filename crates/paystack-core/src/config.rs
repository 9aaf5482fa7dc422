//! A client's settings: the secret key (never printed), base URL, timeouts, retries, rate limit
//! and trust roots, with the checks made once when a client is built.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use crate::error::Error;
use crate::ratelimit::RateLimit;

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

/// Everything a client needs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub secret_key: SecretKey,
    pub base_url: String,
    pub timeouts: Timeouts,
    pub retry: RetryPolicy,
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
            max_body_bytes: crate::decode::DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// Checks a base URL: `https://`, or `http://` only to a loopback host (the sandbox), since a
/// secret key must never cross a network in clear text. Returns it without a trailing slash.
pub fn check_base_url(base_url: &str) -> Result<String, Error> {
    let url = reqwest::Url::parse(base_url.trim())
        .map_err(|e| Error::Config(format!("base_url {base_url:?} is not a valid URL: {e}")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!("base_url {base_url:?} must not have a query or fragment")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config("base_url must not contain credentials".into()));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config(format!(
                "base_url {base_url:?} uses plain http to a host that is not loopback; the secret key would travel unencrypted (use https://)"
            )));
        }
        other => return Err(Error::Config(format!("base_url scheme {other:?} is not supported (use https://)"))),
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
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
    }
}
