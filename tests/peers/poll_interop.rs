//! `PollFlightInfo` against a peer cancelwire did not write: `arrow-flight`'s
//! own `FlightClient::poll_flight_info` polls `examples/flight_server` to
//! completion, and every answer goes through `cancelwire::poll`'s checker and
//! translation. (pyarrow 26 has no PollFlightInfo in its Python API, so
//! Arrow C++ is not a peer here; google-api-core polls the same query as an
//! operation in `tests/interop/google_operations.py`.)
//!
//! Like `tests/peers/flight_interop.rs`, this runs the example binary that `cargo
//! test` builds (`target/<profile>/examples/flight_server`), refuses one
//! older than the sources, starts it on a free port, bounds every call and
//! stops it.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, SystemTime};

use arrow_flight::error::FlightError;
use cancelwire::flight::{FlightEndpoint, PollInfo};
use cancelwire::longrunning::OperationState;
use cancelwire::poll::{
    OperationSequence, PollInfoSequence, operation_from_poll_error, operation_from_poll_info,
};
use cancelwire::rpc::{Code, Status};
use cancelwire::wkt::Timestamp;
use tonic::transport::Endpoint;

const READY: Duration = Duration::from_secs(30);
const BOUND: Duration = Duration::from_secs(10);
/// The example's polled queries complete after this many answers.
const STEPS: usize = 4;

fn example(name: &str) -> PathBuf {
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
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for source in [
        root.join("src"),
        root.join("examples").join(format!("{name}.rs")),
    ] {
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

fn newer_than(path: &std::path::Path, time: SystemTime) -> Option<PathBuf> {
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
            lines.for_each(drop);
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

    async fn client(&self) -> arrow_flight::FlightClient {
        let endpoint = Endpoint::from_shared(format!("http://{}", self.addr))
            .expect("uri")
            .connect_timeout(BOUND)
            .timeout(BOUND);
        let channel = bounded(endpoint.connect()).await.expect("connect");
        arrow_flight::FlightClient::new(channel)
    }
}

impl Drop for FlightServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn bounded<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, future)
        .await
        .unwrap_or_else(|_| panic!("no answer within {BOUND:?}"))
}

fn now() -> Timestamp {
    prost_types::Timestamp::from(SystemTime::now()).into()
}

fn endpoints(poll: &PollInfo) -> &[FlightEndpoint] {
    poll.info.as_ref().map_or(&[], |info| &info.endpoint)
}

/// The tonic error of a failed call, as a `google.rpc.Status`.
fn status_of(error: FlightError) -> Status {
    match error {
        FlightError::Tonic(status) => {
            Status::new(Code::from_i32(status.code() as i32), status.message())
        }
        other => panic!("not a gRPC error: {other}"),
    }
}

