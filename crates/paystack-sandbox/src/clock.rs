//! The sandbox's clock, timestamps in the formats Paystack prints, and parsing of the `from` / `to`
//! filters.
//!
//! The clock (docs/sandbox.md, "The clock") reads real time, or, given a start instant, runs from
//! that instant; either way a test moves it forward with [`Clock::advance`] (as Stripe's test clocks
//! do) and everything that fell due in between is run by the scheduler in time order. Every
//! timestamp the sandbox writes is read from it.
//!
//! Hand-written civil-date arithmetic (Howard Hinnant's algorithms) keeps a date crate out of the
//! dependency tree for the three formats the sandbox needs.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub(crate) const MS_PER_DAY: i64 = 86_400_000;
pub(crate) const MS_PER_HOUR: i64 = 3_600_000;

/// The time of one sandbox: real time, or time running from a chosen start, plus what the test
/// has advanced it by. It never goes backwards.
#[derive(Debug)]
pub(crate) struct Clock {
    /// The start instant in Unix milliseconds (`None`: real time).
    start_ms: Option<i64>,
    /// When the sandbox started, for a clock that runs from `start_ms`.
    started: Instant,
    /// How far the test has moved the clock forward.
    advanced_ms: AtomicI64,
    /// Wakes whoever waits for a clock time (webhook retries) when the clock is moved.
    pub moved: tokio::sync::Notify,
}

impl Clock {
    pub(crate) fn new(start_ms: Option<i64>) -> Self {
        Self { start_ms, started: Instant::now(), advanced_ms: AtomicI64::new(0), moved: tokio::sync::Notify::new() }
    }

    /// Now, in Unix milliseconds.
    pub(crate) fn now(&self) -> i64 {
        let base = match self.start_ms {
            Some(start) => start.saturating_add(i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX)),
            None => now_ms(),
        };
        base.saturating_add(self.advanced_ms.load(Ordering::SeqCst))
    }

    /// The start instant, when the clock was given one.
    pub(crate) fn start(&self) -> Option<i64> {
        self.start_ms
    }

    /// How far the test has moved the clock in all.
    pub(crate) fn advanced(&self) -> i64 {
        self.advanced_ms.load(Ordering::SeqCst)
    }

    /// Moves the clock forward by `ms` (negative values are ignored) and returns the new now.
    pub(crate) fn advance(&self, ms: i64) -> i64 {
        self.advanced_ms.fetch_add(ms.max(0), Ordering::SeqCst);
        self.moved.notify_waiters();
        self.now()
    }

    /// The real time left until the clock reads `at` (the clock runs at the speed of real time).
    pub(crate) fn until(&self, at: i64) -> std::time::Duration {
        std::time::Duration::from_millis(u64::try_from(at.saturating_sub(self.now())).unwrap_or(0))
    }

    /// Waits until the clock reads `at`, however it gets there: by real time passing or by a move.
    pub(crate) async fn sleep_until(&self, at: i64) {
        loop {
            let moved = self.moved.notified();
            tokio::pin!(moved);
            moved.as_mut().enable();
            if self.now() >= at {
                return;
            }
            tokio::select! {
                () = tokio::time::sleep(self.until(at)) => {}
                () = moved => {}
            }
        }
    }
}

/// The first millisecond of the UTC day `ms` falls in.
pub(crate) fn day_start(ms: i64) -> i64 {
    ms.div_euclid(MS_PER_DAY) * MS_PER_DAY
}

/// Milliseconds since the Unix epoch, by the system's clock.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)).unwrap_or(0)
}

