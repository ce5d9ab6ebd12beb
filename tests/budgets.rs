//! Decode budgets (`DecodeBudget`) for binary and JSON: each limit holds
//! at its value and one past it fails with a typed error naming the
//! budget, the limit and the field path; the defaults accept every
//! positive vector.

// Tests state their expectations with unwrap, expect, panic and indexing,
// which the crate's [lints] deny in code that handles input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

mod common;

use bytes::Bytes;
use cancelwire::json::{JsonErrorKind, JsonOptions};
use cancelwire::registry::Registry;
use cancelwire::rpc::{ErrorInfo, Status};
use cancelwire::wkt::{ListValue, Struct};
use cancelwire::{Budget, DecodeBudget};

fn elements(n: u64) -> DecodeBudget {
    DecodeBudget::new().max_elements(n)
}

/// Decodes `wire` as `M` with `n` and `n - 1` elements allowed: the first
/// works, the second fails at `path`.
fn binary_takes_exactly<M: prost::Message + prost::Name + Default + std::fmt::Debug>(
    wire: &[u8],
    n: u64,
    path: &str,
) {
    let bytes = Bytes::copy_from_slice(wire);
    cancelwire::decode_with::<M>(bytes.clone(), &elements(n))
        .unwrap_or_else(|e| panic!("{n} elements allowed: {e}"));
    let err = cancelwire::decode_with::<M>(bytes, &elements(n - 1)).unwrap_err();
    let exceeded = err.budget_exceeded().expect("a budget error");
    assert_eq!(exceeded.budget(), Budget::Elements);
    assert_eq!(exceeded.limit(), n - 1);
    assert_eq!(exceeded.path(), path, "{err}");
    assert!(
        err.to_string()
            .contains(&format!("over the elements budget of {}", n - 1)),
        "{err}"
    );
}

#[test]
fn binary_elements_count_repeated_entries_map_entries_and_unknown_fields() {
    // Status.details: three empty Anys.
    binary_takes_exactly::<Status>(&[0x1a, 0x00].repeat(3), 3, "google.rpc.Status.details");
    // ErrorInfo.metadata: two entries.
    let two_entries = [0x1a, 0x02, 0x0a, 0x00, 0x1a, 0x03, 0x0a, 0x01, b'b'];
    binary_takes_exactly::<ErrorInfo>(&two_entries, 2, "google.rpc.ErrorInfo.metadata");
    // Unknown fields of the top-level message.
    binary_takes_exactly::<Status>(&[0xc0, 0x3e, 0x01].repeat(5), 5, "google.rpc.Status");
    // Struct members and the ListValue inside one: {"a": [0, 0]}.
    let value_list = {
        // Value{list_value: ListValue{values: [Value{}, Value{}]}}
        let inner = [0x0a, 0x00, 0x0a, 0x00]; // two empty Values
        let mut list_value = vec![0x32, inner.len() as u8];
        list_value.extend(inner);
        list_value
    };
    let mut entry = vec![0x0a, 0x01, b'a', 0x12, value_list.len() as u8];
    entry.extend(&value_list);
    let mut wire = vec![0x0a, entry.len() as u8];
    wire.extend(&entry);
    // One member, two values.
    binary_takes_exactly::<Struct>(&wire, 3, "google.protobuf.Struct.fields.list_value.values");
    binary_takes_exactly::<ListValue>(
        &[0x0a, 0x00].repeat(4),
        4,
        "google.protobuf.ListValue.values",
    );
}

