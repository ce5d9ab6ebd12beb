//! The open enums of `arrow.flight.protocol`.

use crate::open_enum::open_enum;

open_enum! {
    /// What became of a `CancelFlightInfo` request (`arrow.flight.protocol.CancelStatus`).
    ///
    /// Any `i32` is kept: a status from a newer server prints as its number
    /// instead of turning into `CANCEL_STATUS_UNSPECIFIED`.
    ///
    /// ```
    /// use cancelwire::flight::CancelStatus;
    ///
    /// assert_eq!(CancelStatus::CANCELLED.to_string(), "CANCEL_STATUS_CANCELLED");
    /// assert_eq!(CancelStatus::from_i32(42).to_string(), "42");
    /// assert_eq!("CANCEL_STATUS_CANCELLING".parse(), Ok(CancelStatus::CANCELLING));
    /// ```
    pub struct CancelStatus("arrow.flight.protocol.CancelStatus") in "cancelwire::flight" example CANCELLED = "CANCEL_STATUS_CANCELLED" {
        /// The server could not tell; the client should treat it as an error.
        UNSPECIFIED = 0 => "CANCEL_STATUS_UNSPECIFIED",
        /// The query is cancelled, now or before this request.
        CANCELLED = 1 => "CANCEL_STATUS_CANCELLED",
        /// Cancellation is under way and may still fail.
        CANCELLING = 2 => "CANCEL_STATUS_CANCELLING",
        /// The query cannot be cancelled: it finished or does not support it.
        NOT_CANCELLABLE = 3 => "CANCEL_STATUS_NOT_CANCELLABLE",
    }
}

open_enum! {
    /// How a `FlightDescriptor` names its dataset
    /// (`arrow.flight.protocol.FlightDescriptor.DescriptorType`).
    ///
    /// ```
    /// use cancelwire::flight::DescriptorType;
    ///
    /// assert_eq!(DescriptorType::CMD.as_i32(), 2);
    /// assert_eq!("PATH".parse(), Ok(DescriptorType::PATH));
    /// assert_eq!("9".parse(), Ok(DescriptorType::from_i32(9)));
    /// ```
    pub struct DescriptorType("arrow.flight.protocol.FlightDescriptor.DescriptorType") in "cancelwire::flight" example PATH = "PATH" {
        /// Not set.
        UNKNOWN = 0 => "UNKNOWN",
        /// Named by `path`.
        PATH = 1 => "PATH",
        /// Produced by the opaque `cmd`.
        CMD = 2 => "CMD",
    }
}
