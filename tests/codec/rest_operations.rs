//! `cancelwire::longrunning::rest` without a server: routing HTTP requests to
//! typed requests, the JSON error envelope both ways, client calls, and
//! that a client call routes back to the request it came from.
#![cfg(feature = "rest")]

use cancelwire::longrunning::rest::{
    BindingError, Bindings, CallError, OperationsRequest, Reply, Rpc, read_reply,
    status_from_envelope,
};
use cancelwire::longrunning::{
    CancelOperationRequest, DeleteOperationRequest, GetOperationRequest, ListOperationsRequest,
    Operation, WaitOperationRequest,
};
use cancelwire::rpc::{BadRequest, Code, ErrorInfo, RetryInfo, Status, bad_request};
use cancelwire::wkt::{Duration, Empty};
use http::Method;

const FIRESTORE: &str = "projects/*/databases/*/operations/*";
const OP1: &str = "projects/demo/databases/demo/operations/op-1";

fn firestore() -> Bindings {
    Bindings::for_name_pattern(FIRESTORE).unwrap()
}

fn route(
    b: &Bindings,
    method: Method,
    path: &str,
    query: &str,
    body: &[u8],
) -> Result<OperationsRequest, Status> {
    b.route(&method, path, query, body)
}

fn code_of(result: Result<OperationsRequest, Status>) -> Code {
    match result {
        Ok(request) => panic!("routed to {request:?}"),
        Err(status) => status.code(),
    }
}

fn list(result: Result<OperationsRequest, Status>) -> ListOperationsRequest {
    match result {
        Ok(OperationsRequest::List(list)) => list,
        other => panic!("not a list: {other:?}"),
    }
}

// ---- routing ------------------------------------------------------------------

#[test]
fn upstream_bindings_route_each_rpc() {
    let b = Bindings::upstream();
    assert_eq!(
        route(&b, Method::GET, "/v1/operations", "", b""),
        Ok(OperationsRequest::List(ListOperationsRequest {
            name: "operations".into(),
            ..Default::default()
        }))
    );
    assert_eq!(
        route(&b, Method::GET, "/v1/operations/a/b", "", b""),
        Ok(OperationsRequest::Get(GetOperationRequest {
            name: "operations/a/b".into(),
            ..Default::default()
        }))
    );
    assert_eq!(
        route(&b, Method::DELETE, "/v1/operations/a", "", b""),
        Ok(OperationsRequest::Delete(DeleteOperationRequest {
            name: "operations/a".into(),
            ..Default::default()
        }))
    );
    assert_eq!(
        route(&b, Method::POST, "/v1/operations/a:cancel", "", b"{}"),
        Ok(OperationsRequest::Cancel(CancelOperationRequest {
            name: "operations/a".into(),
            ..Default::default()
        }))
    );
}

#[test]
fn firestore_bindings_route_each_rpc_and_list_under_the_database() {
    let b = firestore();
    let l = list(route(
        &b,
        Method::GET,
        "/v1/projects/demo/databases/demo/operations",
        "",
        b"",
    ));
    assert_eq!(l.name, "projects/demo/databases/demo");
    for (method, path, rpc) in [
        (Method::GET, format!("/v1/{OP1}"), Rpc::Get),
        (Method::DELETE, format!("/v1/{OP1}"), Rpc::Delete),
        (Method::POST, format!("/v1/{OP1}:cancel"), Rpc::Cancel),
    ] {
        let r = route(&b, method, &path, "", b"").unwrap();
        assert_eq!((r.rpc(), r.name()), (rpc, OP1), "{path}");
    }
}

#[test]
fn no_binding_is_not_found() {
    let b = firestore();
    for (method, path) in [
        (Method::GET, "/v1/operations/op-1"),
        (Method::GET, "/v1/projects/demo/operations/op-1"),
        (
            Method::GET,
            "/v2/projects/demo/databases/demo/operations/op-1",
        ),
        (
            Method::PUT,
            "/v1/projects/demo/databases/demo/operations/op-1",
        ),
        (
            Method::POST,
            "/v1/projects/demo/databases/demo/operations/op-1",
        ),
        (
            Method::POST,
            "/v1/projects/demo/databases/demo/operations/op-1:wait",
        ),
        (Method::GET, "/"),
        (Method::GET, ""),
    ] {
        let status = route(&b, method.clone(), path, "", b"").unwrap_err();
        assert_eq!(status.code(), Code::NOT_FOUND, "{method} {path}");
        assert!(status.message.contains(path), "{}", status.message);
    }
}

