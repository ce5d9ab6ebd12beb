//! `google.rpc.Code` to HTTP and back: every row of code.proto's mapping and
//! of the HTTP-to-RPC table, and the retry predicates of AIP-194.

use cancelwire::rpc::Code;
use proptest::prelude::*;

/// `HTTP Mapping:` of every value in googleapis' google/rpc/code.proto.
const CODE_PROTO: [(Code, u16); 17] = [
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

#[test]
fn every_code_maps_to_its_code_proto_http_status() {
    for (code, http) in CODE_PROTO {
        assert_eq!(code.to_http_status(), http, "{code}");
    }
    assert_eq!(CODE_PROTO.len(), Code::KNOWN.len());
}

#[test]
fn unknown_numbers_map_to_500_like_unknown() {
    for number in [17, 99, -1, i32::MIN, i32::MAX] {
        assert_eq!(Code::from_i32(number).to_http_status(), 500, "{number}");
    }
}

#[test]
fn http_statuses_named_by_one_code_map_back_to_it() {
    for (code, http) in CODE_PROTO {
        let sharing = CODE_PROTO.iter().filter(|(_, h)| *h == http).count();
        if sharing == 1 {
            assert_eq!(Code::from_http_status(http), code, "{http}");
        }
    }
}

#[test]
fn shared_http_statuses_map_to_the_most_general_code() {
    assert_eq!(Code::from_http_status(400), Code::INVALID_ARGUMENT);
    assert_eq!(Code::from_http_status(409), Code::ABORTED);
    assert_eq!(Code::from_http_status(500), Code::INTERNAL);
}

#[test]
fn http_to_rpc_table_rows() {
    let rows = [
        (200, Code::OK),
        (201, Code::OK),
        (299, Code::OK),
        (416, Code::OUT_OF_RANGE),
        (499, Code::CANCELLED),
        (402, Code::FAILED_PRECONDITION),
        (412, Code::FAILED_PRECONDITION),
        (502, Code::INTERNAL),
        (599, Code::INTERNAL),
        (100, Code::UNKNOWN),
        (301, Code::UNKNOWN),
        (0, Code::UNKNOWN),
        (600, Code::UNKNOWN),
        (u16::MAX, Code::UNKNOWN),
    ];
    for (http, code) in rows {
        assert_eq!(Code::from_http_status(http), code, "{http}");
    }
}

#[test]
fn only_unavailable_is_retried_as_is_and_only_aborted_at_a_higher_level() {
    for code in Code::KNOWN {
        assert_eq!(code.is_retryable(), *code == Code::UNAVAILABLE, "{code}");
        assert_eq!(
            code.is_retryable_at_higher_level(),
            *code == Code::ABORTED,
            "{code}"
        );
    }
}

#[test]
fn client_and_server_errors_follow_the_http_class() {
    let client = [
        Code::CANCELLED,
        Code::INVALID_ARGUMENT,
        Code::NOT_FOUND,
        Code::ALREADY_EXISTS,
        Code::PERMISSION_DENIED,
        Code::UNAUTHENTICATED,
        Code::RESOURCE_EXHAUSTED,
        Code::FAILED_PRECONDITION,
        Code::ABORTED,
        Code::OUT_OF_RANGE,
    ];
    for code in Code::KNOWN {
        let is_client = client.contains(code);
        assert_eq!(code.is_client_error(), is_client, "{code}");
        assert_eq!(
            code.is_server_error(),
            !is_client && *code != Code::OK,
            "{code}"
        );
        assert_eq!(code.is_ok(), *code == Code::OK);
    }
}

proptest! {
    #[test]
    fn every_number_maps_to_a_valid_http_status(x in any::<i32>()) {
        let http = Code::from_i32(x).to_http_status();
        prop_assert!((200..600).contains(&http));
    }

    #[test]
    fn from_http_status_is_total_and_known(http in any::<u16>()) {
        prop_assert!(Code::from_http_status(http).is_known());
    }
}
