//! Every validation rule with a valid and an invalid case, the field paths
//! of nested, repeated and map fields, and the run-time entry point.

use bytes::Bytes;
use cancelwire::flight::{
    Action, ActionType, CancelFlightInfoRequest, DescriptorType, FlightDescriptor, FlightEndpoint,
    FlightInfo, Location, PollInfo, RenewFlightEndpointRequest, Ticket,
};
use cancelwire::longrunning::{
    CancelOperationRequest, DeleteOperationRequest, GetOperationRequest, ListOperationsRequest,
    ListOperationsResponse, Operation, OperationInfo, WaitOperationRequest, operation,
};
use cancelwire::registry::Registry;
use cancelwire::rpc::{Code, Help, RetryInfo, Status, help};
use cancelwire::validate::{Rule, Validate, violations_of};
use cancelwire::wkt::{Any, Duration, ListValue, Struct, Timestamp, Value, value};

/// `(path, rule id)` of every violation, in order.
fn found<M: Validate>(message: &M) -> Vec<(String, &'static str)> {
    message
        .violations()
        .iter()
        .map(|v| (v.path().to_string(), v.rule().id()))
        .collect()
}

fn none() -> Vec<(String, &'static str)> {
    Vec::new()
}

fn one(path: &str, rule: &'static str) -> Vec<(String, &'static str)> {
    vec![(path.to_string(), rule)]
}

fn any_of_ticket() -> Any {
    Any::from_msg(&Ticket::default()).unwrap()
}

// --- google.longrunning --------------------------------------------------

#[test]
fn operation_needs_a_name() {
    assert_eq!(found(&Operation::running("operations/1")), none());
    assert_eq!(
        found(&Operation::running("")),
        one("operation.name", "required")
    );
}

#[test]
fn running_operation_must_not_have_a_result() {
    let mut op = Operation::running("operations/1");
    assert_eq!(found(&op), none());
    op.result = Some(operation::Result::Response(any_of_ticket()));
    assert_eq!(
        found(&op),
        one("operation.response", "operation.result_while_running")
    );
    op.result = Some(operation::Result::Error(Status::cancelled("x")));
    assert_eq!(
        found(&op),
        one("operation.error", "operation.result_while_running")
    );
}

#[test]
fn done_operation_must_have_a_result() {
    let mut op = Operation::running("operations/1");
    op.cancel("stop").unwrap();
    assert_eq!(found(&op), none());
    op.result = None;
    assert_eq!(
        found(&op),
        one("operation.result", "operation.done_without_result")
    );
}

#[test]
fn operation_requests_need_a_name() {
    assert_eq!(
        found(&GetOperationRequest {
            name: "o".into(),
            ..Default::default()
        }),
        none()
    );
    assert_eq!(
        found(&GetOperationRequest::default()),
        one("get_operation_request.name", "required")
    );
    assert_eq!(
        found(&CancelOperationRequest::default()),
        one("cancel_operation_request.name", "required")
    );
    assert_eq!(
        found(&DeleteOperationRequest::default()),
        one("delete_operation_request.name", "required")
    );
    assert_eq!(
        found(&WaitOperationRequest {
            name: "o".into(),
            timeout: Some(Duration {
                seconds: 5,
                nanos: 0,
                ..Default::default()
            }),
            ..Default::default()
        }),
        none()
    );
    assert_eq!(
        found(&WaitOperationRequest {
            name: String::new(),
            timeout: Some(Duration {
                seconds: -1,
                nanos: 1,
                ..Default::default()
            }),
            ..Default::default()
        }),
        vec![
            ("wait_operation_request.name".to_string(), "required"),
            (
                "wait_operation_request.timeout".to_string(),
                "duration.sign"
            ),
        ]
    );
}

#[test]
fn list_operations_page_size_is_not_negative() {
    let mut request = ListOperationsRequest {
        page_size: 0,
        ..Default::default()
    };
    assert_eq!(found(&request), none());
    request.page_size = -5;
    assert_eq!(
        found(&request),
        one("list_operations_request.page_size", "range")
    );
}

#[test]
fn operations_in_a_list_are_checked_with_their_index() {
    let response = ListOperationsResponse {
        operations: vec![Operation::running("a"), Operation::running("")],
        ..Default::default()
    };
    assert_eq!(
        found(&response),
        one("list_operations_response.operations[1].name", "required")
    );
}

#[test]
fn operation_info_needs_both_types() {
    let info = OperationInfo {
        response_type: "Empty".into(),
        metadata_type: "OperationMetadata".into(),
        ..Default::default()
    };
    assert_eq!(found(&info), none());
    assert_eq!(
        found(&OperationInfo::default()),
        vec![
            ("operation_info.response_type".to_string(), "required"),
            ("operation_info.metadata_type".to_string(), "required"),
        ]
    );
}

