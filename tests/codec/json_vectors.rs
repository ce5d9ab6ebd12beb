//! The JSON half of the reference vectors (tests/data/vectors): printing
//! matches the reference's JSON, every accepted spelling parses to the
//! canonical bytes, the ignore-unknown-fields variants parse only with the
//! option, unprintable messages fail to print, and every negative input is
//! rejected with a path and a rule.

use crate::common;

use bytes::Bytes;
use cancelwire::json::{JsonErrorKind, JsonOptions};
use cancelwire::registry::{MessageType, Registry};
use common::{hex, json_equal, jsonl, list, negative, positive, str_field, to_hex};
use serde_json::Value;

fn message_type<'r>(registry: &'r Registry, vector: &Value) -> &'r MessageType {
    registry
        .get(str_field(vector, "type"))
        .unwrap_or_else(|| panic!("{}: type not in the registry", vector["name"]))
}

fn parse_to_hex(ty: &MessageType, text: &str, options: &JsonOptions) -> Result<String, String> {
    ty.parse_json(text, options)
        .map(|m| to_hex(&m.to_binary()))
        .map_err(|e| e.to_string())
}

#[test]
fn binary_prints_as_the_reference_json() {
    let registry = Registry::default();
    let mut printed = 0;
    for vector in &positive() {
        let name = str_field(vector, "name");
        if vector["json"].is_null() {
            continue;
        }
        let ty = message_type(&registry, vector);
        let message = ty
            .decode(Bytes::from(hex(str_field(vector, "binary_hex"))))
            .unwrap();
        for pretty in [false, true] {
            let text = message
                .to_json(&JsonOptions::new(), pretty)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let ours: Value = serde_json::from_str(&text).unwrap();
            assert!(
                json_equal(&ours, &vector["json_value"]),
                "{name}: printed {text}, reference {}",
                vector["json_value"]
            );
        }
        printed += 1;
    }
    assert!(printed >= 80, "only {printed} vectors printed");
}

#[test]
fn reference_json_and_every_variant_parse_to_the_canonical_bytes() {
    let registry = Registry::default();
    let strict = JsonOptions::new();
    let mut parsed = 0;
    for vector in &positive() {
        let name = str_field(vector, "name");
        let Some(reference) = vector["json"].as_str() else {
            continue;
        };
        let ty = message_type(&registry, vector);
        let expected = str_field(vector, "binary_hex");
        let variants = list(vector, "json_input_variants")
            .iter()
            .map(|v| v.as_str().unwrap());
        for text in std::iter::once(reference).chain(variants) {
            let got =
                parse_to_hex(ty, text, &strict).unwrap_or_else(|e| panic!("{name}: {text}: {e}"));
            assert_eq!(got, expected, "{name}: {text}");
            parsed += 1;
        }
    }
    assert!(parsed >= 150, "only {parsed} JSON inputs parsed");
}

