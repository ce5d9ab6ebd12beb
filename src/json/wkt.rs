//! The special ProtoJSON forms of the well-known types: `Any` inlines its
//! payload with `@type`, `Timestamp`/`Duration`/`FieldMask` are strings,
//! `Struct`/`Value`/`ListValue` are plain JSON, and the wrappers are their
//! bare value.

use super::JsonErrorKind;
use super::context::{self, Segment};
use super::field_kinds::{self, Kind, de_fail, ser_fail};
use super::wire_print::{WireForm, WireJson};
use super::writer;
use crate::text;
use crate::wkt::{
    Any, BoolValue, BytesValue, DoubleValue, Duration, FieldMask, FloatValue, Int32Value,
    Int64Value, ListValue, StringValue, Struct, Timestamp, UInt32Value, UInt64Value, Value,
    value::Kind as ValueKind,
};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, SerializeTupleStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// The full name of an `Any`'s payload type, and its registry entry when
/// a caller's registry is in force (`None` for an unknown type URL). The
/// default registry holds exactly the crate's own types, which the
/// dispatch of `any_payload` knows by name, so with it the name is read
/// off the URL and nothing is looked up.
fn payload_type<'a>(
    type_url: &'a str,
    custom: Option<&'a crate::registry::Registry>,
) -> Option<(&'a str, Option<&'a crate::registry::MessageType>)> {
    match custom {
        None => Some((crate::wkt::type_name_of_url(type_url), None)),
        Some(registry) => registry
            .get(type_url)
            .map(|message_type| (message_type.full_name(), Some(message_type))),
    }
}

/// Types whose JSON inside an `Any` is `{"@type": ..., "value": <json>}`.
pub(crate) fn has_special_json(full_name: &str) -> bool {
    super::special_forms::SPECIAL_JSON_TYPES.contains(&full_name)
}

/// A visitor for the well-known types written as one JSON string.
struct StringForm<F>(&'static str, F);

impl<T, R: fmt::Display, F: FnOnce(&str) -> Result<T, R>> Visitor<'_> for StringForm<F> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON string for {}", self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.1)(v).map_err(|reason| {
            de_fail(
                JsonErrorKind::InvalidValue,
                format!("invalid {} `{v}`: {reason}", self.0),
            )
        })
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        field_kinds::message_ser::<Self, _, _>(|| {
            let text =
                text::timestamp::format_timestamp(self.seconds, self.nanos).map_err(|reason| {
                    ser_fail::<S::Error>(
                        JsonErrorKind::OutOfRange,
                        format!("invalid Timestamp: {reason}"),
                    )
                })?;
            serializer.serialize_str(&text)
        })
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        field_kinds::message_de::<Self, _, _>(|| {
            deserializer.deserialize_str(StringForm("Timestamp", |v: &str| {
                text::timestamp::parse_timestamp(v).map(|(seconds, nanos)| Timestamp {
                    seconds,
                    nanos,
                    unknown_fields: crate::UnknownFields::new(),
                })
            }))
        })
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        field_kinds::message_ser::<Self, _, _>(|| {
            let text =
                text::duration::format_duration(self.seconds, self.nanos).map_err(|reason| {
                    ser_fail::<S::Error>(
                        JsonErrorKind::OutOfRange,
                        format!("invalid Duration: {reason}"),
                    )
                })?;
            serializer.serialize_str(&text)
        })
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        field_kinds::message_de::<Self, _, _>(|| {
            deserializer.deserialize_str(StringForm("Duration", |v: &str| {
                text::duration::parse_duration(v).map(|(seconds, nanos)| Duration {
                    seconds,
                    nanos,
                    unknown_fields: crate::UnknownFields::new(),
                })
            }))
        })
    }
}

impl Serialize for FieldMask {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        field_kinds::message_ser::<Self, _, _>(|| {
            let text = text::field_mask::field_mask_to_json(&self.paths).map_err(|reason| {
                ser_fail::<S::Error>(
                    JsonErrorKind::InvalidValue,
                    format!("invalid FieldMask: {reason}"),
                )
            })?;
            serializer.serialize_str(&text)
        })
    }
}

impl<'de> Deserialize<'de> for FieldMask {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        field_kinds::message_de::<Self, _, _>(|| {
            deserializer.deserialize_str(StringForm("FieldMask", |v: &str| {
                text::field_mask::field_mask_from_json(v).map(|paths| FieldMask {
                    paths,
                    unknown_fields: crate::UnknownFields::new(),
                })
            }))
        })
    }
}

