//! The round-trip laws, on arbitrary messages: unknown enum numbers,
//! extreme 64-bit integers, bytes that are not UTF-8, timestamps and
//! durations out of range, `Struct` trees, `Any` payloads of every kind and
//! `Any` chains up to 20 deep.
//!
//! - binary: `decode(encode(x)) == x`;
//! - JSON: a message that prints parses back to the same message, and so
//!   to the same bytes; printing again gives the same text;
//! - a message that does not print fails with a printing error (out-of-range
//!   values, NaN in a `Value`, an `Any` whose payload does not decode).
//!
//! The fuzz targets check the same laws on bytes and text; here they are
//! checked on well-formed messages built directly, including the shapes
//! (deep `Any` chains, large trees) that random bytes rarely reach.

use bytes::Bytes;
use cancelwire::flight::{
    CancelFlightInfoResult, FlightDescriptor, FlightEndpoint, FlightInfo, Location, Ticket,
};
use cancelwire::json::{self, JsonErrorKind};
use cancelwire::longrunning::{Operation, operation};
use cancelwire::registry::DynMessage;
use cancelwire::rpc::{ErrorInfo, Status};
use cancelwire::wkt::{Any, Duration, ListValue, Struct, Timestamp, Value, value::Kind};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use prost::{Message, Name};
use serde::Serialize;
use serde::de::DeserializeOwned;

// ---- strategies ---------------------------------------------------------------

/// Any `i32`, with the known enum numbers and the edges drawn often.
fn open_enum() -> impl Strategy<Value = i32> {
    prop_oneof![any::<i32>(), -2..20i32, Just(i32::MIN), Just(i32::MAX)]
}

/// Any `i64`, with the edges drawn often.
fn extreme_i64() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        Just(i64::MIN),
        Just(i64::MAX),
        Just(-1),
        Just(0),
        Just(1 << 53),
        Just((1 << 53) + 1),
    ]
}

/// Any bytes, mostly not UTF-8.
fn raw_bytes() -> impl Strategy<Value = Bytes> {
    vec(any::<u8>(), 0..24).prop_map(Bytes::from)
}

/// Text with any characters: controls, quotes, non-ASCII, surrogates'
/// neighbours.
fn text() -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..12).prop_map(String::from_iter)
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    prop_oneof![
        // In range: prints and parses back.
        (-62_135_596_800i64..=253_402_300_799, 0..1_000_000_000i32).prop_map(|(seconds, nanos)| {
            Timestamp {
                seconds,
                nanos,
                ..Default::default()
            }
        }),
        // Anything: mostly out of range, which must fail to print.
        (extreme_i64(), any::<i32>()).prop_map(|(seconds, nanos)| Timestamp {
            seconds,
            nanos,
            ..Default::default()
        }),
    ]
}

fn duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        (0..=315_576_000_000i64, 0..1_000_000_000i32, any::<bool>()).prop_map(
            |(seconds, nanos, negative)| {
                let sign = if negative { -1 } else { 1 };
                Duration {
                    seconds: sign * seconds,
                    nanos: sign as i32 * nanos,
                    ..Default::default()
                }
            }
        ),
        (extreme_i64(), any::<i32>()).prop_map(|(seconds, nanos)| Duration {
            seconds,
            nanos,
            ..Default::default()
        }),
    ]
}

/// Finite numbers only: a `Value` cannot print NaN or the infinities (that
/// law has its own test below).
fn value_tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Kind::NullValue(0)),
        any::<f64>()
            .prop_filter("finite", |n| n.is_finite())
            .prop_map(Kind::NumberValue),
        text().prop_map(Kind::StringValue),
        any::<bool>().prop_map(Kind::BoolValue),
    ]
    .prop_map(|kind| Value {
        kind: Some(kind),
        ..Default::default()
    });
    leaf.prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            btree_map(text(), inner.clone(), 0..4).prop_map(|fields| Kind::StructValue(Struct {
                fields,
                ..Default::default()
            })),
            vec(inner, 0..4).prop_map(|values| Kind::ListValue(ListValue {
                values,
                ..Default::default()
            })),
        ]
        .prop_map(|kind| Value {
            kind: Some(kind),
            ..Default::default()
        })
    })
}

fn error_info() -> impl Strategy<Value = ErrorInfo> {
    (text(), text(), btree_map(text(), text(), 0..4)).prop_map(|(reason, domain, metadata)| {
        ErrorInfo {
            reason,
            domain,
            metadata,
            ..Default::default()
        }
    })
}

