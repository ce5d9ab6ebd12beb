//! ProtoJSON for the open enums: the value's name, or its number when the
//! name is not known. Parsing takes either.

/// The `OpenEnum` and serde impls of open enums; `cancelwire-build` writes
/// an invocation after every `__open_enum!`, in this crate and in users'.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_enum {
    ($($ty:ty),*) => {$(
        impl $crate::__private::field_kinds::OpenEnum for $ty {
            const PROTO_NAME: &'static str = <$ty>::PROTO_NAME;
            fn from_number(number: i32) -> Self {
                <$ty>::from_i32(number)
            }
            fn number(self) -> i32 {
                self.as_i32()
            }
            fn from_name(name: &str) -> ::core::option::Option<Self> {
                <$ty>::from_str_name(name)
            }
            fn name(self) -> ::core::option::Option<&'static str> {
                self.as_str_name()
            }
        }

        /// The ProtoJSON form: the name, or the number when unknown.
        impl $crate::__private::serde::Serialize for $ty {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                <$crate::__private::field_kinds::Enum<$ty> as $crate::__private::field_kinds::Kind>::serialize(&self.as_i32(), serializer)
            }
        }

        /// Accepts a name or a number; `null` and (with unknown fields
        /// ignored) unknown names are errors here, since there is no field
        /// to leave unset.
        impl<'de> $crate::__private::serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                <$crate::__private::field_kinds::Enum<$ty> as $crate::__private::field_kinds::Kind>::deserialize(deserializer)?
                    .map(<$ty>::from_i32)
                    .ok_or_else(|| $crate::__private::field_kinds::de_fail(
                        $crate::json::JsonErrorKind::WrongType,
                        concat!("expected a value of enum ", stringify!($ty)),
                    ))
            }
        }
    )*};
}

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
