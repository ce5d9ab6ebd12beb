//! The library's behaviour in one test binary (one link instead of one per
//! file): reference vectors, ProtoJSON, validation, the models, laws and
//! hostile input. Each module is one subject.

// Tests state their expectations with unwrap, expect, panic and indexing,
// which the crate's [lints] deny in code that handles input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

#[path = "../common/mod.rs"]
mod common;

mod arrow_flight_conversions;
mod binary_vectors;
mod cancel_model;
mod code_http_mapping;
mod descriptors;
mod flight_actions;
mod fuzz_replay;
mod hostile_depth;
mod http_code;
mod json_behaviour;
mod json_from_wire;
mod json_vectors;
mod open_enum_laws;
mod operation_state;
mod poll_model;
mod public_types;
mod rest_operations;
mod rest_templates;
mod roundtrip_laws;
mod status_details;
mod tonic_status;
mod unknown_fields;
mod validation;
mod zero_copy;
