//! What a call reports while it runs: each request, each retry and recovery step, and the charges
//! whose outcome it could not establish. The core emits these as structured events through an
//! [`Observer`]; the Python binding turns them into `logging` records (logger `paystack_rs`).
//!
//! An observer is asked whether an area and level are wanted before an event is even built, so a
//! disabled one costs a branch per request. Events never carry a secret key, a request body or card
//! data; an authorization code appears only as its last four characters.

use std::fmt;
use std::time::Duration;

use crate::endpoint::Endpoint;
use crate::error::clip;

/// How much an event matters (the values are Python's logging levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Debug = 10,
    Info = 20,
    Warning = 30,
}

/// Which part of a call an event comes from (a child logger each: `paystack_rs.http`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    /// One line per HTTP request.
    Http,
    /// Sending again after a failure.
    Retry,
    /// Finding out what a request whose answer was lost did, and what could not be found out.
    Recovery,
    /// The quota: a 429's pause, the shared limiter's Redis going and coming back.
    RateLimit,
}

impl Area {
    pub const ALL: [Area; 4] = [Area::Http, Area::Retry, Area::Recovery, Area::RateLimit];

    pub fn as_str(self) -> &'static str {
        match self {
            Area::Http => "http",
            Area::Retry => "retry",
            Area::Recovery => "recovery",
            Area::RateLimit => "ratelimit",
        }
    }
}

/// How a recovery step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// The lost attempt went through; its result is returned and nothing is sent again.
    WentThrough,
    /// It did not: the request is sent again.
    NotFound,
    /// It created an unpaid transaction under a generated reference: sent again with a new one.
    NewReference,
}

/// Why a call stopped before it could settle a request that moves money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abandoned {
    /// Its request was on the wire: it may have been processed.
    OnTheWire,
    /// An earlier attempt's answer was lost and it had not yet been verified.
    Unverified,
}

/// One thing a call reports.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// One HTTP attempt ended: answered with `status`, or failed (`failure`).
    Request {
        endpoint: &'static Endpoint,
        path: &'a str,
        status: Option<u16>,
        failure: Option<&'a str>,
        duration: Duration,
        attempt: u32,
    },
    /// The call will send again after `delay`.
    Retry { endpoint: &'static Endpoint, attempt: u32, reason: &'a str, delay: Duration },
    /// An attempt's answer was lost: the call looks for what it did before sending again.
    Recovering { endpoint: &'static Endpoint, reference: &'a str, reason: &'a str },
    /// What the lookups found.
    Recovered { endpoint: &'static Endpoint, reference: &'a str, finding: Finding, lookups: u32 },
    /// The call ends without knowing whether the charge went through.
    OutcomeUnknown { endpoint: &'static Endpoint, reference: &'a str, authorization: Option<&'a str>, reason: &'a str },
    /// The call was cancelled (or interrupted) before it could settle its request.
    Abandoned { endpoint: &'static Endpoint, reference: &'a str, authorization: Option<&'a str>, how: Abandoned },
    /// A 429: every caller sharing the limiter waits `delay` (`shared`: through Redis).
    Paused { endpoint: &'static Endpoint, delay: Duration, shared: bool },
    /// The shared limiter's Redis cannot be reached (told once per outage); `fallback`: calls go
    /// on under the process's own limiter, else they fail.
    LimiterDown { endpoint: &'static Endpoint, store: &'a str, reason: &'a str, fallback: bool },
    /// The shared limiter's Redis answers again.
    LimiterBack { endpoint: &'static Endpoint, store: &'a str },
}

impl Event<'_> {
    pub fn area(&self) -> Area {
        match self {
            Event::Request { .. } => Area::Http,
            Event::Retry { .. } => Area::Retry,
            Event::Recovering { .. }
            | Event::Recovered { .. }
            | Event::OutcomeUnknown { .. }
            | Event::Abandoned { .. } => Area::Recovery,
            Event::Paused { .. } | Event::LimiterDown { .. } | Event::LimiterBack { .. } => Area::RateLimit,
        }
    }

    pub fn level(&self) -> Level {
        match self {
            Event::Request { .. } => Level::Debug,
            Event::Retry { .. }
            | Event::Recovering { .. }
            | Event::Recovered { .. }
            | Event::Paused { .. }
            | Event::LimiterBack { .. } => Level::Info,
            Event::OutcomeUnknown { .. } | Event::Abandoned { .. } | Event::LimiterDown { .. } => Level::Warning,
        }
    }

    pub fn endpoint(&self) -> &'static Endpoint {
        match self {
            Event::Request { endpoint, .. }
            | Event::Retry { endpoint, .. }
            | Event::Recovering { endpoint, .. }
            | Event::Recovered { endpoint, .. }
            | Event::OutcomeUnknown { endpoint, .. }
            | Event::Abandoned { endpoint, .. }
            | Event::Paused { endpoint, .. }
            | Event::LimiterDown { endpoint, .. }
            | Event::LimiterBack { endpoint, .. } => endpoint,
        }
    }

    /// The transaction (or first bulk item) reference the event is about, if any.
    pub fn reference(&self) -> Option<&str> {
        match self {
            Event::Recovering { reference, .. }
            | Event::Recovered { reference, .. }
            | Event::OutcomeUnknown { reference, .. }
            | Event::Abandoned { reference, .. } => Some(reference),
            Event::Request { .. }
            | Event::Retry { .. }
            | Event::Paused { .. }
            | Event::LimiterDown { .. }
            | Event::LimiterBack { .. } => None,
        }
    }
}

/// An authorization code as logs may show it: its last four characters.
#[derive(Debug)]
pub struct Masked<'a>(pub &'a str);

