//! How a sandbox is started: the address, the default key, the engine's pace, webhooks, faults.

use std::fmt;

use paystack_facts::keys::Domain;
use serde::{Deserialize, Serialize};

use crate::faults::FaultConfig;

/// The secret key a sandbox reports when none is configured. Unless `keys` is set, any other
/// well-formed `sk_test_…` / `sk_live_…` key works too; each key is its own integration.
pub const DEFAULT_SECRET_KEY: &str = "sk_test_paystack_rs_sandbox_0000000000000000";

/// Configuration of a sandbox. Every field has a default; [`SandboxConfig::from_json`] takes a
/// JSON object with any subset of these snake_case names.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SandboxConfig {
    /// Address to bind (default `127.0.0.1`).
    pub host: String,
    /// Port to bind; 0 picks a free one (default 0).
    pub port: u16,
    /// The key reported by [`crate::SandboxServer::secret_key`] (default [`DEFAULT_SECRET_KEY`];
    /// with `keys` given and this left at the default, the first of `keys`).
    pub secret_key: String,
    /// The only keys the sandbox accepts; every other key is a 401 `Invalid key`, as Paystack
    /// answers an unknown or revoked key. Empty (the default): any well-formed key is accepted,
    /// each as an integration of its own (a departure from Paystack, for parallel tests).
    pub keys: Vec<String>,
    /// Time between two charges of a bulk-charge batch, in milliseconds (default 50; 0 = as fast as possible).
    pub process_interval_ms: u64,
    /// Where `charge.success` webhooks go (default none). Applies to every integration at creation.
    pub webhook_url: Option<String>,
    /// Delay between two delivery attempts of one webhook (default 200 ms).
    pub webhook_retry_interval_ms: u64,
    /// Delivery attempts per webhook, the first included (default 5).
    pub webhook_max_attempts: u32,
    /// Timeout of one delivery attempt (default 2000 ms).
    pub webhook_timeout_ms: u64,
    /// How long a checkout page (`authorization_url`) stays open after initialize, in milliseconds;
    /// 0 = no limit (default 0; Paystack's integration setting `payment_session_timeout`, in seconds there).
    pub payment_session_timeout_ms: u64,
    /// Faults every integration starts with (default none).
    pub faults: FaultConfig,
    /// Seed of every generated id, code and fault decision (default 1).
    pub seed: u64,
    /// Requests kept in each integration's request log; 0 disables the log (default 10 000).
    pub request_log_limit: usize,
    /// How long an export URL stays valid, in milliseconds (default 60 000, as Paystack's S3 links).
    pub export_ttl_ms: u64,
    /// Tokio worker threads of an embedded server; 0 = one per CPU (default 0).
    pub worker_threads: usize,
    /// Where the clock starts, e.g. `2024-08-01T09:00:00Z` (an ISO 8601 date or date-time, or
    /// Unix seconds or milliseconds); from there it runs at the speed of real time and a test
    /// moves it forward (docs/sandbox.md, "The clock"). Default none: the clock reads real time.
    pub start: Option<String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 0,
            secret_key: DEFAULT_SECRET_KEY.into(),
            keys: Vec::new(),
            process_interval_ms: 50,
            webhook_url: None,
            webhook_retry_interval_ms: 200,
            webhook_max_attempts: 5,
            webhook_timeout_ms: 2000,
            payment_session_timeout_ms: 0,
            faults: FaultConfig::default(),
            seed: 1,
            request_log_limit: 10_000,
            export_ttl_ms: 60_000,
            worker_threads: 0,
            start: None,
        }
    }
}

// The secret key never appears in a Debug string (it ends up in logs and panic messages).
impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("secret_key", &"[redacted]")
            .field("keys", &format_args!("[{} redacted]", self.keys.len()))
            .field("process_interval_ms", &self.process_interval_ms)
            .field("webhook_url", &self.webhook_url)
            .field("webhook_retry_interval_ms", &self.webhook_retry_interval_ms)
            .field("webhook_max_attempts", &self.webhook_max_attempts)
            .field("webhook_timeout_ms", &self.webhook_timeout_ms)
            .field("payment_session_timeout_ms", &self.payment_session_timeout_ms)
            .field("faults", &self.faults)
            .field("seed", &self.seed)
            .field("request_log_limit", &self.request_log_limit)
            .field("export_ttl_ms", &self.export_ttl_ms)
            .field("worker_threads", &self.worker_threads)
            .field("start", &self.start)
            .finish()
    }
}

impl SandboxConfig {
    /// Parses a JSON object of optional snake_case fields (unknown fields are errors) and validates it.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let config: Self = serde_json::from_str(json).map_err(|e| format!("invalid sandbox config: {e}"))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks what serde cannot: the key's form, the webhook URL's scheme, the fault rules.
    pub fn validate(&self) -> Result<(), String> {
        if domain_of(&self.secret_key).is_none() {
            return Err("secret_key must look like sk_test_<letters, digits, _> or sk_live_<...>".into());
        }
        if let Some(i) = self.keys.iter().position(|k| domain_of(k).is_none()) {
            return Err(format!("keys[{i}] must look like sk_test_<letters, digits, _> or sk_live_<...>"));
        }
        if !self.keys.is_empty() && self.secret_key != DEFAULT_SECRET_KEY && !self.keys.contains(&self.secret_key) {
            return Err("secret_key must be one of keys (or be left out: the first of keys is then reported)".into());
        }
        if let Some(url) = &self.webhook_url {
            validate_webhook_url(url)?;
        }
        if self.webhook_max_attempts == 0 {
            return Err("webhook_max_attempts must be at least 1".into());
        }
        if let Some(start) = &self.start {
            if crate::clock::parse_timestamp(start, crate::clock::Bound::Start).is_none() {
                return Err(format!(
                    "start must be an ISO 8601 date or date-time such as 2024-08-01T09:00:00Z, got {start:?}"
                ));
            }
        }
        for (i, rule) in self.faults.rules.iter().enumerate() {
            rule.validate().map_err(|e| format!("faults.rules[{i}]: {e}"))?;
        }
        Ok(())
    }
}

