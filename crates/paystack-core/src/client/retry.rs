//! The inner loop: send one request until an answer settles it or the budget runs out (attempt,
//! classify, back off). Recovery is not its business: it stops at an attempt whose answer was lost
//! when that attempt may have moved money, and says so.

use super::backoff::{self, Budget};
use super::classify::{self, Step, is_rate_limited};
use super::exposure::Exposure;
use super::parts::{Client, Limits, Reply, Tries};
use crate::endpoint::Safety;
use crate::envelope::Decoder;
use crate::error::Error;
use crate::observe::Abandoned;
use crate::request::PreparedRequest;

/// Why `retry` stopped without a reply.
pub(super) enum Stop {
    /// The answer settles it: the error to raise.
    Failed(Error),
    /// The last attempt's answer was lost and it may have gone through: find out first.
    /// `last`: no retries or time are left to send it again.
    Unverified { error: Error, last: bool },
}

impl Client {
    /// Sends `request` until an answer settles it or the budget runs out: attempt, classify,
    /// back off. Stops at an attempt whose answer was lost when it moves money, for `run`'s
    /// recovery (a lookup never does: it is a read).
    pub(super) async fn retry<D: Decoder>(
        &self,
        request: &PreparedRequest,
        limits: Limits<'_>,
        decoder: &D,
        budget: Budget,
        tries: &mut Tries,
        mut exposure: Option<&mut Exposure>,
    ) -> Result<Reply<D::Output>, Stop> {
        loop {
            let outcome = self.attempt(request, limits, tries, exposure.as_deref_mut()).await.map_err(Stop::Failed)?;
            let (error, hint, unknown) =
                match classify::step(request, outcome, decoder, tries.attempts, tries.sends > 1) {
                    Step::Done(reply) => return Ok(reply),
                    Step::Fail(error) => return Err(Stop::Failed(error.with_attempts(tries.attempts))),
                    Step::Retry { error, hint, unknown } => {
                        (error, hint, unknown && request.endpoint.safety != Safety::Idempotent)
                    }
                };
            if let Some(e) = exposure.as_deref_mut() {
                e.set(unknown.then_some(Abandoned::Unverified));
            }
            if let (Some(limiter), Some(wait)) = (&self.limiter, hint.filter(|_| is_rate_limited(&error))) {
                self.pause(limiter, request, wait).await;
            }
            let Some(delay) = backoff::next(&self.config.retry, budget, tries.sends, hint, limits.deadline) else {
                return Err(match unknown {
                    true => Stop::Unverified { error, last: true },
                    false => Stop::Failed(error.with_attempts(tries.attempts)),
                });
            };
            self.report_retry(request, tries.attempts, &error, delay);
            tokio::time::sleep(delay).await;
            if unknown {
                return Err(Stop::Unverified { error, last: false });
            }
        }
    }
}
