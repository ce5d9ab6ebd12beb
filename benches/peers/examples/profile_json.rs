//! Prints (or, with the argument `parse`, parses) the benchmark's Operation
//! many times, for a profiler such as `valgrind --tool=callgrind`.
fn main() {
    let op = cancelwire_bench_peers::operation();
    let text = cancelwire::json::to_string(&op).expect("prints");
    let parse = std::env::args().nth(1).as_deref() == Some("parse");
    let mut total = 0;
    for _ in 0..20_000 {
        total += if parse {
            let back: cancelwire::longrunning::Operation =
                cancelwire::json::from_str(&text).expect("parses");
            back.name.len()
        } else {
            cancelwire::json::to_string(&op).expect("prints").len()
        };
    }
    println!("{total}");
}
