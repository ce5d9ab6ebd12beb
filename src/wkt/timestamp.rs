//! `Timestamp` as users of `prost-types` and `google-cloud-rust` expect it:
//! its RFC 3339 text through `Display` and `FromStr`, the range constants,
//! an order, and checked conversions with [`std::time::SystemTime`]. The
//! text is the ProtoJSON form, written and read by the same functions as
//! the JSON of a `Timestamp` field.

use super::Timestamp;
use crate::text::timestamp::{
    self as text, MAX_SECONDS, MIN_SECONDS, NANOS_PER_SECOND, TimestampError as TextError,
};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

impl Timestamp {
    /// The earliest valid timestamp, 0001-01-01T00:00:00Z.
    ///
    /// ```
    /// use cancelwire::wkt::Timestamp;
    /// assert_eq!(Timestamp::MIN.to_string(), "0001-01-01T00:00:00Z");
    /// ```
    pub const MIN: Timestamp = Timestamp {
        seconds: MIN_SECONDS,
        nanos: 0,
        unknown_fields: crate::UnknownFields::new(),
    };

    /// The latest valid timestamp, 9999-12-31T23:59:59.999999999Z.
    ///
    /// ```
    /// use cancelwire::wkt::Timestamp;
    /// assert_eq!(Timestamp::MAX.to_string(), "9999-12-31T23:59:59.999999999Z");
    /// ```
    pub const MAX: Timestamp = Timestamp {
        seconds: MAX_SECONDS,
        nanos: 999_999_999,
        unknown_fields: crate::UnknownFields::new(),
    };
}

/// Why a text is not a timestamp, or a value cannot be converted to or from
/// a [`Timestamp`].
///
/// ```
/// use cancelwire::wkt::{Timestamp, TimestampError};
///
/// let err: TimestampError = "2023-13-01T00:00:00Z".parse::<Timestamp>().unwrap_err();
/// assert_eq!(err.to_string(), "invalid Timestamp: month 13 is out of range 01-12");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    /// `FromStr`: the text is not RFC 3339 as ProtoJSON writes it.
    Parse(TextError),
    /// The timestamp is outside its range, even with its nanos carried
    /// into its seconds.
    Invalid(TextError),
    /// A `SystemTime` this far before or after the Unix epoch has no
    /// `Timestamp`.
    SystemTimeOutOfRange {
        before_epoch: bool,
        offset: std::time::Duration,
    },
    /// This platform's `SystemTime` cannot hold the timestamp.
    NotASystemTime(Timestamp),
}

impl TimestampError {
    fn new(reason: Reason) -> Self {
        Self { reason }
    }
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            Reason::Parse(error) => write!(f, "invalid Timestamp: {error}"),
            Reason::Invalid(error) => write!(f, "not a valid Timestamp: {error}"),
            Reason::SystemTimeOutOfRange {
                before_epoch,
                offset,
            } => write!(
                f,
                "a SystemTime {}.{:09}s {} the Unix epoch is outside the range of Timestamp, \
                 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z",
                offset.as_secs(),
                offset.subsec_nanos(),
                if *before_epoch { "before" } else { "after" },
            ),
            Reason::NotASystemTime(timestamp) => write!(
                f,
                "{timestamp} is outside the range of this platform's SystemTime"
            ),
        }
    }
}

impl std::error::Error for TimestampError {}

/// The ProtoJSON text: RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits
/// (the fewest that are exact).
///
/// Nanos outside `0..=999_999_999` are first carried into the seconds, as
/// the conversions do. A value outside [`Timestamp::MIN`]..=[`Timestamp::MAX`],
/// which has no such text, is written in its `Debug` form instead, which
/// [`str::parse`] rejects.
///
/// ```
/// use cancelwire::wkt::Timestamp;
///
/// let t = Timestamp { seconds: 1_700_000_000, nanos: 500_000_000, ..Default::default() };
/// assert_eq!(t.to_string(), "2023-11-14T22:13:20.500Z");
/// assert_eq!(Timestamp { seconds: 0, nanos: -1, ..Default::default() }.to_string(), "1969-12-31T23:59:59.999999999Z");
/// assert_eq!(
///     Timestamp { seconds: i64::MAX, nanos: 0, ..Default::default() }.to_string(),
///     "Timestamp { seconds: 9223372036854775807, nanos: 0 }",
/// );
/// ```
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match text::normalize(self.seconds, self.nanos)
            .and_then(|(seconds, nanos)| text::format_timestamp(seconds, nanos))
        {
            Ok(text) => f.pad(&text),
            Err(_) => fmt::Debug::fmt(self, f),
        }
    }
}

