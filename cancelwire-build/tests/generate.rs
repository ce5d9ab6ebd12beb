//! The generator on small `.proto` files: what it writes and how it refuses
//! what it cannot generate. (That the code compiles and behaves is shown by
//! the workspace's `example-jobs` and `cancelwire-conformance` crates.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cancelwire_build::Builder;
use std::fs;
use std::path::{Path, PathBuf};

/// A fresh directory with `files` written into it.
fn workspace(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cancelwire-build-test-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    for (path, text) in files {
        let path = dir.join("proto").join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    fs::create_dir_all(dir.join("out")).unwrap();
    dir
}

fn generate(dir: &Path, file: &str) -> Result<String, String> {
    Builder::new()
        .include(dir.join("proto"))
        .out_dir(dir.join("out"))
        .compile(&[dir.join("proto").join(file)])
        .map_err(|e| e.to_string())?;
    let package = fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "rs"))
        .unwrap();
    Ok(fs::read_to_string(package).unwrap())
}

#[test]
fn imports_of_cancelwire_files_are_cancelwire_types() {
    let dir = workspace(
        "imports",
        &[(
            "my/v1/job.proto",
            r#"syntax = "proto3";
            package my.v1;
            import "google/rpc/status.proto";
            import "google/rpc/code.proto";
            import "google/longrunning/operations.proto";
            import "google/protobuf/timestamp.proto";
            message Job {
              google.rpc.Status status = 1;
              google.longrunning.Operation operation = 2;
              google.protobuf.Timestamp started = 3;
              google.rpc.Code code = 4;
            }"#,
        )],
    );
    let code = generate(&dir, "my/v1/job.proto").unwrap();
    assert!(code.contains("::cancelwire::rpc::Status"), "{code}");
    assert!(code.contains("::cancelwire::longrunning::Operation"));
    assert!(code.contains("::cancelwire::wkt::Timestamp"));
    // The open enum field stays a plain int32 on the wire.
    assert!(code.contains("pub code: i32"), "{code}");
    assert!(!code.contains("enumeration"), "{code}");
    assert!(code.contains("field_kinds::Enum<::cancelwire::rpc::Code>"));
    assert!(
        code.contains("pub fn register_types(registry: &mut ::cancelwire::registry::Registry)")
    );
    assert!(
        !code.contains("pub struct Status"),
        "no second copy of Status"
    );
}

#[test]
fn rust_keywords_are_named_as_prost_names_them() {
    let dir = workspace(
        "keywords",
        &[(
            "k.proto",
            r#"syntax = "proto3";
            package k;
            message Self { string type = 1; int32 fn = 2; }"#,
        )],
    );
    let code = generate(&dir, "k.proto").unwrap();
    assert!(code.contains("pub struct Self_"), "{code}");
    assert!(code.contains("pub r#type:"));
    assert!(
        code.contains("self.r#type"),
        "the JSON impl uses the same field"
    );
    assert!(
        code.contains("\"type\" =>"),
        "the JSON name stays the proto name"
    );
}

#[test]
fn a_file_that_does_not_compile_is_an_error_naming_it() {
    let dir = workspace(
        "syntax",
        &[(
            "bad.proto",
            "syntax = \"proto3\";\nmessage Broken { string = 1; }\n",
        )],
    );
    let err = generate(&dir, "bad.proto").unwrap_err();
    assert!(err.contains("bad.proto"), "{err}");
}

#[test]
fn a_message_in_one_of_cancelwires_packages_is_refused() {
    let dir = workspace(
        "clash",
        &[(
            "mine.proto",
            r#"syntax = "proto3";
            package google.rpc;
            message Status { int32 code = 1; }"#,
        )],
    );
    let err = generate(&dir, "mine.proto").unwrap_err();
    assert!(
        err.contains("mine.proto") && err.contains("google.rpc"),
        "{err}"
    );
}

#[test]
fn two_enums_with_one_rust_name_are_refused() {
    let dir = workspace(
        "enums",
        &[(
            "e.proto",
            r#"syntax = "proto3";
            package e;
            message A { enum Kind { A_UNSET = 0; } }
            message B { enum Kind { B_UNSET = 0; } }"#,
        )],
    );
    let err = generate(&dir, "e.proto").unwrap_err();
    assert!(
        err.contains("e.A.Kind") && err.contains("e.B.Kind"),
        "{err}"
    );
}

#[test]
fn proto2_files_are_refused() {
    let dir = workspace(
        "proto2",
        &[(
            "p2.proto",
            "syntax = \"proto2\";\npackage p2;\nmessage M { optional int32 a = 1; }\n",
        )],
    );
    let err = generate(&dir, "p2.proto").unwrap_err();
    assert!(err.contains("p2.proto") && err.contains("proto3"), "{err}");
}
