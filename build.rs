//! Compiles `proto/` with protox (pure Rust, no `protoc`) and generates the
//! prost types into `OUT_DIR`.
//!
//! What the generated code looks like is decided here:
//! - every `bytes` field is `bytes::Bytes`, so decoding from a `Bytes` buffer
//!   slices it instead of copying;
//! - every map is a `BTreeMap`, so entries are encoded in key order and equal
//!   messages always give equal bytes;
//! - every message implements `prost::Name` with `type.googleapis.com` URLs;
//! - the open enums (`CancelStatus`, `DescriptorType`, `google.rpc.Code`) are
//!   hand-written newtypes over `i32` in `src/`, so prost does not generate
//!   them, and the fields that carry them stay plain `int32` fields. That
//!   keeps every number the wire carries and leaves the typed getters to us.

use std::path::{Path, PathBuf};
use std::{env, fs};

const PROTO_ROOT: &str = "proto";

/// Enums whose Rust type is a hand-written open newtype, by full proto name.
const OPEN_ENUMS: &[(&str, &str)] = &[
    (
        ".arrow.flight.protocol.CancelStatus",
        "crate::flight::CancelStatus",
    ),
    (
        ".arrow.flight.protocol.FlightDescriptor.DescriptorType",
        "crate::flight::DescriptorType",
    ),
    (".google.rpc.Code", "crate::rpc::Code"),
];

fn main() {
    if let Err(message) = run() {
        eprintln!("cancelwire build failed: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    println!("cargo:rerun-if-changed={PROTO_ROOT}");
    let out_dir = PathBuf::from(env::var("OUT_DIR").map_err(|e| e.to_string())?);

    let mut files = Vec::new();
    collect_protos(Path::new(PROTO_ROOT), &mut files)?;
    files.sort();
    let relative: Vec<PathBuf> = files
        .iter()
        .map(|f| f.strip_prefix(PROTO_ROOT).unwrap_or(f).to_path_buf())
        .collect();

    let mut compiler = protox::Compiler::new([PROTO_ROOT]).map_err(|e| e.to_string())?;
    compiler.include_imports(true).include_source_info(true);
    compiler
        .open_files(&relative)
        .map_err(|e| format!("{e:?}"))?;
    let mut with_comments = compiler.file_descriptor_set();
    // descriptor.proto is only imported for the `operation_info` option; its
    // types are not part of this crate.
    with_comments
        .file
        .retain(|file| file.name() != "google/protobuf/descriptor.proto");

    // The exported set carries no source info: smaller, and comments are not
    // part of the wire contract.
    compiler.include_source_info(false);
    let exported = prost::Message::encode_to_vec(&compiler.file_descriptor_set());
    fs::write(out_dir.join("file_descriptor_set.bin"), exported).map_err(|e| e.to_string())?;

    let mut config = prost_build::Config::new();
    config
        .bytes(["."])
        .btree_map(["."])
        .compile_well_known_types()
        .enable_type_names()
        .type_name_domain(["."], "type.googleapis.com")
        .include_file("packages.rs")
        .out_dir(&out_dir);
    for (proto, rust) in OPEN_ENUMS {
        config.extern_path(*proto, *rust);
    }
    let message_list = message_list(&with_comments)?;
    fs::write(out_dir.join("message_types.rs"), message_list).map_err(|e| e.to_string())?;
    config
        .compile_fds(with_comments)
        .map_err(|e| e.to_string())?;

    for entry in fs::read_dir(&out_dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|ext| ext == "rs") {
            open_enum_fields_as_int32(&path)?;
        }
    }
    Ok(())
}

/// Writes `for_each_message!`, which hands every message of the crate (not
/// map entries) to a callback macro as `"full.name" => rust::Path`, so the
/// registry and the tests never keep a second, hand-written list.
fn message_list(set: &prost_types::FileDescriptorSet) -> Result<String, String> {
    fn visit(
        module: &str,
        proto_prefix: &str,
        message: &prost_types::DescriptorProto,
        out: &mut Vec<String>,
    ) {
        if message.options.as_ref().is_some_and(|o| o.map_entry()) {
            return;
        }
        let full = format!("{proto_prefix}.{}", message.name());
        out.push(format!(
            "        \"{full}\" => {module}::{},",
            message.name()
        ));
        let nested_module = format!("{module}::{}", snake_case(message.name()));
        for nested in &message.nested_type {
            visit(&nested_module, &full, nested, out);
        }
    }

    let mut entries = Vec::new();
    for file in &set.file {
        let module = match file.package() {
            "arrow.flight.protocol" => "crate::flight",
            "google.longrunning" => "crate::longrunning",
            "google.rpc" => "crate::rpc",
            "google.protobuf" => "crate::wkt",
            other => return Err(format!("no Rust module for package {other}")),
        };
        for message in &file.message_type {
            visit(module, file.package(), message, &mut entries);
        }
    }
    Ok(format!(
        "/// Calls `$callback!` with every message of the crate.\n\
         macro_rules! for_each_message {{\n    ($callback:ident) => {{ $callback! {{\n{}\n    }} }};\n}}\n",
        entries.join("\n")
    ))
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn collect_protos(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_protos(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "proto") {
            out.push(path);
        }
    }
    Ok(())
}

/// prost marks enum fields `enumeration = "Path"` and derives getters that
/// turn unknown numbers into the default. For our open enums the field is
/// encoded exactly like `int32`, so we say so and write lossless getters by
/// hand.
fn open_enum_fields_as_int32(path: &Path) -> Result<(), String> {
    let code = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut patched = code.clone();
    for (_, rust) in OPEN_ENUMS {
        patched = patched.replace(&format!("enumeration = \"{rust}\""), "int32");
    }
    if patched != code {
        fs::write(path, patched).map_err(|e| e.to_string())?;
    }
    Ok(())
}