#[test]
fn binary_depth_and_input_length_are_budgets_too() {
    // Operation.error.details[0]: Any two levels down.
    let wire = Bytes::from_static(&[0x22, 0x02, 0x1a, 0x00]);
    type Op = cancelwire::longrunning::Operation;
    cancelwire::decode_with::<Op>(wire.clone(), &DecodeBudget::new().max_depth(2)).unwrap();
    let err =
        cancelwire::decode_with::<Op>(wire.clone(), &DecodeBudget::new().max_depth(1)).unwrap_err();
    let exceeded = err.budget_exceeded().unwrap();
    assert_eq!((exceeded.budget(), exceeded.limit()), (Budget::Depth, 1));
    assert_eq!(
        exceeded.path(),
        "google.longrunning.Operation.error.details"
    );

    cancelwire::decode_with::<Op>(wire.clone(), &DecodeBudget::new().max_input_bytes(4)).unwrap();
    let err = cancelwire::decode_with::<Op>(wire.clone(), &DecodeBudget::new().max_input_bytes(3))
        .unwrap_err();
    let exceeded = err.budget_exceeded().unwrap();
    assert_eq!(
        (exceeded.budget(), exceeded.limit()),
        (Budget::InputBytes, 3)
    );
    assert_eq!(exceeded.path(), "");
    assert_eq!(err.type_name(), "google.longrunning.Operation");

    // Plain decode: the same depth limit of 100 as before, no budget in
    // its error. A Value of lists of lists: two levels a list.
    let nested = |lists: usize| {
        let mut value: Vec<u8> = Vec::new();
        for _ in 0..lists {
            let list = delimited(0x0a, &value); // ListValue.values
            value = delimited(0x32, &list); // Value.list_value
        }
        value
    };
    type V = cancelwire::wkt::Value;
    assert!(cancelwire::decode::<V>(&nested(50)[..]).is_ok());
    let err = cancelwire::decode::<V>(&nested(51)[..]).unwrap_err();
    assert!(err.budget_exceeded().is_none());
    assert!(err.to_string().contains("recursion limit reached"), "{err}");
    let err =
        cancelwire::decode_with::<V>(Bytes::from(nested(51)), &DecodeBudget::new()).unwrap_err();
    let exceeded = err.budget_exceeded().unwrap();
    assert_eq!((exceeded.budget(), exceeded.limit()), (Budget::Depth, 100));
    assert!(
        exceeded
            .path()
            .starts_with("google.protobuf.Value.list_value.values.list_value")
    );
}

/// `key`, the length of `value` as a varint, then `value`.
fn delimited(key: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![key];
    let mut len = value.len();
    while len >= 0x80 {
        out.push((len as u8) | 0x80);
        len >>= 7;
    }
    out.push(len as u8);
    out.extend_from_slice(value);
    out
}

#[test]
fn a_budget_ends_with_its_decode() {
    let wire = Bytes::from([0x1a, 0x00].repeat(3));
    assert!(cancelwire::decode_with::<Status>(wire.clone(), &elements(2)).is_err());
    // Neither a plain decode nor the next budgeted one inherits what is left.
    let status: Status = cancelwire::decode(wire.clone()).unwrap();
    assert_eq!(status.details.len(), 3);
    for _ in 0..3 {
        cancelwire::decode_with::<Status>(wire.clone(), &elements(3)).unwrap();
    }
}

#[test]
fn the_registry_decodes_within_a_budget() {
    let registry = Registry::default();
    let ty = registry.get("google.rpc.Status").unwrap();
    let wire = Bytes::from([0xc0, 0x3e, 0x01].repeat(4));
    assert_eq!(
        ty.decode_with(wire.clone(), &elements(4))
            .unwrap()
            .to_binary(),
        wire
    );
    let err = ty.decode_with(wire, &elements(3)).unwrap_err();
    assert_eq!(err.budget_exceeded().unwrap().budget(), Budget::Elements);
    assert_eq!(err.budget_exceeded().unwrap().path(), "google.rpc.Status");
}

/// Parses `text` as `M` with `n` and `n - 1` elements allowed.
fn json_takes_exactly<M: serde::de::DeserializeOwned + prost::Name + std::fmt::Debug>(
    text: &str,
    n: u64,
    path: &str,
) {
    JsonOptions::new()
        .budget(elements(n))
        .from_str::<M>(text)
        .unwrap_or_else(|e| panic!("{n} elements allowed: {e}"));
    let err = JsonOptions::new()
        .budget(elements(n - 1))
        .from_str::<M>(text)
        .unwrap_err();
    assert_eq!(err.kind(), JsonErrorKind::BudgetExceeded, "{err}");
    assert_eq!(err.path(), path, "{err}");
    assert!(
        err.to_string()
            .contains(&format!("over the elements budget of {}", n - 1)),
        "{err}"
    );
}

