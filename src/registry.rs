//! Message types by full protobuf name, for code that learns the type at run
//! time: `Any` payloads, the CLI, generic tooling.

use crate::DecodeError;
use bytes::Bytes;
use prost::{Message, Name};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::Any as StdAny;
use std::collections::BTreeMap;
use std::fmt;

include!(concat!(env!("OUT_DIR"), "/message_types.rs"));

/// A message whose concrete type is known only at run time.
///
/// Every prost message that implements [`prost::Name`] is one.
///
/// ```
/// use cancelwire::flight::Ticket;
/// use cancelwire::registry::DynMessage;
///
/// let boxed: Box<dyn DynMessage> = Box::new(Ticket { ticket: "t".into(), ..Default::default() });
/// assert_eq!(boxed.message_name(), "arrow.flight.protocol.Ticket");
/// assert_eq!(boxed.to_binary(), b"\x0a\x01t");
/// assert!(boxed.as_any().downcast_ref::<Ticket>().is_some());
/// ```
pub trait DynMessage: fmt::Debug + Send + Sync + 'static {
    /// Full protobuf name of the message's type.
    ///
    /// ```
    /// use cancelwire::registry::DynMessage;
    /// assert_eq!(cancelwire::rpc::Status::default().message_name(), "google.rpc.Status");
    /// ```
    fn message_name(&self) -> String;

    /// The canonical binary encoding.
    ///
    /// ```
    /// use cancelwire::registry::DynMessage;
    /// let status = cancelwire::rpc::Status { code: 5, ..Default::default() };
    /// assert_eq!(status.to_binary(), [0x08, 0x05]);
    /// ```
    fn to_binary(&self) -> Vec<u8>;

    /// The message as `std::any::Any`, to downcast to its concrete type.
    ///
    /// ```
    /// use cancelwire::registry::DynMessage;
    /// let status = cancelwire::rpc::Status::default();
    /// assert!(status.as_any().is::<cancelwire::rpc::Status>());
    /// ```
    fn as_any(&self) -> &dyn StdAny;

    /// Whether `other` is a message of the same type with equal fields.
    ///
    /// ```
    /// use cancelwire::registry::DynMessage;
    /// use cancelwire::flight::{Location, Ticket};
    ///
    /// let a = Ticket { ticket: "x".into(), ..Default::default() };
    /// assert!(a.dyn_eq(&a.clone()));
    /// assert!(!a.dyn_eq(&Location::default()));
    /// ```
    fn dyn_eq(&self, other: &dyn DynMessage) -> bool;

    /// The message as ProtoJSON with the default options, compact or
    /// indented by two spaces, through plain `serde_json`. For options and
    /// a typed [`JsonError`](crate::json::JsonError), call `to_json` on the
    /// `dyn DynMessage`.
    ///
    /// ```
    /// use cancelwire::json::JsonOptions;
    /// use cancelwire::registry::DynMessage;
    ///
    /// let status: Box<dyn DynMessage> = Box::new(cancelwire::rpc::Status { code: 5, ..Default::default() });
    /// assert_eq!(status.print_json(false)?, r#"{"code":5}"#);
    /// assert_eq!(status.to_json(&JsonOptions::new(), true)?, "{\n  \"code\": 5\n}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn print_json(&self, pretty: bool) -> Result<String, serde_json::Error>;
}

impl<M> DynMessage for M
where
    M: Message + Name + PartialEq + fmt::Debug + Serialize + 'static,
{
    fn message_name(&self) -> String {
        M::full_name()
    }

    fn to_binary(&self) -> Vec<u8> {
        Message::encode_to_vec(self)
    }

    fn as_any(&self) -> &dyn StdAny {
        self
    }

    fn dyn_eq(&self, other: &dyn DynMessage) -> bool {
        other.as_any().downcast_ref::<M>() == Some(self)
    }

    fn print_json(&self, pretty: bool) -> Result<String, serde_json::Error> {
        if pretty {
            serde_json::to_string_pretty(self)
        } else {
            serde_json::to_string(self)
        }
    }
}

/// What a message type needs to be in a [`Registry`]: prost encoding, a
/// protobuf name, and ProtoJSON through serde. Every message of this crate
/// is one; so is any prost message with `Name` and ProtoJSON serde impls.
///
/// ```
/// fn registrable<M: cancelwire::registry::Registrable>() {}
/// registrable::<cancelwire::longrunning::Operation>();
/// registrable::<cancelwire::wkt::Timestamp>();
/// ```
pub trait Registrable:
    Message + Name + Default + PartialEq + fmt::Debug + Serialize + DeserializeOwned + 'static
{
}

impl<M> Registrable for M where
    M: Message + Name + Default + PartialEq + fmt::Debug + Serialize + DeserializeOwned + 'static
{
}

