//! Conversions between this crate's Flight messages and the `arrow-flight`
//! crate's (feature `arrow-flight`), so a server built on `arrow-flight`
//! can use ours for the cancellation protocol.
//!
//! Both are prost messages of the same `.proto` with `Bytes` for `bytes`
//! fields, so messages convert field by field without loss (and without
//! copying payloads). The enums are the exception: `arrow-flight`'s are
//! closed Rust enums, so converting an unknown number into them fails with
//! `prost::UnknownEnumValue`, while the message fields, plain `i32` on both
//! sides, keep every number.
//!
//! `arrow-flight`'s messages have no place for unknown fields: converting
//! into them drops ours (`unknown_fields`), and converting back gives none.
//!
//! ```
//! use cancelwire::flight::{CancelFlightInfoRequest, FlightAction};
//!
//! // An `arrow_flight::Action` received by a server ...
//! let action: arrow_flight::Action = CancelFlightInfoRequest::default().to_action().into();
//! // ... parsed with this crate.
//! let request = CancelFlightInfoRequest::from_action(&action.into())?;
//! assert_eq!(request, CancelFlightInfoRequest::default());
//! # Ok::<(), cancelwire::flight::ActionError>(())
//! ```

use crate::flight::{self, CancelStatus, DescriptorType};

/// Implements `From` both ways for messages with the same fields; each
/// field says how its value converts: as is, inside an `Option`, or per
/// element of a `Vec`.
macro_rules! both_ways {
    ($($ty:ident { $($field:ident: $kind:ident),+ $(,)? })+) => {$(
        /// Field by field; `unknown_fields` are dropped, since
        /// `arrow-flight`'s message has no place for them.
        impl From<flight::$ty> for ::arrow_flight::$ty {
            fn from(value: flight::$ty) -> Self {
                Self { $($field: both_ways!(@$kind value.$field)),+ }
            }
        }

        impl From<::arrow_flight::$ty> for flight::$ty {
            fn from(value: ::arrow_flight::$ty) -> Self {
                Self { $($field: both_ways!(@$kind value.$field)),+, unknown_fields: crate::UnknownFields::new() }
            }
        }
    )+};
    (@same $value:expr) => { $value };
    (@option $value:expr) => { $value.map(Into::into) };
    (@vec $value:expr) => { $value.into_iter().map(Into::into).collect() };
}

both_ways! {
    ActionType { r#type: same, description: same }
    Action { r#type: same, body: same }
    Result { body: same }
    Ticket { ticket: same }
    Location { uri: same }
    FlightDescriptor { r#type: same, cmd: same, path: same }
    FlightEndpoint { ticket: option, location: vec, expiration_time: option, app_metadata: same }
    FlightInfo {
        schema: same,
        flight_descriptor: option,
        endpoint: vec,
        total_records: same,
        total_bytes: same,
        ordered: same,
        app_metadata: same,
    }
    PollInfo { info: option, flight_descriptor: option, progress: same, expiration_time: option }
    CancelFlightInfoRequest { info: option }
    CancelFlightInfoResult { status: same }
    RenewFlightEndpointRequest { endpoint: option }
}

/// Always succeeds: every `arrow-flight` value has a number.
impl From<::arrow_flight::CancelStatus> for CancelStatus {
    fn from(status: ::arrow_flight::CancelStatus) -> Self {
        CancelStatus::from_i32(status as i32)
    }
}

/// Fails for a number `arrow-flight` has no variant for.
impl TryFrom<CancelStatus> for ::arrow_flight::CancelStatus {
    type Error = prost::UnknownEnumValue;

    fn try_from(status: CancelStatus) -> Result<Self, Self::Error> {
        ::arrow_flight::CancelStatus::try_from(status.as_i32())
    }
}

/// Always succeeds: every `arrow-flight` value has a number.
impl From<::arrow_flight::flight_descriptor::DescriptorType> for DescriptorType {
    fn from(kind: ::arrow_flight::flight_descriptor::DescriptorType) -> Self {
        DescriptorType::from_i32(kind as i32)
    }
}

/// Fails for a number `arrow-flight` has no variant for.
impl TryFrom<DescriptorType> for ::arrow_flight::flight_descriptor::DescriptorType {
    type Error = prost::UnknownEnumValue;

    fn try_from(kind: DescriptorType) -> Result<Self, Self::Error> {
        ::arrow_flight::flight_descriptor::DescriptorType::try_from(kind.as_i32())
    }
}
