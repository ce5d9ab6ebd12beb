//! `unknown_fields.jsonl`: messages with fields their schema does not know,
//! at the start, between fields, at the end and inside nested messages.
//! Decoding keeps them and encoding writes them back exactly as the
//! reference does (`reencoded_hex`); without them the message is the known
//! one (`known_hex`); JSON has no form for them, so it prints the known
//! message.

use crate::common::{self, hex, str_field, to_hex};
use bytes::Bytes;
use cancelwire::json::JsonOptions;
use cancelwire::registry::Registry;

#[test]
fn unknown_fields_are_kept_byte_for_byte_and_left_out_of_json() {
    let registry = Registry::default();
    let vectors = common::jsonl("unknown_fields.jsonl");
    assert!(vectors.len() >= 400, "expected the full set");
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
        assert_eq!(
            to_hex(&with_unknown.to_binary()),
            to_hex(&reencoded),
            "{name}: re-encoded as the reference does"
        );
        let dropped = ty
            .decode_without_unknown_fields(Bytes::from(input.clone()))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            to_hex(&dropped.to_binary()),
            to_hex(&known),
            "{name}: without the unknown fields"
        );
        let without = ty
            .decode(Bytes::from(known.clone()))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(dropped.dyn_eq(without.as_ref()), "{name}");
        assert!(
            reencoded == known || !with_unknown.dyn_eq(without.as_ref()),
            "{name}: unknown fields take part in equality"
        );
        let options = JsonOptions::new();
        assert_eq!(
            with_unknown.to_json(&options, false).ok(),
            without.to_json(&options, false).ok(),
            "{name}: JSON has no form for unknown fields"
        );
    }
}