#[tokio::test]
async fn arrow_flight_polls_a_query_to_completion_and_endpoints_only_grow() {
    let server = FlightServer::start();
    let mut client = server.client().await;
    let mut descriptor = arrow_flight::FlightDescriptor::new_cmd("SELECT value FROM numbers");
    let mut polls = PollInfoSequence::new();
    let mut ops = OperationSequence::new();
    let mut counts = Vec::new();
    let name = "projects/demo/operations/flight-select";
    for _ in 0..2 * STEPS {
        let answer = bounded(client.poll_flight_info(descriptor.clone()))
            .await
            .expect("PollFlightInfo");
        let poll = PollInfo::from(answer.clone());
        let found = polls.check(&poll, now());
        assert!(found.is_empty(), "answer {}: {found:?}", polls.len());
        let op = operation_from_poll_info(name, &poll);
        let found = ops.check(&op);
        assert!(found.is_empty(), "operation {}: {found:?}", ops.len());
        counts.push(endpoints(&poll).len());
        match answer.flight_descriptor {
            Some(next) => {
                assert!(!op.done);
                descriptor = next;
            }
            None => break,
        }
    }
    assert!(polls.is_complete(), "not complete after {counts:?}");
    assert_eq!(counts, (1..=STEPS).collect::<Vec<_>>());

    // The last answer, as the operation a gateway would show.
    let last_op = ops.len();
    assert_eq!(last_op, STEPS);
    let tickets: Vec<String> = {
        let answer = bounded(client.poll_flight_info(descriptor.clone()))
            .await
            .expect("a complete query answers again");
        let poll = PollInfo::from(answer);
        assert!(polls.check(&poll, now()).is_empty());
        assert_eq!(poll.progress, Some(1.0));
        let op = operation_from_poll_info(name, &poll);
        assert!(ops.check(&op).is_empty());
        match op.state() {
            Ok(OperationState::Succeeded(response)) => {
                let info: cancelwire::flight::FlightInfo = response.to_msg().expect("a FlightInfo");
                info.endpoint
                    .iter()
                    .map(|e| {
                        String::from_utf8_lossy(&e.ticket.as_ref().unwrap().ticket).into_owned()
                    })
                    .collect()
            }
            other => panic!("not succeeded: {other:?}"),
        }
    };
    assert_eq!(tickets.len(), STEPS);
    let query = tickets[0].split('/').next().unwrap().to_owned();
    let expected: Vec<String> = (0..STEPS).map(|i| format!("{query}/{i}")).collect();
    assert_eq!(tickets, expected);

    // Cancelling a complete query: NOT_CANCELLABLE.
    let info = bounded(client.poll_flight_info(descriptor))
        .await
        .unwrap()
        .info
        .unwrap();
    let result =
        bounded(client.cancel_flight_info(arrow_flight::CancelFlightInfoRequest::new(info)))
            .await
            .expect("CancelFlightInfo");
    assert_eq!(
        result.status,
        arrow_flight::CancelStatus::NotCancellable as i32
    );
}

#[tokio::test]
async fn a_cancelled_query_polls_as_cancelled_and_becomes_a_cancelled_operation() {
    let server = FlightServer::start();
    let mut client = server.client().await;
    let first =
        bounded(client.poll_flight_info(arrow_flight::FlightDescriptor::new_cmd("SELECT 1")))
            .await
            .expect("PollFlightInfo");
    let retry = first.flight_descriptor.clone().expect("running");
    let result = bounded(
        client.cancel_flight_info(arrow_flight::CancelFlightInfoRequest::new(
            first.info.clone().unwrap(),
        )),
    )
    .await
    .expect("CancelFlightInfo");
    assert_eq!(result.status, arrow_flight::CancelStatus::Cancelled as i32);

    let error = bounded(client.poll_flight_info(retry))
        .await
        .expect_err("a cancelled query does not poll");
    let status = status_of(error);
    assert_eq!(status.code(), Code::CANCELLED, "{status}");
    let op = operation_from_poll_error("projects/demo/operations/q", status).expect("an outcome");
    assert!(op.done && op.is_cancelled());

    let mut ops = OperationSequence::new();
    assert!(
        ops.check(&operation_from_poll_info(
            "projects/demo/operations/q",
            &first.into()
        ))
        .is_empty()
    );
    assert!(ops.check(&op).is_empty());
}

#[tokio::test]
async fn a_path_dataset_is_complete_at_once_and_unknown_polls_are_not_found() {
    let server = FlightServer::start();
    let mut client = server.client().await;
    let answer = bounded(
        client.poll_flight_info(arrow_flight::FlightDescriptor::new_path(vec![
            "datasets".into(),
            "numbers".into(),
        ])),
    )
    .await
    .expect("PollFlightInfo");
    let poll = PollInfo::from(answer);
    assert!(PollInfoSequence::new().check(&poll, now()).is_empty());
    assert!(poll.is_complete());
    assert_eq!(endpoints(&poll).len(), 2);

    let error =
        bounded(client.poll_flight_info(arrow_flight::FlightDescriptor::new_cmd("poll/query-999")))
            .await
            .expect_err("no such query");
    let status = status_of(error);
    assert_eq!(status.code(), Code::NOT_FOUND);
    // Not the query's outcome: GetOperation answers NOT_FOUND too.
    assert_eq!(
        operation_from_poll_error("projects/demo/operations/q", status.clone()),
        Err(status)
    );
}