#[test]
fn json_elements_count_arrays_maps_struct_members_and_list_values() {
    json_takes_exactly::<Status>(r#"{"details": [{}, {}, {}]}"#, 3, "status.details[2]");
    json_takes_exactly::<ErrorInfo>(
        r#"{"metadata": {"a": "1", "b": "2"}}"#,
        2,
        "error_info.metadata[\"b\"]",
    );
    json_takes_exactly::<Struct>(
        r#"{"a": null, "b": [0, 0]}"#,
        4,
        "struct.fields[\"b\"].list_value.values[1]",
    );
    json_takes_exactly::<ListValue>("[0, 0, 0]", 3, "list_value.values[2]");
    // An Any's JSON is buffered before its type is known: counted there
    // (the `value` member and its two entries), and again as the payload
    // is parsed (its two values).
    json_takes_exactly::<cancelwire::wkt::Any>(
        r#"{"@type": "type.googleapis.com/google.protobuf.ListValue", "value": [1, 2]}"#,
        5,
        "any.values[1]",
    );
}

#[test]
fn json_input_length_and_depth_come_from_the_budget() {
    let text = r#"{"code": 5}"#;
    let fits = JsonOptions::new().budget(DecodeBudget::new().max_input_bytes(text.len()));
    assert_eq!(fits.from_str::<Status>(text).unwrap().code, 5);
    let short = JsonOptions::new().budget(DecodeBudget::new().max_input_bytes(text.len() - 1));
    let err = short.from_str::<Status>(text).unwrap_err();
    assert_eq!(err.kind(), JsonErrorKind::BudgetExceeded);
    assert!(
        err.to_string().contains("input bytes budget of 10"),
        "{err}"
    );
    let registry = Registry::default();
    let ty = registry.get("google.rpc.Status").unwrap();
    assert_eq!(
        ty.parse_json(text, &short).unwrap_err().kind(),
        JsonErrorKind::BudgetExceeded
    );

    let nested = r#"{"error": {"details": [{}]}}"#;
    type Op = cancelwire::longrunning::Operation;
    let shallow = JsonOptions::new().budget(DecodeBudget::new().max_depth(1));
    assert_eq!(
        shallow.from_str::<Op>(nested).unwrap_err().kind(),
        JsonErrorKind::TooDeep
    );
    let deep_enough = JsonOptions::new().budget(DecodeBudget::new().max_depth(2));
    assert!(deep_enough.from_str::<Op>(nested).is_ok());
}

#[test]
fn the_default_budget_accepts_every_positive_vector() {
    let registry = Registry::default();
    let mut checked = 0;
    for vector in common::positive() {
        let Some(ty) = registry.get(common::str_field(&vector, "type")) else {
            continue;
        };
        if let Some(hex) = vector["binary_hex"].as_str() {
            let wire = Bytes::from(common::hex(hex));
            let decoded = ty
                .decode_with(wire.clone(), &DecodeBudget::new())
                .unwrap_or_else(|e| panic!("{}: {e}", vector["name"]));
            let plain = ty.decode(wire).unwrap();
            assert_eq!(decoded.to_binary(), plain.to_binary(), "{}", vector["name"]);
            checked += 1;
        }
        let texts = vector["json"].as_str().into_iter().chain(
            common::list(&vector, "json_input_variants")
                .iter()
                .filter_map(|v| v.as_str()),
        );
        for json in texts {
            let options = JsonOptions::new().budget(DecodeBudget::new());
            ty.parse_json(json, &options)
                .unwrap_or_else(|e| panic!("{}: {e}", vector["name"]));
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} vectors checked");
}
