//! Base64 for `bytes` fields: printed with the standard alphabet and
//! padding, parsed in either alphabet with or without padding.

use std::fmt;

const BASE64_STANDARD: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Why a text is not base64. Positions count characters from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base64Error {
    /// A character after the first `=`.
    PaddingNotAtEnd { found: char, at: usize },
    /// A character of neither alphabet.
    InvalidCharacter { found: char, at: usize },
    /// Characters of both alphabets, first seen at these positions.
    MixedAlphabets { standard: usize, url_safe: usize },
    /// A data length of 1 mod 4, which no byte string encodes to.
    ImpossibleLength(usize),
    /// Padding that does not complete the last group of four.
    WrongPadding { padding: usize, needed: usize },
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PaddingNotAtEnd { found, at } => write!(
                f,
                "base64 padding '=' must be at the end, found {found:?} at position {at}"
            ),
            Self::InvalidCharacter { found, at } => {
                write!(f, "invalid base64 character {found:?} at position {at}")
            }
            Self::MixedAlphabets { standard, url_safe } => write!(
                f,
                "base64 mixes the standard alphabet (position {standard}) and the url-safe alphabet (position {url_safe})"
            ),
            Self::ImpossibleLength(len) => write!(
                f,
                "base64 length {len} (without padding) is 1 more than a multiple of 4, which is impossible"
            ),
            Self::WrongPadding { padding, needed } => write!(
                f,
                "base64 has {padding} '=' but the last group needs {needed}"
            ),
        }
    }
}

/// Encodes bytes as base64 with the standard alphabet (RFC 4648 section 4)
/// and `=` padding.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    let mut out = Vec::new();
    push_base64(&mut out, bytes);
    // Only the ASCII alphabet and `=` are written.
    String::from_utf8(out).unwrap_or_default()
}

/// Every pair of base64 characters, indexed by the 12 bits they encode: a
/// group of three bytes is two lookups.
static PAIRS: [[u8; 2]; 4096] = {
    let mut pairs = [[0; 2]; 4096];
    let mut bits = 0;
    while bits < 4096 {
        // Evaluated at compile time: an index out of range fails the build.
        #[allow(clippy::indexing_slicing)]
        {
            pairs[bits] = [BASE64_STANDARD[bits >> 6], BASE64_STANDARD[bits & 63]];
        }
        bits += 1;
    }
    pairs
};

/// [`encode_base64`] onto the end of `out`, 48 bytes (64 characters) at a
/// time through a buffer on the stack (filling `out` first with
/// `Vec::resize` costs a store per byte).
pub(crate) fn push_base64(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len().div_ceil(3).saturating_mul(4));
    for piece in bytes.chunks(48) {
        let mut buffer = [b'='; 64];
        let (slots, _) = buffer.as_chunks_mut::<4>();
        let (groups, rest) = piece.as_chunks::<3>();
        for (slot, &[a, b, c]) in slots.iter_mut().zip(groups) {
            let group = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
            let ([w, x], [y, z]) = (pair(group >> 12), pair(group));
            *slot = [w, x, y, z];
        }
        if let Some(slot) = slots.get_mut(groups.len()) {
            let second = rest.get(1).copied();
            let group = (u32::from(rest.first().copied().unwrap_or(0)) << 16)
                | (u32::from(second.unwrap_or(0)) << 8);
            let ([w, x], [y, _]) = (pair(group >> 12), pair(group));
            *slot = [w, x, if second.is_some() { y } else { b'=' }, b'='];
        }
        let written = piece.len().div_ceil(3) * 4;
        out.extend_from_slice(buffer.get(..written).unwrap_or_default());
    }
}

/// The two characters for the low 12 bits of `bits`. Twelve bits index
/// 4096 entries, so `get` always finds one: it keeps the code free of
/// panics, and the compiler drops its check.
fn pair(bits: u32) -> [u8; 2] {
    PAIRS
        .get((bits & 0xfff) as usize)
        .copied()
        .unwrap_or([b'='; 2])
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
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, Base64Error> {
    match decode_canonical(text.as_bytes()) {
        Some(bytes) => Ok(bytes),
        None => decode_any_form(text),
    }
}

/// Sextet values of the standard alphabet; `INVALID` for every other byte.
// Evaluated by the compiler: an index out of range would fail the build.
#[allow(clippy::indexing_slicing)]
const STANDARD_VALUES: [u8; 256] = {
    let mut values = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        values[BASE64_STANDARD[i] as usize] = i as u8;
        i += 1;
    }
    values
};
const INVALID: u8 = 0xff;

