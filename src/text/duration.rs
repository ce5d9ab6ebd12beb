//! `google.protobuf.Duration` as ProtoJSON writes it: `"1.5s"`.

use super::fraction::{FractionError, fraction_to_nanos, push_fraction};
use super::{Found, digit_run};
use std::fmt;

/// Largest magnitude of `Duration.seconds` (10,000 years of 365.25 days).
pub(crate) const MAX_SECONDS: i64 = 315_576_000_000;
const NANOS_PER_SECOND: i32 = 1_000_000_000;

/// Why a text is not a Duration, or a value has no such form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DurationError {
    /// No text at all.
    Empty,
    /// The text does not end with `s`.
    MissingUnit,
    /// A leading `+`.
    PlusSign,
    /// No digit where the seconds start.
    ExpectedDigit {
        at: usize,
        found: Found,
    },
    /// The seconds as written (sign included) exceed 315576000000.
    SecondsTextOutOfRange(String),
    Fraction(FractionError),
    /// Characters between the number and the `s`.
    Trailing {
        at: usize,
        found: Found,
    },
    /// Seconds outside ±315576000000.
    SecondsOutOfRange(i64),
    /// Nanos outside ±999999999.
    NanosOutOfRange(i32),
    /// A negative and a positive part.
    OppositeSigns {
        seconds: i64,
        nanos: i32,
    },
}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty duration"),
            Self::MissingUnit => f.write_str("expected 's' at the end of a Duration"),
            Self::PlusSign => f.write_str("a '+' sign is not allowed in a Duration"),
            Self::ExpectedDigit { at, found } => write!(
                f,
                "expected a digit at position {at} of a Duration, found {found}"
            ),
            Self::SecondsTextOutOfRange(seconds) => write!(
                f,
                "seconds {seconds} out of range [-{MAX_SECONDS}, {MAX_SECONDS}]"
            ),
            Self::Fraction(error) => error.fmt(f),
            Self::Trailing { at, found } => {
                write!(f, "unexpected {found} at position {at} of a Duration")
            }
            Self::SecondsOutOfRange(seconds) => write!(
                f,
                "seconds {seconds} out of range [-{MAX_SECONDS}, {MAX_SECONDS}]"
            ),
            Self::NanosOutOfRange(nanos) => {
                write!(f, "nanos {nanos} out of range [-999999999, 999999999]")
            }
            Self::OppositeSigns { seconds, nanos } => {
                write!(f, "seconds {seconds} and nanos {nanos} have opposite signs")
            }
        }
    }
}

impl From<FractionError> for DurationError {
    fn from(error: FractionError) -> Self {
        Self::Fraction(error)
    }
}

/// Brings any `(seconds, nanos)` to the form the Duration rules require:
/// nanos within ±999999999 and of the same sign as the seconds, so that
/// `(1, -1)` becomes `(0, 999999999)` and `(-1, 1)` becomes
/// `(0, -999999999)`; then checks the range.
pub(crate) fn normalize(seconds: i64, nanos: i32) -> Result<(i64, i32), DurationError> {
    // In i128 nothing can overflow: |total| < 2^63 * 1e9 + 2^31 < 2^94.
    let total = i128::from(seconds) * i128::from(NANOS_PER_SECOND) + i128::from(nanos);
    let whole = total / i128::from(NANOS_PER_SECOND);
    let rest = total % i128::from(NANOS_PER_SECOND);
    let whole = i64::try_from(whole)
        .ok()
        .filter(|s| (-MAX_SECONDS..=MAX_SECONDS).contains(s))
        .ok_or(DurationError::SecondsOutOfRange(seconds))?;
    // |rest| < 1e9, so it fits in an i32.
    let rest = i32::try_from(rest).map_err(|_| DurationError::NanosOutOfRange(nanos))?;
    Ok((whole, rest))
}