#[test]
fn a_bad_escape_in_the_path_is_invalid_argument() {
    for path in [
        "/v1/operations/a%zz",
        "/v1/operations/%ff%fe",
        "/v1/operations/a%",
    ] {
        assert_eq!(
            code_of(route(&Bindings::upstream(), Method::GET, path, "", b"")),
            Code::INVALID_ARGUMENT,
            "{path}"
        );
    }
}

#[test]
fn wait_is_bound_only_when_opted_in_and_reads_its_timeout() {
    let path = format!("/v1/{OP1}:wait");
    assert_eq!(
        code_of(route(&firestore(), Method::POST, &path, "", b"")),
        Code::NOT_FOUND
    );
    let b = firestore().with_wait();
    assert_eq!(
        route(&b, Method::POST, &path, "", br#"{"timeout":"2.5s"}"#),
        Ok(OperationsRequest::Wait(WaitOperationRequest {
            name: OP1.into(),
            timeout: Some(Duration {
                seconds: 2,
                nanos: 500_000_000,
                ..Default::default()
            }),
            ..Default::default()
        }))
    );
    assert_eq!(
        route(&b, Method::POST, &path, "", b""),
        Ok(OperationsRequest::Wait(WaitOperationRequest {
            name: OP1.into(),
            timeout: None,
            ..Default::default()
        }))
    );
    assert_eq!(
        code_of(route(&b, Method::POST, &path, "", br#"{"timeout":"soon"}"#)),
        Code::INVALID_ARGUMENT
    );
}

// ---- the list query ----------------------------------------------------------------

const LIST: &str = "/v1/projects/demo/databases/demo/operations";

#[test]
fn list_reads_its_query_under_json_and_proto_names() {
    let b = firestore();
    for query in [
        "filter=done%3Dtrue&pageSize=2&pageToken=t%2F1&returnPartialSuccess=true",
        "filter=done%3Dtrue&page_size=2&page_token=t%2F1&return_partial_success=true",
    ] {
        let l = list(route(&b, Method::GET, LIST, query, b""));
        assert_eq!(
            l,
            ListOperationsRequest {
                name: "projects/demo/databases/demo".into(),
                filter: "done=true".into(),
                page_size: 2,
                page_token: "t/1".into(),
                return_partial_success: true,
                ..Default::default()
            },
            "{query}"
        );
    }
}

#[test]
fn list_query_plus_is_a_space_and_system_parameters_are_ignored() {
    let l = list(route(
        &firestore(),
        Method::GET,
        LIST,
        "%24alt=json%3Benum-encoding%3Dint&filter=done+%3D+false&key=k&returnPartialSuccess=false&&",
        b"",
    ));
    assert_eq!(l.filter, "done = false");
    assert!(!l.return_partial_success);
}

#[test]
fn malformed_list_queries_are_invalid_argument() {
    let b = firestore();
    for query in [
        "pageSize=two",
        "pageSize=2147483648",
        "pageSize=",
        "returnPartialSuccess=yes",
        "pageSize=1&page_size=2",
        "filter=a&filter=b",
        "colour=blue",
        "name=projects/x",
        "filter=%zz",
        "pageToken=%ff",
    ] {
        let status = route(&b, Method::GET, LIST, query, b"").unwrap_err();
        assert_eq!(status.code(), Code::INVALID_ARGUMENT, "{query}");
    }
}

#[test]
fn get_delete_and_cancel_take_no_query_fields_and_list_get_delete_no_body() {
    let b = firestore();
    let one = format!("/v1/{OP1}");
    let cancel = format!("/v1/{OP1}:cancel");
    assert_eq!(
        code_of(route(&b, Method::GET, &one, "filter=x", b"")),
        Code::INVALID_ARGUMENT
    );
    assert_eq!(
        code_of(route(&b, Method::DELETE, &one, "x", b"")),
        Code::INVALID_ARGUMENT
    );
    assert_eq!(
        code_of(route(&b, Method::POST, &cancel, "name=x", b"")),
        Code::INVALID_ARGUMENT
    );
    assert_eq!(
        code_of(route(&b, Method::GET, &one, "", b"{}")),
        Code::INVALID_ARGUMENT
    );
    assert_eq!(
        code_of(route(&b, Method::DELETE, &one, "", b"x")),
        Code::INVALID_ARGUMENT
    );
    assert_eq!(
        code_of(route(&b, Method::GET, LIST, "", b"{}")),
        Code::INVALID_ARGUMENT
    );
    // System parameters are fine everywhere, whitespace is no body.
    assert!(route(&b, Method::GET, &one, "alt=json&prettyPrint=false", b" \n").is_ok());
}

// ---- the cancel body ----------------------------------------------------------------

#[test]
fn cancel_body_may_be_empty_an_empty_object_or_name_the_same_operation() {
    let b = firestore();
    let path = format!("/v1/{OP1}:cancel");
    let same = format!(r#"{{"name": "{OP1}"}}"#);
    for body in [
        &b""[..],
        b"  \r\n",
        b"{}",
        b" { } ",
        same.as_bytes(),
        br#"{"name": ""}"#,
    ] {
        assert_eq!(
            route(&b, Method::POST, &path, "", body),
            Ok(OperationsRequest::Cancel(CancelOperationRequest {
                name: OP1.into(),
                ..Default::default()
            })),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn any_other_cancel_body_is_invalid_argument() {
    let b = firestore();
    let path = format!("/v1/{OP1}:cancel");
    for body in [
        &b"{"[..],
        b"[]",
        b"null",
        b"\"x\"",
        br#"{"unknown": 1}"#,
        br#"{"name": "projects/demo/databases/demo/operations/op-2"}"#,
        br#"{"name": 7}"#,
        b"{}{}",
        b"\xff\xfe",
    ] {
        let status = route(&b, Method::POST, &path, "", body).unwrap_err();
        assert_eq!(
            status.code(),
            Code::INVALID_ARGUMENT,
            "{}",
            String::from_utf8_lossy(body)
        );
        assert!(
            status.message.starts_with("CancelOperation"),
            "{}",
            status.message
        );
    }
}

// ---- the error envelope ---------------------------------------------------------------

#[test]
fn error_envelope_has_googles_shape_and_the_codes_http_status() {
    for (code, http, name) in [
        (Code::CANCELLED, 499, "CANCELLED"),
        (Code::INVALID_ARGUMENT, 400, "INVALID_ARGUMENT"),
        (Code::NOT_FOUND, 404, "NOT_FOUND"),
        (Code::FAILED_PRECONDITION, 400, "FAILED_PRECONDITION"),
        (Code::UNAVAILABLE, 503, "UNAVAILABLE"),
        (Code::from_i32(77), 500, "77"),
    ] {
        let reply = Reply::error(&Status::new(code, "say \"why\"\n"));
        assert_eq!(reply.status.as_u16(), http);
        let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"error": {"code": http, "message": "say \"why\"\n", "status": name, "details": []}})
        );
    }
}

#[test]
fn error_envelope_carries_details_as_typed_any() {
    let status = Status::failed_precondition("not yet")
        .with_detail(&ErrorInfo {
            reason: "BUSY".into(),
            domain: "example.com".into(),
            ..Default::default()
        })
        .with_detail(&RetryInfo {
            retry_delay: Some(Duration {
                seconds: 3,
                nanos: 0,
                ..Default::default()
            }),
            ..Default::default()
        });
    let reply = Reply::error(&status);
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(
        body["error"]["details"],
        serde_json::json!([
            {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "BUSY", "domain": "example.com"},
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "3s"},
        ])
    );
    // The client reads back the same status: code, message and each detail.
    assert_eq!(
        status_from_envelope(reply.status.as_u16(), reply.body.as_bytes()),
        status
    );
}

#[test]
fn envelope_round_trips_codes_outside_the_list_and_every_detail() {
    let status = Status::new(Code::from_i32(77), "newer").with_detail(&BadRequest {
        field_violations: vec![bad_request::FieldViolation {
            field: "name".into(),
            description: "empty".into(),
            ..Default::default()
        }],
        ..Default::default()
    });
    let reply = Reply::error(&status);
    let back = status_from_envelope(reply.status.as_u16(), reply.body.as_bytes());
    assert_eq!(back.code, 77);
    assert_eq!(back, status);
}

#[test]
fn envelope_without_status_or_not_an_envelope_falls_back_to_the_http_status() {
    let s = status_from_envelope(404, br#"{"error":{"code":404,"message":"gone"}}"#);
    assert_eq!((s.code(), s.message.as_str()), (Code::NOT_FOUND, "gone"));
    let s = status_from_envelope(503, b"<html>down</html>");
    assert_eq!(s.code(), Code::UNAVAILABLE);
    assert!(s.message.contains("<html>down</html>"), "{}", s.message);
    let s = status_from_envelope(429, br#"{"message":"slow down"}"#);
    assert_eq!(s.code(), Code::RESOURCE_EXHAUSTED);
    assert!(s.message.contains("no `error` object"), "{}", s.message);
}

#[test]
fn envelope_with_unreadable_details_keeps_code_and_message_and_says_so() {
    let body = br#"{"error":{"code":400,"message":"m","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/x.Unknown"}]}}"#;
    let s = status_from_envelope(400, body);
    assert_eq!(s.code(), Code::INVALID_ARGUMENT);
    assert!(
        s.message
            .starts_with("m (the error details could not be read: "),
        "{}",
        s.message
    );
    assert!(s.details.is_empty());
}

#[test]
fn read_reply_reads_success_bodies_and_reports_bad_ones() {
    assert_eq!(
        read_reply::<Empty>(200, b""),
        Ok(Empty {
            ..Default::default()
        })
    );
    assert_eq!(
        read_reply::<Empty>(200, b"{}"),
        Ok(Empty {
            ..Default::default()
        })
    );
    let op: Operation = read_reply(
        200,
        br#"{"name":"operations/1","done":true,"error":{"code":1}}"#,
    )
    .unwrap();
    assert!(
        matches!(&op.result, Some(cancelwire::longrunning::operation::Result::Error(s)) if s.code() == Code::CANCELLED),
        "{op:?}"
    );
    let bad = read_reply::<Operation>(200, br#"{"name":1}"#).unwrap_err();
    assert_eq!(bad.code(), Code::INTERNAL);
    assert!(
        bad.message.contains("google.longrunning.Operation"),
        "{}",
        bad.message
    );
    let not_found =
        read_reply::<Operation>(404, Reply::error(&Status::not_found("x")).body.as_bytes());
    assert_eq!(not_found, Err(Status::not_found("x")));
}

#[test]
fn reply_ok_prints_canonical_json() {
    let reply = Reply::ok(&Operation {
        name: "operations/1".into(),
        done: true,
        result: Some(cancelwire::longrunning::operation::Result::Error(
            Status::cancelled("stop"),
        )),
        ..Default::default()
    });
    assert_eq!(reply.status, http::StatusCode::OK);
    assert_eq!(
        reply.body,
        r#"{"name":"operations/1","done":true,"error":{"code":1,"message":"stop"}}"#
    );
}

// ---- client calls -------------------------------------------------------------------------

#[test]
fn client_calls_follow_the_bindings() {
    let b = firestore().with_wait();
    let base = "https://firestore.googleapis.com/";
    let call = |r: OperationsRequest| b.call(base, &r).unwrap();
    let get = call(OperationsRequest::Get(GetOperationRequest {
        name: OP1.into(),
        ..Default::default()
    }));
    assert_eq!(
        (get.method, get.url.as_str(), get.body.as_str()),
        (
            Method::GET,
            "https://firestore.googleapis.com/v1/projects/demo/databases/demo/operations/op-1",
            ""
        )
    );
    let delete = call(OperationsRequest::Delete(DeleteOperationRequest {
        name: OP1.into(),
        ..Default::default()
    }));
    assert_eq!(delete.method, Method::DELETE);
    let cancel = call(OperationsRequest::Cancel(CancelOperationRequest {
        name: OP1.into(),
        ..Default::default()
    }));
    assert_eq!(
        (cancel.method, cancel.url.as_str(), cancel.body.as_str()),
        (
            Method::POST,
            "https://firestore.googleapis.com/v1/projects/demo/databases/demo/operations/op-1:cancel",
            "{}"
        )
    );
    let wait = call(OperationsRequest::Wait(WaitOperationRequest {
        name: OP1.into(),
        timeout: Some(Duration {
            seconds: 5,
            nanos: 0,
            ..Default::default()
        }),
        ..Default::default()
    }));
    assert_eq!(
        (wait.url.ends_with("op-1:wait"), wait.body.as_str()),
        (true, r#"{"timeout":"5s"}"#)
    );
    let list = call(OperationsRequest::List(ListOperationsRequest {
        name: "projects/demo/databases/demo".into(),
        filter: "done=true".into(),
        page_size: 10,
        page_token: "a b&c".into(),
        return_partial_success: true,
        ..Default::default()
    }));
    assert_eq!(
        list.url,
        "https://firestore.googleapis.com/v1/projects/demo/databases/demo/operations\
         ?filter=done%3Dtrue&pageSize=10&pageToken=a%20b%26c&returnPartialSuccess=true"
    );
}

#[test]
fn a_name_outside_every_binding_has_no_call() {
    let err = firestore()
        .call(
            "http://h",
            &OperationsRequest::Get(GetOperationRequest {
                name: "operations/1".into(),
                ..Default::default()
            }),
        )
        .unwrap_err();
    assert!(matches!(
        err,
        CallError::NoBinding {
            rpc: Rpc::Get,
            last: Some(_),
            ..
        }
    ));
    let err = firestore()
        .call(
            "http://h",
            &OperationsRequest::Wait(WaitOperationRequest {
                name: OP1.into(),
                timeout: None,
                ..Default::default()
            }),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("no WaitOperation binding exists, for the name `{OP1}`")
    );
}

#[test]
fn every_client_call_routes_back_to_its_request() {
    let names = [
        "projects/demo/databases/demo/operations/op-1",
        "projects/a b/databases/(default)/operations/x:y?z#%",
        "projects/é/databases/d/operations/~_.-",
    ];
    let bindings = [
        firestore().with_wait(),
        Bindings::for_name_pattern("**/operations/*")
            .unwrap()
            .with_wait(),
    ];
    for b in &bindings {
        for name in names {
            let parent = name.rsplit_once("/operations/").unwrap().0;
            let requests = [
                OperationsRequest::List(ListOperationsRequest {
                    name: parent.into(),
                    filter: "done = true & x=y+z".into(),
                    page_size: -3,
                    page_token: "tok/en?".into(),
                    return_partial_success: true,
                    ..Default::default()
                }),
                OperationsRequest::Get(GetOperationRequest {
                    name: name.into(),
                    ..Default::default()
                }),
                OperationsRequest::Delete(DeleteOperationRequest {
                    name: name.into(),
                    ..Default::default()
                }),
                OperationsRequest::Cancel(CancelOperationRequest {
                    name: name.into(),
                    ..Default::default()
                }),
                OperationsRequest::Wait(WaitOperationRequest {
                    name: name.into(),
                    timeout: Some(Duration {
                        seconds: 1,
                        nanos: 5,
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
            ];
            for request in requests {
                let call = b.call("http://h", &request).unwrap();
                let uri: http::Uri = call.url.parse().unwrap();
                let back = b.route(
                    &call.method,
                    uri.path(),
                    uri.query().unwrap_or(""),
                    call.body.as_bytes(),
                );
                assert_eq!(back.as_ref(), Ok(&request), "{}", call.url);
            }
        }
    }
}

#[test]
fn name_patterns_without_a_collection_are_rejected() {
    for pattern in [
        "projects/*/operations",
        "*",
        "operations",
        "projects/*/*/*",
        "projects/*/**/*",
        "a/**",
    ] {
        let err = Bindings::for_name_pattern(pattern).unwrap_err();
        assert_eq!(
            err,
            BindingError::NamePattern {
                pattern: pattern.into()
            },
            "{pattern}"
        );
    }
    assert!(matches!(
        Bindings::for_name_pattern(""),
        Err(BindingError::Template(_))
    ));
}

#[test]
fn a_pattern_without_parent_lists_its_collection_as_upstream_does() {
    let b = Bindings::for_name_pattern("operations/*").unwrap();
    let l = list(route(&b, Method::GET, "/v1/operations", "", b""));
    assert_eq!(l.name, "operations");
}

// ---- the project's promise for public types -------------------------------------------------

fn value_type<T: std::fmt::Debug + Clone + PartialEq + Send + Sync>() {}

fn error_type<
    T: std::error::Error + std::fmt::Debug + Clone + PartialEq + Send + Sync + 'static,
>() {
}

#[test]
fn rest_types_are_debug_clone_partial_eq_send_sync_and_errors_are_std_errors() {
    use cancelwire::longrunning::rest::*;
    value_type::<PathTemplate>();
    value_type::<PathMatch>();
    value_type::<TemplateErrorKind>();
    value_type::<Binding>();
    value_type::<Bindings>();
    value_type::<Rpc>();
    value_type::<OperationsRequest>();
    value_type::<Reply>();
    value_type::<HttpCall>();
    error_type::<TemplateError>();
    error_type::<ExpandError>();
    error_type::<BindingError>();
    error_type::<CallError>();
}
