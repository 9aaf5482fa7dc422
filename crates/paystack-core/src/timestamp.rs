//! Dates and datetimes as Paystack's `from` / `to` filters take them (docs/paystack-api.md §2.4:
//! `2016-09-21` or `2016-09-24T00:00:05.000Z`), read as real calendar dates: leap years, month
//! lengths, hours below 24, minutes and seconds below 60, offsets within ±14:00. The same reading
//! turns the `createdAt` of Paystack's answers into a point in time (batch recovery compares them).

use std::fmt;

/// A checked date or datetime, as milliseconds since 1970-01-01T00:00:00Z. A value without an
/// offset (a date, or a naive datetime) is read as UTC, as Paystack reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp {
    pub epoch_ms: i64,
}

/// What is wrong with a date: short enough for an error message, never echoing the whole input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM]`.
    Shape,
    Month(u32),
    /// A day the month does not have: (year, month, day).
    Day(i32, u32, u32),
    Hour(u32),
    Minute(u32),
    Second(u32),
    Offset,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Shape => f.write_str("must be a date or datetime, e.g. 2016-09-21 or 2016-09-24T00:00:05.000Z"),
            DateError::Month(m) => write!(f, "has month {m}; months are 01 to 12"),
            DateError::Day(y, m, d) => {
                let name = MONTHS[(*m as usize).clamp(1, 12) - 1];
                write!(f, "has day {d}, but {name} {y} has {} days", days_in_month(*y, *m))
            }
            DateError::Hour(h) => write!(f, "has hour {h}; hours are 00 to 23"),
            DateError::Minute(m) => write!(f, "has minute {m}; minutes are 00 to 59"),
            DateError::Second(s) => write!(f, "has second {s}; seconds are 00 to 59"),
            DateError::Offset => f.write_str("has a UTC offset beyond ±14:00"),
        }
    }
}

impl std::error::Error for DateError {}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to the given civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count from 1970-01-01 (the inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Reads `text` as a date or datetime; every field is range-checked against the calendar.
pub fn parse(text: &str) -> Result<Timestamp, DateError> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    if b.len() < 10 || b.len() > 40 || b[4] != b'-' || b[7] != b'-' {
        return Err(DateError::Shape);
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return Err(DateError::Shape);
    };
    let year = year as i32;
    if year == 0 {
        return Err(DateError::Shape);
    }
    if !(1..=12).contains(&month) {
        return Err(DateError::Month(month));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(DateError::Day(year, month, day));
    }
    let mut ms = days_from_civil(year, month, day) * 86_400_000;
    let Some(&separator) = b.get(10) else { return Ok(Timestamp { epoch_ms: ms }) };
    if separator != b'T' && separator != b't' && separator != b' ' {
        return Err(DateError::Shape);
    }

    // HH:MM, then optionally :SS and a fraction.
    let (Some(hour), Some(minute)) = (digits(11..13), digits(14..16)) else { return Err(DateError::Shape) };
    if b.get(13) != Some(&b':') {
        return Err(DateError::Shape);
    }
    let mut at = 16;
    let mut second = 0;
    let mut millis = 0;
    if b.get(at) == Some(&b':') {
        second = digits(at + 1..at + 3).ok_or(DateError::Shape)?;
        at += 3;
        if matches!(b.get(at), Some(b'.' | b',')) {
            let start = at + 1;
            let end = start + b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
            if end == start || end - start > 9 {
                return Err(DateError::Shape);
            }
            // Milliseconds: the first three digits, padded.
            millis = b[start..end].iter().chain(b"000").take(3).fold(0, |n, d| n * 10 + u32::from(d - b'0'));
            at = end;
        }
    }
    if hour > 23 {
        return Err(DateError::Hour(hour));
    }
    if minute > 59 {
        return Err(DateError::Minute(minute));
    }
    if second > 59 {
        return Err(DateError::Second(second));
    }
    ms += i64::from(hour) * 3_600_000 + i64::from(minute) * 60_000 + i64::from(second) * 1000 + i64::from(millis);

    // Z, ±HH:MM, ±HHMM or ±HH, or nothing (a naive time, read as UTC).
    let offset_minutes = match b.get(at) {
        None => 0,
        Some(b'Z' | b'z') if at + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &text[at + 1..];
            let (h, m) = match rest.len() {
                2 => (digits(at + 1..at + 3), Some(0)),
                4 => (digits(at + 1..at + 3), digits(at + 3..at + 5)),
                5 if rest.as_bytes()[2] == b':' => (digits(at + 1..at + 3), digits(at + 4..at + 6)),
                _ => return Err(DateError::Shape),
            };
            let (Some(h), Some(m)) = (h, m) else { return Err(DateError::Shape) };
            if m > 59 || h > 14 || (h == 14 && m > 0) {
                return Err(DateError::Offset);
            }
            let minutes = i64::from(h * 60 + m);
            if sign == b'+' { minutes } else { -minutes }
        }
        Some(_) => return Err(DateError::Shape),
    };
    Ok(Timestamp { epoch_ms: ms - offset_minutes * 60_000 })
}

