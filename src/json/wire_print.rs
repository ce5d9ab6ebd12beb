//! Printing an `Any`'s payload from its wire bytes, without decoding it
//! into its struct: decoding the payloads, allocating and freeing them was
//! a third of printing the benchmark's `Operation`.
//!
//! Every generated message has a [`WireForm`], a table of its fields
//! (number, JSON key, kind, presence) that `cancelwire-build` writes
//! beside its serde impls. The printer walks the bytes with it and handles
//! what encoders write: known fields in number order, each singular field
//! once, repeated fields in one run, packed or not. Anything else (fields
//! out of order or given twice, which decoding would merge, floats,
//! well-known types other than `Timestamp` and `Duration`, a nested `Any`,
//! groups, bytes that do not decode, values out of range, nesting near the
//! limit) makes it [`GiveUp`], and the caller prints the decoded struct
//! instead, which is right for every input and reports the errors. So the
//! printer never decides what is valid; where it finishes, it has printed
//! what the struct prints (`tests/codec/json_from_wire.rs` compares the two).

use super::writer::{write_escaped, write_utf8};
use super::{any_payload, context};
use crate::text;
use crate::wire;
use prost::encoding::{WireType, decode_varint};
use std::ptr;

/// A message type's table for printing from the wire.
#[doc(hidden)]
pub trait WireJson {
    fn wire_form() -> &'static WireForm;
}

/// How a message type prints.
#[doc(hidden)]
#[derive(Debug)]
pub enum WireForm {
    /// An object of these fields, sorted by number.
    Fields(&'static [WireField]),
    /// An RFC 3339 string.
    Timestamp,
    /// A `"1.5s"` string.
    Duration,
    /// Any other special form: not printed from the wire.
    Other,
}

/// One field of a [`WireForm::Fields`].
#[doc(hidden)]
#[derive(Debug)]
pub struct WireField {
    pub number: u32,
    /// `"jsonName":`, quotes and colon included.
    pub key: WireKey,
    pub kind: WireKind,
    pub presence: Presence,
}

/// A field's key as printed, `"jsonName":`, also padded to a fixed size:
/// a key of up to [`WireKey::PADDED`] bytes is written with one copy of
/// that size and a cut back, where a copy of its own length was a
/// `memcpy` call (half of the 70 such calls of printing the benchmark's
/// `Operation`).
#[doc(hidden)]
#[derive(Debug)]
pub struct WireKey {
    text: &'static str,
    padded: [u8; WireKey::PADDED],
}

impl WireKey {
    const PADDED: usize = 32;

    /// The key `text` (`"jsonName":`).
    pub const fn new(text: &'static str) -> Self {
        let mut padded = [0; Self::PADDED];
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() && at < Self::PADDED {
            // Evaluated at compile time for the generated tables; both
            // indices are checked by the loop condition.
            #[allow(clippy::indexing_slicing)]
            {
                padded[at] = bytes[at];
            }
            at += 1;
        }
        Self { text, padded }
    }

    /// Appends the key to `out`.
    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        let len = self.text.len();
        if len > Self::PADDED {
            return out.extend_from_slice(self.text.as_bytes());
        }
        let start = out.len();
        out.extend_from_slice(&self.padded);
        out.truncate(start + len);
    }
}

/// When a field is printed.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Unless it holds its type's default.
    Implicit,
    /// Whenever present (a message or a proto3 `optional` field).
    Explicit,
    /// Whenever present, as a member of oneof number `n` of the message.
    Oneof(u8),
    /// Unless empty (a repeated field or a map).
    Repeated,
}

