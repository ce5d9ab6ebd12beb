//! `google.rpc.Status` as a Rust error: constructors, `Display` and
//! `std::error::Error`.

use super::{Code, Status};

impl Status {
    /// A status with this code and developer-facing message, and no details.
    ///
    /// ```
    /// use cancelwire::rpc::{Code, Status};
    ///
    /// let status = Status::new(Code::NOT_FOUND, "operations/7 does not exist");
    /// assert_eq!(status.code(), Code::NOT_FOUND);
    /// assert_eq!(status.message, "operations/7 does not exist");
    /// assert!(status.details.is_empty());
    /// ```
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code: code.as_i32(),
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// Whether the code is `OK`, that is, the status reports no error.
    ///
    /// ```
    /// use cancelwire::rpc::{Code, Status};
    ///
    /// assert!(Status::default().is_ok());
    /// assert!(!Status::new(Code::ABORTED, "conflict").is_ok());
    /// ```
    pub fn is_ok(&self) -> bool {
        self.code().is_ok()
    }
}

/// Defines `Status::<name>(message)` for each listed code.
macro_rules! constructors {
    ($($name:ident => $code:ident,)+) => {
        impl Status {
            $(
                #[doc = concat!("A `", stringify!($code), "` status with this message.")]
                ///
                /// ```
                /// use cancelwire::rpc::{Code, Status};
                ///
                #[doc = concat!("let status = Status::", stringify!($name), "(\"why\");")]
                #[doc = concat!("assert_eq!(status.code(), Code::", stringify!($code), ");")]
                /// assert_eq!(status.message, "why");
                /// ```
                pub fn $name(message: impl Into<String>) -> Self {
                    Self::new(Code::$code, message)
                }
            )+
        }
    };
}

constructors! {
    cancelled => CANCELLED,
    unknown => UNKNOWN,
    invalid_argument => INVALID_ARGUMENT,
    deadline_exceeded => DEADLINE_EXCEEDED,
    not_found => NOT_FOUND,
    already_exists => ALREADY_EXISTS,
    permission_denied => PERMISSION_DENIED,
    resource_exhausted => RESOURCE_EXHAUSTED,
    failed_precondition => FAILED_PRECONDITION,
    aborted => ABORTED,
    out_of_range => OUT_OF_RANGE,
    unimplemented => UNIMPLEMENTED,
    internal => INTERNAL,
    unavailable => UNAVAILABLE,
    data_loss => DATA_LOSS,
    unauthenticated => UNAUTHENTICATED,
}

/// `CODE: message`, or the code alone when the message is empty; an unknown
/// code prints as its number. Details are not printed.
///
/// ```
/// use cancelwire::rpc::{Code, Status};
///
/// assert_eq!(Status::not_found("no such query").to_string(), "NOT_FOUND: no such query");
/// assert_eq!(Status::new(Code::from_i32(42), "").to_string(), "42");
/// ```
impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.code())
        } else {
            write!(f, "{}: {}", self.code(), self.message)
        }
    }
}

/// A `Status` is the error of a failed call, so it can be returned with `?`.
///
/// ```
/// use cancelwire::rpc::Status;
///
/// fn lookup() -> Result<(), Box<dyn std::error::Error>> {
///     Err(Status::unavailable("try later"))?
/// }
/// assert_eq!(lookup().unwrap_err().to_string(), "UNAVAILABLE: try later");
/// ```
impl std::error::Error for Status {}
