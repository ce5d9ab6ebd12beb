//! `rpc::Code` <-> `http::StatusCode` (feature `http`), through
//! [`Code::to_http_status`] and [`Code::from_http_status`].
//!
//! ```
//! use cancelwire::rpc::Code;
//!
//! let status: http::StatusCode = Code::CANCELLED.into();
//! assert_eq!(status.as_u16(), 499);
//! assert_eq!(Code::from(http::StatusCode::NOT_FOUND), Code::NOT_FOUND);
//! ```

use crate::rpc::Code;

/// code.proto's HTTP mapping; numbers outside `google.rpc.Code` become 500.
impl From<Code> for ::http::StatusCode {
    fn from(code: Code) -> Self {
        // `to_http_status` only returns statuses in 200..600, which are all
        // valid; the fallback keeps this total without a panic path.
        ::http::StatusCode::from_u16(code.to_http_status())
            .unwrap_or(::http::StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// The HTTP-to-RPC table of [`Code::from_http_status`].
impl From<::http::StatusCode> for Code {
    fn from(status: ::http::StatusCode) -> Self {
        Code::from_http_status(status.as_u16())
    }
}
