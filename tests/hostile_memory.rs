//! Memory stays proportional to the input: no length prefix, repeated
//! count or JSON array makes decoding reserve more than the input could
//! hold. A counting global allocator measures the peak of live heap bytes
//! while each hostile input is decoded, and the peak must stay under
//! `BYTES_PER_INPUT_BYTE * input length + SLACK`.
//!
//! The allocator counts every thread, so the tests of this file take turns
//! (`ONE_AT_A_TIME`). `unsafe` is needed to implement
//! `GlobalAlloc` and is confined to this test file; the library itself
//! forbids it.

// Tests state their expectations with unwrap, expect, panic and indexing,
// which the crate's [lints] deny in code that handles input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use bytes::Bytes;
use cancelwire::json::{JsonErrorKind, JsonOptions};
use cancelwire::registry::Registry;
use cancelwire::{Budget, DecodeBudget};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every method forwards to the system allocator with the caller's
// arguments unchanged and only updates two counters on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            // Count the new block before the old one is gone: a moving
            // realloc holds both for a moment.
            grew(new_size);
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak live heap bytes above the starting level while `work` runs.
fn peak_during(work: impl FnOnce()) -> usize {
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    work();
    PEAK.load(Ordering::Relaxed).saturating_sub(start)
}

/// Allowed heap per byte of input. The largest ratio measured below is 84,
/// for a repeated field of empty messages: two bytes of input (`1a 00`)
/// become one `FlightEndpoint` in a `Vec` that may just have doubled.
/// Run with `--nocapture` to see every case's ratio.
const BYTES_PER_INPUT_BYTE: usize = 128;
/// Fixed costs: the registry, error messages, small buffers.
const SLACK: usize = 256 * 1024;
/// The bound for inputs under 64 bytes (the length-prefix cases).
const TINY_INPUT_LIMIT: usize = 16 * 1024;
/// Size of the bulk inputs.
const MIB: usize = 1 << 20;

struct Case {
    name: &'static str,
    type_name: &'static str,
    input: Input,
    /// Whether it creates more than `TIGHT_ELEMENTS` elements.
    over_budget: bool,
}

/// The element budget every case is decoded with a second time.
const TIGHT_ELEMENTS: u64 = 10_000;
/// What a decode within that budget may hold at its peak: each element
/// costs at most a few hundred bytes (a `FlightEndpoint` and its share of
/// a doubled `Vec`), whatever the input's length.
const BUDGETED_LIMIT: usize = TIGHT_ELEMENTS as usize * 512 + SLACK;

/// How a budgeted decode ended.
fn budget_outcome(budget: Option<Budget>, error: &dyn std::fmt::Display) -> String {
    match budget {
        Some(budget) => format!("over the {budget} budget"),
        None => format!("rejected: {}", short(&error.to_string())),
    }
}

enum Input {
    Binary(Vec<u8>),
    Json(String, JsonOptions),
    /// Decoded, then printed as JSON.
    BinaryToJson(Vec<u8>),
}

fn binary(name: &'static str, type_name: &'static str, bytes: Vec<u8>) -> Case {
    Case {
        name,
        type_name,
        input: Input::Binary(bytes),
        over_budget: false,
    }
}

fn json(name: &'static str, type_name: &'static str, text: String) -> Case {
    Case {
        name,
        type_name,
        input: Input::Json(text, JsonOptions::new()),
        over_budget: false,
    }
}

/// Marks a case that creates more than `TIGHT_ELEMENTS` elements.
fn over(mut case: Case) -> Case {
    case.over_budget = true;
    case
}

/// `n` copies of `unit` joined by commas.
fn repeat_joined(unit: &str, n: usize) -> String {
    let mut out = String::with_capacity((unit.len() + 1) * n);
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        out.push_str(unit);
    }
    out
}