/// `2022-09-14T10:16:05.123Z`, the form of every `createdAt` / `paid_at` in Paystack's answers.
pub(crate) fn iso(ms: i64) -> String {
    let (y, mo, d, h, mi, s, milli) = split(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// `2024-08-22 11:01:23`, the form of the export's `expiresAt`.
pub(crate) fn plain(ms: i64) -> String {
    let (y, mo, d, h, mi, s, _) = split(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

fn split(ms: i64) -> (i64, u32, u32, i64, i64, i64, i64) {
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    (y, mo, d, rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000)
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Which end of a range a date-only value stands for: `to=2024-08-22` includes the whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    Start,
    End,
}

/// Days in `month` of `year` (Gregorian: February has 29 in leap years).
fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Exactly two ASCII digits.
fn two_digits(s: &str) -> Option<i64> {
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Parses a `from` / `to` value: `2016-09-21`, `2016-09-24T00:00:05.000Z`, `2016-09-24 00:00:05`,
/// with an optional `Z` or `±hh:mm` offset, or a Unix timestamp in seconds or milliseconds. A
/// date must exist (month lengths, leap years), a time must be on the clock (hours below 24,
/// minutes and seconds below 60) and an offset within ±14:00; anything else is `None`.
pub(crate) fn parse_timestamp(raw: &str, bound: Bound) -> Option<i64> {
    let s = raw.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        return Some(if n >= 100_000_000_000 { n } else { n * 1000 });
    }
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = s.get(0..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit()))?;
    let y: i64 = year.parse().ok()?;
    let mo = u32::try_from(two_digits(s.get(5..7)?)?).ok()?;
    let d = u32::try_from(two_digits(s.get(8..10)?)?).ok()?;
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    let day_start = days_from_civil(y, mo, d) * MS_PER_DAY;
    if b.len() == 10 {
        return Some(match bound {
            Bound::Start => day_start,
            Bound::End => day_start + MS_PER_DAY - 1,
        });
    }
    if b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    let rest = &s[11..];
    let (clock, offset_ms) = split_offset(rest)?;
    let mut parts = clock.splitn(3, ':');
    let h = two_digits(parts.next()?)?;
    let mi = two_digits(parts.next()?)?;
    let (sec, frac_ms) = match parts.next() {
        None => (0, 0),
        Some(sec) => match sec.split_once('.') {
            None => (two_digits(sec)?, 0),
            Some((whole, frac)) => {
                if frac.is_empty() || !frac.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let padded = format!("{:0<3}", &frac[..frac.len().min(3)]);
                (two_digits(whole)?, padded.parse::<i64>().ok()?)
            }
        },
    };
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    Some(day_start + h * 3_600_000 + mi * 60_000 + sec * 1000 + frac_ms - offset_ms)
}

/// Splits `10:00:05.000+01:00` into the clock part and the offset in milliseconds.
fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        return Some((clock, 0));
    }
    if let Some(pos) = rest.rfind(['+', '-']) {
        let (clock, off) = rest.split_at(pos);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let digits: String = off[1..].chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let h: i64 = digits[..2].parse().ok()?;
        let m: i64 = digits[2..].parse().ok()?;
        let minutes = h * 60 + m;
        if m > 59 || minutes > i64::from(paystack_facts::pagination::MAX_UTC_OFFSET_MINUTES) {
            return None;
        }
        return Some((clock, sign * minutes * 60_000));
    }
    Some((rest, 0))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_paystack() {
        assert_eq!(iso(1_663_150_565_000), "2022-09-14T10:16:05.000Z");
        assert_eq!(plain(1_724_324_483_000), "2024-08-22 11:01:23");
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn parses_dates_and_datetimes() {
        let start = parse_timestamp("2022-09-14", Bound::Start).unwrap();
        assert_eq!(iso(start), "2022-09-14T00:00:00.000Z");
        let end = parse_timestamp("2022-09-14", Bound::End).unwrap();
        assert_eq!(iso(end), "2022-09-14T23:59:59.999Z");
        let t = parse_timestamp("2022-09-14T10:16:05.000Z", Bound::Start).unwrap();
        assert_eq!(t, 1_663_150_565_000);
        assert_eq!(parse_timestamp("2022-09-14T11:16:05+01:00", Bound::Start).unwrap(), t);
        assert_eq!(parse_timestamp("2022-09-14 10:16:05", Bound::Start).unwrap(), t);
        assert_eq!(parse_timestamp("2022-09-14T10:16:05.5Z", Bound::Start).unwrap(), t + 500);
        assert_eq!(parse_timestamp("1663150565", Bound::Start).unwrap(), t);
        assert_eq!(parse_timestamp("1663150565000", Bound::Start).unwrap(), t);
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "yesterday", "2022-13-01", "2022-09-14X10:00", "2022-09-14T10", "2022-09-14T10:00:00+1"] {
            assert_eq!(parse_timestamp(bad, Bound::Start), None, "{bad}");
        }
    }

    #[test]
    fn rejects_what_is_not_on_the_calendar_or_the_clock() {
        for bad in [
            "2024-02-30",
            "2023-02-29",
            "1900-02-29",
            "2024-04-31",
            "2024-00-10",
            "2024-01-00",
            "2024-02-30T10:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T25:61:00Z",
            "2024-01-01T10:60:00Z",
            "2024-01-01T10:00:60Z",
            "2024-01-01T10:00:00+14:01",
            "2024-01-01T10:00:00-15:00",
            "2024-01-01T10:00:00+05:60",
            "2024-01-01T1:00:00Z",
            "2024-1-01",
        ] {
            assert_eq!(parse_timestamp(bad, Bound::Start), None, "{bad}");
        }
        for good in [
            "2024-02-29",
            "2000-02-29",
            "2024-12-31T23:59:59.999Z",
            "2024-01-01T10:00:00+14:00",
            "2024-01-01T10:00:00-12:00",
        ] {
            assert!(parse_timestamp(good, Bound::Start).is_some(), "{good}");
        }
        assert_eq!(
            parse_timestamp("2024-01-01T14:00:00+14:00", Bound::Start),
            parse_timestamp("2024-01-01T00:00:00Z", Bound::Start)
        );
    }

    #[test]
    fn a_started_clock_runs_from_its_start_and_moves_forward_only() {
        let start = parse_timestamp("2024-08-01T09:00:00Z", Bound::Start).unwrap();
        let clock = Clock::new(Some(start));
        let now = clock.now();
        assert!((start..start + 60_000).contains(&now), "{}", iso(now));
        let later = clock.advance(MS_PER_DAY + 2 * MS_PER_HOUR);
        assert!(later >= now + MS_PER_DAY + 2 * MS_PER_HOUR);
        assert!(clock.advance(-5 * MS_PER_DAY) >= later, "never backwards");
        assert_eq!(clock.advanced(), MS_PER_DAY + 2 * MS_PER_HOUR);
        assert_eq!(iso(day_start(later)), "2024-08-02T00:00:00.000Z");
        let real = Clock::new(None);
        assert!((real.now() - now_ms()).abs() < 60_000);
    }

    #[test]
    fn round_trips_many_days() {
        for day in (-1000..30000).step_by(37) {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }
}
