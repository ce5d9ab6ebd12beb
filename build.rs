//! Generates the crate's prost types, open enums and ProtoJSON impls from
//! the `.proto` files bundled in `cancelwire-build` (the generator users
//! call from their own build scripts), one package at a time: each
//! package's code is included by its own module and names the others by
//! their modules (`crate::wkt::Any`).

use std::path::PathBuf;
use std::{env, fs};

// The well-known types whose ProtoJSON is not an object of their fields;
// the JSON runtime reads the same list.
#[path = "src/json/special_forms.rs"]
mod special_forms;

/// Messages whose prost encoding would differ from the reference's, so
/// their structs and `prost::Message` impls are written by hand in `src/`
/// (their JSON is generated unless it is a special form):
/// - the messages with maps: prost leaves a default key or value out of a
///   map entry, the reference always writes both.
const HAND_WRITTEN_MESSAGES: &[(&str, &str)] = &[
    (".google.protobuf.Struct", "crate::wkt::Struct"),
    (".google.rpc.ErrorInfo", "crate::rpc::ErrorInfo"),
    (".google.rpc.QuotaFailure", "crate::rpc::QuotaFailure"),
];

fn main() {
    if let Err(message) = run() {
        eprintln!("cancelwire build failed: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/json/special_forms.rs");
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let files: Vec<&str> = cancelwire_build::bundled_files().collect();
    let mut messages = Vec::new();
    for (package, module) in cancelwire_build::CANCELWIRE_PACKAGES {
        let mut builder = cancelwire_build::Builder::new()
            .runtime_path("crate")
            .generate_cancelwire_package(package)
            .runtime_docs(package, &format!("cancelwire::{module}"))
            .json_by_hand(special_forms::SPECIAL_JSON_TYPES)
            // The JSON impls are included by `json`, so that the packages
            // do not depend on the module that depends on them.
            .json_beside(format!("crate::{module}"));
        for (proto, rust) in HAND_WRITTEN_MESSAGES {
            builder = builder.hand_written_message(*proto, *rust);
        }
        if *package == "google.protobuf" {
            // Every package sees the same files; write the set once.
            builder = builder.file_descriptor_set_path(out_dir.join("file_descriptor_set.bin"));
        }
        // With `grpc`, the Operations service also gets tonic client and
        // server stubs, in the same module as (and typed by) our messages.
        #[cfg(feature = "grpc")]
        {
            builder = builder.grpc(*package == "google.longrunning");
        }
        let generated = builder.compile(&files)?;
        messages.extend(generated.messages().iter().map(|m| {
            format!(
                "        \"{}\" => crate::{module}::{},",
                m.full_name, m.rust_path
            )
        }));
    }
    // `for_each_message!` hands every message of the crate (not map
    // entries) to a callback macro as `"full.name" => rust::Path`, so the
    // registry and the tests never keep a second, hand-written list.
    fs::write(
        out_dir.join("message_types.rs"),
        format!(
            "/// Calls `$callback!` with every message of the crate.\n\
             macro_rules! for_each_message {{\n    ($callback:ident) => {{ $callback! {{\n{}\n    }} }};\n}}\n",
            messages.join("\n")
        ),
    )?;
    Ok(())
}
