//! Paystack's request quotas and the headers that report them (docs/paystack-api.md §2.5).

/// A quota: at most `limit` requests per `window_ms`, per integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quota {
    pub limit: u32,
    pub window_ms: u64,
}

/// Test mode: 100 requests per 60 s, for every endpoint.
pub const TEST: Quota = Quota { limit: 100, window_ms: 60_000 };
/// Live mode, standard: 600 requests per 60 s.
pub const LIVE: Quota = Quota { limit: 600, window_ms: 60_000 };

/// The name of the test-mode preset (rate-limit fault rules, client quotas).
pub const TEST_PRESET: &str = "paystack-test";
/// The name of the live-mode preset.
pub const LIVE_PRESET: &str = "paystack-live";

/// A quota by preset name: `paystack-test` (or `test`) and `paystack-live` (or `live`).
pub fn preset(name: &str) -> Option<Quota> {
    match name {
        TEST_PRESET | "test" => Some(TEST),
        LIVE_PRESET | "live" => Some(LIVE),
        _ => None,
    }
}

/// The quota of the current window.
pub const LIMIT_HEADER: &str = "x-ratelimit-limit";
/// Requests left in the current window.
pub const REMAINING_HEADER: &str = "x-ratelimit-remaining";
/// Seconds until the window ends (when a 429 may be retried).
pub const RESET_HEADER: &str = "x-ratelimit-reset";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets() {
        assert_eq!(preset(TEST_PRESET), Some(TEST));
        assert_eq!(preset("live").map(|q| q.limit), Some(600));
        assert_eq!(preset("fast"), None);
    }
}
