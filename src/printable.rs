//! Error messages quote the input they reject; a quoted newline or other
//! control character would break a one-line-per-error log, so they are
//! shown escaped.

use std::fmt;

/// Writes `text` with control characters and line/paragraph separators
/// escaped as `\n`, `\u{1f}` and so on; everything else as it is.
pub(crate) fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            write!(f, "{}", c.escape_default())?;
        } else {
            write!(f, "{c}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Escaped(&'static str);

    impl fmt::Display for Escaped {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write_escaped(f, self.0)
        }
    }

    #[test]
    fn controls_and_separators_are_escaped_and_the_rest_kept() {
        assert_eq!(
            Escaped("a\"b\n\t\u{1f}\u{2028}é").to_string(),
            "a\"b\\n\\t\\u{1f}\\u{2028}é"
        );
    }
}
