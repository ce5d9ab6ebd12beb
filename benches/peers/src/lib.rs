//! The messages the benchmarks run on, built once for every implementation
//! from the same values, the "plain prost" types and prost-reflect's
//! descriptor pool.

use bytes::Bytes;
use cancelwire::flight::{
    CancelFlightInfoRequest, CancelFlightInfoResult, CancelStatus, DescriptorType,
    FlightDescriptor, FlightEndpoint, FlightInfo, Location, Ticket,
};
use cancelwire::longrunning::{Operation, operation};
use cancelwire::rpc::{BadRequest, Code, ErrorInfo, RetryInfo, Status, bad_request};
use cancelwire::wkt::{Any, Duration, Timestamp};

/// prost-build's default output for our `.proto` files.
pub mod plain {
    #![allow(clippy::all, missing_docs)]
    pub mod arrow {
        pub mod flight {
            pub mod protocol {
                include!(concat!(env!("OUT_DIR"), "/arrow.flight.protocol.rs"));
            }
        }
    }
    pub mod google {
        pub mod longrunning {
            include!(concat!(env!("OUT_DIR"), "/google.longrunning.rs"));
        }
        pub mod rpc {
            include!(concat!(env!("OUT_DIR"), "/google.rpc.rs"));
        }
    }
}

/// prost-reflect's descriptor pool of our `.proto` files and their imports
/// (build.rs compiles them with protox): every message the benchmarks use,
/// the `Any` payloads among them, so that prost-reflect resolves their type
/// URLs.
pub fn descriptor_pool() -> prost_reflect::DescriptorPool {
    prost_reflect::DescriptorPool::decode(
        &include_bytes!(concat!(env!("OUT_DIR"), "/peers.fds"))[..],
    )
    .expect("build.rs writes a valid FileDescriptorSet")
}

fn endpoint(i: usize, payload: Bytes) -> FlightEndpoint {
    FlightEndpoint {
        ticket: Some(Ticket {
            ticket: payload,
            ..Default::default()
        }),
        location: vec![Location {
            uri: format!("grpc+tls://node-{i}.flight.example.com:443"),
            ..Default::default()
        }],
        expiration_time: Some(Timestamp {
            seconds: 1_790_000_000 + i as i64,
            nanos: 123_000_000,
            ..Default::default()
        }),
        app_metadata: Bytes::from(format!("endpoint-{i}")),
        ..Default::default()
    }
}

/// A FlightInfo with `endpoints` endpoints whose schema, app_metadata and
/// first ticket each carry `payload` bytes.
pub fn flight_info(endpoints: usize, payload: usize) -> FlightInfo {
    let blob = Bytes::from(vec![0xA5; payload]);
    let mut descriptor = FlightDescriptor {
        cmd: Bytes::from_static(b"SELECT * FROM trips"),
        ..Default::default()
    };
    descriptor.set_descriptor_type(DescriptorType::CMD);
    FlightInfo {
        schema: blob.clone(),
        flight_descriptor: Some(descriptor),
        endpoint: (0..endpoints)
            .map(|i| {
                endpoint(
                    i,
                    if i == 0 {
                        blob.clone()
                    } else {
                        Bytes::from(format!("ticket-{i}"))
                    },
                )
            })
            .collect(),
        total_records: 1_000_000,
        total_bytes: -1,
        ordered: true,
        app_metadata: blob,
        ..Default::default()
    }
}

/// A CancelFlightInfoRequest carrying a FlightInfo with 10 endpoints.
pub fn cancel_request() -> CancelFlightInfoRequest {
    CancelFlightInfoRequest {
        info: Some(flight_info(10, 64)),
        ..Default::default()
    }
}

pub fn cancel_result() -> CancelFlightInfoResult {
    let mut result = CancelFlightInfoResult::default();
    result.set_status(CancelStatus::CANCELLING);
    result
}

/// A done Operation whose metadata Any carries a FlightInfo with
/// `endpoints` endpoints: the input of the JSON scaling benchmarks.
pub fn operation_with_endpoints(endpoints: usize) -> Operation {
    Operation {
        name: "projects/demo/operations/op-scaling".into(),
        metadata: Some(Any::from_msg(&flight_info(endpoints, 32)).expect("encodes")),
        done: true,
        ..Default::default()
    }
}

/// A failed Operation: FlightInfo metadata in an Any, and a Status error
/// with three details.
pub fn operation() -> Operation {
    Operation {
        name: "projects/demo/operations/op-17".into(),
        metadata: Some(Any::from_msg(&flight_info(2, 32)).expect("encodes")),
        done: true,
        result: Some(operation::Result::Error(status())),
        ..Default::default()
    }
}

/// A Status with three details: ErrorInfo, RetryInfo and BadRequest.
pub fn status() -> Status {
    let mut status = Status {
        message: "the query was rejected".into(),
        ..Default::default()
    };
    status.set_code(Code::INVALID_ARGUMENT);
    status.details = vec![
        Any::from_msg(&ErrorInfo {
            reason: "BAD_FILTER".into(),
            domain: "flight.example.com".into(),
            metadata: [("filter".to_string(), "done=maybe".to_string())]
                .into_iter()
                .collect(),
            ..Default::default()
        })
        .expect("encodes"),
        Any::from_msg(&RetryInfo {
            retry_delay: Some(Duration {
                seconds: 1,
                nanos: 500_000_000,
                ..Default::default()
            }),
            ..Default::default()
        })
        .expect("encodes"),
        Any::from_msg(&BadRequest {
            field_violations: vec![bad_request::FieldViolation {
                field: "filter".into(),
                description: "unknown operator".into(),
                ..Default::default()
            }],
            ..Default::default()
        })
        .expect("encodes"),
    ];
    status
}
