//! What is written by hand for `google.rpc.Code` (the open enum itself is
//! generated from `code.proto`): its HTTP mapping and predicates.

use super::Code;

/// The HTTP status of each code, from the `HTTP Mapping:` lines of
/// googleapis' `google/rpc/code.proto`.
const HTTP_STATUS: [(Code, u16); 17] = [
    (Code::OK, 200),
    (Code::CANCELLED, 499),
    (Code::UNKNOWN, 500),
    (Code::INVALID_ARGUMENT, 400),
    (Code::DEADLINE_EXCEEDED, 504),
    (Code::NOT_FOUND, 404),
    (Code::ALREADY_EXISTS, 409),
    (Code::PERMISSION_DENIED, 403),
    (Code::UNAUTHENTICATED, 401),
    (Code::RESOURCE_EXHAUSTED, 429),
    (Code::FAILED_PRECONDITION, 400),
    (Code::ABORTED, 409),
    (Code::OUT_OF_RANGE, 400),
    (Code::UNIMPLEMENTED, 501),
    (Code::INTERNAL, 500),
    (Code::UNAVAILABLE, 503),
    (Code::DATA_LOSS, 500),
];

impl Code {
    /// The HTTP status a Google-style JSON/REST API answers with for this
    /// code, as `google/rpc/code.proto` documents it:
    ///
    /// | code | HTTP | | code | HTTP |
    /// |---|---|---|---|---|
    /// | `OK` | 200 | | `RESOURCE_EXHAUSTED` | 429 |
    /// | `CANCELLED` | 499 | | `FAILED_PRECONDITION` | 400 |
    /// | `UNKNOWN` | 500 | | `ABORTED` | 409 |
    /// | `INVALID_ARGUMENT` | 400 | | `OUT_OF_RANGE` | 400 |
    /// | `DEADLINE_EXCEEDED` | 504 | | `UNIMPLEMENTED` | 501 |
    /// | `NOT_FOUND` | 404 | | `INTERNAL` | 500 |
    /// | `ALREADY_EXISTS` | 409 | | `UNAVAILABLE` | 503 |
    /// | `PERMISSION_DENIED` | 403 | | `DATA_LOSS` | 500 |
    /// | `UNAUTHENTICATED` | 401 | | any other number | 500 |
    ///
    /// A number outside the list is treated like `UNKNOWN`, which code.proto
    /// reserves for errors from an error space this side does not know.
    ///
    /// ```
    /// use cancelwire::rpc::Code;
    ///
    /// assert_eq!(Code::CANCELLED.to_http_status(), 499);
    /// assert_eq!(Code::FAILED_PRECONDITION.to_http_status(), 400);
    /// assert_eq!(Code::from_i32(77).to_http_status(), 500);
    /// ```
    pub fn to_http_status(self) -> u16 {
        HTTP_STATUS
            .iter()
            .find(|(code, _)| *code == self)
            .map_or(500, |(_, http)| *http)
    }

