//! ProtoJSON for the open enums: the value's name, or its number when the
//! name is not known. Parsing takes either.

use super::JsonErrorKind;
use super::field_kinds::{Enum, Kind, OpenEnum, de_fail};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! json_enum {
    ($($ty:ty),*) => {$(
        impl OpenEnum for $ty {
            const PROTO_NAME: &'static str = <$ty>::PROTO_NAME;
            fn from_number(number: i32) -> Self {
                <$ty>::from_i32(number)
            }
            fn number(self) -> i32 {
                self.as_i32()
            }
            fn from_name(name: &str) -> Option<Self> {
                <$ty>::from_str_name(name)
            }
            fn name(self) -> Option<&'static str> {
                self.as_str_name()
            }
        }

        /// The ProtoJSON form: the name, or the number when unknown.
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                Enum::<$ty>::serialize(&self.as_i32(), serializer)
            }
        }

        /// Accepts a name or a number; `null` and (with unknown fields
        /// ignored) unknown names are errors here, since there is no field
        /// to leave unset.
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Enum::<$ty>::deserialize(deserializer)?
                    .map(<$ty>::from_i32)
                    .ok_or_else(|| de_fail(JsonErrorKind::WrongType, concat!("expected a value of enum ", stringify!($ty))))
            }
        }
    )*};
}

// `json_enum!(...)` over every open enum, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/open_enum_json.rs"));

#[cfg(test)]
mod tests {
    use crate::flight::{CancelStatus, DescriptorType};
    use crate::rpc::Code;

    #[test]
    fn known_values_print_as_names_and_unknown_as_numbers() {
        assert_eq!(
            serde_json::to_string(&CancelStatus::CANCELLING).unwrap(),
            r#""CANCEL_STATUS_CANCELLING""#
        );
        assert_eq!(serde_json::to_string(&Code::from_i32(-3)).unwrap(), "-3");
    }

    #[test]
    fn names_and_numbers_parse() {
        assert_eq!(
            serde_json::from_str::<DescriptorType>(r#""CMD""#).unwrap(),
            DescriptorType::CMD
        );
        assert_eq!(
            serde_json::from_str::<Code>("99").unwrap(),
            Code::from_i32(99)
        );
        assert!(serde_json::from_str::<Code>(r#""cancelled""#).is_err());
        assert!(serde_json::from_str::<Code>("null").is_err());
    }
}
