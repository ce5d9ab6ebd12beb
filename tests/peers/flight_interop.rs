//! The Flight cancellation protocol against peers cancelwire did not write:
//!
//! - `examples/flight_server` (cancelwire's types behind `arrow-flight`'s
//!   service trait) driven by `arrow-flight`'s own `FlightClient`:
//!   `cancel_flight_info`, `renew_flight_endpoint`, `list_actions`,
//!   `do_action`;
//! - cancelwire's client helpers (`FlightAction::to_action`,
//!   `response_from_result`) against a server written here with nothing but
//!   `arrow-flight`'s types and prost;
//! - `examples/flight_client` against `examples/flight_server`.
//!
//! The example binaries are the ones `cargo test` builds before it runs the
//! tests (`target/<profile>/examples/`), so what is tested is what `cargo run
//! --example` runs; a test fails rather than run a binary older than the
//! sources (`cargo test --all-features --test peers` alone does not rebuild it). Each test starts its own server on a free loopback port
//! (`--addr 127.0.0.1:0`), waits for its `listening addr=ADDR` line, bounds
//! every request by a timeout and stops the server itself (SIGTERM, then a
//! kill if it is still there; a kill on panic too).

use std::future::Future;
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::Pin;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use arrow_flight::error::FlightError;
use arrow_flight::flight_service_client::FlightServiceClient;
use arrow_flight::flight_service_server::{FlightService, FlightServiceServer};
use bytes::Bytes;
use cancelwire::flight::{
    CancelFlightInfoRequest, CancelStatus, FlightAction, RenewFlightEndpointRequest,
    cancellation_action_types,
};
use futures::{Stream, TryStreamExt};
use prost::Message;
use tonic::transport::{Channel, Endpoint};
use tonic::{Code, Request, Response, Status, Streaming};

/// How long a server may take to print its ready line.
const READY: Duration = Duration::from_secs(30);
/// The bound on every request and on every wait for a process.
const BOUND: Duration = Duration::from_secs(10);

/// `target/<profile>/examples/NAME`, built by `cargo test` with the tests.
pub(crate) fn example(name: &str) -> PathBuf {
    let test_binary = std::env::current_exe().expect("the test binary's path");
    let profile_dir = test_binary
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps/<test>");
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let hint = "`cargo test` builds the examples before the tests; \
                `cargo test --all-features --test peers` does not: run `cargo build --examples` first";
    let built = std::fs::metadata(&path)
        .and_then(|meta| meta.modified())
        .unwrap_or_else(|_| panic!("{} is missing: {hint}", path.display()));
    // A binary older than the code it is built from would test old code.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = ["src", "proto", "build.rs", "Cargo.toml"]
        .iter()
        .map(|source| root.join(source))
        .chain([
            root.join("examples").join(format!("{name}.rs")),
            root.join("examples").join(name),
        ]);
    for source in sources {
        if let Some(newer) = newer_than(&source, built) {
            panic!(
                "{} is older than {}: {hint}",
                path.display(),
                newer.display()
            );
        }
    }
    path
}

/// A file at or under `path` modified after `time`.
fn newer_than(path: &std::path::Path, time: std::time::SystemTime) -> Option<PathBuf> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_dir() {
        std::fs::read_dir(path)
            .ok()?
            .filter_map(|entry| entry.ok())
            .find_map(|entry| newer_than(&entry.path(), time))
    } else {
        meta.modified()
            .ok()
            .filter(|modified| *modified > time)
            .map(|_| path.to_owned())
    }
}

/// Waits for `child` at most `BOUND`, killing it when it takes longer.
fn wait_bounded(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + BOUND;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("process {} did not exit within {BOUND:?}", child.id());
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// A running `examples/flight_server`, killed when dropped.
struct FlightServer {
    child: Child,
    addr: SocketAddr,
}

impl FlightServer {
    fn start() -> Self {
        let mut child = Command::new(example("flight_server"))
            .args(["--addr", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start flight_server");
        let stdout = child.stdout.take().expect("piped stdout");
        let (ready, first_line) = mpsc::channel();
        thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = ready.send(lines.next());
            lines.for_each(drop); // keep the pipe open until the server exits
        });
        let line = match first_line.recv_timeout(READY) {
            Ok(Some(Ok(line))) => line,
            other => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("flight_server printed no ready line within {READY:?}: {other:?}");
            }
        };
        let addr = line
            .strip_prefix("listening addr=")
            .and_then(|addr| addr.parse().ok())
            .unwrap_or_else(|| panic!("not a ready line: {line:?}"));
        Self { child, addr }
    }

    fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Asks the server to stop with SIGTERM and returns how it exited.
    #[cfg(unix)]
    fn stop(mut self) -> ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM failed");
        wait_bounded(&mut self.child)
    }
}

