//! ProtoJSON speed on the messages this crate exists for: an `Operation`
//! whose metadata is an `Any`, and a `Status` with three error details.
//!
//! Run with `cargo bench --bench json`.

// Setting up the benchmark inputs may panic; the code measured may not.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use bytes::Bytes;
use cancelwire::flight::{FlightEndpoint, FlightInfo, Location, Ticket};
use cancelwire::longrunning::Operation;
use cancelwire::rpc::{BadRequest, Code, ErrorInfo, RetryInfo, Status, bad_request};
use cancelwire::wkt::{Any, Duration, Timestamp};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn operation_with_any_metadata() -> Operation {
    let info = FlightInfo {
        schema: Bytes::from(vec![0xAB; 256]),
        endpoint: (0..4)
            .map(|i| FlightEndpoint {
                ticket: Some(Ticket {
                    ticket: Bytes::from(format!("ticket-{i}")),
                    ..Default::default()
                }),
                location: vec![Location {
                    uri: format!("grpc+tls://node-{i}.example.com:443"),
                    ..Default::default()
                }],
                expiration_time: Some(Timestamp {
                    seconds: 1_790_000_000 + i,
                    nanos: 123_000_000,
                    ..Default::default()
                }),
                app_metadata: Bytes::new(),
                ..Default::default()
            })
            .collect(),
        total_records: 1_000_000,
        total_bytes: -1,
        ordered: true,
        ..Default::default()
    };
    Operation {
        name: "projects/demo/operations/op-1".into(),
        metadata: Some(Any::from_msg(&info).expect("encodes")),
        done: false,
        result: None,
        ..Default::default()
    }
}

fn status_with_three_details() -> Status {
    let mut status = Status {
        message: "the request was invalid".into(),
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

fn bench_message<M>(c: &mut Criterion, name: &str, message: &M)
where
    M: serde::Serialize + serde::de::DeserializeOwned + prost::Name + PartialEq + std::fmt::Debug,
{
    let text = cancelwire::json::to_string(message).expect("prints");
    let back: M = cancelwire::json::from_str(&text).expect("parses");
    assert_eq!(&back, message);

    let mut group = c.benchmark_group(name);
    group.throughput(criterion::Throughput::Bytes(text.len() as u64));
    group.bench_function("serialise", |b| {
        b.iter(|| cancelwire::json::to_string(black_box(message)).expect("prints"))
    });
    group.bench_function("parse", |b| {
        b.iter(|| cancelwire::json::from_str::<M>(black_box(&text)).expect("parses"))
    });
    group.bench_function("parse_untyped_serde_json_value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&text)).expect("parses"))
    });
    group.finish();
}

fn json(c: &mut Criterion) {
    bench_message(
        c,
        "json/operation_any_metadata",
        &operation_with_any_metadata(),
    );
    bench_message(c, "json/status_three_details", &status_with_three_details());
}

criterion_group!(benches, json);
criterion_main!(benches);
