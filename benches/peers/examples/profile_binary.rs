//! The binary comparisons of the benchmark, one at a time, for an
//! instruction-counting profiler:
//!
//! ```text
//! cargo build --release --manifest-path benches/peers/Cargo.toml --example profile_binary
//! valgrind --tool=callgrind target/release/examples/profile_binary decode result ours 100000
//! callgrind_annotate --inclusive=yes callgrind.out.<pid> | grep profile_binary::run
//! ```
//!
//! Arguments: `decode` or `encode`; `result` (CancelFlightInfoResult) or
//! `request` (CancelFlightInfoRequest); `ours`, `arrow` or `plain`; a count
//! N. Decoding is from a `Bytes` as in the benchmark (plain prost from a
//! slice). The loop is the `#[inline(never)]` function `run`: its inclusive
//! count divided by N is the cost of one operation.
use bytes::Bytes;
use cancelwire_bench_peers::{cancel_request, cancel_result, plain};
use prost::Message;
use std::hint::black_box;

#[inline(never)]
fn run(n: usize, mut op: impl FnMut() -> usize) -> usize {
    (0..n).map(|_| op()).sum()
}

/// Decodes or encodes `M` (built from `wire`) `n` times.
fn case<M: Message + Default>(what: &str, wire: &Bytes, n: usize, decode: fn(Bytes) -> M) -> usize {
    match what {
        "decode" => run(n, || {
            let message = decode(black_box(wire.clone()));
            black_box(&message);
            1
        }),
        _ => {
            let message = decode(wire.clone());
            run(n, || black_box(&message).encode_to_vec().len())
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or_default();
    let n: usize = arg(3).parse().unwrap_or(100_000);
    let (what, message, peer) = (arg(0), arg(1), arg(2));
    let wire = Bytes::from(match message {
        "result" => cancel_result().encode_to_vec(),
        _ => cancel_request().encode_to_vec(),
    });
    use plain::arrow::flight::protocol as plain;
    let total = match (message, peer) {
        ("result", "ours") => case(what, &wire, n, |b| {
            cancelwire::decode::<cancelwire::flight::CancelFlightInfoResult>(b).expect("decodes")
        }),
        ("result", "arrow") => case(what, &wire, n, |b| {
            arrow_flight::CancelFlightInfoResult::decode(b).expect("decodes")
        }),
        ("result", "plain") => case(what, &wire, n, |b| {
            plain::CancelFlightInfoResult::decode(&b[..]).expect("decodes")
        }),
        ("request", "ours") => case(what, &wire, n, |b| {
            cancelwire::decode::<cancelwire::flight::CancelFlightInfoRequest>(b).expect("decodes")
        }),
        ("request", "arrow") => case(what, &wire, n, |b| {
            arrow_flight::CancelFlightInfoRequest::decode(b).expect("decodes")
        }),
        ("request", "plain") => case(what, &wire, n, |b| {
            plain::CancelFlightInfoRequest::decode(&b[..]).expect("decodes")
        }),
        _ => {
            eprintln!("usage: profile_binary decode|encode result|request ours|arrow|plain [N]");
            std::process::exit(2)
        }
    };
    println!("{total}");
}