    /// The code for an HTTP status received from a Google-style API that
    /// sent no `google.rpc.Status` body.
    ///
    /// Several codes share an HTTP status (400 is `INVALID_ARGUMENT`,
    /// `FAILED_PRECONDITION` or `OUT_OF_RANGE`), so this cannot invert
    /// [`Code::to_http_status`]. It follows the HTTP-to-RPC table of Google's
    /// API proxies (ESP): 2xx is `OK`; 400 `INVALID_ARGUMENT`; 401
    /// `UNAUTHENTICATED`; 403 `PERMISSION_DENIED`; 404 `NOT_FOUND`; 409
    /// `ABORTED`; 416 `OUT_OF_RANGE`; 429 `RESOURCE_EXHAUSTED`; 499
    /// `CANCELLED`; 501 `UNIMPLEMENTED`; 503 `UNAVAILABLE`; 504
    /// `DEADLINE_EXCEEDED`; any other 4xx `FAILED_PRECONDITION`; any other
    /// 5xx `INTERNAL`; anything else (1xx, 3xx, out of range) `UNKNOWN`.
    ///
    /// ```
    /// use cancelwire::rpc::Code;
    ///
    /// assert_eq!(Code::from_http_status(499), Code::CANCELLED);
    /// assert_eq!(Code::from_http_status(204), Code::OK);
    /// assert_eq!(Code::from_http_status(412), Code::FAILED_PRECONDITION);
    /// assert_eq!(Code::from_http_status(302), Code::UNKNOWN);
    /// ```
    pub fn from_http_status(status: u16) -> Code {
        match status {
            200..=299 => Code::OK,
            400 => Code::INVALID_ARGUMENT,
            401 => Code::UNAUTHENTICATED,
            403 => Code::PERMISSION_DENIED,
            404 => Code::NOT_FOUND,
            409 => Code::ABORTED,
            416 => Code::OUT_OF_RANGE,
            429 => Code::RESOURCE_EXHAUSTED,
            499 => Code::CANCELLED,
            501 => Code::UNIMPLEMENTED,
            503 => Code::UNAVAILABLE,
            504 => Code::DEADLINE_EXCEEDED,
            _ if (400..500).contains(&status) => Code::FAILED_PRECONDITION,
            _ if (500..600).contains(&status) => Code::INTERNAL,
            _ => Code::UNKNOWN,
        }
    }

    /// Whether this is `OK`, the only code that is not an error.
    ///
    /// ```
    /// use cancelwire::rpc::Code;
    ///
    /// assert!(Code::OK.is_ok());
    /// assert!(!Code::CANCELLED.is_ok());
    /// ```
    pub const fn is_ok(self) -> bool {
        self.as_i32() == Code::OK.as_i32()
    }

    /// Whether a client may retry the very same call, with backoff, if the
    /// call is safe to repeat. AIP-194 names one such code: `UNAVAILABLE`,
    /// a transient condition. Every other code, including unknown numbers,
    /// is not retried automatically.
    ///
    /// ```
    /// use cancelwire::rpc::Code;
    ///
    /// assert!(Code::UNAVAILABLE.is_retryable());
    /// assert!(!Code::DEADLINE_EXCEEDED.is_retryable()); // the deadline must be honoured
    /// assert!(!Code::from_i32(99).is_retryable());
    /// ```
    pub const fn is_retryable(self) -> bool {
        self.as_i32() == Code::UNAVAILABLE.as_i32()
    }

    /// Whether a client should retry at a higher level: restart the whole
    /// read-modify-write sequence or transaction rather than the failed call.
    /// code.proto reserves `ABORTED` for this.
    ///
    /// ```
    /// use cancelwire::rpc::Code;
    ///
    /// assert!(Code::ABORTED.is_retryable_at_higher_level());
    /// assert!(!Code::UNAVAILABLE.is_retryable_at_higher_level());
    /// ```
    pub const fn is_retryable_at_higher_level(self) -> bool {
        self.as_i32() == Code::ABORTED.as_i32()
    }

    /// Whether the code blames the request or the caller: its HTTP status
    /// is a 4xx. `CANCELLED` (499) counts, as the caller gave up.
    ///
    /// ```
    /// use cancelwire::rpc::Code;
    ///
    /// assert!(Code::NOT_FOUND.is_client_error());
    /// assert!(!Code::INTERNAL.is_client_error());
    /// assert!(!Code::OK.is_client_error());
    /// ```
    pub fn is_client_error(self) -> bool {
        (400..500).contains(&self.to_http_status())
    }

    /// Whether the code blames the server: its HTTP status is a 5xx. Unknown
    /// numbers count, as they map to 500.
    ///
    /// ```
    /// use cancelwire::rpc::Code;
    ///
    /// assert!(Code::UNAVAILABLE.is_server_error());
    /// assert!(Code::from_i32(-3).is_server_error());
    /// assert!(!Code::INVALID_ARGUMENT.is_server_error());
    /// ```
    pub fn is_server_error(self) -> bool {
        (500..600).contains(&self.to_http_status())
    }
}
