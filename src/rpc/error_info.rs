//! `google.rpc.ErrorInfo`, written by hand so that its map entries are
//! encoded as the reference encodes them (see `crate::map_fields`).

use crate::decode::in_field as at;
use crate::map_fields::{self, ValueCodec};
use bytes::{Buf, BufMut};
use prost::encoding::{self, DecodeContext, WireType};
use prost::{DecodeError, Message, Name};
use std::collections::BTreeMap;

fn strings<B: BufMut, D: Buf>() -> ValueCodec<String, B, D> {
    map_fields::strings()
}

/// Why an error happened, as a stable machine-readable reason
/// (`google.rpc.ErrorInfo`).
///
/// ```
/// use cancelwire::rpc::ErrorInfo;
/// use prost::Message;
///
/// let info = ErrorInfo {
///     reason: "QUOTA".into(),
///     domain: "example.com".into(),
///     metadata: [("k".to_string(), String::new())].into_iter().collect(),
///     ..Default::default()
/// };
/// // Map entries keep their empty value on the wire, as protobuf C++ and upb write them.
/// assert!(info.encode_to_vec().ends_with(&[0x1a, 0x05, 0x0a, 0x01, b'k', 0x12, 0x00]));
/// assert_eq!(ErrorInfo::decode(info.encode_to_vec().as_slice())?, info);
/// # Ok::<(), prost::DecodeError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
pub struct ErrorInfo {
    /// UPPER_SNAKE_CASE reason, unique within `domain`.
    pub reason: String,
    /// The service or organisation that defines `reason`.
    pub domain: String,
    /// Extra structured context; keys are lowerCamelCase.
    pub metadata: BTreeMap<String, String>,
    /// Fields this version of the schema does not know, kept as they arrived.
    pub unknown_fields: crate::UnknownFields,
}

impl ErrorInfo {
    /// Forgets the unknown fields of this message and of every message in
    /// it, as if they had never arrived.
    pub fn discard_unknown_fields(&mut self) {
        self.unknown_fields.clear();
    }
}

impl Message for ErrorInfo {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        if !self.reason.is_empty() {
            encoding::string::encode(1, &self.reason, buf);
        }
        if !self.domain.is_empty() {
            encoding::string::encode(2, &self.domain, buf);
        }
        map_fields::encode(3, &self.metadata, &strings::<_, &[u8]>(), buf);
        self.unknown_fields.encode_raw(buf);
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        const NAME: &str = "ErrorInfo";
        match tag {
            1 => encoding::string::merge(wire_type, &mut self.reason, buf, ctx)
                .map_err(|e| at(e, NAME, "reason")),
            2 => encoding::string::merge(wire_type, &mut self.domain, buf, ctx)
                .map_err(|e| at(e, NAME, "domain")),
            3 => map_fields::merge(&mut self.metadata, &strings::<Vec<u8>, _>(), buf, ctx)
                .map_err(|e| at(e, NAME, "metadata")),
            _ => self.unknown_fields.merge_field(tag, wire_type, buf, ctx),
        }
    }

    fn encoded_len(&self) -> usize {
        let mut len = 0;
        if !self.reason.is_empty() {
            len += encoding::string::encoded_len(1, &self.reason);
        }
        if !self.domain.is_empty() {
            len += encoding::string::encoded_len(2, &self.domain);
        }
        len + map_fields::encoded_len(3, &self.metadata, &strings::<Vec<u8>, &[u8]>())
            + self.unknown_fields.encoded_len()
    }

    fn clear(&mut self) {
        *self = Self::default();
    }
}

impl Name for ErrorInfo {
    const NAME: &'static str = "ErrorInfo";
    const PACKAGE: &'static str = "google.rpc";

    fn type_url() -> String {
        "type.googleapis.com/google.rpc.ErrorInfo".into()
    }
}
