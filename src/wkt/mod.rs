//! `google.protobuf`: the well-known types that the crate's messages carry
//! ([`Any`], [`Timestamp`], [`Duration`], [`Empty`]) and the ones an `Any`
//! commonly holds ([`Struct`], [`Value`], [`ListValue`], [`FieldMask`] and the
//! wrappers).
//!
//! # Why not `prost_types`
//!
//! These are generated from our own `proto/google/protobuf/` files rather
//! than taken from `prost-types`, because the ProtoJSON forms of these types
//! are special (`Any` inlines its payload with `@type`, `Timestamp` is an
//! RFC 3339 string, ...) and the orphan rule forbids implementing our JSON
//! traits on `prost-types`' structs. The wire encoding is the same, and
//! `From` conversions in both directions keep tonic and prost code working.
//!
//! ```
//! use cancelwire::wkt::Timestamp;
//!
//! let ours = Timestamp { seconds: 1_700_000_000, nanos: 5 };
//! let theirs: prost_types::Timestamp = ours.into();
//! assert_eq!(Timestamp::from(theirs), ours);
//! ```

mod any;
mod float_wrappers;
mod struct_message;
pub(crate) use any::type_name_of_url;
mod pack;
pub(crate) use pack::pack;
mod prost_types_conv;

pub use crate::generated::google::protobuf::*;
pub use any::UnpackError;
pub use float_wrappers::{DoubleValue, FloatValue};
pub use struct_message::Struct;
