//! The well-known types whose ProtoJSON is not an object of their fields,
//! in one list: `build.rs` generates no impls for them (`json/wkt.rs` has
//! theirs), and an `Any` holding one carries its JSON under `"value"`.
//! `build.rs` includes this file too, so it holds nothing else.

/// Full names of the well-known types with a special JSON form.
pub(crate) const SPECIAL_JSON_TYPES: &[&str] = &[
    "google.protobuf.Any",
    "google.protobuf.Timestamp",
    "google.protobuf.Duration",
    "google.protobuf.FieldMask",
    "google.protobuf.Struct",
    "google.protobuf.Value",
    "google.protobuf.ListValue",
    "google.protobuf.DoubleValue",
    "google.protobuf.FloatValue",
    "google.protobuf.Int64Value",
    "google.protobuf.UInt64Value",
    "google.protobuf.Int32Value",
    "google.protobuf.UInt32Value",
    "google.protobuf.BoolValue",
    "google.protobuf.StringValue",
    "google.protobuf.BytesValue",
];
