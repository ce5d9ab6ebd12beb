//! Reads criterion's results of the `peers` benchmark and writes
//! `bench-peers.json`: one `{"name", "ours_ns", "peer", "peer_ns", "ratio"}`
//! per comparison, where ratio = peer_ns / ours_ns (above 1: we are faster).
//! Prints the same as a table, then the cost per endpoint of the JSON
//! scaling benchmark, then how each goal of issues 15 and 7 fared.
//!
//! usage: report CRITERION_DIR OUTPUT_JSON

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Median time of each benchmark, by group and function.
type Results = BTreeMap<String, BTreeMap<String, f64>>;

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn collect(dir: &Path, out: &mut Results) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            let benchmark = path.join("new/benchmark.json");
            if benchmark.is_file() {
                let meta = read_json(&benchmark)?;
                let estimates = read_json(&path.join("new/estimates.json"))?;
                let group = meta["group_id"].as_str().unwrap_or_default().to_owned();
                let function = meta["function_id"]
                    .as_str()
                    .or_else(|| meta["value_str"].as_str())
                    .unwrap_or_default()
                    .to_owned();
                let median = estimates["median"]["point_estimate"]
                    .as_f64()
                    .ok_or_else(|| format!("{}: no median", path.display()))?;
                out.entry(group).or_default().insert(function, median);
            } else {
                collect(&path, out)?;
            }
        }
    }
    Ok(())
}

struct Row {
    name: String,
    ours_ns: f64,
    peer: String,
    peer_ns: f64,
}

impl Row {
    fn ratio(&self) -> f64 {
        self.peer_ns / self.ours_ns
    }
}

fn rows(results: &Results) -> Vec<Row> {
    let mut rows = Vec::new();
    for (group, functions) in results {
        let Some(&ours) = functions.get("ours") else {
            continue;
        };
        for (peer, &peer_ns) in functions.iter().filter(|(f, _)| *f != "ours") {
            rows.push(Row {
                name: group.clone(),
                ours_ns: ours,
                peer: peer.clone(),
                peer_ns,
            });
        }
    }
    let ours_at = |size: &str| {
        results
            .get(&format!("zero_copy_decode/flight_info_{size}"))?
            .get("ours")
            .copied()
    };
    if let (Some(small), Some(large)) = (ours_at("1KiB"), ours_at("16MiB")) {
        rows.push(Row {
            name: "zero_copy_scaling/flight_info_16MiB".into(),
            ours_ns: large,
            peer: "ours at 1KiB".into(),
            peer_ns: small,
        });
    }
    // The JSON scaling benchmark's growth, as ratios like the one above:
    // cost per endpoint at 100,000 endpoints ("ours") against that at 100.
    for step in SCALING_STEPS {
        if let (Some(small), Some(large)) = (
            per_endpoint(results, step, 100),
            per_endpoint(results, step, 100_000),
        ) {
            rows.push(Row {
                name: format!("json_scaling_{step}/per_endpoint_100000"),
                ours_ns: large,
                peer: "ours at 100".into(),
                peer_ns: small,
            });
        }
    }
    rows
}

/// The endpoint counts of the `json_scaling_<step>/<endpoints>` benchmarks.
const SCALING_SIZES: [u32; 6] = [1, 10, 100, 1_000, 10_000, 100_000];
const SCALING_STEPS: [&str; 3] = ["print", "parse", "decode"];

/// Our time per endpoint for one step of the scaling benchmark.
fn per_endpoint(results: &Results, step: &str, endpoints: u32) -> Option<f64> {
    let ns = results
        .get(&format!("json_scaling_{step}/{endpoints}"))?
        .get("ours")?;
    Some(ns / f64::from(endpoints))
}

/// How much the cost per endpoint grows from 100 to 100,000 endpoints.
fn growth(results: &Results, step: &str) -> Option<f64> {
    Some(per_endpoint(results, step, 100_000)? / per_endpoint(results, step, 100)?)
}

fn scaling_table(results: &Results) {
    if !SCALING_SIZES
        .iter()
        .any(|&n| per_endpoint(results, "print", n).is_some())
    {
        return;
    }
    println!("JSON scaling: an Operation whose metadata Any carries a FlightInfo with N endpoints");
    println!(
        "(ns per endpoint; decode is binary, the Operation and its FlightInfo, for comparison)\n"
    );
    println!("| endpoints | print | parse | decode |");
    println!("|---:|---:|---:|---:|");
    for n in SCALING_SIZES {
        let cells: Vec<String> = SCALING_STEPS
            .iter()
            .map(|step| match per_endpoint(results, step, n) {
                Some(ns) => format!("{ns:.1}"),
                None => "-".into(),
            })
            .collect();
        println!("| {n} | {} |", cells.join(" | "));
    }
    let cell = |g: Option<f64>| g.map_or("-".into(), |g| format!("{g:.2}x"));
    println!(
        "| growth 100 -> 100000 | {} | {} | {} |",
        cell(growth(results, "print")),
        cell(growth(results, "parse")),
        cell(growth(results, "decode"))
    );
    println!();
}

/// One line of the goals table.
struct Goal {
    issue: u32,
    label: String,
    measured: String,
    verdict: &'static str,
}

