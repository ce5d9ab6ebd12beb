//! The ProtoJSON impls that `cancelwire-build` generates for every package:
//! each message with the regular JSON form (an object of its fields) and
//! each open enum. They live here rather than beside the structs, so that
//! the package modules never depend on `json`.

include!(concat!(env!("OUT_DIR"), "/arrow.flight.protocol.json.rs"));
include!(concat!(env!("OUT_DIR"), "/google.longrunning.json.rs"));
include!(concat!(env!("OUT_DIR"), "/google.protobuf.json.rs"));
include!(concat!(env!("OUT_DIR"), "/google.rpc.json.rs"));
