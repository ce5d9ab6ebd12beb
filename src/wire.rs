//! What every generated message's codec is made of: the decoding loop
//! (keys and nesting our own, varint scalars through `merge_*`, the other
//! values through prost's encoding functions) and the encoders of keys and
//! values (`put_*`).
//!
//! Keys are read as the reference does: at most 5 bytes, a value that fits
//! 32 bits (prost reads 10). Nesting (messages and unknown groups) counts
//! against one depth limit per thread, prost's default of 100, since
//! prost's `DecodeContext` cannot be stepped down from outside prost.
//! A [`crate::DecodeBudget`] sets that limit for one decode, and the number
//! of elements (repeated message entries, map entries, unknown fields) it
//! may create; outside one, elements are not limited.

use crate::budget::{Budget, DecodeBudget};
use bytes::{Buf, BufMut};
use prost::DecodeError;
use prost::encoding::{DecodeContext, WireType, check_wire_type, decode_varint, encode_varint};
use std::cell::Cell;
use std::collections::BTreeMap;

/// How deep messages may nest below the one being decoded.
const MAX_DEPTH: u32 = DecodeBudget::DEFAULT_MAX_DEPTH;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// The depth limit of the decode running on this thread.
    static DEPTH_LIMIT: Cell<u32> = const { Cell::new(MAX_DEPTH) };
    /// Elements the budgeted decode running on this thread may still
    /// create (`u64::MAX` outside one: counting down from there never
    /// ends).
    static ELEMENTS_LEFT: Cell<u64> = const { Cell::new(u64::MAX) };
    /// The budget that a budgeted decode ran out of, and its limit.
    static EXCEEDED: Cell<Option<(Budget, u64)>> = const { Cell::new(None) };
    /// The element limit of the budgeted decode running on this thread.
    static ELEMENT_LIMIT: Cell<u64> = const { Cell::new(u64::MAX) };
    /// Whether a budgeted decode is running on this thread.
    static BUDGETED: Cell<bool> = const { Cell::new(false) };
}

#[cold]
fn too_deep() -> DecodeError {
    let limit = DEPTH_LIMIT.get();
    if !BUDGETED.get() {
        return decode_error("recursion limit reached");
    }
    EXCEEDED.set(Some((Budget::Depth, u64::from(limit))));
    budget_error(Budget::Depth, u64::from(limit))
}

#[cold]
fn out_of_elements() -> DecodeError {
    let limit = ELEMENT_LIMIT.get();
    EXCEEDED.set(Some((Budget::Elements, limit)));
    budget_error(Budget::Elements, limit)
}

#[allow(deprecated)]
fn budget_error(budget: Budget, limit: u64) -> DecodeError {
    DecodeError::new(format!("over the {budget} budget of {limit}"))
}

/// Counts one element (a repeated message entry, a map entry, an unknown
/// field) against the budget of the decode under way.
#[inline]
pub(crate) fn count_element() -> Result<(), DecodeError> {
    let left = ELEMENTS_LEFT.get();
    if left == 0 {
        return Err(out_of_elements());
    }
    ELEMENTS_LEFT.set(left - 1);
    Ok(())
}

/// While alive, decoding on this thread keeps to `budget`'s depth and
/// element limits; dropping it (also by unwinding) restores the limits
/// before.
pub(crate) struct Limits {
    depth: u32,
    left: u64,
    elements: u64,
    exceeded: Option<(Budget, u64)>,
    budgeted: bool,
}

impl Limits {
    pub(crate) fn start(budget: &DecodeBudget) -> Self {
        Self {
            depth: DEPTH_LIMIT.replace(budget.depth()),
            left: ELEMENTS_LEFT.replace(budget.elements()),
            elements: ELEMENT_LIMIT.replace(budget.elements()),
            exceeded: EXCEEDED.take(),
            budgeted: BUDGETED.replace(true),
        }
    }

    /// The budget the decode ran out of, if that is why it failed.
    pub(crate) fn exceeded(&self) -> Option<(Budget, u64)> {
        EXCEEDED.get()
    }
}

impl Drop for Limits {
    fn drop(&mut self) {
        DEPTH_LIMIT.set(self.depth);
        ELEMENTS_LEFT.set(self.left);
        ELEMENT_LIMIT.set(self.elements);
        EXCEEDED.set(self.exceeded);
        BUDGETED.set(self.budgeted);
    }
}