/// The type of one value of a field.
#[doc(hidden)]
#[derive(Debug)]
pub enum WireKind {
    Str,
    Bytes,
    Bool,
    Int32,
    Sint32,
    Sfixed32,
    Uint32,
    Fixed32,
    Int64,
    Sint64,
    Sfixed64,
    Uint64,
    Fixed64,
    /// An open enum: the name of a number, if it has one.
    Enum(fn(i32) -> Option<&'static str>),
    Message(fn() -> &'static WireForm),
    /// A map field, with its key and value kinds.
    Map(&'static WireKind, &'static WireKind),
    /// Floats and `google.protobuf.NullValue`/`Value`: not printed from the
    /// wire.
    Other,
}

/// The names of an open enum's numbers, as a plain function for
/// [`WireKind::Enum`].
#[doc(hidden)]
pub fn enum_name<E: super::field_kinds::OpenEnum>(number: i32) -> Option<&'static str> {
    E::from_number(number).name()
}

/// The input is not in the form this printer handles; the caller prints
/// the decoded struct.
#[derive(Debug)]
pub(crate) struct GiveUp;

type Step<T = ()> = Result<T, GiveUp>;

impl From<prost::DecodeError> for GiveUp {
    fn from(_: prost::DecodeError) -> Self {
        GiveUp
    }
}

/// Starts printing an `Any` whose type URL is `type_url` from the wire:
/// writes `{"@type":type_url` onto `out` and returns the payload's table,
/// or writes nothing and returns `None` when the type is not one of the
/// crate's or a caller's registry is in force.
pub(crate) fn start_any(type_url: &str, out: &mut Vec<u8>) -> Option<&'static WireForm> {
    if context::has_custom_registry() {
        return None;
    }
    // The usual URL is the prefix and a name; a name of the crate's has no
    // `/`, so when the rest is one the search for the last `/` is not
    // needed (it was 40 instructions an `Any`).
    let known = |name| any_payload::wire_form(name).map(|form| (name, form));
    let (full_name, form) = (type_url.strip_prefix(USUAL_PREFIX))
        .and_then(known)
        .or_else(|| known(crate::wkt::type_name_of_url(type_url)))?;
    out.extend_from_slice(b"{\"@type\":");
    write_type_url(out, type_url, full_name);
    Some(form)
}

/// Prints the rest of the `Any` [`start_any`] started: the payload's
/// fields (or `"value":` and the string of a `Timestamp` or `Duration`)
/// and the closing brace. On `GiveUp`, `out` may hold part of it; the
/// caller truncates.
pub(crate) fn finish_any(form: &WireForm, payload: &[u8], out: &mut Vec<u8>) -> Step {
    let depth_left = context::depth_left();
    let mut printer = Printer { out, depth_left };
    printer.descend()?;
    match form {
        WireForm::Fields(fields) => printer.fields(fields, payload, false)?,
        WireForm::Timestamp | WireForm::Duration => {
            printer.out.extend_from_slice(b",\"value\":");
            printer.special(form, payload)?;
        }
        WireForm::Other => return Err(GiveUp),
    }
    printer.out.push(b'}');
    Ok(())
}

/// What a type URL starts with but for the message type's name, as every
/// printer writes it.
pub(crate) const USUAL_PREFIX: &str = "type.googleapis.com/";

/// Writes the `Any`'s type URL, whose last segment is `full_name`, one of
/// the crate's types: in the usual form, `type.googleapis.com/` and that
/// name, nothing needs escaping, and checking for that prefix is cheaper
/// than checking every byte.
fn write_type_url(out: &mut Vec<u8>, type_url: &str, full_name: &str) {
    if type_url.len() == USUAL_PREFIX.len() + full_name.len() && type_url.starts_with(USUAL_PREFIX)
    {
        out.push(b'"');
        out.extend_from_slice(type_url.as_bytes());
        out.push(b'"');
    } else {
        write_escaped(out, type_url);
    }
}

/// The wire type a value of `kind` is written with, unpacked.
fn wire_type_of(kind: &WireKind) -> Step<WireType> {
    Ok(match kind {
        WireKind::Str | WireKind::Bytes | WireKind::Message(_) => WireType::LengthDelimited,
        WireKind::Bool
        | WireKind::Int32
        | WireKind::Sint32
        | WireKind::Uint32
        | WireKind::Int64
        | WireKind::Sint64
        | WireKind::Uint64
        | WireKind::Enum(_) => WireType::Varint,
        WireKind::Sfixed32 | WireKind::Fixed32 => WireType::ThirtyTwoBit,
        WireKind::Sfixed64 | WireKind::Fixed64 => WireType::SixtyFourBit,
        WireKind::Map(..) | WireKind::Other => return Err(GiveUp),
    })
}

/// Whether values of `kind` may come packed in one length-delimited run.
fn packable(kind: &WireKind) -> bool {
    matches!(wire_type_of(kind), Ok(t) if t != WireType::LengthDelimited)
}

