//! A call from start to finish: rate limit, attempt, classify the outcome, back off, and — for
//! POSTs that move money — find out what happened before ever sending again.
//!
//! The rules:
//! - a connection that was never established is retried for any endpoint;
//! - 429 is retried for any endpoint (Paystack refused it unprocessed), after its `Retry-After`;
//! - 5xx, timeouts, broken or garbled answers are retried as they are for reads; for charges and
//!   initializations the earlier attempt may have gone through, so the client first verifies the
//!   reference (or looks for the batch) and only sends again if it finds nothing;
//! - the lookups that decide whether a charge happened have their own budget: they keep trying
//!   (honouring `Retry-After`) until the overall deadline, whatever `max_retries` says, and only
//!   then may a call end "outcome unknown";
//! - everything happens inside one overall deadline, and the error says how many attempts were made;
//! - a call dropped before it settles (a cancelled task, an interrupted wait) starts nothing more,
//!   and says so when a request of its that moves money may have been processed.
//!
//! Each step has its home: `attempt` (one request under the quota), `classify` (what its
//! outcome means, and what a Paystack refusal is), `backoff` (whether and how long to wait),
//! `recover` (what an attempt whose answer was lost did, and the call's next move), `exposure`
//! (what a dropped call leaves at stake); `parts` holds the client and what a call carries. Two
//! loops string the steps together: `retry` sends one request until an answer settles it, and
//! `run`, here, recovers between its rounds. No step calls back into a loop that called it.

mod attempt;
pub mod backoff;
pub mod classify;
mod exposure;
mod parts;
mod recover;
mod retry;

use std::time::Instant;

pub use parts::{CallOptions, Client, Reply};

use crate::endpoint::Endpoint;
use crate::envelope::Decoder;
use crate::error::Error;
use crate::request::{Arg, PreparedRequest, prepare};
use backoff::Budget;
use exposure::Exposure;
use parts::{Limits, Tries};
use recover::Settled;
use retry::Stop;

impl Client {
    /// Prepares and sends `endpoint` with `args` (one slot per parameter), decoding the answer
    /// with `decoder`.
    pub async fn call<D: Decoder>(
        &self,
        endpoint: &'static Endpoint,
        args: &[Option<Arg>],
        options: &CallOptions,
        decoder: &D,
    ) -> Result<Reply<D::Output>, Error> {
        let request = prepare(endpoint, args)?;
        self.send(request, options, decoder).await
    }

    /// Sends a prepared request with retries and recovery.
    pub async fn send<D: Decoder>(
        &self,
        request: PreparedRequest,
        options: &CallOptions,
        decoder: &D,
    ) -> Result<Reply<D::Output>, Error> {
        let total = options.total_timeout.unwrap_or(self.config.timeouts.total);
        let limits = Limits { options, deadline: Instant::now() + total };
        let budget = Budget::Retries(options.max_retries.unwrap_or(self.config.retry.max_retries));
        let mut exposure = Exposure::new(self.observer.as_ref(), &request);
        let result = self.run(request, limits, decoder, budget, &mut exposure).await;
        exposure.set(None);
        result
    }

    /// The call's rounds: send until settled; when an attempt's answer was lost, recover (find
    /// out what it did), then return what it did or send again.
    async fn run<D: Decoder>(
        &self,
        mut request: PreparedRequest,
        limits: Limits<'_>,
        decoder: &D,
        budget: Budget,
        exposure: &mut Exposure,
    ) -> Result<Reply<D::Output>, Error> {
        let mut tries = Tries { attempts: 0, sends: 0 };
        loop {
            let (failure, last) = match self.retry(&request, limits, decoder, budget, &mut tries, Some(exposure)).await
            {
                Ok(reply) => return Ok(reply),
                Err(Stop::Failed(error)) => return Err(error),
                Err(Stop::Unverified { error, last }) => (error, last),
            };
            match self.settle(&request, failure, limits, decoder, &mut tries, last).await {
                Settled::WentThrough(reply) => return Ok(reply),
                Settled::Unknown(error) => return Err(error),
                Settled::SendAgain(next) => {
                    exposure.set(None);
                    exposure.follow(&next);
                    request = next;
                }
            }
        }
    }
}
