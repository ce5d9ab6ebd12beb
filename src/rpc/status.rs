//! Everything written by hand for `google.rpc.Status`: the typed code,
//! constructors, typed access to `details`, `Display` and
//! `std::error::Error`.

use super::{Code, ErrorDetail, Status};
use crate::wkt::{Any, UnpackError, pack};
use prost::Name;

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
            unknown_fields: crate::UnknownFields::new(),
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

impl Status {
    /// The error code, keeping numbers outside `google.rpc.Code`.
    ///
    /// ```
    /// use cancelwire::rpc::{Code, Status};
    ///
    /// let status = Status { code: 99, ..Default::default() };
    /// assert_eq!(status.code(), Code::from_i32(99));
    /// ```
    pub fn code(&self) -> Code {
        Code::from_i32(self.code)
    }

    /// Sets the error code.
    ///
    /// ```
    /// use cancelwire::rpc::{Code, Status};
    ///
    /// let mut status = Status::default();
    /// status.set_code(Code::NOT_FOUND);
    /// assert_eq!(status.code, 5);
    /// ```
    pub fn set_code(&mut self, code: Code) {
        self.code = code.as_i32();
    }
}

impl Status {
    /// Appends `detail`, packed as an `Any`.
    ///
    /// ```
    /// use cancelwire::rpc::{ErrorInfo, Status};
    ///
    /// let mut status = Status::not_found("no such query");
    /// status.push_detail(&ErrorInfo { reason: "QUERY_UNKNOWN".into(), ..Default::default() });
    /// assert_eq!(status.details[0].type_url, "type.googleapis.com/google.rpc.ErrorInfo");
    /// ```
    pub fn push_detail<M: Name>(&mut self, detail: &M) {
        self.details.push(pack(detail));
    }

    /// The status with `detail` appended, for building in one expression.
    ///
    /// ```
    /// use cancelwire::rpc::{RetryInfo, Status};
    /// use cancelwire::wkt::Duration;
    ///
    /// let status = Status::unavailable("overloaded")
    ///     .with_detail(&RetryInfo { retry_delay: Some(Duration { seconds: 2, nanos: 0, ..Default::default() }), ..Default::default() });
    /// assert_eq!(status.details.len(), 1);
    /// ```
    pub fn with_detail<M: Name>(mut self, detail: &M) -> Self {
        self.push_detail(detail);
        self
    }

    /// The first detail of type `M`, or `None` when there is none. A detail
    /// whose type URL names `M` but whose bytes do not decode as one is an
    /// error rather than skipped.
    ///
    /// ```
    /// use cancelwire::rpc::{ErrorInfo, Help, Status};
    ///
    /// let info = ErrorInfo { reason: "EXPIRED".into(), ..Default::default() };
    /// let status = Status::failed_precondition("ticket expired").with_detail(&info);
    /// assert_eq!(status.detail::<ErrorInfo>()?, Some(info));
    /// assert_eq!(status.detail::<Help>()?, None);
    /// # Ok::<(), cancelwire::wkt::UnpackError>(())
    /// ```
    pub fn detail<M: Name + Default>(&self) -> Result<Option<M>, UnpackError> {
        self.details
            .iter()
            .find(|any| any.is::<M>())
            .map(Any::to_msg)
            .transpose()
    }

    /// Every detail, typed where it is one of the standard error details.
    /// Details of other types, and standard ones whose bytes do not decode,
    /// come back as [`ErrorDetail::Other`] with the original `Any`, so
    /// nothing is dropped.
    ///
    /// ```
    /// use cancelwire::flight::Ticket;
    /// use cancelwire::rpc::{ErrorDetail, ErrorInfo, Status};
    ///
    /// let status = Status::aborted("conflict")
    ///     .with_detail(&ErrorInfo { reason: "STALE".into(), ..Default::default() })
    ///     .with_detail(&Ticket { ticket: "t".into(), ..Default::default() });
    /// let details: Vec<ErrorDetail> = status.error_details().collect();
    /// assert!(matches!(&details[0], ErrorDetail::ErrorInfo(info) if info.reason == "STALE"));
    /// assert!(matches!(&details[1], ErrorDetail::Other(any) if any.is::<Ticket>()));
    /// ```
    pub fn error_details(&self) -> impl Iterator<Item = ErrorDetail> + '_ {
        self.details.iter().map(ErrorDetail::from_any)
    }
}
