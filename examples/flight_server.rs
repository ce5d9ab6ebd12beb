//! An Arrow Flight server, built on the `arrow-flight` crate, that speaks the
//! cancellation protocol with cancelwire's types.
//!
//! ```sh
//! cargo run --release --example flight_server -- --addr 127.0.0.1:50051
//! ```
//!
//! It prints `listening addr=ADDR` on stdout once the socket is bound (with
//! port 0 the port the system chose) and stops cleanly on SIGTERM or ctrl-c.
//!
//! What it does:
//! - GetFlightInfo starts a query for any valid descriptor and answers a
//!   FlightInfo with two endpoints, whose tickets (`query-N/0`, `query-N/1`)
//!   name the query, and which expire a minute later. A `CMD` descriptor
//!   runs a query until it is cancelled; a `PATH` descriptor names a
//!   dataset that is already there, so there is nothing to cancel.
//! - DoAction `CancelFlightInfo` answers, as Flight.proto says: `CANCELLED`
//!   for a running query, and again `CANCELLED` for one already cancelled;
//!   `NOT_CANCELLABLE` for a `PATH` dataset; the error NOT_FOUND for tickets
//!   of no query (never `UNSPECIFIED`).
//! - DoAction `RenewFlightEndpoint` answers the endpoint with an
//!   `expiration_time` a minute from now, and always later than before;
//!   FAILED_PRECONDITION once the query was cancelled, NOT_FOUND for a
//!   ticket of no query.
//! - A body that does not decode or breaks a rule of `cancelwire::validate`
//!   is INVALID_ARGUMENT with cancelwire's message; another action type is
//!   UNIMPLEMENTED. ListActions lists the two actions.
//! - PollFlightInfo with a `CMD` descriptor starts a query that grows by one
//!   endpoint per poll: the first `PollInfo` has one endpoint and the
//!   descriptor `poll/query-N` to poll again with, each poll with it adds
//!   the next endpoint, and the fourth completes the query (no descriptor,
//!   progress 1.0). Each answer is built from the one before with
//!   `cancelwire::poll`'s helpers, so endpoints are only ever appended.
//!   Polling a cancelled query is the error CANCELLED; a complete one
//!   answers its last `PollInfo` again; a `PATH` dataset is complete at once.
//!
//! It remembers at most `MAX_QUERIES` queries: past that, the cancelled and
//! complete ones go first, then the oldest running; a ticket of a query
//! forgotten so is NOT_FOUND, like one never handed out. Error messages
//! quote at most `QUOTE_LIMIT` characters of what the client sent.
//! Connections are accepted and timed as in `operations_server` (its
//! `net.rs`): silent ones are closed after `--idle-timeout SECONDS`
//! (default 120), and running out of file descriptors pauses accepting
//! instead of spinning.
//!
//! The action bodies are read and written with `cancelwire::flight::FlightAction`;
//! the `From` conversions of the `arrow-flight` integration move messages
//! between cancelwire's types and the ones `arrow-flight`'s service trait
//! wants. `tests/peers/flight_interop.rs` and `tests/interop/pyarrow_flight.py`
//! run this binary against the `arrow-flight` client and Arrow C++ (pyarrow).

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use arrow_flight::flight_service_server::{FlightService, FlightServiceServer};
use arrow_schema::{DataType, Field, Schema};
use bytes::Bytes;
use cancelwire::flight::{
    CANCEL_FLIGHT_INFO, CancelFlightInfoRequest, CancelFlightInfoResult, CancelStatus,
    DescriptorType, FlightAction, FlightDescriptor, FlightEndpoint, FlightInfo, Location, PollInfo,
    RENEW_FLIGHT_ENDPOINT, RenewFlightEndpointRequest, Ticket, cancellation_action_types,
};
use cancelwire::validate::Validate;
use cancelwire::wkt::Timestamp;
use futures::Stream;
use tonic::{Request, Response, Status, Streaming};

// Shared with operations_server, whose HTTP side also uses the parts this
// server does not (`Acceptor::accept`, the header-read timeout).
#[allow(dead_code)]
#[path = "operations_server/net.rs"]
mod net;

/// The most queries remembered at once.
const MAX_QUERIES: usize = 1024;

/// The most characters of a client's text an error message quotes.
const QUOTE_LIMIT: usize = 128;

/// `text` quoted for an error message, cut to [`QUOTE_LIMIT`] characters.
fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        None => format!("{text:?}"),
        Some((cut, _)) => {
            let kept = text.get(..cut).unwrap_or_default();
            format!("{kept:?}... ({} bytes)", text.len())
        }
    }
}