/// A goal on the ratios of `peer` in the comparisons whose name starts with
/// `prefix`: met when the worst is at least `at_least`; a stretch goal,
/// when given, is reported as well.
fn ratio_goal(
    rows: &[Row],
    issue: u32,
    label: &str,
    prefix: &str,
    peer: &str,
    at_least: f64,
    stretch: Option<f64>,
) -> Goal {
    let matching: Vec<&Row> = rows
        .iter()
        .filter(|r| r.name.starts_with(prefix) && r.peer == peer)
        .collect();
    let worst = matching
        .iter()
        .map(|r| r.ratio())
        .fold(f64::INFINITY, f64::min);
    let measured = matching
        .iter()
        .map(|r| match r.name[prefix.len()..].trim_start_matches('/') {
            "" => format!("{:.2}", r.ratio()),
            what => format!("{what} {:.2}", r.ratio()),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let verdict = if matching.is_empty() {
        "NOT MEASURED"
    } else if stretch.is_some_and(|s| worst >= s) {
        "MET, stretch too"
    } else if worst >= at_least {
        "MET"
    } else {
        "MISSED"
    };
    Goal {
        issue,
        label: label.into(),
        measured,
        verdict,
    }
}

/// The linearity goal of issue 15 for JSON `step`: the cost per endpoint at
/// 100,000 endpoints within 1.3x of that at 100, or growing no more than
/// binary decoding's does in the same run.
fn linearity_goal(results: &Results, step: &str) -> Goal {
    let label = format!(
        "JSON {step} per endpoint at 100,000 endpoints <= 1.3x at 100, or no more growth than binary decode"
    );
    let (Some(json), Some(decode)) = (growth(results, step), growth(results, "decode")) else {
        return Goal {
            issue: 15,
            label,
            measured: String::new(),
            verdict: "NOT MEASURED",
        };
    };
    Goal {
        issue: 15,
        label,
        measured: format!("{step} growth {json:.3}x, decode growth {decode:.3}x"),
        verdict: if json <= 1.3 || json <= decode {
            "MET"
        } else {
            "MISSED"
        },
    }
}

fn goals(rows: &[Row], results: &Results) -> Vec<Goal> {
    vec![
        ratio_goal(
            rows,
            15,
            "JSON print >= 1.0x google-cloud (stretch 1.5x)",
            "json_serialise/",
            "google-cloud",
            1.0,
            Some(1.5),
        ),
        ratio_goal(
            rows,
            15,
            "JSON parse >= 1.0x google-cloud (stretch 1.5x)",
            "json_parse/",
            "google-cloud",
            1.0,
            Some(1.5),
        ),
        ratio_goal(
            rows,
            15,
            "JSON print >= 1.5x prost-reflect",
            "json_serialise/",
            "prost-reflect",
            1.5,
            None,
        ),
        ratio_goal(
            rows,
            15,
            "JSON parse >= 1.5x prost-reflect",
            "json_parse/",
            "prost-reflect",
            1.5,
            None,
        ),
        ratio_goal(
            rows,
            15,
            "JSON parse >= 0.8x serde_json::Value",
            "json_parse/",
            "serde_json-value",
            0.8,
            None,
        ),
        ratio_goal(
            rows,
            15,
            "binary encode >= 0.95x arrow-flight",
            "encode/",
            "arrow-flight",
            0.95,
            None,
        ),
        ratio_goal(
            rows,
            15,
            "binary decode >= 0.95x arrow-flight",
            "decode/",
            "arrow-flight",
            0.95,
            None,
        ),
        linearity_goal(results, "print"),
        linearity_goal(results, "parse"),
        ratio_goal(
            rows,
            7,
            "16 MiB zero-copy decode <= 2x the 1 KiB one",
            "zero_copy_scaling/flight_info_16MiB",
            "ours at 1KiB",
            0.5,
            None,
        ),
        ratio_goal(
            rows,
            7,
            "16 MiB zero-copy decode >= 100x copying the payload",
            "zero_copy_decode/flight_info_16MiB",
            "memcpy",
            100.0,
            None,
        ),
    ]
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [criterion_dir, output] = args.as_slice() else {
        return Err("usage: report CRITERION_DIR OUTPUT_JSON".into());
    };
    let mut results = Results::new();
    collect(&PathBuf::from(criterion_dir), &mut results)?;
    if results.is_empty() {
        return Err(format!("no benchmark results under {criterion_dir}"));
    }
    let rows = rows(&results);

    let json: Vec<Value> = rows
        .iter()
        .map(|r| json!({"name": r.name, "ours_ns": r.ours_ns, "peer": r.peer, "peer_ns": r.peer_ns, "ratio": r.ratio()}))
        .collect();
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    std::fs::write(output, text + "\n").map_err(|e| format!("{output}: {e}"))?;

    if !rows.is_empty() {
        println!("| comparison | ours (ns) | peer | peer (ns) | ratio |");
        println!("|---|---:|---|---:|---:|");
        for r in &rows {
            println!(
                "| {} | {:.0} | {} | {:.0} | {:.2} |",
                r.name,
                r.ours_ns,
                r.peer,
                r.peer_ns,
                r.ratio()
            );
        }
        println!();
    }
    scaling_table(&results);
    println!("| issue | goal | measured (ratios are peer / ours) | verdict |");
    println!("|---:|---|---|---|");
    for g in goals(&rows, &results) {
        println!(
            "| {} | {} | {} | {} |",
            g.issue, g.label, g.measured, g.verdict
        );
    }
    println!("\nwrote {output}");
    Ok(())
}