// --- google.rpc ----------------------------------------------------------

#[test]
fn ok_status_must_not_carry_details() {
    assert_eq!(found(&Status::default()), none());
    assert_eq!(
        found(&Status::not_found("x").with_detail(&Ticket::default())),
        none()
    );
    let ok_with_details = Status {
        code: Code::OK.as_i32(),
        details: vec![any_of_ticket()],
        ..Default::default()
    };
    assert_eq!(
        found(&ok_with_details),
        one("status", "status.ok_with_details")
    );
}

#[test]
fn help_links_must_be_uris() {
    let mut help = Help {
        links: vec![help::Link {
            description: "docs".into(),
            url: "https://example.com/errors#E1".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    assert_eq!(found(&help), none());
    help.links.push(help::Link {
        description: "broken".into(),
        url: "example dot com".into(),
        ..Default::default()
    });
    assert_eq!(found(&help), one("help.links[1].url", "uri"));
}

#[test]
fn retry_delay_is_checked_as_a_duration() {
    let info = RetryInfo {
        retry_delay: Some(Duration {
            seconds: 0,
            nanos: 1_000_000_000,
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(found(&info), one("retry_info.retry_delay.nanos", "range"));
}

// --- google.protobuf -----------------------------------------------------

#[test]
fn any_type_url_must_name_a_message() {
    let good = [
        "type.googleapis.com/google.rpc.Status",
        "example.com/types/acme.v1.Thing",
        "x/_private.Name2",
    ];
    for url in good {
        let any = Any {
            type_url: url.into(),
            value: Bytes::new(),
            ..Default::default()
        };
        assert_eq!(found(&any), none(), "{url}");
    }
    let bad = [
        "",
        "google.rpc.Status",
        "/google.rpc.Status",
        "type.googleapis.com/",
        "type.googleapis.com/google..Status",
        "type.googleapis.com/google.rpc.Status ",
        "type.googleapis.com/9lives",
        "type googleapis.com/google.rpc.Status",
    ];
    for url in bad {
        let any = Any {
            type_url: url.into(),
            value: Bytes::new(),
            ..Default::default()
        };
        assert_eq!(found(&any), one("any.type_url", "any.type_url"), "{url}");
    }
}

#[test]
fn timestamp_range() {
    for (seconds, nanos) in [(0, 0), (-62_135_596_800, 0), (253_402_300_799, 999_999_999)] {
        assert_eq!(
            found(&Timestamp {
                seconds,
                nanos,
                ..Default::default()
            }),
            none()
        );
    }
    assert_eq!(
        found(&Timestamp {
            seconds: -62_135_596_801,
            nanos: 0,
            ..Default::default()
        }),
        one("timestamp.seconds", "range")
    );
    assert_eq!(
        found(&Timestamp {
            seconds: 253_402_300_800,
            nanos: -1,
            ..Default::default()
        }),
        vec![
            ("timestamp.seconds".to_string(), "range"),
            ("timestamp.nanos".to_string(), "range"),
        ]
    );
    assert_eq!(
        found(&Timestamp {
            seconds: 0,
            nanos: 1_000_000_000,
            ..Default::default()
        }),
        one("timestamp.nanos", "range")
    );
}

#[test]
fn duration_range() {
    for (seconds, nanos) in [
        (315_576_000_000, 999_999_999),
        (-315_576_000_000, -999_999_999),
        (0, -5),
        (0, 5),
    ] {
        assert_eq!(
            found(&Duration {
                seconds,
                nanos,
                ..Default::default()
            }),
            none()
        );
    }
    assert_eq!(
        found(&Duration {
            seconds: 315_576_000_001,
            nanos: 0,
            ..Default::default()
        }),
        one("duration.seconds", "range")
    );
    assert_eq!(
        found(&Duration {
            seconds: 0,
            nanos: -1_000_000_000,
            ..Default::default()
        }),
        one("duration.nanos", "range")
    );
}

#[test]
fn duration_signs_must_agree() {
    assert_eq!(
        found(&Duration {
            seconds: -3,
            nanos: -5,
            ..Default::default()
        }),
        none()
    );
    assert_eq!(
        found(&Duration {
            seconds: 3,
            nanos: -5,
            ..Default::default()
        }),
        one("duration", "duration.sign")
    );
    assert_eq!(
        found(&Duration {
            seconds: -3,
            nanos: 5,
            ..Default::default()
        }),
        one("duration", "duration.sign")
    );
}

#[test]
fn struct_numbers_must_be_finite_and_paths_use_map_keys() {
    let number = |n: f64| Value {
        kind: Some(value::Kind::NumberValue(n)),
        ..Default::default()
    };
    let mut fields = std::collections::BTreeMap::new();
    fields.insert("ok".to_string(), number(1.5));
    fields.insert(
        "list \"q\"".to_string(),
        Value {
            kind: Some(value::Kind::ListValue(ListValue {
                values: vec![number(2.0), number(f64::NAN)],
                ..Default::default()
            })),
            ..Default::default()
        },
    );
    let s = Struct {
        fields,
        ..Default::default()
    };
    assert_eq!(
        found(&s),
        one(
            r#"struct.fields["list \"q\""].list_value.values[1].number_value"#,
            "range"
        )
    );
    assert_eq!(
        found(&number(f64::INFINITY)),
        one("value.number_value", "range")
    );
    assert_eq!(found(&number(-0.0)), none());
}

// --- arrow.flight.protocol -----------------------------------------------

fn descriptor(kind: DescriptorType, cmd: &'static [u8], path: &[&str]) -> FlightDescriptor {
    let mut descriptor = FlightDescriptor {
        cmd: Bytes::from_static(cmd),
        path: path.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    };
    descriptor.set_descriptor_type(kind);
    descriptor
}

#[test]
fn descriptor_type_must_agree_with_cmd_and_path() {
    assert_eq!(
        found(&descriptor(DescriptorType::CMD, b"SELECT 1", &[])),
        none()
    );
    assert_eq!(
        found(&descriptor(DescriptorType::PATH, b"", &["a", "b"])),
        none()
    );
    let rule = "flight_descriptor.type";
    assert_eq!(
        found(&descriptor(DescriptorType::CMD, b"SELECT 1", &["a"])),
        one("flight_descriptor.path", rule)
    );
    assert_eq!(
        found(&descriptor(DescriptorType::CMD, b"", &[])),
        one("flight_descriptor.cmd", rule)
    );
    assert_eq!(
        found(&descriptor(DescriptorType::PATH, b"x", &["a"])),
        one("flight_descriptor.cmd", rule)
    );
    assert_eq!(
        found(&descriptor(DescriptorType::PATH, b"", &[])),
        one("flight_descriptor.path", rule)
    );
    assert_eq!(
        found(&descriptor(DescriptorType::UNKNOWN, b"", &[])),
        one("flight_descriptor.type", rule)
    );
    // A type from a newer Flight is not judged.
    assert_eq!(
        found(&descriptor(DescriptorType::from_i32(7), b"x", &["a"])),
        none()
    );
}

#[test]
fn cancel_flight_info_request_needs_info() {
    let request = CancelFlightInfoRequest {
        info: Some(FlightInfo::default()),
        ..Default::default()
    };
    assert_eq!(found(&request), none());
    assert_eq!(
        found(&CancelFlightInfoRequest {
            info: None,
            ..Default::default()
        }),
        one("cancel_flight_info_request.info", "required")
    );
}

#[test]
fn renew_request_needs_an_endpoint() {
    let request = RenewFlightEndpointRequest {
        endpoint: Some(FlightEndpoint::default()),
        ..Default::default()
    };
    assert_eq!(found(&request), none());
    assert_eq!(
        found(&RenewFlightEndpointRequest {
            endpoint: None,
            ..Default::default()
        }),
        one("renew_flight_endpoint_request.endpoint", "required")
    );
}

#[test]
fn location_uri_must_parse_but_may_be_empty() {
    for uri in [
        "",
        "arrow-flight-reuse-connection://?",
        "grpc+tls://flight.example.com:443",
        "grpc+unix:///run/flight.sock",
        "https://bucket.example.com/part-0.arrow?sig=abc%3D",
    ] {
        assert_eq!(
            found(&Location {
                uri: uri.into(),
                ..Default::default()
            }),
            none(),
            "{uri}"
        );
    }
    for uri in [
        "localhost 8815",
        "://flight",
        "grpc://host:port",
        "grpc://[::1/",
        "https://x/%gg",
    ] {
        let found = Location {
            uri: uri.into(),
            ..Default::default()
        }
        .violations();
        assert_eq!(found.len(), 1, "{uri}");
        assert_eq!(found[0].path().as_str(), "location.uri");
        assert_eq!(found[0].rule(), Rule::Uri);
        assert!(found[0].message().contains(uri), "{}", found[0].message());
    }
}

#[test]
fn flight_info_totals_are_minus_one_or_more() {
    let mut info = FlightInfo {
        total_records: -1,
        total_bytes: 0,
        ..Default::default()
    };
    assert_eq!(found(&info), none());
    info.total_records = -2;
    info.total_bytes = i64::MIN;
    assert_eq!(
        found(&info),
        vec![
            ("flight_info.total_records".to_string(), "range"),
            ("flight_info.total_bytes".to_string(), "range"),
        ]
    );
}

#[test]
fn poll_progress_is_a_fraction() {
    for progress in [None, Some(0.0), Some(0.5), Some(1.0)] {
        let poll = PollInfo {
            progress,
            ..Default::default()
        };
        assert_eq!(found(&poll), none(), "{progress:?}");
    }
    for progress in [-0.1, 1.01, f64::NAN] {
        let poll = PollInfo {
            progress: Some(progress),
            ..Default::default()
        };
        assert_eq!(found(&poll), one("poll_info.progress", "range"));
    }
}

#[test]
fn actions_and_action_types_need_a_type() {
    assert_eq!(
        found(&Action {
            r#type: "CancelFlightInfo".into(),
            body: Bytes::new(),
            ..Default::default()
        }),
        none()
    );
    assert_eq!(found(&Action::default()), one("action.type", "required"));
    assert_eq!(
        found(&ActionType::default()),
        one("action_type.type", "required")
    );
}

// --- nesting, collection and the run-time entry point ---------------------

#[test]
fn nested_violations_are_all_reported_with_full_paths() {
    let request = CancelFlightInfoRequest {
        info: Some(FlightInfo {
            flight_descriptor: Some(descriptor(DescriptorType::PATH, b"", &[])),
            endpoint: vec![
                FlightEndpoint::default(),
                FlightEndpoint {
                    location: vec![
                        Location {
                            uri: "grpc://ok:1".into(),
                            ..Default::default()
                        },
                        Location {
                            uri: "bad uri".into(),
                            ..Default::default()
                        },
                    ],
                    expiration_time: Some(Timestamp {
                        seconds: 0,
                        nanos: -1,
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            ],
            total_records: -1,
            total_bytes: -1,
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        found(&request),
        vec![
            (
                "cancel_flight_info_request.info.flight_descriptor.path".to_string(),
                "flight_descriptor.type"
            ),
            (
                "cancel_flight_info_request.info.endpoint[1].location[1].uri".to_string(),
                "uri"
            ),
            (
                "cancel_flight_info_request.info.endpoint[1].expiration_time.nanos".to_string(),
                "range"
            ),
        ]
    );
}

#[test]
fn the_issue_example_path_operation_error_details_2() {
    let op = Operation {
        name: "operations/x".into(),
        done: true,
        result: Some(operation::Result::Error(Status {
            code: Code::INTERNAL.as_i32(),
            message: "boom".into(),
            details: vec![
                any_of_ticket(),
                any_of_ticket(),
                Any {
                    type_url: "nonsense".into(),
                    value: Bytes::new(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        })),
        metadata: Some(Any::default()),
        ..Default::default()
    };
    assert_eq!(
        found(&op),
        vec![
            ("operation.metadata.type_url".to_string(), "any.type_url"),
            (
                "operation.error.details[2].type_url".to_string(),
                "any.type_url"
            ),
        ]
    );
    let all = op.validate().unwrap_err();
    assert_eq!(all.len(), 2);
    assert!(
        all.to_string()
            .contains("operation.error.details[2].type_url: `nonsense` has no `/`"),
        "{all}"
    );
}

#[test]
fn every_registered_message_can_be_validated_at_run_time() {
    let registry = Registry::default();
    let mut count = 0;
    for name in registry.names() {
        let ty = registry.get(name).unwrap();
        let message = ty.default_message();
        assert!(
            violations_of(message.as_ref()).is_some(),
            "{name} has no Validate"
        );
        count += 1;
    }
    assert!(count >= 50, "only {count} messages");
}

#[test]
fn run_time_validation_finds_the_same_violations() {
    let registry = Registry::default();
    let op = Operation {
        done: true,
        ..Default::default()
    };
    let decoded = registry
        .get("google.longrunning.Operation")
        .unwrap()
        .decode(prost::Message::encode_to_vec(&op).into())
        .unwrap();
    assert_eq!(violations_of(decoded.as_ref()), Some(op.violations()));
}

#[test]
fn a_foreign_message_is_not_validated_at_run_time() {
    #[derive(Clone, PartialEq, prost::Message, serde::Serialize)]
    struct Foreign {
        #[prost(string, tag = "1")]
        name: String,
    }
    impl prost::Name for Foreign {
        const NAME: &'static str = "Foreign";
        const PACKAGE: &'static str = "acme";
    }
    assert_eq!(violations_of(&Foreign::default()), None);
}
