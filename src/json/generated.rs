//! The ProtoJSON impls that `build.rs` generates for every message with the
//! regular JSON form (an object of its fields).

use super::field_kinds;

include!(concat!(env!("OUT_DIR"), "/json_impls.rs"));
