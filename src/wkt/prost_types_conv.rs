//! `From` conversions between our well-known types and `prost_types`', for
//! code that talks to tonic or other prost crates. Every field converts
//! without loss; `prost_types`' messages have no place for unknown fields,
//! so converting into them drops ours (`unknown_fields`).

use super::*;

/// Converts a message whose fields are identical in both crates.
macro_rules! same_fields {
    ($($name:ident { $($field:ident),* })*) => {$(
        /// Field by field; `unknown_fields` are dropped, since
        /// `prost_types`' message has no place for them.
        impl From<$name> for prost_types::$name {
            fn from(value: $name) -> Self {
                Self { $($field: value.$field.into()),* }
            }
        }

        impl From<prost_types::$name> for $name {
            fn from(value: prost_types::$name) -> Self {
                Self { $($field: value.$field.into()),*, unknown_fields: crate::UnknownFields::new() }
            }
        }
    )*};
}

same_fields! {
    Any { type_url, value }
    Timestamp { seconds, nanos }
    Duration { seconds, nanos }
    FieldMask { paths }
}

impl From<Empty> for () {
    fn from(_: Empty) -> Self {}
}

impl From<()> for Empty {
    fn from(_: ()) -> Self {
        Empty {
            unknown_fields: crate::UnknownFields::new(),
        }
    }
}

/// Field by field; `unknown_fields` are dropped, since `prost_types::Struct` has
/// no place for them.
impl From<Struct> for prost_types::Struct {
    fn from(value: Struct) -> Self {
        Self {
            fields: value
                .fields
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect(),
        }
    }
}

impl From<prost_types::Struct> for Struct {
    fn from(value: prost_types::Struct) -> Self {
        Self {
            fields: value
                .fields
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect(),
            unknown_fields: crate::UnknownFields::new(),
        }
    }
}

/// Field by field; `unknown_fields` are dropped, since `prost_types::ListValue` has
/// no place for them.
impl From<ListValue> for prost_types::ListValue {
    fn from(value: ListValue) -> Self {
        Self {
            values: value.values.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<prost_types::ListValue> for ListValue {
    fn from(value: prost_types::ListValue) -> Self {
        Self {
            values: value.values.into_iter().map(Into::into).collect(),
            unknown_fields: crate::UnknownFields::new(),
        }
    }
}

/// Field by field; `unknown_fields` are dropped, since `prost_types::Value` has
/// no place for them.
impl From<Value> for prost_types::Value {
    fn from(value: Value) -> Self {
        use prost_types::value::Kind as Theirs;
        use value::Kind as Ours;
        Self {
            kind: value.kind.map(|kind| match kind {
                Ours::NullValue(n) => Theirs::NullValue(n),
                Ours::NumberValue(n) => Theirs::NumberValue(n),
                Ours::StringValue(s) => Theirs::StringValue(s),
                Ours::BoolValue(b) => Theirs::BoolValue(b),
                Ours::StructValue(s) => Theirs::StructValue(s.into()),
                Ours::ListValue(l) => Theirs::ListValue(l.into()),
            }),
        }
    }
}

impl From<prost_types::Value> for Value {
    fn from(value: prost_types::Value) -> Self {
        use prost_types::value::Kind as Theirs;
        use value::Kind as Ours;
        Self {
            kind: value.kind.map(|kind| match kind {
                Theirs::NullValue(n) => Ours::NullValue(n),
                Theirs::NumberValue(n) => Ours::NumberValue(n),
                Theirs::StringValue(s) => Ours::StringValue(s),
                Theirs::BoolValue(b) => Ours::BoolValue(b),
                Theirs::StructValue(s) => Ours::StructValue(s.into()),
                Theirs::ListValue(l) => Ours::ListValue(l.into()),
            }),
            unknown_fields: crate::UnknownFields::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_round_trips_through_prost_types() {
        let ours = Any {
            type_url: "type.googleapis.com/x.Y".into(),
            value: vec![1, 2, 3].into(),
            unknown_fields: crate::UnknownFields::new(),
        };
        let theirs = prost_types::Any::from(ours.clone());
        assert_eq!(theirs.value, vec![1, 2, 3]);
        assert_eq!(Any::from(theirs), ours);
    }

    #[test]
    fn nested_struct_round_trips_through_prost_types() {
        let inner = Value {
            kind: Some(value::Kind::ListValue(ListValue {
                values: vec![Value {
                    kind: Some(value::Kind::NumberValue(1.5)),
                    unknown_fields: crate::UnknownFields::new(),
                }],
                unknown_fields: crate::UnknownFields::new(),
            })),
            unknown_fields: crate::UnknownFields::new(),
        };
        let ours = Struct {
            fields: [("k".to_string(), inner)].into_iter().collect(),
            unknown_fields: crate::UnknownFields::new(),
        };
        let theirs = prost_types::Struct::from(ours.clone());
        assert_eq!(Struct::from(theirs), ours);
    }
}
