//! The pieces the generated `Serialize`/`Deserialize` impls are made of.
//!
//! Each protobuf field type is a [`Kind`]: how its value is printed, and how
//! it is parsed, where `Ok(None)` means "JSON null: leave the field unset".
//! Repeated fields and maps are kinds built from their element kind. Every
//! rule a value can break is reported through [`de_fail`]/[`ser_fail`], which
//! record the typed rule for the caller, and every field, index and key an
//! error passes through adds itself to the error's path.

use super::JsonErrorKind;
use super::context::{self, Level, Segment};
use super::text;
use super::text::number::NumberError;
use bytes::Bytes;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::ser::{self, SerializeMap, SerializeSeq};
use serde::{Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// A parse error for a broken rule, recorded with its kind.
pub(crate) fn de_fail<E: de::Error>(kind: JsonErrorKind, reason: impl Into<String>) -> E {
    let reason = reason.into();
    context::record(kind, &reason);
    E::custom(reason)
}

/// A print error for a value that has no ProtoJSON form.
pub(crate) fn ser_fail<E: ser::Error>(kind: JsonErrorKind, reason: impl Into<String>) -> E {
    let reason = reason.into();
    context::record(kind, &reason);
    E::custom(reason)
}

/// Adds `segment` to the path of an error passing through.
pub(crate) fn at<T, E>(result: Result<T, E>, segment: impl FnOnce() -> Segment) -> Result<T, E> {
    if result.is_err() {
        context::push_segment(segment());
    }
    result
}

/// One level of nesting below a message (a map entry).
pub(crate) fn enter_de<E: de::Error>() -> Result<Level, E> {
    context::enter().map_err(E::custom)
}

/// One level of nesting below a message (a map entry).
pub(crate) fn enter_ser<E: ser::Error>() -> Result<Level, E> {
    context::enter().map_err(E::custom)
}

/// Parses message `M` with `body`, one level of nesting deeper. Every
/// message's `Deserialize` goes through here, so the outermost one of a
/// conversion that `cancelwire::json` does not own leaves no state behind
/// and puts the field path into its error.
pub(crate) fn message_de<M: prost::Name, T, E: de::Error>(
    body: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let level = enter_de::<E>()?;
    level.finish::<M, _, _>(body(), E::custom)
}

/// Prints message `M` with `body`, one level of nesting deeper; the
/// counterpart of [`message_de`].
pub(crate) fn message_ser<M: prost::Name, T, E: ser::Error>(
    body: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let level = enter_ser::<E>()?;
    level.finish::<M, _, _>(body(), E::custom)
}

/// A protobuf field type's JSON form.
pub(crate) trait Kind {
    type Value;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error>;
    /// `Ok(None)` for JSON null (and for an unknown enum name skipped under
    /// `ignore_unknown_fields`): the field stays unset.
    fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Self::Value>, D::Error>;
}

/// Prints a value of kind `K`.
pub(crate) struct Ser<'a, K: Kind>(pub &'a K::Value);

impl<K: Kind> Serialize for Ser<'_, K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        K::serialize(self.0, serializer)
    }
}

/// Parses a value of kind `K`.
pub(crate) struct Seed<K>(PhantomData<K>);

impl<K> Seed<K> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<'de, K: Kind> DeserializeSeed<'de> for Seed<K> {
    type Value = Option<K::Value>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        K::deserialize(deserializer)
    }
}

// ---- what generated message impls call ------------------------------------

/// Writes one field as `"jsonName": value`.
pub(crate) fn write_field<K: Kind, M: SerializeMap>(
    map: &mut M,
    json_name: &'static str,
    proto_name: &'static str,
    value: &K::Value,
) -> Result<(), M::Error> {
    at(map.serialize_entry(json_name, &Ser::<K>(value)), || {
        Segment::Field(Cow::Borrowed(proto_name))
    })
}

/// Reads the value of the field whose key was just read.
pub(crate) fn read_field<'de, K: Kind, A: MapAccess<'de>>(
    map: &mut A,
    proto_name: &'static str,
) -> Result<Option<K::Value>, A::Error> {
    at(map.next_value_seed(Seed::<K>::new()), || {
        Segment::Field(Cow::Borrowed(proto_name))
    })
}

/// Rejects a field given twice, also under its two names (`json_name` and
/// the proto name).
pub(crate) fn first_time<E: de::Error>(seen: &mut bool, proto_name: &'static str) -> Result<(), E> {
    if std::mem::replace(seen, true) {
        context::push_segment(Segment::Field(Cow::Borrowed(proto_name)));
        return Err(de_fail(
            JsonErrorKind::DuplicateField,
            "field is given more than once",
        ));
    }
    Ok(())
}

