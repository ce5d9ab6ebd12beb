//! Reads criterion's results of the `peers` benchmark and writes
//! `bench-peers.json`: one `{"name", "ours_ns", "peer", "peer_ns", "ratio"}`
//! per comparison, where ratio = peer_ns / ours_ns (above 1: we are faster).
//! Prints the same as a table, then how each goal of issue 7 fared.
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
    rows
}

fn goal(rows: &[Row], label: &str, name_prefix: &str, peer: &str, at_least: f64) -> String {
    let matching: Vec<&Row> = rows
        .iter()
        .filter(|r| r.name.starts_with(name_prefix) && r.peer == peer)
        .collect();
    if matching.is_empty() {
        return format!("NOT MEASURED {label}");
    }
    let worst = matching
        .iter()
        .map(|r| r.ratio())
        .fold(f64::INFINITY, f64::min);
    let verdict = if worst >= at_least {
        "MET   "
    } else {
        "MISSED"
    };
    format!("{verdict} {label}: worst ratio {worst:.2} (goal >= {at_least})")
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [criterion_dir, output] = args.as_slice() else {
        return Err("usage: report CRITERION_DIR OUTPUT_JSON".into());
    };
    let mut results = Results::new();
    collect(&PathBuf::from(criterion_dir), &mut results)?;
    let rows = rows(&results);
    if rows.is_empty() {
        return Err(format!("no benchmark results under {criterion_dir}"));
    }

    let json: Vec<Value> = rows
        .iter()
        .map(|r| json!({"name": r.name, "ours_ns": r.ours_ns, "peer": r.peer, "peer_ns": r.peer_ns, "ratio": r.ratio()}))
        .collect();
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    std::fs::write(output, text + "\n").map_err(|e| format!("{output}: {e}"))?;

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
    for line in [
        goal(
            &rows,
            "binary encode >= arrow-flight",
            "encode/",
            "arrow-flight",
            1.0,
        ),
        goal(
            &rows,
            "binary decode >= arrow-flight",
            "decode/",
            "arrow-flight",
            1.0,
        ),
        goal(
            &rows,
            "16 MiB zero-copy decode <= 2x the 1 KiB one",
            "zero_copy_scaling/",
            "ours at 1KiB",
            0.5,
        ),
        goal(
            &rows,
            "16 MiB zero-copy decode >= 100x copying the payload",
            "zero_copy_decode/flight_info_16MiB",
            "memcpy",
            100.0,
        ),
        goal(
            &rows,
            "JSON serialise >= 1.5x google-cloud",
            "json_serialise/",
            "google-cloud",
            1.5,
        ),
        goal(
            &rows,
            "JSON parse >= 1.5x google-cloud",
            "json_parse/",
            "google-cloud",
            1.5,
        ),
        goal(
            &rows,
            "JSON parse within 2x of serde_json::Value",
            "json_parse/",
            "serde_json-value",
            0.5,
        ),
    ] {
        println!("{line}");
    }
    println!("\nwrote {output}");
    Ok(())
}
