//! Every way a call can fail, as one typed enum the binding maps onto Python exceptions.
//! No variant ever holds the secret key.

use std::borrow::Cow;
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

/// `text`, cut to at most `max_chars` characters (an ellipsis marks the cut), so no error message
/// grows with its input.
pub fn clip(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((end, _)) => {
            let cut = text[..end].char_indices().last().map_or(0, |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..cut]))
        }
    }
}

/// `text`, its start cut so that at most `max_chars` characters remain: for an error chain,
/// whose root cause comes last.
pub fn clip_start(text: &str, max_chars: usize) -> Cow<'_, str> {
    let count = text.chars().count();
    if count <= max_chars {
        return Cow::Borrowed(text);
    }
    let start = text.char_indices().nth(count - max_chars + 1).map_or(text.len(), |(i, _)| i);
    Cow::Owned(format!("…{}", &text[start..]))
}

/// An error chain (`what: cause: root cause`) cut to at most about `max_chars` characters, keeping
/// its first part (what failed) and as many of its last parts (the root cause) as fit.
pub fn clip_chain(text: &str, max_chars: usize) -> Cow<'_, str> {
    if text.chars().count() <= max_chars {
        return Cow::Borrowed(text);
    }
    let parts: Vec<&str> = text.split(": ").collect();
    let head = clip(parts[0], max_chars / 3);
    let mut tail: Vec<&str> = Vec::new();
    let mut used = head.chars().count() + 3;
    for part in parts[1..].iter().rev() {
        let n = part.chars().count() + 2;
        if used + n > max_chars {
            break;
        }
        used += n;
        tail.push(part);
    }
    if tail.is_empty() {
        let last = parts.last().copied().unwrap_or_default();
        return Cow::Owned(format!("{head}: {}", clip_start(last, max_chars.saturating_sub(used))));
    }
    tail.reverse();
    let skipped = parts.len() - 1 - tail.len();
    let joined = tail.join(": ");
    Cow::Owned(if skipped == 0 { format!("{head}: {joined}") } else { format!("{head}: …: {joined}") })
}

/// What one problem's description may take in a message: a field name (a batch item's unknown
/// key is the caller's text) and the problem itself.
const FIELD_CHARS: usize = 40;
const PROBLEM_CHARS: usize = 130;

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = clip(&self.field, FIELD_CHARS);
        let message = clip(&self.message, PROBLEM_CHARS);
        match self.index {
            Some(i) => write!(f, "charges[{i}].{field}: {message}"),
            None => write!(f, "{field}: {message}"),
        }
    }
}

/// Input rejected before anything was sent: every problem found, not just the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub issues: Vec<Issue>,
}

/// A message describes the problems that fit in this many characters (the first always), then
/// names where the others are, as far as that fits too. A 1000-item batch with one mistake
/// repeated would otherwise make a message of tens of kilobytes in every log line. The error's
/// list of issues stays complete.
const MESSAGE_BUDGET: usize = 300;
/// Room kept after the described problems for "; and N more: <where>…".
const REST_RESERVE: usize = 70;
const ALL_LISTED: &str = " (every one is in the error's list)";

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.issues.len();
        let mut message = format!("{n} invalid parameter{}: ", if n == 1 { "" } else { "s" });
        let length = |m: &String| m.chars().count();
        let mut described = 0;
        for (i, issue) in self.issues.iter().enumerate() {
            let text = issue.to_string();
            let reserve = if i + 1 < n { REST_RESERVE } else { 0 };
            if described > 0 && length(&message) + 2 + text.chars().count() + reserve > MESSAGE_BUDGET {
                break;
            }
            if described > 0 {
                message.push_str("; ");
            }
            message.push_str(&text);
            described += 1;
        }
        let rest = &self.issues[described..];
        if !rest.is_empty() {
            // "; and N more at a, b, …" as far as it fits with the closing words; when not even one
            // place fits, "; and N more (every one …)".
            let head = format!("; and {} more", rest.len());
            let closing = ", …".chars().count() + ALL_LISTED.chars().count();
            let mut places = String::new();
            let mut named = 0;
            for issue in rest {
                let location = clip(&issue.location(), FIELD_CHARS + 14).into_owned();
                let separator = if named == 0 { " at " } else { ", " };
                let tail = if named + 1 < rest.len() { closing } else { 0 };
                let after = length(&message) + head.chars().count() + places.chars().count();
                if after + separator.len() + location.chars().count() + tail > MESSAGE_BUDGET {
                    break;
                }
                places.push_str(separator);
                places.push_str(&location);
                named += 1;
            }
            message.push_str(&head);
            message.push_str(&places);
            if named < rest.len() {
                if named > 0 {
                    message.push_str(", …");
                }
                message.push_str(ALL_LISTED);
            }
        }
        f.write_str(&message)
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