/// A message packed in an `Any`: every kind of payload, well-known or not.
fn packed() -> impl Strategy<Value = Any> {
    let pack = |message: &dyn DynMessage| Any {
        type_url: format!("type.googleapis.com/{}", message.message_name()),
        value: message.to_binary().into(),
        ..Default::default()
    };
    prop_oneof![
        duration().prop_map(move |d| pack(&d)),
        timestamp().prop_map(move |t| pack(&t)),
        value_tree().prop_map(move |v| pack(&v)),
        error_info().prop_map(move |e| pack(&e)),
        open_enum().prop_map(move |status| pack(&CancelFlightInfoResult {
            status,
            ..Default::default()
        })),
        raw_bytes().prop_map(move |ticket| pack(&Ticket {
            ticket,
            ..Default::default()
        })),
    ]
}

/// An `Any` inside an `Any` ... up to 20 deep.
fn any_chain() -> impl Strategy<Value = Any> {
    (packed(), 0..20usize).prop_map(|(mut any, levels)| {
        for _ in 0..levels {
            any = Any::from_msg(&any).unwrap();
        }
        any
    })
}

/// Payloads that may not resolve: unknown type URLs and bytes that are not
/// the named message.
fn hostile_any() -> impl Strategy<Value = Any> {
    prop_oneof![
        any_chain(),
        (text(), raw_bytes()).prop_map(|(type_url, value)| Any {
            type_url,
            value,
            ..Default::default()
        }),
        raw_bytes().prop_map(|value| Any {
            type_url: "type.googleapis.com/google.rpc.Status".into(),
            value,
            ..Default::default()
        }),
    ]
}

fn status() -> impl Strategy<Value = Status> {
    (open_enum(), text(), vec(any_chain(), 0..3)).prop_map(|(code, message, details)| Status {
        code,
        message,
        details,
        ..Default::default()
    })
}

fn operation() -> impl Strategy<Value = Operation> {
    let result = prop_oneof![
        Just(None),
        status().prop_map(|s| Some(operation::Result::Error(s))),
        any_chain().prop_map(|a| Some(operation::Result::Response(a))),
    ];
    (
        text(),
        proptest::option::of(any_chain()),
        any::<bool>(),
        result,
    )
        .prop_map(|(name, metadata, done, result)| Operation {
            name,
            metadata,
            done,
            result,
            ..Default::default()
        })
}

fn flight_info() -> impl Strategy<Value = FlightInfo> {
    let descriptor =
        (open_enum(), raw_bytes(), vec(text(), 0..3)).prop_map(|(r#type, cmd, path)| {
            FlightDescriptor {
                r#type,
                cmd,
                path,
                ..Default::default()
            }
        });
    let endpoint = (
        proptest::option::of(raw_bytes().prop_map(|ticket| Ticket {
            ticket,
            ..Default::default()
        })),
        vec(
            text().prop_map(|uri| Location {
                uri,
                ..Default::default()
            }),
            0..3,
        ),
        proptest::option::of(timestamp()),
        raw_bytes(),
    )
        .prop_map(
            |(ticket, location, expiration_time, app_metadata)| FlightEndpoint {
                ticket,
                location,
                expiration_time,
                app_metadata,
                ..Default::default()
            },
        );
    (
        raw_bytes(),
        proptest::option::of(descriptor),
        vec(endpoint, 0..3),
        extreme_i64(),
        extreme_i64(),
        any::<bool>(),
        raw_bytes(),
    )
        .prop_map(
            |(schema, flight_descriptor, endpoint, total_records, total_bytes, ordered, app)| {
                FlightInfo {
                    schema,
                    flight_descriptor,
                    endpoint,
                    total_records,
                    total_bytes,
                    ordered,
                    app_metadata: app,
                    ..Default::default()
                }
            },
        )
}

// ---- the laws -------------------------------------------------------------------

/// `decode(encode(x)) == x`.
fn binary_round_trip<M>(message: &M) -> Result<(), TestCaseError>
where
    M: Message + Name + Default + PartialEq + std::fmt::Debug,
{
    let bytes = message.encode_to_vec();
    let back: M = cancelwire::decode(Bytes::from(bytes.clone()))
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, message);
    prop_assert_eq!(back.encode_to_vec(), bytes);
    Ok(())
}

