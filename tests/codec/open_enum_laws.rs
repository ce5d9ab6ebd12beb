//! The laws every open enum obeys, for every `i32`: printing then parsing
//! gives the value back, the number survives wrapping, `is_known` agrees with
//! `as_str_name`, and the message that carries the enum keeps the number
//! through binary encoding and decoding.

use cancelwire::flight::{CancelFlightInfoResult, CancelStatus, DescriptorType, FlightDescriptor};
use cancelwire::rpc::{Code, Status};
use proptest::prelude::*;
use prost::Message;

/// Any `i32`, with the known values and the edges drawn more often than
/// chance would draw them.
fn number() -> impl Strategy<Value = i32> {
    prop_oneof![any::<i32>(), -2..20i32, Just(i32::MIN), Just(i32::MAX),]
}

macro_rules! enum_laws {
    ($module:ident, $enum:ty, $message:ty, $field:ident, $getter:ident, $setter:ident) => {
        mod $module {
            use super::*;

            proptest! {
                #[test]
                fn display_then_from_str_round_trips(x in number()) {
                    let value = <$enum>::from_i32(x);
                    let parsed: $enum = value.to_string().parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
                    prop_assert_eq!(parsed, value);
                }

                #[test]
                fn from_i32_then_as_i32_is_identity(x in number()) {
                    prop_assert_eq!(<$enum>::from_i32(x).as_i32(), x);
                    prop_assert_eq!(i32::from(<$enum>::from(x)), x);
                }

                #[test]
                fn is_known_iff_it_has_a_name(x in number()) {
                    let value = <$enum>::from_i32(x);
                    prop_assert_eq!(value.is_known(), value.as_str_name().is_some());
                    prop_assert_eq!(value.is_known(), <$enum>::KNOWN.contains(&value));
                }

                #[test]
                fn a_name_parses_back_to_its_value(x in number()) {
                    let value = <$enum>::from_i32(x);
                    if let Some(name) = value.as_str_name() {
                        prop_assert_eq!(<$enum>::from_str_name(name), Some(value));
                    } else {
                        // An unknown value prints as its decimal number.
                        prop_assert_eq!(value.to_string(), x.to_string());
                    }
                }

                #[test]
                fn the_carrying_message_keeps_the_number(x in number()) {
                    let mut message = <$message>::default();
                    message.$setter(<$enum>::from_i32(x));
                    let wire = message.encode_to_vec();
                    let back: $message = cancelwire::decode(wire.as_slice())
                        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
                    prop_assert_eq!(back.$field, x);
                    prop_assert_eq!(back.$getter(), <$enum>::from_i32(x));
                }
            }
        }
    };
}

enum_laws!(
    cancel_status,
    CancelStatus,
    CancelFlightInfoResult,
    status,
    status,
    set_status
);
enum_laws!(
    descriptor_type,
    DescriptorType,
    FlightDescriptor,
    r#type,
    descriptor_type,
    set_descriptor_type
);
enum_laws!(code, Code, Status, code, code, set_code);

#[test]
fn text_that_is_neither_name_nor_number_is_rejected() {
    for text in ["", "cancelled", "CANCELLED ", "2147483648", "0x1", "OK"] {
        assert!(
            text.parse::<CancelStatus>().is_err(),
            "{text:?} parsed as CancelStatus"
        );
    }
    assert_eq!("OK".parse::<Code>(), Ok(Code::OK));
}
