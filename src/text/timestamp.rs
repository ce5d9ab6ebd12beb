//! `google.protobuf.Timestamp` as ProtoJSON writes it: RFC 3339 in UTC.

use super::calendar::{civil_from_days, days_from_civil, days_in_month};
use super::fraction::{FractionError, digits, fraction_to_nanos, push_fraction};
use super::{Found, digit_run};
use std::fmt;

/// Smallest valid `Timestamp.seconds`: 0001-01-01T00:00:00Z.
pub(crate) const MIN_SECONDS: i64 = -62_135_596_800;
/// Largest valid `Timestamp.seconds`: 9999-12-31T23:59:59Z.
pub(crate) const MAX_SECONDS: i64 = 253_402_300_799;
pub(crate) const NANOS_PER_SECOND: i32 = 1_000_000_000;
pub(crate) const SECONDS_PER_DAY: i64 = 86_400;

/// Why a text is not an RFC 3339 timestamp, or a value has no such form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TimestampError {
    /// No text at all.
    Empty,
    /// A field of fixed width (`count` digits of `what`) is missing or short.
    Digits {
        count: usize,
        what: &'static str,
        at: usize,
    },
    /// A separator is missing; `context` says which one.
    Separator {
        wanted: char,
        context: &'static str,
        at: usize,
        found: Found,
    },
    /// Year 0000.
    YearZero,
    Month(u32),
    Day {
        year: i64,
        month: u32,
        day: u32,
        last: u32,
    },
    Hour(u32),
    Minute(u32),
    /// 60 and above: there are no leap seconds.
    Second(u32),
    OffsetHour(u32),
    OffsetMinute(u32),
    Fraction(FractionError),
    /// The text ends where `Z` or an offset should follow.
    MissingZone,
    /// Something other than `Z` or an offset after the time.
    Zone {
        at: usize,
        found: Found,
    },
    /// Characters after the time zone.
    Trailing {
        at: usize,
        found: Found,
    },
    /// Seconds outside 0001-01-01T00:00:00Z..=9999-12-31T23:59:59Z.
    SecondsOutOfRange(i64),
    /// Nanos outside 0..=999999999.
    NanosOutOfRange(i32),
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty timestamp"),
            Self::Digits { count, what, at } => {
                write!(f, "expected a {count}-digit {what} at position {at}")
            }
            Self::Separator {
                wanted,
                context,
                at,
                found,
            } => write!(
                f,
                "expected '{wanted}' {context} at position {at}, found {found}"
            ),
            Self::YearZero => f.write_str("year 0000 is out of range 0001-9999"),
            Self::Month(month) => write!(f, "month {month:02} is out of range 01-12"),
            Self::Day {
                year,
                month,
                day,
                last,
            } => write!(
                f,
                "day {day:02} is out of range 01-{last:02} for {year:04}-{month:02}"
            ),
            Self::Hour(hour) => write!(f, "hour {hour:02} is out of range 00-23"),
            Self::Minute(minute) => write!(f, "minute {minute:02} is out of range 00-59"),
            Self::Second(second) => write!(
                f,
                "second {second:02} is out of range 00-59 (no leap seconds)"
            ),
            Self::OffsetHour(hour) => write!(f, "offset hour {hour:02} is out of range 00-23"),
            Self::OffsetMinute(minute) => {
                write!(f, "offset minute {minute:02} is out of range 00-59")
            }
            Self::Fraction(error) => error.fmt(f),
            Self::MissingZone => {
                f.write_str("missing time zone: expected 'Z' or an offset like +01:00")
            }
            Self::Zone { at, found } => write!(
                f,
                "expected 'Z' (uppercase) or an offset like +01:00 at position {at}, found {found}"
            ),
            Self::Trailing { at, found } => {
                write!(f, "unexpected {found} after the timestamp at position {at}")
            }
            Self::SecondsOutOfRange(seconds) => write!(
                f,
                "seconds {seconds} out of range [{MIN_SECONDS}, {MAX_SECONDS}]"
            ),
            Self::NanosOutOfRange(nanos) => {
                write!(f, "nanos {nanos} out of range [0, 999999999]")
            }
        }
    }
}

