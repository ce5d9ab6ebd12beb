//! What every open enum of the crate shares: its `FromStr` error.
//!
//! Proto3 enums are open: the wire may carry any `i32`, and a peer built
//! from a newer definition will send numbers we do not know yet. Like
//! `http::StatusCode`, each enum is a newtype over the number with associated
//! constants for the known values, so an unknown value survives decoding,
//! re-encoding, printing and parsing unchanged. `cancelwire-build` writes
//! each enum's newtype and impls from its descriptor.

/// Error of `FromStr` on an open enum: the text is neither a known name nor a
/// decimal `i32`.
///
/// ```
/// use cancelwire::flight::CancelStatus;
///
/// let err = "CANCEL_STATUS_PAUSED".parse::<CancelStatus>().unwrap_err();
/// assert_eq!(err.enum_name(), "arrow.flight.protocol.CancelStatus");
/// assert_eq!(err.to_string(), "`CANCEL_STATUS_PAUSED` is neither a name nor a number of enum arrow.flight.protocol.CancelStatus");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEnumName {
    enum_name: &'static str,
    text: String,
}

impl UnknownEnumName {
    #[doc(hidden)]
    pub fn new(enum_name: &'static str, text: &str) -> Self {
        Self {
            enum_name,
            text: text.to_owned(),
        }
    }

    /// Full protobuf name of the enum that was parsed.
    ///
    /// ```
    /// let err = "nope".parse::<cancelwire::rpc::Code>().unwrap_err();
    /// assert_eq!(err.enum_name(), "google.rpc.Code");
    /// ```
    pub fn enum_name(&self) -> &'static str {
        self.enum_name
    }

    /// The text that was rejected.
    ///
    /// ```
    /// let err = "nope".parse::<cancelwire::rpc::Code>().unwrap_err();
    /// assert_eq!(err.text(), "nope");
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for UnknownEnumName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is neither a name nor a number of enum {}",
            self.text, self.enum_name
        )
    }
}

impl std::error::Error for UnknownEnumName {}
