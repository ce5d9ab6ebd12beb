//! Infallible packing into `Any`, for the crate's own helpers.

use super::Any;
use prost::Name;

/// Packs a message with its `type.googleapis.com/<full name>` URL. Encoding
/// into a `Vec` cannot run out of room, so unlike `Any::from_msg` this
/// cannot fail.
pub(crate) fn pack<M: Name>(message: &M) -> Any {
    Any {
        type_url: M::type_url(),
        value: message.encode_to_vec().into(),
        unknown_fields: crate::UnknownFields::new(),
    }
}
