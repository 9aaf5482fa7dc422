//! How long to wait before the next attempt: exponential backoff with full jitter, never less
//! than what the server asked for.

use std::time::Duration;

use rand::Rng;

use crate::config::RetryPolicy;

/// The ceiling for retry number `retry` (1 for the first retry): `base * 2^(retry-1)`, capped.
pub fn ceiling(policy: &RetryPolicy, retry: u32) -> Duration {
    let factor = 2u32.saturating_pow(retry.saturating_sub(1).min(20));
    policy.base_delay.saturating_mul(factor).min(policy.max_delay)
}

/// A random delay in `[0, ceiling]` ("full jitter", so many clients retrying at once spread
/// out). When the server said how long to wait (`Retry-After` / `x-ratelimit-reset`), that long
/// plus a jitter of at most one base delay: the growing ceiling would only add waiting the server
/// did not ask for (under a quota, lookups that retried a few times waited seconds past the
/// reset), while the jitter keeps the clients refused together from all returning at once.
pub fn delay(policy: &RetryPolicy, retry: u32, server_hint: Option<Duration>) -> Duration {
    let jitter = |ceiling: Duration| {
        if ceiling.is_zero() { Duration::ZERO } else { rand::rng().random_range(Duration::ZERO..=ceiling) }
    };
    let ceiling = ceiling(policy, retry);
    match server_hint {
        Some(hint) => hint + jitter(ceiling.min(policy.base_delay)),
        None => jitter(ceiling),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy { max_retries: 5, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(1) }
    }

    #[test]
    fn ceilings_double_then_cap() {
        let p = policy();
        let c: Vec<_> = (1..=6).map(|n| ceiling(&p, n).as_millis()).collect();
        assert_eq!(c, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(ceiling(&p, u32::MAX), Duration::from_secs(1));
    }

    #[test]
    fn delays_stay_under_the_ceiling_and_honour_the_server() {
        let p = policy();
        let delays: Vec<_> = (0..200).map(|_| delay(&p, 2, None)).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(200)));
        // Full jitter: not all the same.
        assert!(delays.iter().any(|d| *d != delays[0]));
        assert!(delay(&p, 1, Some(Duration::from_secs(3))) >= Duration::from_secs(3));
        // A server's hint is honoured without the growing ceiling on top.
        for retry in [1, 5, 20] {
            let d = delay(&p, retry, Some(Duration::from_secs(1)));
            assert!(d >= Duration::from_secs(1) && d <= Duration::from_millis(1100), "{d:?}");
        }
    }
}
