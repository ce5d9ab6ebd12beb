//! The compact JSON writer behind `json::to_string` and `json::to_vec`.
//!
//! It writes what `serde_json`'s compact serializer writes, byte for byte
//! (the tests below compare the two), but checks strings for characters
//! that need escaping eight bytes at a time: base64, numbers-as-strings,
//! timestamps and names never do, and per-byte escaping was a quarter of
//! the time spent printing an `Operation`. Plain `serde_json` (and any
//! other serializer) still works with every message; this is only the
//! faster road for our own entry points.

use super::wire_print::{self, WireForm};
use serde::ser::{self, Impossible, Serialize};
use std::cell::{Cell, RefCell};

type Error = serde_json::Error;

/// Serializes into `out`.
pub(crate) struct Writer<'a> {
    out: &'a mut Vec<u8>,
    /// Takes the parts of an `Any` ([`ANY`]): `serialize_str` its type
    /// URL, `serialize_bytes` its payload.
    any_part: bool,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        Self {
            out,
            any_part: false,
        }
    }
}

/// The tuple-struct name under which an `Any` that knows its serializer is
/// this writer ([`is_ours`]) hands it its type URL, its payload's bytes and
/// itself decoded: the payload of one of the crate's types is printed from
/// the wire straight into the output (`json/wire_print.rs`), anything else
/// from the decoded `Any`. (Handing over the text of a payload printed
/// into a buffer of its own cost 200 instructions an `Any`.)
pub(crate) static ANY: &str = "$cancelwire::private::Any";

thread_local! {
    /// Whether this writer is printing on this thread (only then does an
    /// `Any` ask whether its serializer is this writer).
    static PRINTING: Cell<bool> = const { Cell::new(false) };
    /// Set by this writer when asked whether it is human-readable.
    static OURS: Cell<bool> = const { Cell::new(false) };
    /// The payload's table and where the `Any` begins in the output, from
    /// its type URL having been written until its payload comes.
    static ANY_STARTED: Cell<Option<(&'static WireForm, usize)>> = const { Cell::new(None) };
}

/// Runs `print` (which prints with this writer) with [`is_printing`] true.
pub(crate) fn printing<T>(print: impl FnOnce() -> T) -> T {
    printing_set_to(true, print)
}

/// Runs `print` with [`is_printing`] false: the `Any`s inside print their
/// decoded payloads, as they do for other serializers.
pub(crate) fn decoded_only<T>(print: impl FnOnce() -> T) -> T {
    printing_set_to(false, print)
}

fn printing_set_to<T>(value: bool, print: impl FnOnce() -> T) -> T {
    /// Puts the flag back also when a caller's serde impl panics inside.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            PRINTING.set(self.0);
        }
    }
    let _restore = Restore(PRINTING.replace(value));
    print()
}

/// Whether this writer is printing on this thread.
#[inline]
pub(crate) fn is_printing() -> bool {
    PRINTING.get()
}

/// Whether `serializer` is this writer: only it answers
/// `is_human_readable`, which takes the serializer by reference, by
/// setting [`OURS`].
#[inline]
pub(crate) fn is_ours(serializer: &impl ser::Serializer) -> bool {
    OURS.set(false);
    serializer.is_human_readable();
    OURS.replace(false)
}

/// The fields of an `Any` handed over as [`ANY`]: the type URL and the
/// payload go to a writer that takes them as parts; the decoded `Any`, the
/// third, is printed only when the first two printed nothing.
pub(crate) struct AnyParts<'a> {
    out: &'a mut Vec<u8>,
    start: usize,
    next: u8,
}

impl AnyParts<'_> {
    fn part<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let part = self.next;
        self.next += 1;
        if part < 2 {
            return value.serialize(Writer {
                out: self.out,
                any_part: true,
            });
        }
        if self.out.len() > self.start {
            return Ok(());
        }
        // Everything inside prints decoded too, so that a deep input costs
        // no more stack than it does on the decoded road.
        decoded_only(|| value.serialize(Writer::new(self.out)))
    }

    /// The `Any`'s type URL: its start, when its type is one the wire
    /// printer has a table for.
    fn type_url(out: &mut Vec<u8>, type_url: &str) {
        let start = out.len();
        ANY_STARTED.set(wire_print::start_any(type_url, out).map(|form| (form, start)));
    }

    /// The `Any`'s payload, printed from the wire if its start was written;
    /// where the printer gives up, the output is cut back to the start.
    fn payload(out: &mut Vec<u8>, payload: &[u8]) {
        if let Some((form, start)) = ANY_STARTED.take()
            && wire_print::finish_any(form, payload, out).is_err()
        {
            out.truncate(start);
        }
    }
}

