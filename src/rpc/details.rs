//! [`ErrorDetail`]: the standard error details of
//! `google/rpc/error_details.proto` as one enum.

use super::{
    BadRequest, DebugInfo, ErrorInfo, Help, LocalizedMessage, PreconditionFailure, QuotaFailure,
    RequestInfo, ResourceInfo, RetryInfo,
};
use crate::wkt::{Any, pack};

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
        /// let detail = ErrorDetail::from(LocalizedMessage { locale: "en-US".into(), message: "Try later".into(), ..Default::default() });
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
            /// let broken = Any { type_url: "type.googleapis.com/google.rpc.Help".into(), value: vec![0xff].into(), ..Default::default() };
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
