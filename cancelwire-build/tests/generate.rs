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

/// Generates `files` (under `dir/proto`) and returns what was written.
fn generate_all(dir: &Path, files: &[&str]) -> Result<cancelwire_build::Generated, String> {
    Builder::new()
        .include(dir.join("proto"))
        .out_dir(dir.join("out"))
        .include_file("protos.rs")
        .compile(
            &files
                .iter()
                .map(|f| dir.join("proto").join(f))
                .collect::<Vec<_>>(),
        )
        .map_err(|e| e.to_string())
}

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join("out").join(file)).unwrap()
}

#[test]
fn nested_enums_of_one_name_go_to_their_messages_modules() {
    let dir = workspace(
        "enums",
        &[(
            "e.proto",
            r#"syntax = "proto3";
            package e;
            message A { enum Kind { A_UNSET = 0; } Kind kind = 1; }
            message B { enum Kind { B_UNSET = 0; } Kind kind = 1; }"#,
        )],
    );
    generate_all(&dir, &["e.proto"]).unwrap();
    let code = read(&dir, "e.rs");
    assert!(code.contains("pub mod a {"), "{code}");
    assert!(code.contains("pub mod b {"), "{code}");
    assert_eq!(code.matches("pub struct Kind(i32);").count(), 2, "{code}");
    assert!(code.contains("field_kinds::Enum<a::Kind>"), "{code}");
    assert!(code.contains("field_kinds::Enum<b::Kind>"), "{code}");
}

