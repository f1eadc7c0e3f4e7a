//! The domain's two kinds of time, over chrono: a `Timestamp` (an instant, UTC) and a `Day` (a
//! calendar date without a zone). Each has one text form — the one SQLite holds and the UI gets —
//! written by `Display` and read by `parse`. That text is covered by the history's MACs, so it
//! must stay byte for byte what earlier builds wrote: RFC 3339 in UTC with `Z`, the fraction of a
//! second only when there is one and without trailing zeros (`2026-10-30T08:00:00.5Z`), and
//! `YYYY-MM-DD` (tests/stored_dates.rs pins both against a store an earlier build wrote).

use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// How much of a refused input an error message quotes: the rest of a hostile string is not
/// worth showing.
const QUOTE_CHARS: usize = 40;

fn quoted(s: &str) -> String {
    let mut q: String = s.chars().take(QUOTE_CHARS).collect();
    if s.chars().count() > QUOTE_CHARS {
        q.push('…');
    }
    q
}

/// An instant, in UTC. Years 0000–9999 only, so that every value has the stored text form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ts_rs::TS)]
#[ts(type = "string")]
pub struct Timestamp(#[ts(skip)] DateTime<Utc>);

/// A calendar date (documents, acts, deadlines, VAT periods). Years 0000–9999 only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ts_rs::TS)]
#[ts(type = "string")]
pub struct Day(#[ts(skip)] NaiveDate);

fn in_range(year: i32) -> bool {
    (0..=9999).contains(&year)
}

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp(DateTime::<Utc>::UNIX_EPOCH);

    /// The wall clock's now. The core reads time through `clock::Clock`; this is its source.
    pub fn now() -> Timestamp {
        Timestamp(Utc::now())
    }

    fn checked(t: DateTime<Utc>) -> Option<Timestamp> {
        in_range(t.year()).then_some(Timestamp(t))
    }

    pub fn from_unix(seconds: i64) -> Option<Timestamp> {
        Timestamp::checked(DateTime::from_timestamp(seconds, 0)?)
    }

    pub fn from_unix_millis(millis: i64) -> Option<Timestamp> {
        Timestamp::checked(DateTime::from_timestamp_millis(millis)?)
    }

    pub fn from_unix_nanos(nanos: i64) -> Timestamp {
        // Every i64 of nanoseconds is within 1677–2262.
        Timestamp(DateTime::from_timestamp_nanos(nanos))
    }

    /// A certificate's or CRL's time (UTCTime or GeneralizedTime, whole seconds). The one
    /// conversion from x509: validity, CRL freshness, revocation and signing times all use it.
    pub fn from_x509(t: &x509_cert::time::Time) -> Timestamp {
        i64::try_from(t.to_unix_duration().as_secs())
            .ok()
            .and_then(Timestamp::from_unix)
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    pub fn utc(self) -> DateTime<Utc> {
        self.0
    }

    pub fn unix_seconds(self) -> i64 {
        self.0.timestamp()
    }

    pub fn unix_millis(self) -> i64 {
        self.0.timestamp_millis()
    }

    /// Nanoseconds since the epoch; `None` outside 1677–2262.
    pub fn unix_nanos(self) -> Option<i64> {
        self.0.timestamp_nanos_opt()
    }

    /// The UTC calendar day this instant falls on.
    pub fn day(self) -> Day {
        Day(self.0.date_naive())
    }

    pub fn checked_add(self, d: TimeDelta) -> Option<Timestamp> {
        Timestamp::checked(self.0.checked_add_signed(d)?)
    }

    pub fn checked_sub(self, d: TimeDelta) -> Option<Timestamp> {
        Timestamp::checked(self.0.checked_sub_signed(d)?)
    }

    /// `self` plus a wait (a Retry-After, a backoff), held within range like `saturating_add`.
    pub fn after(self, wait: std::time::Duration) -> Timestamp {
        self.saturating_add(TimeDelta::from_std(wait).unwrap_or(TimeDelta::MAX))
    }

    /// `self + d`, held at 9999-12-31T23:59:59.999999999Z (or year 0000) rather than leaving the
    /// range: a wait that long is "never" either way.
    pub fn saturating_add(self, d: TimeDelta) -> Timestamp {
        self.checked_add(d).unwrap_or(if d < TimeDelta::zero() {
            Timestamp::min()
        } else {
            Timestamp::max()
        })
    }

    fn min() -> Timestamp {
        Day::from_ymd(0, 1, 1).expect("valid").start()
    }

    fn max() -> Timestamp {
        let last = NaiveDate::from_ymd_opt(9999, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 999_999_999));
        Timestamp(last.expect("valid").and_utc())
    }

    /// Reads RFC 3339 with any offset (`2026-11-05T10:00:00Z`, `2026-11-05T15:00:00+05:00`),
    /// kept as the same instant in UTC. A leap second (`:60`) is refused: no stored time has one.
    pub fn parse(s: &str) -> Result<Timestamp> {
        let bad = || {
            Error::invalid(format!(
                "«{}» — не время: ожидается ГГГГ-ММ-ДДTчч:мм:ссZ, например 2026-11-05T10:00:00Z",
                quoted(s)
            ))
        };
        let t = DateTime::parse_from_rfc3339(s).map_err(|_| bad())?;
        if t.nanosecond() >= 1_000_000_000 {
            return Err(bad());
        }
        Timestamp::checked(t.with_timezone(&Utc)).ok_or_else(bad)
    }

    /// The text form cut to whole seconds (`2026-11-05T10:00:00Z`), for texts that must not
    /// carry a fraction (a refusal notice's CreatedAt).
    pub fn to_whole_seconds(self) -> Timestamp {
        Timestamp(self.0.with_nanosecond(0).expect("0 is a valid nanosecond"))
    }
}

impl fmt::Display for Timestamp {
    /// The stored form: whole seconds, then the fraction only when there is one, trimmed of
    /// trailing zeros (chrono's own `AutoSi` would pad to 3, 6 or 9 digits, which earlier builds
    /// never wrote).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S"))?;
        let nanos = self.0.nanosecond();
        if nanos != 0 {
            let digits = format!("{nanos:09}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl FromStr for Timestamp {
    type Err = Error;
    fn from_str(s: &str) -> Result<Timestamp> {
        Timestamp::parse(s)
    }
}

impl std::ops::Sub for Timestamp {
    type Output = TimeDelta;
    fn sub(self, rhs: Timestamp) -> TimeDelta {
        self.0 - rhs.0
    }
}

/// Panics outside years 0000–9999, as integer overflow does; use `checked_add` or
/// `saturating_add` for spans that come from outside.
impl std::ops::Add<TimeDelta> for Timestamp {
    type Output = Timestamp;
    fn add(self, d: TimeDelta) -> Timestamp {
        self.checked_add(d).expect("a time within years 0000–9999")
    }
}

impl std::ops::Sub<TimeDelta> for Timestamp {
    type Output = Timestamp;
    fn sub(self, d: TimeDelta) -> Timestamp {
        self.checked_sub(d).expect("a time within years 0000–9999")
    }
}

impl Day {
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !in_range(year) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, day).map(Day)
    }

    /// Reads exactly `YYYY-MM-DD` (ten characters, zero-padded), refusing days that do not
    /// exist (30 February).
    pub fn parse(s: &str) -> Result<Day> {
        let bad = || {
            Error::invalid(format!(
                "«{}» — не дата: ожидается ГГГГ-ММ-ДД, например 2026-10-31",
                quoted(s)
            ))
        };
        let b = s.as_bytes();
        let shape = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape {
            return Err(bad());
        }
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().map_err(|_| bad());
        Day::from_ymd(n(0..4)? as i32, n(5..7)?, n(8..10)?).ok_or_else(bad)
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> u32 {
        self.0.month()
    }

    /// The day of the month, 1–31.
    pub fn day_of_month(self) -> u32 {
        self.0.day()
    }

    /// The last day of this day's month (leap years included).
    pub fn month_end(self) -> Day {
        let first_of_next = if self.month() == 12 {
            NaiveDate::from_ymd_opt(self.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year(), self.month() + 1, 1)
        };
        Day(first_of_next
            .and_then(|d| d.pred_opt())
            .expect("a month has a last day"))
    }

    /// `days` later (earlier when negative); `None` outside years 0000–9999.
    pub fn plus_days(self, days: i64) -> Option<Day> {
        let d = self.0.checked_add_signed(TimeDelta::try_days(days)?)?;
        in_range(d.year()).then_some(Day(d))
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Day) -> i64 {
        (self.0 - earlier.0).num_days()
    }

    /// This day's start, 00:00:00 UTC.
    pub fn start(self) -> Timestamp {
        Timestamp(
            self.0
                .and_hms_opt(0, 0, 0)
                .expect("midnight exists")
                .and_utc(),
        )
    }
}

impl fmt::Display for Day {
    /// The stored form, `YYYY-MM-DD` (the year zero-padded to four digits).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl FromStr for Day {
    type Err = Error;
    fn from_str(s: &str) -> Result<Day> {
        Day::parse(s)
    }
}

/// A local date and time with no zone, as some wire formats write it (NCALayer prints the PC's
/// own clock as `dd.MM.yyyy HH:mm:ss`): kept as written, never guessed into an instant.
pub fn parse_local(s: &str, format: &str) -> Option<NaiveDateTime> {
    let t = NaiveDateTime::parse_from_str(s, format).ok()?;
    in_range(t.year()).then_some(t)
}

macro_rules! text_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<$t, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                <$t>::parse(&s).map_err(|e| serde::de::Error::custom(e.message))
            }
        }
    };
}

text_serde!(Timestamp);
text_serde!(Day);

#[path = "calendar_tests.rs"]
#[cfg(test)]
mod tests;
