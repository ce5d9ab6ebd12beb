//! Text forms of scalar and well-known-type values used by ProtoJSON.
//!
//! Everything here is a pure function from a value to its JSON text or back.
//! Parsers follow the protobuf.dev "ProtoJSON format" strictly: inputs that
//! some implementations tolerate (a `+` sign, one-digit months, a `.` without
//! digits, whitespace inside base64, ...) are rejected. No function panics on
//! any input; errors are short lowercase reasons naming the broken rule.

/// Smallest valid `Timestamp.seconds`: 0001-01-01T00:00:00Z.
const TIMESTAMP_MIN_SECONDS: i64 = -62_135_596_800;
/// Largest valid `Timestamp.seconds`: 9999-12-31T23:59:59Z.
const TIMESTAMP_MAX_SECONDS: i64 = 253_402_300_799;
/// Largest magnitude of `Duration.seconds` (10,000 years of 365.25 days).
const DURATION_MAX_SECONDS: i64 = 315_576_000_000;
const NANOS_PER_SECOND: i32 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
/// 2^64: the largest magnitude an integer text or f64 may have here.
const TWO_POW_64: u128 = 1 << 64;

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/// Describes the character that starts at byte `pos` of `text`, for errors.
fn char_at(text: &str, pos: usize) -> String {
    match text.get(pos..).and_then(|rest| rest.chars().next()) {
        Some(c) => format!("{c:?}"),
        None => "end of text".to_string(),
    }
}

/// Writes the fraction of a second with 0, 3, 6 or 9 digits, picking the
/// shortest of those that loses nothing. `nanos` must be in 0..1e9.
fn push_fraction(out: &mut String, nanos: u32) {
    if nanos == 0 {
        return;
    }
    if nanos.is_multiple_of(1_000_000) {
        out.push_str(&format!(".{:03}", nanos / 1_000_000));
    } else if nanos.is_multiple_of(1_000) {
        out.push_str(&format!(".{:06}", nanos / 1_000));
    } else {
        out.push_str(&format!(".{nanos:09}"));
    }
}

