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

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use paystack_facts::{errors, messages};
use serde_json::Value;

use crate::backoff;
use crate::config::ClientConfig;
use crate::endpoint::{Endpoint, Safety};
use crate::endpoints;
use crate::envelope::{Decoder, Envelope, JsonDecoder, api_error, check_envelope};
use crate::error::{ApiError, CallSite, Error, Phase, clip};
use crate::observe::{Abandoned, Area, Event, Finding, Level, Observer};
use crate::quota::Limiter;
use crate::ratelimit::RateLimiter;
use crate::reference::ItemReferences;
use crate::request::{Arg, PreparedRequest, named_args, prepare};
use crate::semantics;
use crate::shared_limit::{Refused, SharedLimiter, Transition};
use crate::timestamp;
use crate::transport::{Answer, Delivery, Failure, HeaderMap, Transport, header_pairs};

/// Per-call overrides of the client's settings.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CallOptions {
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    pub total_timeout: Option<Duration>,
    pub max_retries: Option<u32>,
}

/// A successful call.
#[derive(Debug)]
pub struct Reply<T> {
    pub status_code: u16,
    pub headers: HeaderMap,
    pub body: T,
    /// Requests sent for this call, recovery lookups included.
    pub attempts: u32,
    /// True when an earlier attempt's answer was lost and this is what the client found out
    /// (the verified transaction or the fetched batch) instead of sending again.
    pub recovered: bool,
    /// The transaction reference the call carried (given or generated).
    pub reference: Option<String>,
    /// The item references of a bulk initiation (given or generated), in order.
    pub item_references: Arc<ItemReferences>,
}

/// A Paystack client: thread-safe, cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Client {
    transport: Transport,
    config: ClientConfig,
    limiter: Option<Limiter>,
    observer: Option<Arc<dyn Observer>>,
}

/// What the last attempt tells us to do next.
enum Step<T> {
    Done(Reply<T>),
    Fail(Error),
    /// Try again after a backoff. `unknown`: the attempt may have been processed.
    Retry {
        error: Error,
        hint: Option<Duration>,
        unknown: bool,
    },
}

/// What recovery found out about an attempt whose answer was lost.
enum Found<T> {
    /// It went through: here is the result.
    Yes(Reply<T>),
    /// It did not: send again.
    No,
    /// It created an unpaid transaction under a reference we generated: send again with a new one.
    NewReference,
    /// Could not tell.
    Unknown(Error),
}

/// How many times a loop may send: the call's retries, or (for the lookups that decide whether a
/// charge happened) as often as the deadline allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Budget {
    Retries(u32),
    UntilDeadline,
}

/// One call's limits, shared by its attempts and its lookups.
#[derive(Debug, Clone, Copy)]
struct Limits<'a> {
    options: &'a CallOptions,
    deadline: Instant,
}

/// Bulk recovery without the batch code in the transaction's metadata looks at this many pages of
/// 100 batches at most, and compares at most this many candidates, before it calls the outcome
/// unknown (rather than risk a second batch).
const SCAN_PAGES: u32 = 10;
const SCAN_CANDIDATES: usize = 20;
/// A batch created within this much of its first charge's transaction is a candidate.
const SCAN_WINDOW_MS: i64 = 2_000;

/// Watches a call that moves money for being dropped unsettled: a cancelled task or an
/// interrupted wait drops the call's future, and if an attempt was on the wire, or its answer was
/// lost and not yet verified, the charge may have happened: the observer hears of it.
struct Exposure {
    observer: Option<Arc<dyn Observer>>,
    endpoint: &'static Endpoint,
    reference: Option<String>,
    body: Option<Bytes>,
    state: Option<Abandoned>,
}

impl Exposure {
    fn new(client: &Client, request: &PreparedRequest) -> Self {
        let watched = request.endpoint.safety != Safety::Idempotent;
        Exposure {
            observer: client.observer.clone().filter(|_| watched),
            endpoint: request.endpoint,
            reference: first_reference(request).map(str::to_owned),
            body: request.body.clone(),
            state: None,
        }
    }

    fn set(&mut self, state: Option<Abandoned>) {
        self.state = state;
    }

    fn follow(&mut self, request: &PreparedRequest) {
        self.reference = first_reference(request).map(str::to_owned);
        self.body = request.body.clone();
    }
}

