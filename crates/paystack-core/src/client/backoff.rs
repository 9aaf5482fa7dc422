//! Whether to send again and how long to wait first: exponential backoff with full jitter, never
//! less than what the server asked for, within the call's retries and deadline.

use std::time::{Duration, Instant};

use rand::Rng;

use super::parts::Client;
use crate::config::RetryPolicy;
use crate::error::Error;
use crate::observe::{Area, Event, Level};
use crate::request::PreparedRequest;

/// How many times a loop may send: the call's retries, or (for the lookups that decide whether a
/// charge happened) as often as the deadline allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Budget {
    Retries(u32),
    UntilDeadline,
}

/// The wait before send number `sends + 1`, or `None` when the budget is spent or the wait
/// would end past `deadline`.
pub(super) fn next(
    policy: &RetryPolicy,
    budget: Budget,
    sends: u32,
    hint: Option<Duration>,
    deadline: Instant,
) -> Option<Duration> {
    let out_of_tries = match budget {
        Budget::Retries(max_retries) => sends > max_retries,
        Budget::UntilDeadline => false,
    };
    let wait = delay(policy, sends, hint);
    let out_of_time = Instant::now() + wait >= deadline;
    (!out_of_tries && !out_of_time).then_some(wait)
}

impl Client {
    /// Tells the observer the call sends again after `delay`.
    pub(super) fn report_retry(&self, request: &PreparedRequest, attempts: u32, error: &Error, delay: Duration) {
        if let Some(observer) = self.wants(Area::Retry, Level::Info) {
            let reason = error.reason();
            observer.record(&Event::Retry { endpoint: request.endpoint, attempt: attempts, reason: &reason, delay });
        }
    }
}

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
    fn the_budget_and_the_deadline_end_the_retries() {
        let p = policy();
        let later = Instant::now() + Duration::from_secs(60);
        assert!(next(&p, Budget::Retries(2), 2, None, later).is_some());
        assert_eq!(next(&p, Budget::Retries(2), 3, None, later), None);
        assert!(next(&p, Budget::UntilDeadline, 1000, None, later).is_some());
        let soon = Instant::now() + Duration::from_millis(500);
        assert_eq!(next(&p, Budget::UntilDeadline, 1, Some(Duration::from_secs(1)), soon), None);
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
