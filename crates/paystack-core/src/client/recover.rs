//! Finding out what an attempt whose answer was lost did, before ever sending it again: a charge
//! or an initialization by verifying its reference; a batch through its first item's reference
//! (and, failing that, the batches created around then). `settle` turns what was found into the
//! call's next move, in one place.

use std::sync::Arc;

use bytes::Bytes;
use paystack_facts::{errors, messages};
use serde_json::Value;

use super::backoff::Budget;
use super::classify::{is_definitive, is_not_found};
use super::exposure::authorization_of;
use super::parts::{Client, Limits, Reply, Tries, first_reference, site};
use super::retry::Stop;
use crate::endpoint::Safety;
use crate::endpoints;
use crate::envelope::{Decoder, JsonDecoder};
use crate::error::{ApiError, Error, Unresolved};
use crate::observe::{Area, Event, Finding, Level};
use crate::request::{Arg, PreparedRequest, named_args, prepare};
use crate::semantics;
use crate::timestamp;

/// Bulk recovery without the batch code in the transaction's metadata looks at this many pages of
/// 100 batches at most, and compares at most this many candidates, before it calls the outcome
/// unknown (rather than risk a second batch).
const SCAN_PAGES: u32 = 10;
const SCAN_CANDIDATES: usize = 20;
/// A batch created within this much of its first charge's transaction is a candidate.
const SCAN_WINDOW_MS: i64 = 2_000;

/// What recovery found out about an attempt whose answer was lost.
enum Found<T> {
    /// It went through: here is the result.
    Yes(Reply<T>),
    /// It did not: send again.
    No,
    /// It created an unpaid transaction under a reference we generated: send again with a new one.
    NewReference,
    /// Could not tell: a lookup failed, or its answers do not settle it (`Error::Recovery`).
    Unknown(Error),
}

/// The call's next move after recovery.
pub(super) enum Settled<T> {
    /// The lost attempt went through: its result.
    WentThrough(Reply<T>),
    /// It did not: send this request (the same, or with a new reference).
    SendAgain(PreparedRequest),
    /// The error to raise (the attempt's own, marked outcome unknown, unless a lookup was refused).
    Unknown(Error),
}

impl Client {
    /// Finds out what the attempt that failed with `failure` did, and what the call does next.
    /// `last`: nothing may be sent again, so "it did not go through" is not proof enough (an
    /// attempt that timed out may still be processed after the lookup).
    pub(super) async fn settle<D: Decoder>(
        &self,
        request: &PreparedRequest,
        failure: Error,
        limits: Limits<'_>,
        decoder: &D,
        tries: &mut Tries,
        last: bool,
    ) -> Settled<D::Output> {
        self.report_recovering(request, &failure);
        let before = tries.attempts;
        let (found, n) = self.recover(request, limits, decoder, tries.attempts).await;
        tries.attempts = n;
        let (finding, next) = match found {
            Found::Yes(mut reply) => {
                reply.attempts = n;
                (Finding::WentThrough, Settled::WentThrough(reply))
            }
            Found::Unknown(lookup) if is_definitive(&lookup) => return Settled::Unknown(lookup),
            Found::Unknown(lookup) => return Settled::Unknown(self.outcome_unknown(failure, request, &lookup, n)),
            Found::No | Found::NewReference if last => {
                let why = unresolved(request, Unresolved::NotFoundYet, n);
                return Settled::Unknown(self.outcome_unknown(failure, request, &why, n));
            }
            Found::No => (Finding::NotFound, Settled::SendAgain(request.clone())),
            Found::NewReference => match regenerate_reference(request, n) {
                Ok(next) => (Finding::NewReference, Settled::SendAgain(next)),
                Err(e) => return Settled::Unknown(e),
            },
        };
        if let (Some(observer), Some(reference)) = (self.wants(Area::Recovery, Level::Info), first_reference(request)) {
            observer.record(&Event::Recovered { endpoint: request.endpoint, reference, finding, lookups: n - before });
        }
        next
    }

