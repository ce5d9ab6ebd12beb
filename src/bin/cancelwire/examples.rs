//! Built-in sample messages for `cancelwire example`.

use bytes::Bytes;
use cancelwire::flight::{
    Action, CancelFlightInfoRequest, CancelFlightInfoResult, CancelStatus, DescriptorType,
    FlightDescriptor, FlightEndpoint, FlightInfo, Location, Ticket,
};
use cancelwire::longrunning::{Operation, operation};
use cancelwire::registry::DynMessage;
use cancelwire::rpc::{Code, ErrorInfo, LocalizedMessage, RetryInfo, Status};
use cancelwire::wkt::{Any, Duration, Struct, Timestamp, Value, value};
use prost::Message;

pub struct Example {
    pub name: &'static str,
    pub about: &'static str,
    pub build: fn() -> Box<dyn DynMessage>,
}

impl Example {
    pub fn type_name(&self) -> String {
        (self.build)().message_name()
    }
}

pub const ALL: &[Example] = &[
    Example {
        name: "running-operation",
        about: "a long-running operation still in progress, with metadata",
        build: || Box::new(running_operation()),
    },
    Example {
        name: "cancelled-operation",
        about: "the same operation after CancelOperation: done, error CANCELLED",
        build: || Box::new(cancelled_operation()),
    },
    Example {
        name: "cancel-flight-info-request",
        about: "the body of a CancelFlightInfo action",
        build: || Box::new(cancel_request()),
    },
    Example {
        name: "cancel-flight-info-action",
        about: "the DoAction request that carries it",
        build: || {
            Box::new(Action {
                r#type: "CancelFlightInfo".into(),
                body: Message::encode_to_vec(&cancel_request()).into(),
                ..Default::default()
            })
        },
    },
    Example {
        name: "cancel-flight-info-result",
        about: "the server's answer: cancelled",
        build: || {
            let mut result = CancelFlightInfoResult::default();
            result.set_status(CancelStatus::CANCELLED);
            Box::new(result)
        },
    },
    Example {
        name: "status-with-details",
        about: "an UNAVAILABLE error with ErrorInfo, RetryInfo and LocalizedMessage",
        build: || Box::new(status_with_details()),
    },
];

fn progress(percent: f64) -> Any {
    let fields = [
        ("percentComplete".to_string(), number(percent)),
        ("stage".to_string(), text("scanning")),
    ];
    any(&Struct {
        fields: fields.into_iter().collect(),
        ..Default::default()
    })
}

fn number(n: f64) -> Value {
    Value {
        kind: Some(value::Kind::NumberValue(n)),
        ..Default::default()
    }
}

fn text(s: &str) -> Value {
    Value {
        kind: Some(value::Kind::StringValue(s.into())),
        ..Default::default()
    }
}

fn any<M: prost::Name>(message: &M) -> Any {
    Any {
        type_url: M::type_url(),
        value: Message::encode_to_vec(message).into(),
        ..Default::default()
    }
}

fn running_operation() -> Operation {
    Operation {
        name: "projects/demo/operations/op-1".into(),
        metadata: Some(progress(40.0)),
        done: false,
        result: None,
        ..Default::default()
    }
}

fn cancelled_operation() -> Operation {
    let mut status = Status {
        message: "cancelled by the caller".into(),
        ..Default::default()
    };
    status.set_code(Code::CANCELLED);
    Operation {
        done: true,
        result: Some(operation::Result::Error(status)),
        ..running_operation()
    }
}

fn cancel_request() -> CancelFlightInfoRequest {
    let mut descriptor = FlightDescriptor {
        cmd: Bytes::from_static(b"SELECT * FROM trips WHERE year = 2026"),
        ..Default::default()
    };
    descriptor.set_descriptor_type(DescriptorType::CMD);
    CancelFlightInfoRequest {
        info: Some(FlightInfo {
            flight_descriptor: Some(descriptor),
            endpoint: vec![FlightEndpoint {
                ticket: Some(Ticket {
                    ticket: Bytes::from_static(b"query-17/part-0"),
                    ..Default::default()
                }),
                location: vec![Location {
                    uri: "grpc+tls://flight.example.com:443".into(),
                    ..Default::default()
                }],
                expiration_time: Some(Timestamp {
                    seconds: 1_790_000_000,
                    nanos: 0,
                    ..Default::default()
                }),
                app_metadata: Bytes::new(),
                ..Default::default()
            }],
            total_records: -1,
            total_bytes: -1,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn status_with_details() -> Status {
    let mut status = Status {
        message: "the query engine is restarting".into(),
        details: vec![
            any(&ErrorInfo {
                reason: "ENGINE_RESTARTING".into(),
                domain: "flight.example.com".into(),
                metadata: [("node".to_string(), "worker-3".to_string())]
                    .into_iter()
                    .collect(),
                ..Default::default()
            }),
            any(&RetryInfo {
                retry_delay: Some(Duration {
                    seconds: 2,
                    nanos: 500_000_000,
                    ..Default::default()
                }),
                ..Default::default()
            }),
            any(&LocalizedMessage {
                locale: "en-US".into(),
                message: "The service is restarting. Try again in a few seconds.".into(),
                ..Default::default()
            }),
        ],
        ..Default::default()
    };
    status.set_code(Code::UNAVAILABLE);
    status
}