impl Drop for Exposure {
    fn drop(&mut self) {
        let (Some(how), Some(observer)) = (self.state, &self.observer) else { return };
        if observer.enabled(Area::Recovery, Level::Warning) {
            let authorization = authorization_of(self.body.as_ref());
            observer.record(&Event::Abandoned {
                endpoint: self.endpoint,
                reference: self.reference.as_deref().unwrap_or("(none)"),
                authorization: authorization.as_deref(),
                how,
            });
        }
    }
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let transport = Transport::new(&config)?;
        let limiter = match (&config.shared_rate_limit, config.rate_limit) {
            (Some(shared), _) => {
                Some(Limiter::Shared(Box::new(SharedLimiter::new(shared.clone(), config.secret_key.expose()))))
            }
            (None, Some(quota)) => Some(Limiter::Local(Arc::new(RateLimiter::new(quota)))),
            (None, None) => None,
        };
        Ok(Client { transport, config, limiter, observer: None })
    }

    /// The same client reporting its requests, retries and recoveries to `observer`.
    pub fn with_observer(mut self, observer: Arc<dyn Observer>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// A client with the same settings, rate limiter and observer but a connection pool (and a
    /// shared limiter's Redis connection) of its own: for a thread that drives its own runtime, so
    /// its sockets never change threads.
    pub fn sibling(&self) -> Result<Self, Error> {
        Ok(Client {
            transport: Transport::new(&self.config)?,
            config: self.config.clone(),
            limiter: self.limiter.as_ref().map(Limiter::sibling),
            observer: self.observer.clone(),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }

    /// The observer, when it wants events of this area and level.
    fn wants(&self, area: Area, level: Level) -> Option<&dyn Observer> {
        self.observer.as_deref().filter(|o| o.enabled(area, level))
    }

    /// Prepares and sends `endpoint` with `args` (one slot per parameter), decoding the answer
    /// with `decoder`.
    pub async fn call<D: Decoder>(
        &self,
        endpoint: &'static crate::endpoint::Endpoint,
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
        let mut exposure = Exposure::new(self, &request);
        let result = self.run(request, limits, decoder, 0, budget, Some(&mut exposure)).await;
        exposure.set(None);
        result
    }

    /// The retry loop. `spent` counts requests already sent on behalf of this call (recovery
    /// lookups run their own loop, with their own budget, and add theirs to the caller's count).
    /// `exposure` follows the call's own request (not its lookups).
    async fn run<D: Decoder>(
        &self,
        mut request: PreparedRequest,
        limits: Limits<'_>,
        decoder: &D,
        spent: u32,
        budget: Budget,
        mut exposure: Option<&mut Exposure>,
    ) -> Result<Reply<D::Output>, Error> {
        let options = limits.options;
        let deadline = limits.deadline;
        let read = options.read_timeout.unwrap_or(self.config.timeouts.read);
        let safety = request.endpoint.safety;
        let mut attempts = spent;
        let mut sends = 0u32;
        let mut body = request.body.clone();
        // The failure of the last attempt, when its outcome is unknown and must be checked first.
        let mut unresolved: Option<Error> = None;

        loop {
            if let Some(failure) = unresolved.take() {
                self.report_recovering(&request, &failure);
                let before = attempts;
                match Box::pin(self.recover(&request, limits, decoder, attempts)).await {
                    (Found::Yes(mut reply), n) => {
                        self.report_recovered(&request, Finding::WentThrough, n - before);
                        reply.attempts = n;
                        return Ok(reply);
                    }
                    (Found::No, n) => {
                        self.report_recovered(&request, Finding::NotFound, n - before);
                        mark(&mut exposure, None);
                        attempts = n;
                    }
                    (Found::NewReference, n) => {
                        self.report_recovered(&request, Finding::NewReference, n - before);
                        mark(&mut exposure, None);
                        attempts = n;
                        request = regenerate_reference(&request)?;
                        body = request.body.clone();
                        if let Some(e) = exposure.as_deref_mut() {
                            e.follow(&request);
                        }
                    }
                    // The lookup failed too: report the attempt's own failure, flagged as unknown.
                    (Found::Unknown(lookup), n) => {
                        return Err(if is_definitive(&lookup) {
                            lookup
                        } else {
                            self.outcome_unknown(failure, &request, &lookup).with_attempts(n)
                        });
                    }
                }
            }

            if let Some(limiter) = &self.limiter {
                self.acquire(limiter, &request, deadline, attempts).await?;
            }

            attempts += 1;
            sends += 1;
            mark(&mut exposure, Some(Abandoned::OnTheWire));
            let timed = self.wants(Area::Http, Level::Debug).map(|_| Instant::now());
            let outcome = self
                .transport
                .send(
                    request.endpoint.method,
                    &request.path_and_query,
                    body.as_ref(),
                    (options.connect_timeout, read),
                    deadline,
                )
                .await;
            if let (Some(started), Some(observer)) = (timed, self.observer.as_deref()) {
                observer.record(&Event::Request {
                    endpoint: request.endpoint,
                    path: &request.path_and_query,
                    status: outcome.as_ref().ok().map(|a| a.status),
                    failure: outcome.as_ref().err().map(|f| f.message.as_str()),
                    duration: started.elapsed(),
                    attempt: attempts,
                });
            }
            let step = self.classify(&request, outcome, decoder, attempts, sends > 1);
            let (error, hint, unknown) = match step {
                Step::Done(mut reply) => {
                    reply.reference = request.reference.clone();
                    reply.item_references = request.item_references.clone();
                    return Ok(reply);
                }
                Step::Fail(error) => return Err(error.with_attempts(attempts)),
                Step::Retry { error, hint, unknown } => (error, hint, unknown),
            };
            let unknown = unknown && safety != Safety::Idempotent;
            mark(&mut exposure, unknown.then_some(Abandoned::Unverified));
            if let (Some(limiter), Some(wait)) = (&self.limiter, hint.filter(|_| is_rate_limited(&error))) {
                self.pause(limiter, &request, wait).await;
            }

            let out_of_tries = match budget {
                Budget::Retries(max_retries) => sends > max_retries,
                Budget::UntilDeadline => false,
            };
            let delay = backoff::delay(&self.config.retry, sends, hint);
            let out_of_time = Instant::now() + delay >= deadline;
            if out_of_tries || out_of_time {
                if unknown {
                    // One last look, so a charge that went through is reported as such.
                    self.report_recovering(&request, &error);
                    let before = attempts;
                    return match Box::pin(self.recover(&request, limits, decoder, attempts)).await {
                        (Found::Yes(mut reply), n) => {
                            self.report_recovered(&request, Finding::WentThrough, n - before);
                            reply.attempts = n;
                            Ok(reply)
                        }
                        (Found::Unknown(lookup), _) if is_definitive(&lookup) => Err(lookup),
                        (Found::Unknown(lookup), n) => {
                            Err(self.outcome_unknown(error, &request, &lookup).with_attempts(n))
                        }
                        (_, n) => Err(self.outcome_unknown(error, &request, &out_of_budget()).with_attempts(n)),
                    };
                }
                return Err(error.with_attempts(attempts));
            }
            if let Some(observer) = self.wants(Area::Retry, Level::Info) {
                let reason = error.reason();
                observer.record(&Event::Retry {
                    endpoint: request.endpoint,
                    attempt: attempts,
                    reason: &reason,
                    delay,
                });
            }
            tokio::time::sleep(delay).await;
            if unknown {
                unresolved = Some(error);
            }
        }
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
    async fn pause(&self, limiter: &Limiter, request: &PreparedRequest, wait: Duration) {
        limiter.pause(wait).await;
        if let Some(observer) = self.wants(Area::RateLimit, Level::Info) {
            observer.record(&Event::Paused {
                endpoint: request.endpoint,
                delay: wait,
                shared: limiter.store().is_some(),
            });
        }
    }

    fn report_recovering(&self, request: &PreparedRequest, failure: &Error) {
        if let (Some(observer), Some(reference)) = (self.wants(Area::Recovery, Level::Info), first_reference(request)) {
            let reason = failure.reason();
            observer.record(&Event::Recovering { endpoint: request.endpoint, reference, reason: &reason });
        }
    }

    fn report_recovered(&self, request: &PreparedRequest, finding: Finding, lookups: u32) {
        if let (Some(observer), Some(reference)) = (self.wants(Area::Recovery, Level::Info), first_reference(request)) {
            observer.record(&Event::Recovered { endpoint: request.endpoint, reference, finding, lookups });
        }
    }

    /// Reads one attempt's outcome.
    fn classify<D: Decoder>(
        &self,
        request: &PreparedRequest,
        outcome: Result<Answer, Failure>,
        decoder: &D,
        attempts: u32,
        resent: bool,
    ) -> Step<D::Output> {
        // Built only on failure: a success should not pay for formatting the endpoint's name.
        let site = || site(request);
        let answer = match outcome {
            Ok(answer) => answer,
            Err(failure) => {
                let unknown = failure.delivery == Delivery::MaybeSent;
                let error = match failure.timeout {
                    Some((phase, after)) => {
                        Error::Timeout { site: site(), phase, after, attempts, outcome_unknown: None }
                    }
                    None => {
                        Error::Connection { site: site(), message: failure.message, attempts, outcome_unknown: None }
                    }
                };
                if failure.certificate_refused {
                    return Step::Fail(error);
                }
                return Step::Retry { error, hint: None, unknown };
            }
        };

        if (200..300).contains(&answer.status) {
            let decoded = decoder.decode(&answer.body);
            return match decoded.map(|body| (check_envelope(&body), body)) {
                Ok((Envelope::Success, body)) => Step::Done(Reply {
                    status_code: answer.status,
                    headers: answer.headers,
                    body,
                    attempts,
                    recovered: false,
                    reference: None,
                    item_references: Arc::default(),
                }),
                Ok((Envelope::Failure { message, code, kind }, _)) => Step::Fail(Error::Api {
                    site: site(),
                    error: Box::new(ApiError {
                        status_code: answer.status,
                        message,
                        code,
                        kind,
                        meta: None,
                        body: serde_json::from_slice(&answer.body).ok(),
                        headers: header_pairs(&answer.headers),
                        retry_after: None,
                        outcome_unknown: None,
                    }),
                    attempts,
                }),
                // A garbled success: the request was processed, the answer lost.
                Ok((Envelope::Malformed(message), _)) | Err(message) => Step::Retry {
                    error: Error::Decode { site: site(), status_code: answer.status, message, attempts },
                    hint: None,
                    unknown: true,
                },
            };
        }

        let error = api_error(answer.status, header_pairs(&answer.headers), &answer.body);
        let hint = error.retry_after;
        let duplicate = is_duplicate_reference(&error);
        let error_value = Error::Api { site: site(), error: Box::new(error), attempts };
        match answer.status {
            429 => Step::Retry { error: error_value, hint, unknown: false },
            500..=599 => Step::Retry { error: error_value, hint, unknown: true },
            // Our own earlier attempt took the reference: find out what it did.
            400 | 409 if duplicate && resent && request.endpoint.safety != Safety::Idempotent => {
                Step::Retry { error: error_value, hint: Some(Duration::ZERO), unknown: true }
            }
            _ => Step::Fail(error_value),
        }
    }

    /// Finds out whether an attempt whose answer was lost went through. Returns what it found
    /// and the attempt count including its own lookups.
    async fn recover<D: Decoder>(
        &self,
        request: &PreparedRequest,
        limits: Limits<'_>,
        decoder: &D,
        attempts: u32,
    ) -> (Found<D::Output>, u32) {
        match request.endpoint.safety {
            Safety::Idempotent => (Found::No, attempts),
            Safety::ChargeByReference | Safety::InitializeByReference => {
                self.recover_by_reference(request, limits, decoder, attempts).await
            }
            Safety::BulkInitiate => self.recover_batch(request, limits, decoder, attempts).await,
        }
    }

    async fn recover_by_reference<D: Decoder>(
        &self,
        request: &PreparedRequest,
        limits: Limits<'_>,
        decoder: &D,
        attempts: u32,
    ) -> (Found<D::Output>, u32) {
        let Some(reference) = request.reference.clone() else { return (Found::No, attempts) };
        let verify = match lookup("transaction.verify", [("reference", Value::String(reference.clone()))]) {
            Ok(r) => r,
            Err(e) => return (Found::Unknown(e), attempts),
        };
        match self.run(verify, limits, decoder, attempts, Budget::UntilDeadline, None).await {
            Ok(mut reply) => {
                let n = reply.attempts;
                if request.endpoint.safety == Safety::InitializeByReference {
                    // The transaction exists but its checkout URL was in the lost answer.
                    return if reference_was_generated(&reference) {
                        (Found::NewReference, n)
                    } else {
                        (Found::Unknown(lost_checkout_error(request, &reference, n)), n)
                    };
                }
                reply.recovered = true;
                reply.reference = Some(reference);
                (Found::Yes(reply), n)
            }
            Err(e) if is_not_found(&e) => {
                let n = e.attempts();
                (Found::No, n)
            }
            Err(e) => {
                let n = e.attempts();
                (Found::Unknown(e), n)
            }
        }
    }

    /// Finds the batch a lost `POST /bulkcharge` created, in a bounded number of lookups however
    /// many batches were created since. Each item of a batch becomes a transaction (status
    /// `queued`) under the item's reference, and Paystack writes the batch code into that
    /// transaction's metadata (docs/paystack-api.md §3.6). So: verify the first item's reference
    /// (not found: the batch was not created); read the batch code; check that batch holds every
    /// reference of ours (one page of its charges); fetch it: three lookups. Without the code in
    /// the metadata, the batches created within two seconds of that transaction are candidates,
    /// read newest first from the list (at most `SCAN_PAGES` pages and `SCAN_CANDIDATES`
    /// candidates, then the outcome is called unknown rather than risk a second batch).
    async fn recover_batch<D: Decoder>(
        &self,
        request: &PreparedRequest,
        limits: Limits<'_>,
        decoder: &D,
        attempts: u32,
    ) -> (Found<D::Output>, u32) {
        let ours = &request.item_references;
        let Some(first) = ours.first() else { return (Found::No, attempts) };
        let verify = [("reference", Value::String(first.to_owned()))];
        let (transaction, mut attempts) = match self.look_up("transaction.verify", verify, limits, attempts).await {
            Ok(found) => found,
            Err((Found::Unknown(e), n)) if is_not_found(&e) => return (Found::No, n),
            Err(failed) => return failed,
        };
        let data = transaction.get("data").unwrap_or(&Value::Null);
        let code = semantics::batch_code_of(data);
        let candidates = match code {
            Some(code) => vec![code],
            None => {
                let created = data.get("createdAt").or_else(|| data.get("created_at")).and_then(Value::as_str);
                let Some(created) = created.and_then(|c| timestamp::parse(c).ok()) else {
                    return (
                        Found::Unknown(Error::Config("the charge's transaction has no creation time".into())),
                        attempts,
                    );
                };
                match self.batches_created_near(created.epoch_ms, limits, attempts).await {
                    Ok((codes, n)) => {
                        attempts = n;
                        codes
                    }
                    Err(failed) => return failed,
                }
            }
        };
        for code in candidates {
            let per_page = Value::from(ours.len().clamp(1, 1000));
            let charges = [("code", Value::String(code.clone())), ("per_page", per_page), ("page", Value::from(1))];
            let page = match self.look_up("bulk_charge.charges", charges, limits, attempts).await {
                Ok((page, n)) => {
                    attempts = n;
                    page
                }
                Err(failed) => return failed,
            };
            let theirs: Vec<&str> = charge_references(&page).collect();
            let held = ours.iter().filter(|r| theirs.contains(r)).count();
            if held == 0 {
                continue;
            }
            if held < ours.len() {
                // Our first reference belongs to another batch: Paystack refused ours as a duplicate.
                return (Found::Unknown(reference_in_other_batch(request, first, &code, attempts)), attempts);
            }
            let fetch = match lookup("bulk_charge.fetch", [("code", Value::String(code))]) {
                Ok(r) => r,
                Err(e) => return (Found::Unknown(e), attempts),
            };
            return match self.run(fetch, limits, decoder, attempts, Budget::UntilDeadline, None).await {
                Ok(mut reply) => {
                    let n = reply.attempts;
                    reply.recovered = true;
                    reply.item_references = Arc::clone(ours);
                    (Found::Yes(reply), n)
                }
                Err(e) => {
                    let n = e.attempts();
                    (Found::Unknown(e), n)
                }
            };
        }
        (Found::Unknown(Error::Config("no batch holds the charges' references".into())), attempts)
    }

    /// The codes of the batches created within `SCAN_WINDOW_MS` of `created_ms` (server time),
    /// newest first, read from the list until it reaches older batches.
    async fn batches_created_near<T>(
        &self,
        created_ms: i64,
        limits: Limits<'_>,
        attempts: u32,
    ) -> Result<(Vec<String>, u32), (Found<T>, u32)> {
        let mut attempts = attempts;
        let mut codes = Vec::new();
        for page in 1..=SCAN_PAGES {
            let list = [("per_page", Value::from(100)), ("page", Value::from(page))];
            let (body, n) = self.look_up("bulk_charge.list", list, limits, attempts).await?;
            attempts = n;
            let batches = body.get("data").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            for batch in batches {
                let at = batch.get("createdAt").and_then(Value::as_str).and_then(|c| timestamp::parse(c).ok());
                let Some(at) = at else { continue };
                if at.epoch_ms < created_ms - SCAN_WINDOW_MS {
                    return Ok((codes, attempts));
                }
                if at.epoch_ms <= created_ms + SCAN_WINDOW_MS {
                    if let Some(code) = batch.get("batch_code").and_then(Value::as_str) {
                        codes.push(code.to_owned());
                    }
                }
                if codes.len() > SCAN_CANDIDATES {
                    return Err((Found::Unknown(Error::Config("too many batches created at once".into())), attempts));
                }
            }
            if batches.len() < 100 {
                return Ok((codes, attempts));
            }
        }
        Err((Found::Unknown(Error::Config("too many newer batches to look through".into())), attempts))
    }

    /// A read made while recovering, as JSON, with the lookups' budget; on failure, what recovery
    /// reports.
    async fn look_up<T, const N: usize>(
        &self,
        name: &str,
        args: [(&str, Value); N],
        limits: Limits<'_>,
        attempts: u32,
    ) -> Result<(Value, u32), (Found<T>, u32)> {
        let request = lookup(name, args).map_err(|e| (Found::Unknown(e), attempts))?;
        match self.run(request, limits, &JsonDecoder, attempts, Budget::UntilDeadline, None).await {
            Ok(reply) => Ok((reply.body, reply.attempts)),
            Err(e) => {
                let n = e.attempts();
                Err((Found::Unknown(e), n))
            }
        }
    }

    /// The error of a call whose charge may or may not have happened, which the observer hears of
    /// (`why`: what kept recovery from finding out).
    fn outcome_unknown(&self, error: Error, request: &PreparedRequest, why: &Error) -> Error {
        let Some(reference) = first_reference(request) else { return error };
        if let Some(observer) = self.wants(Area::Recovery, Level::Warning) {
            let authorization = authorization_of(request.body.as_ref());
            let reason = format!("{}; the lookups: {}", error.reason(), why.reason());
            observer.record(&Event::OutcomeUnknown {
                endpoint: request.endpoint,
                reference,
                authorization: authorization.as_deref(),
                reason: &reason,
            });
        }
        error.mark_outcome_unknown(reference)
    }
}

/// Records what an unsettled call has at stake (only the call's own loop has an `Exposure`).
fn mark(exposure: &mut Option<&mut Exposure>, state: Option<Abandoned>) {
    if let Some(e) = exposure.as_deref_mut() {
        e.set(state);
    }
}

fn site(request: &PreparedRequest) -> CallSite {
    CallSite {
        endpoint: request.endpoint.qualified_name(),
        method: request.endpoint.method.as_str(),
        path: request.endpoint.path,
    }
}

/// A recovery lookup: the endpoint and its arguments by name, never by position.
fn lookup<const N: usize>(name: &str, args: [(&str, Value); N]) -> Result<PreparedRequest, Error> {
    let endpoint = endpoints::by_name(name).ok_or_else(|| Error::Config(format!("no endpoint {name}")))?;
    let args = named_args(endpoint, args.map(|(param, value)| (param, Arg::Json(value))))?;
    Ok(prepare(endpoint, &args)?)
}

/// Paystack refused the request for the quota (429).
fn is_rate_limited(error: &Error) -> bool {
    error.api().is_some_and(|e| e.status_code == 429)
}

/// Paystack's answer for a reference already used (`semantics::answers`).
fn is_duplicate_reference(error: &ApiError) -> bool {
    semantics::is_duplicate_reference(error.code.as_deref(), &error.message)
}

/// Verify's answer for an unknown reference (`semantics::answers`).
fn is_not_found(error: &Error) -> bool {
    error.api().is_some_and(|e| semantics::is_not_found(e.status_code, e.code.as_deref(), &e.message))
}

/// A lookup answered with a client error (401, or our own duplicate-reference error): that is
/// the answer to give, not a reason to call the outcome unknown.
fn is_definitive(lookup: &Error) -> bool {
    lookup.api().is_some_and(|e| (400..500).contains(&e.status_code) && e.status_code != 429)
}

fn reference_was_generated(reference: &str) -> bool {
    reference.starts_with("psrs-")
}

fn regenerate_reference(request: &PreparedRequest) -> Result<PreparedRequest, Error> {
    let mut body: Value = request
        .body
        .as_deref()
        .and_then(|b| serde_json::from_slice(b).ok())
        .ok_or_else(|| Error::Config("cannot rebuild the request body".into()))?;
    let fresh = crate::reference::generate();
    body["reference"] = Value::String(fresh.clone());
    let mut next = request.clone();
    next.body = Some(Bytes::from(serde_json::to_vec(&body).map_err(|e| Error::Config(e.to_string()))?));
    next.reference = Some(fresh);
    Ok(next)
}

fn lost_checkout_error(request: &PreparedRequest, reference: &str, attempts: u32) -> Error {
    Error::Api {
        site: site(request),
        error: Box::new(ApiError {
            status_code: 400,
            message: messages::DUPLICATE_REFERENCE.text.into(),
            code: Some(errors::DUPLICATE_REFERENCE.into()),
            kind: Some(errors::VALIDATION_ERROR.into()),
            meta: Some(serde_json::json!({
                "nextStep": format!(
                    "An earlier attempt of this call created transaction {reference} but its answer (with the checkout URL) was lost; initialize again with a new reference"
                )
            })),
            body: None,
            headers: Vec::new(),
            retry_after: None,
            outcome_unknown: None,
        }),
        attempts,
    }
}

/// The references of the charges on a page of `GET /bulkcharge/{code}/charges`: the item's own
/// `reference` (OAS) or its transaction's (samples).
fn charge_references(page: &Value) -> impl Iterator<Item = &str> {
    page.get("data").and_then(Value::as_array).into_iter().flatten().filter_map(|item| {
        item.get("reference")
            .and_then(Value::as_str)
            .or_else(|| item.get("transaction").and_then(|t| t.get("reference")).and_then(Value::as_str))
    })
}

/// The reference a request moving money is known by: its transaction reference, or the first
/// item reference of a batch.
fn first_reference(request: &PreparedRequest) -> Option<&str> {
    request.reference.as_deref().or_else(|| request.item_references.first())
}

/// The authorization code a charge's body carries (read only to report it, masked).
fn authorization_of(body: Option<&Bytes>) -> Option<String> {
    let body: Value = serde_json::from_slice(body?).ok()?;
    body.get("authorization_code").and_then(Value::as_str).map(str::to_owned)
}

/// What recovery reports when its last look found nothing yet: an attempt that timed out may
/// still be processed after the lookup, so not finding it is not proof.
fn out_of_budget() -> Error {
    Error::Config("not found yet, and no time or retries left to look again".into())
}

fn reference_in_other_batch(request: &PreparedRequest, reference: &str, code: &str, attempts: u32) -> Error {
    Error::Api {
        site: site(request),
        error: Box::new(ApiError {
            status_code: 400,
            message: "Duplicate Transaction Reference".into(),
            code: Some("duplicate_reference".into()),
            kind: Some("validation_error".into()),
            meta: Some(serde_json::json!({
                "nextStep": format!(
                    "Reference {reference} already belongs to batch {code}, which does not hold the other charges of this batch; use new references"
                )
            })),
            body: None,
            headers: Vec::new(),
            retry_after: None,
            outcome_unknown: None,
        }),
        attempts,
    }
}
