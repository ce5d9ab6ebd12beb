fn main() -> Result<(), Box<dyn std::error::Error>> {
    cancelwire_build::Builder::new()
        .include("proto")
        .compile(&["proto/my/jobs/v1/jobs.proto"])?;
    Ok(())
}