fn expect(wire_type: WireType, expected: WireType) -> Step {
    if wire_type == expected {
        Ok(())
    } else {
        Err(GiveUp)
    }
}

#[inline(always)]
fn take<'a>(buf: &mut &'a [u8], len: usize) -> Step<&'a [u8]> {
    let (head, rest) = buf.split_at_checked(len).ok_or(GiveUp)?;
    *buf = rest;
    Ok(head)
}

fn take_array<const N: usize>(buf: &mut &[u8]) -> Step<[u8; N]> {
    let (head, rest) = buf.split_first_chunk::<N>().ok_or(GiveUp)?;
    *buf = rest;
    Ok(*head)
}

/// A varint: one-byte ones (lengths, small numbers, enums) read here,
/// longer ones by prost.
#[inline(always)]
fn varint(buf: &mut &[u8]) -> Step<u64> {
    if let Some((&byte, rest)) = buf.split_first()
        && byte < 0x80
    {
        *buf = rest;
        return Ok(u64::from(byte));
    }
    Ok(decode_varint(buf)?)
}

// Always inlined: out of line it was 4% of printing a Status.
#[inline(always)]
fn length_delimited<'a>(buf: &mut &'a [u8]) -> Step<&'a [u8]> {
    let len = usize::try_from(varint(buf)?).map_err(|_| GiveUp)?;
    take(buf, len)
}

/// Steps over one value written with `wire_type`.
fn skip(wire_type: WireType, buf: &mut &[u8]) -> Step {
    match wire_type {
        WireType::Varint => varint(buf).map(drop)?,
        WireType::SixtyFourBit => take(buf, 8).map(drop)?,
        WireType::ThirtyTwoBit => take(buf, 4).map(drop)?,
        WireType::LengthDelimited => length_delimited(buf).map(drop)?,
        WireType::StartGroup | WireType::EndGroup => return Err(GiveUp),
    }
    Ok(())
}

/// The encoding of the default value of a `kind`, for a map entry that
/// leaves its value out: a zero varint or length, or zero fixed bytes.
fn default_encoding(kind: &WireKind) -> Step<(WireType, &'static [u8])> {
    let wire_type = wire_type_of(kind)?;
    Ok(match wire_type {
        WireType::ThirtyTwoBit => (wire_type, &[0; 4]),
        WireType::SixtyFourBit => (wire_type, &[0; 8]),
        _ => (wire_type, &[0]),
    })
}

/// What is being printed of a repeated field or map.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Run {
    None,
    /// An array holding at least one element.
    Array,
    /// A map, its entries gathered to be printed sorted when it ends.
    Map,
}

/// A map entry as gathered: its key, and its value's wire type and bytes.
type Entry<'a> = (&'a [u8], WireType, &'a [u8]);

/// The entries of the map being printed, gathered on the stack: a map of
/// more entries makes the printer give up (the decoded road prints it).
struct Entries<'a> {
    slots: [Entry<'a>; Entries::MAX],
    len: usize,
}

impl<'a> Entries<'a> {
    const MAX: usize = 16;

    fn new() -> Self {
        Self {
            slots: [(&[], WireType::Varint, &[]); Self::MAX],
            len: 0,
        }
    }

    fn push(&mut self, entry: Entry<'a>) -> Step {
        *self.slots.get_mut(self.len).ok_or(GiveUp)? = entry;
        self.len += 1;
        Ok(())
    }

    /// The entries gathered, leaving none.
    fn take(&mut self) -> &mut [Entry<'a>] {
        let len = std::mem::replace(&mut self.len, 0);
        self.slots.get_mut(..len).unwrap_or_default()
    }
}

struct Printer<'o> {
    out: &'o mut Vec<u8>,
    depth_left: usize,
}

