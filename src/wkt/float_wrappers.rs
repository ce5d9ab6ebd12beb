//! `google.protobuf.DoubleValue` and `FloatValue`, written by hand.
//!
//! prost leaves out an implicit-presence float field that compares equal to
//! `0.0`, which drops `-0.0`; the reference implementations leave it out
//! only when its bits are zero. These two wrappers are the only such fields
//! in the crate, so their encoding is spelled out here to stay
//! byte-identical.

use bytes::{Buf, BufMut};
use prost::encoding::{self, DecodeContext, WireType};
use prost::{DecodeError, Message, Name};

macro_rules! float_wrapper {
    ($(#[$doc:meta])* $name:ident($ty:ty, $codec:ident, $example:literal, $wire:expr)) => {
        $(#[$doc])*
        ///
        /// ```
        /// use prost::Message;
        #[doc = concat!("use cancelwire::wkt::", stringify!($name), ";")]
        ///
        #[doc = concat!("assert!(", stringify!($name), " { value: 0.0 }.encode_to_vec().is_empty());")]
        #[doc = concat!("assert_eq!(", stringify!($name), " { value: -0.0 }.encode_to_vec(), ", $wire, ");")]
        #[doc = concat!("let back = ", stringify!($name), "::decode(&", $wire, "[..]).unwrap();")]
        /// assert!(back.value.is_sign_negative());
        /// ```
        #[derive(Clone, Copy, PartialEq, Default, Debug)]
        pub struct $name {
            /// The value.
            pub value: $ty,
        }

        impl Message for $name {
            fn encode_raw(&self, buf: &mut impl BufMut) {
                if self.value.to_bits() != 0 {
                    encoding::$codec::encode(1, &self.value, buf);
                }
            }

            fn merge_field(
                &mut self,
                tag: u32,
                wire_type: WireType,
                buf: &mut impl Buf,
                ctx: DecodeContext,
            ) -> Result<(), DecodeError> {
                if tag == 1 {
                    encoding::$codec::merge(wire_type, &mut self.value, buf, ctx)
                        .map_err(|error| crate::decode::in_field(error, stringify!($name), "value"))
                } else {
                    encoding::skip_field(wire_type, tag, buf, ctx)
                }
            }

            fn encoded_len(&self) -> usize {
                if self.value.to_bits() != 0 {
                    encoding::$codec::encoded_len(1, &self.value)
                } else {
                    0
                }
            }

            fn clear(&mut self) {
                self.value = 0.0;
            }
        }

        impl Name for $name {
            const NAME: &'static str = stringify!($name);
            const PACKAGE: &'static str = "google.protobuf";

            fn type_url() -> String {
                concat!("type.googleapis.com/google.protobuf.", stringify!($name)).into()
            }
        }
    };
}

float_wrapper!(
    /// A boxed double (`google.protobuf.DoubleValue`).
    DoubleValue(f64, double, "DoubleValue", "[0x09, 0, 0, 0, 0, 0, 0, 0, 0x80]")
);
float_wrapper!(
    /// A boxed float (`google.protobuf.FloatValue`).
    FloatValue(f32, float, "FloatValue", "[0x0d, 0, 0, 0, 0x80]")
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_skipped_and_the_last_value_wins() {
        let wire = [
            0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0x05, 0x09, 0, 0, 0, 0, 0, 0, 0, 0x40,
        ];
        assert_eq!(DoubleValue::decode(&wire[..]).unwrap().value, 2.0);
    }

    #[test]
    fn a_wrong_wire_type_is_an_error_naming_the_field() {
        let err = FloatValue::decode(&[0x08, 0x01][..]).unwrap_err();
        assert!(err.to_string().contains("FloatValue.value"), "{err}");
    }

    #[test]
    fn the_type_urls_are_googles() {
        assert_eq!(DoubleValue::full_name(), "google.protobuf.DoubleValue");
        assert_eq!(
            FloatValue::type_url(),
            "type.googleapis.com/google.protobuf.FloatValue"
        );
    }
}
