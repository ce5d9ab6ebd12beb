fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Only the files whose types the crate wants are listed; the packages
    // they import (`my.type.v1`, `my.api.v1`) are generated as needed.
    cancelwire_build::Builder::new()
        .include("proto")
        .include_file("protos.rs")
        .compile(&[
            "proto/my/jobs/v1/jobs.proto",
            "proto/my/layout/v1/layout.proto",
            "proto/arrow/flight/protocol/sql/flight_sql.proto",
        ])?;
    Ok(())
}
