//! Binary decoding with errors that name the message type.

use bytes::Buf;
use prost::{Message, Name};

/// Why bytes could not be decoded as a message: the message type and the
/// decoder's reason, which names the field path where prost knows it.
///
/// ```
/// use cancelwire::flight::Location;
///
/// let err = cancelwire::decode::<Location>(&[0x0a, 0x02, 0xc3, 0x28][..]).unwrap_err();
/// assert_eq!(err.type_name(), "arrow.flight.protocol.Location");
/// assert!(err.to_string().contains("Location.uri"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    type_name: String,
    source: prost::DecodeError,
}

impl DecodeError {
    /// Full protobuf name of the message that was being decoded.
    ///
    /// ```
    /// let err = cancelwire::decode::<cancelwire::rpc::Status>(&[0x08][..]).unwrap_err();
    /// assert_eq!(err.type_name(), "google.rpc.Status");
    /// ```
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// The underlying prost error.
    ///
    /// ```
    /// let err = cancelwire::decode::<cancelwire::flight::Ticket>(&[0x0e][..]).unwrap_err();
    /// assert!(err.prost_error().to_string().contains("wire type"));
    /// ```
    pub fn prost_error(&self) -> &prost::DecodeError {
        &self.source
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid binary {}: {}", self.type_name, self.source)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Decodes one message from protobuf binary.
///
/// Pass a [`bytes::Bytes`] to make every `bytes` field of the result a slice
/// of that buffer instead of a copy. Unknown fields are skipped; malformed
/// input (truncation, bad varints, invalid wire types or field numbers,
/// invalid UTF-8 in strings, nesting deeper than 100) is an error, never a
/// panic.
///
/// ```
/// use bytes::Bytes;
/// use cancelwire::flight::Ticket;
///
/// let wire = Bytes::from_static(b"\x0a\x05hello");
/// let ticket: Ticket = cancelwire::decode(wire.clone())?;
/// assert_eq!(ticket.ticket, "hello");
/// assert_eq!(ticket.ticket.as_ptr(), wire[2..].as_ptr()); // no copy
/// # Ok::<(), cancelwire::DecodeError>(())
/// ```
#[inline]
pub fn decode<M: Message + Name + Default>(buf: impl Buf) -> Result<M, DecodeError> {
    decode_whole(buf)
}

/// Like [`decode`], but drops the fields the schema does not know, in the
/// message and every message in it (they are still checked): what a
/// consumer that never re-encodes may want, and how to compare a message
/// with its known fields only.
///
/// ```
/// use cancelwire::flight::Ticket;
///
/// let wire: &[u8] = b"\x0a\x01t\x98\x06\x2a"; // field 99 is unknown
/// let kept: Ticket = cancelwire::decode(wire)?;
/// let dropped: Ticket = cancelwire::decode_without_unknown_fields(wire)?;
/// assert_eq!(kept.unknown_fields.len(), 1);
/// assert!(dropped.unknown_fields.is_empty());
/// assert!(cancelwire::decode_without_unknown_fields::<Ticket>(&b"\x98"[..]).is_err());
/// # Ok::<(), cancelwire::DecodeError>(())
/// ```
pub fn decode_without_unknown_fields<M: Message + Name + Default>(
    buf: impl Buf,
) -> Result<M, DecodeError> {
    let _discarding = crate::unknown_fields::Discarding::start();
    decode_whole(buf)
}

#[inline]
fn decode_whole<M: Message + Name + Default>(buf: impl Buf) -> Result<M, DecodeError> {
    merge_whole(buf).map_err(|source| DecodeError {
        type_name: M::full_name(),
        source,
    })
}

/// Decodes a whole message, what prost's `Message::decode` does.
// Inlined, with `wire::merge_top`: for a small message the calls are a
// real share of the work (a 2-byte CancelFlightInfoResult took 160
// instructions with them, 139 without). Not prost's `Message::decode`:
// that moves the buffer into a frame of its own and hands the fields'
// decoders `&mut B`, so every read goes through one more pointer. Here
// they get the caller's `B` in place: the 2-byte result 8.3 -> 7.5 ns, a
// CancelFlightInfoRequest with 10 endpoints 1.68 -> 1.52 us.
#[inline]
pub(crate) fn merge_whole<M: Message + Default>(
    mut buf: impl Buf,
) -> Result<M, prost::DecodeError> {
    let mut message = M::default();
    crate::wire::merge_top(&mut message, &mut buf)?;
    Ok(message)
}

/// Adds the message and field a decode error happened in, as prost's derive
/// does, for the messages whose `Message` impl is written by hand.
pub(crate) fn in_field(
    mut error: prost::DecodeError,
    message: &'static str,
    field: &'static str,
) -> prost::DecodeError {
    error.push(message, field);
    error
}