#[allow(deprecated)]
pub(crate) fn decode_error(description: &'static str) -> DecodeError {
    DecodeError::new(description)
}

/// One level of nesting; leaving it (also by unwinding) steps back up.
pub struct Depth(());

impl Drop for Depth {
    #[inline]
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

/// Goes one level deeper, or fails past the limit.
// Inlined: called out of line, it was 2.4% of decoding a FlightInfo.
#[inline]
pub fn enter() -> Result<Depth, DecodeError> {
    DEPTH.with(|depth| {
        if depth.get() >= DEPTH_LIMIT.get() {
            return Err(too_deep());
        }
        depth.set(depth.get() + 1);
        Ok(Depth(()))
    })
}

/// Reads a field key: at most 5 bytes, fitting 32 bits, a field number of
/// at least 1 and a known wire type.
// Always inlined, as prost's own `decode_key` is: called out of line it cost
// 28 instructions a key where the one-byte path takes about 15. Longer keys
// go to `decode_long_key`, out of line.
#[inline(always)]
pub fn decode_key(buf: &mut impl Buf) -> Result<(u32, WireType), DecodeError> {
    // Fields 1 to 15 have one-byte keys: read those straight from the chunk.
    if let Some(&byte) = buf.chunk().first()
        && byte < 0x80
    {
        buf.advance(1);
        let wire_type = WireType::try_from(u64::from(byte & 7))?;
        let number = u32::from(byte >> 3);
        if number == 0 {
            return Err(decode_error("field number 0"));
        }
        return Ok((number, wire_type));
    }
    decode_long_key(buf)
}

/// `decode_key` for keys of more than one byte (or an empty buffer).
#[inline(never)]
fn decode_long_key(buf: &mut impl Buf) -> Result<(u32, WireType), DecodeError> {
    let mut key: u64 = 0;
    for i in 0..5 {
        if !buf.has_remaining() {
            return Err(decode_error("buffer underflow"));
        }
        let byte = buf.get_u8();
        key |= u64::from(byte & 0x7f) << (7 * i);
        if byte < 0x80 {
            let key = u32::try_from(key).map_err(|_| decode_error("field key exceeds 32 bits"))?;
            let wire_type = WireType::try_from(u64::from(key & 7))?;
            let number = key >> 3;
            if number == 0 {
                return Err(decode_error("field number 0"));
            }
            return Ok((number, wire_type));
        }
    }
    Err(decode_error("field key longer than 5 bytes"))
}

/// Writes a field key whose bytes the generator worked out: the one byte
/// of fields 1 to 15 is pushed as it is, where prost's `encode_key` runs
/// its varint loop out of line for every field (a tenth of encoding a
/// two-byte message).
#[inline(always)]
pub fn put_key(key: &[u8], buf: &mut impl BufMut) {
    match key {
        [byte] => buf.put_u8(*byte),
        _ => buf.put_slice(key),
    }
}

/// Writes `value` as a varint: below 128 one byte, inline; longer ones
/// through prost.
#[inline(always)]
pub fn put_varint(value: u64, buf: &mut impl BufMut) {
    match u8::try_from(value) {
        Ok(byte) if byte < 0x80 => buf.put_u8(byte),
        _ => encode_varint(value, buf),
    }
}

/// The value encoders for the generator's code, one per scalar type,
/// named after prost's `encoding` modules and writing what they write
/// after the key.
macro_rules! put_scalars {
    ($($name:ident($ty:ty) => |$value:ident, $buf:ident| $body:expr;)*) => {$(
        #[doc = concat!("Writes a `", stringify!($ty), "` value as `", stringify!($name), "` does after its key.")]
        #[inline(always)]
        pub fn $name(value: &$ty, buf: &mut impl BufMut) {
            let ($value, $buf) = (*value, buf);
            $body
        }
    )*};
}

put_scalars! {
    put_int32(i32) => |value, buf| put_varint(i64::from(value) as u64, buf);
    put_int64(i64) => |value, buf| put_varint(value as u64, buf);
    put_uint32(u32) => |value, buf| put_varint(u64::from(value), buf);
    put_uint64(u64) => |value, buf| put_varint(value, buf);
    put_sint32(i32) => |value, buf| put_varint(u64::from(((value << 1) ^ (value >> 31)) as u32), buf);
    put_sint64(i64) => |value, buf| put_varint(((value << 1) ^ (value >> 63)) as u64, buf);
    put_bool(bool) => |value, buf| buf.put_u8(u8::from(value));
    put_fixed32(u32) => |value, buf| buf.put_u32_le(value);
    put_fixed64(u64) => |value, buf| buf.put_u64_le(value);
    put_sfixed32(i32) => |value, buf| buf.put_i32_le(value);
    put_sfixed64(i64) => |value, buf| buf.put_i64_le(value);
    put_float(f32) => |value, buf| buf.put_f32_le(value);
    put_double(f64) => |value, buf| buf.put_f64_le(value);
}

/// Writes a `string` value: its length, then its bytes.
#[inline(always)]
pub fn put_string(value: &str, buf: &mut impl BufMut) {
    put_bytes(value.as_bytes(), buf);
}

/// Writes a `bytes` value: its length, then the bytes as one slice (prost
/// appends a `Bytes` by cloning it and copying its chunks, a reference
/// count up and down per field).
#[inline(always)]
pub fn put_bytes(value: &[u8], buf: &mut impl BufMut) {
    put_varint(value.len() as u64, buf);
    buf.put_slice(value);
}

/// Writes a nested message: its length, then its fields.
#[inline]
pub fn put_message(value: &impl prost::Message, buf: &mut impl BufMut) {
    put_varint(value.encoded_len() as u64, buf);
    value.encode_raw(buf);
}

/// The varint decoders for the generator's code, named after prost's
/// `encoding` modules and reading what their `merge` reads, inlined into
/// each message's `merge_field` (prost's are calls of their own).
macro_rules! merge_varints {
    ($($name:ident($ty:ty) => |$raw:ident| $value:expr;)*) => {$(
        #[doc = concat!("Reads a `", stringify!($ty), "` value as `", stringify!($name), "` does.")]
        #[inline(always)]
        pub fn $name(
            wire_type: WireType,
            value: &mut $ty,
            buf: &mut impl Buf,
        ) -> Result<(), DecodeError> {
            check_wire_type(WireType::Varint, wire_type)?;
            let $raw = decode_varint(buf)?;
            *value = $value;
            Ok(())
        }
    )*};
}

merge_varints! {
    merge_int32(i32) => |raw| raw as i32;
    merge_int64(i64) => |raw| raw as i64;
    merge_uint32(u32) => |raw| raw as u32;
    merge_uint64(u64) => |raw| raw;
    merge_sint32(i32) => |raw| ((raw as u32 >> 1) as i32) ^ -((raw & 1) as i32);
    merge_sint64(i64) => |raw| ((raw >> 1) as i64) ^ -((raw & 1) as i64);
    merge_bool(bool) => |raw| raw != 0;
}

/// Merges fields into `message` until `buf` ends: the whole input.
#[inline]
pub fn merge_top<M: prost::Message>(
    message: &mut M,
    buf: &mut impl Buf,
) -> Result<(), DecodeError> {
    while buf.has_remaining() {
        let (number, wire_type) = decode_key(buf)?;
        message.merge_field(number, wire_type, buf, DecodeContext::default())?;
    }
    Ok(())
}

/// Merges a length-delimited message field into `message`, one level deeper.
pub fn merge_message<M: prost::Message>(
    wire_type: WireType,
    message: &mut M,
    buf: &mut impl Buf,
    ctx: DecodeContext,
) -> Result<(), DecodeError> {
    merge_delimited(
        wire_type,
        "a message field must be length-delimited",
        buf,
        |number, wire_type, buf| message.merge_field(number, wire_type, buf, ctx.clone()),
    )
}

/// Reads a length-delimited field, one level deeper, handing each field
/// inside it (key already read) to `field`; `not_delimited` is the error
/// for any other wire type.
fn merge_delimited<B: Buf>(
    wire_type: WireType,
    not_delimited: &'static str,
    buf: &mut B,
    mut field: impl FnMut(u32, WireType, &mut B) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    if wire_type != WireType::LengthDelimited {
        return Err(decode_error(not_delimited));
    }
    let _depth = enter()?;
    let len = decode_varint(buf)?;
    let remaining = buf.remaining();
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > remaining {
        return Err(decode_error("buffer underflow"));
    }
    let limit = remaining - len;
    while buf.remaining() > limit {
        let (number, wire_type) = decode_key(buf)?;
        field(number, wire_type, buf)?;
    }
    if buf.remaining() != limit {
        return Err(decode_error("delimited length exceeded"));
    }
    Ok(())
}

/// Merges one more element of a repeated message field.
pub fn merge_repeated_message<M: prost::Message + Default>(
    wire_type: WireType,
    messages: &mut Vec<M>,
    buf: &mut impl Buf,
    ctx: DecodeContext,
) -> Result<(), DecodeError> {
    count_element()?;
    // Decoded in place: decoding into a local and pushing it moved each
    // element with a `memcpy` call (a FlightEndpoint is 150 bytes), and so
    // does pushing a default one.
    messages.resize_with(messages.len() + 1, M::default);
    let Some(message) = messages.last_mut() else {
        return Ok(());
    };
    let merged = merge_message(wire_type, message, buf, ctx);
    if merged.is_err() {
        messages.pop();
    }
    merged
}

/// Merges one entry of a map field, one level deeper (an entry is a
/// message on the wire): a missing key or value is its default, a repeated
/// key keeps the last value.
pub fn merge_map_entry<K, V, B, KM, VM>(
    wire_type: WireType,
    map: &mut std::collections::BTreeMap<K, V>,
    buf: &mut B,
    ctx: DecodeContext,
    merge_key: KM,
    merge_value: VM,
) -> Result<(), DecodeError>
where
    K: Default + Ord,
    V: Default,
    B: Buf,
    KM: Fn(WireType, &mut K, &mut B, DecodeContext) -> Result<(), DecodeError>,
    VM: Fn(WireType, &mut V, &mut B, DecodeContext) -> Result<(), DecodeError>,
{
    count_element()?;
    let mut key = K::default();
    let mut value = V::default();
    merge_delimited(
        wire_type,
        "a map entry must be length-delimited",
        buf,
        |number, wire_type, buf| match number {
            1 => merge_key(wire_type, &mut key, buf, ctx.clone()),
            2 => merge_value(wire_type, &mut value, buf, ctx.clone()),
            _ => crate::UnknownFields::new().merge_field(number, wire_type, buf, ctx.clone()),
        },
    )?;
    map.insert(key, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_longer_than_five_bytes_or_wider_than_32_bits_are_errors() {
        let mut overlong: &[u8] = &[0x88, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        assert!(decode_key(&mut overlong).is_err());
        let mut wide: &[u8] = &[0xff, 0xff, 0xff, 0xff, 0x1f];
        assert!(decode_key(&mut wide).is_err());
        let mut five: &[u8] = &[0xf8, 0xff, 0xff, 0xff, 0x0f];
        assert_eq!(decode_key(&mut five).unwrap().0, (1 << 29) - 1);
        let mut zero: &[u8] = &[0x00];
        assert!(decode_key(&mut zero).is_err());
        let mut non_minimal: &[u8] = &[0x88, 0x00];
        assert_eq!(decode_key(&mut non_minimal).unwrap(), (1, WireType::Varint));
    }
}

/// The order in which the reference (upb's deterministic serialization,
/// Python protobuf 7.36.2) writes the entries of a map, by key type:
/// numbers from the largest to the smallest as unsigned bits of their width
/// (so `-1` comes first), `true` before `false`, and strings byte-wise but a
/// key before its own prefixes (`"ab"`, `"a"`, `"b"`).
pub trait MapKey: Ord + Sized {
    /// The entries of `map` in the reference's order.
    fn reference_order<V>(map: &BTreeMap<Self, V>) -> Vec<(&Self, &V)>;
}

macro_rules! descending_as_unsigned {
    ($($key:ty => $bits:ty),*) => {$(
        impl MapKey for $key {
            fn reference_order<V>(map: &BTreeMap<Self, V>) -> Vec<(&Self, &V)> {
                let mut entries: Vec<(&Self, &V)> = map.iter().collect();
                entries.sort_by_key(|(key, _)| std::cmp::Reverse(**key as $bits));
                entries
            }
        }
    )*};
}
descending_as_unsigned!(i32 => u32, i64 => u64, u32 => u32, u64 => u64);

impl MapKey for bool {
    fn reference_order<V>(map: &BTreeMap<Self, V>) -> Vec<(&Self, &V)> {
        map.iter().rev().collect()
    }
}

impl MapKey for String {
    fn reference_order<V>(map: &BTreeMap<Self, V>) -> Vec<(&Self, &V)> {
        crate::map_fields::ordered(map)
    }
}

/// Writes every entry of a map field with its key and its value, defaults
/// included, in the reference's order: the bytes upb writes (prost leaves
/// default keys and values out).
#[inline]
pub fn encode_map<K, V, B, KE, KL, VE, VL>(
    tag: u32,
    map: &BTreeMap<K, V>,
    key: (KE, KL),
    value: (VE, VL),
    buf: &mut B,
) where
    K: MapKey,
    B: BufMut,
    KE: Fn(u32, &K, &mut B),
    KL: Fn(u32, &K) -> usize,
    VE: Fn(u32, &V, &mut B),
    VL: Fn(u32, &V) -> usize,
{
    let (key_encode, key_len) = key;
    let (value_encode, value_len) = value;
    for (k, v) in K::reference_order(map) {
        let len = key_len(1, k) + value_len(2, v);
        prost::encoding::encode_key(tag, WireType::LengthDelimited, buf);
        encode_varint(len as u64, buf);
        key_encode(1, k, buf);
        value_encode(2, v, buf);
    }
}

/// The encoded length of a map field as [`encode_map`] writes it.
#[inline]
pub fn encoded_len_map<K, V, KL, VL>(
    tag: u32,
    map: &BTreeMap<K, V>,
    key_len: KL,
    value_len: VL,
) -> usize
where
    KL: Fn(u32, &K) -> usize,
    VL: Fn(u32, &V) -> usize,
{
    map.iter()
        .map(|(k, v)| {
            let len = key_len(1, k) + value_len(2, v);
            prost::encoding::key_len(tag) + prost::encoding::encoded_len_varint(len as u64) + len
        })
        .sum()
}

#[cfg(test)]
mod map_tests {
    use super::*;
    use prost::encoding::{int32, string};

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    // Expected bytes: Python protobuf 7.36.2 (upb), SerializeToString(
    // deterministic=True) of `map<int32, string> a = 3` holding these.
    #[test]
    fn integer_keys_go_from_the_largest_unsigned_bits_down_defaults_written() {
        let map: BTreeMap<i32, String> = [(5, String::new()), (-1, "v".into()), (0, "z".into())]
            .into_iter()
            .collect();
        let mut buf = Vec::new();
        encode_map(
            3,
            &map,
            (int32::encode, int32::encoded_len),
            (string::encode, string::encoded_len),
            &mut buf,
        );
        assert_eq!(
            hex(&buf),
            "1a0e08ffffffffffffffffff011201761a04080512001a05080012017a"
        );
        assert_eq!(
            buf.len(),
            encoded_len_map(3, &map, int32::encoded_len, string::encoded_len)
        );
    }

    // The order upb printed for keys [5, -1, 0, 3, 100, -7, 2] of int32,
    // int64 and sint32 maps, and for bool keys.
    #[test]
    fn the_reference_orders_of_every_key_type() {
        let keys = [5, -1, 0, 3, 100, -7, 2];
        let map: BTreeMap<i32, ()> = keys.iter().map(|k| (*k, ())).collect();
        let order: Vec<i32> = i32::reference_order(&map)
            .into_iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(order, [-1, -7, 100, 5, 3, 2, 0]);
        let map: BTreeMap<i64, ()> = keys.iter().map(|k| (i64::from(*k), ())).collect();
        let order: Vec<i64> = i64::reference_order(&map)
            .into_iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(order, [-1, -7, 100, 5, 3, 2, 0]);
        let map: BTreeMap<bool, ()> = [(false, ()), (true, ())].into_iter().collect();
        let order: Vec<bool> = bool::reference_order(&map)
            .into_iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(order, [true, false]);
    }
}
