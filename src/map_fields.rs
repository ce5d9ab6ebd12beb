//! Map fields encoded the way the reference implementations do it.
//!
//! On the wire a map is a repeated entry message `{key = 1; value = 2}`.
//! upb, protobuf C++ and Arrow C++ write both fields of every entry, even
//! when the key or value is the default (`"k" => ""` is `0a 01 6b 12 00`);
//! prost leaves defaults out (`0a 01 6b`). Both decode the same, but the
//! bytes differ, so the few messages with maps encode their entries here.
//!
//! Entry order follows upb's deterministic serialization, which made the
//! reference vectors: keys compare byte-wise, except that when one key is a
//! prefix of the other the longer one goes first (`"ab"`, `"a"`, `"b"`).
//! For keys where neither is a prefix of the other this is plain key order,
//! the order of the `BTreeMap`.

use bytes::{Buf, BufMut};
use prost::DecodeError;
use prost::encoding::{
    self, DecodeContext, WireType, encode_key, encode_varint, encoded_len_varint, key_len,
};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// How one value type of a map is written and read.
pub(crate) struct ValueCodec<V, B: BufMut, D: Buf> {
    pub encode: fn(u32, &V, &mut B),
    pub encoded_len: fn(u32, &V) -> usize,
    pub merge: fn(WireType, &mut V, &mut D, DecodeContext) -> Result<(), DecodeError>,
}

fn entry_len<V>(key: &str, value: &V, value_len: fn(u32, &V) -> usize) -> usize {
    key_len(1) + encoded_len_varint(key.len() as u64) + key.len() + value_len(2, value)
}

/// upb's order of map keys: byte-wise, but a key goes before its prefixes.
fn upb_key_order(a: &str, b: &str) -> Ordering {
    a.bytes()
        .zip(b.bytes())
        .map(|(x, y)| x.cmp(&y))
        .find(|order| order.is_ne())
        .unwrap_or_else(|| b.len().cmp(&a.len()))
}

/// The entries in upb's order; borrowed from the map when that is already
/// its order (no key is a prefix of the next one).
pub(crate) fn ordered<V>(map: &BTreeMap<String, V>) -> Vec<(&String, &V)> {
    let mut entries: Vec<(&String, &V)> = map.iter().collect();
    let needs_sorting = entries
        .windows(2)
        .any(|pair| matches!(pair, [(a, _), (b, _)] if b.starts_with(a.as_str())));
    if needs_sorting {
        entries.sort_by(|(a, _), (b, _)| upb_key_order(a, b));
    }
    entries
}

/// Writes every entry with both its key and its value.
pub(crate) fn encode<V, B: BufMut, D: Buf>(
    tag: u32,
    map: &BTreeMap<String, V>,
    codec: &ValueCodec<V, B, D>,
    buf: &mut B,
) {
    for (key, value) in ordered(map) {
        let len = entry_len(key, value, codec.encoded_len);
        encode_key(tag, WireType::LengthDelimited, buf);
        encode_varint(len as u64, buf);
        encoding::string::encode(1, key, buf);
        (codec.encode)(2, value, buf);
    }
}

pub(crate) fn encoded_len<V, B: BufMut, D: Buf>(
    tag: u32,
    map: &BTreeMap<String, V>,
    codec: &ValueCodec<V, B, D>,
) -> usize {
    map.iter()
        .map(|(key, value)| {
            let len = entry_len(key, value, codec.encoded_len);
            key_len(tag) + encoded_len_varint(len as u64) + len
        })
        .sum()
}

/// Reads one entry; a missing key or value is its default, and a repeated
/// key keeps the last value, as everywhere in protobuf.
pub(crate) fn merge<V: Default, B: BufMut, D: Buf>(
    map: &mut BTreeMap<String, V>,
    codec: &ValueCodec<V, B, D>,
    buf: &mut D,
    ctx: DecodeContext,
) -> Result<(), DecodeError> {
    crate::wire::merge_map_entry(
        WireType::LengthDelimited,
        map,
        buf,
        ctx,
        encoding::string::merge,
        codec.merge,
    )
}

/// `map<string, string>`.
pub(crate) fn strings<B: BufMut, D: Buf>() -> ValueCodec<String, B, D> {
    ValueCodec {
        encode: encoding::string::encode,
        encoded_len: encoding::string::encoded_len,
        merge: encoding::string::merge,
    }
}

/// `map<string, SomeMessage>`.
pub(crate) fn messages<M: prost::Message + Default, B: BufMut, D: Buf>() -> ValueCodec<M, B, D> {
    ValueCodec {
        encode: encoding::message::encode,
        encoded_len: encoding::message::encoded_len,
        merge: crate::wire::merge_message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(keys: &[(&str, &str)]) -> String {
        let map: BTreeMap<String, String> = keys
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut buf = Vec::new();
        encode(3, &map, &strings::<Vec<u8>, &[u8]>(), &mut buf);
        assert_eq!(
            buf.len(),
            encoded_len(3, &map, &strings::<Vec<u8>, &[u8]>())
        );
        buf.iter().map(|b| format!("{b:02x}")).collect()
    }

    // Expected bytes: what Python protobuf 7.36.2 (upb) printed for
    // google.rpc.ErrorInfo.metadata with SerializeToString(deterministic=True).
    #[test]
    fn default_keys_and_values_are_written_like_upb() {
        assert_eq!(
            encoded(&[("k", ""), ("", "v")]),
            "1a050a016b12001a050a00120176"
        );
    }

    #[test]
    fn a_key_goes_before_its_prefixes_like_upb() {
        assert_eq!(
            encoded(&[("b", "1"), ("a", "2"), ("ab", "3")]),
            "1a070a0261621201331a060a01611201321a060a0162120131"
        );
    }

    #[test]
    fn upb_order_is_byte_wise_for_unrelated_keys() {
        assert_eq!(upb_key_order("a_key", "b_key"), Ordering::Less);
        assert_eq!(upb_key_order("ab", "a"), Ordering::Less);
        assert_eq!(upb_key_order("a", "a"), Ordering::Equal);
        assert_eq!(upb_key_order("\u{e9}", "z"), Ordering::Greater);
    }
}