/// What recovery found that leaves a lost attempt's outcome unknown: the lookups were answered,
/// but their answers do not settle whether it went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved {
    /// The first charge's transaction has no creation time to find its batch by.
    NoCreationTime,
    /// No batch created around then holds the charges' references.
    NoBatchHoldsReferences,
    /// More batches were created around then than recovery compares.
    TooManyBatchesAtOnce,
    /// More batches were created since than recovery reads.
    TooManyNewerBatches,
    /// Not found yet, and no time or retries are left to look again (an attempt that timed out
    /// may still be processed after the lookup).
    NotFoundYet,
    /// The request could not be rebuilt with a new reference.
    BodyNotRebuilt,
    /// A refund carries no reference to look it up by, so it is never sent again (the refund
    /// helpers compare the transaction's refunds before and after instead).
    RefundNotResent,
}

impl Unresolved {
    pub fn as_str(self) -> &'static str {
        match self {
            Unresolved::NoCreationTime => "the charge's transaction has no creation time",
            Unresolved::NoBatchHoldsReferences => "no batch holds the charges' references",
            Unresolved::TooManyBatchesAtOnce => "too many batches created at once",
            Unresolved::TooManyNewerBatches => "too many newer batches to look through",
            Unresolved::NotFoundYet => "not found yet, and no time or retries left to look again",
            Unresolved::BodyNotRebuilt => "the request could not be rebuilt with a new reference",
            Unresolved::RefundNotResent => "a refund is never sent twice",
        }
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
    /// An attempt's answer was lost and recovery's lookups could not establish what it did: its
    /// outcome is unknown (never a setting to fix).
    Recovery { site: CallSite, finding: Unresolved, attempts: u32, outcome_unknown: Option<String> },
}

