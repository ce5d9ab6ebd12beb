//! An Arrow Flight client that cancels a query and renews an endpoint with
//! cancelwire's `FlightAction` helpers, over `arrow-flight`'s generated
//! gRPC client.
//!
//! ```sh
//! cargo run --release --example flight_server -- --addr 127.0.0.1:50051 &
//! cargo run --release --example flight_client -- --addr 127.0.0.1:50051
//! ```
//!
//! It lists the server's actions, starts a query with GetFlightInfo, renews
//! its first endpoint, then cancels the query twice, printing one line per
//! step. Every request is bounded by a ten-second timeout.

use std::error::Error;
use std::time::Duration;

use arrow_flight::flight_service_client::FlightServiceClient;
use cancelwire::flight::{
    CancelFlightInfoRequest, DescriptorType, FlightAction, FlightDescriptor, FlightInfo,
    RenewFlightEndpointRequest,
};
use tonic::transport::{Channel, Endpoint};

/// Sends `request` as a DoAction call and reads its one `Result`.
///
/// Nothing here is specific to one action: the `FlightAction` trait gives
/// the `Action.type`, the body encoding and the response type.
async fn call<A: FlightAction>(
    client: &mut FlightServiceClient<Channel>,
    request: &A,
) -> Result<A::Response, Box<dyn Error>> {
    let action: arrow_flight::Action = request.to_action().into();
    let mut results = client.do_action(action).await?.into_inner();
    let result = results
        .message()
        .await?
        .ok_or_else(|| format!("{} answered no Result", A::TYPE))?;
    if results.message().await?.is_some() {
        return Err(format!("{} answered more than one Result", A::TYPE).into());
    }
    Ok(A::response_from_result(&result.into())?)
}

fn tickets(info: &FlightInfo) -> String {
    let names: Vec<String> = info
        .endpoint
        .iter()
        .filter_map(|endpoint| endpoint.ticket.as_ref())
        .map(|ticket| String::from_utf8_lossy(&ticket.ticket).into_owned())
        .collect();
    names.join(" ")
}

fn parse_args() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let mut addr = "127.0.0.1:50051".to_owned();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().ok_or("--addr needs a value")?,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(addr)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let addr = parse_args().unwrap_or_else(|error| {
        eprintln!("flight_client: {error}\nusage: flight_client [--addr HOST:PORT]");
        std::process::exit(2);
    });
    let channel = Endpoint::from_shared(format!("http://{addr}"))?
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(10))
        .connect()
        .await?;
    let mut client = FlightServiceClient::new(channel);

    let mut listed = Vec::new();
    let mut actions = client
        .list_actions(arrow_flight::Empty {})
        .await?
        .into_inner();
    while let Some(action_type) = actions.message().await? {
        listed.push(action_type.r#type);
    }
    println!("actions: {}", listed.join(", "));

    let mut descriptor = FlightDescriptor {
        cmd: "SELECT 1".into(),
        ..Default::default()
    };
    descriptor.set_descriptor_type(DescriptorType::CMD);
    let info: FlightInfo = client
        .get_flight_info(arrow_flight::FlightDescriptor::from(descriptor))
        .await?
        .into_inner()
        .into();
    println!("flight info: tickets {}", tickets(&info));

    let endpoint = info.endpoint.first().cloned().ok_or("no endpoint")?;
    let before = endpoint.expiration_time.clone().unwrap_or_default();
    let renewed = call(
        &mut client,
        &RenewFlightEndpointRequest {
            endpoint: Some(endpoint),
            ..Default::default()
        },
    )
    .await?;
    let after = renewed.expiration_time.unwrap_or_default();
    println!("renewed: expiration {before} -> {after}");

    let request = CancelFlightInfoRequest {
        info: Some(info),
        ..Default::default()
    };
    for attempt in ["cancel", "cancel again"] {
        let status = call(&mut client, &request).await?.status();
        let settled = if status.is_final() {
            "final"
        } else {
            "may retry"
        };
        println!("{attempt}: {status} ({settled})");
    }
    Ok(())
}
