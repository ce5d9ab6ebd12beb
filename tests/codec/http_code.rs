//! `rpc::Code` <-> `http::StatusCode` follows the same tables as
//! `Code::to_http_status` and `Code::from_http_status`.
#![cfg(feature = "http")]

use cancelwire::rpc::Code;
use http::StatusCode;

#[test]
fn code_to_status_code_uses_code_proto_mapping() {
    let rows = [
        (Code::OK, StatusCode::OK),
        (Code::CANCELLED, StatusCode::from_u16(499).unwrap()),
        (Code::INVALID_ARGUMENT, StatusCode::BAD_REQUEST),
        (Code::DEADLINE_EXCEEDED, StatusCode::GATEWAY_TIMEOUT),
        (Code::NOT_FOUND, StatusCode::NOT_FOUND),
        (Code::ALREADY_EXISTS, StatusCode::CONFLICT),
        (Code::PERMISSION_DENIED, StatusCode::FORBIDDEN),
        (Code::UNAUTHENTICATED, StatusCode::UNAUTHORIZED),
        (Code::RESOURCE_EXHAUSTED, StatusCode::TOO_MANY_REQUESTS),
        (Code::UNIMPLEMENTED, StatusCode::NOT_IMPLEMENTED),
        (Code::UNAVAILABLE, StatusCode::SERVICE_UNAVAILABLE),
        (Code::from_i32(1000), StatusCode::INTERNAL_SERVER_ERROR),
    ];
    for (code, status) in rows {
        assert_eq!(StatusCode::from(code), status, "{code}");
    }
    for code in Code::KNOWN {
        assert_eq!(StatusCode::from(*code).as_u16(), code.to_http_status());
    }
}

#[test]
fn status_code_to_code_uses_the_http_to_rpc_table() {
    for raw in 100..=999u16 {
        let status = StatusCode::from_u16(raw).unwrap();
        assert_eq!(Code::from(status), Code::from_http_status(raw), "{raw}");
    }
    assert_eq!(Code::from(StatusCode::CONFLICT), Code::ABORTED);
    assert_eq!(Code::from(StatusCode::NO_CONTENT), Code::OK);
    assert_eq!(Code::from(StatusCode::BAD_GATEWAY), Code::INTERNAL);
}
