//! cancelwire against what its users would use instead, in one process and
//! one run. Benchmark ids come in two shapes:
//!
//! - `<comparison>/<message>/<implementation>`: the comparisons `encode`,
//!   `decode`, `zero_copy_decode`, `json_serialise` and `json_parse`.
//!   `scripts/bench-peers` pairs `ours` with every other implementation of
//!   the same comparison and message: `arrow-flight`, `plain-prost`,
//!   `copying-decode` and `memcpy` (binary), `google-cloud`, `prost-reflect`
//!   (`DynamicMessage` with its serde feature) and `serde_json-value` (JSON).
//!   Each peer is checked to read and write the same message before it is
//!   timed.
//! - `json_scaling_<step>/<endpoints>/ours`, step = `print`, `parse` or
//!   `decode` (binary decoding of the `Operation` and of its `FlightInfo`,
//!   the yardstick): cancelwire alone on an `Operation` whose metadata `Any`
//!   carries a `FlightInfo` with 1 to 100,000 endpoints. The report divides
//!   each time by the endpoint count and compares the cost per endpoint at
//!   100,000 with that at 100.

use bytes::Bytes;
use cancelwire::flight::FlightInfo;
use cancelwire::longrunning::Operation;
use cancelwire::rpc::Status;
use cancelwire_bench_peers::{
    cancel_request, cancel_result, descriptor_pool, flight_info, operation,
    operation_with_endpoints, plain, status,
};
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main,
};
use prost::Message;
use prost_reflect::{
    DescriptorPool, DeserializeOptions, DynamicMessage, MessageDescriptor, SerializeOptions,
};
use std::hint::black_box;
use std::time::Duration;

type PlainRequest = plain::arrow::flight::protocol::CancelFlightInfoRequest;
type PlainResult = plain::arrow::flight::protocol::CancelFlightInfoResult;
type PlainFlightInfo = plain::arrow::flight::protocol::FlightInfo;
type PlainOperation = plain::google::longrunning::Operation;

/// Decodes `wire` as `M`, asserting it round-trips: each peer is checked to
/// read the same message before it is timed.
fn same<M: Message + Default>(wire: &[u8]) -> M {
    let message = M::decode(wire).expect("peer decodes our bytes");
    assert_eq!(message.encode_to_vec(), wire, "peer re-encodes differently");
    message
}

fn binary<Ours, Arrow>(
    c: &mut Criterion,
    name: &str,
    ours: &Ours,
    arrow: Option<&Arrow>,
    plain_wire: impl Fn(&[u8]) -> Box<dyn Fn() -> Vec<u8>>,
) where
    Ours: Message + Default + prost::Name,
    Arrow: Message + Default,
{
    let wire = Bytes::from(ours.encode_to_vec());

    let mut encode = c.benchmark_group(format!("encode/{name}"));
    encode.bench_function("ours", |b| b.iter(|| black_box(ours).encode_to_vec()));
    if let Some(arrow) = arrow {
        encode.bench_function("arrow-flight", |b| {
            b.iter(|| black_box(arrow).encode_to_vec())
        });
    }
    let plain_encode = plain_wire(&wire);
    encode.bench_function("plain-prost", |b| b.iter(|| plain_encode()));
    encode.finish();

    let mut decode = c.benchmark_group(format!("decode/{name}"));
    decode.bench_function("ours", |b| {
        b.iter(|| cancelwire::decode::<Ours>(black_box(wire.clone())).expect("decodes"))
    });
    if arrow.is_some() {
        decode.bench_function("arrow-flight", |b| {
            b.iter(|| Arrow::decode(black_box(wire.clone())).expect("decodes"))
        });
    }
    decode.finish();
}