impl Printer<'_> {
    fn descend(&mut self) -> Step {
        self.depth_left = self.depth_left.checked_sub(1).ok_or(GiveUp)?;
        Ok(())
    }

    /// Prints the fields of a message from `buf`, each after a comma unless
    /// `first`.
    fn fields(&mut self, fields: &'static [WireField], mut buf: &[u8], mut first: bool) -> Step {
        let mut next = 0;
        let mut current: Option<&'static WireField> = None;
        let mut run = Run::None;
        // Made on the first map entry: 16 slots are not free to clear.
        let mut entries: Option<Entries<'_>> = None;
        let mut oneofs: u64 = 0;
        while !buf.is_empty() {
            let (number, wire_type) = wire::decode_key(&mut buf)?;
            let field = if current.is_none_or(|c| number >= c.number) {
                // Unknown numbers in between leave `next` where it was.
                let mut at = next;
                while fields.get(at).is_some_and(|f| f.number < number) {
                    at += 1;
                }
                let found = fields.get(at).filter(|f| f.number == number);
                if found.is_some() {
                    next = at;
                }
                found
            } else if fields.iter().any(|f| f.number == number) {
                // A known field after one with a higher number.
                return Err(GiveUp);
            } else {
                None
            };
            let Some(field) = field else {
                skip(wire_type, &mut buf)?;
                continue;
            };
            if current.is_some_and(|c| ptr::eq(c, field)) {
                if field.presence != Presence::Repeated {
                    // Decoding keeps the last value or merges messages.
                    return Err(GiveUp);
                }
            } else {
                if run != Run::None {
                    self.end_run(&mut run, current, &mut entries)?;
                }
                current = Some(field);
            }
            match field.presence {
                Presence::Repeated => self.element(
                    field,
                    wire_type,
                    &mut buf,
                    &mut run,
                    &mut entries,
                    &mut first,
                )?,
                presence => {
                    if let Presence::Oneof(index) = presence {
                        let bit = 1u64.checked_shl(u32::from(index)).ok_or(GiveUp)?;
                        if oneofs & bit != 0 {
                            return Err(GiveUp);
                        }
                        oneofs |= bit;
                    }
                    // The key goes out first and is taken back if an
                    // implicit field turns out to hold its default.
                    let (mark, was_first) = (self.out.len(), first);
                    self.key(field, &mut first);
                    let default = self.value(&field.kind, wire_type, &mut buf)?;
                    if default && presence == Presence::Implicit {
                        self.out.truncate(mark);
                        first = was_first;
                    }
                }
            }
        }
        self.end_run(&mut run, current, &mut entries)
    }

    fn key(&mut self, field: &WireField, first: &mut bool) {
        if !std::mem::replace(first, false) {
            self.out.push(b',');
        }
        field.key.write(self.out);
    }

    /// One element of a repeated field (several when packed), or one entry
    /// of a map.
    fn element<'a>(
        &mut self,
        field: &'static WireField,
        wire_type: WireType,
        buf: &mut &'a [u8],
        run: &mut Run,
        entries: &mut Option<Entries<'a>>,
        first: &mut bool,
    ) -> Step {
        if let WireKind::Map(key_kind, value_kind) = &field.kind {
            expect(wire_type, WireType::LengthDelimited)?;
            let entry = map_entry(key_kind, value_kind, length_delimited(buf)?)?;
            entries.get_or_insert_with(Entries::new).push(entry)?;
            if *run != Run::Map {
                self.key(field, first);
                *run = Run::Map;
            }
            return Ok(());
        }
        if wire_type != WireType::LengthDelimited || !packable(&field.kind) {
            self.next_element(field, run, first);
            return self.value(&field.kind, wire_type, buf).map(drop);
        }
        let (mut values, wire_type) = (length_delimited(buf)?, wire_type_of(&field.kind)?);
        while !values.is_empty() {
            self.next_element(field, run, first);
            self.value(&field.kind, wire_type, &mut values)?;
        }
        Ok(())
    }

    /// Opens the array of the repeated field `field`, or separates its
    /// next element from the one before.
    fn next_element(&mut self, field: &'static WireField, run: &mut Run, first: &mut bool) {
        if *run == Run::Array {
            self.out.push(b',');
        } else {
            self.key(field, first);
            self.out.push(b'[');
            *run = Run::Array;
        }
    }

    /// Closes the repeated field or map `field` being printed, if any.
    fn end_run(
        &mut self,
        run: &mut Run,
        field: Option<&'static WireField>,
        entries: &mut Option<Entries<'_>>,
    ) -> Step {
        match std::mem::replace(run, Run::None) {
            Run::None => {}
            Run::Array => self.out.push(b']'),
            Run::Map => {
                let Some(WireKind::Map(_, value_kind)) = field.map(|f| &f.kind) else {
                    return Err(GiveUp);
                };
                // A BTreeMap's order, and the last of equal keys, as
                // decoding into one keeps.
                let entries = entries.as_mut().map(Entries::take).unwrap_or_default();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                self.out.push(b'{');
                let mut first = true;
                let mut entries = entries.iter().copied().peekable();
                while let Some((key, wire_type, mut value)) = entries.next() {
                    if entries.peek().is_some_and(|next| next.0 == key) {
                        continue;
                    }
                    if !std::mem::replace(&mut first, false) {
                        self.out.push(b',');
                    }
                    write_utf8(self.out, key).map_err(|_| GiveUp)?;
                    self.out.push(b':');
                    self.descend()?;
                    self.value(value_kind, wire_type, &mut value)?;
                    self.depth_left += 1;
                }
                self.out.push(b'}');
            }
        }
        Ok(())
    }

    /// Reads one value of `kind` written with `wire_type` and prints it,
    /// converting numbers exactly as prost's decoding does; true when it is
    /// its type's default.
    fn value(&mut self, kind: &WireKind, wire_type: WireType, buf: &mut &[u8]) -> Step<bool> {
        let out = &mut *self.out;
        let quoted = |out: &mut Vec<u8>, digits: &str| {
            out.push(b'"');
            out.extend_from_slice(digits.as_bytes());
            out.push(b'"');
        };
        let mut digits = itoa::Buffer::new();
        Ok(match kind {
            WireKind::Str => {
                expect(wire_type, WireType::LengthDelimited)?;
                let text = length_delimited(buf)?;
                write_utf8(out, text).map_err(|_| GiveUp)?;
                text.is_empty()
            }
            WireKind::Bytes => {
                expect(wire_type, WireType::LengthDelimited)?;
                let bytes = length_delimited(buf)?;
                out.push(b'"');
                text::base64::push_base64(out, bytes);
                out.push(b'"');
                bytes.is_empty()
            }
            WireKind::Message(form) => {
                expect(wire_type, WireType::LengthDelimited)?;
                let bytes = length_delimited(buf)?;
                self.message(form(), bytes)?;
                false
            }
            WireKind::Bool => {
                expect(wire_type, WireType::Varint)?;
                let value = varint(buf)? != 0;
                out.extend_from_slice(if value { b"true" } else { b"false" });
                !value
            }
            WireKind::Int32 | WireKind::Sint32 | WireKind::Uint32 | WireKind::Enum(_) => {
                expect(wire_type, WireType::Varint)?;
                let raw = varint(buf)?;
                match kind {
                    WireKind::Uint32 => out.extend_from_slice(digits.format(raw as u32).as_bytes()),
                    WireKind::Sint32 => {
                        let n = raw as u32;
                        let value = ((n >> 1) as i32) ^ (-((n & 1) as i32));
                        out.extend_from_slice(digits.format(value).as_bytes());
                    }
                    WireKind::Enum(name) => match name(raw as i32) {
                        Some(name) => write_escaped(out, name),
                        None => out.extend_from_slice(digits.format(raw as i32).as_bytes()),
                    },
                    _ => out.extend_from_slice(digits.format(raw as i32).as_bytes()),
                }
                // Zero in every one of these encodings.
                raw as u32 == 0
            }
            WireKind::Int64 | WireKind::Sint64 | WireKind::Uint64 => {
                expect(wire_type, WireType::Varint)?;
                let raw = varint(buf)?;
                match kind {
                    WireKind::Uint64 => quoted(out, digits.format(raw)),
                    WireKind::Sint64 => quoted(
                        out,
                        digits.format(((raw >> 1) as i64) ^ (-((raw & 1) as i64))),
                    ),
                    _ => quoted(out, digits.format(raw as i64)),
                }
                raw == 0
            }
            WireKind::Fixed32 | WireKind::Sfixed32 => {
                expect(wire_type, WireType::ThirtyTwoBit)?;
                let bits = take_array(buf)?;
                if matches!(kind, WireKind::Fixed32) {
                    out.extend_from_slice(digits.format(u32::from_le_bytes(bits)).as_bytes());
                } else {
                    out.extend_from_slice(digits.format(i32::from_le_bytes(bits)).as_bytes());
                }
                bits == [0; 4]
            }
            WireKind::Fixed64 | WireKind::Sfixed64 => {
                expect(wire_type, WireType::SixtyFourBit)?;
                let bits = take_array(buf)?;
                if matches!(kind, WireKind::Fixed64) {
                    quoted(out, digits.format(u64::from_le_bytes(bits)));
                } else {
                    quoted(out, digits.format(i64::from_le_bytes(bits)));
                }
                bits == [0; 8]
            }
            WireKind::Map(..) | WireKind::Other => return Err(GiveUp),
        })
    }

    fn message(&mut self, form: &WireForm, bytes: &[u8]) -> Step {
        self.descend()?;
        match form {
            WireForm::Fields(fields) => {
                self.out.push(b'{');
                self.fields(fields, bytes, true)?;
                self.out.push(b'}');
            }
            WireForm::Timestamp | WireForm::Duration => self.special(form, bytes)?,
            WireForm::Other => return Err(GiveUp),
        }
        self.depth_left += 1;
        Ok(())
    }

    /// A `Timestamp` or `Duration` as its string.
    fn special(&mut self, form: &WireForm, mut buf: &[u8]) -> Step {
        let (mut seconds, mut nanos) = (None, None);
        while !buf.is_empty() {
            let (number, wire_type) = wire::decode_key(&mut buf)?;
            let slot = match number {
                1 => &mut seconds,
                2 => &mut nanos,
                _ => {
                    skip(wire_type, &mut buf)?;
                    continue;
                }
            };
            if wire_type != WireType::Varint || slot.is_some() {
                return Err(GiveUp);
            }
            *slot = Some(varint(&mut buf)?);
        }
        let seconds = seconds.unwrap_or(0) as i64;
        let nanos = nanos.unwrap_or(0) as i32;
        self.out.push(b'"');
        match form {
            WireForm::Timestamp => {
                text::timestamp::push_timestamp(self.out, seconds, nanos).map_err(|_| GiveUp)?
            }
            WireForm::Duration => {
                text::duration::push_duration(self.out, seconds, nanos).map_err(|_| GiveUp)?
            }
            WireForm::Fields(_) | WireForm::Other => return Err(GiveUp),
        }
        self.out.push(b'"');
        Ok(())
    }
}

