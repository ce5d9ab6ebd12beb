//! `google.protobuf.Struct`, written by hand so that its map entries are
//! encoded like the reference does (see `crate::map_fields`).

use super::Value;
use crate::map_fields;
use bytes::{Buf, BufMut};
use prost::encoding::{DecodeContext, WireType};
use prost::{DecodeError, Message, Name};
use std::collections::BTreeMap;

/// A JSON object (`google.protobuf.Struct`).
///
/// ```
/// use cancelwire::wkt::{Struct, Value};
/// use prost::Message;
///
/// let object = Struct { fields: [("k".to_string(), Value::default())].into_iter().collect(), ..Default::default() };
/// // The entry keeps its empty value, as protobuf C++ and upb write it.
/// assert_eq!(object.encode_to_vec(), [0x0a, 0x05, 0x0a, 0x01, b'k', 0x12, 0x00]);
/// assert_eq!(Struct::decode(object.encode_to_vec().as_slice())?, object);
/// # Ok::<(), prost::DecodeError>(())
/// ```
#[derive(Clone, PartialEq, Default, Debug)]
pub struct Struct {
    /// The members, by name.
    pub fields: BTreeMap<String, Value>,
    /// Fields this version of the schema does not know, kept as they arrived.
    pub unknown_fields: crate::UnknownFields,
}

impl Struct {
    /// Forgets the unknown fields of this message and of every message in
    /// it, as if they had never arrived.
    pub fn discard_unknown_fields(&mut self) {
        self.unknown_fields.clear();
        for value in self.fields.values_mut() {
            value.discard_unknown_fields();
        }
    }
}

impl Message for Struct {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        map_fields::encode(
            1,
            &self.fields,
            &map_fields::messages::<Value, _, &[u8]>(),
            buf,
        );
        self.unknown_fields.encode_raw(buf);
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        if tag == 1 {
            map_fields::merge(
                &mut self.fields,
                &map_fields::messages::<Value, Vec<u8>, _>(),
                buf,
                ctx,
            )
            .map_err(|error| crate::decode::in_field(error, "Struct", "fields"))
        } else {
            self.unknown_fields.merge_field(tag, wire_type, buf, ctx)
        }
    }

    fn encoded_len(&self) -> usize {
        map_fields::encoded_len(
            1,
            &self.fields,
            &map_fields::messages::<Value, Vec<u8>, &[u8]>(),
        ) + self.unknown_fields.encoded_len()
    }

    fn clear(&mut self) {
        *self = Self::default();
    }
}

impl Name for Struct {
    const NAME: &'static str = "Struct";
    const PACKAGE: &'static str = "google.protobuf";

    fn type_url() -> String {
        "type.googleapis.com/google.protobuf.Struct".into()
    }
}
