//! `json::to_string` prints an `Any`'s payload straight from its wire bytes
//! where it can, and from the decoded struct where it gives up; every other
//! serializer (plain `serde_json`, and `to_string_pretty`, which runs on
//! it) always prints the decoded struct. These tests hold the two roads to
//! the same output and the same errors on canonical payloads, on payloads
//! written in every form decoding accepts (out of order, repeated, merged,
//! packed or not, unknown fields, duplicate map keys) and on hundreds of
//! thousands of mutated ones.

use bytes::Bytes;
use cancelwire::flight::{
    CancelFlightInfoResult, CancelStatus, DescriptorType, FlightDescriptor, FlightEndpoint,
    FlightInfo, Location, PollInfo, Ticket,
};
use cancelwire::json::JsonOptions;
use cancelwire::longrunning::{ListOperationsRequest, Operation, WaitOperationRequest, operation};
use cancelwire::rpc::{
    BadRequest, Code, DebugInfo, ErrorInfo, Help, LocalizedMessage, PreconditionFailure,
    QuotaFailure, RequestInfo, ResourceInfo, RetryInfo, Status, bad_request, help,
    precondition_failure, quota_failure,
};
use cancelwire::wkt::{Any, Duration, Empty, Timestamp};
use prost::Name;

fn any_of(type_name: &str, value: impl Into<Bytes>) -> Any {
    Any {
        type_url: format!("type.googleapis.com/{type_name}"),
        value: value.into(),
        ..Default::default()
    }
}

/// Prints `message` both ways under `options` and requires the same text,
/// or the same error (kind, path and message).
fn same_both_ways<M: serde::Serialize + Name + std::fmt::Debug>(
    options: &JsonOptions,
    message: &M,
) {
    let from_wire = options.to_string(message);
    let decoded = options.to_string_pretty(message);
    match (from_wire, decoded) {
        (Ok(text), Ok(_)) => {
            let compact = serde_json::to_string(message).expect("serde_json prints it too");
            assert_eq!(text, compact, "{message:?}");
        }
        (Err(a), Err(b)) => {
            assert_eq!(
                (a.kind(), a.path().to_string(), a.to_string()),
                (b.kind(), b.path().to_string(), b.to_string()),
                "{message:?}"
            );
        }
        (a, b) => panic!("one road failed: from the wire {a:?}, decoded {b:?}: {message:?}"),
    }
}

/// The payload checked alone, inside an `Operation` and among a `Status`'s
/// details.
fn same_everywhere(any: &Any) {
    let options = JsonOptions::new();
    same_both_ways(&options, any);
    let operation = Operation {
        name: "operations/7".into(),
        metadata: Some(any.clone()),
        done: true,
        result: Some(operation::Result::Response(any.clone())),
        ..Default::default()
    };
    same_both_ways(&options, &operation);
    let status = Status {
        code: 3,
        details: vec![any.clone(), any.clone()],
        ..Default::default()
    };
    same_both_ways(&options, &status);
}

fn timestamp(seconds: i64, nanos: i32) -> Timestamp {
    Timestamp {
        seconds,
        nanos,
        ..Default::default()
    }
}

fn flight_info() -> FlightInfo {
    FlightInfo {
        schema: Bytes::from_static(b"\x00\x01schema\xff"),
        flight_descriptor: Some(FlightDescriptor {
            r#type: DescriptorType::PATH.as_i32(),
            cmd: Bytes::from_static(b"SELECT 1"),
            path: vec!["a".into(), "b\"quoted\"\n".into(), String::new()],
            ..Default::default()
        }),
        endpoint: (0..3)
            .map(|i| FlightEndpoint {
                ticket: Some(Ticket {
                    ticket: Bytes::from(format!("ticket-{i}")),
                    ..Default::default()
                }),
                location: (0..i)
                    .map(|j| Location {
                        uri: format!("grpc://node-{j}:443"),
                        ..Default::default()
                    })
                    .collect(),
                expiration_time: (i != 1).then(|| timestamp(1_700_000_000 + i, 5_000_000)),
                app_metadata: Bytes::from(vec![i as u8; i as usize * 7]),
                ..Default::default()
            })
            .collect(),
        total_records: -1,
        total_bytes: 1 << 40,
        ordered: true,
        app_metadata: Bytes::new(),
        ..Default::default()
    }
}