fn binary_codecs(c: &mut Criterion) {
    // CancelFlightInfoRequest with a 10-endpoint FlightInfo.
    let request = cancel_request();
    let wire = request.encode_to_vec();
    let arrow_request: arrow_flight::CancelFlightInfoRequest = same(&wire);
    binary(
        c,
        "cancel_flight_info_request",
        &request,
        Some(&arrow_request),
        |wire| {
            let plain: PlainRequest = same(wire);
            Box::new(move || black_box(&plain).encode_to_vec())
        },
    );
    plain_decode::<PlainRequest>(c, "cancel_flight_info_request", &wire);

    let result = cancel_result();
    let wire = result.encode_to_vec();
    let arrow_result: arrow_flight::CancelFlightInfoResult = same(&wire);
    binary(
        c,
        "cancel_flight_info_result",
        &result,
        Some(&arrow_result),
        |wire| {
            let plain: PlainResult = same(wire);
            Box::new(move || black_box(&plain).encode_to_vec())
        },
    );
    plain_decode::<PlainResult>(c, "cancel_flight_info_result", &wire);

    // Operation with Any metadata and a Status error with three details;
    // arrow-flight has no such message.
    let op = operation();
    let wire = op.encode_to_vec();
    binary::<Operation, arrow_flight::Ticket>(c, "operation", &op, None, |wire| {
        let plain: PlainOperation = same(wire);
        Box::new(move || black_box(&plain).encode_to_vec())
    });
    plain_decode::<PlainOperation>(c, "operation", &wire);
}

/// Plain prost decodes from a slice and copies every bytes field.
fn plain_decode<M: Message + Default>(c: &mut Criterion, name: &str, wire: &[u8]) {
    let mut group = c.benchmark_group(format!("decode/{name}"));
    group.bench_function("plain-prost", |b| {
        b.iter(|| M::decode(black_box(wire)).expect("decodes"))
    });
    group.finish();
}

fn zero_copy(c: &mut Criterion) {
    for (label, size) in [
        ("1KiB", 1 << 10),
        ("64KiB", 64 << 10),
        ("1MiB", 1 << 20),
        ("16MiB", 16 << 20),
    ] {
        let info = flight_info(1, size);
        let wire = Bytes::from(info.encode_to_vec());
        let mut group = c.benchmark_group(format!("zero_copy_decode/flight_info_{label}"));
        group.sample_size(if size >= 1 << 20 { 20 } else { 100 });
        group.bench_function("ours", |b| {
            b.iter(|| cancelwire::decode::<FlightInfo>(black_box(wire.clone())).expect("decodes"))
        });
        group.bench_function("copying-decode", |b| {
            b.iter(|| PlainFlightInfo::decode(black_box(&wire[..])).expect("decodes"))
        });
        // The floor for any decoder that copies: copying the three payloads.
        let payloads = [
            info.schema.clone(),
            info.app_metadata.clone(),
            info.endpoint[0].ticket.clone().unwrap_or_default().ticket,
        ];
        group.bench_function(BenchmarkId::from_parameter("memcpy"), |b| {
            b.iter(|| {
                payloads
                    .iter()
                    .map(|p| black_box(p).to_vec())
                    .collect::<Vec<Vec<u8>>>()
            })
        });
        group.finish();
    }
}

/// prost-reflect prints a DynamicMessage as ProtoJSON with default options
/// (into bytes: serde_json::to_string skips the UTF-8 check as well).
fn reflect_print(message: &DynamicMessage) -> Vec<u8> {
    let mut out = Vec::new();
    message
        .serialize_with_options(
            &mut serde_json::Serializer::new(&mut out),
            &SerializeOptions::new(),
        )
        .expect("prost-reflect prints");
    out
}

/// prost-reflect parses ProtoJSON into a DynamicMessage of type `desc`.
fn reflect_parse(desc: &MessageDescriptor, text: &str) -> DynamicMessage {
    let mut input = serde_json::Deserializer::from_str(text);
    let message = DynamicMessage::deserialize_with_options(
        desc.clone(),
        &mut input,
        &DeserializeOptions::new(),
    )
    .expect("prost-reflect parses");
    input.end().expect("nothing after the JSON value");
    message
}

fn same_json(a: &str, b: &str) -> bool {
    let a: serde_json::Value = serde_json::from_str(a).expect("valid JSON");
    let b: serde_json::Value = serde_json::from_str(b).expect("valid JSON");
    a == b
}

