//! An Arrow Flight client on cancelwire's pollers: it polls a query to
//! completion with `FlightQueries::poll` (PollFlightInfo, or GetFlightInfo
//! where the server has no PollFlightInfo), renews an endpoint with the
//! `FlightAction` helpers over `arrow-flight`'s generated gRPC client,
//! then cancels: the finished query (not cancellable), and a second one
//! while it runs, through its poller and once more with the canceller.
//!
//! ```sh
//! cargo run --release --example flight_server -- --addr 127.0.0.1:50051 &
//! cargo run --release --features arrow-flight,client --example flight_client -- --addr 127.0.0.1:50051
//! ```
//!
//! It prints one line per step. Every request is bounded by a ten-second
//! timeout, and the whole run by a one-minute deadline.

use std::error::Error;
use std::time::Duration;

use arrow_flight::flight_service_client::FlightServiceClient;
use cancelwire::client::{
    FlightGrpc, FlightQueries, PollOptions, PollingBackoff, PollingResult, Watch,
};
use cancelwire::flight::{FlightAction, FlightDescriptor, FlightInfo, RenewFlightEndpointRequest};
use futures::StreamExt;
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
    let mut client = FlightServiceClient::new(channel.clone());

    let mut listed = Vec::new();
    let mut actions = client
        .list_actions(arrow_flight::Empty {})
        .await?
        .into_inner();
    while let Some(action_type) = actions.message().await? {
        listed.push(action_type.r#type);
    }
    println!("actions: {}", listed.join(", "));

    // Poll the query to completion: the poller waits 100 ms, then 200 ms,
    // ... between polls, checks every answer against Flight's promises,
    // and retries UNAVAILABLE.
    let options = PollOptions::default()
        .with_polling(PollingBackoff::new(
            Duration::from_millis(100),
            Duration::from_secs(2),
            2.0,
        )?)
        .with_call_timeout(Some(Duration::from_secs(10)))
        .with_deadline(Duration::from_secs(60));
    let flights = FlightQueries::new(FlightGrpc::new(channel)).with_options(options);
    let mut steps = flights
        .poll(FlightDescriptor::command("SELECT value FROM numbers"))
        .into_stream();
    let mut info = None;
    while let Some(step) = steps.next().await {
        match step {
            PollingResult::InProgress(Some(poll)) => println!(
                "progress: {:.2} ({} endpoints)",
                poll.progress.unwrap_or_default(),
                poll.info.map_or(0, |info| info.endpoint.len())
            ),
            PollingResult::InProgress(None) => println!("progress: unknown"),
            PollingResult::PollingError(error) => println!("retrying: {error}"),
            PollingResult::Completed(outcome) => info = Some(outcome?),
        }
    }
    let info = info.ok_or("the poller ended without an outcome")?;
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

    // A finished query cannot be cancelled any more.
    let canceller = flights.canceller();
    println!(
        "cancel the finished query: {:?}",
        canceller.cancel(info).await?
    );

    // A running one can: one poll, then cancel through the poller.
    let mut running = flights.poll(FlightDescriptor::command("SELECT 2"));
    if let Some(PollingResult::Completed(outcome)) = running.poll().await {
        return Err(format!("the second query ended at once: {outcome:?}").into());
    }
    let latest = running
        .latest()
        .and_then(|poll| poll.info.clone())
        .ok_or("no FlightInfo")?;
    println!("cancel a running query: {:?}", running.cancel().await?);
    println!("cancel it again: {:?}", canceller.cancel(latest).await?);
    Ok(())
}
