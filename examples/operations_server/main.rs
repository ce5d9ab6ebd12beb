//! An in-memory `google.longrunning.Operations` service on cancelwire's
//! types, served over gRPC (tonic, with the stubs of the `grpc` feature) and
//! over REST with canonical JSON (`cancelwire::longrunning::rest`'s
//! `RestService` in front of the same tonic service), from one store.
//!
//! ```text
//! cargo run --release --features grpc,arrow-flight,rest --example operations_server -- \
//!     --grpc 127.0.0.1:50051 --http 127.0.0.1:8080 --seed 3 --run-for 30 \
//!     --name-pattern 'projects/*/databases/*/operations/*'
//! ```
//!
//! `--name-pattern PATTERN` is the AIP-127 pattern of the operation names,
//! `PARENT/COLLECTION/*`; the REST bindings are those of
//! `Bindings::for_name_pattern(PATTERN)` plus this crate's opt-in
//! `POST .../{name}:wait`. The default, `**/operations/*`, gives
//! google-api-core's default bindings (`GET /v1/{name=**}/operations`,
//! `GET|DELETE /v1/{name=**/operations/*}`, `POST ...:cancel`).
//!
//! `--seed N` creates `PARENT/COLLECTION/op-1` ... `op-N`, where each `*` of
//! the parent is `demo` and a `**` is `projects/demo` (so the default gives
//! `projects/demo/operations/op-1`, and Firestore's pattern
//! `projects/demo/databases/demo/operations/op-1`); each one reports its
//! progress as metadata and completes after `--run-for` seconds unless
//! cancelled. Port 0 picks a free port; the line
//! `listening grpc=ADDR http=ADDR` says which, once both accept connections.
//! SIGTERM or Ctrl-C stops the server cleanly.
//!
//! `--flight URI` also fronts the Arrow Flight server at URI (such as
//! `examples/flight_server`) over gRPC: GetOperation on
//! `projects/demo/operations/flight-{cmd}` polls the query `{cmd}` with
//! PollFlightInfo, and CancelOperation cancels it (see `flight_gateway.rs`).

mod flight_gateway;
mod grpc;
mod store;

use cancelwire::longrunning::rest::{Bindings, RestService};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic::codegen::Service;

struct Args {
    grpc: SocketAddr,
    http: SocketAddr,
    seed: usize,
    run_for: Duration,
    name_pattern: String,
    flight: Option<String>,
}

/// The parent and collection of the seeded operations for a name pattern
/// `PARENT/COLLECTION/*`: each `*` of the parent is `demo`, a `**` is
/// `projects/demo`.
fn seed_parent(pattern: &str) -> Result<(String, String), String> {
    let segments: Vec<&str> = pattern.split('/').collect();
    let Some((_, rest)) = segments.split_last() else {
        return Err(format!("name pattern `{pattern}` is empty"));
    };
    let Some((collection, parent)) = rest.split_last() else {
        return Err(format!("name pattern `{pattern}` has no collection"));
    };
    let parent: Vec<&str> = parent
        .iter()
        .map(|segment| match *segment {
            "*" => "demo",
            "**" => "projects/demo",
            literal => literal,
        })
        .collect();
    Ok((parent.join("/"), (*collection).to_owned()))
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        grpc: SocketAddr::from(([127, 0, 0, 1], 0)),
        http: SocketAddr::from(([127, 0, 0, 1], 0)),
        seed: 3,
        run_for: Duration::from_secs(30),
        name_pattern: "**/operations/*".to_owned(),
        flight: None,
    };
    let mut argv = std::env::args().skip(1);
    while let Some(flag) = argv.next() {
        let value = argv.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--grpc" => args.grpc = value.parse().map_err(|e| bad(&e))?,
            "--http" => args.http = value.parse().map_err(|e| bad(&e))?,
            "--seed" => args.seed = value.parse().map_err(|e| bad(&e))?,
            "--run-for" => {
                let seconds: f64 = value.parse().map_err(|e| bad(&e))?;
                args.run_for = Duration::try_from_secs_f64(seconds).map_err(|e| bad(&e))?;
            }
            "--name-pattern" => args.name_pattern = value,
            "--flight" => args.flight = Some(value),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args().map_err(|e| {
        format!(
            "{e}\nusage: operations_server --grpc ADDR --http ADDR --seed N --run-for SECONDS \
             [--name-pattern PATTERN] [--flight URI]"
        )
    })?;
    let bindings = Bindings::for_name_pattern(&args.name_pattern)?.with_wait();
    let (parent, collection) = seed_parent(&args.name_pattern)?;
    let store = Arc::new(store::Store::seeded(
        &parent,
        &collection,
        args.seed,
        args.run_for,
    ));
    let flight = match &args.flight {
        Some(uri) => Some(Arc::new(flight_gateway::FlightGateway::new(uri)?)),
        None => None,
    };
    // REST in front of the very service gRPC serves.
    let rest = RestService::new(
        grpc::GrpcOperations(store.clone(), flight.clone()),
        bindings,
    );
    let grpc_listener = TcpListener::bind(args.grpc).await?;
    let http_listener = TcpListener::bind(args.http).await?;
    let (grpc_addr, http_addr) = (grpc_listener.local_addr()?, http_listener.local_addr()?);

    let (stop_tx, stop_rx) = watch::channel(false);
    let grpc = tokio::spawn({
        let mut stop = stop_rx.clone();
        let incoming = tonic::transport::server::TcpIncoming::from(grpc_listener);
        tonic::transport::Server::builder()
            .add_service(grpc::service(store.clone(), flight))
            .serve_with_incoming_shutdown(incoming, async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            })
    });
    let http = tokio::spawn(serve_http(http_listener, rest, stop_rx));

    println!("listening grpc={grpc_addr} http={http_addr}");
    std::io::stdout().flush()?;

    shutdown_signal().await;
    let _ = stop_tx.send(true);
    grpc.await??;
    http.await?;
    Ok(())
}

/// Serves REST until `stop` turns true; connections in flight are dropped.
async fn serve_http(
    listener: TcpListener,
    rest: RestService<grpc::GrpcOperations>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.wait_for(|stopped| *stopped) => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let rest = rest.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| rest.clone().call(request));
            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
