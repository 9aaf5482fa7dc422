//! Every way a call can fail, as one typed enum the binding maps onto Python exceptions.
//! No variant ever holds the secret key.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// One problem with the input, named by field and, inside a list, by item index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The item index inside a list parameter (bulk charges), if any.
    pub index: Option<usize>,
    /// The Python name of the field (`amount`, `charges`, `reference`).
    pub field: String,
    pub message: String,
}

impl Issue {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Issue { index: None, field: field.into(), message: message.into() }
    }

    pub fn at(index: usize, field: impl Into<String>, message: impl Into<String>) -> Self {
        Issue { index: Some(index), field: field.into(), message: message.into() }
    }

    /// `charges[3].amount` or `email`.
    pub fn location(&self) -> String {
        match self.index {
            Some(i) => format!("charges[{i}].{}", self.field),
            None => self.field.clone(),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// Input rejected before anything was sent: every problem found, not just the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub issues: Vec<Issue>,
}

/// The message names this many problems at most; the rest are counted. A 1000-item batch with
/// one mistake repeated would otherwise make a message of tens of kilobytes in every log line.
/// The error's list of issues stays complete.
const ISSUES_IN_MESSAGE: usize = 10;

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.issues.len();
        write!(f, "{n} invalid parameter{}: ", if n == 1 { "" } else { "s" })?;
        for (i, issue) in self.issues.iter().take(ISSUES_IN_MESSAGE).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{issue}")?;
        }
        if n > ISSUES_IN_MESSAGE {
            write!(f, "; and {} more (every one is in the error's list)", n - ISSUES_IN_MESSAGE)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// An answer from Paystack with status 4xx/5xx (or a 2xx whose envelope says `status: false`).
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status_code: u16,
    pub message: String,
    /// Paystack's `code` (`duplicate_reference`, `not_found`, `rate_limited`, …) when given.
    pub code: Option<String>,
    /// Paystack's `type` (`validation_error`, `processor_error`, `api_error`) when given.
    pub kind: Option<String>,
    pub meta: Option<Value>,
    /// The whole body as JSON, or `None` when it was not JSON.
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
    /// How long the server asked us to wait (`Retry-After` / `x-ratelimit-reset`).
    pub retry_after: Option<Duration>,
    /// For a charge answered 5xx whose fate could not be established: the reference to verify.
    pub outcome_unknown: Option<String>,
}

/// What the transport was doing when it gave up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Connect,
    /// Waiting for the response headers or body.
    Read,
    /// The overall deadline of the call, across retries.
    Total,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Connect => "connect",
            Phase::Read => "read",
            Phase::Total => "total",
        }
    }
}

/// Where the failure happened, for messages: `transaction.verify (GET /transaction/verify/{reference})`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSite {
    pub endpoint: String,
    pub method: &'static str,
    pub path: &'static str,
}

impl fmt::Display for CallSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.endpoint, self.method, self.path)
    }
}

/// The error of a call.
#[derive(Debug, Clone)]
pub enum Error {
    /// Bad input; nothing was sent.
    Validation(ValidationError),
    /// The client is misconfigured (no key, a plain-http base URL off loopback, a bad CA file).
    Config(String),
    /// Paystack answered with an error.
    Api { site: CallSite, error: Box<ApiError>, attempts: u32 },
    /// The connection failed or broke.
    Connection { site: CallSite, message: String, attempts: u32, outcome_unknown: Option<String> },
    /// A timeout expired.
    Timeout { site: CallSite, phase: Phase, after: Duration, attempts: u32, outcome_unknown: Option<String> },
    /// Paystack answered 2xx with a body that is not a Paystack envelope.
    Decode { site: CallSite, status_code: u16, message: String, attempts: u32 },
}

impl Error {
    /// How many requests were sent for this call (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Validation(_) | Error::Config(_) => 0,
            Error::Api { attempts, .. }
            | Error::Connection { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Decode { attempts, .. } => *attempts,
        }
    }

    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            Error::Api { attempts, .. }
            | Error::Connection { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Decode { attempts, .. } => *attempts = n,
            Error::Validation(_) | Error::Config(_) => {}
        }
        self
    }

    /// For a charge whose outcome could not be established: the reference to verify later.
    pub fn outcome_unknown(&self) -> Option<&str> {
        match self {
            Error::Connection { outcome_unknown, .. } | Error::Timeout { outcome_unknown, .. } => {
                outcome_unknown.as_deref()
            }
            Error::Api { error, .. } => error.outcome_unknown.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn mark_outcome_unknown(mut self, reference: &str) -> Self {
        match &mut self {
            Error::Connection { outcome_unknown, .. } | Error::Timeout { outcome_unknown, .. } => {
                *outcome_unknown = Some(reference.to_string())
            }
            Error::Api { error, .. } => error.outcome_unknown = Some(reference.to_string()),
            _ => {}
        }
        self
    }

    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }
}

fn attempts_suffix(n: u32) -> String {
    if n <= 1 { String::new() } else { format!(" after {n} attempts") }
}

fn unknown_suffix(reference: &Option<String>) -> String {
    match reference {
        Some(r) => format!("; the outcome is unknown: verify reference {r:?} before charging again"),
        None => String::new(),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => e.fmt(f),
            Error::Config(message) => f.write_str(message),
            Error::Api { site, error, attempts } => write!(
                f,
                "{} (HTTP {}) from {site}{}{}",
                error.message,
                error.status_code,
                attempts_suffix(*attempts),
                unknown_suffix(&error.outcome_unknown)
            ),
            Error::Connection { site, message, attempts, outcome_unknown } => write!(
                f,
                "connection error calling {site}: {message}{}{}",
                attempts_suffix(*attempts),
                unknown_suffix(outcome_unknown)
            ),
            Error::Timeout { site, phase, after, attempts, outcome_unknown } => write!(
                f,
                "{} timeout ({:.3}s) calling {site}{}{}",
                phase.as_str(),
                after.as_secs_f64(),
                attempts_suffix(*attempts),
                unknown_suffix(outcome_unknown)
            ),
            Error::Decode { site, status_code, message, attempts } => {
                write!(f, "invalid response (HTTP {status_code}) from {site}: {message}{}", attempts_suffix(*attempts))
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Error::Validation(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_of_issues_is_counted_past_ten() {
        let many = ValidationError { issues: (0..25).map(|i| Issue::at(i, "amount", "must be positive")).collect() };
        let message = many.to_string();
        assert!(message.starts_with("25 invalid parameters: charges[0].amount: must be positive; "), "{message}");
        assert!(message.contains("charges[9].amount") && !message.contains("charges[10]"), "{message}");
        assert!(message.ends_with("; and 15 more (every one is in the error's list)"), "{message}");
        let one = ValidationError { issues: vec![Issue::new("email", "is required")] };
        assert_eq!(one.to_string(), "1 invalid parameter: email: is required");
    }
}
