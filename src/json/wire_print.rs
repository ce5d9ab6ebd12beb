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
//! what the struct prints (tests/json_from_wire.rs compares the two).

use super::writer::write_escaped;
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
    pub key: &'static str,
    pub kind: WireKind,
    pub presence: Presence,
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

/// Prints `{"@type":type_url,<payload fields>}` (or `"value":` and the
/// string for a `Timestamp` or `Duration` payload) onto `out`, the payload
/// being `depth_left` levels from the nesting limit. On `GiveUp`, `out` may
/// hold part of it; the caller truncates.
pub(crate) fn print_any(
    type_url: &str,
    form: &WireForm,
    payload: &[u8],
    depth_left: usize,
    out: &mut String,
) -> Step {
    let mut printer = Printer { out, depth_left };
    printer.descend()?;
    printer.out.push_str("{\"@type\":");
    write_escaped(printer.out, type_url);
    match form {
        WireForm::Fields(fields) => printer.fields(fields, payload, false)?,
        WireForm::Timestamp | WireForm::Duration => {
            printer.out.push_str(",\"value\":");
            printer.special(form, payload)?;
        }
        WireForm::Other => return Err(GiveUp),
    }
    printer.out.push('}');
    Ok(())
}

/// One value as read from the wire.
#[derive(Clone, Copy)]
enum Value<'a> {
    Str(&'a str),
    Bytes(&'a [u8]),
    Bool(bool),
    I32(i32),
    U32(u32),
    I64(i64),
    U64(u64),
    Enum(i32),
    Message(&'a [u8]),
}

impl Value<'_> {
    /// Whether an implicit-presence field holding it is left out.
    fn is_default(self) -> bool {
        match self {
            Value::Str(s) => s.is_empty(),
            Value::Bytes(b) => b.is_empty(),
            Value::Bool(b) => !b,
            Value::I32(n) | Value::Enum(n) => n == 0,
            Value::U32(n) => n == 0,
            Value::I64(n) => n == 0,
            Value::U64(n) => n == 0,
            Value::Message(_) => false,
        }
    }

    /// The value a map entry without one holds.
    fn default_of(kind: &WireKind) -> Step<Value<'static>> {
        Ok(match kind {
            WireKind::Str => Value::Str(""),
            WireKind::Bytes => Value::Bytes(&[]),
            WireKind::Bool => Value::Bool(false),
            WireKind::Int32 | WireKind::Sint32 | WireKind::Sfixed32 => Value::I32(0),
            WireKind::Uint32 | WireKind::Fixed32 => Value::U32(0),
            WireKind::Int64 | WireKind::Sint64 | WireKind::Sfixed64 => Value::I64(0),
            WireKind::Uint64 | WireKind::Fixed64 => Value::U64(0),
            WireKind::Enum(_) => Value::Enum(0),
            WireKind::Message(_) => Value::Message(&[]),
            WireKind::Map(..) | WireKind::Other => return Err(GiveUp),
        })
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

fn length_delimited<'a>(buf: &mut &'a [u8]) -> Step<&'a [u8]> {
    let len = usize::try_from(decode_varint(buf)?).map_err(|_| GiveUp)?;
    take(buf, len)
}

/// Reads one value of `kind` written with `wire_type`, converting numbers
/// exactly as prost's decoding does.
fn read_value<'a>(kind: &WireKind, wire_type: WireType, buf: &mut &'a [u8]) -> Step<Value<'a>> {
    if wire_type != wire_type_of(kind)? {
        return Err(GiveUp);
    }
    Ok(match kind {
        WireKind::Str => {
            Value::Str(std::str::from_utf8(length_delimited(buf)?).map_err(|_| GiveUp)?)
        }
        WireKind::Bytes => Value::Bytes(length_delimited(buf)?),
        WireKind::Message(_) => Value::Message(length_delimited(buf)?),
        WireKind::Bool => Value::Bool(decode_varint(buf)? != 0),
        WireKind::Int32 => Value::I32(decode_varint(buf)? as i32),
        WireKind::Enum(_) => Value::Enum(decode_varint(buf)? as i32),
        WireKind::Sint32 => {
            let n = decode_varint(buf)? as u32;
            Value::I32(((n >> 1) as i32) ^ (-((n & 1) as i32)))
        }
        WireKind::Uint32 => Value::U32(decode_varint(buf)? as u32),
        WireKind::Int64 => Value::I64(decode_varint(buf)? as i64),
        WireKind::Sint64 => {
            let n = decode_varint(buf)?;
            Value::I64(((n >> 1) as i64) ^ (-((n & 1) as i64)))
        }
        WireKind::Uint64 => Value::U64(decode_varint(buf)?),
        WireKind::Fixed32 => Value::U32(u32::from_le_bytes(take_array(buf)?)),
        WireKind::Sfixed32 => Value::I32(i32::from_le_bytes(take_array(buf)?)),
        WireKind::Fixed64 => Value::U64(u64::from_le_bytes(take_array(buf)?)),
        WireKind::Sfixed64 => Value::I64(i64::from_le_bytes(take_array(buf)?)),
        WireKind::Map(..) | WireKind::Other => return Err(GiveUp),
    })
}