impl Drop for FlightServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `future`, or a panic after `BOUND`.
async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, future)
        .await
        .unwrap_or_else(|_| panic!("no answer within {BOUND:?}"))
}

async fn channel(uri: String) -> Channel {
    let endpoint = Endpoint::from_shared(uri)
        .expect("uri")
        .connect_timeout(BOUND)
        .timeout(BOUND);
    bounded(endpoint.connect()).await.expect("connect")
}

async fn flight_client(server: &FlightServer) -> arrow_flight::FlightClient {
    arrow_flight::FlightClient::new(channel(server.uri()).await)
}

async fn start_query(
    client: &mut arrow_flight::FlightClient,
    descriptor: arrow_flight::FlightDescriptor,
) -> arrow_flight::FlightInfo {
    bounded(client.get_flight_info(descriptor))
        .await
        .expect("GetFlightInfo")
}

fn cmd(cmd: &'static str) -> arrow_flight::FlightDescriptor {
    arrow_flight::FlightDescriptor::new_cmd(cmd)
}

fn status_code(error: FlightError) -> (Code, String) {
    match error {
        FlightError::Tonic(status) => (status.code(), status.message().to_owned()),
        other => panic!("expected a gRPC status, got {other}"),
    }
}

#[tokio::test]
async fn arrow_flight_client_cancels_a_query_and_a_second_cancel_answers_cancelled() {
    let server = FlightServer::start();
    let mut client = flight_client(&server).await;
    let info = start_query(&mut client, cmd("SELECT 1")).await;
    assert_eq!(info.endpoint.len(), 2);

    let request = arrow_flight::CancelFlightInfoRequest::new(info);
    let first = bounded(client.cancel_flight_info(request.clone()))
        .await
        .expect("first cancel");
    assert_eq!(first.status(), arrow_flight::CancelStatus::Cancelled);
    let second = bounded(client.cancel_flight_info(request))
        .await
        .expect("second cancel");
    assert_eq!(second.status(), arrow_flight::CancelStatus::Cancelled);
}

#[tokio::test]
async fn any_one_endpoint_identifies_the_query_to_cancel() {
    let server = FlightServer::start();
    let mut client = flight_client(&server).await;
    let mut info = start_query(&mut client, cmd("SELECT 2")).await;
    info.endpoint.remove(0);
    let result =
        bounded(client.cancel_flight_info(arrow_flight::CancelFlightInfoRequest::new(info)))
            .await
            .expect("cancel");
    assert_eq!(result.status(), arrow_flight::CancelStatus::Cancelled);
}

#[tokio::test]
async fn cancelling_a_path_dataset_is_not_cancellable() {
    let server = FlightServer::start();
    let mut client = flight_client(&server).await;
    let descriptor = arrow_flight::FlightDescriptor::new_path(vec!["tables".into(), "t".into()]);
    let info = start_query(&mut client, descriptor).await;
    let result =
        bounded(client.cancel_flight_info(arrow_flight::CancelFlightInfoRequest::new(info)))
            .await
            .expect("cancel");
    assert_eq!(result.status(), arrow_flight::CancelStatus::NotCancellable);
    assert!(CancelStatus::from(result.status()).is_final());
}

#[tokio::test]
async fn cancelling_tickets_of_no_query_is_not_found() {
    let server = FlightServer::start();
    let mut client = flight_client(&server).await;
    let info = arrow_flight::FlightInfo::new().with_endpoint(
        arrow_flight::FlightEndpoint::new().with_ticket(arrow_flight::Ticket::new("query-99/0")),
    );
    let error =
        bounded(client.cancel_flight_info(arrow_flight::CancelFlightInfoRequest::new(info)))
            .await
            .unwrap_err();
    assert_eq!(status_code(error).0, Code::NotFound);
}

#[tokio::test]
async fn arrow_flight_client_renews_an_endpoint_to_a_later_expiration() {
    let server = FlightServer::start();
    let mut client = flight_client(&server).await;
    let info = start_query(&mut client, cmd("SELECT 3")).await;
    let endpoint = info.endpoint[1].clone();
    let mut previous = endpoint.expiration_time.expect("an expiration time");

    for _ in 0..2 {
        let request = arrow_flight::RenewFlightEndpointRequest::new(endpoint.clone());
        let renewed = bounded(client.renew_flight_endpoint(request))
            .await
            .expect("renew");
        assert_eq!(renewed.ticket, endpoint.ticket);
        assert_eq!(renewed.location, endpoint.location);
        let expires = renewed.expiration_time.expect("an expiration time");
        assert!(
            (expires.seconds, expires.nanos) > (previous.seconds, previous.nanos),
            "{expires:?} is not later than {previous:?}"
        );
        previous = expires;
    }
}