/// The fast road for what printers write (the standard alphabet with
/// padding): four characters to three bytes through a table. `None` for
/// anything else, which [`decode_any_form`] then decodes or explains.
fn decode_canonical(text: &[u8]) -> Option<Vec<u8>> {
    let (groups, rest) = text.as_chunks::<4>();
    let (&last, whole) = match groups.split_last() {
        Some(split) if rest.is_empty() => split,
        _ => return text.is_empty().then(Vec::new),
    };
    let value = |c: u8| {
        STANDARD_VALUES
            .get(usize::from(c))
            .copied()
            .unwrap_or(INVALID)
    };
    let mut out = Vec::with_capacity(groups.len() * 3);
    for &[a, b, c, d] in whole {
        let (a, b, c, d) = (value(a), value(b), value(c), value(d));
        // INVALID has the high bits set, so one test covers all four.
        if (a | b | c | d) > 63 {
            return None;
        }
        let bits = (u32::from(a) << 18) | (u32::from(b) << 12) | (u32::from(c) << 6) | u32::from(d);
        let [_, b0, b1, b2] = bits.to_be_bytes();
        out.extend_from_slice(&[b0, b1, b2]);
    }
    let [a, b, c, d] = last;
    let (va, vb) = (value(a), value(b));
    if va > 63 || vb > 63 {
        return None;
    }
    let high = (u32::from(va) << 18) | (u32::from(vb) << 12);
    match (c, d) {
        (b'=', b'=') => {
            let [_, b0, _, _] = high.to_be_bytes();
            out.push(b0);
        }
        (c, b'=') => {
            let vc = value(c);
            if vc > 63 {
                return None;
            }
            let [_, b0, b1, _] = (high | (u32::from(vc) << 6)).to_be_bytes();
            out.extend_from_slice(&[b0, b1]);
        }
        (c, d) => {
            let (vc, vd) = (value(c), value(d));
            if vc > 63 || vd > 63 {
                return None;
            }
            let [_, b0, b1, b2] = (high | (u32::from(vc) << 6) | u32::from(vd)).to_be_bytes();
            out.extend_from_slice(&[b0, b1, b2]);
        }
    }
    Some(out)
}

/// Decodes either alphabet, with or without padding, and says exactly
/// what is wrong with text that is not base64.
fn decode_any_form(text: &str) -> Result<Vec<u8>, Base64Error> {
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
            return Err(Base64Error::PaddingNotAtEnd {
                found: c,
                at: position,
            });
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
                return Err(Base64Error::InvalidCharacter {
                    found: c,
                    at: position,
                });
            }
        };
        if let (Some(s), Some(u)) = (standard_at, url_safe_at) {
            return Err(Base64Error::MixedAlphabets {
                standard: s,
                url_safe: u,
            });
        }
        sextets.push(value);
    }

    let data_len = sextets.len();
    if data_len % 4 == 1 {
        return Err(Base64Error::ImpossibleLength(data_len));
    }
    if padding > 0 {
        let needed = (4 - data_len % 4) % 4;
        if padding != needed {
            return Err(Base64Error::WrongPadding { padding, needed });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_road_agrees_with_the_general_decoder() {
        // Every string of up to 8 characters over an alphabet with both
        // alphabets' specials, padding and an invalid character (8^n).
        let alphabet = ['A', 'g', '/', '+', '-', '_', '=', '!'];
        let mut checked = 0;
        for len in 0..=8u32 {
            for n in 0..8usize.pow(len.min(6)) {
                let mut text: String = (0..len.min(6))
                    .map(|i| alphabet[n / 8usize.pow(i) % 8])
                    .collect();
                if len > 6 {
                    text.insert_str(0, if len == 7 { "Q" } else { "Qk" });
                }
                if let Some(fast) = decode_canonical(text.as_bytes()) {
                    assert_eq!(Ok(fast), decode_any_form(&text), "{text:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000, "{checked}");
        for bytes in [
            &b""[..],
            b"a",
            b"ab",
            b"abc",
            b"\xff\xfe\x00\x80\xc3\x28\x01",
        ] {
            let text = encode_base64(bytes);
            assert_eq!(decode_canonical(text.as_bytes()).as_deref(), Some(bytes));
        }
    }

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
            decode_base64("!!!").unwrap_err().to_string(),
            "invalid base64 character '!' at position 0"
        );
        assert_eq!(
            decode_base64("YWJj\n").unwrap_err().to_string(),
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
            decode_base64("YWJ\u{e9}").unwrap_err().to_string(),
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
}