/// Makes room for one more query in `queries`, which holds `MAX_QUERIES`
/// or more: drops a quarter, the finished ones (cancelled or complete)
/// first, then the oldest (ids grow with time).
fn evict(queries: &mut HashMap<u64, Query>) {
    let mut order: Vec<(bool, u64)> = queries
        .iter()
        .map(|(id, query)| (query.state == QueryState::Running, *id))
        .collect();
    order.sort_unstable();
    let keep = MAX_QUERIES - MAX_QUERIES / 4;
    let drop = queries.len().saturating_sub(keep);
    for (_, id) in order.into_iter().take(drop) {
        queries.remove(&id);
    }
}

/// How long an endpoint stays valid after GetFlightInfo or a renewal.
const ENDPOINT_LIFETIME: Duration = Duration::from_secs(60);

/// Endpoints per FlightInfo: more than one, so that cancelling by any of
/// them is tested.
const ENDPOINTS: u64 = 2;

/// Polls until a polled query is complete; it then has this many endpoints
/// (at least `ENDPOINTS`, the bound of a ticket's index).
const POLL_STEPS: u64 = 4;

/// The command prefix of the descriptors this server hands out to poll again.
const POLL_PREFIX: &str = "poll/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QueryState {
    /// A `CMD` query: runs until cancelled.
    Running,
    /// Cancelled by a CancelFlightInfo action.
    Cancelled,
    /// A `PATH` dataset: there is no work to cancel.
    Complete,
}

#[derive(Debug)]
struct Query {
    state: QueryState,
    /// When the query's endpoints expire; renewals move it later.
    expires: Timestamp,
    /// The last answer to PollFlightInfo, for a query started by it.
    poll: Option<PollInfo>,
}

#[derive(Debug)]
struct CancellableFlights {
    /// `grpc+tcp://ADDR`, the location of every endpoint.
    location: String,
    next_id: AtomicU64,
    queries: Mutex<HashMap<u64, Query>>,
}

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// `time` as a protobuf Timestamp; only a clock past the year 9999 fails.
fn timestamp(time: SystemTime) -> Result<Timestamp, Status> {
    Timestamp::try_from(time).map_err(|error| Status::internal(error.to_string()))
}

/// INVALID_ARGUMENT with every violation of `message`, if it has any.
fn check<M: Validate>(message: &M) -> Result<(), Status> {
    message.validate().map_err(|violations| {
        let lines: Vec<String> = violations.into_iter().map(|v| v.to_string()).collect();
        Status::invalid_argument(lines.join("; "))
    })
}

/// The query a ticket of ours names: `query-N/I` with I an endpoint index.
fn query_id(ticket: &Ticket) -> Option<u64> {
    let text = std::str::from_utf8(&ticket.ticket).ok()?;
    let (id, index) = text.strip_prefix("query-")?.split_once('/')?;
    index
        .parse::<u64>()
        .ok()
        .filter(|i| *i < POLL_STEPS.max(ENDPOINTS))?;
    id.parse().ok()
}

/// The one query every ticket of `endpoints` names.
fn query_of<'a>(endpoints: impl IntoIterator<Item = &'a FlightEndpoint>) -> Result<u64, Status> {
    let mut found = None;
    for ticket in endpoints.into_iter().filter_map(|e| e.ticket.as_ref()) {
        let id = query_id(ticket).ok_or_else(|| {
            Status::not_found(format!(
                "no query has the ticket {}",
                quoted(&String::from_utf8_lossy(&ticket.ticket))
            ))
        })?;
        if found.is_some_and(|other| other != id) {
            return Err(Status::invalid_argument(
                "the endpoints' tickets name more than one query",
            ));
        }
        found = Some(id);
    }
    found.ok_or_else(|| Status::invalid_argument("no endpoint has a ticket"))
}

impl CancellableFlights {
    fn new(addr: SocketAddr) -> Self {
        Self {
            location: format!("grpc+tcp://{addr}"),
            next_id: AtomicU64::new(1),
            queries: Mutex::new(HashMap::new()),
        }
    }