/// Rejects a second member of the same oneof.
pub(crate) fn oneof_once<E: de::Error>(
    set_by: &mut Option<&'static str>,
    oneof: &'static str,
    proto_name: &'static str,
) -> Result<(), E> {
    if let Some(first) = set_by.replace(proto_name) {
        context::push_segment(Segment::Field(Cow::Borrowed(proto_name)));
        return Err(de_fail(
            JsonErrorKind::OneofConflict,
            format!("oneof `{oneof}` is already set by field `{first}`"),
        ));
    }
    Ok(())
}

/// Skips a key that names no field, or rejects it (the default).
pub(crate) fn unknown_field<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: &str,
    message: &'static str,
) -> Result<(), A::Error> {
    if context::ignore_unknown_fields() {
        map.next_value::<IgnoredAny>()?;
        return Ok(());
    }
    context::push_segment(Segment::Field(Cow::Owned(key.to_owned())));
    Err(de_fail(
        JsonErrorKind::UnknownField,
        format!("{message} has no field named `{key}`"),
    ))
}

/// An object key, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(pub Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Parses an object whose shape the generated visitor knows; non-objects
/// (null, arrays, strings, ...) are rejected by serde with a type error.
pub(crate) fn expect_object(f: &mut fmt::Formatter<'_>, message: &str) -> fmt::Result {
    write!(f, "a JSON object for {message}")
}

// ---- scalar kinds -----------------------------------------------------------

/// Parses `null` as `None` and anything else with `visitor`.
fn nullable<'de, D, V>(deserializer: D, visitor: V) -> Result<Option<V::Value>, D::Error>
where
    D: Deserializer<'de>,
    V: Visitor<'de>,
{
    struct OptionVisitor<V>(V);
    impl<'de, V: Visitor<'de>> Visitor<'de> for OptionVisitor<V> {
        type Value = Option<V::Value>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.expecting(f)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self.0).map(Some)
        }
    }
    deserializer.deserialize_option(OptionVisitor(visitor))
}

pub(crate) struct Str;

impl Kind for Str {
    type Value = String;
    fn serialize<S: Serializer>(value: &String, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value)
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON string")
            }
            fn visit_str<E>(self, v: &str) -> Result<String, E> {
                Ok(v.to_owned())
            }
            fn visit_string<E>(self, v: String) -> Result<String, E> {
                Ok(v)
            }
        }
        nullable(d, V)
    }
}

pub(crate) struct Bool;

impl Kind for Bool {
    type Value = bool;
    fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(*value)
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true or false")
            }
            fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
                Ok(v)
            }
        }
        nullable(d, V)
    }
}

pub(crate) struct BytesKind;

impl Kind for BytesKind {
    type Value = Bytes;
    fn serialize<S: Serializer>(value: &Bytes, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&text::base64::encode_base64(value))
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Bytes>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Bytes;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 JSON string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Bytes, E> {
                text::base64::decode_base64(v)
                    .map(Bytes::from)
                    .map_err(|reason| {
                        de_fail(
                            JsonErrorKind::InvalidValue,
                            format!("invalid base64: {reason}"),
                        )
                    })
            }
        }
        nullable(d, V)
    }
}

/// Integer kinds: a JSON number or a string holding one, exponents allowed
/// when the value is integral.
macro_rules! integer_kind {
    ($kind:ident, $ty:ty, $as_string:expr) => {
        pub(crate) struct $kind;

        impl Kind for $kind {
            type Value = $ty;
            fn serialize<S: Serializer>(value: &$ty, serializer: S) -> Result<S::Ok, S::Error> {
                if $as_string {
                    serializer.serialize_str(itoa::Buffer::new().format(*value))
                } else {
                    value.serialize(serializer)
                }
            }
            fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                nullable(d, IntegerVisitor::<$ty>(PhantomData))
            }
        }
    };
}

integer_kind!(I32, i32, false);
integer_kind!(U32, u32, false);
integer_kind!(I64, i64, true);
integer_kind!(U64, u64, true);

struct IntegerVisitor<T>(PhantomData<T>);

impl<T: TryFrom<i128>> IntegerVisitor<T> {
    fn fit<E: de::Error>(value: i128) -> Result<T, E> {
        T::try_from(value).map_err(|_| {
            de_fail(
                JsonErrorKind::OutOfRange,
                format!("{value} is out of range for {}", std::any::type_name::<T>()),
            )
        })
    }
}

