//! `google.rpc.Code`, the canonical error codes.

use crate::open_enum::open_enum;

open_enum! {
    /// A canonical error code of gRPC and Google APIs (`google.rpc.Code`).
    ///
    /// `Status.code` is an `int32` on the wire, and servers may send numbers
    /// outside this list; they are kept and printed as numbers.
    ///
    /// ```
    /// use cancelwire::rpc::Code;
    ///
    /// assert_eq!(Code::CANCELLED.as_i32(), 1);
    /// assert_eq!(Code::UNAUTHENTICATED.to_string(), "UNAUTHENTICATED");
    /// assert_eq!("16".parse(), Ok(Code::UNAUTHENTICATED));
    /// ```
    pub struct Code("google.rpc.Code") in "cancelwire::rpc" example NOT_FOUND = "NOT_FOUND" {
        /// Success.
        OK = 0 => "OK",
        /// The caller cancelled the operation.
        CANCELLED = 1 => "CANCELLED",
        /// An error with no better code.
        UNKNOWN = 2 => "UNKNOWN",
        /// The request is malformed whatever the system state.
        INVALID_ARGUMENT = 3 => "INVALID_ARGUMENT",
        /// The deadline passed before the operation finished.
        DEADLINE_EXCEEDED = 4 => "DEADLINE_EXCEEDED",
        /// The named entity does not exist.
        NOT_FOUND = 5 => "NOT_FOUND",
        /// The entity the caller tried to create exists already.
        ALREADY_EXISTS = 6 => "ALREADY_EXISTS",
        /// The caller may not do this.
        PERMISSION_DENIED = 7 => "PERMISSION_DENIED",
        /// The request carries no valid credentials.
        UNAUTHENTICATED = 16 => "UNAUTHENTICATED",
        /// A quota or some capacity is exhausted.
        RESOURCE_EXHAUSTED = 8 => "RESOURCE_EXHAUSTED",
        /// The system is not in the state the operation needs.
        FAILED_PRECONDITION = 9 => "FAILED_PRECONDITION",
        /// A concurrency conflict aborted the operation.
        ABORTED = 10 => "ABORTED",
        /// The operation went past the valid range.
        OUT_OF_RANGE = 11 => "OUT_OF_RANGE",
        /// The operation is not implemented or not enabled.
        UNIMPLEMENTED = 12 => "UNIMPLEMENTED",
        /// An invariant of the system broke.
        INTERNAL = 13 => "INTERNAL",
        /// The service is unavailable for now.
        UNAVAILABLE = 14 => "UNAVAILABLE",
        /// Data was lost or corrupted beyond recovery.
        DATA_LOSS = 15 => "DATA_LOSS",
    }
}
