//! Printing an `Any`'s payload straight into the `Any`'s own JSON object.
//!
//! (And parsing one straight from the JSON object, when `@type` comes
//! first: [`parse_known`].)
//!
//! For the crate's own message types, the payload is decoded as its
//! concrete type and its fields are written into the map that already
//! holds `@type` (through [`Flatten`], a serializer that accepts one map
//! and forwards its entries), in field-number order and without an
//! intermediate `serde_json::Value`. Types users register take the
//! registry's type-erased path instead.

use super::JsonErrorKind;
use super::field_kinds::ser_fail;
use crate::registry::PayloadError;
use bytes::Bytes;
use serde::Serialize;
use serde::de;
use serde::ser::{self, Impossible, SerializeMap};

include!(concat!(env!("OUT_DIR"), "/message_types.rs"));

/// Writes the payload `bytes` of the message type `full_name` into `map`
/// (its fields, or `"value"` for the well-known types with special forms),
/// or `None` when the type is not one of the crate's.
pub(crate) fn print_known<M: SerializeMap>(
    full_name: &str,
    bytes: Bytes,
    special: bool,
    map: &mut M,
) -> Option<Result<(), M::Error>> {
    // An `Any` holding an `Any` is printed under "value" and never
    // flattened; giving it an arm of its own keeps the compiler from
    // instantiating a flattening serializer inside a flattening serializer
    // without end.
    macro_rules! dispatch {
        (@arms [$($arms:tt)*]) => {
            match full_name {
                $($arms)*
                _ => None,
            }
        };
        (@arms [$($arms:tt)*] "google.protobuf.Any" => $ty:ty, $($rest:tt)*) => {
            dispatch!(@arms [$($arms)* "google.protobuf.Any" => Some(print_value::<$ty, M>(bytes, map)),] $($rest)*)
        };
        (@arms [$($arms:tt)*] $name:literal => $ty:ty, $($rest:tt)*) => {
            dispatch!(@arms [$($arms)* $name => Some(print_as::<$ty, M>(bytes, special, map)),] $($rest)*)
        };
        ($($all:tt)*) => {
            dispatch!(@arms [] $($all)*)
        };
    }
    for_each_message!(dispatch)
}

/// The table for printing the crate's message type `full_name` from the
/// wire, or `None` when the type is not one of the crate's.
pub(crate) fn wire_form(full_name: &str) -> Option<&'static super::wire_print::WireForm> {
    macro_rules! dispatch {
        ($($name:literal => $ty:ty,)*) => {
            match full_name {
                $($name => Some(<$ty as super::wire_print::WireJson>::wire_form()),)*
                _ => None,
            }
        };
    }
    for_each_message!(dispatch)
}

/// Parses the payload of the message type `full_name` from `object` (the
/// Any's entries after `@type`) and encodes it, or `None` when the type is
/// not one of the crate's. An Any inside an Any has a special form and
/// never comes here; leaving its arm out also keeps the compiler from
/// instantiating this function inside itself without end.
pub(crate) fn parse_known<'de, D: de::Deserializer<'de>>(
    full_name: &str,
    object: D,
) -> Option<Result<Vec<u8>, D::Error>> {
    macro_rules! dispatch {
        (@arms [$($arms:tt)*]) => {
            match full_name {
                $($arms)*
                _ => None,
            }
        };
        (@arms [$($arms:tt)*] "google.protobuf.Any" => $ty:ty, $($rest:tt)*) => {
            dispatch!(@arms [$($arms)*] $($rest)*)
        };
        (@arms [$($arms:tt)*] $name:literal => $ty:ty, $($rest:tt)*) => {
            dispatch!(@arms [$($arms)* $name => Some(<$ty as de::Deserialize>::deserialize(object)
                .map(|message| prost::Message::encode_to_vec(&message))),] $($rest)*)
        };
        ($($all:tt)*) => {
            dispatch!(@arms [] $($all)*)
        };
    }
    for_each_message!(dispatch)
}

fn decode_payload<T: prost::Message + prost::Name + Default, E: ser::Error>(
    bytes: Bytes,
) -> Result<T, E> {
    crate::decode::<T>(bytes).map_err(|error| {
        let reason = PayloadError::Decode {
            type_name: T::full_name(),
            error,
        };
        ser_fail::<E>(JsonErrorKind::InvalidAny, reason.to_string())
    })
}

fn print_value<T, M>(bytes: Bytes, map: &mut M) -> Result<(), M::Error>
where
    T: prost::Message + prost::Name + Default + Serialize,
    M: SerializeMap,
{
    map.serialize_entry("value", &decode_payload::<T, M::Error>(bytes)?)
}

fn print_as<T, M>(bytes: Bytes, special: bool, map: &mut M) -> Result<(), M::Error>
where
    T: prost::Message + prost::Name + Default + Serialize,
    M: SerializeMap,
{
    let message = decode_payload::<T, M::Error>(bytes)?;
    if special {
        map.serialize_entry("value", &message)
    } else {
        message.serialize(Flatten(map))
    }
}

/// A serializer that takes one map and writes its entries into another.
struct Flatten<'a, M>(&'a mut M);

/// Forwards a flattened map's entries.
struct Entries<'a, M>(&'a mut M);

fn not_an_object<E: ser::Error>() -> E {
    ser_fail(
        JsonErrorKind::InvalidAny,
        "the payload does not print as a JSON object",
    )
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {$(
        fn $method(self, $(_: $arg),*) -> Result<(), M::Error> {
            Err(not_an_object())
        }
    )*};
}

impl<'a, M: SerializeMap> ser::Serializer for Flatten<'a, M> {
    type Ok = ();
    type Error = M::Error;
    type SerializeSeq = Impossible<(), M::Error>;
    type SerializeTuple = Impossible<(), M::Error>;
    type SerializeTupleStruct = Impossible<(), M::Error>;
    type SerializeTupleVariant = Impossible<(), M::Error>;
    type SerializeMap = Entries<'a, M>;
    type SerializeStruct = Impossible<(), M::Error>;
    type SerializeStructVariant = Impossible<(), M::Error>;

    fn serialize_map(self, _len: Option<usize>) -> Result<Entries<'a, M>, M::Error> {
        Ok(Entries(self.0))
    }

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), M::Error> {
        Err(not_an_object())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), M::Error> {
        Err(not_an_object())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), M::Error> {
        Err(not_an_object())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, M::Error> {
        Err(not_an_object())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, M::Error> {
        Err(not_an_object())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, M::Error> {
        Err(not_an_object())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, M::Error> {
        Err(not_an_object())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, M::Error> {
        Err(not_an_object())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, M::Error> {
        Err(not_an_object())
    }
}

impl<M: SerializeMap> SerializeMap for Entries<'_, M> {
    type Ok = ();
    type Error = M::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), M::Error> {
        self.0.serialize_key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        self.0.serialize_value(value)
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }
    fn end(self) -> Result<(), M::Error> {
        Ok(())
    }
}
