//! `unknown_fields.jsonl`: messages with fields their schema does not know,
//! at the start, between fields, at the end and inside nested messages.
//!
//! What holds today: decoding such input succeeds, and the message equals
//! the one without the unknown fields, in binary (`known_hex`) and in JSON.
//! The reference also keeps the unknown bytes and writes them back
//! (`reencoded_hex`); this crate drops them, which the last check pins
//! until unknown fields are kept (then it must compare with
//! `reencoded_hex`).

use crate::common::{self, hex, str_field, to_hex};
use bytes::Bytes;
use cancelwire::json::JsonOptions;
use cancelwire::registry::Registry;

#[test]
fn unknown_fields_decode_to_the_known_message_in_binary_and_json() {
    let registry = Registry::default();
    let vectors = common::jsonl("unknown_fields.jsonl");
    assert!(vectors.len() >= 400, "expected the full set");
    let mut kept_by_reference = 0;
    for vector in &vectors {
        let name = str_field(vector, "name");
        let ty = registry
            .get(str_field(vector, "type"))
            .unwrap_or_else(|| panic!("{name}: unknown type"));
        let input = hex(str_field(vector, "input_hex"));
        let known = hex(str_field(vector, "known_hex"));
        let reencoded = hex(str_field(vector, "reencoded_hex"));

        let with_unknown = ty
            .decode(Bytes::from(input.clone()))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let without = ty
            .decode(Bytes::from(known.clone()))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(with_unknown.dyn_eq(without.as_ref()), "{name}");
        assert_eq!(
            to_hex(&with_unknown.to_binary()),
            to_hex(&known),
            "{name}: the known fields, dropped unknown ones"
        );
        let options = JsonOptions::new();
        assert_eq!(
            with_unknown.to_json(&options, false).ok(),
            without.to_json(&options, false).ok(),
            "{name}: JSON has no form for unknown fields"
        );
        if reencoded != known {
            kept_by_reference += 1;
        }
    }
    // Every case carries unknown fields that the reference writes back.
    assert_eq!(kept_by_reference, vectors.len());
}