/// Reads 1 to 9 fraction digits from `digits` and scales them to nanoseconds.
/// `what` names the value in error messages.
fn fraction_to_nanos(digits: &[u8], what: &str) -> Result<i32, String> {
    if digits.is_empty() {
        return Err(format!(
            "expected 1 to 9 fraction digits after '.' in a {what}"
        ));
    }
    if digits.len() > 9 {
        return Err(format!(
            "{} fraction digits in a {what}, at most 9 are allowed",
            digits.len()
        ));
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

/// Length of the run of ASCII digits at the start of `bytes`.
fn digit_run(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

// ---------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, no leap seconds)
// ---------------------------------------------------------------------------

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a civil date. The year is shifted so that each
/// "year" starts on March 1st, which puts the leap day at the end and makes
/// the month lengths a simple linear formula; 400-year eras of 146097 days
/// then repeat exactly. Callers pass years 1..=9999, so nothing overflows.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400; // 0..=399
    let month_from_march = i64::from((month + 9) % 12); // March = 0
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1; // 0..=365
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468 // 719468 = days from 0000-03-01 to 1970-01-01
}

/// Inverse of [`days_from_civil`]: (year, month, day) of a day count since
/// 1970-01-01. Callers pass day counts within years 1..=9999.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097; // 0..=146096
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153; // 0..=11
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1; // 1..=31
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // month is 1..=12 and day 1..=31 by construction, so the casts are lossless.
    (year, month as u32, day as u32)
}

// ---------------------------------------------------------------------------
// Timestamp
// ---------------------------------------------------------------------------

fn check_timestamp_range(seconds: i64) -> Result<(), String> {
    if (TIMESTAMP_MIN_SECONDS..=TIMESTAMP_MAX_SECONDS).contains(&seconds) {
        Ok(())
    } else {
        Err(format!(
            "seconds {seconds} out of range [{TIMESTAMP_MIN_SECONDS}, {TIMESTAMP_MAX_SECONDS}]"
        ))
    }
}

/// Formats a `google.protobuf.Timestamp` as RFC 3339 in UTC:
/// `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z`, using the fewest of 0, 3,
/// 6 or 9 fraction digits that is exact.
///
/// `seconds` must lie in [-62135596800, 253402300799] (0001-01-01T00:00:00Z
/// to 9999-12-31T23:59:59Z) and `nanos` in [0, 999999999].
pub(crate) fn format_timestamp(seconds: i64, nanos: i32) -> Result<String, String> {
    check_timestamp_range(seconds)?;
    if !(0..NANOS_PER_SECOND).contains(&nanos) {
        return Err(format!("nanos {nanos} out of range [0, 999999999]"));
    }
    let days = seconds.div_euclid(SECONDS_PER_DAY);
    let second_of_day = seconds.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let mut out = format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        second_of_day / 3_600,
        second_of_day / 60 % 60,
        second_of_day % 60
    );
    push_fraction(&mut out, nanos.unsigned_abs());
    out.push('Z');
    Ok(out)
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

    fn expect(&mut self, wanted: u8, context: &str) -> Result<(), String> {
        if self.peek() == Some(wanted) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!(
                "expected '{}' {context} at position {}, found {}",
                char::from(wanted),
                self.pos,
                char_at(self.text, self.pos)
            ))
        }
    }

    /// Reads exactly `count` ASCII digits as a number.
    fn digits(&mut self, count: usize, what: &str) -> Result<u32, String> {
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
            None => Err(format!(
                "expected a {count}-digit {what} at position {}",
                self.pos
            )),
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
pub(crate) fn parse_timestamp(text: &str) -> Result<(i64, i32), String> {
    if text.is_empty() {
        return Err("empty timestamp".to_string());
    }
    let mut cur = Cursor { text, pos: 0 };

    let year = cur.digits(4, "year")?;
    if year == 0 {
        return Err("year 0000 is out of range 0001-9999".to_string());
    }
    cur.expect(b'-', "after the year")?;
    let month = cur.digits(2, "month")?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month:02} is out of range 01-12"));
    }
    cur.expect(b'-', "after the month")?;
    let day = cur.digits(2, "day")?;
    let year = i64::from(year);
    let last_day = days_in_month(year, month);
    if !(1..=last_day).contains(&day) {
        return Err(format!(
            "day {day:02} is out of range 01-{last_day:02} for {year:04}-{month:02}"
        ));
    }
    cur.expect(b'T', "(uppercase) between date and time")?;
    let hour = cur.digits(2, "hour")?;
    if hour > 23 {
        return Err(format!("hour {hour:02} is out of range 00-23"));
    }
    cur.expect(b':', "after the hour")?;
    let minute = cur.digits(2, "minute")?;
    if minute > 59 {
        return Err(format!("minute {minute:02} is out of range 00-59"));
    }
    cur.expect(b':', "after the minute")?;
    let second = cur.digits(2, "second")?;
    if second > 59 {
        return Err(format!(
            "second {second:02} is out of range 00-59 (no leap seconds)"
        ));
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
                return Err(format!(
                    "offset hour {offset_hour:02} is out of range 00-23"
                ));
            }
            cur.expect(b':', "in the offset")?;
            let offset_minute = cur.digits(2, "offset minute")?;
            if offset_minute > 59 {
                return Err(format!(
                    "offset minute {offset_minute:02} is out of range 00-59"
                ));
            }
            let magnitude = i64::from(offset_hour) * 3_600 + i64::from(offset_minute) * 60;
            if sign == b'-' { -magnitude } else { magnitude }
        }
        None => {
            return Err("missing time zone: expected 'Z' or an offset like +01:00".to_string());
        }
        Some(_) => {
            return Err(format!(
                "expected 'Z' (uppercase) or an offset like +01:00 at position {}, found {}",
                cur.pos,
                char_at(text, cur.pos)
            ));
        }
    };
    if cur.pos != text.len() {
        return Err(format!(
            "unexpected {} after the timestamp at position {}",
            char_at(text, cur.pos),
            cur.pos
        ));
    }

    // Every field is bounded by now (|value| < 2^39), so plain arithmetic is safe.
    let local = days_from_civil(year, month, day) * SECONDS_PER_DAY
        + i64::from(hour) * 3_600
        + i64::from(minute) * 60
        + i64::from(second);
    let seconds = local - offset_seconds;
    check_timestamp_range(seconds)?;
    Ok((seconds, nanos))
}

