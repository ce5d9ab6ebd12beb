//! `Duration` as users of `prost-types` and `google-cloud-rust` expect it:
//! its `"1.5s"` text through `Display` and `FromStr`, the range constants,
//! an order, and checked conversions with [`std::time::Duration`]. The text
//! is the ProtoJSON form, written and read by the same functions as the JSON
//! of a `Duration` field.

use super::Duration;
use crate::text::duration::{self as text, DurationError as TextError, MAX_SECONDS};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

impl Duration {
    /// The most negative valid duration, -315,576,000,000.999999999 s
    /// (about 10,000 years).
    ///
    /// ```
    /// use cancelwire::wkt::Duration;
    /// assert_eq!(Duration::MIN.to_string(), "-315576000000.999999999s");
    /// ```
    pub const MIN: Duration = Duration {
        seconds: -MAX_SECONDS,
        nanos: -999_999_999,
        unknown_fields: crate::UnknownFields::new(),
    };

    /// The longest valid duration, 315,576,000,000.999999999 s (about 10,000
    /// years).
    ///
    /// ```
    /// use cancelwire::wkt::Duration;
    /// assert_eq!(Duration::MAX.to_string(), "315576000000.999999999s");
    /// ```
    pub const MAX: Duration = Duration {
        seconds: MAX_SECONDS,
        nanos: 999_999_999,
        unknown_fields: crate::UnknownFields::new(),
    };
}

/// Why a text is not a duration, or a value cannot be converted to or from
/// a [`Duration`].
///
/// ```
/// use cancelwire::wkt::{Duration, DurationError};
///
/// let err: DurationError = "1.5".parse::<Duration>().unwrap_err();
/// assert_eq!(err.to_string(), "invalid Duration: expected 's' at the end of a Duration");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError {
    reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Reason {
    /// `FromStr`: the text is not a duration as ProtoJSON writes it.
    Parse(TextError),
    /// The duration is outside its range, even with its nanos carried
    /// into its seconds.
    Invalid(TextError),
    /// A `std::time::Duration` longer than [`Duration::MAX`].
    TooLong(std::time::Duration),
    /// A negative duration, which `std::time::Duration` cannot hold.
    Negative(Duration),
}

impl DurationError {
    fn new(reason: Reason) -> Self {
        Self { reason }
    }
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            Reason::Parse(error) => write!(f, "invalid Duration: {error}"),
            Reason::Invalid(error) => write!(f, "not a valid Duration: {error}"),
            Reason::TooLong(duration) => write!(
                f,
                "{}.{:09}s is longer than the longest Duration, {}",
                duration.as_secs(),
                duration.subsec_nanos(),
                Duration::MAX
            ),
            Reason::Negative(duration) => write!(
                f,
                "{duration} is negative, which a std::time::Duration cannot be"
            ),
        }
    }
}

impl std::error::Error for DurationError {}

/// The ProtoJSON text: seconds with 0, 3, 6 or 9 fraction digits (the fewest
/// that are exact) and `s`, like `"-1.500s"`.
///
/// The nanos are first brought to the sign of the seconds and within
/// ±999,999,999, as the conversions do. A value outside
/// [`Duration::MIN`]..=[`Duration::MAX`], which has no such text, is written
/// in its `Debug` form instead, which [`str::parse`] rejects.
///
/// ```
/// use cancelwire::wkt::Duration;
///
/// assert_eq!(Duration { seconds: 1, nanos: 500_000_000, ..Default::default() }.to_string(), "1.500s");
/// assert_eq!(Duration { seconds: 0, nanos: -1_000, ..Default::default() }.to_string(), "-0.000001s");
/// assert_eq!(Duration { seconds: 1, nanos: -1, ..Default::default() }.to_string(), "0.999999999s");
/// assert_eq!(
///     Duration { seconds: i64::MAX, nanos: 0, ..Default::default() }.to_string(),
///     "Duration { seconds: 9223372036854775807, nanos: 0 }",
/// );
/// ```
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match text::normalize(self.seconds, self.nanos)
            .and_then(|(seconds, nanos)| text::format_duration(seconds, nanos))
        {
            Ok(text) => f.pad(&text),
            Err(_) => fmt::Debug::fmt(self, f),
        }
    }
}

/// Reads the ProtoJSON text, exactly as a JSON `Duration` field does: an
/// optional `-`, digits, an optional fraction of 1 to 9 digits, and `s`,
/// within [`Duration::MIN`]..=[`Duration::MAX`].
///
/// ```
/// use cancelwire::wkt::Duration;
///
/// assert_eq!("1.5s".parse(), Ok(Duration { seconds: 1, nanos: 500_000_000, ..Default::default() }));
/// assert_eq!("-0.25s".parse(), Ok(Duration { seconds: 0, nanos: -250_000_000, ..Default::default() }));
/// assert!("+1s".parse::<Duration>().is_err());
/// ```
impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, DurationError> {
        text::parse_duration(text)
            .map(|(seconds, nanos)| Duration {
                seconds,
                nanos,
                unknown_fields: crate::UnknownFields::new(),
            })
            .map_err(|error| DurationError::new(Reason::Parse(error)))
    }
}

