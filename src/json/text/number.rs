//! Numbers as ProtoJSON writes them: integers as JSON numbers or quoted
//! text, floats with `"NaN"`, `"Infinity"` and `"-Infinity"` spelled out.

use super::{Found, digit_run};
use std::fmt;

/// 2^64: the largest magnitude an integer text or f64 may have here.
const TWO_POW_64: u128 = 1 << 64;

/// Why a text or value is not a number of the wanted kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// No text at all.
    Empty,
    /// A leading `+`.
    PlusSign,
    /// No digit where the integer part starts.
    ExpectedDigit { at: usize, found: Found },
    /// `05`, `-00`.
    LeadingZeros,
    /// A `.` without digits after it.
    NoFractionDigits,
    /// An `e` without digits after it (and its sign).
    NoExponentDigits,
    /// Characters after the number.
    Trailing { at: usize, found: Found },
    /// A fraction where an integer is wanted.
    NonIntegral,
    /// A magnitude too large for any field of the kind (above 2^64 for
    /// integers, above `f64::MAX` for floats).
    OutOfRange,
    /// NaN or an infinity where an integer is wanted.
    NotFinite,
    /// Text that the grammar accepts but the float parser does not.
    Float(std::num::ParseFloatError),
}

impl NumberError {
    /// Whether the number is well-formed but too large, rather than not a
    /// valid number at all.
    pub(crate) fn is_out_of_range(&self) -> bool {
        matches!(self, Self::OutOfRange)
    }
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty number"),
            Self::PlusSign => f.write_str("a '+' sign is not allowed in a number"),
            Self::ExpectedDigit { at, found } => write!(
                f,
                "expected a digit at position {at} of a number, found {found}"
            ),
            Self::LeadingZeros => f.write_str("leading zeros are not allowed in a number"),
            Self::NoFractionDigits => f.write_str("expected digits after '.' in a number"),
            Self::NoExponentDigits => f.write_str("expected digits in the exponent of a number"),
            Self::Trailing { at, found } => {
                write!(f, "unexpected {found} at position {at} of a number")
            }
            Self::NonIntegral => f.write_str("non-integral"),
            Self::OutOfRange => f.write_str("out of range"),
            Self::NotFinite => f.write_str("not finite"),
            Self::Float(error) => write!(f, "invalid number: {error}"),
        }
    }
}

/// The pieces of a text that matched the JSON number grammar.
struct JsonNumber<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
    exp_negative: bool,
    exp: &'a [u8],
}

/// Splits `text` by the JSON number grammar
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn split_json_number(text: &str) -> Result<JsonNumber<'_>, NumberError> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Err(NumberError::Empty);
    }
    if bytes.first() == Some(&b'+') {
        return Err(NumberError::PlusSign);
    }
    let negative = bytes.first() == Some(&b'-');
    let mut pos = usize::from(negative);

    let rest = bytes.get(pos..).unwrap_or_default();
    let int_len = digit_run(rest);
    if int_len == 0 {
        return Err(NumberError::ExpectedDigit {
            at: pos,
            found: Found::at(text, pos),
        });
    }
    if int_len > 1 && rest.first() == Some(&b'0') {
        return Err(NumberError::LeadingZeros);
    }
    let int = rest.get(..int_len).unwrap_or_default();
    pos += int_len;

    let mut frac: &[u8] = &[];
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        let rest = bytes.get(pos..).unwrap_or_default();
        let len = digit_run(rest);
        if len == 0 {
            return Err(NumberError::NoFractionDigits);
        }
        frac = rest.get(..len).unwrap_or_default();
        pos += len;
    }

    let mut exp_negative = false;
    let mut exp: &[u8] = &[];
    if matches!(bytes.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        match bytes.get(pos) {
            Some(b'-') => {
                exp_negative = true;
                pos += 1;
            }
            Some(b'+') => pos += 1,
            _ => {}
        }
        let rest = bytes.get(pos..).unwrap_or_default();
        let len = digit_run(rest);
        if len == 0 {
            return Err(NumberError::NoExponentDigits);
        }
        exp = rest.get(..len).unwrap_or_default();
        pos += len;
    }

    if pos != bytes.len() {
        return Err(NumberError::Trailing {
            at: pos,
            found: Found::at(text, pos),
        });
    }
    Ok(JsonNumber {
        negative,
        int,
        frac,
        exp_negative,
        exp,
    })
}

