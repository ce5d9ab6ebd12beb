//! Nesting limits on hostile input: binary and JSON nested 100,000 levels
//! deep are rejected with a clear error, never a stack overflow, and the two
//! codecs agree on where the limit lies.
//!
//! Every case runs on a thread with a 512 KiB stack, a quarter of what a
//! tokio worker thread gets (2 MiB, also Rust's default for spawned
//! threads), in a debug build, whose frames are the largest. Passing there
//! shows that the limits, not the stack, stop the recursion, with room to
//! spare on any realistic thread. (Measured in a debug build: the binary
//! cases pass on 128-192 KiB; the deepest JSON case, an `Any` chain whose
//! object is buffered up to serde_json's own limit of 128 levels before our
//! limit applies, needs between 256 and 384 KiB.)

use bytes::Bytes;
use cancelwire::json::{self, JsonErrorKind, JsonOptions};
use cancelwire::registry::Registry;
use cancelwire::rpc::Status;
use cancelwire::wkt::{Any, ListValue, Struct, Value, value::Kind};
use prost::Message;

/// The stack the cases run on.
const STACK: usize = 512 * 1024;
/// How deep the hostile inputs are nested.
const LEVELS: usize = 100_000;

fn on_small_stack<T: Send + 'static>(case: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(case)
        .expect("thread starts")
        .join()
        .expect("no stack overflow or panic")
}

/// Builds protobuf bytes from the inside out in O(total length): the
/// buffer is kept reversed while wrapping.
struct Inside(Vec<u8>);

impl Inside {
    fn new(innermost: &[u8]) -> Self {
        Self(innermost.iter().rev().copied().collect())
    }

    /// Wraps everything so far as a length-delimited field with this key
    /// byte (field number << 3 | 2), after `prefix` (raw bytes that come
    /// before the field).
    fn wrap(&mut self, key: u8, prefix: &[u8]) {
        let mut len = self.0.len() as u64;
        let mut varint = Vec::new();
        loop {
            let byte = (len & 0x7f) as u8;
            len >>= 7;
            if len == 0 {
                varint.push(byte);
                break;
            }
            varint.push(byte | 0x80);
        }
        self.0.extend(varint.iter().rev());
        self.0.push(key);
        self.0.extend(prefix.iter().rev());
    }

    fn finish(mut self) -> Bytes {
        self.0.reverse();
        self.0.into()
    }
}

/// A `Value` of `lists` nested lists, `[[[...]]]`, as binary.
fn binary_nested_lists(lists: usize) -> Bytes {
    let mut bytes = Inside::new(&[]);
    bytes.wrap(0x32, &[]); // Value.list_value = 6: the innermost, empty list
    for _ in 1..lists {
        bytes.wrap(0x0a, &[]); // ListValue.values = 1: the Value so far
        bytes.wrap(0x32, &[]); // Value.list_value = 6: the ListValue so far
    }
    bytes.finish()
}

/// A `Struct` of `levels` objects nested under key "a", `{"a":{"a":...}}`,
/// as binary.
fn binary_nested_objects(levels: usize) -> Bytes {
    let mut bytes = Inside::new(&[]);
    for _ in 0..levels {
        bytes.wrap(0x2a, &[]); // Value.struct_value = 5 (the Struct)
        bytes.wrap(0x12, &[0x0a, 0x01, b'a']); // entry: key "a", value = 2
        bytes.wrap(0x0a, &[]); // Struct.fields = 1 (the entry)
    }
    bytes.finish()
}

const ANY_URL: &str = "type.googleapis.com/google.protobuf.Any";

/// An `Any` holding an `Any` holding ... `levels` deep, holding a
/// `Duration`, as binary.
fn binary_any_chain(levels: usize) -> Bytes {
    let mut bytes = Inside::new(&[0x08, 0x01]); // Duration { seconds: 1 }
    let duration_url = b"type.googleapis.com/google.protobuf.Duration";
    let url_field = |url: &[u8]| [&[0x0a, url.len() as u8][..], url].concat();
    bytes.wrap(0x12, &url_field(duration_url));
    for _ in 1..levels {
        bytes.wrap(0x12, &url_field(ANY_URL.as_bytes()));
    }
    bytes.finish()
}

#[test]
fn the_binary_builders_make_what_prost_makes() {
    let list = Value {
        kind: Some(Kind::ListValue(ListValue {
            values: vec![Value {
                kind: Some(Kind::ListValue(ListValue::default())),
                ..Default::default()
            }],
            ..Default::default()
        })),
        ..Default::default()
    };
    assert_eq!(binary_nested_lists(2), list.encode_to_vec());

    let object = Struct {
        fields: [(
            "a".to_string(),
            Value {
                kind: Some(Kind::StructValue(Struct::default())),
                ..Default::default()
            },
        )]
        .into_iter()
        .collect(),
        ..Default::default()
    };
    assert_eq!(binary_nested_objects(1), object.encode_to_vec());

    let mut any = Any::from_msg(&cancelwire::wkt::Duration {
        seconds: 1,
        nanos: 0,
        ..Default::default()
    })
    .unwrap();
    for _ in 1..3 {
        any = Any::from_msg(&any).unwrap();
    }
    assert_eq!(binary_any_chain(3), any.encode_to_vec());
}

