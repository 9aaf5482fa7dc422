//! What an attempt's outcome means: a reply, an error to raise, or a reason to try again (and
//! whether the attempt may have been processed); and what a Paystack refusal is, as the client
//! recognises it ([`Reason`], which Python shows as `APIError.reason`).

use std::sync::Arc;
use std::time::Duration;

use super::parts::{Reply, site};
use crate::endpoint::Safety;
use crate::envelope::{Decoder, Envelope, api_error, check_envelope};
use crate::error::{ApiError, Error};
use crate::request::PreparedRequest;
use crate::semantics::{self, Reason};
use crate::transport::{Answer, Delivery, Failure, header_pairs};

/// What the last attempt tells us to do next.
pub(super) enum Step<T> {
    Done(Reply<T>),
    Fail(Error),
    /// Try again after a backoff. `unknown`: the attempt may have been processed.
    Retry {
        error: Error,
        hint: Option<Duration>,
        unknown: bool,
    },
}

/// Reads one attempt's outcome (`resent`: an earlier attempt of this request was sent).
pub(super) fn step<D: Decoder>(
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
                Some((phase, after)) => Error::Timeout { site: site(), phase, after, attempts, outcome_unknown: None },
                None => Error::Connection { site: site(), message: failure.message, attempts, outcome_unknown: None },
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
                reference: request.reference.clone(),
                item_references: Arc::clone(&request.item_references),
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
    let duplicate = error.reason() == Some(Reason::DuplicateReference);
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

impl ApiError {
    /// What this refusal means (`semantics::Reason`), or `None` when the client does not recognise it.
    pub fn reason(&self) -> Option<Reason> {
        semantics::reason(self.status_code, self.code.as_deref(), &self.message)
    }
}

/// Paystack refused the request for the quota (429).
pub(super) fn is_rate_limited(error: &Error) -> bool {
    error.api().is_some_and(|e| e.status_code == 429)
}

/// A lookup answered that what it looked for does not exist.
pub(super) fn is_not_found(error: &Error) -> bool {
    error.api().and_then(ApiError::reason) == Some(Reason::NotFound)
}

/// A lookup answered with a client error (401, or our own duplicate-reference error): that is
/// the answer to give, not a reason to call the outcome unknown.
pub(super) fn is_definitive(lookup: &Error) -> bool {
    lookup.api().is_some_and(|e| (400..500).contains(&e.status_code) && e.status_code != 429)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(status_code: u16, code: Option<&str>, message: &str) -> ApiError {
        ApiError {
            status_code,
            message: message.into(),
            code: code.map(str::to_owned),
            kind: None,
            meta: None,
            body: None,
            headers: Vec::new(),
            retry_after: None,
            outcome_unknown: None,
        }
    }

    #[test]
    fn refusals_are_recognised_by_code_or_message() {
        let cases = [
            (400, Some("duplicate_reference"), "Duplicate Transaction Reference", Some(Reason::DuplicateReference)),
            (400, None, "duplicate transaction reference", Some(Reason::DuplicateReference)),
            (400, None, "Transaction reference not found.", Some(Reason::NotFound)),
            (404, Some("not_found"), "Bulk charge code not found", Some(Reason::NotFound)),
            // A 5xx that mentions "not found" is a server failure, not an answer.
            (500, None, "upstream not found", None),
            (429, None, "Too many requests", Some(Reason::RateLimited)),
            (401, None, "Invalid key", Some(Reason::InvalidKey)),
            (400, Some("invalid_params"), "Invalid amount", None),
        ];
        for (status, code, message, expected) in cases {
            assert_eq!(refusal(status, code, message).reason(), expected, "{status} {message}");
        }
        assert_eq!(Reason::DuplicateReference.as_str(), "duplicate_reference");
        assert_eq!(Reason::NotFound.as_str(), "not_found");
    }
}