    fn flight_info(&self, descriptor: FlightDescriptor) -> Result<FlightInfo, Status> {
        check(&descriptor)?;
        let state = match descriptor.descriptor_type() {
            DescriptorType::CMD => QueryState::Running,
            DescriptorType::PATH => QueryState::Complete,
            other => {
                return Err(Status::invalid_argument(format!(
                    "FlightDescriptor.type {} is neither CMD nor PATH",
                    other.as_i32()
                )));
            }
        };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let expires = timestamp(SystemTime::now() + ENDPOINT_LIFETIME)?;
        let endpoint = (0..ENDPOINTS)
            .map(|index| self.endpoint(id, index, expires.clone()))
            .collect();
        let mut queries = self.queries.lock().unwrap_or_else(PoisonError::into_inner);
        if queries.len() >= MAX_QUERIES {
            evict(&mut queries);
        }
        queries.insert(
            id,
            Query {
                state,
                expires,
                poll: None,
            },
        );
        Ok(FlightInfo {
            schema: schema_ipc()?,
            flight_descriptor: Some(descriptor),
            endpoint,
            total_records: -1,
            total_bytes: -1,
            ordered: false,
            app_metadata: Bytes::new(),
            ..Default::default()
        })
    }

    /// Endpoint `index` of query `id`: its ticket names both.
    fn endpoint(&self, id: u64, index: u64, expires: Timestamp) -> FlightEndpoint {
        FlightEndpoint {
            ticket: Some(Ticket {
                ticket: format!("query-{id}/{index}").into(),
                ..Default::default()
            }),
            location: vec![Location {
                uri: self.location.clone(),
                ..Default::default()
            }],
            expiration_time: Some(expires),
            app_metadata: Bytes::new(),
            ..Default::default()
        }
    }

    /// Answers PollFlightInfo: starts a query for a new descriptor, or
    /// moves the query named by `poll/query-N` one endpoint further.
    fn poll(&self, descriptor: FlightDescriptor) -> Result<PollInfo, Status> {
        check(&descriptor)?;
        let retry_of = (descriptor.descriptor_type() == DescriptorType::CMD)
            .then(|| std::str::from_utf8(&descriptor.cmd).ok())
            .flatten()
            .and_then(|cmd| cmd.strip_prefix(POLL_PREFIX))
            .map(|query| {
                query
                    .strip_prefix("query-")
                    .and_then(|id| id.parse::<u64>().ok())
                    .ok_or_else(|| Status::not_found(format!("no polled query {}", quoted(query))))
            })
            .transpose()?;
        let Some(id) = retry_of else {
            return self.start_poll(descriptor);
        };
        let mut queries = self.queries.lock().unwrap_or_else(PoisonError::into_inner);
        let query = queries
            .get_mut(&id)
            .ok_or_else(|| Status::not_found(format!("no query {id}")))?;
        let previous = query
            .poll
            .clone()
            .ok_or_else(|| Status::not_found(format!("query {id} was not started by a poll")))?;
        match query.state {
            QueryState::Cancelled => {
                return Err(Status::cancelled(format!("query {id} was cancelled")));
            }
            QueryState::Complete => return Ok(previous),
            QueryState::Running => {}
        }
        let count = previous.info.as_ref().map_or(0, |info| info.endpoint.len()) as u64;
        let expires = timestamp(SystemTime::now() + ENDPOINT_LIFETIME)?;
        let mut next = previous
            .next([self.endpoint(id, count, expires.clone())])
            .with_progress((count + 1) as f64 / POLL_STEPS as f64)
            .map_err(|violation| Status::internal(violation.to_string()))?
            .with_expiration_time(expires);
        if count + 1 >= POLL_STEPS {
            next = next.completed();
            query.state = QueryState::Complete;
        }
        query.poll = Some(next.clone());
        eprintln!("PollFlightInfo query-{id}: {} endpoints", count + 1);
        Ok(next)
    }

    /// The first PollFlightInfo of a descriptor: a `CMD` query with its
    /// first endpoint, or a `PATH` dataset, complete at once.
    fn start_poll(&self, descriptor: FlightDescriptor) -> Result<PollInfo, Status> {
        let info = self.flight_info(descriptor)?;
        let id = query_of(&info.endpoint)?;
        let mut queries = self.queries.lock().unwrap_or_else(PoisonError::into_inner);
        let query = queries
            .get_mut(&id)
            .ok_or_else(|| Status::internal(format!("query {id} vanished")))?;
        let poll = if query.state == QueryState::Complete {
            PollInfo::started(info, FlightDescriptor::default())
                .completed()
                .with_progress(1.0)
        } else {
            let first = info.endpoint.first().cloned();
            let retry = FlightDescriptor::command(format!("{POLL_PREFIX}query-{id}"));
            PollInfo::started(
                FlightInfo {
                    endpoint: vec![],
                    ..info
                },
                retry,
            )
            .next(first)
            .with_progress(1.0 / POLL_STEPS as f64)
            .map(|poll| poll.with_expiration_time(query.expires.clone()))
        }
        .map_err(|violation| Status::internal(violation.to_string()))?;
        query.poll = Some(poll.clone());
        eprintln!("PollFlightInfo query-{id}: started");
        Ok(poll)
    }