impl From<FractionError> for TimestampError {
    fn from(error: FractionError) -> Self {
        Self::Fraction(error)
    }
}

fn check_range(seconds: i64) -> Result<(), TimestampError> {
    if (MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        Ok(())
    } else {
        Err(TimestampError::SecondsOutOfRange(seconds))
    }
}

/// Carries `nanos` outside 0..1e9 into the seconds, so that
/// `(1, -1)` becomes `(0, 999999999)`, and checks the range of the result.
pub(crate) fn normalize(seconds: i64, nanos: i32) -> Result<(i64, i32), TimestampError> {
    let carried = seconds
        .checked_add(i64::from(nanos.div_euclid(NANOS_PER_SECOND)))
        .ok_or(TimestampError::SecondsOutOfRange(seconds))?;
    check_range(carried)?;
    Ok((carried, nanos.rem_euclid(NANOS_PER_SECOND)))
}

/// Formats a `google.protobuf.Timestamp` as RFC 3339 in UTC:
/// `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z`, using the fewest of 0, 3,
/// 6 or 9 fraction digits that is exact.
///
/// `seconds` must lie in [-62135596800, 253402300799] (0001-01-01T00:00:00Z
/// to 9999-12-31T23:59:59Z) and `nanos` in [0, 999999999].
pub(crate) fn format_timestamp(seconds: i64, nanos: i32) -> Result<String, TimestampError> {
    let mut out = Vec::with_capacity(30);
    push_timestamp(&mut out, seconds, nanos)?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// [`format_timestamp`] onto the end of `out` (which is left as it was on
/// error). Only ASCII is written.
pub(crate) fn push_timestamp(
    out: &mut Vec<u8>,
    seconds: i64,
    nanos: i32,
) -> Result<(), TimestampError> {
    check_range(seconds)?;
    if !(0..NANOS_PER_SECOND).contains(&nanos) {
        return Err(TimestampError::NanosOutOfRange(nanos));
    }
    let days = seconds.div_euclid(SECONDS_PER_DAY);
    let second_of_day = seconds.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    // `check_range` keeps the year within 1..=9999.
    let [y0, y1, y2, y3] = digits::<4>(year as u32);
    let [mo0, mo1] = digits::<2>(month);
    let [d0, d1] = digits::<2>(day);
    let [h0, h1] = digits::<2>((second_of_day / 3_600) as u32);
    let [mi0, mi1] = digits::<2>((second_of_day / 60 % 60) as u32);
    let [s0, s1] = digits::<2>((second_of_day % 60) as u32);
    out.extend_from_slice(&[
        y0, y1, y2, y3, b'-', mo0, mo1, b'-', d0, d1, b'T', h0, h1, b':', mi0, mi1, b':', s0, s1,
    ]);
    push_fraction(out, nanos.unsigned_abs());
    out.push(b'Z');
    Ok(())
}

/// Byte cursor for the fixed-layout timestamp grammar.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn expect(&mut self, wanted: u8, context: &'static str) -> Result<(), TimestampError> {
        if self.peek() == Some(wanted) {
            self.pos += 1;
            Ok(())
        } else {
            Err(TimestampError::Separator {
                wanted: char::from(wanted),
                context,
                at: self.pos,
                found: Found::at(self.text, self.pos),
            })
        }
    }

    /// Reads exactly `count` ASCII digits as a number.
    fn digits(&mut self, count: usize, what: &'static str) -> Result<u32, TimestampError> {
        let field = self
            .text
            .as_bytes()
            .get(self.pos..)
            .and_then(|rest| rest.get(..count))
            .filter(|field| field.iter().all(u8::is_ascii_digit));
        match field {
            Some(field) => {
                self.pos += count;
                Ok(field
                    .iter()
                    .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0')))
            }
            None => Err(TimestampError::Digits {
                count,
                what,
                at: self.pos,
            }),
        }
    }
}

