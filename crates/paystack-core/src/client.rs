//! A call from start to finish: rate limit, attempt, classify the outcome, back off, and — for
//! POSTs that move money — find out what happened before ever sending again.
//!
//! The rules:
//! - a connection that was never established is retried for any endpoint;
//! - 429 is retried for any endpoint (Paystack refused it unprocessed), after its `Retry-After`;
//! - 5xx, timeouts, broken or garbled answers are retried as they are for reads; for charges and
//!   initializations the earlier attempt may have gone through, so the client first verifies the
//!   reference (or looks for the batch) and only sends again if it finds nothing;
//! - everything happens inside one overall deadline, and the error says how many attempts were made.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use paystack_facts::{errors, messages};
use serde_json::Value;

use crate::backoff;
use crate::config::ClientConfig;
use crate::decode::{Decoder, Envelope, JsonDecoder, api_error, check_envelope};
use crate::endpoint::Safety;
use crate::endpoints;
use crate::error::{ApiError, CallSite, Error, Phase};
use crate::ratelimit::RateLimiter;
use crate::reference::ItemReferences;
use crate::request::{Arg, PreparedRequest, prepare};
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
    limiter: Option<Arc<RateLimiter>>,
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

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        let transport = Transport::new(&config)?;
        let limiter = config.rate_limit.map(|quota| Arc::new(RateLimiter::new(quota)));
        Ok(Client { transport, config, limiter })
    }

    /// A client with the same settings and the same rate limiter but a connection pool of its
    /// own: for a thread that drives its own runtime, so its sockets never change threads.
    pub fn sibling(&self) -> Result<Self, Error> {
        Ok(Client {
            transport: Transport::new(&self.config)?,
            config: self.config.clone(),
            limiter: self.limiter.clone(),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn base_url(&self) -> &str {
        self.transport.base_url()
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
        let deadline = Instant::now() + total;
        self.run(request, options, decoder, deadline, 0).await
    }

    /// The retry loop. `spent` counts requests already sent on behalf of this call (recovery
    /// lookups run their own loop and add theirs to the caller's count).
    async fn run<D: Decoder>(
        &self,
        mut request: PreparedRequest,
        options: &CallOptions,
        decoder: &D,
        deadline: Instant,
        spent: u32,
    ) -> Result<Reply<D::Output>, Error> {
        let max_retries = options.max_retries.unwrap_or(self.config.retry.max_retries);
        let read = options.read_timeout.unwrap_or(self.config.timeouts.read);
        let safety = request.endpoint.safety;
        let mut attempts = spent;
        let mut sends = 0u32;
        let mut body = request.body.clone();
        // The failure of the last attempt, when its outcome is unknown and must be checked first.
        let mut unresolved: Option<Error> = None;

        loop {
            if let Some(failure) = unresolved.take() {
                match Box::pin(self.recover(&request, options, decoder, deadline, attempts)).await {
                    (Found::Yes(mut reply), n) => {
                        reply.attempts = n;
                        return Ok(reply);
                    }
                    (Found::No, n) => attempts = n,
                    (Found::NewReference, n) => {
                        attempts = n;
                        request = regenerate_reference(&request)?;
                        body = request.body.clone();
                    }
                    // The lookup failed too: report the attempt's own failure, flagged as unknown.
                    (Found::Unknown(lookup), n) => {
                        return Err(if is_definitive(&lookup) {
                            lookup
                        } else {
                            self.outcome_unknown(failure, &request).with_attempts(n)
                        });
                    }
                }
            }

            if let Some(limiter) = &self.limiter {
                if let Err(wait) = limiter.acquire(deadline).await {
                    return Err(Error::Timeout {
                        site: site(&request),
                        phase: Phase::Total,
                        after: wait,
                        attempts,
                        outcome_unknown: None,
                    });
                }
            }

            attempts += 1;
            sends += 1;
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

            let out_of_tries = sends > max_retries;
            let delay = backoff::delay(&self.config.retry, sends, hint);
            let out_of_time = Instant::now() + delay >= deadline;
            if out_of_tries || out_of_time {
                if unknown {
                    // One last look, so a charge that went through is reported as such.
                    return match Box::pin(self.recover(&request, options, decoder, deadline, attempts)).await {
                        (Found::Yes(mut reply), n) => {
                            reply.attempts = n;
                            Ok(reply)
                        }
                        (Found::Unknown(lookup), _) if is_definitive(&lookup) => Err(lookup),
                        (_, n) => Err(self.outcome_unknown(error, &request).with_attempts(n)),
                    };
                }
                return Err(error.with_attempts(attempts));
            }
            tokio::time::sleep(delay).await;
            if unknown {
                unresolved = Some(error);
            }
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
        options: &CallOptions,
        decoder: &D,
        deadline: Instant,
        attempts: u32,
    ) -> (Found<D::Output>, u32) {
        match request.endpoint.safety {
            Safety::Idempotent => (Found::No, attempts),
            Safety::ChargeByReference | Safety::InitializeByReference => {
                self.recover_by_reference(request, options, decoder, deadline, attempts).await
            }
            Safety::BulkInitiate => self.recover_batch(request, options, decoder, deadline, attempts).await,
        }
    }

    async fn recover_by_reference<D: Decoder>(
        &self,
        request: &PreparedRequest,
        options: &CallOptions,
        decoder: &D,
        deadline: Instant,
        attempts: u32,
    ) -> (Found<D::Output>, u32) {
        let Some(reference) = request.reference.clone() else { return (Found::No, attempts) };
        let verify = match lookup(("transaction", "verify"), &[Some(Value::String(reference.clone()))]) {
            Ok(r) => r,
            Err(e) => return (Found::Unknown(e), attempts),
        };
        match self.run(verify, options, decoder, deadline, attempts).await {
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

    async fn recover_batch<D: Decoder>(
        &self,
        request: &PreparedRequest,
        options: &CallOptions,
        decoder: &D,
        deadline: Instant,
        attempts: u32,
    ) -> (Found<D::Output>, u32) {
        let mut attempts = attempts;
        let ours = &request.item_references;
        // A batch is ours if its charges carry our (random, unique) references. Only the newest
        // page of batches is examined: the lost attempt was made moments ago.
        let list = [Some(Value::from(50)), Some(Value::from(1)), None, None, None];
        let batches = match self.look_up(("bulk_charge", "list"), &list, options, deadline, attempts).await {
            Ok((body, n)) => {
                attempts = n;
                body
            }
            Err(failed) => return failed,
        };
        let codes: Vec<String> = batches
            .get("data")
            .and_then(Value::as_array)
            .map(|items| {
                items.iter().filter_map(|b| b.get("batch_code").and_then(Value::as_str).map(str::to_owned)).collect()
            })
            .unwrap_or_default();
        let per_page = Value::from(ours.len().clamp(1, 1000));
        for code in codes {
            let charges =
                [Some(Value::String(code.clone())), None, Some(per_page.clone()), Some(Value::from(1)), None, None];
            let page = match self.look_up(("bulk_charge", "charges"), &charges, options, deadline, attempts).await {
                Ok((body, n)) => {
                    attempts = n;
                    body
                }
                Err(failed) => return failed,
            };
            if !charge_references(&page).any(|r| ours.iter().any(|o| o == r)) {
                continue;
            }
            let fetch = match lookup(("bulk_charge", "fetch"), &[Some(Value::String(code))]) {
                Ok(r) => r,
                Err(e) => return (Found::Unknown(e), attempts),
            };
            return match self.run(fetch, options, decoder, deadline, attempts).await {
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
        (Found::No, attempts)
    }

    /// A read made while recovering, as JSON; on failure, what recovery reports.
    async fn look_up<T>(
        &self,
        name: (&str, &str),
        args: &[Option<Value>],
        options: &CallOptions,
        deadline: Instant,
        attempts: u32,
    ) -> Result<(Value, u32), (Found<T>, u32)> {
        let request = lookup(name, args).map_err(|e| (Found::Unknown(e), attempts))?;
        match self.run(request, options, &JsonDecoder, deadline, attempts).await {
            Ok(reply) => Ok((reply.body, reply.attempts)),
            Err(e) => {
                let n = e.attempts();
                Err((Found::Unknown(e), n))
            }
        }
    }

    fn outcome_unknown(&self, error: Error, request: &PreparedRequest) -> Error {
        match (&request.reference, request.item_references.first()) {
            (Some(r), _) => error.mark_outcome_unknown(r),
            (None, Some(first)) => error.mark_outcome_unknown(first),
            (None, None) => error,
        }
    }
}

fn site(request: &PreparedRequest) -> CallSite {
    CallSite {
        endpoint: request.endpoint.qualified_name(),
        method: request.endpoint.method.as_str(),
        path: request.endpoint.path,
    }
}

fn lookup(name: (&str, &str), args: &[Option<Value>]) -> Result<PreparedRequest, Error> {
    let endpoint =
        endpoints::find(name.0, name.1).ok_or_else(|| Error::Config(format!("no endpoint {}.{}", name.0, name.1)))?;
    let args: Vec<Option<Arg>> = args.iter().map(|a| a.clone().map(Arg::Json)).collect();
    Ok(prepare(endpoint, &args)?)
}

/// Paystack's answer for a reference already used (docs/paystack-api.md §2.3).
fn is_duplicate_reference(error: &ApiError) -> bool {
    error.code.as_deref() == Some(errors::DUPLICATE_REFERENCE)
        || error.message.to_ascii_lowercase().contains(&messages::DUPLICATE_REFERENCE.text.to_ascii_lowercase())
}

/// Verify's answer for an unknown reference: 400 "Transaction reference not found." (observed)
/// or 404 (per the OAS).
fn is_not_found(error: &Error) -> bool {
    error.api().is_some_and(|e| {
        matches!(e.status_code, 400 | 404)
            && (e.code.as_deref() == Some(errors::NOT_FOUND) || e.message.to_ascii_lowercase().contains("not found"))
    })
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