/// Wrappers print as their bare value, with the scalar kind's rules.
macro_rules! wrapper_json {
    ($($ty:ident($kind:ty)),* $(,)?) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                field_kinds::message_ser::<Self, _, _>(|| <$kind>::serialize(&self.value, serializer))
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                field_kinds::message_de::<Self, _, _>(|| match <$kind>::deserialize(deserializer)? {
                    Some(value) => Ok($ty { value, unknown_fields: crate::UnknownFields::new() }),
                    None => Err(de_fail(
                        JsonErrorKind::WrongType,
                        concat!("null is not a value of google.protobuf.", stringify!($ty)),
                    )),
                })
            }
        }
    )*};
}

wrapper_json!(
    DoubleValue(field_kinds::F64),
    FloatValue(field_kinds::F32),
    Int64Value(field_kinds::I64),
    UInt64Value(field_kinds::U64),
    Int32Value(field_kinds::I32),
    UInt32Value(field_kinds::U32),
    BoolValue(field_kinds::Bool),
    StringValue(field_kinds::Str),
    BytesValue(field_kinds::BytesKind),
);

impl Serialize for Struct {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        field_kinds::message_ser::<Self, _, _>(|| {
            field_kinds::at(
                field_kinds::StringMap::<field_kinds::ValueMsg>::serialize(
                    &self.fields,
                    serializer,
                ),
                field("fields"),
            )
        })
    }
}

impl<'de> Deserialize<'de> for Struct {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Struct;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object for google.protobuf.Struct")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Struct, A::Error> {
                field_kinds::message_de::<Struct, _, _>(|| {
                    Ok(Struct {
                        fields: struct_fields(map)?,
                        unknown_fields: crate::UnknownFields::new(),
                    })
                })
            }
        }
        deserializer.deserialize_map(V)
    }
}

fn struct_fields<'de, A: MapAccess<'de>>(mut map: A) -> Result<BTreeMap<String, Value>, A::Error> {
    let mut fields = BTreeMap::new();
    while let Some(key) = map.next_key::<String>()? {
        field_kinds::at(field_kinds::count_de::<A::Error>(), || {
            Segment::Key(key.clone())
        })?;
        // Each member is a map entry, one level of nesting in binary.
        let value: Value = field_kinds::at(
            field_kinds::enter_de::<A::Error>().and_then(|_entry| map.next_value()),
            || Segment::Key(key.clone()),
        )
        .map_err(|e| in_field(e, "fields"))?;
        if fields.contains_key(&key) {
            context::push_segment(Segment::Key(key.clone()));
            context::push_segment(field("fields")());
            return Err(de_fail(
                JsonErrorKind::DuplicateField,
                "key is given more than once",
            ));
        }
        fields.insert(key, value);
    }
    Ok(fields)
}

impl Serialize for ListValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        field_kinds::message_ser::<Self, _, _>(|| {
            let mut seq = serializer.serialize_seq(Some(self.values.len()))?;
            for (i, value) in self.values.iter().enumerate() {
                field_kinds::at(seq.serialize_element(value), || Segment::Index(i))
                    .map_err(|e| in_field(e, "values"))?;
            }
            seq.end()
        })
    }
}

impl<'de> Deserialize<'de> for ListValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ListValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON array for google.protobuf.ListValue")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ListValue, A::Error> {
                field_kinds::message_de::<ListValue, _, _>(|| {
                    Ok(ListValue {
                        values: list_values(seq)?,
                        unknown_fields: crate::UnknownFields::new(),
                    })
                })
            }
        }
        deserializer.deserialize_seq(V)
    }
}

