fn main() -> Result<(), Box<dyn std::error::Error>> {
    cancelwire_build::Builder::new()
        .include("proto")
        .compile(&[
            "proto/conformance/conformance.proto",
            "proto/conformance/messages/test_messages_proto3.proto",
        ])?;
    Ok(())
}
