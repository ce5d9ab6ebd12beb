//! Replays every fuzz corpus and regression file through the fuzz targets'
//! own checks (`fuzz/checks.rs`), so that plain `cargo test` on stable
//! guards everything the fuzzers ever found, without a fuzzer.
//!
//! `fuzz/corpus/<target>/` holds the seeds built from the reference vectors
//! (regenerate them with `cargo test --test codec -- --ignored
//! write_seed_corpus`); `fuzz/regressions/<target>/` holds every input that
//! once crashed, broke a property or ran slowly.

#[path = "../../fuzz/checks.rs"]
mod checks;
use crate::common;

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn fuzz_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
}

/// Every file of `fuzz/<kind>/<target>/`, by target; a directory that names
/// no target is an error.
fn files(kind: &str) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(dirs) = fs::read_dir(fuzz_dir(kind)) else {
        return out;
    };
    for dir in dirs {
        let dir = dir.expect("readable fuzz directory").path();
        let target = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("UTF-8 directory name")
            .to_owned();
        assert!(
            checks::TARGETS.contains(&target.as_str()),
            "{} names no fuzz target",
            dir.display()
        );
        for file in fs::read_dir(&dir).expect("readable target directory") {
            let path = file.expect("readable entry").path();
            if path.is_file() {
                out.push((target.clone(), path));
            }
        }
    }
    out.sort();
    out
}