/// Parses an RFC 3339 timestamp into `(seconds, nanos)` since the Unix epoch.
///
/// Grammar: `YYYY-MM-DDTHH:MM:SS(.F{1,9})?(Z|(+|-)HH:MM)` with exactly that
/// many digits per field, uppercase `T` and `Z`, year 0001-9999, a day that
/// exists in its month, hour 00-23, minute and second 00-59 (no leap second),
/// offset hour 00-23 and minute 00-59. The offset is subtracted to get UTC and
/// the instant must be within 0001-01-01T00:00:00Z..=9999-12-31T23:59:59.999999999Z.
/// The returned nanos are always in [0, 999999999].
pub(crate) fn parse_timestamp(text: &str) -> Result<(i64, i32), TimestampError> {
    use TimestampError as E;
    if text.is_empty() {
        return Err(E::Empty);
    }
    let mut cur = Cursor { text, pos: 0 };

    let year = cur.digits(4, "year")?;
    if year == 0 {
        return Err(E::YearZero);
    }
    cur.expect(b'-', "after the year")?;
    let month = cur.digits(2, "month")?;
    if !(1..=12).contains(&month) {
        return Err(E::Month(month));
    }
    cur.expect(b'-', "after the month")?;
    let day = cur.digits(2, "day")?;
    let year = i64::from(year);
    let last = days_in_month(year, month);
    if !(1..=last).contains(&day) {
        return Err(E::Day {
            year,
            month,
            day,
            last,
        });
    }
    cur.expect(b'T', "(uppercase) between date and time")?;
    let hour = cur.digits(2, "hour")?;
    if hour > 23 {
        return Err(E::Hour(hour));
    }
    cur.expect(b':', "after the hour")?;
    let minute = cur.digits(2, "minute")?;
    if minute > 59 {
        return Err(E::Minute(minute));
    }
    cur.expect(b':', "after the minute")?;
    let second = cur.digits(2, "second")?;
    if second > 59 {
        return Err(E::Second(second));
    }

    let mut nanos = 0;
    if cur.peek() == Some(b'.') {
        cur.pos += 1;
        let rest = text.as_bytes().get(cur.pos..).unwrap_or_default();
        let count = digit_run(rest);
        nanos = fraction_to_nanos(rest.get(..count).unwrap_or_default(), "timestamp")?;
        cur.pos += count;
    }

    let offset_seconds: i64 = match cur.peek() {
        Some(b'Z') => {
            cur.pos += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            cur.pos += 1;
            let offset_hour = cur.digits(2, "offset hour")?;
            if offset_hour > 23 {
                return Err(E::OffsetHour(offset_hour));
            }
            cur.expect(b':', "in the offset")?;
            let offset_minute = cur.digits(2, "offset minute")?;
            if offset_minute > 59 {
                return Err(E::OffsetMinute(offset_minute));
            }
            let magnitude = i64::from(offset_hour) * 3_600 + i64::from(offset_minute) * 60;
            if sign == b'-' { -magnitude } else { magnitude }
        }
        None => return Err(E::MissingZone),
        Some(_) => {
            return Err(E::Zone {
                at: cur.pos,
                found: Found::at(text, cur.pos),
            });
        }
    };
    if cur.pos != text.len() {
        return Err(E::Trailing {
            at: cur.pos,
            found: Found::at(text, cur.pos),
        });
    }

    // Every field is bounded by now (|value| < 2^39), so plain arithmetic is safe.
    let local = days_from_civil(year, month, day) * SECONDS_PER_DAY
        + i64::from(hour) * 3_600
        + i64::from(minute) * 60
        + i64::from(second);
    let seconds = local - offset_seconds;
    check_range(seconds)?;
    Ok((seconds, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_carries_nanos_into_seconds() {
        assert_eq!(normalize(1, -1), Ok((0, 999_999_999)));
        assert_eq!(normalize(0, 1_500_000_000), Ok((1, 500_000_000)));
        assert_eq!(normalize(0, i32::MIN), Ok((-3, 852_516_352)));
        assert_eq!(
            normalize(MIN_SECONDS, -1),
            Err(TimestampError::SecondsOutOfRange(MIN_SECONDS - 1))
        );
        assert_eq!(
            normalize(i64::MAX, NANOS_PER_SECOND),
            Err(TimestampError::SecondsOutOfRange(i64::MAX))
        );
        assert_eq!(
            normalize(MAX_SECONDS, 999_999_999),
            Ok((MAX_SECONDS, 999_999_999))
        );
    }

    #[test]
    fn format_timestamp_matches_reference_vectors() {
        assert_eq!(format_timestamp(0, 0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(
            format_timestamp(253_402_300_799, 999_999_999).unwrap(),
            "9999-12-31T23:59:59.999999999Z"
        );
        assert_eq!(
            format_timestamp(1, 1_000).unwrap(),
            "1970-01-01T00:00:01.000001Z"
        );
        assert_eq!(
            format_timestamp(951_782_400, 0).unwrap(),
            "2000-02-29T00:00:00Z"
        );
        assert_eq!(
            format_timestamp(1, 1_000_000).unwrap(),
            "1970-01-01T00:00:01.001Z"
        );
        assert_eq!(
            format_timestamp(1, 1).unwrap(),
            "1970-01-01T00:00:01.000000001Z"
        );
        assert_eq!(
            format_timestamp(1_700_000_000, 123_456_789).unwrap(),
            "2023-11-14T22:13:20.123456789Z"
        );
    }

    #[test]
    fn format_timestamp_handles_minimum_and_pre_epoch() {
        assert_eq!(
            format_timestamp(-62_135_596_800, 0).unwrap(),
            "0001-01-01T00:00:00Z"
        );
        assert_eq!(
            format_timestamp(-1, 500_000_000).unwrap(),
            "1969-12-31T23:59:59.500Z"
        );
    }

    #[test]
    fn format_timestamp_rejects_out_of_range_seconds_and_nanos() {
        assert_eq!(
            format_timestamp(253_402_300_800, 0)
                .unwrap_err()
                .to_string(),
            "seconds 253402300800 out of range [-62135596800, 253402300799]"
        );
        assert!(format_timestamp(-62_135_596_801, 0).is_err());
        assert!(format_timestamp(i64::MIN, 0).is_err());
        assert!(format_timestamp(i64::MAX, 0).is_err());
        assert!(format_timestamp(0, -500_000_000).is_err());
        assert!(format_timestamp(0, 1_000_000_000).is_err());
        assert!(format_timestamp(0, i32::MIN).is_err());
    }

    #[test]
    fn parse_timestamp_accepts_reference_input_variants() {
        for text in [
            "1970-01-01T00:00:00Z",
            "1970-01-01T00:00:00.000Z",
            "1970-01-01T00:00:00.000000000Z",
            "1970-01-01T02:00:00+02:00",
            "1970-01-01T00:00:00+00:00",
        ] {
            assert_eq!(parse_timestamp(text), Ok((0, 0)), "{text}");
        }
        for text in [
            "9999-12-31T23:59:59.999999999Z",
            "9999-12-31T22:59:59.999999999-01:00",
            "9999-12-31T23:59:59.999999999+00:00",
        ] {
            assert_eq!(
                parse_timestamp(text),
                Ok((253_402_300_799, 999_999_999)),
                "{text}"
            );
        }
        assert_eq!(
            parse_timestamp("1970-01-01T00:00:01.000001000Z"),
            Ok((1, 1_000))
        );
        assert_eq!(
            parse_timestamp("2000-02-29T00:00:00+00:00"),
            Ok((951_782_400, 0))
        );
        assert_eq!(
            parse_timestamp("2023-11-14T23:13:20.123456789+01:00"),
            Ok((1_700_000_000, 123_456_789))
        );
        assert_eq!(
            parse_timestamp("0001-01-01T00:00:00Z"),
            Ok((-62_135_596_800, 0))
        );
    }

    #[test]
    fn parse_timestamp_pads_short_fractions_and_applies_offsets() {
        assert_eq!(
            parse_timestamp("1970-01-01T00:00:00.5Z"),
            Ok((0, 500_000_000))
        );
        assert_eq!(
            parse_timestamp("1969-12-31T23:59:59.1Z"),
            Ok((-1, 100_000_000))
        );
        // +23:59 means local time is ahead of UTC by 86340 s.
        assert_eq!(
            parse_timestamp("1970-01-01T00:00:00+23:59"),
            Ok((-86_340, 0))
        );
        assert_eq!(parse_timestamp("1970-01-01T00:00:00-00:30"), Ok((1_800, 0)));
    }

    #[test]
    fn parse_timestamp_rejects_negative_vectors() {
        for text in [
            "2020-13-01T00:00:00Z",
            "2020-01-01T00:00:00",
            "2020-01-01T00:00:00z",
            "2020-01-01 00:00:00Z",
            "0000-12-31T23:59:59Z",
            "1970-01-01T00:00:00.1234567891Z",
            "2020-02-30T00:00:00Z",
            "2020-01-01T24:00:00Z",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "2020-01-01",
            "",
            "1700000000",
        ] {
            assert!(parse_timestamp(text).is_err(), "{text:?} must be rejected");
        }
    }

    #[test]
    fn parse_timestamp_rejects_python_lenient_cases() {
        assert!(parse_timestamp("1970-1-1T00:00:00Z").is_err());
        assert!(parse_timestamp("1970-01-01T00:00:00.Z").is_err());
        assert_eq!(
            parse_timestamp("1970-01-01T00:00:00+24:00")
                .unwrap_err()
                .to_string(),
            "offset hour 24 is out of range 00-23"
        );
    }

    #[test]
    fn parse_timestamp_rejects_other_malformed_text() {
        for text in [
            "2020-01-01t00:00:00Z",
            " 2020-01-01T00:00:00Z",
            "2020-01-01T00:00:00Z ",
            "2020-01-01T00:00:00Z\n",
            "2020-01-01T00:00:60Z",
            "2020-01-01T00:60:00Z",
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2020-04-31T00:00:00Z",
            "2020-00-01T00:00:00Z",
            "2020-01-00T00:00:00Z",
            "20200-01-01T00:00:00Z",
            "2020-01-01T00:00:00+0100",
            "2020-01-01T00:00:00+01:60",
            "2020-01-01T00:00:00+1:00",
            "2020-01-01T00:00:00ZZ",
            "2020-01-01T00:00:00.-1Z",
            "2020-01-01T00:00:00,5Z",
            "+2020-01-01T00:00:00Z",
            "２020-01-01T00:00:00Z",
            "2020-01-01T00:00:00.５Z",
        ] {
            assert!(parse_timestamp(text).is_err(), "{text:?} must be rejected");
        }
        assert_eq!(
            parse_timestamp("2020-13-01T00:00:00Z")
                .unwrap_err()
                .to_string(),
            "month 13 is out of range 01-12"
        );
    }

    #[test]
    fn timestamp_format_then_parse_round_trips_across_the_range() {
        let mut seconds = MIN_SECONDS;
        let mut nanos = 0;
        while seconds <= MAX_SECONDS {
            let text = format_timestamp(seconds, nanos).unwrap();
            assert_eq!(parse_timestamp(&text), Ok((seconds, nanos)), "{text}");
            seconds += 3_196_771_123; // ~101 years, odd so every time of day shows up
            nanos = (nanos + 123_457_000) % NANOS_PER_SECOND;
        }
    }
}