#[test]
fn imported_packages_are_generated_keyword_and_enum_only_ones_too() {
    let dir = workspace(
        "imports",
        &[
            (
                "my/v1/job.proto",
                r#"syntax = "proto3";
                package my.v1;
                import "my/type/date.proto";
                import "my/api/stage.proto";
                message Job { my.type.Date due = 1; my.api.Stage stage = 2; }"#,
            ),
            (
                "my/type/date.proto",
                r#"syntax = "proto3"; package my.type; message Date { int32 day = 1; }"#,
            ),
            (
                "my/api/stage.proto",
                r#"syntax = "proto3"; package my.api; enum Stage { STAGE_UNSPECIFIED = 0; GA = 1; }"#,
            ),
        ],
    );
    let generated = generate_all(&dir, &["my/v1/job.proto"]).unwrap();
    assert_eq!(generated.packages(), ["my.api", "my.type", "my.v1"]);
    let job = read(&dir, "my.v1.rs");
    assert!(job.contains("super::r#type::Date"), "{job}");
    assert!(read(&dir, "my.type.rs").contains("pub struct Date {"));
    assert!(read(&dir, "my.api.rs").contains("pub struct Stage(i32);"));
    let tree = read(&dir, "protos.rs");
    assert!(tree.contains("pub mod r#type {"), "{tree}");
    assert!(tree.contains(r#"include!("my.type.rs");"#), "{tree}");
    assert!(tree.contains(r#"include!("my.api.rs");"#), "{tree}");
}

#[test]
fn files_that_only_extend_options_are_not_generated() {
    let dir = workspace(
        "options",
        &[
            (
                "my/v1/job.proto",
                r#"syntax = "proto3";
                package my.v1;
                import "my/annotations.proto";
                message Job { string id = 1 [(my.secret) = true]; }"#,
            ),
            (
                "my/annotations.proto",
                r#"syntax = "proto2";
                package my;
                import "google/protobuf/descriptor.proto";
                extend google.protobuf.FieldOptions { optional bool secret = 50000; }"#,
            ),
        ],
    );
    let generated = generate_all(&dir, &["my/v1/job.proto"]).unwrap();
    assert_eq!(generated.packages(), ["my.v1"]);
}

#[test]
fn sub_packages_of_cancelwires_packages_are_users_to_generate() {
    let dir = workspace(
        "subpackages",
        &[
            (
                "arrow/flight/protocol/sql/sql.proto",
                r#"syntax = "proto3";
                package arrow.flight.protocol.sql;
                import "arrow/flight/protocol/flight.proto";
                message CommandStatementQuery { string query = 1; arrow.flight.protocol.Ticket ticket = 2; }"#,
            ),
            (
                "google/rpc/context/context.proto",
                r#"syntax = "proto3"; package google.rpc.context; message Peer { string ip = 1; }"#,
            ),
            (
                "google/longrunning/v2/ops.proto",
                r#"syntax = "proto3"; package google.longrunning.v2; message Op { string name = 1; }"#,
            ),
        ],
    );
    let generated = generate_all(
        &dir,
        &[
            "arrow/flight/protocol/sql/sql.proto",
            "google/rpc/context/context.proto",
            "google/longrunning/v2/ops.proto",
        ],
    )
    .unwrap();
    assert_eq!(
        generated.packages(),
        [
            "arrow.flight.protocol.sql",
            "google.longrunning.v2",
            "google.rpc.context"
        ]
    );
    let sql = read(&dir, "arrow.flight.protocol.sql.rs");
    assert!(sql.contains("::cancelwire::flight::Ticket"), "{sql}");
}

/// googleapis' copy of `google/rpc/status.proto`, as a user's include
/// path has it, with `extra` inside `Status`.
fn googleapis_status(extra: &str) -> String {
    format!(
        r#"syntax = "proto3";
        package google.rpc;
        import "google/protobuf/any.proto";
        option go_package = "google.golang.org/genproto/googleapis/rpc/status;status";
        option java_multiple_files = true;
        message Status {{
          int32 code = 1;
          string message = 2;
          repeated google.protobuf.Any details = 3;
          {extra}
        }}"#
    )
}

#[test]
fn googleapis_copies_of_cancelwires_files_are_cancelwires_types() {
    let dir = workspace(
        "copies",
        &[
            ("google/rpc/status.proto", &googleapis_status("")),
            (
                "my/v1/job.proto",
                r#"syntax = "proto3"; package my.v1; import "google/rpc/status.proto";
                message Job { google.rpc.Status error = 1; }"#,
            ),
        ],
    );
    let generated = generate_all(&dir, &["my/v1/job.proto"]).unwrap();
    assert_eq!(generated.packages(), ["my.v1"]);
    assert!(read(&dir, "my.v1.rs").contains("::cancelwire::rpc::Status"));
}

#[test]
fn a_copy_that_declares_more_than_cancelwires_is_refused_naming_it() {
    let dir = workspace(
        "copy-extra",
        &[
            (
                "google/rpc/status.proto",
                &googleapis_status("string hint = 9;"),
            ),
            (
                "my/v1/job.proto",
                r#"syntax = "proto3"; package my.v1; import "google/rpc/status.proto";
                message Job { google.rpc.Status error = 1; }"#,
            ),
        ],
    );
    let err = generate_all(&dir, &["my/v1/job.proto"]).unwrap_err();
    assert!(
        err.contains("google/rpc/status.proto") && err.contains("google.rpc.Status.hint"),
        "{err}"
    );
    let dir = workspace(
        "copy-renumbered",
        &[
            (
                "google/rpc/status.proto",
                &googleapis_status("").replace("string message = 2;", "string message = 4;"),
            ),
            (
                "my/v1/job.proto",
                r#"syntax = "proto3"; package my.v1; import "google/rpc/status.proto";
                message Job { google.rpc.Status error = 1; }"#,
            ),
        ],
    );
    let err = generate_all(&dir, &["my/v1/job.proto"]).unwrap_err();
    assert!(err.contains("google.rpc.Status.message"), "{err}");
}

#[test]
fn leftovers_in_the_output_directory_are_never_read() {
    let proto = r#"syntax = "proto3"; package left; message Color { string name = 1; }"#;
    let dir = workspace("leftovers", &[("left.proto", proto)]);
    // What an earlier, failed run of another generator could have left.
    let stale = dir.join("out").join("cancelwire-build-prost");
    fs::create_dir_all(&stale).unwrap();
    fs::write(stale.join("left.rs"), "pub struct Color {}").unwrap();
    fs::write(
        dir.join("out").join("left.rs"),
        "pub struct Color {} pub struct Color {}",
    )
    .unwrap();
    generate_all(&dir, &["left.proto"]).unwrap();
    let code = read(&dir, "left.rs");
    assert_eq!(code.matches("pub struct Color {").count(), 1, "{code}");
}

#[test]
fn an_unknown_import_is_an_error_naming_the_file() {
    let dir = workspace(
        "unknown-import",
        &[(
            "u.proto",
            r#"syntax = "proto3"; package u; import "not/there.proto"; message M { int32 a = 1; }"#,
        )],
    );
    let err = generate(&dir, "u.proto").unwrap_err();
    assert!(err.contains("not/there.proto"), "{err}");
}

#[test]
fn two_files_defining_one_name_are_an_error_naming_it() {
    let dir = workspace(
        "duplicate",
        &[
            (
                "a.proto",
                r#"syntax = "proto3"; package dup; message Color { int32 a = 1; }"#,
            ),
            (
                "b.proto",
                r#"syntax = "proto3"; package dup; message Color { int32 b = 1; }"#,
            ),
        ],
    );
    let err = generate_all(&dir, &["a.proto", "b.proto"]).unwrap_err();
    assert!(err.contains("Color"), "{err}");
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