impl Timestamp {
    /// `2022-09-14T10:16:05.123Z`: the form Paystack writes and reads.
    pub fn to_iso(self) -> String {
        let days = self.epoch_ms.div_euclid(86_400_000);
        let ms = self.epoch_ms.rem_euclid(86_400_000);
        let (y, mo, d) = civil_from_days(days);
        let (h, mi, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).epoch_ms
    }

    #[test]
    fn real_dates_are_accepted() {
        assert_eq!(ms("1970-01-01"), 0);
        assert_eq!(ms("2016-09-24T00:00:05.000Z"), 1_474_675_205_000);
        assert_eq!(ms("2016-09-24T00:00:05Z"), 1_474_675_205_000);
        assert_eq!(ms("2016-09-24 00:00:05"), 1_474_675_205_000);
        assert_eq!(ms("2016-09-24T01:00:05+01:00"), 1_474_675_205_000);
        assert_eq!(ms("2016-09-23T23:00:05-0100"), 1_474_675_205_000);
        assert_eq!(ms("2016-09-24T00:00:05.123456"), 1_474_675_205_123);
        assert_eq!(ms("2016-09-24T00:00"), 1_474_675_200_000);
        assert!(parse("2024-02-29").is_ok());
        assert!(parse("2000-02-29").is_ok());
        assert!(parse("2024-01-01T23:59:59+14:00").is_ok());
        assert!(parse("2024-01-01T00:00:00-12:00").is_ok());
    }

    #[test]
    fn impossible_dates_are_refused_with_the_reason() {
        for (text, error) in [
            ("2024-02-30", DateError::Day(2024, 2, 30)),
            ("2023-02-29", DateError::Day(2023, 2, 29)),
            ("1900-02-29", DateError::Day(1900, 2, 29)),
            ("2024-04-31", DateError::Day(2024, 4, 31)),
            ("2024-02-30T10:00:00Z", DateError::Day(2024, 2, 30)),
            ("2024-00-10", DateError::Month(0)),
            ("2024-13-01", DateError::Month(13)),
            ("2024-01-00", DateError::Day(2024, 1, 0)),
            ("2024-01-01T25:61:00Z", DateError::Hour(25)),
            ("2024-01-01T24:00:00Z", DateError::Hour(24)),
            ("2024-01-01T10:60:00Z", DateError::Minute(60)),
            ("2024-01-01T10:00:60Z", DateError::Second(60)),
            ("2024-01-01T10:00:00+14:30", DateError::Offset),
            ("2024-01-01T10:00:00+15:00", DateError::Offset),
            ("2024-01-01T10:00:00+05:60", DateError::Offset),
        ] {
            assert_eq!(parse(text), Err(error), "{text}");
        }
        assert_eq!(DateError::Day(2024, 2, 30).to_string(), "has day 30, but February 2024 has 29 days");
        assert_eq!(DateError::Day(2023, 2, 29).to_string(), "has day 29, but February 2023 has 28 days");
    }

    #[test]
    fn malformed_text_is_refused() {
        for text in [
            "",
            "yesterday",
            "2024-1-01",
            "2024/01/01",
            "0000-01-01",
            "2024-01-01T",
            "2024-01-01Tnoon",
            "2024-01-01T10",
            "2024-01-01T10:00:00ZZ",
            "2024-01-01T10:00:00+1",
            "2024-01-01T10:00:00.Z",
            "2024-01-01T10:00:00.1234567890Z",
            "2024-01-01x",
            "2024-01-01T10:00:00 +01:00",
            "１２３４-01-01",
        ] {
            assert_eq!(parse(text), Err(DateError::Shape), "{text:?}");
        }
    }

    #[test]
    fn iso_round_trips() {
        for text in ["1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "1969-12-31T23:59:59.000Z"] {
            assert_eq!(Timestamp { epoch_ms: ms(text) }.to_iso(), text);
        }
        // Every day of four years survives the round trip through the day count.
        for days in -800..800 {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y as i32, m, d), days);
        }
    }
}