/// Why the bytes of an `Any` could not become its JSON payload.
#[derive(Debug)]
pub(crate) enum PayloadError {
    /// The bytes are not a message of the type that the URL names.
    Decode {
        type_name: String,
        error: DecodeError,
    },
    /// The message has no JSON form; the check that found out has
    /// recorded the rule it broke.
    Print(serde_json::Error),
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Decode { type_name, error } => write!(
                f,
                "the Any's value is not a valid {type_name}: {}",
                error.prost_error()
            ),
            Self::Print(error) => error.fmt(f),
        }
    }
}

type ParseJson = fn(&str) -> Result<Box<dyn DynMessage>, serde_json::Error>;

/// How to work with one message type whose name is known only at run time.
///
/// ```
/// use cancelwire::registry::MessageType;
/// use cancelwire::flight::CancelFlightInfoResult;
///
/// let ty = MessageType::of::<CancelFlightInfoResult>();
/// assert_eq!(ty.full_name(), "arrow.flight.protocol.CancelFlightInfoResult");
/// let message = ty.decode(vec![0x08, 0x01].into())?;
/// assert_eq!(message.to_binary(), [0x08, 0x01]);
/// # Ok::<(), cancelwire::DecodeError>(())
/// ```
#[derive(Clone)]
pub struct MessageType {
    full_name: String,
    decode: fn(Bytes) -> Result<Box<dyn DynMessage>, DecodeError>,
    default: fn() -> Box<dyn DynMessage>,
    pub(crate) parse_json: ParseJson,
    binary_to_json_value: fn(Bytes) -> Result<serde_json::Value, PayloadError>,
    json_value_to_binary: fn(serde_json::Value) -> Result<Vec<u8>, serde_json::Error>,
}

impl MessageType {
    /// The entry for the message type `M`.
    ///
    /// ```
    /// use cancelwire::registry::MessageType;
    /// let ty = MessageType::of::<cancelwire::wkt::Duration>();
    /// assert_eq!(ty.full_name(), "google.protobuf.Duration");
    /// ```
    pub fn of<M>() -> Self
    where
        M: Registrable,
    {
        Self {
            full_name: M::full_name(),
            decode: |bytes| {
                // Unknown fields are kept as slices of the input.
                let _source = crate::unknown_fields::Source::start(&bytes);
                Ok(Box::new(crate::decode::<M>(bytes)?))
            },
            default: || Box::new(M::default()),
            // These run inside a JSON conversion of `cancelwire::json`,
            // which provides the options (and, for an Any's payload, the
            // conversion already under way).
            parse_json: |text| Ok(Box::new(serde_json::from_str::<M>(text)?)),
            binary_to_json_value: |bytes| {
                let _source = crate::unknown_fields::Source::start(&bytes);
                let message = crate::decode::<M>(bytes).map_err(|error| PayloadError::Decode {
                    type_name: M::full_name(),
                    error,
                })?;
                serde_json::to_value(&message).map_err(PayloadError::Print)
            },
            json_value_to_binary: |value| {
                let message: M = serde_json::from_value(value)?;
                Ok(Message::encode_to_vec(&message))
            },
        }
    }

    /// Full protobuf name of the type.
    ///
    /// ```
    /// let registry = cancelwire::registry::Registry::default();
    /// let ty = registry.get("google.rpc.Status").unwrap();
    /// assert_eq!(ty.full_name(), "google.rpc.Status");
    /// ```
    pub fn full_name(&self) -> &str {
        &self.full_name
    }

    /// Decodes binary input as this type. Pass a `Bytes` to keep `bytes`
    /// fields zero-copy.
    ///
    /// ```
    /// let registry = cancelwire::registry::Registry::default();
    /// let ty = registry.get("arrow.flight.protocol.Ticket").unwrap();
    /// assert!(ty.decode(vec![0x0e].into()).is_err()); // wire type 6
    /// ```
    pub fn decode(&self, bytes: Bytes) -> Result<Box<dyn DynMessage>, DecodeError> {
        (self.decode)(bytes)
    }

    /// Decodes binary input as this type within `budget` (see
    /// [`crate::decode_with`]): its length, nesting and elements.
    ///
    /// ```
    /// use cancelwire::{Budget, DecodeBudget};
    ///
    /// let registry = cancelwire::registry::Registry::default();
    /// let ty = registry.get("google.rpc.Status").unwrap();
    /// let wire = [0x1a, 0x00].repeat(3); // three details
    /// assert!(ty.decode_with(wire.clone().into(), &DecodeBudget::new()).is_ok());
    /// let err = ty.decode_with(wire.into(), &DecodeBudget::new().max_elements(2)).unwrap_err();
    /// assert_eq!(err.budget_exceeded().unwrap().budget(), Budget::Elements);
    /// assert_eq!(err.budget_exceeded().unwrap().path(), "google.rpc.Status.details");
    /// ```
    pub fn decode_with(
        &self,
        bytes: Bytes,
        budget: &crate::DecodeBudget,
    ) -> Result<Box<dyn DynMessage>, DecodeError> {
        crate::decode::budgeted(bytes, budget, || self.full_name.clone(), self.decode)
    }