fn list_values<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Vec<Value>, A::Error> {
    let mut values = Vec::new();
    loop {
        let i = values.len();
        let next = field_kinds::at(seq.next_element::<Value>(), || Segment::Index(i));
        match field_kinds::at(next, field("values"))? {
            Some(value) => {
                let counted = field_kinds::count_de::<A::Error>();
                field_kinds::at(
                    field_kinds::at(counted, || Segment::Index(i)),
                    field("values"),
                )?;
                values.push(value);
            }
            None => return Ok(values),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        field_kinds::message_ser::<Self, _, _>(|| match &self.kind {
            None | Some(ValueKind::NullValue(_)) => serializer.serialize_unit(),
            Some(ValueKind::NumberValue(n)) => {
                if !n.is_finite() {
                    context::push_segment(field("number_value")());
                    return Err(ser_fail(
                        JsonErrorKind::OutOfRange,
                        format!("a google.protobuf.Value cannot hold {n} in JSON"),
                    ));
                }
                serializer.serialize_f64(*n)
            }
            Some(ValueKind::StringValue(s)) => serializer.serialize_str(s),
            Some(ValueKind::BoolValue(b)) => serializer.serialize_bool(*b),
            Some(ValueKind::StructValue(s)) => {
                field_kinds::at(s.serialize(serializer), field("struct_value"))
            }
            Some(ValueKind::ListValue(l)) => {
                field_kinds::at(l.serialize(serializer), field("list_value"))
            }
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(kind(ValueKind::NullValue(0)))
            }
            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(kind(ValueKind::NullValue(0)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(kind(ValueKind::BoolValue(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(kind(ValueKind::NumberValue(v as f64)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(kind(ValueKind::NumberValue(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(kind(ValueKind::NumberValue(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(kind(ValueKind::StringValue(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Value, E> {
                Ok(kind(ValueKind::StringValue(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
                let fields = field_kinds::message_de::<Struct, _, _>(|| struct_fields(map));
                Ok(kind(ValueKind::StructValue(Struct {
                    fields: field_kinds::at(fields, field("struct_value"))?,
                    unknown_fields: crate::UnknownFields::new(),
                })))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
                let values = field_kinds::message_de::<ListValue, _, _>(|| list_values(seq));
                Ok(kind(ValueKind::ListValue(ListValue {
                    values: field_kinds::at(values, field("list_value"))?,
                    unknown_fields: crate::UnknownFields::new(),
                })))
            }
        }
        field_kinds::message_de::<Self, _, _>(|| deserializer.deserialize_any(V))
    }
}

/// The path segment of field `name`, for [`field_kinds::at`].
fn field(name: &'static str) -> impl FnOnce() -> Segment {
    move || Segment::Field(name.into())
}

/// Passes an error on, adding field `name` to its path.
fn in_field<E>(error: E, name: &'static str) -> E {
    context::push_segment(field(name)());
    error
}

fn kind(kind: ValueKind) -> Value {
    Value {
        kind: Some(kind),
        unknown_fields: crate::UnknownFields::new(),
    }
}

/// Printed by our writer, an `Any` hands it its type URL, its payload and
/// itself (`writer::ANY`): the writer prints the payload of one of the
/// crate's types from the wire straight into its output and, where that
/// printer gives up, the decoded payload. Every other serializer gets the
/// decoded payload.
impl Serialize for Any {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if writer::is_printing() && writer::is_ours(&serializer) {
            return self.serialize_parts(serializer);
        }
        self.serialize_decoded(serializer)
    }
}

impl Any {
    /// Hands our writer the parts (a function of its own: in the frame of
    /// `serialize`, their locals overflowed the 512 KiB stack of the
    /// hostile-depth tests in a debug build, 100 levels of `Any` deep).
    fn serialize_parts<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut parts = serializer.serialize_tuple_struct(writer::ANY, 3)?;
        parts.serialize_field(self.type_url.as_str())?;
        parts.serialize_field(&WireBytes(&self.value))?;
        parts.serialize_field(&Decoded(self))?;
        parts.end()
    }
}

/// An `Any`'s payload as the bytes they are, for our writer.
struct WireBytes<'a>(&'a [u8]);

impl Serialize for WireBytes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// An `Any` printed from its decoded payload, for our writer to fall back
/// on.
struct Decoded<'a>(&'a Any);

impl Serialize for Decoded<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_decoded(serializer)
    }
}

impl Any {
    fn serialize_decoded<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        field_kinds::message_ser::<Self, _, _>(|| self.serialize_fields(serializer))
    }

    fn serialize_fields<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        // An Any with nothing in it prints as an empty object, like the
        // reference does.
        if self.type_url.is_empty() && self.value.is_empty() {
            return map.end();
        }
        let unregistered = || {
            ser_fail::<S::Error>(
                JsonErrorKind::InvalidAny,
                format!(
                    "no message type is registered for the type URL `{}`",
                    self.type_url
                ),
            )
        };
        let custom = context::custom_registry();
        let Some((full_name, registered)) = payload_type(&self.type_url, custom.as_deref()) else {
            return Err(unregistered());
        };
        let special = has_special_json(full_name);
        // The crate's own types print straight into this object.
        let mut after_type = PayloadAfterType {
            map: &mut map,
            type_url: &self.type_url,
            written: false,
        };
        let known = super::any_payload::print_known(
            full_name,
            self.value.clone(),
            special,
            &mut after_type,
        );
        if let Some(result) = known {
            result?;
            after_type.type_first()?;
            return map.end();
        }
        // Only a caller's registry has types beyond the crate's own.
        let Some(message_type) = registered else {
            return Err(unregistered());
        };
        let payload = message_type
            .binary_to_json_value(self.value.clone())
            .map_err(|reason| {
                ser_fail::<S::Error>(JsonErrorKind::InvalidAny, reason.to_string())
            })?;
        map.serialize_entry("@type", &self.type_url)?;
        if special {
            map.serialize_entry("value", &payload)?;
        } else if let serde_json::Value::Object(fields) = payload {
            for (key, value) in &fields {
                map.serialize_entry(key, value)?;
            }
        } else {
            return Err(ser_fail(
                JsonErrorKind::InvalidAny,
                format!(
                    "{} does not print as a JSON object",
                    message_type.full_name()
                ),
            ));
        }
        map.end()
    }
}

/// The `Any`'s object with `@type` written before the payload's first
/// entry, so that a payload that does not decode fails before anything of
/// it is printed, as the registry's path does.
struct PayloadAfterType<'a, M> {
    map: &'a mut M,
    type_url: &'a str,
    written: bool,
}

impl<M: SerializeMap> PayloadAfterType<'_, M> {
    fn type_first(&mut self) -> Result<(), M::Error> {
        if !std::mem::replace(&mut self.written, true) {
            self.map.serialize_entry("@type", self.type_url)?;
        }
        Ok(())
    }
}

impl<M: SerializeMap> SerializeMap for PayloadAfterType<'_, M> {
    type Ok = ();
    type Error = M::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), M::Error> {
        self.type_first()?;
        self.map.serialize_key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), M::Error> {
        self.map.serialize_value(value)
    }
    fn end(self) -> Result<(), M::Error> {
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Any {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        field_kinds::message_de::<Self, _, _>(|| Self::deserialize_fields(deserializer))
    }
}

impl Any {
    fn deserialize_fields<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(AnyVisitor)
    }

    /// The Any of an object whose `@type` was read: its payload parsed
    /// straight from the rest of `map` when the type is one of the crate's
    /// own without a special form, else buffered first.
    fn after_type<'de, A: MapAccess<'de>>(type_url: String, mut map: A) -> Result<Self, A::Error> {
        let custom = context::custom_registry();
        let full_name = payload_type(&type_url, custom.as_deref()).map(|(name, _)| name);
        if let Some(full_name) = full_name.filter(|name| !has_special_json(name)) {
            let rest = de::value::MapAccessDeserializer::new(RestAfterType(&mut map));
            if let Some(value) = super::any_payload::parse_known(full_name, rest) {
                return Ok(Any {
                    type_url,
                    value: value?.into(),
                    unknown_fields: crate::UnknownFields::new(),
                });
            }
        }
        let object = read_object(map, serde_json::Map::new())?;
        Self::from_buffered(type_url, object)
    }

    /// The Any of a buffered object (without its `@type`).
    fn from_buffered<E: de::Error>(
        type_url: String,
        mut object: serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self, E> {
        let registry = context::registry();
        let Some(message_type) = registry.get(&type_url) else {
            return Err(de_fail(
                JsonErrorKind::InvalidAny,
                format!("no message type is registered for the type URL `{type_url}`"),
            ));
        };
        let payload = if has_special_json(message_type.full_name()) {
            let Some(value) = object.remove("value") else {
                return Err(de_fail(
                    JsonErrorKind::InvalidAny,
                    format!(
                        "an Any holding {} needs the key `value`",
                        message_type.full_name()
                    ),
                ));
            };
            if let Some(extra) = object.keys().next()
                && !context::ignore_unknown_fields()
            {
                {
                    let reason = format!(
                        "an Any holding {} has no key `{extra}`",
                        message_type.full_name()
                    );
                    context::push_segment(Segment::Key(extra.clone()));
                    return Err(de_fail(JsonErrorKind::UnknownField, reason));
                }
            }
            value
        } else {
            serde_json::Value::Object(object)
        };
        let value = message_type
            .json_value_to_binary(payload)
            .map_err(|e| de::Error::custom(e.to_string()))?;
        Ok(Any {
            type_url,
            value: value.into(),
            unknown_fields: crate::UnknownFields::new(),
        })
    }
}

/// Parses an Any's object. Printers write `@type` first, and then the
/// payload needs no buffering; otherwise the object is buffered until
/// `@type` is known.
struct AnyVisitor;

impl<'de> Visitor<'de> for AnyVisitor {
    type Value = Any;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object for google.protobuf.Any")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Any, A::Error> {
        let Some(field_kinds::Key(first)) = map.next_key()? else {
            return Ok(Any::default());
        };
        let first_value = map.next_value::<StrictValue>()?.0;
        if first == "@type" {
            return Any::after_type(type_url_of(first_value)?, map);
        }
        let mut object = serde_json::Map::new();
        object.insert(first.into_owned(), first_value);
        let mut object = read_object(map, object)?;
        let type_url = match object.remove("@type") {
            Some(value) => type_url_of(value)?,
            None => {
                return Err(de_fail(
                    JsonErrorKind::InvalidAny,
                    "an Any with fields needs `@type`",
                ));
            }
        };
        Any::from_buffered(type_url, object)
    }
}

fn type_url_of<E: de::Error>(value: serde_json::Value) -> Result<String, E> {
    match value {
        serde_json::Value::String(url) => Ok(url),
        _ => Err(de_fail(
            JsonErrorKind::WrongType,
            "`@type` of an Any must be a string",
        )),
    }
}

fn duplicate_key<E: de::Error>(key: String) -> E {
    context::push_segment(Segment::Key(key));
    de_fail(JsonErrorKind::DuplicateField, "key is given more than once")
}

/// Reads the rest of an object into `object`, rejecting duplicate keys.
fn read_object<'de, A: MapAccess<'de>>(
    mut map: A,
    mut object: serde_json::Map<String, serde_json::Value>,
) -> Result<serde_json::Map<String, serde_json::Value>, A::Error> {
    while let Some(key) = map.next_key::<String>()? {
        let value = map.next_value::<StrictValue>()?.0;
        field_kinds::count_de::<A::Error>()?;
        if object.contains_key(&key) {
            return Err(duplicate_key(key));
        }
        object.insert(key, value);
    }
    Ok(object)
}

/// The entries of an Any's object after its `@type`, as the payload
/// message's own object; a second `@type` is refused as a duplicate key,
/// as the buffering path refuses it.
struct RestAfterType<'a, A>(&'a mut A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for RestAfterType<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        use std::borrow::Cow;
        let Some(field_kinds::Key(key)) = self.0.next_key()? else {
            return Ok(None);
        };
        match key {
            key if key == "@type" => Err(duplicate_key(key.into_owned())),
            Cow::Borrowed(key) => seed
                .deserialize(de::value::BorrowedStrDeserializer::new(key))
                .map(Some),
            Cow::Owned(key) => seed
                .deserialize(de::value::StringDeserializer::new(key))
                .map(Some),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(seed)
    }
}

/// A JSON object buffered as `serde_json` values, rejecting duplicate keys
/// at every depth (`serde_json::Value` would silently keep the last).
struct StrictObject(serde_json::Map<String, serde_json::Value>);

impl<'de> Deserialize<'de> for StrictObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrictObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object for google.protobuf.Any")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StrictObject, A::Error> {
                read_object(map, serde_json::Map::new()).map(StrictObject)
            }
        }
        deserializer.deserialize_map(V)
    }
}

struct StrictValue(serde_json::Value);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde_json::Value as J;
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StrictValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E>(self) -> Result<StrictValue, E> {
                Ok(StrictValue(J::Null))
            }
            fn visit_none<E>(self) -> Result<StrictValue, E> {
                Ok(StrictValue(J::Null))
            }
            fn visit_bool<E>(self, v: bool) -> Result<StrictValue, E> {
                Ok(StrictValue(J::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<StrictValue, E> {
                Ok(StrictValue(J::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<StrictValue, E> {
                Ok(StrictValue(J::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<StrictValue, E> {
                Ok(StrictValue(J::from(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<StrictValue, E> {
                Ok(StrictValue(J::String(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<StrictValue, E> {
                Ok(StrictValue(J::String(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StrictValue, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element::<StrictValue>()? {
                    field_kinds::count_de::<A::Error>()?;
                    values.push(value.0);
                }
                Ok(StrictValue(J::Array(values)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StrictValue, A::Error> {
                use serde::de::value::MapAccessDeserializer;
                Ok(StrictValue(J::Object(
                    StrictObject::deserialize(MapAccessDeserializer::new(map))?.0,
                )))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The well-known types' forms for printing from the wire: `Timestamp` and
/// `Duration` are printed there, the others make that printer give up.
macro_rules! wire_form {
    ($form:ident: $($ty:ty),*) => {$(
        impl WireJson for $ty {
            fn wire_form() -> &'static WireForm {
                &WireForm::$form
            }
        }
    )*};
}

wire_form!(Timestamp: Timestamp);
wire_form!(Duration: Duration);
wire_form!(Other: Any, FieldMask, Struct, Value, ListValue, DoubleValue, FloatValue, Int64Value,
    UInt64Value, Int32Value, UInt32Value, BoolValue, StringValue, BytesValue);
