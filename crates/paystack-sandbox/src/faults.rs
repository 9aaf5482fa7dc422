//! Fault injection for reliability tests: latency, 5xx answers, 429 rate limits, dropped
//! connections and truncated bodies, each targeted by method and route.
//!
//! Decisions are deterministic: whether rule `r` fires on its `n`-th matching request is a pure
//! function of (seed, r, n), so a test that sends the same requests sees the same faults whatever
//! the timing or the traffic on other routes.

use std::time::Duration;

use paystack_facts::quotas;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::time::Instant;

use crate::ids::{mix, unit};

/// The faults of one integration: rules evaluated in order on every Paystack API request
/// (never on `/_sandbox` control routes).
///
/// JSON: `{"seed": 7, "rules": [...]}` or just the array of rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FaultConfig {
    /// Seed for fault decisions; `None` uses the sandbox's seed.
    pub seed: Option<u64>,
    pub rules: Vec<FaultRule>,
}

/// What a rule does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Sleep `ms` before handling the request (adds up across rules).
    Latency,
    /// Answer `status` (500, 502, 503, ...) without processing the request.
    Error,
    /// Count requests in a fixed window; past `limit` answer 429 "Rate limit exceeded!".
    RateLimit,
    /// Close the connection before the request is processed (nothing changes).
    DropBefore,
    /// Process the request, then close the connection without answering (state changed).
    DropAfter,
    /// Process the request, send status and headers, then cut the body mid-way.
    Truncate,
}

/// One fault rule. Unused fields for a kind are rejected by [`FaultRule::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    pub kind: FaultKind,
    /// HTTP method to match (any when absent), case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Path pattern: `*` (or absent) matches every route; otherwise a glob where `*` or `{name}`
    /// matches one path segment's text and `**` matches anything, e.g. `/transaction/verify/*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// Query parameters the request must carry, each with this value (the first one given), e.g.
    /// `{"page": "7"}`: one page of a list, whatever order the pages are asked for in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<std::collections::BTreeMap<String, String>>,
    /// Probability in `[0, 1]` that a matching request is hit (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// Let the first `after` matching requests through untouched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<u64>,
    /// Fire at most `count` times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Latency in milliseconds (`latency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<u64>,
    /// Status to answer (`error`), 400..=599, default 500.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `paystack-test` (100 per 60 s) or `paystack-live` (600 per 60 s) (`rate_limit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// Requests allowed per window (`rate_limit` without preset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Window length in milliseconds (`rate_limit` without preset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_ms: Option<u64>,
}

impl FaultConfig {
    /// Parses `{"seed": .., "rules": [..]}` or a bare array of rules, and validates every rule.
    pub fn from_value(value: Value) -> Result<Self, String> {
        let (seed, rules) = match value {
            Value::Null => (None, Value::Array(vec![])),
            Value::Array(rules) => (None, Value::Array(rules)),
            Value::Object(mut map) => {
                let seed = match map.remove("seed") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(v.as_u64().ok_or("faults.seed must be a non-negative integer")?),
                };
                let rules = map.remove("rules").unwrap_or(Value::Array(vec![]));
                if let Some(key) = map.keys().next() {
                    return Err(format!("unknown field in faults: {key} (expected seed, rules)"));
                }
                (seed, rules)
            }
            _ => return Err("faults must be an object {\"seed\":..,\"rules\":[..]} or an array of rules".into()),
        };
        let rules: Vec<FaultRule> = serde_json::from_value(rules).map_err(|e| format!("faults.rules: {e}"))?;
        for (i, rule) in rules.iter().enumerate() {
            rule.validate().map_err(|e| format!("faults.rules[{i}]: {e}"))?;
        }
        Ok(Self { seed, rules })
    }
}

