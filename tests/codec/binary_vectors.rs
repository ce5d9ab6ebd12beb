//! The binary half of the reference vectors (tests/data/vectors): canonical
//! bytes round-trip exactly, non-canonical and unknown-field variants decode
//! to the same message, and every malformed input is rejected with an error.

use crate::common;

use bytes::Bytes;
use cancelwire::registry::Registry;
use common::{hex, list, negative, positive, str_field, to_hex};

#[test]
fn canonical_bytes_decode_and_reencode_identically() {
    let registry = Registry::default();
    let vectors = positive();
    assert!(vectors.len() >= 80, "expected the full vector set");
    for vector in &vectors {
        let name = str_field(vector, "name");
        let ty = registry
            .get(str_field(vector, "type"))
            .unwrap_or_else(|| panic!("{name}: type not in the registry"));
        let canonical = hex(str_field(vector, "binary_hex"));
        let message = ty
            .decode(Bytes::from(canonical.clone()))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            to_hex(&message.to_binary()),
            to_hex(&canonical),
            "{name}: re-encoding differs"
        );
    }
}

#[test]
fn variant_encodings_decode_to_the_canonical_message() {
    let registry = Registry::default();
    let mut checked = 0;
    for vector in &positive() {
        let name = str_field(vector, "name");
        let ty = registry.get(str_field(vector, "type")).expect("known type");
        let canonical = ty
            .decode(hex(str_field(vector, "binary_hex")).into())
            .expect("canonical decodes");
        let plain = list(vector, "binary_input_variants")
            .iter()
            .map(|variant| (variant, false));
        let with_unknown = list(vector, "binary_input_variants_with_unknown_fields")
            .iter()
            .map(|variant| (variant, true));
        for (variant, has_unknown) in plain.chain(with_unknown) {
            let what = str_field(variant, "what");
            let input = hex(str_field(variant, "hex"));
            if has_unknown {
                // Kept, they come back out: decoding is lossless.
                let kept = ty.decode(input.clone().into()).unwrap();
                let again = ty.decode(kept.to_binary().into()).unwrap();
                assert!(
                    again.dyn_eq(kept.as_ref()),
                    "{name} / {what}: unknown fields round trip"
                );
            }
            let decoded = ty
                .decode_without_unknown_fields(input.into())
                .unwrap_or_else(|e| panic!("{name} / {what}: {e}"));
            assert!(
                decoded.dyn_eq(canonical.as_ref()),
                "{name} / {what}: decoded {decoded:?}, expected {canonical:?}"
            );
            assert_eq!(
                to_hex(&decoded.to_binary()),
                str_field(vector, "binary_hex"),
                "{name} / {what}: canonical re-encoding"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} variants found");
}

#[test]
fn malformed_binary_is_rejected_with_a_typed_error() {
    let registry = Registry::default();
    let vectors = negative("binary");
    assert!(vectors.len() >= 20, "expected the full negative set");
    for vector in &vectors {
        let name = str_field(vector, "name");
        let type_name = str_field(vector, "type");
        let ty = registry.get(type_name).expect("known type");
        let input = hex(str_field(vector, "input_hex"));
        match ty.decode(input.into()) {
            Ok(message) => panic!("{name}: accepted as {message:?}; {}", vector["why"]),
            Err(err) => {
                assert_eq!(err.type_name(), type_name, "{name}");
                assert!(
                    err.to_string()
                        .starts_with(&format!("invalid binary {type_name}: ")),
                    "{name}: {err}"
                );
            }
        }
    }
}