/// Formats a `google.protobuf.Duration` as `-?S(.F)?s` with 0, 3, 6 or 9
/// fraction digits (the fewest that is exact).
///
/// `seconds` must lie in [-315576000000, 315576000000], `nanos` in
/// [-999999999, 999999999], and the two must not have opposite signs.
pub(crate) fn format_duration(seconds: i64, nanos: i32) -> Result<String, DurationError> {
    let mut out = Vec::with_capacity(24);
    push_duration(&mut out, seconds, nanos)?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// [`format_duration`] onto the end of `out` (which is left as it was on
/// error).
pub(crate) fn push_duration(
    out: &mut Vec<u8>,
    seconds: i64,
    nanos: i32,
) -> Result<(), DurationError> {
    if !(-MAX_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(DurationError::SecondsOutOfRange(seconds));
    }
    if nanos <= -NANOS_PER_SECOND || nanos >= NANOS_PER_SECOND {
        return Err(DurationError::NanosOutOfRange(nanos));
    }
    if (seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0) {
        return Err(DurationError::OppositeSigns { seconds, nanos });
    }
    if seconds < 0 || nanos < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(
        itoa::Buffer::new()
            .format(seconds.unsigned_abs())
            .as_bytes(),
    );
    push_fraction(out, nanos.unsigned_abs());
    out.push(b's');
    Ok(())
}

/// Parses a Duration string into `(seconds, nanos)`.
///
/// Grammar: `-?[0-9]+(\.[0-9]{1,9})?s`, nothing else (no `+`, exponent,
/// whitespace or leading `.`). Leading zeros in the integer part are accepted
/// (`"01s"` is one second), as the grammar does not forbid them.
/// `|seconds|` must not exceed 315576000000. A negative sign applies to both
/// parts: `"-0.5s"` is `(0, -500000000)`, `"-1.000000001s"` is `(-1, -1)`.
pub(crate) fn parse_duration(text: &str) -> Result<(i64, i32), DurationError> {
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    let Some(body) = text.strip_suffix('s') else {
        return Err(DurationError::MissingUnit);
    };
    let bytes = body.as_bytes();
    if bytes.first() == Some(&b'+') {
        return Err(DurationError::PlusSign);
    }
    let negative = bytes.first() == Some(&b'-');
    let int_start = usize::from(negative);
    let int_digits = bytes.get(int_start..).map_or(0, digit_run);
    if int_digits == 0 {
        return Err(DurationError::ExpectedDigit {
            at: int_start,
            found: Found::at(text, int_start),
        });
    }
    let int_end = int_start + int_digits;

    let mut magnitude: i64 = 0;
    for &d in bytes.get(int_start..int_end).unwrap_or_default() {
        magnitude = magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(d - b'0')))
            .filter(|m| *m <= MAX_SECONDS)
            .ok_or_else(|| {
                DurationError::SecondsTextOutOfRange(body.get(..int_end).unwrap_or(body).to_owned())
            })?;
    }

    let mut pos = int_end;
    let mut nanos = 0;
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        let rest = bytes.get(pos..).unwrap_or_default();
        let count = digit_run(rest);
        nanos = fraction_to_nanos(rest.get(..count).unwrap_or_default(), "Duration")?;
        pos += count;
    }
    if pos != bytes.len() {
        return Err(DurationError::Trailing {
            at: pos,
            found: Found::at(text, pos),
        });
    }
    if negative {
        Ok((-magnitude, -nanos))
    } else {
        Ok((magnitude, nanos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_gives_both_parts_one_sign() {
        assert_eq!(normalize(1, -1), Ok((0, 999_999_999)));
        assert_eq!(normalize(-1, 1), Ok((0, -999_999_999)));
        assert_eq!(normalize(0, -1_500_000_000), Ok((-1, -500_000_000)));
        assert_eq!(normalize(2, 1_500_000_000), Ok((3, 500_000_000)));
        assert_eq!(
            normalize(MAX_SECONDS, 999_999_999),
            Ok((MAX_SECONDS, 999_999_999))
        );
        assert_eq!(
            normalize(MAX_SECONDS, NANOS_PER_SECOND),
            Err(DurationError::SecondsOutOfRange(MAX_SECONDS))
        );
        assert_eq!(
            normalize(i64::MIN, i32::MIN),
            Err(DurationError::SecondsOutOfRange(i64::MIN))
        );
    }

    #[test]
    fn format_duration_uses_fewest_exact_fraction_digits() {
        assert_eq!(format_duration(0, 0).unwrap(), "0s");
        assert_eq!(format_duration(1, 500_000_000).unwrap(), "1.500s");
        assert_eq!(format_duration(-1, -1).unwrap(), "-1.000000001s");
        assert_eq!(format_duration(0, -500_000_000).unwrap(), "-0.500s");
        assert_eq!(format_duration(0, -500).unwrap(), "-0.000000500s");
        assert_eq!(format_duration(0, 1_000).unwrap(), "0.000001s");
        assert_eq!(format_duration(30, 500_000_000).unwrap(), "30.500s");
        assert_eq!(format_duration(-5, 0).unwrap(), "-5s");
        assert_eq!(
            format_duration(315_576_000_000, 999_999_999).unwrap(),
            "315576000000.999999999s"
        );
        assert_eq!(
            format_duration(-315_576_000_000, -999_999_999).unwrap(),
            "-315576000000.999999999s"
        );
    }

    #[test]
    fn format_duration_rejects_out_of_range_and_mixed_signs() {
        assert!(format_duration(315_576_000_001, 0).is_err());
        assert!(format_duration(-315_576_000_001, 0).is_err());
        assert!(format_duration(i64::MIN, 0).is_err());
        assert!(format_duration(0, 1_000_000_000).is_err());
        assert!(format_duration(0, -1_000_000_000).is_err());
        assert!(format_duration(0, i32::MIN).is_err());
        assert!(format_duration(1, -1).is_err());
        assert!(format_duration(-1, 1).is_err());
    }

    #[test]
    fn parse_duration_accepts_reference_inputs() {
        for text in ["0s", "0.000s", "0.0s", "-0s"] {
            assert_eq!(parse_duration(text), Ok((0, 0)), "{text}");
        }
        for text in ["1.500s", "1.500000000s", "1.5s"] {
            assert_eq!(parse_duration(text), Ok((1, 500_000_000)), "{text}");
        }
        assert_eq!(parse_duration("-1.000000001s"), Ok((-1, -1)));
        assert_eq!(parse_duration("-0.000000500s"), Ok((0, -500)));
        assert_eq!(parse_duration("-0.0000005s"), Ok((0, -500)));
        assert_eq!(parse_duration("-0.5s"), Ok((0, -500_000_000)));
        assert_eq!(parse_duration("30.500s"), Ok((30, 500_000_000)));
        assert_eq!(
            parse_duration("315576000000.999999999s"),
            Ok((315_576_000_000, 999_999_999))
        );
        assert_eq!(
            parse_duration("-315576000000.999999999s"),
            Ok((-315_576_000_000, -999_999_999))
        );
    }

    #[test]
    fn parse_duration_accepts_leading_zeros() {
        assert_eq!(parse_duration("01s"), Ok((1, 0)));
        assert_eq!(
            parse_duration("-000000000000000000000000007.25s"),
            Ok((-7, -250_000_000))
        );
    }

    #[test]
    fn parse_duration_rejects_negative_vectors() {
        assert_eq!(
            parse_duration("1.5").unwrap_err().to_string(),
            "expected 's' at the end of a Duration"
        );
        for text in ["315576000001s", "1s ", "1e3s", "-.5s", "", "s"] {
            assert!(parse_duration(text).is_err(), "{text:?} must be rejected");
        }
    }

    #[test]
    fn parse_duration_rejects_python_lenient_and_other_malformed_text() {
        assert_eq!(
            parse_duration("+1s").unwrap_err().to_string(),
            "a '+' sign is not allowed in a Duration"
        );
        assert_eq!(
            parse_duration("1.s").unwrap_err().to_string(),
            "expected 1 to 9 fraction digits after '.' in a Duration"
        );
        for text in [
            "+1s",
            "1.s",
            ".5s",
            "-s",
            "--1s",
            " 1s",
            "1 s",
            "1S",
            "1.0000000001s",
            "1.5.5s",
            "-315576000001s",
            "99999999999999999999999999s",
            "1ss",
            "0x1s",
            "１s",
        ] {
            assert!(parse_duration(text).is_err(), "{text:?} must be rejected");
        }
    }
}