impl<'de> Deserialize<'de> for FaultConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_value(Value::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl FaultRule {
    pub fn validate(&self) -> Result<(), String> {
        if let Some(rate) = self.rate {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("rate must be between 0 and 1, got {rate}"));
            }
        }
        let only = |allowed: &[&str]| -> Result<(), String> {
            let present = [
                ("ms", self.ms.is_some()),
                ("status", self.status.is_some()),
                ("preset", self.preset.is_some()),
                ("limit", self.limit.is_some()),
                ("window_ms", self.window_ms.is_some()),
            ];
            match present.iter().find(|(name, set)| *set && !allowed.contains(name)) {
                Some((name, _)) => Err(format!("{name} does not apply to a {:?} rule", self.kind)),
                None => Ok(()),
            }
        };
        match self.kind {
            FaultKind::Latency => {
                only(&["ms"])?;
                if self.ms.is_none() {
                    return Err("a latency rule needs ms".into());
                }
            }
            FaultKind::Error => {
                only(&["status"])?;
                if let Some(status) = self.status {
                    if !(400..=599).contains(&status) {
                        return Err(format!("status must be 400..=599, got {status}"));
                    }
                }
            }
            FaultKind::RateLimit => {
                only(&["preset", "limit", "window_ms"])?;
                self.quota()?;
            }
            FaultKind::DropBefore | FaultKind::DropAfter | FaultKind::Truncate => only(&[])?,
        }
        Ok(())
    }

    /// (limit, window) of a rate-limit rule.
    fn quota(&self) -> Result<(u32, u64), String> {
        match (&self.preset, self.limit, self.window_ms) {
            // Paystack's standard quotas (docs/paystack-api.md §2.5).
            (Some(name), None, None) => quotas::preset(name)
                .map(|quota| (quota.limit, quota.window_ms))
                .ok_or_else(|| format!("unknown preset {name:?} ({}, {})", quotas::TEST_PRESET, quotas::LIVE_PRESET)),
            (None, Some(limit), Some(window)) if window > 0 => Ok((limit, window)),
            _ => Err("a rate_limit rule needs either preset, or limit and window_ms > 0".into()),
        }
    }

    fn matches(&self, method: &str, path: &str, query: &mut QueryPairs<'_>) -> bool {
        let method_ok = self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method));
        method_ok
            && self.route.as_deref().is_none_or(|pattern| route_matches(pattern, path))
            && self.query.as_ref().is_none_or(|wanted| {
                let pairs = query.pairs();
                wanted
                    .iter()
                    .all(|(name, value)| pairs.iter().find(|(n, _)| n == name).is_some_and(|(_, v)| v == value))
            })
    }
}

/// A request's query, parsed on first use (only rules with `query` need it).
pub(crate) struct QueryPairs<'a> {
    raw: Option<&'a str>,
    parsed: Option<Vec<(String, String)>>,
}

impl<'a> QueryPairs<'a> {
    pub(crate) fn new(raw: Option<&'a str>) -> Self {
        QueryPairs { raw, parsed: None }
    }

    fn pairs(&mut self) -> &[(String, String)] {
        let raw = self.raw;
        self.parsed.get_or_insert_with(|| serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default())
    }
}

/// Glob over a path: `*` and `{name}` match within one segment, `**` matches across segments.
/// Trailing slashes are ignored on both sides.
pub(crate) fn route_matches(pattern: &str, path: &str) -> bool {
    if pattern == "*" || pattern == "**" {
        return true;
    }
    let trim = |s: &str| -> String {
        let t = s.trim_end_matches('/');
        if t.is_empty() { "/".into() } else { t.into() }
    };
    let mut normalized = String::new();
    let mut rest = trim(pattern);
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        normalized.push_str(&rest[..open]);
        normalized.push('*');
        rest = rest[open + close + 1..].to_string();
    }
    normalized.push_str(&rest);
    glob(normalized.as_bytes(), trim(path).as_bytes())
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') if p.get(1) == Some(&b'*') => (0..=s.len()).any(|i| glob(&p[2..], &s[i..])),
        Some(b'*') => {
            let segment_end = s.iter().position(|c| *c == b'/').unwrap_or(s.len());
            (0..=segment_end).any(|i| glob(&p[1..], &s[i..]))
        }
        Some(c) => s.first() == Some(c) && glob(&p[1..], &s[1..]),
    }
}

/// The terminal outcome a request gets, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FaultAction {
    Error(u16),
    RateLimited { limit: u32, reset_secs: u64 },
    DropBefore,
    DropAfter,
    Truncate,
}

/// `x-ratelimit-*` values for a request that went through a rate-limit rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateHeaders {
    pub limit: u32,
    pub remaining: u32,
    pub reset_secs: u64,
}

/// What the middleware does to one request.
#[derive(Debug, Default)]
pub(crate) struct Decision {
    pub latency: Duration,
    pub action: Option<FaultAction>,
    pub rate_headers: Option<RateHeaders>,
}

impl Decision {
    /// A short label for the request log, e.g. `latency:200ms,error:503`.
    pub(crate) fn label(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.latency.is_zero() {
            parts.push(format!("latency:{}ms", self.latency.as_millis()));
        }
        match &self.action {
            None => {}
            Some(FaultAction::Error(status)) => parts.push(format!("error:{status}")),
            Some(FaultAction::RateLimited { .. }) => parts.push("rate_limited".into()),
            Some(FaultAction::DropBefore) => parts.push("drop_before".into()),
            Some(FaultAction::DropAfter) => parts.push("drop_after".into()),
            Some(FaultAction::Truncate) => parts.push("truncate".into()),
        }
        (!parts.is_empty()).then(|| parts.join(","))
    }
}

