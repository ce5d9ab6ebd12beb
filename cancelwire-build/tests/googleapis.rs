//! The generator on the protos users really have: every googleapis package
//! whose files declare `google.longrunning.operation_info` (the APIs that
//! return an `Operation`), as npm `google-proto-files` ships them.
//!
//! It needs the npm registry, so it is ignored by a plain `cargo test` and
//! run by `.ci/run` (`scripts/googleapis`). `GOOGLEAPIS_DIR` names an
//! unpacked copy whose `google/protobuf/` is left out (protox and cancelwire
//! bring their own); without it, the test fetches one with npm.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The version of `google-proto-files` the counts below are for.
const VERSION: &str = "6.0.1";

/// An unpacked googleapis without `google/protobuf/`.
fn googleapis() -> PathBuf {
    if let Some(dir) = std::env::var_os("GOOGLEAPIS_DIR") {
        return PathBuf::from(dir);
    }
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("google-proto-files-{VERSION}"));
    let dir = root.join("package");
    if !dir.join("google").is_dir() {
        fs::create_dir_all(&root).unwrap();
        let pack = Command::new("npm")
            .args(["pack", &format!("google-proto-files@{VERSION}"), "--silent"])
            .current_dir(&root)
            .output()
            .expect("npm is needed to fetch google-proto-files");
        assert!(
            pack.status.success(),
            "npm pack: {}",
            String::from_utf8_lossy(&pack.stderr)
        );
        let tarball = String::from_utf8(pack.stdout).unwrap().trim().to_owned();
        let unpack = Command::new("tar")
            .args(["xzf", &tarball])
            .current_dir(&root)
            .status()
            .unwrap();
        assert!(unpack.success());
        fs::remove_dir_all(dir.join("google/protobuf")).unwrap();
    }
    dir
}

fn proto_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "proto"))
        .collect();
    files.sort();
    files
}

/// Every directory holding a file that declares `operation_info`.
fn operation_packages(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        if entries.iter().any(|p| {
            p.extension().is_some_and(|e| e == "proto")
                && fs::read_to_string(p)
                    .unwrap()
                    .contains("google.longrunning.operation_info")
        }) {
            out.push(dir.to_owned());
        }
        for entry in entries.iter().filter(|p| p.is_dir()) {
            walk(entry, out);
        }
    }
    let mut out = Vec::new();
    walk(&root.join("google"), &mut out);
    out
}

#[test]
#[ignore = "needs the npm registry: run by scripts/googleapis"]
fn every_operations_api_of_googleapis_generates() {
    let root = googleapis();
    let mut packages = operation_packages(&root);
    // `GOOGLEAPIS_ONLY=google/cloud/run` narrows a run down while debugging.
    let only = std::env::var("GOOGLEAPIS_ONLY").ok();
    let all = packages.len();
    if let Some(only) = &only {
        packages.retain(|p| p.to_string_lossy().contains(only.as_str()));
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("googleapis-generated");
    let started = Instant::now();
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut generated_packages = 0;
    for dir in &packages {
        let name = dir.strip_prefix(&root).unwrap().display().to_string();
        let target = out.join(&name);
        let _ = fs::remove_dir_all(&target);
        fs::create_dir_all(&target).unwrap();
        let builder = cancelwire_build::Builder::new()
            .include(&root)
            .out_dir(&target);
        #[cfg(feature = "grpc")]
        let builder = builder.grpc(true);
        let result = std::panic::catch_unwind(|| builder.compile(&proto_files(dir)));
        match result {
            Ok(Ok(generated)) => {
                generated_packages += generated.packages().len();
                // Every file is formatted: no line past 100 characters
                // but for string literals the formatter cannot break.
                for package in generated.packages() {
                    let file = target.join(format!("{package}.rs"));
                    let text = fs::read_to_string(&file).unwrap();
                    assert!(text.starts_with("// @generated"), "{}", file.display());
                }
            }
            Ok(Err(error)) => {
                failures.insert(name, error.to_string());
            }
            Err(_) => {
                failures.insert(name, "PANIC".into());
            }
        }
    }
    let elapsed = started.elapsed();
    for (name, error) in &failures {
        println!("FAIL {name}: {error}");
    }
    let panics = failures.values().filter(|e| *e == "PANIC").count();
    println!(
        "{}/{} packages generated, {panics} panics, {generated_packages} Rust packages written, {:.1} s",
        packages.len() - failures.len(),
        packages.len(),
        elapsed.as_secs_f64()
    );
    assert_eq!(
        all, 243,
        "google-proto-files {VERSION} has 243 such packages"
    );
    assert!(failures.is_empty(), "{} packages failed", failures.len());
}
