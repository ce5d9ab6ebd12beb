//! ProtoJSON behaviour that the reference vectors do not reach: nested
//! `Any`, nesting limits, user types in the registry, unknown type URLs,
//! values with no JSON form.

use cancelwire::json::{self, JsonErrorKind, JsonOptions};
use cancelwire::longrunning::Operation;
use cancelwire::registry::Registry;
use cancelwire::rpc::{ErrorInfo, Status};
use cancelwire::wkt::{Any, Duration, Struct, Value, value};
use prost::Message;

fn nested_any(levels: usize) -> Any {
    let mut any = Any::from_msg(&Duration {
        seconds: 7,
        nanos: 0,
        ..Default::default()
    })
    .unwrap();
    for _ in 0..levels {
        any = Any::from_msg(&any).unwrap();
    }
    any
}

#[test]
fn any_inside_any_round_trips() {
    let any = nested_any(3);
    let text = json::to_string(&any).unwrap();
    assert!(
        text.starts_with(r#"{"@type":"type.googleapis.com/google.protobuf.Any","value":{"@type""#),
        "{text}"
    );
    assert!(text.contains(r#""value":"7s""#), "{text}");
    let back: Any = json::from_str(&text).unwrap();
    assert_eq!(back, any);
}

#[test]
fn binary_any_nesting_past_the_limit_fails_to_print_without_overflowing() {
    // Each level decodes its payload afresh, so prost's own recursion limit
    // does not apply; the JSON depth limit must.
    let any = nested_any(150);
    let err = json::to_string(&any).unwrap_err();
    assert_eq!(err.kind(), JsonErrorKind::TooDeep, "{err}");
    assert!(err.is_printing());
    assert!(json::to_string(&nested_any(40)).is_ok());
}

#[test]
fn json_nesting_past_the_limit_is_rejected() {
    let depth = 5000;
    let text = "[".repeat(depth) + &"]".repeat(depth);
    let err = json::from_str::<Value>(&text).unwrap_err();
    assert!(
        matches!(err.kind(), JsonErrorKind::TooDeep | JsonErrorKind::Syntax),
        "{err}"
    );

    let mut any_text =
        String::from(r#"{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1s"}"#);
    for _ in 0..120 {
        any_text =
            format!(r#"{{"@type":"type.googleapis.com/google.protobuf.Any","value":{any_text}}}"#);
    }
    let err = json::from_str::<Any>(&any_text).unwrap_err();
    assert!(
        matches!(err.kind(), JsonErrorKind::TooDeep | JsonErrorKind::Syntax),
        "{err}"
    );
}

#[test]
fn a_lower_depth_limit_is_honoured() {
    // Levels as binary counts them: Struct 0, entry "a" 1, Value 2, Struct 3,
    // entry "b" 4, Value 5, Struct 6, entry "c" 7, Value 8, Struct 9.
    let text = r#"{"a": {"b": {"c": {}}}}"#;
    assert!(json::from_str::<Struct>(text).is_ok());
    assert!(
        JsonOptions::new()
            .max_depth(9)
            .from_str::<Struct>(text)
            .is_ok()
    );
    let err = JsonOptions::new()
        .max_depth(8)
        .from_str::<Struct>(text)
        .unwrap_err();
    assert_eq!(err.kind(), JsonErrorKind::TooDeep);
    assert_eq!(
        err.path(),
        r#"struct.fields["a"].struct_value.fields["b"].struct_value.fields["c"].struct_value"#
    );
}

#[test]
fn unknown_type_urls_are_named_in_the_error() {
    let any = Any {
        type_url: "type.googleapis.com/acme.Progress".into(),
        value: vec![8, 1].into(),
        ..Default::default()
    };
    let err = json::to_string(&any).unwrap_err();
    assert_eq!(err.kind(), JsonErrorKind::InvalidAny);
    assert!(
        err.reason().contains("type.googleapis.com/acme.Progress"),
        "{err}"
    );

    let err = json::from_str::<Operation>(
        r#"{"metadata": {"@type": "example.com/acme.Progress", "percent": 3}}"#,
    )
    .unwrap_err();
    assert_eq!(err.kind(), JsonErrorKind::InvalidAny);
    assert_eq!(err.path(), "operation.metadata");
    assert!(err.reason().contains("example.com/acme.Progress"), "{err}");
}

/// A user's own message, with serde impls of its own.
#[derive(Clone, PartialEq, Message, serde::Serialize, serde::Deserialize)]
struct Progress {
    #[prost(uint32, tag = "1")]
    #[serde(default)]
    percent: u32,
}

impl prost::Name for Progress {
    const NAME: &'static str = "Progress";
    const PACKAGE: &'static str = "acme";
}

#[test]
fn the_registry_can_be_extended_with_user_types() {
    let mut registry = Registry::default();
    registry.register::<Progress>();
    let options = JsonOptions::new().registry(registry);
    let op = Operation {
        name: "op-9".into(),
        metadata: Some(Any {
            type_url: "type.googleapis.com/acme.Progress".into(),
            value: Progress { percent: 40 }.encode_to_vec().into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let text = options.to_string(&op).unwrap();
    assert_eq!(
        text,
        r#"{"name":"op-9","metadata":{"@type":"type.googleapis.com/acme.Progress","percent":40}}"#
    );
    let back: Operation = options.from_str(&text).unwrap();
    assert_eq!(back, op);
}

#[test]
fn status_details_keep_their_type_urls_and_order() {
    let status = Status {
        code: 3,
        message: "bad".into(),
        details: vec![
            Any::from_msg(&ErrorInfo {
                reason: "R".into(),
                ..Default::default()
            })
            .unwrap(),
            Any::from_msg(&Duration {
                seconds: 1,
                nanos: 500_000_000,
                ..Default::default()
            })
            .unwrap(),
        ],
        ..Default::default()
    };
    let text = json::to_string(&status).unwrap();
    let back: Status = json::from_str(&text).unwrap();
    assert_eq!(back, status);
    assert!(
        text.contains(
            r#"{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1.500s"}"#
        )
    );
}

#[test]
fn values_with_no_json_form_fail_to_print_with_their_path() {
    let nan = Value {
        kind: Some(value::Kind::NumberValue(f64::NAN)),
        ..Default::default()
    };
    let holder = Struct {
        fields: [("x".to_string(), nan)].into_iter().collect(),
        ..Default::default()
    };
    let err = json::to_string(&holder).unwrap_err();
    assert_eq!(err.kind(), JsonErrorKind::OutOfRange);
    assert_eq!(err.path(), r#"struct.fields["x"].number_value"#);
}

#[test]
fn null_leaves_fields_unset_but_is_a_value_inside_struct() {
    let op: Operation =
        json::from_str(r#"{"name": null, "metadata": null, "done": null}"#).unwrap();
    assert_eq!(op, Operation::default());
    let s: Struct = json::from_str(r#"{"k": null}"#).unwrap();
    assert_eq!(s.fields["k"].kind, Some(value::Kind::NullValue(0)));
    assert!(
        json::from_str::<cancelwire::flight::FlightDescriptor>(r#"{"path": ["a", null]}"#).is_err()
    );
}

#[test]
fn serde_json_can_be_used_directly_with_default_options() {
    let status: Status = serde_json::from_str(r#"{"code": "5"}"#).unwrap();
    assert_eq!(status.code, 5);
    assert_eq!(serde_json::to_string(&status).unwrap(), r#"{"code":5}"#);
}

#[test]
fn negative_zero_wrappers_keep_their_sign_in_binary_and_json() {
    use cancelwire::wkt::{DoubleValue, FloatValue};
    let double = DoubleValue {
        value: -0.0,
        ..Default::default()
    };
    assert_eq!(double.encode_to_vec(), [0x09, 0, 0, 0, 0, 0, 0, 0, 0x80]);
    assert_eq!(json::to_string(&double).unwrap(), "-0.0");
    let back: DoubleValue = json::from_str("-0.0").unwrap();
    assert_eq!(back.value.to_bits(), (-0.0f64).to_bits());
    let float: FloatValue = json::from_str(r#""-0""#).unwrap();
    assert_eq!(float.encode_to_vec(), [0x0d, 0, 0, 0, 0x80]);
}

#[test]
fn plain_serde_json_errors_name_the_field_path_and_the_rule() {
    let err = serde_json::from_str::<Operation>(r#"{"error": {"code": 2147483648}}"#).unwrap_err();
    // serde_json adds the position where it stopped: the end of the
    // top-level object, which the outermost message reports the error from.
    assert_eq!(
        err.to_string(),
        "operation.error.code: 2147483648 is out of range for i32 at line 1 column 31"
    );
    assert_eq!(err.column(), r#"{"error": {"code": 2147483648}}"#.len());

    let text = r#"{"metadata": {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "metadata": {"a\"b": 5}}}"#;
    let err = serde_json::from_str::<Operation>(text).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(r#"operation.metadata.metadata["a\"b"]: invalid type: integer `5`"#),
        "{message}"
    );
    // The same path as cancelwire::json's own error gives.
    let ours = json::from_str::<Operation>(text).unwrap_err();
    assert_eq!(ours.path(), r#"operation.metadata.metadata["a\"b"]"#);

    let nan = Struct {
        fields: [(
            "x".to_string(),
            Value {
                kind: Some(value::Kind::NumberValue(f64::NAN)),
                ..Default::default()
            },
        )]
        .into(),
        ..Default::default()
    };
    let err = serde_json::to_string(&nan).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"struct.fields["x"].number_value: a google.protobuf.Value cannot hold NaN in JSON"#
    );
}

/// A reader that hands out `budget` bytes of its text, then panics, so a
/// panic unwinds through a parse that is deep inside nested messages.
struct PanickingReader<'a> {
    text: &'a [u8],
    budget: usize,
}

impl std::io::Read for PanickingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        assert!(self.budget > 0, "the reader gives up mid-parse");
        let n = buf.len().min(self.budget).min(self.text.len());
        buf[..n].copy_from_slice(&self.text[..n]);
        self.text = &self.text[n..];
        self.budget -= n;
        Ok(n)
    }
}

#[test]
fn a_panic_mid_parse_leaves_no_state_for_the_next_parse() {
    // 100 levels: the most the default limit accepts.
    let deepest_accepted = format!("{}{}", "[".repeat(50), "]".repeat(50));
    assert!(serde_json::from_str::<Value>(&deepest_accepted).is_ok());
    let broken = r#"{"error": {"details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "metadata": {"k": "#;
    for budget in [20, 40, 80] {
        let panicked = std::panic::catch_unwind(|| {
            let reader = PanickingReader {
                text: broken.as_bytes(),
                budget,
            };
            serde_json::from_reader::<_, Operation>(reader)
        });
        assert!(panicked.is_err(), "budget {budget}");
        // Neither depth nor path of the interrupted parse is left over.
        assert!(serde_json::from_str::<Value>(&deepest_accepted).is_ok());
        let err = serde_json::from_str::<Status>(r#"{"code": true}"#).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("status.code: invalid type: boolean"),
            "{err}"
        );
    }
}

/// An Any whose `@type` comes first is parsed without buffering, one whose
/// `@type` comes later is buffered: both give the same message, the same
/// errors and the same field paths.
#[test]
fn any_parses_the_same_whatever_the_position_of_its_type() {
    let url = "type.googleapis.com/google.rpc.ErrorInfo";
    let fields = r#""reason":"BAD","metadata":{"k":"v"}"#;
    let first: Any = json::from_str(&format!(r#"{{"@type":"{url}",{fields}}}"#)).unwrap();
    let last: Any = json::from_str(&format!(r#"{{{fields},"@type":"{url}"}}"#)).unwrap();
    assert_eq!(first, last);
    assert_eq!(first.to_msg::<ErrorInfo>().unwrap().reason, "BAD");

    for (text, kind, path) in [
        (
            format!(r#"{{"@type":"{url}","reason":"A","@type":"{url}"}}"#),
            JsonErrorKind::DuplicateField,
            r#"any["@type"]"#,
        ),
        (
            format!(r#"{{"reason":"A","@type":"{url}","@type":"{url}"}}"#),
            JsonErrorKind::DuplicateField,
            r#"any["@type"]"#,
        ),
        (
            format!(r#"{{"@type":"{url}","reason":5}}"#),
            JsonErrorKind::WrongType,
            "any.reason",
        ),
        (
            format!(r#"{{"reason":5,"@type":"{url}"}}"#),
            JsonErrorKind::WrongType,
            "any.reason",
        ),
        (
            format!(r#"{{"@type":"{url}","nope":1}}"#),
            JsonErrorKind::UnknownField,
            "any.nope",
        ),
        (
            r#"{"@type":7,"reason":"A"}"#.to_owned(),
            JsonErrorKind::WrongType,
            "any",
        ),
        (
            r#"{"@type":"type.googleapis.com/no.Such","reason":"A"}"#.to_owned(),
            JsonErrorKind::InvalidAny,
            "any",
        ),
    ] {
        let err = json::from_str::<Any>(&text).unwrap_err();
        assert_eq!(
            (err.kind(), err.path().as_str()),
            (kind, path),
            "{text}: {err}"
        );
    }

    // Deeper down, the path runs through the Any's field.
    let text = r#"{"metadata":{"@type":"type.googleapis.com/arrow.flight.protocol.FlightInfo","endpoint":[{"location":[{"uri":5}]}]}}"#;
    let err = json::from_str::<Operation>(text).unwrap_err();
    assert_eq!(err.path(), "operation.metadata.endpoint[0].location[0].uri");

    // A registry without the type refuses it even when it is the crate's.
    let strict = JsonOptions::new().registry(Registry::empty());
    let err = strict
        .from_str::<Any>(&format!(r#"{{"@type":"{url}","reason":"A"}}"#))
        .unwrap_err();
    assert_eq!(err.kind(), JsonErrorKind::InvalidAny, "{err}");
}