/// A message that prints parses back to itself (so to the same bytes) and
/// prints the same again; one that does not print fails with a printing
/// error. Returns whether it printed.
fn json_round_trip<M>(message: &M) -> Result<bool, TestCaseError>
where
    M: Message + Name + Default + PartialEq + std::fmt::Debug + Serialize + DeserializeOwned,
{
    let text = match json::to_string(message) {
        Ok(text) => text,
        Err(e) => {
            prop_assert!(e.is_printing(), "{}", e);
            return Ok(false);
        }
    };
    let back: M = json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
    prop_assert_eq!(&back, message, "through {}", text);
    prop_assert_eq!(back.encode_to_vec(), message.encode_to_vec());
    prop_assert_eq!(json::to_string(&back).ok(), Some(text.clone()));
    let pretty = json::to_string_pretty(message).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let from_pretty: M = json::from_str(&pretty).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&from_pretty, message);
    Ok(true)
}

/// Both laws.
fn laws<M>(message: &M) -> Result<bool, TestCaseError>
where
    M: Message + Name + Default + PartialEq + std::fmt::Debug + Serialize + DeserializeOwned,
{
    binary_round_trip(message)?;
    json_round_trip(message)
}

/// Whether every timestamp and duration in `any`'s chain is printable is
/// not known up front; this says whether the innermost payload is one.
fn innermost(any: &Any) -> Any {
    let mut any = any.clone();
    while let Ok(inner) = any.to_msg::<Any>() {
        any = inner;
    }
    any
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cancel_flight_info_result_keeps_any_status(status in open_enum()) {
        let message = CancelFlightInfoResult { status, ..Default::default() };
        prop_assert!(laws(&message)?, "every status prints");
    }

    #[test]
    fn flight_info_round_trips(info in flight_info()) {
        let printed = laws(&info)?;
        // Only an out-of-range expiration time keeps it from printing.
        let all_in_range = info
            .endpoint
            .iter()
            .filter_map(|e| e.expiration_time.as_ref())
            .all(|t| json::to_string(t).is_ok());
        prop_assert_eq!(printed, all_in_range);
    }

    #[test]
    fn status_with_any_details_round_trips(status in status()) {
        laws(&status)?;
    }

    #[test]
    fn operation_round_trips(op in operation()) {
        laws(&op)?;
    }

    #[test]
    fn value_trees_round_trip(value in value_tree()) {
        prop_assert!(laws(&value)?, "finite trees always print");
        if let Some(Kind::StructValue(s)) = &value.kind {
            prop_assert!(laws(s)?);
        }
    }

    #[test]
    fn any_chains_up_to_20_deep_round_trip(any in any_chain()) {
        let printed = laws(&any)?;
        let leaf = innermost(&any);
        let leaf_prints = json::to_string(&leaf).is_ok();
        prop_assert_eq!(printed, leaf_prints, "{:?}", leaf);
    }

    #[test]
    fn unresolvable_any_fails_to_print_as_invalid_any(any in hostile_any()) {
        binary_round_trip(&any)?;
        match json::to_string(&any) {
            Ok(text) => {
                // It resolved: the JSON law holds on its canonical form.
                let back: Any = json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(json::to_string(&back).ok(), Some(text));
            }
            Err(e) => {
                prop_assert!(e.is_printing());
                prop_assert!(
                    matches!(e.kind(), JsonErrorKind::InvalidAny | JsonErrorKind::OutOfRange),
                    "{:?}: {}", e.kind(), e
                );
            }
        }
    }

    #[test]
    fn values_without_json_form_fail_to_print(n in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY)]) {
        let value = Value { kind: Some(Kind::NumberValue(n)), ..Default::default() };
        binary_round_trip_bits(&value)?;
        let e = json::to_string(&value).unwrap_err();
        prop_assert_eq!(e.kind(), JsonErrorKind::OutOfRange);
    }

    #[test]
    fn a_value_without_kind_prints_as_null_and_is_stable_from_then_on(tree in value_tree()) {
        // `Value {}` and `NULL_VALUE` share the JSON `null`: the first trip
        // turns one into the other, every later trip changes nothing.
        let holder = Struct {
            fields: [("none".to_string(), Value::default()), ("tree".to_string(), tree)]
                .into_iter()
                .collect(), ..Default::default()
        };
        let text = json::to_string(&holder).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let once: Struct = json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(once.fields["none"].kind.clone(), Some(Kind::NullValue(0)));
        prop_assert_eq!(json::to_string(&once).ok(), Some(text));
        laws(&once)?;
    }
}

/// For messages holding NaN, where `==` does not hold: the bytes do.
fn binary_round_trip_bits(value: &Value) -> Result<(), TestCaseError> {
    let bytes = value.encode_to_vec();
    let back: Value =
        cancelwire::decode(bytes.as_slice()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(back.encode_to_vec(), bytes);
    Ok(())
}