/// A tuple struct: an array, or the parts of an `Any`.
pub(crate) enum TupleStruct<'a> {
    Array(Compound<'a>),
    Any(AnyParts<'a>),
}

impl ser::SerializeTupleStruct for TupleStruct<'_> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        match self {
            Self::Array(array) => ser::SerializeSeq::serialize_element(array, value),
            Self::Any(parts) => parts.part(value),
        }
    }
    #[inline]
    fn end(self) -> Result<(), Error> {
        match self {
            Self::Array(array) => array.finish(),
            Self::Any(_) => Ok(()),
        }
    }
}

/// A per-thread buffer that printing grows once and then reuses: growing a
/// fresh buffer step by step cost four reallocations (6% of printing the
/// benchmark's `Operation`); copying the finished text out costs one
/// allocation of the exact size. Buffers above [`Scratch::KEEP`] are
/// handed out as they are instead, so a thread never holds more.
pub(crate) struct Scratch;

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl Scratch {
    pub(crate) const KEEP: usize = 64 * 1024;

    /// The thread's buffer, empty (a new one while it is in use, as when a
    /// `Serialize` impl prints another message with `json::to_string`).
    pub(crate) fn take() -> Vec<u8> {
        let mut out = SCRATCH
            .with(|scratch| {
                scratch
                    .try_borrow_mut()
                    .map(|mut s| std::mem::take(&mut *s))
            })
            .unwrap_or_default();
        out.clear();
        out
    }

    /// What was printed into `out`, at its exact size; the buffer goes
    /// back to the thread.
    pub(crate) fn give_back(out: Vec<u8>) -> Vec<u8> {
        Self::copy_out(out, <[u8]>::to_vec, |out| out)
    }

    /// [`Scratch::give_back`] as text. The writer writes only UTF-8, so
    /// the check cannot fail; it is made while copying the text out.
    pub(crate) fn give_back_text(out: Vec<u8>) -> String {
        let lossy = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        Self::copy_out(
            out,
            |bytes| match simdutf8::basic::from_utf8(bytes) {
                Ok(text) => text.to_owned(),
                Err(_) => lossy(bytes),
            },
            |out| String::from_utf8(out).unwrap_or_else(|e| lossy(e.as_bytes())),
        )
    }

    /// The printed bytes, copied with `copy` (the buffer goes back to the
    /// thread), or, above [`Scratch::KEEP`], the buffer itself through
    /// `keep`.
    fn copy_out<T>(
        mut out: Vec<u8>,
        copy: impl FnOnce(&[u8]) -> T,
        keep: impl FnOnce(Vec<u8>) -> T,
    ) -> T {
        if out.capacity() > Self::KEEP {
            return keep(out);
        }
        let printed = copy(&out);
        out.clear();
        SCRATCH.with(|scratch| {
            if let Ok(mut scratch) = scratch.try_borrow_mut()
                && scratch.capacity() < out.capacity()
            {
                *scratch = out;
            }
        });
        printed
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each of the eight bytes of `word` that is a control
/// character, `"` or `\\`: the bytes JSON strings must escape. Exact, no
/// false positives for "any byte" (the classic has-zero-byte and
/// has-less-than tricks).
fn escapes_in_word(word: u64) -> u64 {
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    let quote = has_zero(word ^ (ONES * u64::from(b'"')));
    let backslash = has_zero(word ^ (ONES * u64::from(b'\\')));
    below_space | quote | backslash
}

/// Whether `test` finds anything in a word of `bytes`. Every byte is
/// tested as part of a word: the last, partial word overlaps the one
/// before it, and strings shorter than a word are read as overlapping
/// halves or, below four bytes, padded with a byte that needs nothing.
#[inline(always)]
fn any_word(bytes: &[u8], test: impl Fn(u64) -> u64) -> bool {
    let (words, _) = bytes.as_chunks::<8>();
    if let Some(last) = bytes.last_chunk::<8>() {
        return words
            .iter()
            .chain(std::iter::once(last))
            .any(|word| test(u64::from_le_bytes(*word)) != 0);
    }
    let word = match (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        (Some(&first), Some(&last)) => {
            u64::from(u32::from_le_bytes(first)) | (u64::from(u32::from_le_bytes(last)) << 32)
        }
        _ => {
            let mut padded = [b'a'; 8];
            for (slot, &byte) in padded.iter_mut().zip(bytes) {
                *slot = byte;
            }
            u64::from_le_bytes(padded)
        }
    };
    test(word) != 0
}

/// Whether any byte of `bytes` must be escaped.
fn needs_escape(bytes: &[u8]) -> bool {
    any_word(bytes, escapes_in_word)
}

/// Writes `text` as a JSON string. Inlined for the common case (nothing
/// to escape): called out of line, saving and restoring registers for the
/// slow path cost more than the check on short strings.
#[inline]
pub(crate) fn write_escaped(out: &mut Vec<u8>, text: &str) {
    if needs_escape(text.as_bytes()) {
        return write_escaped_slowly(out, text);
    }
    write_quoted(out, text.as_bytes());
}

/// `"` `bytes` `"`, for bytes that need no escaping.
#[inline]
fn write_quoted(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(bytes);
    out.push(b'"');
}

/// Writes `bytes` as a JSON string if they are UTF-8. Text that is ASCII
/// and needs no escaping (names, URIs, most messages) is checked for both
/// in one pass, without `str::from_utf8`, which costs about 90
/// instructions on a short string.
#[inline]
pub(crate) fn write_utf8(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), std::str::Utf8Error> {
    if any_word(bytes, |word| escapes_in_word(word) | (word & HIGHS)) {
        write_escaped(out, std::str::from_utf8(bytes)?);
    } else {
        write_quoted(out, bytes);
    }
    Ok(())
}

/// The escaping itself, for the rare strings that need it. Only ASCII
/// bytes are ever escaped, so the text is walked byte by byte.
#[cold]
#[inline(never)]
fn write_escaped_slowly(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for &byte in text.as_bytes() {
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            0..0x20 => {
                let hex = |nibble: u8| HEX.get(usize::from(nibble & 0xf)).copied().unwrap_or(b'0');
                out.extend_from_slice(b"\\u00");
                out.push(hex(byte >> 4));
                out.push(hex(byte));
            }
            _ => out.push(byte),
        }
    }
    out.push(b'"');
}

fn write_f64(out: &mut Vec<u8>, value: f64) {
    if value.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(value).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn write_f32(out: &mut Vec<u8>, value: f32) {
    if value.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(value).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn write_integer(out: &mut Vec<u8>, value: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// An array or object being written; `first` says whether a comma is due.
pub(crate) struct Compound<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    /// What closes it: `]` or `}`, and one more `}` for an enum variant
    /// (single bytes: `extend_from_slice` of a one-byte `&str` was a
    /// `memcpy` call).
    close: u8,
    variant: bool,
}

impl Compound<'_> {
    #[inline]
    fn comma(&mut self) {
        if !std::mem::replace(&mut self.first, false) {
            self.out.push(b',');
        }
    }
    #[inline]
    fn finish(self) -> Result<(), Error> {
        self.out.push(self.close);
        if self.variant {
            self.out.push(b'}');
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = TupleStruct<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    #[inline]
    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, value: i8) -> Result<(), Error> {
        write_integer(self.out, value);
        Ok(())
    }
    fn serialize_i16(self, value: i16) -> Result<(), Error> {
        write_integer(self.out, value);
        Ok(())
    }
    #[inline]
    fn serialize_i32(self, value: i32) -> Result<(), Error> {
        write_integer(self.out, value);
        Ok(())
    }
    #[inline]
    fn serialize_i64(self, value: i64) -> Result<(), Error> {
        write_integer(self.out, value);
        Ok(())
    }
    fn serialize_i128(self, value: i128) -> Result<(), Error> {
        write_integer(self.out, value);
        Ok(())
    }
    fn serialize_u8(self, value: u8) -> Result<(), Error> {
        write_integer(self.out, value);
        Ok(())
    }
    fn serialize_u16(self, value: u16) -> Result<(), Error> {
        write_integer(self.out, value);
        Ok(())
    }
    #[inline]
    fn serialize_u32(self, value: u32) -> Result<(), Error> {
        write_integer(self.out, value);
        Ok(())
    }
    #[inline]
    fn serialize_u64(self, value: u64) -> Result<(), Error> {
        write_integer(self.out, value);
        Ok(())
    }
    fn serialize_u128(self, value: u128) -> Result<(), Error> {
        write_integer(self.out, value);
        Ok(())
    }
    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        write_f32(self.out, value);
        Ok(())
    }
    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        write_f64(self.out, value);
        Ok(())
    }
    fn serialize_char(self, value: char) -> Result<(), Error> {
        write_escaped(self.out, value.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    #[inline]
    fn serialize_str(self, value: &str) -> Result<(), Error> {
        if self.any_part {
            AnyParts::type_url(self.out, value);
            return Ok(());
        }
        write_escaped(self.out, value);
        Ok(())
    }
    fn serialize_bytes(self, value: &[u8]) -> Result<(), Error> {
        if self.any_part {
            AnyParts::payload(self.out, value);
            return Ok(());
        }
        // As serde_json: an array of numbers.
        let mut seq = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            ser::SerializeSeq::serialize_element(&mut seq, byte)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.out.push(b'{');
        write_escaped(self.out, variant);
        self.out.push(b':');
        value.serialize(Writer::new(self.out))?;
        self.out.push(b'}');
        Ok(())
    }
    #[inline]
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.out.push(b'[');
        Ok(Compound {
            out: self.out,
            first: true,
            close: b']',
            variant: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    #[inline]
    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<TupleStruct<'a>, Error> {
        // The same pointer when it comes from the static (always, for
        // ours), the same text otherwise.
        if std::ptr::eq(name, ANY) || name == ANY {
            let start = self.out.len();
            return Ok(TupleStruct::Any(AnyParts {
                out: self.out,
                start,
                next: 0,
            }));
        }
        self.serialize_seq(Some(len)).map(TupleStruct::Array)
    }
    #[inline]
    fn is_human_readable(&self) -> bool {
        OURS.set(true);
        true
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.out.push(b'{');
        write_escaped(self.out, variant);
        self.out.extend_from_slice(b":[");
        Ok(Compound {
            out: self.out,
            first: true,
            close: b']',
            variant: true,
        })
    }
    #[inline]
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.out.push(b'{');
        Ok(Compound {
            out: self.out,
            first: true,
            close: b'}',
            variant: false,
        })
    }
    #[inline]
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.out.push(b'{');
        write_escaped(self.out, variant);
        self.out.extend_from_slice(b":{");
        Ok(Compound {
            out: self.out,
            first: true,
            close: b'}',
            variant: true,
        })
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(Writer::new(self.out))
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// Tuples of every kind are written as the arrays they hold.
macro_rules! as_array {
    ($($kind:ident::$method:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Error;
            #[inline]
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                ser::SerializeSeq::serialize_element(self, value)
            }
            #[inline]
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}

as_array!(
    SerializeTuple::serialize_element,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(KeyWriter { out: self.out })?;
        self.out.push(b':');
        Ok(())
    }
    #[inline]
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Writer::new(self.out))
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// Structs of every kind are written as objects keyed by field name.
macro_rules! as_object {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Error;
            #[inline]
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                ser::SerializeMap::serialize_entry(self, key, value)
            }
            #[inline]
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}

as_object!(SerializeStruct, SerializeStructVariant);

/// Writes an object key: strings as they are, numbers, bools and chars
/// quoted (as serde_json does); anything else cannot be a key.
struct KeyWriter<'a> {
    out: &'a mut Vec<u8>,
}

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

impl KeyWriter<'_> {
    fn quoted(self, text: &str) -> Result<(), Error> {
        self.out.push(b'"');
        self.out.extend_from_slice(text.as_bytes());
        self.out.push(b'"');
        Ok(())
    }
}

macro_rules! quoted_integer_keys {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method(self, value: $ty) -> Result<(), Error> {
            self.quoted(itoa::Buffer::new().format(value))
        }
    )*};
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    #[inline]
    fn serialize_str(self, value: &str) -> Result<(), Error> {
        write_escaped(self.out, value);
        Ok(())
    }
    fn serialize_char(self, value: char) -> Result<(), Error> {
        write_escaped(self.out, value.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.quoted(if value { "true" } else { "false" })
    }
    quoted_integer_keys!(
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
    );
    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        if !value.is_finite() {
            return Err(ser::Error::custom("float key must be finite"));
        }
        self.quoted(zmij::Buffer::new().format_finite(value))
    }
    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        if !value.is_finite() {
            return Err(ser::Error::custom("float key must be finite"));
        }
        self.quoted(zmij::Buffer::new().format_finite(value))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_bytes(self, _value: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn byte_needs_escape(byte: u8) -> bool {
        byte < 0x20 || byte == b'"' || byte == b'\\'
    }

    fn ours<T: Serialize + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        value.serialize(Writer::new(&mut out)).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn same_as_serde_json<T: Serialize + ?Sized>(value: &T) {
        assert_eq!(ours(value), serde_json::to_string(value).unwrap());
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_ascii: String = (0u8..=0x7f).map(char::from).collect();
        every_ascii.push_str("é ☃ 𝄞 \u{7f}\u{2028}");
        same_as_serde_json(&every_ascii);
        // Escapes at every position of an eight-byte word, and runs longer
        // than a word on both sides.
        for at in 0..20 {
            for special in ["\"", "\\", "\n", "\u{1}", "\u{1f}"] {
                let mut text = "abcdefghijklmnopqrst".to_owned();
                text.insert_str(at, special);
                same_as_serde_json(&text);
            }
        }
        same_as_serde_json("");
        same_as_serde_json(&'"');
    }

    #[test]
    fn every_byte_value_is_classified_like_the_per_byte_rule() {
        for byte in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = byte;
                assert_eq!(
                    escapes_in_word(u64::from_le_bytes(word)) != 0,
                    byte_needs_escape(byte),
                    "byte {byte:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn short_strings_are_checked_at_every_length() {
        for len in 0..20 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f] {
                    let mut text = vec![b'x'; len];
                    text[at] = special;
                    assert!(needs_escape(&text), "{len} {at} {special}");
                    same_as_serde_json(std::str::from_utf8(&text).unwrap());
                }
            }
            assert!(!needs_escape(&vec![b'x'; len]), "{len}");
        }
    }

    /// `write_utf8` on bytes: what `from_utf8` and `write_escaped` make of
    /// them, for every byte value at every position of strings up to 19
    /// bytes (lone high bytes are invalid UTF-8; two-byte sequences valid).
    #[test]
    fn bytes_are_written_as_checked_text() {
        let reference = |bytes: &[u8]| {
            std::str::from_utf8(bytes).ok().map(|text| {
                let mut out = Vec::new();
                write_escaped(&mut out, text);
                out
            })
        };
        for len in 0..20 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut text = vec![b'x'; len];
                    text[at] = byte;
                    let mut out = Vec::new();
                    let ours = write_utf8(&mut out, &text).ok().map(|()| out);
                    assert_eq!(ours, reference(&text), "{len} {at} {byte:#x}");
                }
                let mut text = vec![b'x'; len + 1];
                text[at..at + 2].copy_from_slice("é".as_bytes());
                let mut out = Vec::new();
                write_utf8(&mut out, &text).unwrap();
                assert_eq!(Some(out), reference(&text));
            }
        }
    }

    #[test]
    fn numbers_and_compounds_match_serde_json() {
        same_as_serde_json(&[0.1f64, 1e300, -0.0, 5e-324, f64::NAN, f64::INFINITY]);
        same_as_serde_json(&[1.5f32, f32::MAX, f32::NEG_INFINITY]);
        same_as_serde_json(&(i64::MIN, u64::MAX, i128::MIN, u128::MAX, -1i8, true, ()));
        same_as_serde_json(&Some(vec![Some(1), None]));
        let map: BTreeMap<i32, Vec<&str>> = [(-1, vec![]), (7, vec!["a", "b"])].into();
        same_as_serde_json(&map);
        let keyed: BTreeMap<bool, u8> = [(false, 1), (true, 2)].into();
        same_as_serde_json(&keyed);
        same_as_serde_json(&serde_json::json!({"a": [1, {"b": null}], "c\"": "d\n", "e": 1.5}));
        same_as_serde_json(&b"bytes"[..]);
    }

    #[test]
    fn the_scratch_buffer_is_reused_but_never_kept_large() {
        let mut out = Scratch::take();
        out.extend_from_slice(b"small");
        assert_eq!(Scratch::give_back(out), b"small");
        let again = Scratch::take();
        assert!(again.is_empty() && again.capacity() >= 5);
        // Taken while in use: a second, fresh buffer.
        assert_eq!(Scratch::take().capacity(), 0);
        Scratch::give_back(again);

        let mut large = Scratch::take();
        large.extend_from_slice(&vec![b'x'; Scratch::KEEP + 1]);
        let capacity = large.capacity();
        let text = Scratch::give_back(large);
        assert_eq!((text.len(), text.capacity()), (Scratch::KEEP + 1, capacity));
        assert!(Scratch::take().capacity() <= Scratch::KEEP);
    }

    #[test]
    fn non_string_keys_are_refused() {
        let map: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
        let mut out = Vec::new();
        assert!(map.serialize(Writer::new(&mut out)).is_err());
        assert!(serde_json::to_string(&map).is_err());
    }
}
