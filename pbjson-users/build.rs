//! Generates the crate's types the way many projects do today: prost-build
//! for the structs, pbjson-build for their ProtoJSON serde impls, both told
//! that cancelwire's packages live in cancelwire (`extern_path`), so no
//! message of theirs is generated a second time here.
//!
//! Unlike the usual setup, nothing calls `protoc`: protox compiles the files
//! to a `FileDescriptorSet`, which both generators read.

use prost::Message;
use std::path::PathBuf;

/// cancelwire's packages and the Rust modules that hold their types.
const CANCELWIRE_PACKAGES: &[(&str, &str)] = &[
    (".google.protobuf", "::cancelwire::wkt"),
    (".google.rpc", "::cancelwire::rpc"),
    (".google.longrunning", "::cancelwire::longrunning"),
    (".arrow.flight.protocol", "::cancelwire::flight"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    // Our files, and cancelwire's (the ones `cancelwire-build` bundles) for
    // the imports.
    let own_protos = manifest_dir.join("proto");
    let cancelwire_protos = manifest_dir.join("../cancelwire-build/proto");
    println!("cargo:rerun-if-changed={}", own_protos.display());
    println!("cargo:rerun-if-changed={}", cancelwire_protos.display());

    let files = protox::compile(
        ["acme/jobs/v1/jobs.proto"],
        [&own_protos, &cancelwire_protos],
    )?;
    let encoded = files.encode_to_vec();

    let mut prost = prost_build::Config::new();
    // Without this prost-build maps google.protobuf to prost-types itself
    // and rejects our extern path for it as a duplicate.
    prost.compile_well_known_types();
    for (proto, rust) in CANCELWIRE_PACKAGES {
        prost.extern_path(*proto, *rust);
    }
    prost
        // `prost::Name` with the URLs cancelwire uses, so the messages can
        // be packed into cancelwire's `Any` and put in its registry.
        .enable_type_names()
        .type_name_domain(["."], "type.googleapis.com")
        // Ordered maps: equal messages print and encode the same way, as
        // cancelwire's do. pbjson-build is told the same below.
        .btree_map(["."])
        .compile_fds(files)?;

    let mut pbjson = pbjson_build::Builder::new();
    pbjson.register_descriptors(&encoded)?;
    for (proto, rust) in CANCELWIRE_PACKAGES {
        pbjson.extern_path(*proto, *rust);
    }
    pbjson.btree_map(["."]).build(&[".acme.jobs.v1"])?;
    Ok(())
}