// ---------------------------------------------------------------------------
// Duration
// ---------------------------------------------------------------------------

/// Formats a `google.protobuf.Duration` as `-?S(.F)?s` with 0, 3, 6 or 9
/// fraction digits (the fewest that is exact).
///
/// `seconds` must lie in [-315576000000, 315576000000], `nanos` in
/// [-999999999, 999999999], and the two must not have opposite signs.
pub(crate) fn format_duration(seconds: i64, nanos: i32) -> Result<String, String> {
    if !(-DURATION_MAX_SECONDS..=DURATION_MAX_SECONDS).contains(&seconds) {
        return Err(format!(
            "seconds {seconds} out of range [-{DURATION_MAX_SECONDS}, {DURATION_MAX_SECONDS}]"
        ));
    }
    if nanos <= -NANOS_PER_SECOND || nanos >= NANOS_PER_SECOND {
        return Err(format!(
            "nanos {nanos} out of range [-999999999, 999999999]"
        ));
    }
    if (seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0) {
        return Err(format!(
            "seconds {seconds} and nanos {nanos} have opposite signs"
        ));
    }
    let mut out = String::new();
    if seconds < 0 || nanos < 0 {
        out.push('-');
    }
    out.push_str(&seconds.unsigned_abs().to_string());
    push_fraction(&mut out, nanos.unsigned_abs());
    out.push('s');
    Ok(out)
}

/// Parses a Duration string into `(seconds, nanos)`.
///
/// Grammar: `-?[0-9]+(\.[0-9]{1,9})?s`, nothing else (no `+`, exponent,
/// whitespace or leading `.`). Leading zeros in the integer part are accepted
/// (`"01s"` is one second), as the grammar does not forbid them.
/// `|seconds|` must not exceed 315576000000. A negative sign applies to both
/// parts: `"-0.5s"` is `(0, -500000000)`, `"-1.000000001s"` is `(-1, -1)`.
pub(crate) fn parse_duration(text: &str) -> Result<(i64, i32), String> {
    if text.is_empty() {
        return Err("empty duration".to_string());
    }
    let Some(body) = text.strip_suffix('s') else {
        return Err("expected 's' at the end of a Duration".to_string());
    };
    let bytes = body.as_bytes();
    if bytes.first() == Some(&b'+') {
        return Err("a '+' sign is not allowed in a Duration".to_string());
    }
    let negative = bytes.first() == Some(&b'-');
    let int_start = usize::from(negative);
    let int_digits = bytes.get(int_start..).map_or(0, digit_run);
    if int_digits == 0 {
        return Err(format!(
            "expected a digit at position {int_start} of a Duration, found {}",
            char_at(text, int_start)
        ));
    }
    let int_end = int_start + int_digits;

    let mut magnitude: i64 = 0;
    for &d in bytes.get(int_start..int_end).unwrap_or_default() {
        magnitude = magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(i64::from(d - b'0')))
            .filter(|m| *m <= DURATION_MAX_SECONDS)
            .ok_or_else(|| {
                format!(
                    "seconds {} out of range [-{DURATION_MAX_SECONDS}, {DURATION_MAX_SECONDS}]",
                    body.get(..int_end).unwrap_or(body)
                )
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
        return Err(format!(
            "unexpected {} at position {pos} of a Duration",
            char_at(text, pos)
        ));
    }
    if negative {
        Ok((-magnitude, -nanos))
    } else {
        Ok((magnitude, nanos))
    }
}

// ---------------------------------------------------------------------------
// Base64
// ---------------------------------------------------------------------------

const BASE64_STANDARD: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes bytes as base64 with the standard alphabet (RFC 4648 section 4)
/// and `=` padding.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    // `v & 0x3f` is below 64, so the lookup always finds a character.
    let sextet = |v: u32| {
        BASE64_STANDARD
            .get((v & 0x3f) as usize)
            .map_or('=', |&c| char::from(c))
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3).saturating_mul(4));
    for chunk in bytes.chunks(3) {
        let (b0, b1, b2) = match *chunk {
            [a] => (a, None, None),
            [a, b] => (a, Some(b), None),
            [a, b, c, ..] => (a, Some(b), Some(c)),
            [] => continue,
        };
        let group =
            (u32::from(b0) << 16) | (u32::from(b1.unwrap_or(0)) << 8) | u32::from(b2.unwrap_or(0));
        out.push(sextet(group >> 18));
        out.push(sextet(group >> 12));
        out.push(if b1.is_some() {
            sextet(group >> 6)
        } else {
            '='
        });
        out.push(if b2.is_some() { sextet(group) } else { '=' });
    }
    out
}