impl<T: TryFrom<i128>> Visitor<'_> for IntegerVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an integer ({}) as a JSON number or string",
            std::any::type_name::<T>()
        )
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Self::fit(i128::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Self::fit(i128::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        let value = text::number::integer_from_f64(v)
            .map_err(|reason| number_error(&v.to_string(), reason))?;
        Self::fit(value)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let value =
            text::number::parse_integer_text(v).map_err(|reason| number_error(v, reason))?;
        Self::fit(value)
    }
}

fn number_error<E: de::Error>(input: &str, reason: NumberError) -> E {
    let kind = if reason.is_out_of_range() {
        JsonErrorKind::OutOfRange
    } else {
        JsonErrorKind::InvalidValue
    };
    de_fail(kind, format!("invalid integer `{input}`: {reason}"))
}

pub(crate) struct F64;

impl Kind for F64 {
    type Value = f64;
    fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        text::number::format_f64(*value).serialize(serializer)
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        nullable(d, FloatVisitor { max: f64::MAX })
    }
}

pub(crate) struct F32;

impl Kind for F32 {
    type Value = f32;
    fn serialize<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        text::number::format_f32(*value).serialize(serializer)
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f32>, D::Error> {
        // Narrowing is the point: the float is stored as f32.
        nullable(
            d,
            FloatVisitor {
                max: f64::from(f32::MAX),
            },
        )
        .map(|v| v.map(|v| v as f32))
    }
}

impl Serialize for text::number::FloatJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(n) => serializer.serialize_f64(*n),
            Self::Text(t) => serializer.serialize_str(t),
        }
    }
}

struct FloatVisitor {
    max: f64,
}

impl FloatVisitor {
    fn check<E: de::Error>(&self, v: f64) -> Result<f64, E> {
        if v.is_finite() && v.abs() > self.max {
            return Err(de_fail(
                JsonErrorKind::OutOfRange,
                format!("{v} is out of range for a float"),
            ));
        }
        Ok(v)
    }
}

impl Visitor<'_> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or \"NaN\", \"Infinity\" or \"-Infinity\"")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        self.check(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        self.check(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        self.check(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        let value = text::number::parse_float_text(v).map_err(|reason| {
            let kind = if reason.is_out_of_range() {
                JsonErrorKind::OutOfRange
            } else {
                JsonErrorKind::InvalidValue
            };
            de_fail(kind, format!("invalid number `{v}`: {reason}"))
        })?;
        self.check(value)
    }
}

// ---- enums -------------------------------------------------------------------

/// An open enum of the crate: any `i32`, with names for the known values.
pub(crate) trait OpenEnum: Copy {
    const PROTO_NAME: &'static str;
    fn from_number(number: i32) -> Self;
    fn number(self) -> i32;
    fn from_name(name: &str) -> Option<Self>;
    fn name(self) -> Option<&'static str>;
}

pub(crate) struct Enum<E>(PhantomData<E>);

impl<En: OpenEnum> Kind for Enum<En> {
    type Value = i32;
    fn serialize<S: Serializer>(value: &i32, serializer: S) -> Result<S::Ok, S::Error> {
        match En::from_number(*value).name() {
            Some(name) => serializer.serialize_str(name),
            None => serializer.serialize_i32(*value),
        }
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
        nullable(d, EnumVisitor::<En>(PhantomData)).map(Option::flatten)
    }
}

/// `Some(None)`: an unknown name skipped because unknown fields are ignored.
struct EnumVisitor<E>(PhantomData<E>);

