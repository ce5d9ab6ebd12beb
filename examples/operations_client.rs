//! A client of `google.longrunning.Operations` on cancelwire's gRPC stubs
//! and pollers: lists the operations of `projects/demo`, cancels the first
//! one (and tells whether it was cancelled or completed anyway), follows
//! the second to its end with its progress, and asks for one that does not
//! exist.
//!
//! ```text
//! cargo run --release --features grpc,arrow-flight,rest --example operations_server -- --grpc 127.0.0.1:50051 --http 127.0.0.1:8080
//! cargo run --release --features client --example operations_client -- http://127.0.0.1:50051
//! ```

use cancelwire::client::{CancelOutcome, Operations, PollOptions, PollingResult, Watch};
use cancelwire::longrunning::ListOperationsRequest;
use cancelwire::longrunning::operations_client::OperationsClient;
use cancelwire::wkt::{DoubleValue, Timestamp};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:50051".into());
    let channel = tonic::transport::Endpoint::from_shared(endpoint)?
        .connect()
        .await?;
    let mut grpc = OperationsClient::new(channel);

    let list = ListOperationsRequest {
        name: "projects/demo".into(),
        ..Default::default()
    };
    let operations = grpc.list_operations(list).await?.into_inner().operations;
    for operation in &operations {
        println!("{} done={}", operation.name, operation.done);
    }
    let [first, second, ..] = operations.as_slice() else {
        return Err("the server needs --seed 2 or more".into());
    };

    // The example server's operations: a Timestamp response, a DoubleValue
    // progress as metadata. WaitOperation is used while the server has it.
    let options = PollOptions::default().with_deadline(Duration::from_secs(120));
    let client = Operations::new(grpc).with_options(options);

    let mut cancelled = client.resume::<Timestamp, DoubleValue>(first.name.clone());
    match cancelled.cancel().await? {
        CancelOutcome::Cancelled => println!("{}: cancelled", first.name),
        CancelOutcome::Completed(at) => println!("{}: completed anyway at {at}", first.name),
        other => println!("{}: {other:?}", first.name),
    }

    let mut poller = client.resume::<Timestamp, DoubleValue>(second.name.clone());
    while let Some(step) = poller.poll().await {
        match step {
            PollingResult::InProgress(progress) => println!(
                "{}: {:.0}%",
                second.name,
                100.0 * progress.map_or(0.0, |p| p.value)
            ),
            PollingResult::PollingError(error) => println!("{}: retrying: {error}", second.name),
            PollingResult::Completed(Ok(at)) => println!("{} succeeded at {at}", second.name),
            PollingResult::Completed(Err(error)) => println!("{} ended: {error}", second.name),
        }
    }

    // Errors arrive typed, with the original code.
    let missing = client
        .resume::<Timestamp, DoubleValue>("projects/demo/operations/nope")
        .until_done()
        .await;
    if let Err(error) = missing {
        println!("missing operation: {} ({error})", error.code());
    }
    Ok(())
}
