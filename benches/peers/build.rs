//! "Plain prost" peers: our `.proto` files compiled with prost-build's
//! defaults (`Vec<u8>` for bytes, `HashMap` for maps, prost-types for the
//! well-known types), the way most prost users would generate them.
//!
//! The same files (with their imports, the well-known types among them) are
//! also written as a FileDescriptorSet, `peers.fds`, for prost-reflect's
//! descriptor pool.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = "../../cancelwire-build/proto";
    println!("cargo:rerun-if-changed={root}");
    let files = [
        "arrow/flight/protocol/flight.proto",
        "google/longrunning/operations.proto",
        "google/rpc/status.proto",
        "google/rpc/error_details.proto",
    ];
    let mut compiler = protox::Compiler::new([root])?;
    compiler
        .include_source_info(true)
        .include_imports(true)
        .open_files(files)?;
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(
        out_dir.join("peers.fds"),
        compiler.encode_file_descriptor_set(),
    )?;
    prost_build::Config::new().compile_fds(compiler.file_descriptor_set())?;
    Ok(())
}
