//! Typed access to `Status.details`: packing any `prost::Name` message, and
//! the standard error details of `google/rpc/error_details.proto`.

use super::{
    BadRequest, DebugInfo, ErrorInfo, Help, LocalizedMessage, PreconditionFailure, QuotaFailure,
    RequestInfo, ResourceInfo, RetryInfo, Status,
};
use crate::wkt::{Any, UnpackError, pack};
use prost::Name;

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
    ///     .with_detail(&RetryInfo { retry_delay: Some(Duration { seconds: 2, nanos: 0 }) });
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
    ///     .with_detail(&Ticket { ticket: "t".into() });
    /// let details: Vec<ErrorDetail> = status.error_details().collect();
    /// assert!(matches!(&details[0], ErrorDetail::ErrorInfo(info) if info.reason == "STALE"));
    /// assert!(matches!(&details[1], ErrorDetail::Other(any) if any.is::<Ticket>()));
    /// ```
    pub fn error_details(&self) -> impl Iterator<Item = ErrorDetail> + '_ {
        self.details.iter().map(ErrorDetail::from_any)
    }
}

/// Defines [`ErrorDetail`] over the standard detail types.
macro_rules! error_detail {
    ($($ty:ident),+ $(,)?) => {
        /// One entry of `Status.details`: a standard error detail of
        /// `google/rpc/error_details.proto`, or any other message as the
        /// `Any` it came in.
        ///
        /// ```
        /// use cancelwire::rpc::{ErrorDetail, LocalizedMessage};
        ///
        /// let detail = ErrorDetail::from(LocalizedMessage { locale: "en-US".into(), message: "Try later".into() });
        /// let any = detail.to_any();
        /// assert_eq!(any.type_url, "type.googleapis.com/google.rpc.LocalizedMessage");
        /// assert_eq!(ErrorDetail::from_any(&any), detail);
        /// ```
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ErrorDetail {
            $(
                #[doc = concat!("A `google.rpc.", stringify!($ty), "`.")]
                $ty($ty),
            )+
            /// Any other message, or a standard one that did not decode,
            /// kept exactly as received.
            Other(Any),
        }

        impl ErrorDetail {
            /// Decodes a standard detail by its type URL's message name (the
            /// URL's prefix is not checked); anything else is kept as
            /// [`ErrorDetail::Other`].
            ///
            /// ```
            /// use cancelwire::rpc::ErrorDetail;
            /// use cancelwire::wkt::Any;
            ///
            /// let broken = Any { type_url: "type.googleapis.com/google.rpc.Help".into(), value: vec![0xff].into() };
            /// assert_eq!(ErrorDetail::from_any(&broken), ErrorDetail::Other(broken.clone()));
            /// ```
            pub fn from_any(any: &Any) -> Self {
                $(
                    if any.is::<$ty>() {
                        return match any.to_msg::<$ty>() {
                            Ok(detail) => Self::$ty(detail),
                            Err(_) => Self::Other(any.clone()),
                        };
                    }
                )+
                Self::Other(any.clone())
            }

            /// Packs the detail back into an `Any`; an `Other` is returned
            /// as it was received.
            ///
            /// ```
            /// use cancelwire::rpc::{ErrorDetail, Help};
            ///
            /// let any = ErrorDetail::Help(Help::default()).to_any();
            /// assert_eq!(any.type_name(), "google.rpc.Help");
            /// ```
            pub fn to_any(&self) -> Any {
                match self {
                    $(Self::$ty(detail) => pack(detail),)+
                    Self::Other(any) => any.clone(),
                }
            }
        }

        $(
            impl From<$ty> for ErrorDetail {
                fn from(detail: $ty) -> Self {
                    Self::$ty(detail)
                }
            }
        )+
    };
}

error_detail!(
    ErrorInfo,
    RetryInfo,
    DebugInfo,
    QuotaFailure,
    PreconditionFailure,
    BadRequest,
    RequestInfo,
    ResourceInfo,
    Help,
    LocalizedMessage,
);