#[derive(Debug, Default, Clone)]
struct RuleCounters {
    matched: u64,
    fired: u64,
    window_start: Option<Instant>,
    window_count: u32,
}

/// Live fault state of one integration: the rules and how often each has matched and fired.
#[derive(Debug)]
pub(crate) struct FaultState {
    config: FaultConfig,
    seed: u64,
    counters: Vec<RuleCounters>,
}

impl FaultState {
    pub(crate) fn new(config: FaultConfig, default_seed: u64) -> Self {
        let seed = config.seed.unwrap_or(default_seed);
        let counters = vec![RuleCounters::default(); config.rules.len()];
        Self { config, seed, counters }
    }

    pub(crate) fn config(&self) -> &FaultConfig {
        &self.config
    }

    /// Per-rule counters for the control API.
    pub(crate) fn stats(&self) -> Vec<(u64, u64)> {
        self.counters.iter().map(|c| (c.matched, c.fired)).collect()
    }

    /// Rules are evaluated in order: latency rules add up; the first other rule that fires decides
    /// the outcome and the rules after it are not evaluated (their counters do not move).
    #[cfg(test)]
    pub(crate) fn decide(&mut self, method: &str, path: &str, now: Instant) -> Decision {
        self.decide_request(method, path, None, now)
    }