impl fmt::Display for Masked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tail: String = {
            let chars: Vec<char> = self.0.chars().collect();
            chars[chars.len().saturating_sub(4)..].iter().collect()
        };
        write!(f, "…{tail}")
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The one-line message of an event.
impl fmt::Display for Event<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let authorization = |a: &Option<&str>| a.map(|a| format!(" (authorization {})", Masked(a))).unwrap_or_default();
        match self {
            Event::Request { endpoint, path, status: Some(status), duration, attempt, .. } => {
                write!(
                    f,
                    "{} {path} {status} in {:.1} ms (attempt {attempt})",
                    endpoint.method.as_str(),
                    millis(*duration)
                )
            }
            Event::Request { endpoint, path, failure, duration, attempt, .. } => write!(
                f,
                "{} {path} failed in {:.1} ms (attempt {attempt}): {}",
                endpoint.method.as_str(),
                millis(*duration),
                clip(failure.unwrap_or("no answer"), 160)
            ),
            Event::Retry { endpoint, attempt, reason, delay } => write!(
                f,
                "{}: attempt {attempt} failed ({}); trying again in {:.2} s",
                endpoint.qualified_name(),
                clip(reason, 160),
                delay.as_secs_f64()
            ),
            Event::Recovering { endpoint, reference, reason } => write!(
                f,
                "{}: the answer for reference {reference} was lost ({}); looking it up before sending again",
                endpoint.qualified_name(),
                clip(reason, 120)
            ),
            Event::Recovered { endpoint, reference, finding, lookups } => {
                let found = match finding {
                    Finding::WentThrough => "went through: returning it, not sending again",
                    Finding::NotFound => "did not go through: sending again",
                    Finding::NewReference => "left an unpaid transaction: sending again with a new reference",
                };
                let s = if *lookups == 1 { "" } else { "s" };
                write!(f, "{}: reference {reference} {found} ({lookups} lookup{s})", endpoint.qualified_name())
            }
            Event::OutcomeUnknown { endpoint, reference, authorization: a, reason } => write!(
                f,
                "{}: outcome unknown for reference {reference}{} ({}); verify it before charging again",
                endpoint.qualified_name(),
                authorization(a),
                clip(reason, 120)
            ),
            Event::Abandoned { endpoint, reference, authorization: a, how } => {
                let what = match how {
                    Abandoned::OnTheWire => "cancelled while its request was on the wire",
                    Abandoned::Unverified => "cancelled before an attempt whose answer was lost could be verified",
                };
                write!(
                    f,
                    "{} {what}: reference {reference}{} may have been charged; verify it before charging again",
                    endpoint.qualified_name(),
                    authorization(a)
                )
            }
            Event::Paused { endpoint, delay, shared } => write!(
                f,
                "{}: rate limited (429); {} waits {:.2} s before sending",
                endpoint.qualified_name(),
                if *shared { "every process sharing the quota" } else { "every call of this client" },
                delay.as_secs_f64()
            ),
            Event::LimiterDown { endpoint, store, reason, fallback } => write!(
                f,
                "{}: the shared rate limit's Redis at {store} cannot be reached ({}); {}",
                endpoint.qualified_name(),
                clip(reason, 160),
                if *fallback {
                    "calls go on under this process's own limit until it is back"
                } else {
                    "calls fail until it is back"
                }
            ),
            Event::LimiterBack { endpoint, store } => write!(
                f,
                "{}: the shared rate limit's Redis at {store} answers again; calls share its quota again",
                endpoint.qualified_name()
            ),
        }
    }
}

/// Receives a client's events. `enabled` is asked first (cheaply: it should read a cached
/// level), and `record` only for events it wants.
pub trait Observer: Send + Sync + fmt::Debug {
    fn enabled(&self, area: Area, level: Level) -> bool;
    fn record(&self, event: &Event<'_>);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::by_name;

    #[test]
    fn events_read_as_one_line_without_secrets() {
        let Some(charge) = by_name("transaction.charge_authorization") else { panic!("no endpoint") };
        let request = Event::Request {
            endpoint: charge,
            path: "/transaction/charge_authorization",
            status: Some(200),
            failure: None,
            duration: Duration::from_micros(3250),
            attempt: 1,
        };
        assert_eq!(request.to_string(), "POST /transaction/charge_authorization 200 in 3.2 ms (attempt 1)");
        assert_eq!((request.area(), request.level()), (Area::Http, Level::Debug));
        let unknown = Event::OutcomeUnknown {
            endpoint: charge,
            reference: "r-1",
            authorization: Some("AUTH_8dfhjjdt"),
            reason: "connection closed",
        };
        let text = unknown.to_string();
        assert_eq!(
            text,
            "transaction.charge_authorization: outcome unknown for reference r-1 (authorization …jjdt) (connection closed); verify it before charging again"
        );
        assert!(!text.contains("AUTH_8dfh"));
        assert_eq!(unknown.level(), Level::Warning);
        assert_eq!(Masked("ab").to_string(), "…ab");
    }
}