/// Orders by `seconds`, then `nanos`: the order of length for valid
/// durations (whose two parts never have opposite signs).
///
/// ```
/// use cancelwire::wkt::Duration;
///
/// let short = Duration { seconds: -1, nanos: -500_000_000, ..Default::default() };
/// let long = Duration { seconds: -1, nanos: 0, ..Default::default() };
/// assert!(short < long);
/// assert!(Duration::MIN < short && long < Duration::MAX);
/// ```
impl PartialOrd for Duration {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// See the `PartialOrd` impl.
///
/// ```
/// use cancelwire::wkt::Duration;
/// let one = Duration { seconds: 1, nanos: 0, ..Default::default() };
/// assert_eq!(one.clone().max(Duration::default()), one);
/// ```
impl Ord for Duration {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.seconds, self.nanos).cmp(&(other.seconds, other.nanos))
    }
}

/// The same length as a `Duration`; fails above [`Duration::MAX`].
///
/// ```
/// use cancelwire::wkt::Duration;
///
/// let d = Duration::try_from(std::time::Duration::from_millis(1_500))?;
/// assert_eq!(d, Duration { seconds: 1, nanos: 500_000_000, ..Default::default() });
/// assert!(Duration::try_from(std::time::Duration::MAX).is_err());
/// # Ok::<(), cancelwire::wkt::DurationError>(())
/// ```
impl TryFrom<std::time::Duration> for Duration {
    type Error = DurationError;

    fn try_from(duration: std::time::Duration) -> Result<Self, DurationError> {
        let too_long = || DurationError::new(Reason::TooLong(duration));
        let seconds = i64::try_from(duration.as_secs())
            .ok()
            .filter(|seconds| *seconds <= MAX_SECONDS)
            .ok_or_else(too_long)?;
        let nanos = i32::try_from(duration.subsec_nanos()).map_err(|_| too_long())?;
        Ok(Duration {
            seconds,
            nanos,
            unknown_fields: crate::UnknownFields::new(),
        })
    }
}

/// The same length as a `std::time::Duration`. The nanos are first brought
/// to the sign of the seconds (`{ seconds: 1, nanos: -1 }` is 0.999999999 s);
/// fails for a negative duration, or one outside
/// [`Duration::MIN`]..=[`Duration::MAX`] after that.
///
/// ```
/// use cancelwire::wkt::Duration;
///
/// let d = std::time::Duration::try_from(Duration { seconds: 2, nanos: -500_000_000, ..Default::default() })?;
/// assert_eq!(d, std::time::Duration::from_millis(1_500));
/// let err = std::time::Duration::try_from(Duration { seconds: -1, nanos: 0, ..Default::default() }).unwrap_err();
/// assert_eq!(err.to_string(), "-1s is negative, which a std::time::Duration cannot be");
/// # Ok::<(), cancelwire::wkt::DurationError>(())
/// ```
impl TryFrom<Duration> for std::time::Duration {
    type Error = DurationError;