fn cases() -> Vec<Case> {
    let huge_prefix = |key: u8| {
        let mut bytes = vec![key, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
        bytes.extend_from_slice(b"only a few bytes follow");
        bytes
    };
    let any = "type.googleapis.com/google.protobuf.ListValue";
    let flight_info = "type.googleapis.com/arrow.flight.protocol.FlightInfo";
    vec![
        // A million of the smallest unknown fields (key and a one-byte
        // varint), each kept; the same inside a nested message; a million
        // empty unknown groups.
        over(binary(
            "1M tiny unknown fields",
            "arrow.flight.protocol.Ticket",
            [0x98, 0x06, 0x01].repeat(1 << 20),
        )),
        over(binary(
            "1M tiny unknown fields in a nested message",
            "google.longrunning.Operation",
            {
                let inner = [0x98, 0x06, 0x01].repeat(1 << 20);
                let mut bytes = vec![0x2a];
                let mut len = inner.len();
                while len >= 0x80 {
                    bytes.push((len as u8) | 0x80);
                    len >>= 7;
                }
                bytes.push(len as u8);
                bytes.extend(inner);
                bytes
            },
        )),
        over(binary(
            "1M empty unknown groups",
            "google.rpc.Status",
            [0xa3, 0x06, 0xa4, 0x06].repeat(1 << 20),
        )),
        // Length prefixes claiming far more than the input holds.
        binary(
            "bytes field, 2^63 length",
            "arrow.flight.protocol.Ticket",
            huge_prefix(0x0a),
        ),
        binary(
            "string field, 2^63 length",
            "google.rpc.Status",
            huge_prefix(0x12),
        ),
        binary(
            "message field, 2^63 length",
            "google.longrunning.Operation",
            huge_prefix(0x2a),
        ),
        binary(
            "Any value, 2^63 length",
            "google.protobuf.Any",
            huge_prefix(0x12),
        ),
        binary(
            "map entry, 2^63 length",
            "google.rpc.ErrorInfo",
            huge_prefix(0x1a),
        ),
        binary(
            "4 GiB length prefix",
            "arrow.flight.protocol.FlightInfo",
            vec![0x0a, 0x80, 0x80, 0x80, 0x80, 0x10, 0x01, 0x02],
        ),
        // Repeated counts: many tiny elements.
        over(binary(
            "FlightInfo with 512k empty endpoints",
            "arrow.flight.protocol.FlightInfo",
            [0x1a, 0x00].repeat(MIB / 2),
        )),
        over(binary(
            "ListValue with 512k empty values",
            "google.protobuf.ListValue",
            [0x0a, 0x00].repeat(MIB / 2),
        )),
        over(binary(
            "Status with 512k empty details",
            "google.rpc.Status",
            [0x1a, 0x00].repeat(MIB / 2),
        )),
        over(binary(
            "Struct with 128k distinct keys",
            "google.protobuf.Struct",
            (0..MIB / 8)
                .flat_map(|i: usize| {
                    let key = format!("{:05x}", i % 0x10_0000);
                    let mut entry = vec![0x0a, 2 + key.len() as u8, 0x0a, key.len() as u8];
                    entry.extend_from_slice(key.as_bytes());
                    entry
                })
                .collect(),
        )),
        binary(
            "FlightDescriptor with 512k empty path strings",
            "arrow.flight.protocol.FlightDescriptor",
            [0x12, 0x00].repeat(MIB / 2),
        ),
        over(binary(
            "1 MiB of unknown fields",
            "google.longrunning.Operation",
            [0xf8, 0x07, 0x01].repeat(MIB / 3),
        )),
        // JSON: long arrays, many keys, big strings, buffered Any payloads.
        over(json(
            "FlightInfo with 256k empty endpoints",
            "arrow.flight.protocol.FlightInfo",
            format!(r#"{{"endpoint":[{}]}}"#, repeat_joined("{}", MIB / 4)),
        )),
        over(json(
            "ListValue with 512k zeros",
            "google.protobuf.ListValue",
            format!("[{}]", repeat_joined("0", MIB / 2)),
        )),
        over(json(
            "ListValue with 256k empty lists",
            "google.protobuf.ListValue",
            format!("[{}]", repeat_joined("[]", MIB / 4)),
        )),
        over(json(
            "Struct with 64k keys",
            "google.protobuf.Struct",
            format!(
                "{{{}}}",
                (0..MIB / 16)
                    .map(|i| format!(r#""{i:x}":null"#))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        )),
        over(json(
            "Any holding a ListValue of 512k zeros",
            "google.protobuf.Any",
            format!(
                r#"{{"@type":"{any}","value":[{}]}}"#,
                repeat_joined("0", MIB / 2)
            ),
        )),
        over(json(
            "Any holding a FlightInfo with 256k empty endpoints",
            "google.protobuf.Any",
            format!(
                r#"{{"@type":"{flight_info}","endpoint":[{}]}}"#,
                repeat_joined("{}", MIB / 4)
            ),
        )),
        json(
            "1 MiB of base64",
            "arrow.flight.protocol.Ticket",
            format!(r#"{{"ticket":"{}"}}"#, "QUJD".repeat(MIB / 4)),
        ),
        json(
            "1 MiB of \\u escapes",
            "google.rpc.Status",
            format!(r#"{{"message":"{}"}}"#, r"\u00e9".repeat(MIB / 6)),
        ),
        json(
            "a number of 1M digits",
            "google.protobuf.DoubleValue",
            "1".repeat(MIB),
        ),
        json(
            "an unknown field holding 512k zeros, rejected",
            "google.rpc.Status",
            format!(r#"{{"somethingNew":[{}]}}"#, repeat_joined("0", MIB / 2)),
        ),
        Case {
            name: "print: Status with 512k empty details",
            type_name: "google.rpc.Status",
            input: Input::BinaryToJson([0x1a, 0x00].repeat(MIB / 2)),
            over_budget: true,
        },
        Case {
            name: "print: 90 Anys around a ListValue of 256k zeros",
            type_name: "google.protobuf.Any",
            input: Input::BinaryToJson(any_chain_around_zeros(90, MIB / 4)),
            // The payloads are decoded as they are printed, not budgeted.
            over_budget: false,
        },
        Case {
            name: "print: 1 MiB of control characters",
            type_name: "google.rpc.Status",
            input: Input::BinaryToJson({
                let mut bytes = vec![0x12, 0x80, 0x80, 0x40];
                bytes.extend(std::iter::repeat_n(0x01, MIB));
                bytes
            }),
            over_budget: false,
        },
        Case {
            name: "an unknown field holding 512k zeros, skipped",
            type_name: "google.rpc.Status",
            input: Input::Json(
                format!(r#"{{"somethingNew":[{}]}}"#, repeat_joined("0", MIB / 2)),
                JsonOptions::new().ignore_unknown_fields(true),
            ),
            over_budget: false,
        },
        over(json(
            "512k endpoints, the last one broken",
            "arrow.flight.protocol.FlightInfo",
            format!(
                r#"{{"endpoint":[{},{{"ticket":1}}]}}"#,
                repeat_joined("{}", MIB / 4)
            ),
        )),
    ]
}

/// The allocator's counters are global: the tests must not overlap.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn decoding_hostile_input_takes_memory_proportional_to_its_length() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let registry = Registry::default();
    // Warm up lazily built state (the default registry of the JSON code)
    // outside the measurements.
    let _ = cancelwire::json::from_str::<cancelwire::wkt::Any>(
        r#"{"@type":"type.googleapis.com/google.protobuf.Empty","value":{}}"#,
    );
    let mut report = Vec::new();
    let mut over = Vec::new();
    // A budget that every flood below goes past: each must then stop
    // within what the budget allows, whatever the input's length.
    let tight = DecodeBudget::new().max_elements(TIGHT_ELEMENTS);
    for case in cases() {
        let ty = registry.get(case.type_name).unwrap();
        let (len, peak, outcome, budgeted_peak, budgeted) = match case.input {
            Input::Binary(bytes) => {
                let len = bytes.len();
                let bytes = Bytes::from(bytes);
                let mut outcome = String::new();
                let input = bytes.clone();
                let peak = peak_during(|| {
                    outcome = match ty.decode(input) {
                        Ok(_) => "decoded".into(),
                        Err(e) => format!("rejected: {}", short(&e.to_string())),
                    };
                });
                let mut budgeted = String::new();
                let budgeted_peak = peak_during(|| {
                    budgeted = match ty.decode_with(bytes, &tight) {
                        Ok(_) => "decoded".into(),
                        Err(e) => budget_outcome(e.budget_exceeded().map(|b| b.budget()), &e),
                    };
                });
                (len, peak, outcome, budgeted_peak, budgeted)
            }
            Input::BinaryToJson(bytes) => {
                let len = bytes.len();
                let bytes = Bytes::from(bytes);
                let mut outcome = String::new();
                let input = bytes.clone();
                let peak = peak_during(|| {
                    let message = ty.decode(input).unwrap();
                    outcome = match message.to_json(&JsonOptions::new(), false) {
                        Ok(text) => format!("printed {} B", text.len()),
                        Err(e) => format!("not printed: {}", short(&e.to_string())),
                    };
                });
                let mut budgeted = String::new();
                let budgeted_peak = peak_during(|| {
                    budgeted = match ty.decode_with(bytes, &tight) {
                        Ok(message) => match message.to_json(&JsonOptions::new(), false) {
                            Ok(text) => format!("printed {} B", text.len()),
                            Err(e) => format!("not printed: {}", short(&e.to_string())),
                        },
                        Err(e) => budget_outcome(e.budget_exceeded().map(|b| b.budget()), &e),
                    };
                });
                (len, peak, outcome, budgeted_peak, budgeted)
            }
            Input::Json(text, options) => {
                let len = text.len();
                let mut outcome = String::new();
                let peak = peak_during(|| {
                    outcome = match ty.parse_json(&text, &options) {
                        Ok(_) => "parsed".into(),
                        Err(e) => format!("rejected: {}", short(&e.to_string())),
                    };
                });
                let options = options.budget(tight);
                let mut budgeted = String::new();
                let budgeted_peak = peak_during(|| {
                    budgeted = match ty.parse_json(&text, &options) {
                        Ok(_) => "parsed".into(),
                        Err(e) => budget_outcome(
                            (e.kind() == JsonErrorKind::BudgetExceeded).then_some(Budget::Elements),
                            &e,
                        ),
                    };
                });
                (len, peak, outcome, budgeted_peak, budgeted)
            }
        };
        // A tiny input that claims a huge payload must not reserve it:
        // those get a fixed bound, far below what they claim.
        let limit = if len < 64 {
            TINY_INPUT_LIMIT
        } else {
            BYTES_PER_INPUT_BYTE * len + SLACK
        };
        let line = format!(
            "{:<52} {len:>8} B in, peak {peak:>10} B ({:>5.1} per byte), {outcome}\n{:<52} budget of {TIGHT_ELEMENTS} elements: peak {budgeted_peak:>10} B ({:>5.1} per byte), {budgeted}",
            case.name,
            peak as f64 / len as f64,
            "",
            budgeted_peak as f64 / len as f64,
        );
        let budgeted_limit = if case.over_budget {
            limit.min(BUDGETED_LIMIT)
        } else {
            limit
        };
        if peak > limit || budgeted_peak > budgeted_limit {
            over.push(line.clone());
        }
        if case.over_budget && !budgeted.starts_with("over the elements budget") {
            over.push(format!("{line}\n  (should have been over the budget)"));
        }
        report.push(line);
    }
    println!("{}", report.join("\n"));
    assert!(
        over.is_empty(),
        "over {BYTES_PER_INPUT_BYTE} x input + {SLACK} (or {TINY_INPUT_LIMIT} for tiny inputs):\n{}",
        over.join("\n")
    );
}

/// Live heap bytes after `work`, less those before it.
fn retained_by(work: impl FnOnce()) -> isize {
    let before = LIVE.load(Ordering::Relaxed) as isize;
    work();
    LIVE.load(Ordering::Relaxed) as isize - before
}

/// Plain `serde_json` (what web frameworks' JSON extractors call) bypasses
/// `cancelwire::json`'s entry points. A million parses and a million prints
/// on one thread, most of them failing deep inside with a long map key in
/// the error's path, must leave the heap where it was.
#[test]
fn plain_serde_json_leaves_no_state_behind() {
    use cancelwire::longrunning::Operation;
    use cancelwire::wkt::{Struct, Value, value::Kind};

    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let long_key = "k".repeat(1_000);
    let failing_parse = format!(
        r#"{{"error":{{"details":[{{"@type":"type.googleapis.com/google.rpc.ErrorInfo","metadata":{{"{long_key}":5}}}}]}}}}"#
    );
    let texts = [
        failing_parse.as_str(),
        r#"{"name":"operations/1","done":true,"error":{"code":1}}"#,
        r#"{"metadata":{"@type":"type.googleapis.com/arrow.flight.protocol.FlightInfo","endpoint":[{"ticket":"!!"}]}}"#,
        r#"{"done":"yes"}"#,
    ];
    let unprintable = Struct {
        fields: [(
            long_key.clone(),
            Value {
                kind: Some(Kind::NumberValue(f64::NAN)),
                ..Default::default()
            },
        )]
        .into(),
        ..Default::default()
    };
    let printable = Operation {
        name: "operations/1".into(),
        ..Default::default()
    };

    let parse = |rounds: usize| {
        let mut failures = 0;
        for round in 0..rounds {
            let text = texts[round % texts.len()];
            if serde_json::from_str::<Operation>(text).is_err() {
                failures += 1;
            }
        }
        failures
    };
    let print = |rounds: usize| {
        let mut failures = 0;
        for round in 0..rounds {
            let printed = if round % 2 == 0 {
                serde_json::to_string(&unprintable)
            } else {
                serde_json::to_string(&printable)
            };
            failures += usize::from(printed.is_err());
        }
        failures
    };
    // Lazily built state (the default registry) is made before measuring.
    assert_eq!(parse(1_000), 750);
    assert_eq!(print(1_000), 500);

    let mut failures = (0, 0);
    let parsing = retained_by(|| failures.0 = parse(1_000_000));
    let printing = retained_by(|| failures.1 = print(1_000_000));
    assert_eq!(failures, (750_000, 500_000));
    println!("retained after 1,000,000 parses: {parsing} B, after 1,000,000 prints: {printing} B");
    assert!(parsing <= 0, "parsing left {parsing} bytes behind");
    assert!(printing <= 0, "printing left {printing} bytes behind");
}

/// `levels` Anys, each holding the next, around a `ListValue` of `zeros`
/// zeros: printing decodes and converts the payload once per level.
fn any_chain_around_zeros(levels: usize, zeros: usize) -> Vec<u8> {
    use cancelwire::wkt::{Any, ListValue, Value, value::Kind};
    let list = ListValue {
        values: vec![
            Value {
                kind: Some(Kind::NumberValue(0.0)),
                ..Default::default()
            };
            zeros
        ],
        ..Default::default()
    };
    let mut any = Any::from_msg(&list).unwrap();
    for _ in 1..levels {
        any = Any::from_msg(&any).unwrap();
    }
    prost::Message::encode_to_vec(&any)
}

/// A huge input makes a huge error message; the report keeps its start.
fn short(text: &str) -> String {
    text.chars().take(80).collect()
}

/// Issue 26's flood: 2,000,000 three-byte unknown varint fields (field
/// 1000) in a 6,000,000-byte `google.rpc.Status`, decoded (and encoded
/// again) by each entry point, as heap bytes held at the peak per input
/// byte, the input itself not counted. Kept as one record per field it was
/// 35 per byte; stored as their encoding (a slice of a `Bytes` input, a
/// copy of anything else) it must stay at most 2, the encoded output (1
/// per byte by itself) included where the case encodes.
#[test]
fn unknown_field_floods_cost_at_most_two_bytes_per_input_byte() {
    use cancelwire::rpc::Status;
    use prost::Message;

    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let registry = Registry::default();
    let ty = registry.get("google.rpc.Status").unwrap();
    let flood = [0xc0, 0x3e, 0x01].repeat(2_000_000);
    // Known and unknown fields taking turns: no two unknown fields follow
    // each other, so none joins a span.
    let interleaved = [0x08, 0x05, 0xc0, 0x3e, 0x01].repeat(1_200_000);
    let mut report = Vec::new();
    let mut record = |name: &str, len: usize, peak: usize, max: f64| {
        let ratio = peak as f64 / len as f64;
        report.push(format!(
            "{name:<52} {len:>8} B in, peak {peak:>9} B ({ratio:.3} per byte)"
        ));
        assert!(ratio <= max, "{name}: {ratio:.3} bytes per input byte");
    };

    let bytes = Bytes::from(flood.clone());
    let mut kept = 0;
    let peak = peak_during(|| kept = ty.decode(bytes).unwrap().to_binary().len());
    assert_eq!(kept, flood.len());
    record(
        "registry, a Bytes (sliced), decode and encode",
        flood.len(),
        peak,
        2.0,
    );

    let bytes = Bytes::from(flood.clone());
    let mut message = None;
    let peak = peak_during(|| message = Some(ty.decode(bytes).unwrap()));
    assert_eq!(message.take().unwrap().to_binary(), flood);
    record(
        "registry, a Bytes (sliced), decode only",
        flood.len(),
        peak,
        0.01,
    );

    let mut count = 0;
    let peak = peak_during(|| {
        let status: Status = cancelwire::decode(&flood[..]).unwrap();
        count = status.unknown_fields.len();
    });
    assert_eq!(count, 2_000_000);
    record(
        "cancelwire::decode of a slice (copied)",
        flood.len(),
        peak,
        2.0,
    );

    let mut again = Vec::new();
    let peak = peak_during(|| again = Status::decode(&flood[..]).unwrap().encode_to_vec());
    assert_eq!(again, flood);
    // The output is kept past the measurement: less it, the decode.
    record(
        "prost's Message::decode of a slice (output not counted)",
        flood.len(),
        peak - again.capacity(),
        2.0,
    );

    let bytes = Bytes::from(interleaved.clone());
    let mut count = 0;
    let peak = peak_during(|| {
        let status: Status = cancelwire::decode(bytes).unwrap();
        count = status.unknown_fields.len();
    });
    assert_eq!(count, 1_200_000);
    record(
        "known and unknown in turn, cancelwire::decode",
        interleaved.len(),
        peak,
        2.0,
    );

    let bytes = Bytes::from(interleaved.clone());
    let peak = peak_during(|| {
        count = ty.decode(bytes).unwrap().to_binary().len();
    });
    assert_eq!(count, 2 + 3 * 1_200_000);
    record(
        "known and unknown in turn, registry, and encode",
        interleaved.len(),
        peak,
        2.0,
    );
    println!("{}", report.join("\n"));
}
