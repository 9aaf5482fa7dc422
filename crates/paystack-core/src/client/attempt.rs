//! One attempt: a slot under the client's quota, the request on the wire, and the line the
//! observer hears about it. What the outcome means is `classify`'s job.

use std::time::{Duration, Instant};

use super::exposure::Exposure;
use super::parts::{Client, Limits, Tries, site};
use crate::error::{Error, Phase, clip};
use crate::observe::{Abandoned, Area, Event, Level};
use crate::quota::Limiter;
use crate::request::PreparedRequest;
use crate::shared_limit::{Refused, Transition};
use crate::transport::{Answer, Failure};

impl Client {
    /// Sends `request` once, under the quota, counting it in `tries`. The error is the quota's
    /// (no slot before the deadline, a shared quota's store unreachable): nothing was sent.
    pub(super) async fn attempt(
        &self,
        request: &PreparedRequest,
        limits: Limits<'_>,
        tries: &mut Tries,
        exposure: Option<&mut Exposure>,
    ) -> Result<Result<Answer, Failure>, Error> {
        if let Some(limiter) = &self.limiter {
            self.acquire(limiter, request, limits.deadline, tries.attempts).await?;
        }
        tries.attempts += 1;
        tries.sends += 1;
        if let Some(e) = exposure {
            e.set(Some(Abandoned::OnTheWire));
        }
        let read = limits.options.read_timeout.unwrap_or(self.config.timeouts.read);
        let timed = self.wants(Area::Http, Level::Debug).map(|_| Instant::now());
        let outcome = self
            .transport
            .send(
                request.endpoint.method,
                &request.path_and_query,
                request.body.as_ref(),
                (limits.options.connect_timeout, read),
                limits.deadline,
            )
            .await;
        if let (Some(started), Some(observer)) = (timed, self.observer.as_deref()) {
            observer.record(&Event::Request {
                endpoint: request.endpoint,
                path: &request.path_and_query,
                status: outcome.as_ref().ok().map(|a| a.status),
                failure: outcome.as_ref().err().map(|f| f.message.as_str()),
                duration: started.elapsed(),
                attempt: tries.attempts,
            });
        }
        Ok(outcome)
    }

    /// A slot under the client's quota for the next attempt.
    async fn acquire(
        &self,
        limiter: &Limiter,
        request: &PreparedRequest,
        deadline: Instant,
        attempts: u32,
    ) -> Result<(), Error> {
        let report = |transition: Transition<'_>| {
            let store = limiter.store().unwrap_or_default();
            let endpoint = request.endpoint;
            let event = match transition {
                Transition::Down { reason, fallback } => Event::LimiterDown { endpoint, store, reason, fallback },
                Transition::Back => Event::LimiterBack { endpoint, store },
            };
            if let Some(observer) = self.wants(Area::RateLimit, event.level()) {
                observer.record(&event);
            }
        };
        match limiter.acquire(deadline, &report).await {
            Ok(()) => Ok(()),
            Err(Refused::Wait(wait)) => Err(Error::Timeout {
                site: site(request),
                phase: Phase::Total,
                after: wait,
                attempts,
                outcome_unknown: None,
            }),
            Err(Refused::Unreachable(reason)) => Err(Error::Connection {
                site: site(request),
                // Short: a connection error's message is cut to 160 characters.
                message: format!(
                    "shared rate limit's Redis at {} unreachable ({}), nothing sent",
                    limiter.store().unwrap_or_default(),
                    clip(&reason, 60)
                ),
                attempts,
                outcome_unknown: None,
            }),
        }
    }

    /// A 429 asked for `wait`: every caller sharing the limiter waits, not only this one.
    pub(super) async fn pause(&self, limiter: &Limiter, request: &PreparedRequest, wait: Duration) {
        limiter.pause(wait).await;
        if let Some(observer) = self.wants(Area::RateLimit, Level::Info) {
            observer.record(&Event::Paused {
                endpoint: request.endpoint,
                delay: wait,
                shared: limiter.store().is_some(),
            });
        }
    }
}