/// One payload of each shape the printer handles, and some it gives up on.
fn payloads() -> Vec<Any> {
    let to_any = |m: &dyn Fn() -> Result<Any, prost::EncodeError>| m().unwrap();
    vec![
        to_any(&|| Any::from_msg(&flight_info())),
        to_any(&|| Any::from_msg(&FlightInfo::default())),
        // Large: tens of KiB printed straight into the output.
        to_any(&|| {
            Any::from_msg(&FlightInfo {
                endpoint: (0..600).flat_map(|_| flight_info().endpoint).collect(),
                ..flight_info()
            })
        }),
        to_any(&|| {
            Any::from_msg(&CancelFlightInfoResult {
                status: CancelStatus::CANCELLING.as_i32(),
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&CancelFlightInfoResult {
                status: 77,
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&PollInfo {
                info: Some(flight_info()),
                expiration_time: Some(timestamp(-62_135_596_800, 0)),
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&PollInfo {
                progress: Some(0.5),
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&ErrorInfo {
                reason: "BAD".into(),
                domain: "example.com".into(),
                metadata: [("b", "2"), ("a", "1\u{1}"), ("", "")]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
                ..Default::default()
            })
        }),
        // More map entries than the printer gathers.
        to_any(&|| {
            Any::from_msg(&ErrorInfo {
                metadata: (0..40)
                    .map(|i| (format!("k{i}"), format!("v{i}")))
                    .collect(),
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&RetryInfo {
                retry_delay: Some(Duration {
                    seconds: -3,
                    nanos: -500,
                    ..Default::default()
                }),
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&DebugInfo {
                stack_entries: vec!["one".into(), "two".into()],
                detail: "d".into(),
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&QuotaFailure {
                violations: vec![quota_failure::Violation {
                    subject: "s".into(),
                    description: "d".into(),
                    ..Default::default()
                }],
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&PreconditionFailure {
                violations: vec![precondition_failure::Violation {
                    r#type: "TOS".into(),
                    ..Default::default()
                }],
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&BadRequest {
                field_violations: vec![
                    bad_request::FieldViolation {
                        field: "f".into(),
                        description: "why".into(),
                        ..Default::default()
                    };
                    2
                ],
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&RequestInfo {
                request_id: "r".into(),
                serving_data: "s".into(),
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&ResourceInfo {
                resource_type: "t".into(),
                owner: "o".into(),
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&Help {
                links: vec![help::Link {
                    url: "https://example.com/\u{e9}".into(),
                    ..Default::default()
                }],
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&LocalizedMessage {
                locale: "fr".into(),
                message: "été".into(),
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&ListOperationsRequest {
                name: "n".into(),
                page_size: -5,
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&WaitOperationRequest {
                name: "n".into(),
                timeout: Some(Duration::default()),
                ..Default::default()
            })
        }),
        to_any(&|| {
            Any::from_msg(&Status {
                code: Code::NOT_FOUND.as_i32(),
                ..Default::default()
            })
        }),
        to_any(&|| Any::from_msg(&timestamp(1, 999_999_999))),
        to_any(&|| Any::from_msg(&timestamp(253_402_300_800, 0))),
        to_any(&|| {
            Any::from_msg(&Duration {
                seconds: 315_576_000_000,
                ..Default::default()
            })
        }),
        to_any(&|| Any::from_msg(&Empty::default())),
        to_any(&|| Any::from_msg(&Any::from_msg(&Empty::default()).unwrap())),
        any_of("arrow.flight.protocol.NotAType", &b"\x08\x01"[..]),
        Any::default(),
    ]
}

#[test]
fn the_crates_payloads_print_the_same_both_ways() {
    for any in payloads() {
        same_everywhere(&any);
    }
}

/// Hand-written wire forms that decoding accepts and encoders do not write.
#[test]
fn every_accepted_wire_form_prints_the_same_both_ways() {
    let info = "arrow.flight.protocol.FlightInfo";
    let result = "arrow.flight.protocol.CancelFlightInfoResult";
    let descriptor = "arrow.flight.protocol.FlightDescriptor";
    let error_info = "google.rpc.ErrorInfo";
    let cases: Vec<(&str, &[u8])> = vec![
        // total_records (3), then schema (1): out of order.
        (info, b"\x18\x05\x0a\x02hi"),
        // schema twice: the last one counts.
        (info, b"\x0a\x01a\x0a\x01b"),
        // flight_descriptor twice: the two merge.
        (info, b"\x12\x02\x08\x01\x12\x03\x1a\x01p"),
        // endpoint (3), total_records (4), endpoint again.
        (info, b"\x1a\x00\x20\x01\x1a\x00"),
        // An implicit field written with its default, then nothing.
        (info, b"\x20\x00\x28\x00\x30\x00"),
        // int64 written as a 10-byte negative varint; a huge uint.
        (info, b"\x20\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
        // Unknown fields of every wire type, in between and after.
        (
            info,
            b"\x0a\x01a\xf8\x01\x05\xfd\x01\x01\x02\x03\x04\xf9\x01\x01\x02\x03\x04\x05\x06\x07\x08\xfa\x01\x01z\x20\x07",
        ),
        // An unknown group (start, a varint, end).
        (info, b"\x0a\x01a\xfb\x01\x08\x01\xfc\x01\x20\x07"),
        // A non-minimal key (field 1 in two bytes).
        (info, b"\x8a\x00\x01a"),
        // Invalid UTF-8 in a nested string.
        (info, b"\x1a\x06\x12\x04\x0a\x02\xc3\x28"),
        // Truncated length, truncated varint, bad wire type.
        (info, b"\x0a\x05ab"),
        (info, b"\x20\xff"),
        (info, b"\x0f"),
        // Field number 0.
        (info, b"\x00\x01"),
        // A timestamp out of range, and one with nanos out of range.
        (info, b"\x1a\x0b\x1a\x09\x08\x80\x80\x80\x80\x80\x80\x80\x80\x01"),
        (info, b"\x1a\x08\x1a\x06\x10\xff\xff\xff\xff\x07"),
        // A timestamp's seconds given twice.
        (info, b"\x1a\x06\x1a\x04\x08\x01\x08\x02"),
        // The enum unknown, negative, and given twice.
        (result, b"\x08\x63"),
        (result, b"\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
        (result, b"\x08\x01\x08\x02"),
        // The enum as a packed run: not a repeated field.
        (result, b"\x0a\x01\x01"),
        // Repeated strings split by another field.
        (descriptor, b"\x1a\x01a\x12\x01c\x1a\x01b"),
        (descriptor, b"\x1a\x01a\x1a\x00\x1a\x01b"),
        // Map entries out of order, a duplicate key, a missing key or
        // value, fields of an entry reversed, unknown fields in an entry.
        (
            error_info,
            b"\x1a\x06\x0a\x01b\x12\x01x\x1a\x06\x0a\x01a\x12\x01y\x1a\x06\x0a\x01b\x12\x01z",
        ),
        (error_info, b"\x1a\x03\x12\x01v\x1a\x03\x0a\x01k"),
        (error_info, b"\x1a\x06\x12\x01v\x0a\x01k\x1a\x09\x0a\x01k\x12\x01w\x18\x01"),
        (error_info, b"\x1a\x04\x0a\x01k\x12"),
        // A map entry with its key given twice.
        (error_info, b"\x1a\x06\x0a\x01k\x0a\x01j"),
        // reason (1) after metadata (3).
        (error_info, b"\x1a\x03\x0a\x01k\x0a\x01r"),
    ];
    for (type_name, bytes) in cases {
        same_everywhere(&any_of(type_name, bytes.to_vec()));
    }
}

#[test]
fn payloads_at_the_nesting_limit_print_the_same_both_ways() {
    let any = Any::from_msg(&flight_info()).unwrap();
    let operation = Operation {
        metadata: Some(any.clone()),
        ..Default::default()
    };
    for limit in 0..6 {
        let options = JsonOptions::new().max_depth(limit);
        same_both_ways(&options, &any);
        same_both_ways(&options, &operation);
    }
}

/// A small deterministic generator (xorshift), so that failures repeat.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Flips, inserts, deletes and copies bytes of the crate's payloads and
/// joins payloads of the same type (which decoding merges).
#[test]
fn mutated_payloads_print_the_same_both_ways() {
    let seeds: Vec<Any> = payloads()
        .into_iter()
        // The large payload would make each round slow, not different.
        .filter(|any| !any.value.is_empty() && any.value.len() < 4096)
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let options = JsonOptions::new();
    for _ in 0..40_000 {
        let seed = &seeds[rng.below(seeds.len())];
        let mut bytes = seed.value.to_vec();
        for _ in 0..=rng.below(3) {
            if bytes.is_empty() {
                bytes.push(rng.next() as u8);
            }
            let at = rng.below(bytes.len());
            match rng.below(6) {
                0 => bytes[at] = rng.next() as u8,
                1 => bytes.insert(at, rng.next() as u8),
                2 => {
                    bytes.remove(at);
                }
                3 => {
                    let end = (at + rng.below(8)).min(bytes.len());
                    let copy = bytes[at..end].to_vec();
                    let to = rng.below(bytes.len());
                    bytes.splice(to..to, copy);
                }
                4 => bytes.extend_from_slice(&seed.value),
                _ => bytes[at] ^= 1 << rng.below(8),
            }
        }
        let any = Any {
            type_url: seed.type_url.clone(),
            value: bytes.into(),
            ..Default::default()
        };
        same_both_ways(&options, &any);
    }
}

/// A user's message whose serde impl panics: printed through a caller's
/// registry, on the decoded road.
#[derive(Clone, PartialEq, prost::Message)]
struct Exploding {
    #[prost(bytes = "vec", tag = "1")]
    blob: Vec<u8>,
}

impl Name for Exploding {
    const NAME: &'static str = "Exploding";
    const PACKAGE: &'static str = "acme";
}

impl serde::Serialize for Exploding {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        panic!("a caller's serde impl panics");
    }
}

impl<'de> serde::Deserialize<'de> for Exploding {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Ok(Self::default())
    }
}

/// A panic in a caller's serde impl while our writer prints an `Any` (a
/// caller's registry sends it down the decoded road) leaves nothing behind
/// that a later print on the thread, ours or plain serde_json's, could pick
/// up: not the printing flag, not a half-started `Any`.
#[test]
fn a_panic_while_printing_leaves_later_prints_right() {
    let mut registry = cancelwire::registry::Registry::default();
    registry.register::<Exploding>();
    let options = JsonOptions::new().registry(registry);
    let exploding = Any::from_msg(&Exploding {
        blob: vec![7; 40 * 1024],
    })
    .unwrap();
    std::thread::spawn(move || {
        let panicked = std::panic::catch_unwind(|| options.to_string(&exploding));
        assert!(panicked.is_err());
        let large = Any::from_msg(&FlightInfo {
            endpoint: (0..600).flat_map(|_| flight_info().endpoint).collect(),
            ..flight_info()
        })
        .unwrap();
        let plain = serde_json::to_string(&large).unwrap();
        assert!(
            plain
                .starts_with(r#"{"@type":"type.googleapis.com/arrow.flight.protocol.FlightInfo","#)
        );
        assert_eq!(JsonOptions::new().to_string(&large).unwrap(), plain);
        same_everywhere(&Any::from_msg(&flight_info()).unwrap());
    })
    .join()
    .unwrap();
}

/// A user's message whose serde impl prints its `Any` with serde_json
/// first, while our writer prints the message.
#[derive(Clone, PartialEq, prost::Message)]
struct Carrier {
    #[prost(message, optional, tag = "1")]
    inner: Option<Any>,
}

impl Name for Carrier {
    const NAME: &'static str = "Carrier";
    const PACKAGE: &'static str = "acme";
}

impl serde::Serialize for Carrier {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeStruct};
        let inner = serde_json::to_value(&self.inner).map_err(S::Error::custom)?;
        let mut fields = serializer.serialize_struct("Carrier", 1)?;
        fields.serialize_field("inner", &inner)?;
        fields.end()
    }
}

/// An `Any` handed to another serializer while our writer is printing
/// prints as that serializer's object, not as the parts it hands ours.
#[test]
fn an_any_printed_by_another_serializer_inside_ours_is_an_object() {
    let carrier = Carrier {
        inner: Some(Any::from_msg(&flight_info()).unwrap()),
    };
    let ours = cancelwire::json::to_string(&carrier).unwrap();
    let plain = serde_json::to_string(&carrier).unwrap();
    assert_eq!(ours, plain);
    assert!(
        ours.starts_with(
            r#"{"inner":{"@type":"type.googleapis.com/arrow.flight.protocol.FlightInfo","#
        ),
        "{ours}"
    );
}