    /// Decodes binary input as this type, dropping the fields the schema
    /// does not know (see [`crate::decode_without_unknown_fields`]).
    ///
    /// ```
    /// let registry = cancelwire::registry::Registry::default();
    /// let ty = registry.get("arrow.flight.protocol.Ticket").unwrap();
    /// let wire = vec![0x0a, 0x01, b't', 0x98, 0x06, 0x2a];
    /// assert_eq!(ty.decode(wire.clone().into())?.to_binary(), wire);
    /// assert_eq!(ty.decode_without_unknown_fields(wire.into())?.to_binary(), [0x0a, 0x01, b't']);
    /// # Ok::<(), cancelwire::DecodeError>(())
    /// ```
    pub fn decode_without_unknown_fields(
        &self,
        bytes: Bytes,
    ) -> Result<Box<dyn DynMessage>, DecodeError> {
        let _discarding = crate::unknown_fields::Discarding::start();
        (self.decode)(bytes)
    }

    /// A message of this type with every field at its default.
    ///
    /// ```
    /// let registry = cancelwire::registry::Registry::default();
    /// let empty = registry.get("google.protobuf.Empty").unwrap().default_message();
    /// assert!(empty.to_binary().is_empty());
    /// ```
    pub fn default_message(&self) -> Box<dyn DynMessage> {
        (self.default)()
    }

    pub(crate) fn binary_to_json_value(
        &self,
        bytes: Bytes,
    ) -> Result<serde_json::Value, PayloadError> {
        (self.binary_to_json_value)(bytes)
    }

    pub(crate) fn json_value_to_binary(
        &self,
        value: serde_json::Value,
    ) -> Result<Vec<u8>, serde_json::Error> {
        (self.json_value_to_binary)(value)
    }
}

impl fmt::Debug for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MessageType").field(&self.full_name).finish()
    }
}

/// Message types by full name: by default every message of this crate
/// (Flight, long-running operations, google.rpc with its error details and
/// the well-known types); extend it with your own `prost::Name` types.
///
/// Lookups accept a bare name or a type URL, whose name is the part after
/// the last `/`.
///
/// ```
/// use cancelwire::registry::Registry;
///
/// let registry = Registry::default();
/// assert!(registry.get("google.longrunning.Operation").is_some());
/// assert!(registry.get("type.googleapis.com/google.rpc.ErrorInfo").is_some());
/// assert!(registry.get("example.com/x/google.rpc.ErrorInfo").is_some());
/// assert!(registry.get("my.pkg.Unknown").is_none());
/// ```
#[derive(Clone, Debug)]
pub struct Registry {
    types: BTreeMap<String, MessageType>,
}

impl Registry {
    /// A registry that knows no type at all.
    ///
    /// ```
    /// let registry = cancelwire::registry::Registry::empty();
    /// assert_eq!(registry.names().count(), 0);
    /// ```
    pub fn empty() -> Self {
        Self {
            types: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) the type `M`.
    ///
    /// ```
    /// use cancelwire::registry::Registry;
    /// use cancelwire::flight::Ticket;
    ///
    /// let mut registry = Registry::empty();
    /// registry.register::<Ticket>();
    /// assert!(registry.get("arrow.flight.protocol.Ticket").is_some());
    /// ```
    pub fn register<M>(&mut self) -> &mut Self
    where
        M: Registrable,
    {
        self.insert(MessageType::of::<M>())
    }

    /// Adds (or replaces) a type entry.
    ///
    /// ```
    /// use cancelwire::registry::{MessageType, Registry};
    ///
    /// let mut registry = Registry::empty();
    /// registry.insert(MessageType::of::<cancelwire::wkt::Empty>());
    /// assert_eq!(registry.names().collect::<Vec<_>>(), ["google.protobuf.Empty"]);
    /// ```
    pub fn insert(&mut self, message_type: MessageType) -> &mut Self {
        self.types
            .insert(message_type.full_name.clone(), message_type);
        self
    }

    /// The type with this full name, or with the name at the end of this
    /// type URL.
    ///
    /// ```
    /// let registry = cancelwire::registry::Registry::default();
    /// let ty = registry.get("type.googleapis.com/google.protobuf.Duration").unwrap();
    /// assert_eq!(ty.full_name(), "google.protobuf.Duration");
    /// ```
    pub fn get(&self, name_or_type_url: &str) -> Option<&MessageType> {
        self.types
            .get(crate::wkt::type_name_of_url(name_or_type_url))
    }

    /// Every known full name, sorted.
    ///
    /// ```
    /// let registry = cancelwire::registry::Registry::default();
    /// assert!(registry.names().any(|name| name == "arrow.flight.protocol.CancelFlightInfoRequest"));
    /// ```
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.types.keys().map(String::as_str)
    }
}

impl Default for Registry {
    fn default() -> Self {
        let mut registry = Self::empty();
        macro_rules! register_all {
            ($($name:literal => $ty:ty,)*) => {
                $(
                    registry.register::<$ty>();
                    debug_assert_eq!(<$ty as Name>::full_name(), $name);
                )*
            };
        }
        for_each_message!(register_all);
        registry
    }
}
