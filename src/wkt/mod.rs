//! `google.protobuf`: the well-known types that the crate's messages carry
//! ([`Any`], [`Timestamp`], [`Duration`], [`Empty`]) and the ones an `Any`
//! commonly holds ([`Struct`], [`Value`], [`ListValue`], [`FieldMask`] and the
//! wrappers).
//!
//! # Why not `prost_types`
//!
//! These are generated from our own `cancelwire-build/proto/google/protobuf/` files rather
//! than taken from `prost-types`, because the ProtoJSON forms of these types
//! are special (`Any` inlines its payload with `@type`, `Timestamp` is an
//! RFC 3339 string, ...) and the orphan rule forbids implementing our JSON
//! traits on `prost-types`' structs. The wire encoding is the same, and
//! `From` conversions in both directions keep tonic and prost code working.
//!
//! Like `prost-types`' own, [`Timestamp`] and [`Duration`] print and parse
//! their JSON text with `Display` and `FromStr`, have `MIN` and `MAX`
//! constants, and convert to and from `std::time::SystemTime` and
//! `std::time::Duration`, with an error where a value does not fit.
//!
//! ```
//! use cancelwire::wkt::{Duration, Timestamp};
//!
//! let deadline: Timestamp = "2030-01-01T00:00:00Z".parse()?;
//! let wait = Duration::try_from(std::time::Duration::from_millis(2_500))?;
//! assert_eq!(format!("{deadline} after {wait}"), "2030-01-01T00:00:00Z after 2.500s");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! use cancelwire::wkt::Timestamp;
//!
//! let ours = Timestamp { seconds: 1_700_000_000, nanos: 5, ..Default::default() };
//! let theirs: prost_types::Timestamp = ours.clone().into();
//! assert_eq!(Timestamp::from(theirs), ours);
//! ```

mod any;
mod duration;
mod struct_message;
pub(crate) use any::type_name_of_url;
mod pack;
pub(crate) use pack::pack;
mod prost_types_conv;
mod timestamp;

/// The messages prost generates from this package's `.proto` files.
#[allow(missing_docs, clippy::all, clippy::indexing_slicing)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/google.protobuf.rs"));
}
pub use any::UnpackError;
pub use duration::DurationError;
pub use generated::*;
pub use struct_message::Struct;
pub use timestamp::TimestampError;