    fn cancel(&self, request: CancelFlightInfoRequest) -> Result<CancelFlightInfoResult, Status> {
        check(&request)?;
        let info = request.info.unwrap_or_default();
        let id = query_of(&info.endpoint)?;
        let mut queries = self.queries.lock().unwrap_or_else(PoisonError::into_inner);
        let query = queries
            .get_mut(&id)
            .ok_or_else(|| Status::not_found(format!("no query {id}")))?;
        let status = match query.state {
            QueryState::Running | QueryState::Cancelled => {
                query.state = QueryState::Cancelled;
                CancelStatus::CANCELLED
            }
            QueryState::Complete => CancelStatus::NOT_CANCELLABLE,
        };
        eprintln!("CancelFlightInfo query-{id}: {status}");
        let mut result = CancelFlightInfoResult::default();
        result.set_status(status);
        Ok(result)
    }

    fn renew(&self, request: RenewFlightEndpointRequest) -> Result<FlightEndpoint, Status> {
        check(&request)?;
        let mut endpoint = request.endpoint.unwrap_or_default();
        let id = query_of([&endpoint])?;
        let mut queries = self.queries.lock().unwrap_or_else(PoisonError::into_inner);
        let query = queries
            .get_mut(&id)
            .ok_or_else(|| Status::not_found(format!("no query {id}")))?;
        if query.state == QueryState::Cancelled {
            return Err(Status::failed_precondition(format!(
                "query {id} was cancelled"
            )));
        }
        let renewed = SystemTime::now() + ENDPOINT_LIFETIME;
        let previous = SystemTime::try_from(query.expires.clone())
            .map_err(|error| Status::internal(error.to_string()))?;
        // If the clock went back, still move the expiration later.
        let expires = timestamp(if renewed > previous {
            renewed
        } else {
            previous + Duration::from_secs(1)
        })?;
        query.expires = expires.clone();
        endpoint.expiration_time = Some(expires.clone());
        eprintln!("RenewFlightEndpoint query-{id}: expires at {expires}");
        Ok(endpoint)
    }

    /// Answers one DoAction: the single `Result` of the action.
    fn action(
        &self,
        action: cancelwire::flight::Action,
    ) -> Result<cancelwire::flight::Result, Status> {
        let invalid =
            |error: cancelwire::flight::ActionError| Status::invalid_argument(error.to_string());
        match action.r#type.as_str() {
            CANCEL_FLIGHT_INFO => {
                let request = CancelFlightInfoRequest::from_action(&action).map_err(invalid)?;
                let answer = self.cancel(request)?;
                Ok(CancelFlightInfoRequest::response_to_result(&answer))
            }
            RENEW_FLIGHT_ENDPOINT => {
                let request = RenewFlightEndpointRequest::from_action(&action).map_err(invalid)?;
                let answer = self.renew(request)?;
                Ok(RenewFlightEndpointRequest::response_to_result(&answer))
            }
            other => Err(Status::unimplemented(format!(
                "unknown action type {}; ListActions lists the known ones",
                quoted(other)
            ))),
        }
    }
}

/// The IPC-encoded schema of every flight: one `value: int64` column.
fn schema_ipc() -> Result<Bytes, Status> {
    let schema = Schema::new(vec![Field::new("value", DataType::Int64, false)]);
    let info = arrow_flight::FlightInfo::new()
        .try_with_schema(&schema)
        .map_err(|error| Status::internal(error.to_string()))?;
    Ok(info.schema)
}

fn once<T: Send + 'static>(item: Result<T, Status>) -> BoxStream<T> {
    Box::pin(futures::stream::iter([item]))
}

#[tonic::async_trait]
impl FlightService for CancellableFlights {
    type HandshakeStream = BoxStream<arrow_flight::HandshakeResponse>;
    type ListFlightsStream = BoxStream<arrow_flight::FlightInfo>;
    type DoGetStream = BoxStream<arrow_flight::FlightData>;
    type DoPutStream = BoxStream<arrow_flight::PutResult>;
    type DoExchangeStream = BoxStream<arrow_flight::FlightData>;
    type DoActionStream = BoxStream<arrow_flight::Result>;
    type ListActionsStream = BoxStream<arrow_flight::ActionType>;