/// The domain of a well-formed secret key: `sk_test_` or `sk_live_` then `[A-Za-z0-9_]+`.
pub(crate) fn domain_of(key: &str) -> Option<Domain> {
    let (domain, rest) = Domain::of_key(key)?;
    let well_formed = !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    well_formed.then_some(domain)
}

impl SandboxConfig {
    /// The clock's start instant in Unix milliseconds, when `start` is set (and valid).
    pub(crate) fn start_ms(&self) -> Option<i64> {
        self.start.as_deref().and_then(|s| crate::clock::parse_timestamp(s, crate::clock::Bound::Start))
    }

    /// The key the sandbox reports: `secret_key`, or the first of `keys` when `secret_key` was
    /// left at the default and is not one of them.
    pub fn effective_secret_key(&self) -> &str {
        match self.keys.first() {
            Some(first) if !self.keys.contains(&self.secret_key) => first,
            _ => &self.secret_key,
        }
    }

    /// Whether requests with `key` are answered (`keys` empty: every well-formed key).
    pub fn accepts_key(&self, key: &str) -> bool {
        self.keys.is_empty() || self.keys.iter().any(|k| k == key)
    }
}

pub(crate) fn validate_webhook_url(url: &str) -> Result<(), String> {
    if (url.starts_with("http://") || url.starts_with("https://")) && !url.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(format!("webhook_url must be an http:// or https:// URL, got {url:?}"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn json_fields_are_optional() {
        let config = SandboxConfig::from_json("{}").unwrap();
        assert_eq!(config, SandboxConfig::default());
        let config = SandboxConfig::from_json(
            r#"{"port": 0, "process_interval_ms": 5, "webhook_url": "http://127.0.0.1:9/hook",
                "faults": [{"kind": "rate_limit", "preset": "paystack-test"}], "seed": 3}"#,
        )
        .unwrap();
        assert_eq!(config.process_interval_ms, 5);
        assert_eq!(config.faults.rules.len(), 1);
        assert_eq!(config.seed, 3);
    }

    #[test]
    fn rejects_bad_values() {
        for bad in [
            r#"{"colour": 1}"#,
            r#"{"secret_key": "pk_test_abc"}"#,
            r#"{"secret_key": "sk_test_"}"#,
            r#"{"webhook_url": "ftp://x"}"#,
            r#"{"faults": [{"kind": "latency"}]}"#,
            r#"{"webhook_max_attempts": 0}"#,
            r#"{"keys": ["sk_test_a", "pk_test_b"]}"#,
            r#"{"keys": ["sk_test_a"], "secret_key": "sk_test_b"}"#,
            r#"{"start": "yesterday"}"#,
            r#"{"start": "2024-02-30T00:00:00Z"}"#,
        ] {
            assert!(SandboxConfig::from_json(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn key_forms() {
        assert_eq!(domain_of("sk_test_abc_123"), Some(Domain::Test));
        assert_eq!(domain_of("sk_live_X"), Some(Domain::Live));
        for bad in ["sk_test_", "pk_test_abc", "sk_prod_abc", "sk_test_a-b", "sk_test_a b", ""] {
            assert_eq!(domain_of(bad), None, "{bad}");
        }
    }

    #[test]
    fn debug_hides_the_keys() {
        let text = format!("{:?}", SandboxConfig::default());
        assert!(!text.contains(DEFAULT_SECRET_KEY));
        let config = SandboxConfig::from_json(r#"{"keys": ["sk_test_only1", "sk_live_only2"]}"#).unwrap();
        let text = format!("{config:?}");
        assert!(!text.contains("only1") && !text.contains("only2") && text.contains("[2 redacted]"), "{text}");
    }

    #[test]
    fn keys_decide_the_reported_and_accepted_keys() {
        let open = SandboxConfig::default();
        assert!(open.accepts_key("sk_test_anything"));
        assert_eq!(open.effective_secret_key(), DEFAULT_SECRET_KEY);
        let closed = SandboxConfig::from_json(r#"{"keys": ["sk_test_one", "sk_test_two"]}"#).unwrap();
        assert_eq!(closed.effective_secret_key(), "sk_test_one");
        assert!(closed.accepts_key("sk_test_two") && !closed.accepts_key("sk_test_three"));
        assert!(!closed.accepts_key(DEFAULT_SECRET_KEY));
        let chosen =
            SandboxConfig::from_json(r#"{"keys": ["sk_test_one", "sk_test_two"], "secret_key": "sk_test_two"}"#)
                .unwrap();
        assert_eq!(chosen.effective_secret_key(), "sk_test_two");
    }
}