impl Error {
    /// How many requests were sent for this call (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Validation(_) | Error::Config(_) => 0,
            Error::Api { attempts, .. }
            | Error::Connection { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::Recovery { attempts, .. } => *attempts,
        }
    }

    pub(crate) fn with_attempts(mut self, n: u32) -> Self {
        match &mut self {
            Error::Api { attempts, .. }
            | Error::Connection { attempts, .. }
            | Error::Timeout { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::Recovery { attempts, .. } => *attempts = n,
            Error::Validation(_) | Error::Config(_) => {}
        }
        self
    }

    /// For a charge whose outcome could not be established: the reference to verify later.
    pub fn outcome_unknown(&self) -> Option<&str> {
        match self {
            Error::Connection { outcome_unknown, .. }
            | Error::Timeout { outcome_unknown, .. }
            | Error::Recovery { outcome_unknown, .. } => outcome_unknown.as_deref(),
            Error::Api { error, .. } => error.outcome_unknown.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn mark_outcome_unknown(mut self, reference: &str) -> Self {
        match &mut self {
            Error::Connection { outcome_unknown, .. }
            | Error::Timeout { outcome_unknown, .. }
            | Error::Recovery { outcome_unknown, .. } => *outcome_unknown = Some(reference.to_string()),
            Error::Api { error, .. } => error.outcome_unknown = Some(reference.to_string()),
            _ => {}
        }
        self
    }

    /// Why an attempt failed, in a few words (for logs): `HTTP 503 Service Unavailable`,
    /// `read timeout after 0.150 s`, the root of a connection error.
    pub fn reason(&self) -> String {
        match self {
            Error::Api { error, .. } => format!("HTTP {} {}", error.status_code, clip(&error.message, 80)),
            Error::Connection { message, .. } => clip_chain(message, 100).into_owned(),
            Error::Timeout { phase, after, .. } => {
                format!("{} timeout after {:.3} s", phase.as_str(), after.as_secs_f64())
            }
            Error::Decode { status_code, message, .. } => {
                format!("HTTP {status_code} with a body that is not Paystack's: {}", clip(message, 80))
            }
            Error::Validation(e) => e.to_string(),
            Error::Config(m) => clip(m, 120).into_owned(),
            Error::Recovery { finding, .. } => finding.as_str().to_owned(),
        }
    }

    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Text that comes from the server or the network (Paystack's message, an error chain), cut to
/// this in a message; the whole text stays in the error's fields.
const SERVER_TEXT_CHARS: usize = 120;

/// A connection error's chain, cut to this: room for a Redis address and its TLS reason too.
const CONNECTION_TEXT_CHARS: usize = 160;

fn attempts_suffix(n: u32) -> String {
    if n <= 1 { String::new() } else { format!(" after {n} attempts") }
}

fn unknown_suffix(site: &CallSite, reference: &Option<String>) -> String {
    match reference {
        // A refund has no reference of its own: it is named by the transaction it refunds.
        Some(r) if site.endpoint == "refund.create" => {
            format!("; the outcome is unknown: list the refunds of transaction {r:?} before refunding again")
        }
        Some(r) => format!("; the outcome is unknown: verify reference {r:?} before charging again"),
        None => String::new(),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => e.fmt(f),
            Error::Config(message) => f.write_str(&clip(message, 300)),
            Error::Api { site, error, attempts } => write!(
                f,
                "{} (HTTP {}) from {site}{}{}",
                clip(&error.message, SERVER_TEXT_CHARS),
                error.status_code,
                attempts_suffix(*attempts),
                unknown_suffix(site, &error.outcome_unknown)
            ),
            Error::Connection { site, message, attempts, outcome_unknown } => write!(
                f,
                "connection error calling {site}: {}{}{}",
                clip_chain(message, CONNECTION_TEXT_CHARS),
                attempts_suffix(*attempts),
                unknown_suffix(site, outcome_unknown)
            ),
            Error::Timeout { site, phase, after, attempts, outcome_unknown } => write!(
                f,
                "{} timeout ({:.3}s) calling {site}{}{}",
                phase.as_str(),
                after.as_secs_f64(),
                attempts_suffix(*attempts),
                unknown_suffix(site, outcome_unknown)
            ),
            Error::Decode { site, status_code, message, attempts } => write!(
                f,
                "invalid response (HTTP {status_code}) from {site}: {}{}",
                clip(message, SERVER_TEXT_CHARS),
                attempts_suffix(*attempts)
            ),
            Error::Recovery { site, finding, attempts, outcome_unknown } => write!(
                f,
                "could not establish what an attempt of {site} whose answer was lost did: {}{}{}",
                finding.as_str(),
                attempts_suffix(*attempts),
                unknown_suffix(site, outcome_unknown)
            ),
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
    fn a_long_list_of_issues_is_described_then_located_as_far_as_fits() {
        let many = ValidationError { issues: (0..25).map(|i| Issue::at(i, "amount", "must be positive")).collect() };
        let message = many.to_string();
        assert!(message.starts_with("25 invalid parameters: charges[0].amount: must be positive; "), "{message}");
        assert!(
            message.contains("charges[4].amount: must be positive; and 20 more at charges[5].amount, "),
            "{message}"
        );
        assert!(message.ends_with(", … (every one is in the error's list)"), "{message}");
        assert!(message.chars().count() <= 300, "{message}");
        let few = ValidationError { issues: (0..7).map(|i| Issue::at(i, "amount", "must be positive")).collect() };
        assert!(few.to_string().ends_with("; and 2 more at charges[5].amount, charges[6].amount"), "{few}");
        let one = ValidationError { issues: vec![Issue::new("email", "is required")] };
        assert_eq!(one.to_string(), "1 invalid parameter: email: is required");
    }

    #[test]
    fn the_places_of_the_rest_never_push_a_message_past_the_budget() {
        // Found by tests/test_messages.py: described problems that leave less room than the
        // first place and the closing words need ([{}, {"": None}, None] as charges).
        let item_fields = "is not a bulk charge field (expected one of authorization, amount, reference, attempt_partial_debit, at_least, metadata)";
        let issues = ValidationError {
            issues: vec![
                Issue::at(0, "authorization", "is required"),
                Issue::at(0, "amount", "is required"),
                Issue::at(1, "", item_fields),
                Issue::at(1, "authorization", "is required"),
                Issue::at(1, "amount", "is required"),
                Issue::at(2, "", "must be a BulkChargeItem or a dict"),
            ],
        };
        let message = issues.to_string();
        assert!(message.chars().count() <= 300, "{} {message}", message.chars().count());
        assert!(message.ends_with("; and 3 more (every one is in the error's list)"), "{message}");
        for extra in 0..120 {
            let padded = ValidationError {
                issues: (0..5).map(|i| Issue::at(i, "x".repeat(extra % 40 + 1), "y".repeat(extra))).collect(),
            };
            assert!(padded.to_string().chars().count() <= 300, "{padded}");
        }
    }

    #[test]
    fn messages_stay_short_whatever_the_input() {
        let long = "x".repeat(10_000);
        let issues = ValidationError { issues: vec![Issue::new(long.clone(), long.clone()), Issue::at(3, "a", &long)] };
        assert!(issues.to_string().chars().count() <= 300, "{issues}");
        assert_eq!(clip("héllo", 3), "hé…");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip_start("héllo", 3), "…lo");
        assert_eq!(clip_start("abc", 3), "abc");
        let chain = "the answer broke off: error decoding response body: error reading a body from connection: end of file before message length reached";
        assert_eq!(
            clip_chain(chain, 110),
            "the answer broke off: …: error reading a body from connection: end of file before message length reached"
        );
        assert_eq!(clip_chain(chain, 100), "the answer broke off: …: end of file before message length reached");
        assert_eq!(clip_chain("short: chain", 100), "short: chain");
        assert!(clip_chain(&"x".repeat(500), 100).chars().count() <= 100);
        let site =
            CallSite { endpoint: "transaction.verify".into(), method: "GET", path: "/transaction/verify/{reference}" };
        let api = Error::Api {
            site: site.clone(),
            error: Box::new(ApiError {
                status_code: 500,
                message: long.clone(),
                code: None,
                kind: None,
                meta: None,
                body: None,
                headers: Vec::new(),
                retry_after: None,
                outcome_unknown: Some("r".repeat(40)),
            }),
            attempts: 3,
        };
        let connection = Error::Connection { site, message: long.clone(), attempts: 2, outcome_unknown: None };
        for error in [api, connection, Error::Config(long)] {
            assert!(error.to_string().chars().count() <= 330, "{error}");
        }
    }

    #[test]
    fn a_recovery_finding_is_an_unknown_outcome_not_a_setting() {
        let site = CallSite { endpoint: "bulk_charge.initiate".into(), method: "POST", path: "/bulkcharge" };
        let finding =
            Error::Recovery { site, finding: Unresolved::NoBatchHoldsReferences, attempts: 1, outcome_unknown: None };
        let error = finding.mark_outcome_unknown("ref-1").with_attempts(4);
        assert_eq!(error.outcome_unknown(), Some("ref-1"));
        assert_eq!(error.attempts(), 4);
        assert_eq!(error.reason(), "no batch holds the charges' references");
        assert_eq!(
            error.to_string(),
            "could not establish what an attempt of bulk_charge.initiate (POST /bulkcharge) whose answer was lost did: \
             no batch holds the charges' references after 4 attempts; the outcome is unknown: verify reference \"ref-1\" \
             before charging again"
        );
    }
}
