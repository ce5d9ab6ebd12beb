//! "Plain prost" peers: our `.proto` files compiled with prost-build's
//! defaults (`Vec<u8>` for bytes, `HashMap` for maps, prost-types for the
//! well-known types), the way most prost users would generate them.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = "../../cancelwire-build/proto";
    println!("cargo:rerun-if-changed={root}");
    let files = [
        "arrow/flight/protocol/flight.proto",
        "google/longrunning/operations.proto",
        "google/rpc/status.proto",
        "google/rpc/error_details.proto",
    ];
    let set = protox::compile(files, [root])?;
    prost_build::Config::new().compile_fds(set)?;
    Ok(())
}