/// Steps over a field this printer does not print (an unknown one).
fn skip(wire_type: WireType, buf: &mut &[u8]) -> Step {
    match wire_type {
        WireType::Varint => decode_varint(buf).map(drop)?,
        WireType::SixtyFourBit => take(buf, 8).map(drop)?,
        WireType::ThirtyTwoBit => take(buf, 4).map(drop)?,
        WireType::LengthDelimited => length_delimited(buf).map(drop)?,
        WireType::StartGroup | WireType::EndGroup => return Err(GiveUp),
    }
    Ok(())
}

/// Whether values of `kind` may come packed in one length-delimited run.
fn packable(kind: &WireKind) -> bool {
    matches!(wire_type_of(kind), Ok(t) if t != WireType::LengthDelimited)
}

/// A repeated field or map being printed.
enum Run<'a> {
    None,
    /// An array holding at least one element.
    Array,
    /// A map's entries, printed sorted when the field ends.
    Map(&'static WireKind, Vec<(&'a str, Value<'a>)>),
}

struct Printer<'o> {
    out: &'o mut String,
    depth_left: usize,
}

impl Printer<'_> {
    fn descend(&mut self) -> Step {
        self.depth_left = self.depth_left.checked_sub(1).ok_or(GiveUp)?;
        Ok(())
    }

    /// Prints the fields of a message from `buf`, each after a comma unless
    /// `first`.
    fn fields(
        &mut self,
        fields: &'static [WireField],
        mut buf: &[u8],
        mut first: bool,
    ) -> Step {
        let mut next = 0;
        let mut current: Option<&'static WireField> = None;
        let mut run = Run::None;
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
                self.end_run(&mut run)?;
                current = Some(field);
            }
            match field.presence {
                Presence::Repeated => {
                    self.element(field, wire_type, &mut buf, &mut run, &mut first)?
                }
                presence => {
                    if let Presence::Oneof(index) = presence {
                        let bit = 1u64.checked_shl(u32::from(index)).ok_or(GiveUp)?;
                        if oneofs & bit != 0 {
                            return Err(GiveUp);
                        }
                        oneofs |= bit;
                    }
                    let value = read_value(&field.kind, wire_type, &mut buf)?;
                    if presence == Presence::Implicit && value.is_default() {
                        continue;
                    }
                    self.key(field, &mut first);
                    self.value(&field.kind, value)?;
                }
            }
        }
        self.end_run(&mut run)
    }

    fn key(&mut self, field: &WireField, first: &mut bool) {
        if !std::mem::replace(first, false) {
            self.out.push(',');
        }
        self.out.push_str(field.key);
    }

    /// One element of a repeated field (several when packed), or one entry
    /// of a map.
    fn element<'a>(
        &mut self,
        field: &'static WireField,
        wire_type: WireType,
        buf: &mut &'a [u8],
        run: &mut Run<'a>,
        first: &mut bool,
    ) -> Step {
        if let WireKind::Map(key_kind, value_kind) = &field.kind {
            if wire_type != WireType::LengthDelimited {
                return Err(GiveUp);
            }
            let entry = map_entry(key_kind, value_kind, length_delimited(buf)?)?;
            match run {
                Run::Map(_, entries) => entries.push(entry),
                _ => {
                    self.key(field, first);
                    *run = Run::Map(value_kind, vec![entry]);
                }
            }
            return Ok(());
        }
        let mut packed = if wire_type == WireType::LengthDelimited && packable(&field.kind) {
            Some(length_delimited(buf)?)
        } else {
            None
        };
        loop {
            let value = match &mut packed {
                Some([]) => return Ok(()),
                Some(values) => read_value(&field.kind, wire_type_of(&field.kind)?, values)?,
                None => read_value(&field.kind, wire_type, buf)?,
            };
            if matches!(run, Run::Array) {
                self.out.push(',');
            } else {
                self.key(field, first);
                self.out.push('[');
                *run = Run::Array;
            }
            self.value(&field.kind, value)?;
            if packed.is_none() {
                return Ok(());
            }
        }
    }

    /// Closes the repeated field or map being printed, if any.
    fn end_run(&mut self, run: &mut Run<'_>) -> Step {
        match std::mem::replace(run, Run::None) {
            Run::None => {}
            Run::Array => self.out.push(']'),
            Run::Map(value_kind, mut entries) => {
                // A BTreeMap's order, and the last of equal keys, as
                // decoding into one keeps.
                entries.sort_by(|a, b| a.0.cmp(b.0));
                self.out.push('{');
                let mut entries = entries.into_iter().peekable();
                let mut first = true;
                while let Some((key, value)) = entries.next() {
                    if entries.peek().is_some_and(|next| next.0 == key) {
                        continue;
                    }
                    if !std::mem::replace(&mut first, false) {
                        self.out.push(',');
                    }
                    write_escaped(self.out, key);
                    self.out.push(':');
                    self.descend()?;
                    self.value(value_kind, value)?;
                    self.depth_left += 1;
                }
                self.out.push('}');
            }
        }
        Ok(())
    }

    fn value(&mut self, kind: &WireKind, value: Value<'_>) -> Step {
        let out = &mut *self.out;
        match value {
            Value::Str(s) => write_escaped(out, s),
            Value::Bytes(b) => {
                out.push('"');
                text::base64::push_base64(out, b);
                out.push('"');
            }
            Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Value::I32(n) => out.push_str(itoa::Buffer::new().format(n)),
            Value::U32(n) => out.push_str(itoa::Buffer::new().format(n)),
            Value::I64(n) => {
                out.push('"');
                out.push_str(itoa::Buffer::new().format(n));
                out.push('"');
            }
            Value::U64(n) => {
                out.push('"');
                out.push_str(itoa::Buffer::new().format(n));
                out.push('"');
            }
            Value::Enum(n) => match kind {
                WireKind::Enum(name) => match name(n) {
                    Some(name) => write_escaped(out, name),
                    None => out.push_str(itoa::Buffer::new().format(n)),
                },
                _ => return Err(GiveUp),
            },
            Value::Message(bytes) => {
                let WireKind::Message(form) = kind else {
                    return Err(GiveUp);
                };
                self.message(form(), bytes)?;
            }
        }
        Ok(())
    }

    fn message(&mut self, form: &WireForm, bytes: &[u8]) -> Step {
        self.descend()?;
        match form {
            WireForm::Fields(fields) => {
                self.out.push('{');
                self.fields(fields, bytes, true)?;
                self.out.push('}');
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
            *slot = Some(decode_varint(&mut buf)?);
        }
        let seconds = seconds.unwrap_or(0) as i64;
        let nanos = nanos.unwrap_or(0) as i32;
        self.out.push('"');
        match form {
            WireForm::Timestamp => {
                text::timestamp::push_timestamp(self.out, seconds, nanos).map_err(|_| GiveUp)?
            }
            WireForm::Duration => {
                text::duration::push_duration(self.out, seconds, nanos).map_err(|_| GiveUp)?
            }
            WireForm::Fields(_) | WireForm::Other => return Err(GiveUp),
        }
        self.out.push('"');
        Ok(())
    }
}

/// A map entry's key and value (defaults for what it leaves out). Only
/// string keys: other key types sort by number, not as text.
fn map_entry<'a>(
    key_kind: &WireKind,
    value_kind: &WireKind,
    mut buf: &'a [u8],
) -> Step<(&'a str, Value<'a>)> {
    if !matches!(key_kind, WireKind::Str) {
        return Err(GiveUp);
    }
    let (mut key, mut value) = (None, None);
    while !buf.is_empty() {
        let (number, wire_type) = wire::decode_key(&mut buf)?;
        match number {
            1 if key.is_none() => key = Some(read_value(key_kind, wire_type, &mut buf)?),
            2 if value.is_none() => value = Some(read_value(value_kind, wire_type, &mut buf)?),
            1 | 2 => return Err(GiveUp),
            _ => skip(wire_type, &mut buf)?,
        }
    }
    let key = match key {
        Some(Value::Str(key)) => key,
        None => "",
        Some(_) => return Err(GiveUp),
    };
    let value = match value {
        Some(value) => value,
        None => Value::default_of(value_kind)?,
    };
    Ok((key, value))
}
