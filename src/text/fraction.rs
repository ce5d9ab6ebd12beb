//! Fractions of a second, as timestamps and durations write them: 1 to 9
//! digits when parsed, 0, 3, 6 or 9 when printed.

use std::fmt;

/// Why the digits after a `.` are not a fraction of a second. The `&str`
/// names the value being parsed ("timestamp", "Duration").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FractionError {
    /// A `.` with no digit after it.
    Missing(&'static str),
    /// More than nine digits (finer than a nanosecond).
    TooMany(usize, &'static str),
}

impl fmt::Display for FractionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing(what) => {
                write!(f, "expected 1 to 9 fraction digits after '.' in a {what}")
            }
            Self::TooMany(count, what) => write!(
                f,
                "{count} fraction digits in a {what}, at most 9 are allowed"
            ),
        }
    }
}

/// Writes the fraction of a second with 0, 3, 6 or 9 digits, picking the
/// shortest of those that loses nothing. `nanos` must be in 0..1e9.
pub(crate) fn push_fraction(out: &mut Vec<u8>, nanos: u32) {
    if nanos == 0 {
        return;
    }
    let [a, b, c] = digits::<3>(nanos / 1_000_000);
    if nanos.is_multiple_of(1_000_000) {
        out.extend_from_slice(&[b'.', a, b, c]);
        return;
    }
    let [d, e, f] = digits::<3>(nanos / 1_000);
    if nanos.is_multiple_of(1_000) {
        out.extend_from_slice(&[b'.', a, b, c, d, e, f]);
        return;
    }
    let [g, h, i] = digits::<3>(nanos);
    out.extend_from_slice(&[b'.', a, b, c, d, e, f, g, h, i]);
}

/// The last `N` decimal digits of `value`, zero-padded: the fixed-width
/// fields of timestamps, as an array, so that a whole timestamp is put
/// together in registers and written with one fixed-size copy (writing
/// each field with a copy of run-time length called `memcpy` seven times).
pub(crate) fn digits<const N: usize>(mut value: u32) -> [u8; N] {
    let mut digits = [b'0'; N];
    for slot in digits.iter_mut().rev() {
        // `value % 10` is below 10, so the sum is an ASCII digit.
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    digits
}

/// Reads 1 to 9 fraction digits from `digits` (all ASCII digits) and scales
/// them to nanoseconds. `what` names the value in errors.
pub(crate) fn fraction_to_nanos(digits: &[u8], what: &'static str) -> Result<i32, FractionError> {
    if digits.is_empty() {
        return Err(FractionError::Missing(what));
    }
    if digits.len() > 9 {
        return Err(FractionError::TooMany(digits.len(), what));
    }
    let mut nanos: i32 = 0;
    for &d in digits {
        nanos = nanos * 10 + i32::from(d - b'0');
    }
    // Pad on the right up to nine digits.
    for _ in digits.len()..9 {
        nanos *= 10;
    }
    Ok(nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fraction(nanos: u32) -> String {
        let mut out = Vec::new();
        push_fraction(&mut out, nanos);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn push_fraction_uses_the_fewest_exact_digit_groups() {
        assert_eq!(fraction(0), "");
        assert_eq!(fraction(500_000_000), ".500");
        assert_eq!(fraction(1_000), ".000001");
        assert_eq!(fraction(1), ".000000001");
        assert_eq!(fraction(999_999_999), ".999999999");
    }

    #[test]
    fn fraction_to_nanos_pads_and_limits_the_digits() {
        assert_eq!(fraction_to_nanos(b"5", "Duration"), Ok(500_000_000));
        assert_eq!(fraction_to_nanos(b"000000001", "Duration"), Ok(1));
        assert_eq!(
            fraction_to_nanos(b"", "timestamp").unwrap_err().to_string(),
            "expected 1 to 9 fraction digits after '.' in a timestamp"
        );
        assert_eq!(
            fraction_to_nanos(b"1234567891", "Duration")
                .unwrap_err()
                .to_string(),
            "10 fraction digits in a Duration, at most 9 are allowed"
        );
    }
}