/// Decodes base64 in the standard (`+/`) or URL-safe (`-_`) alphabet; one
/// value may not mix them.
///
/// Padding is optional, but if present it must be at the end and complete the
/// last group of four (`"eA=="` and `"eA"` are fine; `"eA="`, `"e==="` and
/// `"eA==eA=="` are not). A data length of 1 mod 4 is impossible. Any other
/// character, whitespace included, is an error. Non-zero unused bits in the
/// last character are accepted and dropped, as most decoders do. `""` decodes
/// to no bytes.
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let mut sextets: Vec<u8> = Vec::with_capacity(text.len());
    let mut padding = 0usize;
    let mut standard_at: Option<usize> = None;
    let mut url_safe_at: Option<usize> = None;
    for (position, c) in text.chars().enumerate() {
        if c == '=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return Err(format!(
                "base64 padding '=' must be at the end, found {c:?} at position {position}"
            ));
        }
        let value = match c {
            'A'..='Z' => c as u8 - b'A',
            'a'..='z' => c as u8 - b'a' + 26,
            '0'..='9' => c as u8 - b'0' + 52,
            '+' | '/' => {
                standard_at.get_or_insert(position);
                if c == '+' { 62 } else { 63 }
            }
            '-' | '_' => {
                url_safe_at.get_or_insert(position);
                if c == '-' { 62 } else { 63 }
            }
            _ => {
                return Err(format!(
                    "invalid base64 character {c:?} at position {position}"
                ));
            }
        };
        if let (Some(s), Some(u)) = (standard_at, url_safe_at) {
            return Err(format!(
                "base64 mixes the standard alphabet (position {s}) and the url-safe alphabet (position {u})"
            ));
        }
        sextets.push(value);
    }

    let data_len = sextets.len();
    if data_len % 4 == 1 {
        return Err(format!(
            "base64 length {data_len} (without padding) is 1 more than a multiple of 4, which is impossible"
        ));
    }
    if padding > 0 {
        let needed = (4 - data_len % 4) % 4;
        if padding != needed {
            return Err(format!(
                "base64 has {padding} '=' but the last group needs {needed}"
            ));
        }
    }

    let mut out = Vec::with_capacity(data_len / 4 * 3 + 2);
    for group in sextets.chunks(4) {
        let bits = group.iter().fold(0u32, |acc, &s| (acc << 6) | u32::from(s))
            << (6 * (4 - group.len() as u32));
        let [_, b0, b1, b2] = bits.to_be_bytes();
        // 4 characters carry 3 bytes, 3 carry 2, 2 carry 1 (leftover bits dropped).
        let produced = group.len().saturating_sub(1);
        out.extend([b0, b1, b2].into_iter().take(produced));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

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
fn split_json_number(text: &str) -> Result<JsonNumber<'_>, String> {
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return Err("empty number".to_string());
    }
    if bytes.first() == Some(&b'+') {
        return Err("a '+' sign is not allowed in a number".to_string());
    }
    let negative = bytes.first() == Some(&b'-');
    let mut pos = usize::from(negative);

    let rest = bytes.get(pos..).unwrap_or_default();
    let int_len = digit_run(rest);
    if int_len == 0 {
        return Err(format!(
            "expected a digit at position {pos} of a number, found {}",
            char_at(text, pos)
        ));
    }
    if int_len > 1 && rest.first() == Some(&b'0') {
        return Err("leading zeros are not allowed in a number".to_string());
    }
    let int = rest.get(..int_len).unwrap_or_default();
    pos += int_len;

    let mut frac: &[u8] = &[];
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        let rest = bytes.get(pos..).unwrap_or_default();
        let len = digit_run(rest);
        if len == 0 {
            return Err("expected digits after '.' in a number".to_string());
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
            return Err("expected digits in the exponent of a number".to_string());
        }
        exp = rest.get(..len).unwrap_or_default();
        pos += len;
    }

    if pos != bytes.len() {
        return Err(format!(
            "unexpected {} at position {pos} of a number",
            char_at(text, pos)
        ));
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
pub(crate) fn parse_integer_text(text: &str) -> Result<i128, String> {
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
        return Err("non-integral".to_string());
    }
    // 2^64 has 20 digits; anything with more is out of range.
    if len_i64(significant.len()) + scale > 20 {
        return Err("out of range".to_string());
    }
    let mut magnitude: u128 = 0;
    for &d in significant {
        magnitude = magnitude * 10 + u128::from(d - b'0');
    }
    for _ in 0..scale {
        magnitude *= 10;
    }
    if magnitude > TWO_POW_64 {
        return Err("out of range".to_string());
    }
    // magnitude <= 2^64 always fits in i128.
    let value = i128::try_from(magnitude).map_err(|_| "out of range".to_string())?;
    Ok(if number.negative { -value } else { value })
}