/// Parses a quoted integer: the JSON number grammar
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` whose exact decimal value
/// is an integer (`"1.0"`, `"1e2"`, `"-0"` are fine, `"1.5"` is not).
///
/// The value is computed exactly in decimal, never through f64. Magnitudes
/// above 2^64 are "out of range"; the caller checks the field's own range.
/// Work is bounded by the text length whatever the exponent.
pub(crate) fn parse_integer_text(text: &str) -> Result<i128, NumberError> {
    let number = split_json_number(text)?;

    // The value is digits × 10^(exponent − frac length). Keep only the
    // significant digits: strip leading zeros, and move trailing zeros into
    // the power of ten so the remaining digit string ends in a non-zero digit.
    let digits: Vec<u8> = number.int.iter().chain(number.frac).copied().collect();
    let Some(first) = digits.iter().position(|&d| d != b'0') else {
        return Ok(0); // all zeros, whatever the exponent
    };
    let last = digits.iter().rposition(|&d| d != b'0').unwrap_or(first);
    let significant = digits.get(first..=last).unwrap_or_default();
    let trailing_zeros = digits.len() - 1 - last;

    // Saturate the exponent far beyond anything that could matter (the
    // answer is decided by comparing with the digit count, which is < 2^40).
    const EXP_CAP: i64 = 1 << 40;
    let mut exponent: i64 = 0;
    for &d in number.exp {
        exponent = (exponent * 10 + i64::from(d - b'0')).min(EXP_CAP);
    }
    if number.exp_negative {
        exponent = -exponent;
    }
    let len_i64 = |n: usize| i64::try_from(n).unwrap_or(EXP_CAP);
    let scale = exponent - len_i64(number.frac.len()) + len_i64(trailing_zeros);

    // `significant` ends in a non-zero digit, so a negative scale leaves a fraction.
    if scale < 0 {
        return Err(NumberError::NonIntegral);
    }
    // 2^64 has 20 digits; anything with more is out of range.
    if len_i64(significant.len()) + scale > 20 {
        return Err(NumberError::OutOfRange);
    }
    let mut magnitude: u128 = 0;
    for &d in significant {
        magnitude = magnitude * 10 + u128::from(d - b'0');
    }
    for _ in 0..scale {
        magnitude *= 10;
    }
    if magnitude > TWO_POW_64 {
        return Err(NumberError::OutOfRange);
    }
    // magnitude <= 2^64 always fits in i128.
    let value = i128::try_from(magnitude).map_err(|_| NumberError::OutOfRange)?;
    Ok(if number.negative { -value } else { value })
}

/// Checks an unquoted JSON number that arrived as f64 for use as an integer:
/// it must be finite, have no fractional part, and |value| <= 2^64.
pub(crate) fn integer_from_f64(value: f64) -> Result<i128, NumberError> {
    if !value.is_finite() {
        return Err(NumberError::NotFinite);
    }
    if value.fract() != 0.0 {
        return Err(NumberError::NonIntegral);
    }
    if value.abs() > 18_446_744_073_709_551_616.0 {
        return Err(NumberError::OutOfRange);
    }
    // Integral and within ±2^64, so the conversion is exact.
    Ok(value as i128)
}

/// Parses a quoted floating-point value: exactly `"NaN"`, `"Infinity"`,
/// `"-Infinity"`, or the JSON number grammar
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. A finite text too large
/// for f64 (e.g. `"1e999"`) is "out of range"; values too small round to zero.
pub(crate) fn parse_float_text(text: &str) -> Result<f64, NumberError> {
    match text {
        "NaN" => return Ok(f64::NAN),
        "Infinity" => return Ok(f64::INFINITY),
        "-Infinity" => return Ok(f64::NEG_INFINITY),
        _ => {}
    }
    split_json_number(text)?;
    let value = text.parse::<f64>().map_err(NumberError::Float)?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(NumberError::OutOfRange)
    }
}

/// How a floating-point value is written in ProtoJSON.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum FloatJson {
    /// A finite value, written as a JSON number.
    Number(f64),
    /// A non-finite value, written as this JSON string.
    Text(&'static str),
}

/// ProtoJSON form of a double: `"NaN"`, `"Infinity"`, `"-Infinity"` as
/// strings, anything else as a number.
pub(crate) fn format_f64(value: f64) -> FloatJson {
    if value.is_nan() {
        FloatJson::Text("NaN")
    } else if value == f64::INFINITY {
        FloatJson::Text("Infinity")
    } else if value == f64::NEG_INFINITY {
        FloatJson::Text("-Infinity")
    } else {
        FloatJson::Number(value)
    }
}

/// ProtoJSON form of a float, like [`format_f64`]. A finite value becomes the
/// f64 nearest to the f32's shortest round-trip decimal, so `0.1f32` prints
/// as `0.1` rather than `0.10000000149011612`.
pub(crate) fn format_f32(value: f32) -> FloatJson {
    if !value.is_finite() {
        return format_f64(f64::from(value));
    }
    // Display of a float writes the shortest digits that read back as the same f32.
    let shortest = format!("{value}");
    FloatJson::Number(shortest.parse::<f64>().unwrap_or(f64::from(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_integer_text_is_exact_beyond_f64_precision() {
        assert_eq!(
            parse_integer_text("9007199254740993"),
            Ok(9_007_199_254_740_993)
        );
        assert_eq!(
            parse_integer_text("1.8446744073709551615e19"),
            Ok(18_446_744_073_709_551_615)
        );
        assert_eq!(parse_integer_text("18446744073709551616"), Ok(1 << 64));
        assert_eq!(parse_integer_text("-18446744073709551616"), Ok(-(1 << 64)));
        assert_eq!(
            parse_integer_text("-9223372036854775808"),
            Ok(-9_223_372_036_854_775_808)
        );
        // Caller range-checks: these are valid text, out of range only for int32/int64.
        assert_eq!(parse_integer_text("2147483648"), Ok(2_147_483_648));
        assert_eq!(
            parse_integer_text("9223372036854775808"),
            Ok(9_223_372_036_854_775_808)
        );
    }

    #[test]
    fn parse_integer_text_accepts_integral_decimals_and_exponents() {
        assert_eq!(parse_integer_text("0"), Ok(0));
        assert_eq!(parse_integer_text("-0"), Ok(0));
        assert_eq!(parse_integer_text("1.0"), Ok(1));
        assert_eq!(parse_integer_text("1e2"), Ok(100));
        assert_eq!(parse_integer_text("1E+2"), Ok(100));
        assert_eq!(parse_integer_text("1.5e1"), Ok(15));
        assert_eq!(parse_integer_text("-1.50e1"), Ok(-15));
        assert_eq!(parse_integer_text("100e-2"), Ok(1));
        assert_eq!(parse_integer_text("0.0e-400"), Ok(0));
        assert_eq!(parse_integer_text("0e99999999999999999999"), Ok(0));
        assert_eq!(parse_integer_text("5e18"), Ok(5_000_000_000_000_000_000));
    }

    #[test]
    fn parse_integer_text_rejects_fractions_and_large_magnitudes() {
        assert_eq!(
            parse_integer_text("1.5").unwrap_err().to_string(),
            "non-integral"
        );
        assert_eq!(
            parse_integer_text("1e-1").unwrap_err().to_string(),
            "non-integral"
        );
        assert_eq!(
            parse_integer_text("1e-400").unwrap_err().to_string(),
            "non-integral"
        );
        assert_eq!(
            parse_integer_text("18446744073709551617")
                .unwrap_err()
                .to_string(),
            "out of range"
        );
        assert_eq!(
            parse_integer_text("1e400").unwrap_err().to_string(),
            "out of range"
        );
        assert_eq!(
            parse_integer_text("1e20").unwrap_err().to_string(),
            "out of range"
        );
        assert_eq!(
            parse_integer_text("1e99999999999999999999999999999")
                .unwrap_err()
                .to_string(),
            "out of range"
        );
        let long = format!("1{}", "0".repeat(100_000));
        assert_eq!(
            parse_integer_text(&long).unwrap_err().to_string(),
            "out of range"
        );
        let long_fraction = format!("1.{}1e5", "0".repeat(100_000));
        assert_eq!(
            parse_integer_text(&long_fraction).unwrap_err().to_string(),
            "non-integral"
        );
    }

    #[test]
    fn parse_integer_text_rejects_non_json_number_grammar() {
        assert_eq!(
            parse_integer_text("+5").unwrap_err().to_string(),
            "a '+' sign is not allowed in a number"
        );
        assert_eq!(
            parse_integer_text("05").unwrap_err().to_string(),
            "leading zeros are not allowed in a number"
        );
        for text in [
            "", "+5", "05", "-05", "00", " 1", "1 ", "0x10", "12abc", "1.", ".5", "-", "1e", "1e+",
            "--1", "1_000", "NaN", "Infinity", "１",
        ] {
            assert!(
                parse_integer_text(text).is_err(),
                "{text:?} must be rejected"
            );
        }
    }

    #[test]
    fn integer_from_f64_accepts_only_finite_integral_values_up_to_2_pow_64() {
        assert_eq!(integer_from_f64(1e2), Ok(100));
        assert_eq!(integer_from_f64(1.0), Ok(1));
        assert_eq!(integer_from_f64(-0.0), Ok(0));
        assert_eq!(integer_from_f64(5.0e18), Ok(5_000_000_000_000_000_000));
        assert_eq!(integer_from_f64(9_223_372_036_854_775_808.0), Ok(1 << 63));
        assert_eq!(integer_from_f64(18_446_744_073_709_551_616.0), Ok(1 << 64));
        assert_eq!(
            integer_from_f64(-18_446_744_073_709_551_616.0),
            Ok(-(1 << 64))
        );
        assert_eq!(
            integer_from_f64(1.5).unwrap_err().to_string(),
            "non-integral"
        );
        assert_eq!(
            integer_from_f64(36_893_488_147_419_103_232.0)
                .unwrap_err()
                .to_string(),
            "out of range"
        );
        assert_eq!(
            integer_from_f64(f64::MAX).unwrap_err().to_string(),
            "out of range"
        );
        assert_eq!(
            integer_from_f64(f64::NAN).unwrap_err().to_string(),
            "not finite"
        );
        assert_eq!(
            integer_from_f64(f64::NEG_INFINITY).unwrap_err().to_string(),
            "not finite"
        );
    }

    #[test]
    fn parse_float_text_accepts_special_names_and_json_numbers() {
        assert!(parse_float_text("NaN").unwrap().is_nan());
        assert_eq!(parse_float_text("Infinity"), Ok(f64::INFINITY));
        assert_eq!(parse_float_text("-Infinity"), Ok(f64::NEG_INFINITY));
        assert_eq!(parse_float_text("1.5"), Ok(1.5));
        assert_eq!(parse_float_text("-2.5E-3"), Ok(-0.0025));
        assert_eq!(parse_float_text("1e-999"), Ok(0.0));
        let negative_zero = parse_float_text("-0").unwrap();
        assert!(negative_zero == 0.0 && negative_zero.is_sign_negative());
    }

    #[test]
    fn parse_float_text_rejects_overflow_and_other_spellings() {
        assert_eq!(
            parse_float_text("1e999").unwrap_err().to_string(),
            "out of range"
        );
        assert_eq!(
            parse_float_text("-1e999").unwrap_err().to_string(),
            "out of range"
        );
        for text in [
            "",
            "nan",
            "inf",
            "-inf",
            "infinity",
            "+Infinity",
            "-NaN",
            "+1",
            "01",
            " 1",
            "1 ",
            "1.",
            ".5",
            "0x1p3",
            "1e",
            "Infinity ",
        ] {
            assert!(parse_float_text(text).is_err(), "{text:?} must be rejected");
        }
    }

    #[test]
    fn format_f64_and_f32_spell_non_finite_values_as_text() {
        assert_eq!(format_f64(f64::NAN), FloatJson::Text("NaN"));
        assert_eq!(format_f64(f64::INFINITY), FloatJson::Text("Infinity"));
        assert_eq!(format_f64(f64::NEG_INFINITY), FloatJson::Text("-Infinity"));
        assert_eq!(format_f64(0.1), FloatJson::Number(0.1));
        assert_eq!(format_f32(f32::NAN), FloatJson::Text("NaN"));
        assert_eq!(format_f32(f32::INFINITY), FloatJson::Text("Infinity"));
        assert_eq!(format_f32(f32::NEG_INFINITY), FloatJson::Text("-Infinity"));
    }

    #[test]
    fn format_f32_uses_shortest_f32_decimal() {
        assert_eq!(format_f32(0.1), FloatJson::Number(0.1));
        assert_eq!(format_f32(1.5), FloatJson::Number(1.5));
        assert_eq!(format_f32(f32::MAX), FloatJson::Number(3.4028235e38));
        assert_eq!(
            format_f32(f32::MIN_POSITIVE),
            FloatJson::Number(1.1754944e-38)
        );
        assert_eq!(format_f32(1e-45), FloatJson::Number(1e-45));
        match format_f32(-0.0) {
            FloatJson::Number(v) => assert!(v == 0.0 && v.is_sign_negative()),
            other => panic!("unexpected {other:?}"),
        }
    }
}