/// Runs each file through its target's check; a broken property or a panic
/// is reported with the file's path, and every failure is listed.
fn replay(kind: &str) -> usize {
    let files = files(kind);
    let mut failures = Vec::new();
    for (target, path) in &files {
        let data = fs::read(path).expect("readable input");
        match catch_unwind(AssertUnwindSafe(|| checks::run(target, &data))) {
            Ok(Ok(())) => {}
            Ok(Err(broken)) => failures.push(format!("{}: {broken}", path.display())),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                failures.push(format!("{}: panicked: {what}", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {kind} files fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    files.len()
}

#[test]
fn every_seed_corpus_file_passes_its_targets_checks() {
    let count = replay("corpus");
    let targets: BTreeSet<String> = files("corpus").into_iter().map(|(t, _)| t).collect();
    for target in checks::TARGETS {
        assert!(targets.contains(*target), "no seed corpus for {target}");
    }
    assert!(count > 100, "only {count} seed files");
}

#[test]
fn every_regression_file_passes_its_targets_checks() {
    replay("regressions");
}

#[test]
fn the_selector_byte_reaches_every_registered_type() {
    assert!(checks::types().len() <= 256);
    for (i, ty) in checks::types().iter().enumerate() {
        assert_eq!(checks::selector_of(ty.full_name()), Some(i as u8));
    }
}

// ---- the seed corpus ------------------------------------------------------

/// Seed files of one target, named after the vector they come from.
#[derive(Default)]
struct Seeds {
    files: Vec<(String, Vec<u8>)>,
    seen: BTreeSet<Vec<u8>>,
}

impl Seeds {
    fn add(&mut self, name: &str, data: Vec<u8>) {
        if self.seen.insert(data.clone()) {
            let clean: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            self.files
                .push((format!("seed-{clean}-{}", self.files.len()), data));
        }
    }
}

fn framed(prefix: &[u8], payload: &[u8]) -> Vec<u8> {
    [prefix, payload].concat()
}

/// Every binary and JSON input of the reference vectors, as (name, type,
/// bytes or text, whether to ignore unknown fields).
#[derive(Default)]
struct Inputs {
    binary: Vec<(String, String, Vec<u8>)>,
    json: Vec<(String, String, String, bool)>,
}

fn vector_inputs() -> Inputs {
    let mut inputs = Inputs::default();
    let text = |v: &Value| v.as_str().map(str::to_owned);
    for vector in common::positive() {
        let name = common::str_field(&vector, "name").to_owned();
        let ty = common::str_field(&vector, "type").to_owned();
        if let Some(hex) = vector["binary_hex"].as_str() {
            inputs
                .binary
                .push((name.clone(), ty.clone(), common::hex(hex)));
        }
        for key in [
            "binary_input_variants",
            "binary_input_variants_with_unknown_fields",
        ] {
            for variant in common::list(&vector, key) {
                if let Some(hex) = variant["hex"].as_str() {
                    inputs
                        .binary
                        .push((name.clone(), ty.clone(), common::hex(hex)));
                }
            }
        }
        if let Some(json) = text(&vector["json"]) {
            inputs.json.push((name.clone(), ty.clone(), json, false));
        }
        for variant in common::list(&vector, "json_input_variants") {
            if let Some(json) = text(variant) {
                inputs.json.push((name.clone(), ty.clone(), json, false));
            }
        }
        for variant in common::list(&vector, "json_input_variants_ignore_unknown_fields") {
            if let Some(json) = text(&variant["input"]) {
                inputs.json.push((name.clone(), ty.clone(), json, true));
            }
        }
    }
    for file in ["negative_vectors.jsonl", "python_lenient.jsonl"] {
        for vector in common::jsonl(file) {
            let name = common::str_field(&vector, "name").to_owned();
            let ty = common::str_field(&vector, "type").to_owned();
            if let Some(hex) = vector["input_hex"].as_str() {
                inputs
                    .binary
                    .push((name.clone(), ty.clone(), common::hex(hex)));
            }
            if let Some(json) = text(&vector["input"]) {
                let ignore = vector["ignore_unknown_fields"].as_bool().unwrap_or(false);
                inputs.json.push((name, ty, json, ignore));
            }
        }
    }
    inputs
}

fn seed_corpus() -> Vec<(&'static str, Seeds)> {
    let inputs = vector_inputs();
    let selector = |ty: &str| checks::selector_of(ty).unwrap_or_else(|| panic!("unknown {ty}"));
    let mut binary_decode = Seeds::default();
    let mut binary_to_json = Seeds::default();
    let mut json_parse = Seeds::default();
    let mut json_to_binary = Seeds::default();
    let mut validation = Seeds::default();
    let mut any_resolution = Seeds::default();
    for (name, ty, bytes) in &inputs.binary {
        let s = selector(ty);
        binary_decode.add(name, framed(&[s], bytes));
        binary_to_json.add(name, framed(&[s], bytes));
        validation.add(name, framed(&[s, 0], bytes));
        // The payload packed under each spelling of its type URL.
        any_resolution.add(name, framed(&[s, 0], bytes));
        any_resolution.add(name, framed(&[s, 1], bytes));
        any_resolution.add(name, framed(&[s, 2], bytes));
    }
    for (name, ty, json, ignore) in &inputs.json {
        let s = selector(ty);
        let flags = if *ignore {
            checks::FLAG_IGNORE_UNKNOWN
        } else {
            0
        };
        json_parse.add(name, framed(&[s, flags], json.as_bytes()));
        json_to_binary.add(name, framed(&[s, flags], json.as_bytes()));
        validation.add(
            name,
            framed(&[s, checks::FLAG_VALIDATE_JSON], json.as_bytes()),
        );
        if ty == "google.protobuf.Any" {
            let mut flags = checks::FLAG_ANY_JSON;
            if *ignore {
                flags |= checks::FLAG_ANY_IGNORE_UNKNOWN;
            }
            any_resolution.add(name, framed(&[s, flags], json.as_bytes()));
        }
    }
    vec![
        ("binary_decode", binary_decode),
        ("json_parse", json_parse),
        ("any_resolution", any_resolution),
        ("validation", validation),
        ("binary_to_json", binary_to_json),
        ("json_to_binary", json_to_binary),
    ]
}

/// Writes `fuzz/corpus/<target>/seed-*` from the reference vectors,
/// replacing the previous seeds (files the fuzzer added are kept).
#[test]
#[ignore = "writes files: run to regenerate the seed corpus"]
fn write_seed_corpus() {
    for (target, seeds) in seed_corpus() {
        let dir = fuzz_dir("corpus").join(target);
        fs::create_dir_all(&dir).expect("corpus directory");
        for old in fs::read_dir(&dir).expect("corpus directory") {
            let path = old.expect("entry").path();
            let is_seed = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("seed-"));
            if is_seed {
                fs::remove_file(path).expect("old seed removed");
            }
        }
        for (name, data) in seeds.files {
            fs::write(dir.join(name), data).expect("seed written");
        }
    }
}

#[test]
fn the_committed_seed_corpus_is_up_to_date() {
    for (target, seeds) in seed_corpus() {
        let dir = fuzz_dir("corpus").join(target);
        for (name, data) in seeds.files {
            let committed = fs::read(dir.join(&name)).ok();
            assert_eq!(
                committed.as_deref(),
                Some(data.as_slice()),
                "fuzz/corpus/{target}/{name} is missing or stale: run \
                 `cargo test --test codec -- --ignored write_seed_corpus`"
            );
        }
    }
}