fn json<Ours, Theirs>(c: &mut Criterion, pool: &DescriptorPool, name: &str, ours: &Ours)
where
    Ours: serde::Serialize
        + serde::de::DeserializeOwned
        + Message
        + prost::Name
        + PartialEq
        + std::fmt::Debug,
    Theirs: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = cancelwire::json::to_string(ours).expect("prints");
    let back: Ours = cancelwire::json::from_str(&text).expect("parses");
    assert_eq!(&back, ours);

    let theirs: Theirs = serde_json::from_str(&text).expect("google-cloud parses our JSON");
    let their_text = serde_json::to_string(&theirs).expect("google-cloud prints");
    assert!(
        same_json(&text, &their_text),
        "google-cloud prints different JSON"
    );

    let desc = pool
        .get_message_by_name(&Ours::full_name())
        .expect("the pool has every benchmarked message");
    let wire = ours.encode_to_vec();
    let dynamic =
        DynamicMessage::decode(desc.clone(), &wire[..]).expect("prost-reflect decodes our bytes");
    assert!(
        same_json(
            &text,
            std::str::from_utf8(&reflect_print(&dynamic)).expect("UTF-8")
        ),
        "prost-reflect prints different JSON"
    );
    assert_eq!(
        reflect_parse(&desc, &text).encode_to_vec(),
        wire,
        "prost-reflect parses our JSON to a different message"
    );

    let mut serialise = c.benchmark_group(format!("json_serialise/{name}"));
    serialise.bench_function("ours", |b| {
        b.iter(|| cancelwire::json::to_string(black_box(ours)).expect("prints"))
    });
    serialise.bench_function("google-cloud", |b| {
        b.iter(|| serde_json::to_string(black_box(&theirs)).expect("prints"))
    });
    serialise.bench_function("prost-reflect", |b| {
        b.iter(|| reflect_print(black_box(&dynamic)))
    });
    serialise.finish();

    let mut parse = c.benchmark_group(format!("json_parse/{name}"));
    parse.bench_function("ours", |b| {
        b.iter(|| cancelwire::json::from_str::<Ours>(black_box(&text)).expect("parses"))
    });
    parse.bench_function("google-cloud", |b| {
        b.iter(|| serde_json::from_str::<Theirs>(black_box(&text)).expect("parses"))
    });
    parse.bench_function("prost-reflect", |b| {
        b.iter(|| reflect_parse(&desc, black_box(&text)))
    });
    parse.bench_function("serde_json-value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&text)).expect("parses"))
    });
    parse.finish();
}

fn json_codecs(c: &mut Criterion) {
    let pool = descriptor_pool();
    json::<Operation, google_cloud_longrunning::model::Operation>(
        c,
        &pool,
        "operation",
        &operation(),
    );
    json::<Status, google_cloud_rpc::model::Status>(c, &pool, "status", &status());
}

/// A group of the scaling benchmark. From 10,000 endpoints up one iteration
/// takes milliseconds, so these sizes get 10 samples of equal length and a
/// short warm-up and measurement.
fn scaling_group<'a>(
    c: &'a mut Criterion,
    step: &str,
    endpoints: usize,
) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(format!("json_scaling_{step}/{endpoints}"));
    if endpoints >= 10_000 {
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
    }
    group
}

fn json_scaling(c: &mut Criterion) {
    for endpoints in [1, 10, 100, 1_000, 10_000, 100_000] {
        let op = operation_with_endpoints(endpoints);
        let text = cancelwire::json::to_string(&op).expect("prints");
        let back: Operation = cancelwire::json::from_str(&text).expect("parses");
        assert_eq!(back, op);
        let wire = Bytes::from(op.encode_to_vec());

        let mut print = scaling_group(c, "print", endpoints);
        print.bench_function("ours", |b| {
            b.iter(|| cancelwire::json::to_string(black_box(&op)).expect("prints"))
        });
        print.finish();
        let mut parse = scaling_group(c, "parse", endpoints);
        parse.bench_function("ours", |b| {
            b.iter(|| cancelwire::json::from_str::<Operation>(black_box(&text)).expect("parses"))
        });
        parse.finish();
        let mut decode = scaling_group(c, "decode", endpoints);
        // The Operation alone would keep its metadata as bytes in the Any and
        // take the same time at every size, so its FlightInfo is decoded too.
        decode.bench_function("ours", |b| {
            b.iter(|| {
                let op = cancelwire::decode::<Operation>(black_box(wire.clone())).expect("decodes");
                let info: FlightInfo = op
                    .metadata
                    .as_ref()
                    .expect("has metadata")
                    .to_msg()
                    .expect("unpacks");
                (op, info)
            })
        });
        decode.finish();
    }
}

criterion_group!(benches, binary_codecs, zero_copy, json_codecs, json_scaling);
criterion_main!(benches);