/// A map entry's key and value (the value's wire type and bytes; the
/// default's encoding when the entry leaves it out). Only string keys:
/// other key types sort by number, not as text.
fn map_entry<'a>(key_kind: &WireKind, value_kind: &WireKind, mut buf: &'a [u8]) -> Step<Entry<'a>> {
    if !matches!(key_kind, WireKind::Str) {
        return Err(GiveUp);
    }
    let mut key: Option<&[u8]> = None;
    let mut value: Option<(WireType, &[u8])> = None;
    while !buf.is_empty() {
        let (number, wire_type) = wire::decode_key(&mut buf)?;
        match number {
            1 if key.is_none() => {
                expect(wire_type, WireType::LengthDelimited)?;
                key = Some(length_delimited(&mut buf)?);
            }
            2 if value.is_none() => {
                let before = buf;
                skip(wire_type, &mut buf)?;
                let read = before.len() - buf.len();
                value = Some((wire_type, before.get(..read).ok_or(GiveUp)?));
            }
            1 | 2 => return Err(GiveUp),
            _ => skip(wire_type, &mut buf)?,
        }
    }
    let (wire_type, value) = match value {
        Some(value) => value,
        None => default_encoding(value_kind)?,
    };
    Ok((key.unwrap_or_default(), wire_type, value))
}

#[cfg(test)]
mod tests {
    use super::WireKey;

    /// Keys of every length up to past the padded size, after text already
    /// in the output, come out as they are.
    #[test]
    fn keys_of_every_length_are_written_whole() {
        for len in 0..=WireKey::PADDED + 8 {
            let text: String = ('a'..='z').cycle().take(len).collect();
            let key: &'static str = Box::leak(text.into_boxed_str());
            let mut out = b"{".to_vec();
            WireKey::new(key).write(&mut out);
            assert_eq!(out, format!("{{{key}").into_bytes(), "{len}");
        }
    }
}
