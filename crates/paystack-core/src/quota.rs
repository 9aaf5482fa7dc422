//! The rate-limit vocabulary (docs/architecture.md, "Rate limits"): a **quota** is how many
//! requests a window allows; a **rate limit** is a setting, the quota a client keeps to and where
//! its count is kept (`config::RateLimit`: this process's own, or a `SharedRateLimit` in Redis,
//! which Python names `RedisRateLimit`); a **limiter** enforces one (`LocalLimiter`,
//! `SharedLimiter`, either as a client's `Limiter`).

use std::time::Duration;

use paystack_facts::quotas;

/// A quota: `limit` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub limit: u32,
    pub window: Duration,
}

impl Quota {
    /// Paystack's test-mode quota (docs/paystack-api.md §2.5).
    pub const PAYSTACK_TEST: Quota = Quota::of(quotas::TEST);
    /// Paystack's standard live quota (docs/paystack-api.md §2.5).
    pub const PAYSTACK_LIVE: Quota = Quota::of(quotas::LIVE);

    const fn of(quota: quotas::Quota) -> Quota {
        Quota { limit: quota.limit, window: Duration::from_millis(quota.window_ms) }
    }

    /// A preset by name: `paystack-test` (or `test`) or `paystack-live` (or `live`).
    pub fn preset(name: &str) -> Option<Quota> {
        quotas::preset(name).map(Quota::of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets() {
        assert_eq!(Quota::preset("paystack-test"), Some(Quota::PAYSTACK_TEST));
        assert_eq!(Quota::preset("paystack-live").map(|r| r.limit), Some(600));
        assert_eq!(Quota::PAYSTACK_TEST, Quota { limit: 100, window: Duration::from_secs(60) });
        assert_eq!(Quota::preset("fast"), None);
    }
}
