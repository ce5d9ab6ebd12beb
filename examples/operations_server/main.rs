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
//! Connections are timed as a server on the network should time them (see
//! `net.rs`): an HTTP/1 client has `--header-timeout SECONDS` (default 10)
//! to send a request's headers, any connection silent both ways for
//! `--idle-timeout SECONDS` (default 120, longer than the longest
//! WaitOperation) is closed, and both accept loops wait out a lack of file
//! descriptors (logging it) instead of spinning or stopping.
//!
//! `--flight URI` also fronts the Arrow Flight server at URI (such as
//! `examples/flight_server`) over gRPC: GetOperation on
//! `projects/demo/operations/flight-{cmd}` polls the query `{cmd}` with
//! PollFlightInfo, and CancelOperation cancels it (see `flight_gateway.rs`).

mod flight_gateway;
mod grpc;
mod net;
mod store;

use cancelwire::longrunning::rest::{Bindings, RestService};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
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
    header_timeout: Duration,
    idle_timeout: Duration,
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

/// A duration given in (possibly fractional) seconds.
fn seconds(value: &str) -> Result<Duration, String> {
    let seconds: f64 = value.parse().map_err(|e| format!("{e}"))?;
    Duration::try_from_secs_f64(seconds).map_err(|e| e.to_string())
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        grpc: SocketAddr::from(([127, 0, 0, 1], 0)),
        http: SocketAddr::from(([127, 0, 0, 1], 0)),
        seed: 3,
        run_for: Duration::from_secs(30),
        name_pattern: "**/operations/*".to_owned(),
        flight: None,
        header_timeout: net::DEFAULT_HEADER_READ,
        idle_timeout: net::DEFAULT_IDLE,
    };
    let mut argv = std::env::args().skip(1);
    while let Some(flag) = argv.next() {
        let value = argv.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--grpc" => args.grpc = value.parse().map_err(|e| bad(&e))?,
            "--http" => args.http = value.parse().map_err(|e| bad(&e))?,
            "--seed" => args.seed = value.parse().map_err(|e| bad(&e))?,
            "--run-for" => args.run_for = seconds(&value).map_err(|e| bad(&e))?,
            "--header-timeout" => args.header_timeout = seconds(&value).map_err(|e| bad(&e))?,
            "--idle-timeout" => args.idle_timeout = seconds(&value).map_err(|e| bad(&e))?,
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
             [--name-pattern PATTERN] [--flight URI] [--header-timeout SECONDS] \
             [--idle-timeout SECONDS]"
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
        let incoming = net::Acceptor::new(grpc_listener, args.idle_timeout, "grpc");
        tonic::transport::Server::builder()
            // Pings find peers that vanished without closing.
            .http2_keepalive_interval(Some(Duration::from_secs(30)))
            .http2_keepalive_timeout(Some(Duration::from_secs(10)))
            .add_service(grpc::service(store.clone(), flight))
            .serve_with_incoming_shutdown(incoming, async move {
                let _ = stop.wait_for(|stopped| *stopped).await;
            })
    });
    let http_acceptor = net::Acceptor::new(http_listener, args.idle_timeout, "http");
    let http = tokio::spawn(serve_http(
        http_acceptor,
        args.header_timeout,
        rest,
        stop_rx,
    ));

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
    mut acceptor: net::Acceptor,
    header_timeout: Duration,
    rest: RestService<grpc::GrpcOperations>,
    mut stop: watch::Receiver<bool>,
) {
    let mut http = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    // hyper applies the header-read timeout only with a timer.
    http.http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    http.http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Duration::from_secs(30))
        .keep_alive_timeout(Duration::from_secs(10));
    let http = Arc::new(http);
    loop {
        let stream = tokio::select! {
            stream = acceptor.accept() => stream,
            _ = stop.wait_for(|stopped| *stopped) => return,
        };
        let rest = rest.clone();
        let http = http.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| rest.clone().call(request));
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
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