impl<En: OpenEnum> Visitor<'_> for EnumVisitor<En> {
    type Value = Option<i32>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a value name or number of enum {}", En::PROTO_NAME)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<i32>, E> {
        match En::from_name(v) {
            Some(value) => Ok(Some(value.number())),
            None if context::ignore_unknown_fields() => Ok(None),
            None => Err(de_fail(
                JsonErrorKind::UnknownEnumValue,
                format!("`{v}` is not a value name of enum {}", En::PROTO_NAME),
            )),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<i32>, E> {
        i32::try_from(v).map(Some).map_err(|_| {
            de_fail(
                JsonErrorKind::OutOfRange,
                format!("{v} is out of range for enum {}", En::PROTO_NAME),
            )
        })
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<i32>, E> {
        i32::try_from(v).map(Some).map_err(|_| {
            de_fail(
                JsonErrorKind::OutOfRange,
                format!("{v} is out of range for enum {}", En::PROTO_NAME),
            )
        })
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<i32>, E> {
        // ProtoJSON numbers may be written with a fraction or exponent as long
        // as they are integral (1.0 is 1).
        let value = text::number::integer_from_f64(v)
            .map_err(|reason| number_error(&v.to_string(), reason))?;
        i32::try_from(value).map(Some).map_err(|_| {
            de_fail(
                JsonErrorKind::OutOfRange,
                format!("{v} is out of range for enum {}", En::PROTO_NAME),
            )
        })
    }
}

// ---- messages, repeated fields, maps ------------------------------------------

/// A message field; `null` leaves it unset.
pub(crate) struct Msg<M>(PhantomData<M>);

impl<M: Serialize + DeserializeOwned> Kind for Msg<M> {
    type Value = M;
    fn serialize<S: Serializer>(value: &M, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<M>, D::Error> {
        struct V<M>(PhantomData<M>);
        impl<'de, M: DeserializeOwned> Visitor<'de> for V<M> {
            type Value = Option<M>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object or null")
            }
            fn visit_none<E>(self) -> Result<Option<M>, E> {
                Ok(None)
            }
            fn visit_unit<E>(self) -> Result<Option<M>, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<M>, D::Error> {
                M::deserialize(d).map(Some)
            }
        }
        d.deserialize_option(V(PhantomData))
    }
}

/// A `google.protobuf.Value` field, for which `null` is a value, not unset.
pub(crate) struct ValueMsg;

impl Kind for ValueMsg {
    type Value = crate::wkt::Value;
    fn serialize<S: Serializer>(value: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self::Value>, D::Error> {
        <Self::Value as de::Deserialize>::deserialize(d).map(Some)
    }
}

/// A repeated field: a JSON array (or null for none) whose elements may not
/// be null.
pub(crate) struct Repeated<K>(PhantomData<K>);

impl<K: Kind> Kind for Repeated<K> {
    type Value = Vec<K::Value>;
    fn serialize<S: Serializer>(values: &Vec<K::Value>, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(values.len()))?;
        for (i, value) in values.iter().enumerate() {
            at(seq.serialize_element(&Ser::<K>(value)), || {
                Segment::Index(i)
            })?;
        }
        seq.end()
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<K::Value>>, D::Error> {
        struct V<K>(PhantomData<K>);
        impl<'de, K: Kind> Visitor<'de> for V<K> {
            type Value = Vec<K::Value>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                // No capacity from size hints: memory follows the input.
                let mut values = Vec::new();
                loop {
                    let i = values.len();
                    match at(seq.next_element_seed(Seed::<K>::new()), || {
                        Segment::Index(i)
                    })? {
                        None => return Ok(values),
                        Some(Some(value)) => values.push(value),
                        Some(None) => {
                            context::push_segment(Segment::Index(i));
                            return Err(de_fail(
                                JsonErrorKind::WrongType,
                                "null is not allowed as an element of a repeated field",
                            ));
                        }
                    }
                }
            }
        }
        nullable(d, V::<K>(PhantomData))
    }
}

/// A `map<string, V>` field: a JSON object (or null for none) whose keys are
/// distinct and whose values may not be null.
pub(crate) struct StringMap<K>(PhantomData<K>);

impl<K: Kind> Kind for StringMap<K> {
    type Value = BTreeMap<String, K::Value>;
    fn serialize<S: Serializer>(entries: &Self::Value, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (key, value) in entries {
            // Each entry is a message in binary: one level of nesting.
            let entry = enter_ser::<S::Error>()
                .and_then(|_entry| map.serialize_entry(key, &Ser::<K>(value)));
            at(entry, || Segment::Key(key.clone()))?;
        }
        map.end()
    }
    fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self::Value>, D::Error> {
        struct V<K>(PhantomData<K>);
        impl<'de, K: Kind> Visitor<'de> for V<K> {
            type Value = BTreeMap<String, K::Value>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    // Each entry is a message in binary: one level of nesting.
                    let entry = enter_de::<A::Error>()
                        .and_then(|_entry| map.next_value_seed(Seed::<K>::new()));
                    let value = at(entry, || Segment::Key(key.clone()))?;
                    let Some(value) = value else {
                        context::push_segment(Segment::Key(key));
                        return Err(de_fail(
                            JsonErrorKind::WrongType,
                            "null is not allowed as a map value",
                        ));
                    };
                    if entries.contains_key(&key) {
                        context::push_segment(Segment::Key(key));
                        return Err(de_fail(
                            JsonErrorKind::DuplicateField,
                            "map key is given more than once",
                        ));
                    }
                    entries.insert(key, value);
                }
                Ok(entries)
            }
        }
        nullable(d, V::<K>(PhantomData))
    }
}