    fn report_recovering(&self, request: &PreparedRequest, failure: &Error) {
        if let (Some(observer), Some(reference)) = (self.wants(Area::Recovery, Level::Info), first_reference(request)) {
            let reason = failure.reason();
            observer.record(&Event::Recovering { endpoint: request.endpoint, reference, reason: &reason });
        }
    }

    /// What the lost attempt did, and the attempt count including the lookups.
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
            // No reference to look a refund up by here: refunds::create compares the transaction's
            // refunds before and after instead, and never sends again.
            Safety::RefundOnce => {
                (Found::Unknown(unresolved(request, Unresolved::RefundNotResent, attempts)), attempts)
            }
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
        let verify = [("reference", Value::String(reference.clone()))];
        match self.look_up("transaction.verify", verify, limits, decoder, attempts).await {
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
            Err((e, n)) if is_not_found(&e) => (Found::No, n),
            Err((e, n)) => (Found::Unknown(e), n),
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
        let (transaction, mut attempts) = match self.look_up_json("transaction.verify", verify, limits, attempts).await
        {
            Ok(found) => found,
            Err((Found::Unknown(e), n)) if is_not_found(&e) => return (Found::No, n),
            Err(failed) => return failed,
        };
        let data = transaction.get("data").unwrap_or(&Value::Null);
        let candidates = match semantics::batch_code_of(data) {
            Some(code) => vec![code],
            None => {
                let created = data.get("createdAt").or_else(|| data.get("created_at")).and_then(Value::as_str);
                let Some(created) = created.and_then(|c| timestamp::parse(c).ok()) else {
                    return (Found::Unknown(unresolved(request, Unresolved::NoCreationTime, attempts)), attempts);
                };
                match self.batches_created_near(request, created.epoch_ms, limits, attempts).await {
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
            let page = match self.look_up_json("bulk_charge.charges", charges, limits, attempts).await {
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
            return match self
                .look_up("bulk_charge.fetch", [("code", Value::String(code))], limits, decoder, attempts)
                .await
            {
                Ok(mut reply) => {
                    let n = reply.attempts;
                    reply.recovered = true;
                    reply.item_references = Arc::clone(ours);
                    (Found::Yes(reply), n)
                }
                Err((e, n)) => (Found::Unknown(e), n),
            };
        }
        (Found::Unknown(unresolved(request, Unresolved::NoBatchHoldsReferences, attempts)), attempts)
    }

    /// The codes of the batches created within `SCAN_WINDOW_MS` of `created_ms` (server time),
    /// newest first, read from the list until it reaches older batches.
    async fn batches_created_near<T>(
        &self,
        request: &PreparedRequest,
        created_ms: i64,
        limits: Limits<'_>,
        attempts: u32,
    ) -> Result<(Vec<String>, u32), (Found<T>, u32)> {
        let mut attempts = attempts;
        let mut codes = Vec::new();
        for page in 1..=SCAN_PAGES {
            let list = [("per_page", Value::from(100)), ("page", Value::from(page))];
            let (body, n) = self.look_up_json("bulk_charge.list", list, limits, attempts).await?;
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
                    let finding = unresolved(request, Unresolved::TooManyBatchesAtOnce, attempts);
                    return Err((Found::Unknown(finding), attempts));
                }
            }
            if batches.len() < 100 {
                return Ok((codes, attempts));
            }
        }
        Err((Found::Unknown(unresolved(request, Unresolved::TooManyNewerBatches, attempts)), attempts))
    }

    /// A read made while recovering (the endpoint and its arguments by name), with the lookups'
    /// budget: as often as the deadline allows. On failure, the error and the attempt count.
    async fn look_up<D: Decoder, const N: usize>(
        &self,
        name: &str,
        args: [(&str, Value); N],
        limits: Limits<'_>,
        decoder: &D,
        attempts: u32,
    ) -> Result<Reply<D::Output>, (Error, u32)> {
        let request = lookup(name, args).map_err(|e| (e, attempts))?;
        let mut tries = Tries { attempts, sends: 0 };
        match self.retry(&request, limits, decoder, Budget::UntilDeadline, &mut tries, None).await {
            Ok(reply) => Ok(reply),
            Err(Stop::Failed(error) | Stop::Unverified { error, .. }) => Err((error, tries.attempts)),
        }
    }

    /// A lookup's answer as JSON; on failure, what recovery reports.
    async fn look_up_json<T, const N: usize>(
        &self,
        name: &str,
        args: [(&str, Value); N],
        limits: Limits<'_>,
        attempts: u32,
    ) -> Result<(Value, u32), (Found<T>, u32)> {
        match self.look_up(name, args, limits, &JsonDecoder, attempts).await {
            Ok(reply) => Ok((reply.body, reply.attempts)),
            Err((e, n)) => Err((Found::Unknown(e), n)),
        }
    }

    /// The error of a call whose charge may or may not have happened, which the observer hears of
    /// (`why`: what kept recovery from finding out).
    fn outcome_unknown(&self, error: Error, request: &PreparedRequest, why: &Error, attempts: u32) -> Error {
        let Some(reference) = first_reference(request) else { return error.with_attempts(attempts) };
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
        error.mark_outcome_unknown(reference).with_attempts(attempts)
    }
}

/// What recovery found that leaves the attempt's outcome unknown.
fn unresolved(request: &PreparedRequest, finding: Unresolved, attempts: u32) -> Error {
    Error::Recovery {
        site: site(request),
        finding,
        attempts,
        outcome_unknown: first_reference(request).map(str::to_owned),
    }
}

/// A recovery lookup: the endpoint and its arguments by name, never by position.
fn lookup<const N: usize>(name: &str, args: [(&str, Value); N]) -> Result<PreparedRequest, Error> {
    let endpoint = endpoints::by_name(name).ok_or_else(|| Error::Config(format!("no endpoint {name}")))?;
    let args = named_args(endpoint, args.map(|(param, value)| (param, Arg::Json(value))))?;
    Ok(prepare(endpoint, &args)?)
}

fn reference_was_generated(reference: &str) -> bool {
    reference.starts_with("psrs-")
}

/// The request again with a new generated reference (its unpaid transaction keeps the old one).
fn regenerate_reference(request: &PreparedRequest, attempts: u32) -> Result<PreparedRequest, Error> {
    let body: Option<Value> = request.body.as_deref().and_then(|b| serde_json::from_slice(b).ok());
    let fresh = crate::reference::generate();
    let rebuilt = body.and_then(|mut body| {
        body["reference"] = Value::String(fresh.clone());
        serde_json::to_vec(&body).ok()
    });
    let Some(rebuilt) = rebuilt else { return Err(unresolved(request, Unresolved::BodyNotRebuilt, attempts)) };
    let mut next = request.clone();
    next.body = Some(Bytes::from(rebuilt));
    next.reference = Some(fresh);
    Ok(next)
}

fn lost_checkout_error(request: &PreparedRequest, reference: &str, attempts: u32) -> Error {
    duplicate_reference(
        request,
        format!(
            "An earlier attempt of this call created transaction {reference} but its answer (with the checkout URL) was lost; initialize again with a new reference"
        ),
        attempts,
    )
}

/// Paystack's own refusal of a reference it already has (its message, code and type), with what
/// to do next: what a recovery answers when the reference is taken by something else.
fn duplicate_reference(request: &PreparedRequest, next_step: String, attempts: u32) -> Error {
    Error::Api {
        site: site(request),
        error: Box::new(ApiError {
            status_code: 400,
            message: messages::DUPLICATE_REFERENCE.text.into(),
            code: Some(errors::DUPLICATE_REFERENCE.into()),
            kind: Some(errors::VALIDATION_ERROR.into()),
            meta: Some(serde_json::json!({ "nextStep": next_step })),
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

fn reference_in_other_batch(request: &PreparedRequest, reference: &str, code: &str, attempts: u32) -> Error {
    duplicate_reference(
        request,
        format!(
            "Reference {reference} already belongs to batch {code}, which does not hold the other charges of this batch; use new references"
        ),
        attempts,
    )
}