#[test]
fn binary_lists_100000_deep_hit_the_recursion_limit() {
    let error =
        on_small_stack(|| cancelwire::decode::<Value>(binary_nested_lists(LEVELS)).unwrap_err());
    assert!(
        error.to_string().contains("recursion limit reached"),
        "{error}"
    );
    assert_eq!(error.type_name(), "google.protobuf.Value");
}

#[test]
fn binary_objects_100000_deep_hit_the_recursion_limit() {
    let error =
        on_small_stack(|| cancelwire::decode::<Struct>(binary_nested_objects(LEVELS)).unwrap_err());
    assert!(
        error.to_string().contains("recursion limit reached"),
        "{error}"
    );
}

#[test]
fn binary_unknown_groups_100000_deep_hit_the_recursion_limit() {
    // Field 2 as a group (start 0x13, end 0x14), nested, in a message that
    // does not know field 2: prost skips groups recursively.
    let mut bytes = vec![0x13; LEVELS];
    bytes.extend(std::iter::repeat_n(0x14, LEVELS));
    let error = on_small_stack(move || {
        cancelwire::decode::<cancelwire::flight::Ticket>(Bytes::from(bytes)).unwrap_err()
    });
    assert!(
        error.to_string().contains("recursion limit reached"),
        "{error}"
    );
}

#[test]
fn every_registered_type_rejects_100000_levels_of_its_own_first_message_field() {
    // Field 1 nested as length-delimited fields: wherever field 1 is a
    // message (or a map entry), the nesting recurses until the limit; where
    // it is not, decoding stops at the first level. Either way: an error or
    // a message, never an overflow.
    let mut bytes = Inside::new(&[]);
    for _ in 0..LEVELS {
        bytes.wrap(0x0a, &[]);
    }
    let bytes = bytes.finish();
    on_small_stack(move || {
        let registry = Registry::default();
        for name in registry.names() {
            let _ = registry.get(name).unwrap().decode(bytes.clone());
        }
    });
}

#[test]
fn binary_any_chains_100000_deep_decode_but_fail_to_print_too_deep() {
    // An Any's payload is only bytes to the decoder, so the chain decodes;
    // printing decodes payload after payload and must stop at the JSON
    // limit, with an error rather than an overflow.
    let (decoded, printed, in_status) = on_small_stack(|| {
        let bytes = binary_any_chain(LEVELS);
        let any: Any = cancelwire::decode(bytes.clone()).unwrap();
        let printed = json::to_string(&any);
        let status = Status {
            code: 2,
            details: vec![any.clone()],
            ..Default::default()
        };
        (any, printed, json::to_string(&status))
    });
    assert_eq!(decoded.type_url, ANY_URL);
    for result in [printed, in_status] {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), JsonErrorKind::TooDeep, "{error}");
        assert!(error.is_printing());
        assert!(
            error
                .reason()
                .contains("nesting is deeper than the limit of 100"),
            "{error}"
        );
    }
}

fn lenient_parse<M: serde::de::DeserializeOwned + prost::Name>(text: &str) -> M {
    JsonOptions::new()
        .ignore_unknown_fields(true)
        .from_str(text)
        .unwrap()
}

/// Parses `text` as `M` on the small stack and returns the error.
fn json_error<M>(text: String, options: JsonOptions) -> json::JsonError
where
    M: serde::de::DeserializeOwned + prost::Name + std::fmt::Debug + Send + 'static,
{
    on_small_stack(move || options.from_str::<M>(&text).unwrap_err())
}

#[test]
fn json_lists_100000_deep_are_too_deep() {
    let text = "[".repeat(LEVELS) + &"]".repeat(LEVELS);
    for options in [
        JsonOptions::new(),
        JsonOptions::new().ignore_unknown_fields(true),
    ] {
        let error = json_error::<Value>(text.clone(), options);
        assert_eq!(error.kind(), JsonErrorKind::TooDeep, "{error}");
        assert!(!error.is_printing());
    }
    let error = json_error::<ListValue>(text, JsonOptions::new());
    assert_eq!(error.kind(), JsonErrorKind::TooDeep, "{error}");
}

#[test]
fn json_objects_100000_deep_are_too_deep() {
    let text = r#"{"a":"#.repeat(LEVELS) + "{}" + &"}".repeat(LEVELS);
    let error = json_error::<Struct>(text.clone(), JsonOptions::new());
    assert_eq!(error.kind(), JsonErrorKind::TooDeep, "{error}");
    let error = json_error::<Value>(text, JsonOptions::new());
    assert_eq!(error.kind(), JsonErrorKind::TooDeep, "{error}");
}