    async fn get_flight_info(
        &self,
        request: Request<arrow_flight::FlightDescriptor>,
    ) -> Result<Response<arrow_flight::FlightInfo>, Status> {
        let info = self.flight_info(request.into_inner().into())?;
        Ok(Response::new(info.into()))
    }

    async fn do_action(
        &self,
        request: Request<arrow_flight::Action>,
    ) -> Result<Response<Self::DoActionStream>, Status> {
        let result = self.action(request.into_inner().into())?;
        Ok(Response::new(once(Ok(result.into()))))
    }

    async fn list_actions(
        &self,
        _request: Request<arrow_flight::Empty>,
    ) -> Result<Response<Self::ListActionsStream>, Status> {
        let listed = cancellation_action_types()
            .into_iter()
            .map(|action_type| Ok(action_type.into()));
        Ok(Response::new(Box::pin(futures::stream::iter(listed))))
    }

    async fn handshake(
        &self,
        _request: Request<Streaming<arrow_flight::HandshakeRequest>>,
    ) -> Result<Response<Self::HandshakeStream>, Status> {
        Err(Status::unimplemented("Handshake: no authentication here"))
    }

    async fn list_flights(
        &self,
        _request: Request<arrow_flight::Criteria>,
    ) -> Result<Response<Self::ListFlightsStream>, Status> {
        Err(Status::unimplemented("ListFlights"))
    }

    async fn poll_flight_info(
        &self,
        request: Request<arrow_flight::FlightDescriptor>,
    ) -> Result<Response<arrow_flight::PollInfo>, Status> {
        let poll = self.poll(request.into_inner().into())?;
        Ok(Response::new(poll.into()))
    }

    async fn get_schema(
        &self,
        _request: Request<arrow_flight::FlightDescriptor>,
    ) -> Result<Response<arrow_flight::SchemaResult>, Status> {
        Err(Status::unimplemented("GetSchema"))
    }

    async fn do_get(
        &self,
        _request: Request<arrow_flight::Ticket>,
    ) -> Result<Response<Self::DoGetStream>, Status> {
        Err(Status::unimplemented(
            "DoGet: this server only starts and cancels queries",
        ))
    }

    async fn do_put(
        &self,
        _request: Request<Streaming<arrow_flight::FlightData>>,
    ) -> Result<Response<Self::DoPutStream>, Status> {
        Err(Status::unimplemented("DoPut"))
    }

    async fn do_exchange(
        &self,
        _request: Request<Streaming<arrow_flight::FlightData>>,
    ) -> Result<Response<Self::DoExchangeStream>, Status> {
        Err(Status::unimplemented("DoExchange"))
    }
}

/// Resolves on SIGTERM or ctrl-c. The handlers are installed here, before
/// the ready line, so a signal sent right after it is not lost.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

fn parse_args() -> Result<(SocketAddr, Duration), String> {
    let mut args = std::env::args().skip(1);
    let mut addr = "127.0.0.1:50051".to_owned();
    let mut idle = net::DEFAULT_IDLE;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().ok_or("--addr needs a value")?,
            "--idle-timeout" => {
                let value = args.next().ok_or("--idle-timeout needs a value")?;
                idle = value
                    .parse::<f64>()
                    .map_err(|e| e.to_string())
                    .and_then(|s| Duration::try_from_secs_f64(s).map_err(|e| e.to_string()))
                    .map_err(|error| format!("--idle-timeout `{value}`: {error}"))?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let addr = addr
        .parse()
        .map_err(|error| format!("--addr `{addr}`: {error}"))?;
    Ok((addr, idle))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (addr, idle) = parse_args().unwrap_or_else(|error| {
        eprintln!(
            "flight_server: {error}\nusage: flight_server [--addr HOST:PORT] [--idle-timeout SECONDS]"
        );
        std::process::exit(2);
    });
    let shutdown = shutdown_signal()?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let service = FlightServiceServer::new(CancellableFlights::new(addr));

    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening addr={addr}")?;
    stdout.flush()?;
    drop(stdout);

    tonic::transport::Server::builder()
        // Pings find peers that vanished without closing.
        .http2_keepalive_interval(Some(Duration::from_secs(30)))
        .http2_keepalive_timeout(Some(Duration::from_secs(10)))
        .add_service(service)
        .serve_with_incoming_shutdown(
            net::Acceptor::new(listener, idle, "flight_server"),
            shutdown,
        )
        .await?;
    eprintln!("flight_server: stopped");
    Ok(())
}