/// Checks an unquoted JSON number that arrived as f64 for use as an integer:
/// it must be finite, have no fractional part, and |value| <= 2^64.
pub(crate) fn integer_from_f64(value: f64) -> Result<i128, String> {
    if !value.is_finite() {
        return Err("not finite".to_string());
    }
    if value.fract() != 0.0 {
        return Err("non-integral".to_string());
    }
    if value.abs() > 18_446_744_073_709_551_616.0 {
        return Err("out of range".to_string());
    }
    // Integral and within ±2^64, so the conversion is exact.
    Ok(value as i128)
}

/// Parses a quoted floating-point value: exactly `"NaN"`, `"Infinity"`,
/// `"-Infinity"`, or the JSON number grammar
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. A finite text too large
/// for f64 (e.g. `"1e999"`) is "out of range"; values too small round to zero.
pub(crate) fn parse_float_text(text: &str) -> Result<f64, String> {
    match text {
        "NaN" => return Ok(f64::NAN),
        "Infinity" => return Ok(f64::INFINITY),
        "-Infinity" => return Ok(f64::NEG_INFINITY),
        _ => {}
    }
    split_json_number(text)?;
    let value = text
        .parse::<f64>()
        .map_err(|e| format!("invalid number: {e}"))?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err("out of range".to_string())
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

// ---------------------------------------------------------------------------
// FieldMask
// ---------------------------------------------------------------------------

/// Writes a `google.protobuf.FieldMask` as its JSON string: every path's
/// snake_case names become lowerCamelCase (`"foo_bar.baz_qux"` →
/// `"fooBar.bazQux"`) and paths are joined with `,`.
///
/// A path that would not read back unchanged is an error: an empty path, an
/// uppercase ASCII letter, a `_` not followed by a lowercase ASCII letter, or
/// a `,`. No paths give `""`.
pub(crate) fn field_mask_to_json(paths: &[String]) -> Result<String, String> {
    let mut out = String::new();
    for (index, path) in paths.iter().enumerate() {
        if path.is_empty() {
            return Err(format!("field mask path {index} is empty"));
        }
        if index > 0 {
            out.push(',');
        }
        let mut chars = path.chars();
        while let Some(c) = chars.next() {
            match c {
                'A'..='Z' => {
                    return Err(format!(
                        "field mask path {path:?} has uppercase {c:?}, which cannot map to lowerCamelCase"
                    ));
                }
                ',' => {
                    return Err(format!("field mask path {path:?} contains ','"));
                }
                '_' => match chars.next() {
                    Some(next @ 'a'..='z') => out.push(next.to_ascii_uppercase()),
                    _ => {
                        return Err(format!(
                            "field mask path {path:?} has '_' not followed by a lowercase letter"
                        ));
                    }
                },
                _ => out.push(c),
            }
        }
    }
    Ok(out)
}

/// Reads a `google.protobuf.FieldMask` JSON string: `""` is no paths;
/// otherwise paths are split on `,` and each uppercase ASCII letter `X`
/// becomes `_x` (`"fooBar.bazQux"` → `"foo_bar.baz_qux"`). An empty path
/// (`"a,,b"`) or one containing `_` is an error.
pub(crate) fn field_mask_from_json(text: &str) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .enumerate()
        .map(|(index, path)| {
            if path.is_empty() {
                return Err(format!("field mask path {index} is empty"));
            }
            let mut snake = String::with_capacity(path.len() + 4);
            for c in path.chars() {
                match c {
                    '_' => {
                        return Err(format!(
                            "field mask path {path:?} contains '_', but JSON paths are lowerCamelCase"
                        ));
                    }
                    'A'..='Z' => {
                        snake.push('_');
                        snake.push(c.to_ascii_lowercase());
                    }
                    _ => snake.push(c),
                }
            }
            Ok(snake)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    // --- calendar -------------------------------------------------------

    #[test]
    fn every_day_from_year_1_to_9999_is_consecutive_and_round_trips() {
        let mut expected = days_from_civil(1, 1, 1);
        assert_eq!(expected * SECONDS_PER_DAY, TIMESTAMP_MIN_SECONDS);
        for year in 1..=9999 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    assert_eq!(days_from_civil(year, month, day), expected);
                    assert_eq!(civil_from_days(expected), (year, month, day));
                    expected += 1;
                }
            }
        }
        assert_eq!(expected * SECONDS_PER_DAY - 1, TIMESTAMP_MAX_SECONDS);
    }

    #[test]
    fn leap_years_follow_gregorian_rules() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2023));
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    // --- timestamp ------------------------------------------------------

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
            format_timestamp(253_402_300_800, 0).unwrap_err(),
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
            parse_timestamp("1970-01-01T00:00:00+24:00").unwrap_err(),
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
            parse_timestamp("2020-13-01T00:00:00Z").unwrap_err(),
            "month 13 is out of range 01-12"
        );
    }

    #[test]
    fn timestamp_format_then_parse_round_trips_across_the_range() {
        let mut seconds = TIMESTAMP_MIN_SECONDS;
        let mut nanos = 0;
        while seconds <= TIMESTAMP_MAX_SECONDS {
            let text = format_timestamp(seconds, nanos).unwrap();
            assert_eq!(parse_timestamp(&text), Ok((seconds, nanos)), "{text}");
            seconds += 3_196_771_123; // ~101 years, odd so every time of day shows up
            nanos = (nanos + 123_457_000) % NANOS_PER_SECOND;
        }
    }

    // --- duration -------------------------------------------------------

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
            parse_duration("1.5").unwrap_err(),
            "expected 's' at the end of a Duration"
        );
        for text in ["315576000001s", "1s ", "1e3s", "-.5s", "", "s"] {
            assert!(parse_duration(text).is_err(), "{text:?} must be rejected");
        }
    }

    #[test]
    fn parse_duration_rejects_python_lenient_and_other_malformed_text() {
        assert_eq!(
            parse_duration("+1s").unwrap_err(),
            "a '+' sign is not allowed in a Duration"
        );
        assert_eq!(
            parse_duration("1.s").unwrap_err(),
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

    // --- base64 ---------------------------------------------------------

    #[test]
    fn encode_base64_uses_standard_alphabet_with_padding() {
        assert_eq!(encode_base64(b""), "");
        assert_eq!(encode_base64(b"a"), "YQ==");
        assert_eq!(encode_base64(b"ab"), "YWI=");
        assert_eq!(encode_base64(b"abc"), "YWJj");
        assert_eq!(
            encode_base64(&[0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28]),
            "//4AgMMo"
        );
        assert_eq!(encode_base64(&[0xfb, 0xff, 0xbf, 0xfe]), "+/+//g==");
        assert_eq!(encode_base64(b"t"), "dA==");
        assert_eq!(
            encode_base64(&[0xff, 0x00, b't', b'i', b'c', b'k', b'e', b't']),
            "/wB0aWNrZXQ="
        );
        assert_eq!(
            encode_base64(&[
                0x00, 0x01, 0xfe, 0xff, b't', b'i', b'c', b'k', b'e', b't', b'-', b'1'
            ]),
            "AAH+/3RpY2tldC0x"
        );
    }

    #[test]
    fn decode_base64_accepts_both_alphabets_with_or_without_padding() {
        assert_eq!(decode_base64(""), Ok(vec![]));
        assert_eq!(decode_base64("YQ=="), Ok(b"a".to_vec()));
        assert_eq!(decode_base64("YQ"), Ok(b"a".to_vec()));
        assert_eq!(decode_base64("YWI="), Ok(b"ab".to_vec()));
        assert_eq!(decode_base64("YWI"), Ok(b"ab".to_vec()));
        assert_eq!(decode_base64("YWJj"), Ok(b"abc".to_vec()));
        let fb = vec![0xfb, 0xff, 0xbf, 0xfe];
        for text in ["+/+//g==", "-_-__g==", "-_-__g", "+/+//g"] {
            assert_eq!(decode_base64(text), Ok(fb.clone()), "{text}");
        }
        assert_eq!(
            decode_base64("__4AgMMo"),
            Ok(vec![0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28])
        );
        assert_eq!(
            decode_base64("_v90aWNrZXQtMQ"),
            Ok(vec![
                0xfe, 0xff, b't', b'i', b'c', b'k', b'e', b't', b'-', b'1'
            ])
        );
    }

    #[test]
    fn decode_base64_accepts_nonzero_trailing_bits() {
        // 'R' = 17 = 0b010001: its low four bits are unused after one byte.
        assert_eq!(decode_base64("YR"), Ok(b"a".to_vec()));
        assert_eq!(decode_base64("YR=="), Ok(b"a".to_vec()));
    }

    #[test]
    fn decode_base64_rejects_bad_padding_and_impossible_lengths() {
        for text in [
            "Y", "Y===", "eA=", "e===", "eA==eA==", "YWJj=", "YWJj====", "====", "=", "YWJ==",
            "YQ=a",
        ] {
            assert!(decode_base64(text).is_err(), "{text:?} must be rejected");
        }
    }

    #[test]
    fn decode_base64_rejects_python_lenient_cases() {
        assert_eq!(
            decode_base64("!!!").unwrap_err(),
            "invalid base64 character '!' at position 0"
        );
        assert_eq!(
            decode_base64("YWJj\n").unwrap_err(),
            "invalid base64 character '\\n' at position 4"
        );
        assert!(decode_base64("+_-/").is_err());
    }

    #[test]
    fn decode_base64_rejects_whitespace_and_non_ascii() {
        for text in [
            " YWJj",
            "YW Jj",
            "YWJj\t",
            "YWJ\u{e9}",
            "Y\u{1F600}Jj",
            "YW.j",
        ] {
            assert!(decode_base64(text).is_err(), "{text:?} must be rejected");
        }
        assert_eq!(
            decode_base64("YWJ\u{e9}").unwrap_err(),
            "invalid base64 character '\u{e9}' at position 3"
        );
    }

    #[test]
    fn base64_round_trips_every_length_up_to_64() {
        let data: Vec<u8> = (0..64u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(200))
            .collect();
        for len in 0..=data.len() {
            let slice = &data[..len];
            let text = encode_base64(slice);
            assert_eq!(text.len() % 4, 0);
            assert_eq!(decode_base64(&text), Ok(slice.to_vec()));
            assert_eq!(
                decode_base64(text.trim_end_matches('=')),
                Ok(slice.to_vec())
            );
        }
    }

    // --- integers -------------------------------------------------------

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
        assert_eq!(parse_integer_text("1.5").unwrap_err(), "non-integral");
        assert_eq!(parse_integer_text("1e-1").unwrap_err(), "non-integral");
        assert_eq!(parse_integer_text("1e-400").unwrap_err(), "non-integral");
        assert_eq!(
            parse_integer_text("18446744073709551617").unwrap_err(),
            "out of range"
        );
        assert_eq!(parse_integer_text("1e400").unwrap_err(), "out of range");
        assert_eq!(parse_integer_text("1e20").unwrap_err(), "out of range");
        assert_eq!(
            parse_integer_text("1e99999999999999999999999999999").unwrap_err(),
            "out of range"
        );
        let long = format!("1{}", "0".repeat(100_000));
        assert_eq!(parse_integer_text(&long).unwrap_err(), "out of range");
        let long_fraction = format!("1.{}1e5", "0".repeat(100_000));
        assert_eq!(
            parse_integer_text(&long_fraction).unwrap_err(),
            "non-integral"
        );
    }

    #[test]
    fn parse_integer_text_rejects_non_json_number_grammar() {
        assert_eq!(
            parse_integer_text("+5").unwrap_err(),
            "a '+' sign is not allowed in a number"
        );
        assert_eq!(
            parse_integer_text("05").unwrap_err(),
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
        assert_eq!(integer_from_f64(1.5).unwrap_err(), "non-integral");
        assert_eq!(
            integer_from_f64(36_893_488_147_419_103_232.0).unwrap_err(),
            "out of range"
        );
        assert_eq!(integer_from_f64(f64::MAX).unwrap_err(), "out of range");
        assert_eq!(integer_from_f64(f64::NAN).unwrap_err(), "not finite");
        assert_eq!(
            integer_from_f64(f64::NEG_INFINITY).unwrap_err(),
            "not finite"
        );
    }

    // --- floats ---------------------------------------------------------

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
        assert_eq!(parse_float_text("1e999").unwrap_err(), "out of range");
        assert_eq!(parse_float_text("-1e999").unwrap_err(), "out of range");
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

    // --- field mask -----------------------------------------------------

    #[test]
    fn field_mask_to_json_camel_cases_and_joins_with_commas() {
        assert_eq!(field_mask_to_json(&[]).unwrap(), "");
        assert_eq!(
            field_mask_to_json(&strings(&["a.b_c", "d"])).unwrap(),
            "a.bC,d"
        );
        assert_eq!(
            field_mask_to_json(&strings(&["foo_bar.baz_qux"])).unwrap(),
            "fooBar.bazQux"
        );
    }

    #[test]
    fn field_mask_to_json_rejects_paths_that_cannot_round_trip() {
        for path in ["", "fooBar", "foo__bar", "foo_", "foo_1", "foo_.bar", "a,b"] {
            assert!(
                field_mask_to_json(&strings(&["ok", path])).is_err(),
                "{path:?} must be rejected"
            );
        }
    }

    #[test]
    fn field_mask_from_json_snake_cases_each_path() {
        assert_eq!(field_mask_from_json(""), Ok(vec![]));
        assert_eq!(field_mask_from_json("a.bC,d"), Ok(strings(&["a.b_c", "d"])));
        assert_eq!(
            field_mask_from_json("fooBar.bazQux"),
            Ok(strings(&["foo_bar.baz_qux"]))
        );
    }

    #[test]
    fn field_mask_from_json_rejects_empty_paths_and_underscores() {
        for text in ["a,,b", ",", "a,", ",a", "foo_bar", "a,b_c"] {
            assert!(
                field_mask_from_json(text).is_err(),
                "{text:?} must be rejected"
            );
        }
    }

    #[test]
    fn field_mask_round_trips_through_json() {
        let paths = strings(&["name", "operation.metadata_value", "a.b_c.d_e_f"]);
        let json = field_mask_to_json(&paths).unwrap();
        assert_eq!(json, "name,operation.metadataValue,a.bC.dEF");
        assert_eq!(field_mask_from_json(&json), Ok(paths));
    }
}