/// Reads the ProtoJSON text, exactly as a JSON `Timestamp` field does:
/// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, and `Z` or
/// an offset like `+01:00`, within [`Timestamp::MIN`]..=[`Timestamp::MAX`].
///
/// ```
/// use cancelwire::wkt::Timestamp;
///
/// let t: Timestamp = "2023-11-14T23:13:20.5+01:00".parse()?;
/// assert_eq!(t, Timestamp { seconds: 1_700_000_000, nanos: 500_000_000, ..Default::default() });
/// assert!("2023-11-14 22:13:20Z".parse::<Timestamp>().is_err());
/// # Ok::<(), cancelwire::wkt::TimestampError>(())
/// ```
impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, TimestampError> {
        text::parse_timestamp(text)
            .map(|(seconds, nanos)| Timestamp {
                seconds,
                nanos,
                unknown_fields: crate::UnknownFields::new(),
            })
            .map_err(|error| TimestampError::new(Reason::Parse(error)))
    }
}

/// Orders by `seconds`, then `nanos`: the order of time for valid
/// timestamps (nanos within `0..=999_999_999`).
///
/// ```
/// use cancelwire::wkt::Timestamp;
///
/// let earlier = Timestamp { seconds: 10, nanos: 999_999_999, ..Default::default() };
/// let later = Timestamp { seconds: 11, nanos: 0, ..Default::default() };
/// assert!(earlier < later);
/// assert_eq!(Timestamp::MIN.max(later.clone()), later);
/// ```
impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// See the `PartialOrd` impl.
///
/// ```
/// use cancelwire::wkt::Timestamp;
/// let mut times = vec![Timestamp::MAX, Timestamp::MIN];
/// times.sort();
/// assert_eq!(times, [Timestamp::MIN, Timestamp::MAX]);
/// ```
impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.seconds, self.nanos).cmp(&(other.seconds, other.nanos))
    }
}

/// The same instant as a `Timestamp`; fails for a time before
/// 0001-01-01T00:00:00Z or after 9999-12-31T23:59:59.999999999Z.
///
/// ```
/// use cancelwire::wkt::Timestamp;
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
///
/// let before = UNIX_EPOCH - Duration::from_millis(1_500);
/// assert_eq!(Timestamp::try_from(before)?, Timestamp { seconds: -2, nanos: 500_000_000, ..Default::default() });
///
/// let now = Timestamp::try_from(SystemTime::now())?;
/// assert!(now > Timestamp { seconds: 1_700_000_000, nanos: 0, ..Default::default() });
/// # Ok::<(), cancelwire::wkt::TimestampError>(())
/// ```
impl TryFrom<SystemTime> for Timestamp {
    type Error = TimestampError;

    fn try_from(time: SystemTime) -> Result<Self, TimestampError> {
        let (before_epoch, offset) = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => (false, after),
            Err(before) => (true, before.duration()),
        };
        let out_of_range = || {
            TimestampError::new(Reason::SystemTimeOutOfRange {
                before_epoch,
                offset,
            })
        };
        let whole = i64::try_from(offset.as_secs()).map_err(|_| out_of_range())?;
        let fraction = i32::try_from(offset.subsec_nanos()).map_err(|_| out_of_range())?;
        let (seconds, nanos) = match (before_epoch, fraction) {
            (false, _) => (whole, fraction),
            // 1.5 s before the epoch is -2 s plus 0.5 s.
            (true, 0) => (-whole, 0),
            (true, _) => (-whole - 1, NANOS_PER_SECOND - fraction),
        };
        if (MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
            Ok(Timestamp {
                seconds,
                nanos,
                unknown_fields: crate::UnknownFields::new(),
            })
        } else {
            Err(out_of_range())
        }
    }
}

