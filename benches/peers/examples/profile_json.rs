//! Prints (or, with `parse`, parses) the benchmark's Operation many times,
//! for a profiler such as `valgrind --tool=callgrind`; with a second
//! argument `google-cloud`, google-cloud-rust's Operation does the same
//! work, for the instruction count of the peer.
//!
//! `profile_json [print|parse] [ours|google-cloud]`
use google_cloud_longrunning::model::Operation as TheirOperation;

fn main() {
    let op = cancelwire_bench_peers::operation();
    let text = cancelwire::json::to_string(&op).expect("prints");
    let theirs: TheirOperation = serde_json::from_str(&text).expect("google-cloud parses");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parse = args.first().map(String::as_str) == Some("parse");
    let peer = args.get(1).map(String::as_str) == Some("google-cloud");
    let mut total = 0;
    for _ in 0..20_000 {
        total += match (parse, peer) {
            (false, false) => cancelwire::json::to_string(&op).expect("prints").len(),
            (false, true) => serde_json::to_string(&theirs).expect("prints").len(),
            (true, false) => {
                let back: cancelwire::longrunning::Operation =
                    cancelwire::json::from_str(&text).expect("parses");
                back.name.len()
            }
            (true, true) => {
                let back: TheirOperation = serde_json::from_str(&text).expect("parses");
                back.name.len()
            }
        };
    }
    println!("{total}");
}