#[test]
fn json_any_chains_100000_deep_are_too_deep() {
    let open = format!(r#"{{"@type":"{ANY_URL}","value":"#);
    let text = open.repeat(LEVELS)
        + r#"{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1s"}"#
        + &"}".repeat(LEVELS);
    let error = json_error::<Any>(text.clone(), JsonOptions::new());
    assert_eq!(error.kind(), JsonErrorKind::TooDeep, "{error}");
    // The same chain inside a message field.
    let status = format!(r#"{{"code":2,"details":[{text}]}}"#);
    let error = json_error::<Status>(status, JsonOptions::new());
    assert_eq!(error.kind(), JsonErrorKind::TooDeep, "{error}");
}

#[test]
fn json_any_chains_within_the_limit_round_trip() {
    let open = format!(r#"{{"@type":"{ANY_URL}","value":"#);
    let text = open.repeat(40)
        + r#"{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1s"}"#
        + &"}".repeat(40);
    let any: Any = on_small_stack(move || json::from_str(&text).unwrap());
    assert_eq!(any.encode_to_vec(), binary_any_chain(41));
}

#[test]
fn unknown_json_values_100000_deep_are_skipped_or_too_deep() {
    let deep = "[".repeat(LEVELS) + &"]".repeat(LEVELS);
    let lenient = JsonOptions::new().ignore_unknown_fields(true);
    // In a message, serde_json skips an ignored value with a loop, not
    // recursion: nothing nests, so nothing is too deep.
    let text = format!(r#"{{"code":1,"somethingNew":{deep}}}"#);
    let status: Status = on_small_stack(move || lenient_parse(&text));
    assert_eq!(status.code, 1);
    // Inside an Any whose `@type` comes first, the payload is parsed as it
    // is read, as a message is: skipped the same way.
    let text = format!(
        r#"{{"@type":"type.googleapis.com/google.rpc.Status","code":1,"somethingNew":{deep}}}"#
    );
    let lenient_first = lenient.clone();
    let any: Any = on_small_stack(move || lenient_first.from_str(&text).unwrap());
    assert_eq!(any.to_msg::<Status>().unwrap().code, 1);
    // With `@type` last, the object is buffered until the type is known,
    // and the buffer stops at serde_json's limit of 128 levels.
    let text =
        format!(r#"{{"somethingNew":{deep},"@type":"type.googleapis.com/google.rpc.Status"}}"#);
    let error = json_error::<Any>(text, lenient);
    assert_eq!(error.kind(), JsonErrorKind::TooDeep, "{error}");
}

/// `[[...]]` with `n` lists, built as a message.
fn nested_lists(n: usize) -> Value {
    let mut value = Value {
        kind: Some(Kind::ListValue(ListValue::default())),
        ..Default::default()
    };
    for _ in 1..n {
        value = Value {
            kind: Some(Kind::ListValue(ListValue {
                values: vec![value],
                ..Default::default()
            })),
            ..Default::default()
        };
    }
    value
}

/// `{"a":{"a":...1}}` with `n` objects, built as a message.
fn nested_objects(n: usize) -> Value {
    let mut value = Value {
        kind: Some(Kind::NumberValue(1.0)),
        ..Default::default()
    };
    for _ in 0..n {
        value = Value {
            kind: Some(Kind::StructValue(Struct {
                fields: [("a".to_string(), value)].into_iter().collect(),
                ..Default::default()
            })),
            ..Default::default()
        };
    }
    value
}

#[test]
fn json_and_binary_accept_exactly_the_same_nesting() {
    // Whatever one codec accepts, the other must: JSON counts levels as the
    // binary decoder does, so the limits meet at the same depth.
    on_small_stack(|| {
        let mut boundaries = Vec::new();
        for (shape, build) in [
            ("lists", nested_lists as fn(usize) -> Value),
            ("objects", nested_objects),
        ] {
            let mut last_accepted = 0;
            for n in 1..=60 {
                let message = build(n);
                let bytes = message.encode_to_vec();
                let binary_ok = cancelwire::decode::<Value>(bytes.as_slice()).is_ok();
                let text = JsonOptions::new()
                    .max_depth(usize::MAX)
                    .to_string(&message)
                    .unwrap();
                let json_ok = json::from_str::<Value>(&text).is_ok();
                assert_eq!(binary_ok, json_ok, "{shape}, {n} levels: {text}");
                let printed_ok = json::to_string(&message).is_ok();
                assert_eq!(binary_ok, printed_ok, "{shape}, {n} levels");
                if binary_ok {
                    last_accepted = n;
                }
            }
            boundaries.push((shape, last_accepted));
        }
        // 2 binary levels per list, 3 per object (Value, Struct, entry).
        assert_eq!(boundaries, [("lists", 50), ("objects", 33)]);
    });
}