    /// `decide` for a request with its query string (rules with `query` look at it).
    pub(crate) fn decide_request(&mut self, method: &str, path: &str, query: Option<&str>, now: Instant) -> Decision {
        let mut decision = Decision::default();
        let mut query = QueryPairs::new(query);
        for (index, rule) in self.config.rules.iter().enumerate() {
            if !rule.matches(method, path, &mut query) {
                continue;
            }
            let counters = &mut self.counters[index];
            counters.matched += 1;
            if rule.kind == FaultKind::RateLimit {
                let Ok((limit, window_ms)) = rule.quota() else { continue };
                let window = Duration::from_millis(window_ms);
                let start = match counters.window_start {
                    Some(start) if now.duration_since(start) < window => start,
                    _ => {
                        counters.window_count = 0;
                        counters.window_start = Some(now);
                        now
                    }
                };
                counters.window_count = counters.window_count.saturating_add(1);
                let left = window.saturating_sub(now.duration_since(start));
                let reset_secs = left.as_millis().div_ceil(1000).max(1) as u64;
                let headers = RateHeaders { limit, remaining: limit.saturating_sub(counters.window_count), reset_secs };
                decision.rate_headers.get_or_insert(headers);
                if counters.window_count > limit {
                    counters.fired += 1;
                    decision.action = Some(FaultAction::RateLimited { limit, reset_secs });
                    return decision;
                }
                continue;
            }
            let n = counters.matched;
            if n <= rule.after.unwrap_or(0) || rule.count.is_some_and(|max| counters.fired >= max) {
                continue;
            }
            let rate = rule.rate.unwrap_or(1.0);
            if unit(mix(mix(self.seed, index as u64), n)) >= rate {
                continue;
            }
            counters.fired += 1;
            let action = match rule.kind {
                FaultKind::Latency => {
                    decision.latency += Duration::from_millis(rule.ms.unwrap_or(0));
                    continue;
                }
                FaultKind::Error => FaultAction::Error(rule.status.unwrap_or(500)),
                FaultKind::DropBefore => FaultAction::DropBefore,
                FaultKind::DropAfter => FaultAction::DropAfter,
                FaultKind::Truncate => FaultAction::Truncate,
                FaultKind::RateLimit => continue,
            };
            decision.action = Some(action);
            return decision;
        }
        decision
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(v: Value) -> FaultConfig {
        FaultConfig::from_value(v).unwrap()
    }

    #[test]
    fn routes_glob() {
        assert!(route_matches("*", "/transaction/verify/abc"));
        assert!(route_matches("/transaction/verify/*", "/transaction/verify/abc"));
        assert!(route_matches("/transaction/verify/{reference}", "/transaction/verify/abc"));
        assert!(!route_matches("/transaction/verify/*", "/transaction/verify/abc/def"));
        assert!(route_matches("/bulkcharge/**", "/bulkcharge/BCH_x/charges"));
        assert!(route_matches("/bulkcharge/*/charges", "/bulkcharge/BCH_x/charges"));
        assert!(route_matches("/transaction/", "/transaction"));
        assert!(!route_matches("/transaction", "/transaction/initialize"));
    }

    #[test]
    fn rejects_bad_rules() {
        for bad in [
            json!([{"kind": "latency"}]),
            json!([{"kind": "error", "status": 200}]),
            json!([{"kind": "error", "rate": 1.5}]),
            json!([{"kind": "rate_limit"}]),
            json!([{"kind": "rate_limit", "preset": "nope"}]),
            json!([{"kind": "drop_before", "ms": 3}]),
            json!([{"kind": "explode"}]),
            json!({"rules": [], "colour": 1}),
        ] {
            assert!(FaultConfig::from_value(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn targets_method_and_route_and_counts() {
        let mut state = FaultState::new(
            config(json!({"rules": [
                {"kind": "drop_after", "method": "POST", "route": "/transaction/charge_authorization", "count": 1}
            ]})),
            1,
        );
        let now = Instant::now();
        assert_eq!(state.decide("GET", "/transaction/charge_authorization", now).action, None);
        assert_eq!(state.decide("POST", "/transaction/initialize", now).action, None);
        assert_eq!(state.decide("POST", "/transaction/charge_authorization", now).action, Some(FaultAction::DropAfter));
        assert_eq!(state.decide("POST", "/transaction/charge_authorization", now).action, None);
    }

    #[test]
    fn targets_query_parameters() {
        let mut state = FaultState::new(
            config(
                json!([{"kind": "error", "status": 500, "route": "/transaction", "query": {"page": "7", "perPage": "3"}}]),
            ),
            1,
        );
        let now = Instant::now();
        let decide = |state: &mut FaultState, query: Option<&str>| {
            state.decide_request("GET", "/transaction", query, now).action
        };
        assert_eq!(decide(&mut state, Some("page=6&perPage=3")), None);
        assert_eq!(decide(&mut state, Some("perPage=3")), None);
        assert_eq!(decide(&mut state, None), None);
        assert_eq!(decide(&mut state, Some("perPage=3&status=success&page=7")), Some(FaultAction::Error(500)));
        // The first value of a repeated name is the one read.
        assert_eq!(decide(&mut state, Some("page=8&page=7&perPage=3")), None);
    }

    #[test]
    fn rate_is_deterministic_per_seed() {
        let rules = json!({"seed": 9, "rules": [{"kind": "error", "status": 503, "rate": 0.3}]});
        let run = || {
            let mut state = FaultState::new(config(rules.clone()), 0);
            (0..200).map(|_| state.decide("GET", "/transaction", Instant::now()).action.is_some()).collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let hits = first.iter().filter(|h| **h).count();
        assert!((30..90).contains(&hits), "{hits}");
    }

    #[test]
    fn latency_adds_and_first_terminal_wins() {
        let mut state = FaultState::new(
            config(json!([
                {"kind": "latency", "ms": 5},
                {"kind": "latency", "ms": 7, "method": "GET"},
                {"kind": "error", "status": 502, "after": 1},
                {"kind": "truncate"}
            ])),
            0,
        );
        let first = state.decide("GET", "/x", Instant::now());
        assert_eq!(first.latency, Duration::from_millis(12));
        assert_eq!(first.action, Some(FaultAction::Truncate));
        assert_eq!(first.label().as_deref(), Some("latency:12ms,truncate"));
        let second = state.decide("POST", "/x", Instant::now());
        assert_eq!(second.latency, Duration::from_millis(5));
        assert_eq!(second.action, Some(FaultAction::Error(502)));
        // The truncate rule was not evaluated on the second request.
        assert_eq!(state.stats()[3], (1, 1));
    }

    #[test]
    fn rate_limit_window() {
        let mut state = FaultState::new(config(json!([{"kind": "rate_limit", "limit": 2, "window_ms": 1000}])), 0);
        let t0 = Instant::now();
        let a = state.decide("GET", "/x", t0);
        assert_eq!(a.rate_headers.map(|h| h.remaining), Some(1));
        assert!(state.decide("GET", "/x", t0).action.is_none());
        assert_eq!(state.decide("GET", "/x", t0).action, Some(FaultAction::RateLimited { limit: 2, reset_secs: 1 }));
        let later = t0 + Duration::from_millis(1001);
        assert!(state.decide("GET", "/x", later).action.is_none());
        let preset = config(json!([{"kind": "rate_limit", "preset": "paystack-test"}]));
        assert_eq!(preset.rules[0].quota(), Ok((100, 60_000)));
    }
}
