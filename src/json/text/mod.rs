//! Text forms of scalar and well-known-type values used by ProtoJSON, one
//! file per form: [`timestamp`] (with its [`calendar`]), [`duration`],
//! [`base64`], [`number`] and [`field_mask`]; [`fraction`] holds the
//! fractional seconds that timestamps and durations share.
//!
//! Everything here is a pure function from a value to its JSON text or back.
//! Parsers follow the protobuf.dev "ProtoJSON format" strictly: inputs that
//! some implementations tolerate (a `+` sign, one-digit months, a `.` without
//! digits, whitespace inside base64, ...) are rejected. No function panics on
//! any input; each form has its own small error type whose `Display` names
//! the broken rule in a short lowercase reason.

pub(crate) mod base64;
mod calendar;
pub(crate) mod duration;
pub(crate) mod field_mask;
mod fraction;
pub(crate) mod number;
pub(crate) mod timestamp;

use std::fmt;

/// The character found where another was expected, for errors: `'x'`, or
/// "end of text" when the text ended first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found(Option<char>);

impl Found {
    /// The character that starts at byte `pos` of `text`.
    pub(crate) fn at(text: &str, pos: usize) -> Self {
        Self(text.get(pos..).and_then(|rest| rest.chars().next()))
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(c) => write!(f, "{c:?}"),
            None => f.write_str("end of text"),
        }
    }
}

/// Length of the run of ASCII digits at the start of `bytes`.
fn digit_run(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_names_the_character_or_the_end() {
        assert_eq!(Found::at("ab", 1).to_string(), "'b'");
        assert_eq!(Found::at("a\n", 1).to_string(), "'\\n'");
        assert_eq!(Found::at("ab", 2).to_string(), "end of text");
        // Not on a character boundary: nothing can be named.
        assert_eq!(Found::at("é", 1).to_string(), "end of text");
    }

    #[test]
    fn digit_run_stops_at_the_first_non_digit() {
        assert_eq!(digit_run(b"123a4"), 3);
        assert_eq!(digit_run(b"a1"), 0);
        assert_eq!(digit_run("１".as_bytes()), 0);
    }
}
