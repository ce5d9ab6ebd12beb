//! Prints (or, with `parse`, parses) one of the benchmark's messages many
//! times, for a profiler such as `valgrind --tool=callgrind`; with
//! `google-cloud`, google-cloud-rust's type of the same message does the
//! same work, for the instruction count of the peer.
//!
//! `profile_json [print|parse] [ours|google-cloud] [operation|status] [rounds]`
//! (20,000 rounds unless given).
use google_cloud_longrunning::model::Operation as TheirOperation;
use google_cloud_rpc::model::Status as TheirStatus;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Runs the chosen work `rounds` times on `ours` (or on `Theirs` parsed
/// from its JSON); returns the bytes printed or the messages parsed.
fn run<Ours, Theirs>(ours: &Ours, parse: bool, peer: bool, rounds: usize) -> usize
where
    Ours: Serialize + DeserializeOwned + prost::Name,
    Theirs: Serialize + DeserializeOwned,
{
    let text = cancelwire::json::to_string(ours).expect("prints");
    let theirs: Theirs = serde_json::from_str(&text).expect("google-cloud parses");
    let mut total = 0;
    for _ in 0..rounds {
        total += match (parse, peer) {
            (false, false) => cancelwire::json::to_string(ours).expect("prints").len(),
            (false, true) => serde_json::to_string(&theirs).expect("prints").len(),
            (true, false) => {
                cancelwire::json::from_str::<Ours>(&text).expect("parses");
                1
            }
            (true, true) => {
                serde_json::from_str::<Theirs>(&text).expect("parses");
                1
            }
        };
    }
    total
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let parse = arg(0) == Some("parse");
    let peer = arg(1) == Some("google-cloud");
    let rounds = arg(3).and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let total = if arg(2) == Some("status") {
        run::<_, TheirStatus>(&cancelwire_bench_peers::status(), parse, peer, rounds)
    } else {
        run::<_, TheirOperation>(&cancelwire_bench_peers::operation(), parse, peer, rounds)
    };
    println!("{total}");
}