#[test]
fn unknown_field_variants_parse_only_when_ignoring_unknown_fields() {
    let registry = Registry::default();
    let lenient = JsonOptions::new().ignore_unknown_fields(true);
    let mut checked = 0;
    for vector in &positive() {
        let name = str_field(vector, "name");
        let ty = message_type(&registry, vector);
        for variant in list(vector, "json_input_variants_ignore_unknown_fields") {
            let text = str_field(variant, "input");
            let err = ty.parse_json(text, &JsonOptions::new()).err();
            let err = err.unwrap_or_else(|| panic!("{name}: strict parse accepted {text}"));
            assert!(
                matches!(
                    err.kind(),
                    JsonErrorKind::UnknownField | JsonErrorKind::UnknownEnumValue
                ),
                "{name}: {text}: {err}"
            );
            let got =
                parse_to_hex(ty, text, &lenient).unwrap_or_else(|e| panic!("{name}: {text}: {e}"));
            assert_eq!(got, str_field(vector, "binary_hex"), "{name}: {text}");
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} variants");
}

#[test]
fn messages_without_a_json_form_fail_to_print() {
    let registry = Registry::default();
    let mut checked = 0;
    for vector in &positive() {
        if !vector["json"].is_null() {
            continue;
        }
        let name = str_field(vector, "name");
        assert!(
            vector["json_error"].is_string(),
            "{name}: no json and no json_error"
        );
        let ty = message_type(&registry, vector);
        let message = ty
            .decode(Bytes::from(hex(str_field(vector, "binary_hex"))))
            .unwrap();
        let err = message
            .to_json(&JsonOptions::new(), false)
            .expect_err(&format!("{name}: printed although the reference fails"));
        assert!(err.is_printing(), "{name}");
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} unprintable vectors");
}

#[test]
fn negative_json_is_rejected_with_a_path_and_a_rule() {
    let registry = Registry::default();
    let vectors = negative("json");
    assert!(vectors.len() >= 50, "expected the full negative set");
    for vector in &vectors {
        let name = str_field(vector, "name");
        let ty = message_type(&registry, vector);
        let input = str_field(vector, "input");
        let err = match ty.parse_json(input, &JsonOptions::new()) {
            Ok(message) => panic!("{name}: accepted {input} as {message:?}; {}", vector["why"]),
            Err(err) => err,
        };
        assert!(!err.reason().is_empty(), "{name}");
        // Paths start at the top-level message's own name.
        let below_root = err.path().as_str().contains(['.', '[']);
        if name.starts_with("json/toplevel/") || name.starts_with("json/timestamp/standalone") {
            assert!(!below_root, "{name}: {err}");
        } else {
            assert!(below_root, "{name}: no field path in `{err}`");
        }

        let lenient = JsonOptions::new().ignore_unknown_fields(true);
        match str_field(vector, "expected_with_ignore_unknown_fields") {
            "reject" => {
                assert!(
                    ty.parse_json(input, &lenient).is_err(),
                    "{name}: accepted when ignoring unknown fields"
                );
            }
            "accept" => {
                let got =
                    parse_to_hex(ty, input, &lenient).unwrap_or_else(|e| panic!("{name}: {e}"));
                if let Some(expected) =
                    vector["python_with_ignore_unknown_fields"]["binary_hex"].as_str()
                {
                    assert_eq!(got, expected, "{name}");
                }
            }
            other => panic!("{name}: unexpected expectation {other}"),
        }
    }
}

/// Every case where Python is more lenient than the spec, with our decision.
/// A new case in the file fails here until it is decided.
#[test]
fn python_lenient_cases_follow_our_documented_decisions() {
    let accept = [
        "lenient/enum/integral-float",
        "lenient/int32/minus-zero",
        "lenient/binary/group-as-unknown-field",
    ];
    let reject = [
        "lenient/message/array",
        "lenient/enum/bool-true",
        "lenient/enum/numeric-string-known",
        "lenient/int32/plus-sign",
        "lenient/bytes/invalid-chars-ignored",
        "lenient/bytes/newline-escape",
        "lenient/bytes/mixed-alphabets",
        "lenient/toplevel/array",
        "lenient/field/camel-and-snake-both",
        "lenient/timestamp/one-digit-month-day",
        "lenient/timestamp/dot-without-digits",
        "lenient/timestamp/offset-24h",
        "lenient/duration/plus-sign",
        "lenient/duration/dot-without-digits",
        "lenient/binary/varint-10th-byte-high-bits",
        "lenient/binary/wire-type-mismatch-enum-fixed32",
        "lenient/binary/wire-type-mismatch-enum-length-delimited",
        "lenient/binary/wire-type-mismatch-bytes-as-varint",
        "lenient/binary/wire-type-mismatch-becomes-unknown",
    ];
    let registry = Registry::default();
    let cases = jsonl("python_lenient.jsonl");
    assert_eq!(
        cases.len(),
        accept.len() + reject.len(),
        "a lenient case is undecided"
    );
    for case in &cases {
        let name = str_field(case, "name");
        let ty = message_type(&registry, case);
        let result = if case["format"] == "binary" {
            ty.decode(Bytes::from(hex(str_field(case, "input_hex"))))
                .map(|m| to_hex(&m.to_binary()))
                .map_err(|e| e.to_string())
        } else {
            parse_to_hex(ty, str_field(case, "input"), &JsonOptions::new())
        };
        if accept.contains(&name) {
            let got = result.unwrap_or_else(|e| panic!("{name}: {e}"));
            if let Some(python) = case["python_result_binary_hex"].as_str() {
                assert_eq!(got, python, "{name}");
            }
        } else {
            assert!(reject.contains(&name), "{name} is undecided");
            assert!(result.is_err(), "{name}: accepted");
        }
    }
}