#[tokio::test]
async fn renewing_an_endpoint_of_a_cancelled_query_is_failed_precondition() {
    let server = FlightServer::start();
    let mut client = flight_client(&server).await;
    let info = start_query(&mut client, cmd("SELECT 4")).await;
    let endpoint = info.endpoint[0].clone();
    bounded(client.cancel_flight_info(arrow_flight::CancelFlightInfoRequest::new(info)))
        .await
        .expect("cancel");
    let error = bounded(
        client.renew_flight_endpoint(arrow_flight::RenewFlightEndpointRequest::new(endpoint)),
    )
    .await
    .unwrap_err();
    assert_eq!(status_code(error).0, Code::FailedPrecondition);
}

#[tokio::test]
async fn list_actions_advertises_both_cancellation_actions() {
    let server = FlightServer::start();
    let mut client = flight_client(&server).await;
    let listed: Vec<arrow_flight::ActionType> =
        bounded(async { client.list_actions().await?.try_collect().await })
            .await
            .expect("ListActions");
    let expected: Vec<arrow_flight::ActionType> = cancellation_action_types()
        .into_iter()
        .map(Into::into)
        .collect();
    assert_eq!(listed, expected);
}

/// Sends one raw action and returns the error the server answers.
async fn action_error(server: &FlightServer, r#type: &str, body: &'static [u8]) -> (Code, String) {
    let mut client = flight_client(server).await;
    let action = arrow_flight::Action::new(r#type, Bytes::from_static(body));
    let answer = bounded(async {
        client
            .do_action(action)
            .await?
            .try_collect::<Vec<_>>()
            .await
    })
    .await;
    status_code(answer.expect_err("an error status"))
}

#[tokio::test]
async fn undecodable_and_invalid_bodies_are_invalid_argument_with_cancelwires_message() {
    let server = FlightServer::start();

    // Field 1, length 9, and nothing after it.
    let (code, message) = action_error(&server, "CancelFlightInfo", b"\x0a\x09").await;
    assert_eq!(code, Code::InvalidArgument);
    assert!(
        message.starts_with("Action.body of `CancelFlightInfo`: "),
        "{message}"
    );

    let (code, message) = action_error(&server, "CancelFlightInfo", b"").await;
    assert_eq!(code, Code::InvalidArgument);
    assert_eq!(
        message,
        "cancel_flight_info_request.info: must be set (required)"
    );

    let (code, message) = action_error(&server, "RenewFlightEndpoint", b"\x0a\x02\x0a").await;
    assert_eq!(code, Code::InvalidArgument);
    assert!(
        message.starts_with("Action.body of `RenewFlightEndpoint`: "),
        "{message}"
    );
}

#[tokio::test]
async fn an_unknown_action_type_is_unimplemented() {
    let server = FlightServer::start();
    let (code, message) = action_error(&server, "DropTable", b"").await;
    assert_eq!(code, Code::Unimplemented);
    assert!(message.contains("DropTable"), "{message}");
}

#[cfg(unix)]
#[test]
fn the_server_exits_cleanly_on_sigterm() {
    let server = FlightServer::start();
    let status = server.stop();
    assert!(status.success(), "flight_server exited with {status}");
}

#[test]
fn the_client_example_polls_renews_and_cancels_against_the_server_example() {
    let server = FlightServer::start();
    let mut client = Command::new(example("flight_client"))
        .args(["--addr", &server.addr.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start flight_client");
    let mut stdout = client.stdout.take().expect("piped stdout");
    let reader = thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let status = wait_bounded(&mut client);
    let mut stderr = String::new();
    let _ = client
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr);
    let stdout = reader.join().unwrap().expect("utf-8 output");
    let output = Output {
        status,
        stdout: stdout.into_bytes(),
        stderr: stderr.into_bytes(),
    };
    assert!(output.status.success(), "flight_client failed: {output:?}");
    let lines: Vec<&str> = std::str::from_utf8(&output.stdout)
        .unwrap()
        .lines()
        .collect();
    assert_eq!(
        lines[..5],
        [
            "actions: CancelFlightInfo, RenewFlightEndpoint",
            "progress: 0.25 (1 endpoints)",
            "progress: 0.50 (2 endpoints)",
            "progress: 0.75 (3 endpoints)",
            "flight info: tickets query-1/0 query-1/1 query-1/2 query-1/3",
        ]
    );
    assert!(lines[5].starts_with("renewed: expiration "), "{}", lines[5]);
    assert_eq!(
        lines[6..],
        [
            "cancel the finished query: NotCancellable",
            "cancel a running query: Cancelled",
            "cancel it again: Cancelled",
        ]
    );
}

// --- cancelwire's client helpers against a server of arrow-flight's types ---

/// A Flight server written with `arrow-flight`'s types and prost only: the
/// first cancel answers `CANCELLING`, later ones `CANCELLED`, a query named
/// `odd` a status number Flight.proto does not define; a renewal answers the
/// endpoint with a fixed expiration time.
#[derive(Default)]
struct ArrowTypesServer {
    cancels: Mutex<u32>,
}

const RENEWED_UNTIL: prost_types::Timestamp = prost_types::Timestamp {
    seconds: 2_000_000_000,
    nanos: 5,
};

type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

impl ArrowTypesServer {
    fn answer(&self, action: arrow_flight::Action) -> Result<arrow_flight::Result, Status> {
        let invalid = |error: prost::DecodeError| Status::invalid_argument(error.to_string());
        let body = match action.r#type.as_str() {
            "CancelFlightInfo" => {
                let request =
                    arrow_flight::CancelFlightInfoRequest::decode(action.body).map_err(invalid)?;
                let info = request.info.unwrap_or_default();
                let odd = info.flight_descriptor.is_some_and(|d| d.cmd == "odd");
                let mut cancels = self.cancels.lock().unwrap();
                *cancels += 1;
                let status = match (odd, *cancels) {
                    (true, _) => 7,
                    (false, 1) => arrow_flight::CancelStatus::Cancelling as i32,
                    (false, _) => arrow_flight::CancelStatus::Cancelled as i32,
                };
                arrow_flight::CancelFlightInfoResult { status }.encode_to_vec()
            }
            "RenewFlightEndpoint" => {
                let request = arrow_flight::RenewFlightEndpointRequest::decode(action.body)
                    .map_err(invalid)?;
                let mut endpoint = request.endpoint.unwrap_or_default();
                endpoint.expiration_time = Some(RENEWED_UNTIL);
                endpoint.encode_to_vec()
            }
            other => return Err(Status::unimplemented(other.to_owned())),
        };
        Ok(arrow_flight::Result { body: body.into() })
    }
}

#[tonic::async_trait]
impl FlightService for ArrowTypesServer {
    type HandshakeStream = BoxStream<arrow_flight::HandshakeResponse>;
    type ListFlightsStream = BoxStream<arrow_flight::FlightInfo>;
    type DoGetStream = BoxStream<arrow_flight::FlightData>;
    type DoPutStream = BoxStream<arrow_flight::PutResult>;
    type DoExchangeStream = BoxStream<arrow_flight::FlightData>;
    type DoActionStream = BoxStream<arrow_flight::Result>;
    type ListActionsStream = BoxStream<arrow_flight::ActionType>;

    async fn do_action(
        &self,
        request: Request<arrow_flight::Action>,
    ) -> Result<Response<Self::DoActionStream>, Status> {
        let result = self.answer(request.into_inner())?;
        Ok(Response::new(Box::pin(futures::stream::iter([Ok(result)]))))
    }

    async fn handshake(
        &self,
        _: Request<Streaming<arrow_flight::HandshakeRequest>>,
    ) -> Result<Response<Self::HandshakeStream>, Status> {
        Err(Status::unimplemented("handshake"))
    }
    async fn list_flights(
        &self,
        _: Request<arrow_flight::Criteria>,
    ) -> Result<Response<Self::ListFlightsStream>, Status> {
        Err(Status::unimplemented("list_flights"))
    }
    async fn get_flight_info(
        &self,
        _: Request<arrow_flight::FlightDescriptor>,
    ) -> Result<Response<arrow_flight::FlightInfo>, Status> {
        Err(Status::unimplemented("get_flight_info"))
    }
    async fn poll_flight_info(
        &self,
        _: Request<arrow_flight::FlightDescriptor>,
    ) -> Result<Response<arrow_flight::PollInfo>, Status> {
        Err(Status::unimplemented("poll_flight_info"))
    }
    async fn get_schema(
        &self,
        _: Request<arrow_flight::FlightDescriptor>,
    ) -> Result<Response<arrow_flight::SchemaResult>, Status> {
        Err(Status::unimplemented("get_schema"))
    }
    async fn do_get(
        &self,
        _: Request<arrow_flight::Ticket>,
    ) -> Result<Response<Self::DoGetStream>, Status> {
        Err(Status::unimplemented("do_get"))
    }
    async fn do_put(
        &self,
        _: Request<Streaming<arrow_flight::FlightData>>,
    ) -> Result<Response<Self::DoPutStream>, Status> {
        Err(Status::unimplemented("do_put"))
    }
    async fn do_exchange(
        &self,
        _: Request<Streaming<arrow_flight::FlightData>>,
    ) -> Result<Response<Self::DoExchangeStream>, Status> {
        Err(Status::unimplemented("do_exchange"))
    }
    async fn list_actions(
        &self,
        _: Request<arrow_flight::Empty>,
    ) -> Result<Response<Self::ListActionsStream>, Status> {
        Err(Status::unimplemented("list_actions"))
    }
}

/// Serves `ArrowTypesServer` on a free loopback port of this process until
/// the returned sender fires.
async fn start_arrow_types_server() -> (
    SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local_addr");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(async move {
        tonic::transport::Server::builder()
            .add_service(FlightServiceServer::new(ArrowTypesServer::default()))
            .serve_with_incoming_shutdown(
                tonic::transport::server::TcpIncoming::from(listener),
                async {
                    let _ = stopped.await;
                },
            )
            .await
            .expect("serve");
    });
    (addr, stop, serving)
}