/// The same instant as a `SystemTime`. Nanos outside `0..=999_999_999` are
/// first carried into the seconds (`{ seconds: 1, nanos: -1 }` is
/// 0.999999999 s after the epoch); fails for a timestamp outside
/// [`Timestamp::MIN`]..=[`Timestamp::MAX`] after that, or one that this
/// platform's `SystemTime` cannot hold.
///
/// ```
/// use cancelwire::wkt::Timestamp;
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
///
/// let time = SystemTime::try_from(Timestamp { seconds: 1, nanos: -1, ..Default::default() })?;
/// assert_eq!(time, UNIX_EPOCH + Duration::from_nanos(999_999_999));
/// assert!(SystemTime::try_from(Timestamp { seconds: i64::MAX, nanos: 0, ..Default::default() }).is_err());
/// # Ok::<(), cancelwire::wkt::TimestampError>(())
/// ```
impl TryFrom<Timestamp> for SystemTime {
    type Error = TimestampError;

    fn try_from(timestamp: Timestamp) -> Result<Self, TimestampError> {
        let (seconds, nanos) = text::normalize(timestamp.seconds, timestamp.nanos)
            .map_err(|error| TimestampError::new(Reason::Invalid(error)))?;
        let nanos = std::time::Duration::from_nanos(u64::from(nanos.unsigned_abs()));
        let whole = std::time::Duration::from_secs(seconds.unsigned_abs());
        let time = if seconds >= 0 {
            UNIX_EPOCH.checked_add(whole)
        } else {
            UNIX_EPOCH.checked_sub(whole)
        };
        time.and_then(|time| time.checked_add(nanos))
            .ok_or_else(|| TimestampError::new(Reason::NotASystemTime(timestamp)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn min_and_max_are_the_ends_of_the_json_range() {
        assert_eq!(Timestamp::MIN.to_string(), "0001-01-01T00:00:00Z");
        assert_eq!(Timestamp::MAX.to_string(), "9999-12-31T23:59:59.999999999Z");
        assert_eq!("0001-01-01T00:00:00Z".parse(), Ok(Timestamp::MIN));
        assert_eq!("9999-12-31T23:59:59.999999999Z".parse(), Ok(Timestamp::MAX));
        assert!(crate::json::to_string(&Timestamp::MIN).is_ok());
        assert!(crate::json::to_string(&Timestamp::MAX).is_ok());
        let before_min = Timestamp {
            seconds: MIN_SECONDS - 1,
            nanos: 999_999_999,
            unknown_fields: crate::UnknownFields::new(),
        };
        assert!(crate::json::to_string(&before_min).is_err());
    }

    #[test]
    fn display_then_from_str_round_trips() {
        for t in [
            Timestamp::MIN,
            Timestamp::MAX,
            Timestamp::default(),
            Timestamp {
                seconds: -1,
                nanos: 1,
                unknown_fields: crate::UnknownFields::new(),
            },
            Timestamp {
                seconds: 951_782_400,
                nanos: 1_000,
                unknown_fields: crate::UnknownFields::new(),
            },
            Timestamp {
                seconds: 1_700_000_000,
                nanos: 120_000_000,
                unknown_fields: crate::UnknownFields::new(),
            },
        ] {
            let text = t.to_string();
            assert_eq!(text.parse::<Timestamp>(), Ok(t.clone()), "{text}");
            // The same text as the JSON form, without the quotes.
            assert_eq!(crate::json::to_string(&t).unwrap(), format!("\"{text}\""));
        }
    }

    #[test]
    fn display_carries_nanos_and_falls_back_to_debug_out_of_range() {
        let t = Timestamp {
            seconds: 0,
            nanos: 1_500_000_000,
            unknown_fields: crate::UnknownFields::new(),
        };
        assert_eq!(t.to_string(), "1970-01-01T00:00:01.500Z");
        assert_eq!(
            format!("{:>22}", Timestamp::default()),
            "  1970-01-01T00:00:00Z"
        );
        let too_late = Timestamp {
            seconds: MAX_SECONDS,
            nanos: NANOS_PER_SECOND,
            unknown_fields: crate::UnknownFields::new(),
        };
        assert_eq!(
            too_late.to_string(),
            "Timestamp { seconds: 253402300799, nanos: 1000000000 }"
        );
        assert!(too_late.to_string().parse::<Timestamp>().is_err());
    }

    #[test]
    fn from_str_errors_say_why() {
        let err = "1970-01-01T00:00:00".parse::<Timestamp>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid Timestamp: missing time zone: expected 'Z' or an offset like +01:00"
        );
        assert!("".parse::<Timestamp>().is_err());
        assert!("0000-01-01T00:00:00Z".parse::<Timestamp>().is_err());
    }

    #[test]
    fn system_time_before_the_epoch_rounds_the_seconds_down() {
        let cases = [
            (Duration::from_nanos(1), -1, 999_999_999),
            (Duration::from_secs(1), -1, 0),
            (Duration::new(86_400, 250_000_000), -86_401, 750_000_000),
        ];
        for (before, seconds, nanos) in cases {
            let time = UNIX_EPOCH - before;
            let t = Timestamp::try_from(time).unwrap();
            assert_eq!(
                t,
                Timestamp {
                    seconds,
                    nanos,
                    unknown_fields: crate::UnknownFields::new()
                },
                "{before:?}"
            );
            assert_eq!(SystemTime::try_from(t), Ok(time));
        }
    }

    #[test]
    fn system_time_round_trips_at_the_ends_of_the_range() {
        for t in [Timestamp::MIN, Timestamp::MAX, Timestamp::default()] {
            let time = SystemTime::try_from(t.clone()).unwrap();
            assert_eq!(Timestamp::try_from(time), Ok(t));
        }
    }

    #[test]
    fn system_time_outside_the_range_is_an_error() {
        let min = SystemTime::try_from(Timestamp::MIN).unwrap();
        let max = SystemTime::try_from(Timestamp::MAX).unwrap();
        let too_early = min - Duration::from_nanos(1);
        let too_late = max + Duration::from_nanos(1);
        let err = Timestamp::try_from(too_late).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a SystemTime 253402300800.000000000s after the Unix epoch is outside the range \
             of Timestamp, 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z"
        );
        let err = Timestamp::try_from(too_early).unwrap_err();
        assert!(
            err.to_string().contains("62135596800.000000001s before"),
            "{err}"
        );
    }

    #[test]
    fn timestamps_outside_the_range_are_not_system_times() {
        for t in [
            Timestamp {
                seconds: MAX_SECONDS + 1,
                nanos: 0,
                unknown_fields: crate::UnknownFields::new(),
            },
            Timestamp {
                seconds: MIN_SECONDS,
                nanos: -1,
                unknown_fields: crate::UnknownFields::new(),
            },
            Timestamp {
                seconds: i64::MIN,
                nanos: i32::MIN,
                unknown_fields: crate::UnknownFields::new(),
            },
            Timestamp {
                seconds: i64::MAX,
                nanos: i32::MAX,
                unknown_fields: crate::UnknownFields::new(),
            },
        ] {
            let err = SystemTime::try_from(t).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("not a valid Timestamp: seconds"),
                "{err}"
            );
        }
    }

    #[test]
    fn negative_nanos_are_carried_into_the_seconds() {
        let t = Timestamp {
            seconds: 10,
            nanos: -250_000_000,
            unknown_fields: crate::UnknownFields::new(),
        };
        let time = SystemTime::try_from(t).unwrap();
        assert_eq!(time, UNIX_EPOCH + Duration::from_millis(9_750));
        assert_eq!(
            Timestamp::try_from(time),
            Ok(Timestamp {
                seconds: 9,
                nanos: 750_000_000,
                unknown_fields: crate::UnknownFields::new()
            })
        );
    }

    #[test]
    fn order_is_seconds_then_nanos() {
        let a = Timestamp {
            seconds: -1,
            nanos: 999_999_999,
            unknown_fields: crate::UnknownFields::new(),
        };
        let b = Timestamp::default();
        assert!(a < b);
        assert_eq!(b.partial_cmp(&a), Some(Ordering::Greater));
        assert!(Timestamp::MIN < a && b < Timestamp::MAX);
        assert_eq!(a.cmp(&a), Ordering::Equal);
    }
}