    fn try_from(duration: Duration) -> Result<Self, DurationError> {
        let (seconds, nanos) = text::normalize(duration.seconds, duration.nanos)
            .map_err(|error| DurationError::new(Reason::Invalid(error)))?;
        match (u64::try_from(seconds), u32::try_from(nanos)) {
            // Normalised nanos are below one second, so nothing carries.
            (Ok(seconds), Ok(nanos)) => Ok(std::time::Duration::new(seconds, nanos)),
            _ => Err(DurationError::new(Reason::Negative(duration))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration as StdDuration;

    #[test]
    fn min_and_max_are_the_ends_of_the_json_range() {
        assert_eq!("315576000000.999999999s".parse(), Ok(Duration::MAX));
        assert_eq!("-315576000000.999999999s".parse(), Ok(Duration::MIN));
        assert!(crate::json::to_string(&Duration::MAX).is_ok());
        assert!(crate::json::to_string(&Duration::MIN).is_ok());
        let beyond = Duration {
            seconds: MAX_SECONDS + 1,
            nanos: 0,
            unknown_fields: crate::UnknownFields::new(),
        };
        assert!(crate::json::to_string(&beyond).is_err());
        assert!("315576000001s".parse::<Duration>().is_err());
    }

    #[test]
    fn display_then_from_str_round_trips() {
        for d in [
            Duration::MIN,
            Duration::MAX,
            Duration::default(),
            Duration {
                seconds: 0,
                nanos: -1,
                unknown_fields: crate::UnknownFields::new(),
            },
            Duration {
                seconds: -7,
                nanos: -250_000_000,
                unknown_fields: crate::UnknownFields::new(),
            },
            Duration {
                seconds: 30,
                nanos: 1_000,
                unknown_fields: crate::UnknownFields::new(),
            },
        ] {
            let text = d.to_string();
            assert_eq!(text.parse::<Duration>(), Ok(d.clone()), "{text}");
            assert_eq!(crate::json::to_string(&d).unwrap(), format!("\"{text}\""));
        }
    }

    #[test]
    fn display_normalises_and_falls_back_to_debug_out_of_range() {
        let mixed = Duration {
            seconds: -1,
            nanos: 1,
            unknown_fields: crate::UnknownFields::new(),
        };
        assert_eq!(mixed.to_string(), "-0.999999999s");
        assert_eq!(format!("{:<6}|", Duration::default()), "0s    |");
        let beyond = Duration {
            seconds: MAX_SECONDS,
            nanos: 1_000_000_000,
            unknown_fields: crate::UnknownFields::new(),
        };
        assert_eq!(
            beyond.to_string(),
            "Duration { seconds: 315576000000, nanos: 1000000000 }"
        );
        assert!(beyond.to_string().parse::<Duration>().is_err());
    }

    #[test]
    fn std_durations_up_to_max_convert_and_round_trip() {
        for std in [
            StdDuration::ZERO,
            StdDuration::from_nanos(1),
            StdDuration::new(MAX_SECONDS.unsigned_abs(), 999_999_999),
        ] {
            let d = Duration::try_from(std).unwrap();
            assert_eq!(StdDuration::try_from(d), Ok(std));
        }
        assert_eq!(
            Duration::try_from(StdDuration::new(MAX_SECONDS.unsigned_abs(), 999_999_999)),
            Ok(Duration::MAX)
        );
    }

    #[test]
    fn std_durations_past_max_are_an_error() {
        let err =
            Duration::try_from(StdDuration::from_secs(MAX_SECONDS.unsigned_abs() + 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "315576000001.000000000s is longer than the longest Duration, 315576000000.999999999s"
        );
        assert!(Duration::try_from(StdDuration::MAX).is_err());
        assert!(Duration::try_from(StdDuration::from_secs(u64::MAX / 2)).is_err());
    }

    #[test]
    fn negative_durations_are_not_std_durations() {
        for d in [
            Duration {
                seconds: 0,
                nanos: -1,
                unknown_fields: crate::UnknownFields::new(),
            },
            Duration {
                seconds: -1,
                nanos: 0,
                unknown_fields: crate::UnknownFields::new(),
            },
            Duration::MIN,
            // Normalised to -0.999999999 s.
            Duration {
                seconds: -1,
                nanos: 1,
                unknown_fields: crate::UnknownFields::new(),
            },
        ] {
            let err = StdDuration::try_from(d).unwrap_err();
            assert!(err.to_string().contains("is negative"), "{err}");
        }
    }

    #[test]
    fn negative_nanos_are_carried_into_positive_seconds() {
        let d = Duration {
            seconds: 3,
            nanos: -1,
            unknown_fields: crate::UnknownFields::new(),
        };
        assert_eq!(
            StdDuration::try_from(d),
            Ok(StdDuration::new(2, 999_999_999))
        );
        assert_eq!(
            StdDuration::try_from(Duration {
                seconds: 0,
                nanos: 1_500_000_000,
                unknown_fields: crate::UnknownFields::new()
            }),
            Ok(StdDuration::from_millis(1_500))
        );
    }

    #[test]
    fn durations_outside_the_range_are_not_std_durations() {
        for d in [
            Duration {
                seconds: i64::MAX,
                nanos: i32::MAX,
                unknown_fields: crate::UnknownFields::new(),
            },
            Duration {
                seconds: MAX_SECONDS + 1,
                nanos: 0,
                unknown_fields: crate::UnknownFields::new(),
            },
            Duration {
                seconds: i64::MIN,
                nanos: i32::MIN,
                unknown_fields: crate::UnknownFields::new(),
            },
        ] {
            let err = StdDuration::try_from(d).unwrap_err();
            assert!(
                err.to_string().starts_with("not a valid Duration: seconds"),
                "{err}"
            );
        }
    }

    #[test]
    fn order_is_seconds_then_nanos() {
        let half = Duration {
            seconds: 0,
            nanos: 500_000_000,
            unknown_fields: crate::UnknownFields::new(),
        };
        let minus_half = Duration {
            seconds: 0,
            nanos: -500_000_000,
            unknown_fields: crate::UnknownFields::new(),
        };
        assert!(minus_half < Duration::default() && Duration::default() < half);
        assert!(Duration::MIN < minus_half && half < Duration::MAX);
    }
}