/// The client side as cancelwire spells it: `to_action`, one DoAction call,
/// `response_from_result`.
async fn call<A: FlightAction>(
    client: &mut FlightServiceClient<Channel>,
    request: &A,
) -> Result<A::Response, Box<dyn std::error::Error>> {
    let action: arrow_flight::Action = request.to_action().into();
    let results: Vec<arrow_flight::Result> = bounded(async {
        client
            .do_action(action)
            .await?
            .into_inner()
            .try_collect()
            .await
    })
    .await?;
    let [result] = <[_; 1]>::try_from(results).map_err(|all| format!("{} results", all.len()))?;
    Ok(A::response_from_result(&result.into())?)
}

#[tokio::test]
async fn cancelwire_helpers_talk_to_a_server_of_arrow_flights_types() {
    let (addr, stop, serving) = start_arrow_types_server().await;
    let mut client = FlightServiceClient::new(channel(format!("http://{addr}")).await);

    let info = cancelwire::flight::FlightInfo {
        endpoint: vec![cancelwire::flight::FlightEndpoint {
            ticket: Some(cancelwire::flight::Ticket {
                ticket: Bytes::from_static(b"t-1"),
                ..Default::default()
            }),
            app_metadata: Bytes::from_static(b"\x00\xffmeta"),
            ..Default::default()
        }],
        total_records: -1,
        total_bytes: -1,
        ..Default::default()
    };
    let cancel = CancelFlightInfoRequest {
        info: Some(info.clone()),
        ..Default::default()
    };
    let first = call(&mut client, &cancel).await.expect("cancel").status();
    assert_eq!(first, CancelStatus::CANCELLING);
    assert!(first.may_retry());
    let second = call(&mut client, &cancel)
        .await
        .expect("cancel again")
        .status();
    assert_eq!(second, CancelStatus::CANCELLED);
    assert!(second.is_final());

    // A status number neither crate names survives as a number.
    let mut odd = info.clone();
    odd.flight_descriptor = Some(cancelwire::flight::FlightDescriptor {
        r#type: 2,
        cmd: Bytes::from_static(b"odd"),
        path: vec![],
        ..Default::default()
    });
    let status = call(
        &mut client,
        &CancelFlightInfoRequest {
            info: Some(odd),
            ..Default::default()
        },
    )
    .await
    .expect("cancel odd")
    .status();
    assert_eq!(status, CancelStatus::from_i32(7));
    assert!(status.may_retry());

    let endpoint = info.endpoint[0].clone();
    let renewed = call(
        &mut client,
        &RenewFlightEndpointRequest {
            endpoint: Some(endpoint.clone()),
            ..Default::default()
        },
    )
    .await
    .expect("renew");
    assert_eq!(renewed.ticket, endpoint.ticket);
    assert_eq!(renewed.app_metadata, endpoint.app_metadata);
    assert_eq!(renewed.expiration_time, Some(RENEWED_UNTIL.into()));

    // The server's answer to an action it does not know reaches the caller.
    let error = bounded(client.do_action(arrow_flight::Action::new("Nope", Bytes::new())))
        .await
        .unwrap_err();
    assert_eq!(error.code(), Code::Unimplemented);

    stop.send(()).expect("server still running");
    bounded(serving).await.expect("server task");
}
