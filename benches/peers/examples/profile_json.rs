//! Serialises the benchmark's Operation many times, for a profiler.
fn main() {
    let op = cancelwire_bench_peers::operation();
    let mut total = 0;
    for _ in 0..20_000 {
        total += cancelwire::json::to_string(&op).expect("prints").len();
    }
    println!("{total}");
}
