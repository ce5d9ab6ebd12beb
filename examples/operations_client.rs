//! A client of `google.longrunning.Operations` on cancelwire's gRPC stubs:
//! lists the operations of `projects/demo`, cancels the first one, and waits
//! for the second to finish.
//!
//! ```text
//! cargo run --release --features grpc --example operations_server -- --grpc 127.0.0.1:50051 --http 127.0.0.1:8080
//! cargo run --release --features grpc --example operations_client -- http://127.0.0.1:50051
//! ```

use cancelwire::longrunning::operations_client::OperationsClient;
use cancelwire::longrunning::{
    CancelOperationRequest, GetOperationRequest, ListOperationsRequest, OperationState,
    WaitOperationRequest,
};
use cancelwire::rpc::Status;
use cancelwire::wkt::{Duration, Timestamp};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:50051".into());
    let channel = tonic::transport::Endpoint::from_shared(endpoint)?
        .connect()
        .await?;
    let mut client = OperationsClient::new(channel);

    let list = ListOperationsRequest {
        name: "projects/demo".into(),
        ..Default::default()
    };
    let operations = client.list_operations(list).await?.into_inner().operations;
    for operation in &operations {
        println!("{} done={}", operation.name, operation.done);
    }
    let [first, second, ..] = operations.as_slice() else {
        return Err("the server needs --seed 2 or more".into());
    };

    client
        .cancel_operation(CancelOperationRequest {
            name: first.name.clone(),
            ..Default::default()
        })
        .await?;
    let cancelled = client
        .get_operation(GetOperationRequest {
            name: first.name.clone(),
            ..Default::default()
        })
        .await?
        .into_inner();
    println!("after cancel: {:?}", cancelled.state()?);

    let wait = WaitOperationRequest {
        name: second.name.clone(),
        timeout: Some(Duration {
            seconds: 60,
            nanos: 0,
            ..Default::default()
        }),
        ..Default::default()
    };
    let finished = client.wait_operation(wait).await?.into_inner();
    match finished.state()? {
        OperationState::Succeeded(_) => {
            let at: Option<Timestamp> = finished.response_as()?;
            println!(
                "{} succeeded at {}",
                finished.name,
                cancelwire::json::to_string(&at.unwrap_or_default())?
            );
        }
        other => println!("{} ended as {other:?}", finished.name),
    }

    // Errors arrive as google.rpc.Status, with the original code.
    let missing = client
        .get_operation(GetOperationRequest {
            name: "projects/demo/operations/nope".into(),
            ..Default::default()
        })
        .await;
    if let Err(status) = missing {
        println!("missing operation: {}", Status::try_from(status)?);
    }
    Ok(())
}
