//! The process's own limiter: keeps it under a [`Quota`] instead of hitting 429s, at most `limit`
//! requests in any `window` (a sliding log, which is exact where a token bucket would allow bursts
//! of twice the limit across a window boundary).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::quota::Quota;

/// The sliding log of recent send times, and the pause a 429 asked for.
#[derive(Debug)]
pub struct LocalLimiter {
    quota: Quota,
    sent: Mutex<VecDeque<Instant>>,
    paused_until: Mutex<Option<Instant>>,
}

impl LocalLimiter {
    pub fn new(quota: Quota) -> Self {
        LocalLimiter {
            quota,
            sent: Mutex::new(VecDeque::with_capacity(quota.limit as usize)),
            paused_until: Mutex::new(None),
        }
    }

    /// Sends nothing before `until` (a 429's `Retry-After` / `x-ratelimit-reset`: the server's
    /// count is full, so every caller sharing this limiter waits, not only the one refused).
    pub fn pause(&self, until: Instant) {
        let mut paused = self.paused_until.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
    }

    /// Notes a send that another limiter (the shared one) granted, so that if this one has to
    /// take over it starts from what this process really sent.
    pub fn record(&self, now: Instant) {
        let hold = self.hold();
        let mut sent = self.sent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while sent.front().is_some_and(|t| now.duration_since(*t) >= hold) {
            sent.pop_front();
        }
        if sent.len() >= self.quota.limit as usize {
            sent.pop_front();
        }
        sent.push_back(now);
    }

    pub fn quota(&self) -> Quota {
        self.quota
    }

    /// The time a slot stays taken: the window plus a margin, because the server starts counting
    /// when a request arrives, a little after we stamp it.
    pub fn hold(&self) -> Duration {
        self.quota.window + (self.quota.window / 20).min(Duration::from_millis(250))
    }

    /// Takes a slot now, or says how long to wait before asking again.
    pub fn try_acquire(&self, now: Instant) -> Result<(), Duration> {
        let paused = *self.paused_until.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(until) = paused.filter(|u| *u > now) {
            return Err(until - now);
        }
        let hold = self.hold();
        let mut sent = self.sent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while sent.front().is_some_and(|t| now.duration_since(*t) >= hold) {
            sent.pop_front();
        }
        if self.quota.limit == 0 {
            return Err(self.quota.window);
        }
        if sent.len() < self.quota.limit as usize {
            sent.push_back(now);
            Ok(())
        } else {
            let oldest = sent.front().copied().unwrap_or(now);
            Err((oldest + hold).saturating_duration_since(now))
        }
    }

    /// Waits for a slot, unless that would pass `deadline`: then says how long it would have been.
    pub async fn acquire(&self, deadline: Instant) -> Result<(), Duration> {
        loop {
            let now = Instant::now();
            match self.try_acquire(now) {
                Ok(()) => return Ok(()),
                Err(wait) if now + wait > deadline => return Err(wait),
                Err(wait) => tokio::time::sleep(wait).await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_more_than_limit_in_any_window() {
        let limiter = LocalLimiter::new(Quota { limit: 3, window: Duration::from_secs(10) });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.try_acquire(t0).is_ok());
        }
        // A slot is held for the window plus a 250 ms margin (5% of the window, at most 250 ms).
        assert_eq!(limiter.try_acquire(t0 + Duration::from_secs(4)), Err(Duration::from_millis(6250)));
        assert!(limiter.try_acquire(t0 + Duration::from_secs(10)).is_err());
        let later = t0 + Duration::from_millis(10_250);
        assert!(limiter.try_acquire(later).is_ok());
        assert!(limiter.try_acquire(later).is_ok());
        assert!(limiter.try_acquire(later).is_ok());
        assert!(limiter.try_acquire(later + Duration::from_secs(1)).is_err());
    }

    #[test]
    fn a_pause_holds_every_caller_and_a_recorded_send_counts() {
        let limiter = LocalLimiter::new(Quota { limit: 2, window: Duration::from_secs(10) });
        let t0 = Instant::now();
        limiter.pause(t0 + Duration::from_secs(3));
        limiter.pause(t0 + Duration::from_secs(1)); // a shorter pause never shortens a longer one
        assert_eq!(limiter.try_acquire(t0), Err(Duration::from_secs(3)));
        let after = t0 + Duration::from_secs(3);
        limiter.record(after);
        assert!(limiter.try_acquire(after).is_ok());
        assert!(limiter.try_acquire(after).is_err());
    }

    #[tokio::test]
    async fn acquire_gives_up_past_the_deadline() {
        let limiter = LocalLimiter::new(Quota { limit: 1, window: Duration::from_secs(30) });
        let now = Instant::now();
        assert!(limiter.acquire(now + Duration::from_secs(1)).await.is_ok());
        assert!(limiter.acquire(now + Duration::from_secs(1)).await.is_err());
    }
}
