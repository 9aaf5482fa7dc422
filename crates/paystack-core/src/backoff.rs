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
/// out), raised to the server's `Retry-After` / `x-ratelimit-reset` when it gave one.
pub fn delay(policy: &RetryPolicy, retry: u32, server_hint: Option<Duration>) -> Duration {
    let ceiling = ceiling(policy, retry);
    let jittered = if ceiling.is_zero() { Duration::ZERO } else { rand::rng().random_range(Duration::ZERO..=ceiling) };
    match server_hint {
        Some(hint) => jittered.max(hint),
        None => jittered,
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
    }
}
