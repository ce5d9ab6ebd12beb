//! The pollers and cancellers against real peers, each started here on a
//! free loopback port and stopped when the test ends (killed if need be):
//!
//! - `tests/interop/operations_peer.py`: Google's generated Operations stubs
//!   (googleapis-common-protos' `operations_pb2_grpc`) on grpcio, with
//!   WaitOperation, without it (UNIMPLEMENTED from the generated base
//!   class), and failing with UNAVAILABLE for a while;
//! - `examples/operations_server` over gRPC and over REST with Firestore's
//!   name pattern;
//! - `examples/flight_server`: an `arrow-flight` FlightService with
//!   PollFlightInfo;
//! - `tests/interop/flight_cancel_peer.py`: pyarrow's FlightServerBase
//!   (Arrow C++) answering the CancelFlightInfo action from a script, with
//!   a slow GetFlightInfo and no PollFlightInfo.
//!
//! The Python peers run in the venv of `scripts/python-env` (made on first
//! use); the examples are the binaries `cargo test` builds. Every test is
//! bounded in time.

use cancelwire::client::{
    BestEffortCancel, CancelOutcome, ClientError, FlightGrpc, FlightQueries, Limit,
    OperationPoller, Operations, PollOptions, PollingBackoff, PollingResult, RestOperations,
    RetryBackoff, Watch,
};
use cancelwire::flight::{CancelStatus, FlightDescriptor, FlightInfo};
use cancelwire::longrunning::operations_client::OperationsClient;
use cancelwire::longrunning::rest::Bindings;
use cancelwire::rpc::Code;
use cancelwire::wkt::{DoubleValue, Timestamp};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant, SystemTime};
use tonic::transport::{Channel, Endpoint};

const READY: Duration = Duration::from_secs(60);
const WHOLE_TEST: Duration = Duration::from_secs(60);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The venv's python, made by `scripts/python-env` once per test run.
fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    static MAKING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = MAKING.lock().unwrap_or_else(|p| p.into_inner());
    PYTHON
        .get_or_init(|| {
            let out = Command::new("bash")
                .arg(root().join("scripts/python-env"))
                .stderr(Stdio::inherit())
                .output()
                .expect("run scripts/python-env");
            assert!(out.status.success(), "scripts/python-env failed");
            PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
        })
        .clone()
}

fn newer_than(path: &Path, time: SystemTime) -> Option<PathBuf> {
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

/// An example binary that `cargo test` built, refused when older than the
/// sources.
fn example(name: &str) -> PathBuf {
    let test_binary = std::env::current_exe().unwrap();
    let profile = test_binary.parent().and_then(Path::parent).unwrap();
    let path = profile
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let hint = "`cargo test` builds the examples before the tests; \
                `cargo test --test client` alone does not: run `cargo build --all-features --examples` first";
    let built = std::fs::metadata(&path)
        .and_then(|meta| meta.modified())
        .unwrap_or_else(|_| panic!("{} is missing: {hint}", path.display()));
    for source in [
        root().join("src"),
        root().join("examples").join(format!("{name}.rs")),
        root().join("examples").join(name),
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

/// A peer process: its ready line, the lines it printed since, killed
/// when dropped.
struct Peer {
    child: Child,
    ready: String,
    lines: mpsc::Receiver<String>,
    seen: Mutex<Vec<String>>,
}

impl Peer {
    fn start(mut command: Command) -> Self {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let ready = match lines.recv_timeout(READY) {
            Ok(line) if line.starts_with("listening ") => line,
            other => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{command:?} printed no ready line within {READY:?}: {other:?}");
            }
        };
        Self {
            child,
            ready,
            lines,
            seen: Mutex::new(Vec::new()),
        }
    }

    /// The value of `key=` in the ready line.
    fn addr(&self, key: &str) -> String {
        self.ready
            .split_whitespace()
            .find_map(|field| field.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key}= in {:?}", self.ready))
            .to_owned()
    }

    /// Every line printed after the ready line, so far.
    fn printed(&self) -> Vec<String> {
        let mut seen = self.seen.lock().unwrap();
        seen.extend(self.lines.try_iter());
        seen.clone()
    }

    /// The lines printed, once `enough` says they are (or after 5 s).
    fn printed_until(&self, enough: impl Fn(&[String]) -> bool) -> Vec<String> {
        let until = Instant::now() + Duration::from_secs(5);
        loop {
            let lines = self.printed();
            if enough(&lines) || Instant::now() > until {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = stdin.flush();
        }
        drop(self.child.stdin.take());
        self.kill();
    }
}

fn operations_peer(args: &[&str]) -> Peer {
    let mut command = Command::new(python());
    command
        .arg(root().join("tests/interop/operations_peer.py"))
        .args(args);
    Peer::start(command)
}

fn flight_cancel_peer(args: &[&str]) -> Peer {
    let mut command = Command::new(python());
    command
        .arg(root().join("tests/interop/flight_cancel_peer.py"))
        .arg(root().join("tests/data/vectors/reference_descriptor_set.binpb"))
        .args(args);
    Peer::start(command)
}

async fn channel(addr: &str) -> Channel {
    Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect_timeout(Duration::from_secs(5))
        .connect_lazy()
}

/// Quick polls for tests: 100 ms doubling to 400 ms, retries the same
/// without jitter.
fn quick() -> PollOptions {
    PollOptions::default()
        .with_polling(
            PollingBackoff::new(Duration::from_millis(100), Duration::from_millis(400), 2.0)
                .unwrap(),
        )
        .with_retry(
            RetryBackoff::new(Duration::from_millis(100), Duration::from_millis(400), 2.0)
                .unwrap()
                .without_jitter(),
        )
        .with_call_timeout(Some(Duration::from_secs(5)))
        .with_max_elapsed(Duration::from_secs(30))
}

async fn bounded<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(WHOLE_TEST, future)
        .await
        .unwrap_or_else(|_| panic!("nothing within {WHOLE_TEST:?}"))
}

type GrpcPoller = OperationPoller<OperationsClient<Channel>, Timestamp, DoubleValue>;

async fn grpc_operations(addr: &str) -> Operations<OperationsClient<Channel>> {
    Operations::new(OperationsClient::new(channel(addr).await)).with_options(quick())
}

fn calls(peer: &Peer, rpc: &str) -> usize {
    peer.printed()
        .iter()
        .filter(|line| line.starts_with(&format!("call {rpc} ")))
        .count()
}

// ---- Google's generated stubs, on grpcio ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn google_stubs_with_wait_operation() {
    let peer = operations_peer(&["--mode", "wait", "--run-for", "1.5"]);
    let operations = grpc_operations(&peer.addr("addr")).await;
    let started = Instant::now();
    let poller: GrpcPoller = operations.resume("operations/op-1");
    let done = bounded(poller.until_done()).await.unwrap();
    assert_eq!(done.seconds, 1_800_000_000);
    assert_eq!(operations.has_wait(), Some(true));
    assert!(started.elapsed() < Duration::from_secs(10));
    let printed = peer.printed();
    assert!(
        printed.iter().any(|l| l.starts_with("call WaitOperation ")),
        "{printed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn google_stubs_without_wait_operation_fall_back_to_get() {
    let peer = operations_peer(&["--mode", "no-wait", "--run-for", "1"]);
    let operations = grpc_operations(&peer.addr("addr")).await;
    let poller: GrpcPoller = operations.resume("operations/op-1");
    bounded(poller.until_done()).await.unwrap();
    assert_eq!(operations.has_wait(), Some(false));
    // The generated base class answered UNIMPLEMENTED without printing;
    // the second poller does not try WaitOperation again.
    let poller: GrpcPoller = operations.resume("operations/op-2");
    bounded(poller.until_done()).await.unwrap();
    assert_eq!(calls(&peer, "WaitOperation"), 0);
    assert!(calls(&peer, "GetOperation") >= 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn google_stubs_unavailable_for_a_while_are_retried() {
    let peer = operations_peer(&["--unavailable-for", "2", "--run-for", "2.5"]);
    let operations = grpc_operations(&peer.addr("addr")).await;
    let mut poller: GrpcPoller = operations.resume("operations/op-1");
    let mut retried = Vec::new();
    let outcome = bounded(async {
        loop {
            match poller.poll().await {
                Some(PollingResult::PollingError(error)) => retried.push(error.code()),
                Some(PollingResult::Completed(outcome)) => break outcome,
                Some(PollingResult::InProgress(_)) => {}
                None => panic!("ended without an outcome"),
            }
        }
    })
    .await;
    assert!(outcome.is_ok(), "{outcome:?}");
    // Retries after 0.1, 0.2, 0.4, 0.4 s ...; the server answers from 2 s on.
    assert!(retried.len() >= 3, "{retried:?}");
    assert!(
        retried.iter().all(|code| *code == Code::UNAVAILABLE),
        "{retried:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn google_stubs_cancel_is_cancelled_and_a_finished_one_completed_despite() {
    let peer = operations_peer(&["--run-for", "2"]);
    let operations = grpc_operations(&peer.addr("addr")).await;
    let mut poller: GrpcPoller = operations.resume("operations/op-1");
    assert_eq!(
        bounded(poller.cancel()).await.unwrap(),
        CancelOutcome::Cancelled
    );

    let poller: GrpcPoller = operations.resume("operations/op-2");
    bounded(poller.until_done()).await.unwrap();
    let mut again: GrpcPoller = operations.resume("operations/op-2");
    let outcome = bounded(again.cancel()).await.unwrap();
    assert!(
        matches!(&outcome, CancelOutcome::Completed(t) if t.seconds == 1_800_000_000),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_disappears_mid_poll_ends_in_a_typed_error() {
    let mut peer = operations_peer(&["--run-for", "600"]);
    let operations = grpc_operations(&peer.addr("addr"))
        .await
        .with_options(quick().with_max_elapsed(Duration::from_secs(2)));
    let mut poller: GrpcPoller = operations.resume("operations/op-1");
    assert!(matches!(
        bounded(poller.poll()).await,
        Some(PollingResult::InProgress(Some(_)))
    ));
    peer.kill();
    let started = Instant::now();
    let err = bounded(poller.until_done()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    match &err {
        ClientError::Exhausted {
            limit: Limit::Elapsed(_),
            last: Some(last),
            ..
        } => assert_eq!(last.code(), Code::UNAVAILABLE, "{err}"),
        other => panic!("{other}"),
    }
}

// ---- examples/operations_server, gRPC and REST ----

const FIRESTORE: &str = "projects/*/databases/*/operations/*";

fn operations_server() -> Peer {
    let mut command = Command::new(example("operations_server"));
    command.args([
        "--grpc",
        "127.0.0.1:0",
        "--http",
        "127.0.0.1:0",
        "--seed",
        "3",
        "--run-for",
        "1.5",
        "--name-pattern",
        FIRESTORE,
    ]);
    Peer::start(command)
}

fn firestore_op(i: usize) -> String {
    format!("projects/demo/databases/demo/operations/op-{i}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_server_over_grpc() {
    let server = operations_server();
    let operations = grpc_operations(&server.addr("grpc")).await;
    let poller: GrpcPoller = operations.resume(firestore_op(1));
    let done = bounded(poller.until_done()).await.unwrap();
    assert!(done.seconds > 1_700_000_000);
    assert_eq!(operations.has_wait(), Some(true));
    // op-2 started with op-1, so it is done too: a cancel now tells it
    // completed despite the cancellation.
    let mut poller: GrpcPoller = operations.resume(firestore_op(2));
    let outcome = bounded(poller.cancel()).await.unwrap();
    assert!(
        matches!(outcome, CancelOutcome::Completed(_)),
        "{outcome:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_server_cancel_over_grpc() {
    let server = operations_server();
    let operations = grpc_operations(&server.addr("grpc")).await;
    let mut poller: GrpcPoller = operations.resume(firestore_op(3));
    assert_eq!(
        bounded(poller.cancel()).await.unwrap(),
        CancelOutcome::Cancelled
    );
    let unknown: GrpcPoller = operations.resume(firestore_op(9));
    let err = bounded(unknown.until_done()).await.unwrap_err();
    assert_eq!(err.code(), Code::NOT_FOUND, "{err}");
}

type HttpClient =
    hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, String>;

fn rest_operations(addr: &str, bindings: Bindings) -> Operations<RestOperations<HttpClient>> {
    let http: HttpClient =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http();
    Operations::new(RestOperations::new(
        http,
        format!("http://{addr}"),
        bindings,
    ))
    .with_options(quick())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_server_over_rest_with_firestore_bindings() {
    let server = operations_server();
    let firestore = Bindings::for_name_pattern(FIRESTORE).unwrap();
    // Firestore's own bindings have no WaitOperation; this crate's opt-in
    // `:wait` binding, which the server has, does. Both run at once, while
    // the operations are still running (they complete after 1.5 s).
    let plain = rest_operations(&server.addr("http"), firestore.clone());
    let waiting = rest_operations(&server.addr("http"), firestore.with_wait());

    let with_wait = async {
        let poller: OperationPoller<_, Timestamp, DoubleValue> = waiting.resume(firestore_op(1));
        poller.until_done().await
    };
    let without_wait = async {
        let poller: OperationPoller<_, Timestamp, DoubleValue> = plain.resume(firestore_op(2));
        poller.until_done().await
    };
    let cancel = async {
        let mut poller: OperationPoller<_, Timestamp, DoubleValue> = plain.resume(firestore_op(3));
        poller.cancel().await
    };
    let (with_wait, without_wait, cancel) =
        bounded(async { tokio::join!(with_wait, without_wait, cancel) }).await;
    assert!(with_wait.unwrap().seconds > 1_700_000_000);
    assert!(without_wait.unwrap().seconds > 1_700_000_000);
    assert_eq!(cancel.unwrap(), CancelOutcome::Cancelled);
    assert_eq!(waiting.has_wait(), Some(true));
    assert_eq!(plain.has_wait(), Some(false));

    let missing: OperationPoller<_, Timestamp, DoubleValue> = plain.resume(firestore_op(9));
    let err = bounded(missing.until_done()).await.unwrap_err();
    assert_eq!(err.code(), Code::NOT_FOUND, "{err}");
}

// ---- Flight: arrow-flight's server (examples/flight_server) ----

fn flight_server() -> Peer {
    let mut command = Command::new(example("flight_server"));
    command.args(["--addr", "127.0.0.1:0"]);
    Peer::start(command)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arrow_flight_server_polls_to_completion_and_cancels() {
    let server = flight_server();
    let flights = FlightQueries::new(FlightGrpc::new(channel(&server.addr("addr")).await))
        .with_options(quick());
    let mut poller = flights.poll(FlightDescriptor::command("SELECT value FROM numbers"));
    let mut progress = Vec::new();
    let info = bounded(async {
        loop {
            match poller.poll().await.unwrap() {
                PollingResult::InProgress(Some(poll)) => progress.push(poll.progress.unwrap()),
                PollingResult::Completed(outcome) => break outcome.unwrap(),
                other => panic!("{other:?}"),
            }
        }
    })
    .await;
    assert_eq!(progress, [0.25, 0.5, 0.75]);
    assert_eq!(info.endpoint.len(), 4);
    assert_eq!(flights.has_poll_flight_info(), Some(true));

    // A finished query cannot be cancelled.
    let outcome = bounded(flights.canceller().cancel(info)).await.unwrap();
    assert_eq!(outcome, CancelOutcome::NotCancellable);

    // A running one is, through its poller.
    let mut poller = flights.poll(FlightDescriptor::command("SELECT 2"));
    assert!(matches!(
        bounded(poller.poll()).await,
        Some(PollingResult::InProgress(_))
    ));
    assert_eq!(
        bounded(poller.cancel()).await.unwrap(),
        CancelOutcome::Cancelled
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flight_server_that_disappears_mid_poll_ends_in_a_typed_error() {
    let mut server = flight_server();
    let flights = FlightQueries::new(FlightGrpc::new(channel(&server.addr("addr")).await))
        .with_options(quick().with_max_elapsed(Duration::from_secs(2)));
    let mut poller = flights.poll(FlightDescriptor::command("SELECT 3"));
    assert!(matches!(
        bounded(poller.poll()).await,
        Some(PollingResult::InProgress(Some(_)))
    ));
    server.kill();
    let started = Instant::now();
    let err = bounded(poller.until_done()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    match &err {
        ClientError::Exhausted {
            limit: Limit::Elapsed(_),
            last: Some(last),
            ..
        } => assert_eq!(last.code(), Code::UNAVAILABLE, "{err}"),
        other => panic!("{other}"),
    }
}

// ---- Flight: pyarrow's FlightServerBase (Arrow C++) ----

fn flight_queries(addr: &str, options: PollOptions) -> FlightQueries<FlightGrpc<Channel>> {
    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect_lazy();
    FlightQueries::new(FlightGrpc::new(channel)).with_options(options)
}

fn cancel_lines(peer: &Peer, expected: usize) -> Vec<String> {
    let is_cancel = |l: &String| l.starts_with("action CancelFlightInfo");
    peer.printed_until(|lines| lines.iter().filter(|l| is_cancel(l)).count() >= expected)
        .into_iter()
        .filter(is_cancel)
        .collect()
}

fn info_of(command: &str) -> FlightInfo {
    FlightInfo {
        flight_descriptor: Some(FlightDescriptor::command(command.to_owned())),
        total_records: -1,
        total_bytes: -1,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyarrow_cancelling_three_times_then_cancelled() {
    let peer = flight_cancel_peer(&[
        "--cancel-script",
        "CANCELLING,CANCELLING,CANCELLING,CANCELLED",
    ]);
    let flights = flight_queries(&peer.addr("addr"), quick());
    let started = Instant::now();
    let outcome = bounded(flights.canceller().cancel(info_of("q-1")))
        .await
        .unwrap();
    assert_eq!(outcome, CancelOutcome::Cancelled);
    // Waits of 0.1, 0.2 and 0.4 s between the four requests.
    assert!(
        started.elapsed() >= Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
    // pyarrow read the request's FlightInfo (its descriptor) each time.
    assert_eq!(
        cancel_lines(&peer, 4),
        [
            "action CancelFlightInfo CANCELLING descriptor=q-1",
            "action CancelFlightInfo CANCELLING descriptor=q-1",
            "action CancelFlightInfo CANCELLING descriptor=q-1",
            "action CancelFlightInfo CANCELLED descriptor=q-1",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyarrow_not_found_after_cancelling_is_gone_and_not_cancellable_stops() {
    let peer = flight_cancel_peer(&["--cancel-script", "CANCELLING,NOT_FOUND"]);
    let flights = flight_queries(&peer.addr("addr"), quick());
    assert_eq!(
        bounded(flights.canceller().cancel(info_of("q-2")))
            .await
            .unwrap(),
        CancelOutcome::Gone
    );
    let peer = flight_cancel_peer(&["--cancel-script", "UNSPECIFIED,NOT_CANCELLABLE"]);
    let flights = flight_queries(&peer.addr("addr"), quick());
    assert_eq!(
        bounded(flights.canceller().cancel(info_of("q-3")))
            .await
            .unwrap(),
        CancelOutcome::NotCancellable
    );
    assert_eq!(cancel_lines(&peer, 2).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyarrow_without_poll_flight_info_falls_back_to_get_flight_info() {
    let peer = flight_cancel_peer(&[]);
    let flights = flight_queries(&peer.addr("addr"), quick());
    let info = bounded(
        flights
            .poll(FlightDescriptor::command("SELECT 1"))
            .until_done(),
    )
    .await
    .unwrap();
    assert_eq!(
        &info.endpoint[0].ticket.as_ref().unwrap().ticket[..],
        b"SELECT 1"
    );
    assert_eq!(flights.has_poll_flight_info(), Some(false));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pyarrow_slow_answer_past_the_deadline_gets_a_bounded_best_effort_cancel() {
    let peer = flight_cancel_peer(&["--slow", "30", "--cancel-script", "CANCELLED"]);
    let options = quick()
        .with_deadline(Duration::from_secs(1))
        .with_cancel_timeout(Duration::from_secs(3));
    let flights = flight_queries(&peer.addr("addr"), options);
    let started = Instant::now();
    let err = bounded(
        flights
            .poll(FlightDescriptor::command("SELECT slowly"))
            .until_done(),
    )
    .await
    .unwrap_err();
    let took = started.elapsed();
    // The deadline (1 s) plus at most the cancel's bound (3 s).
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_secs(4),
        "{took:?}"
    );
    match &err {
        ClientError::DeadlineExceeded {
            cancel: Some(BestEffortCancel::Answered(CancelStatus::CANCELLED)),
            ..
        } => {}
        other => panic!("{other}"),
    }
    let lines = cancel_lines(&peer, 1);
    assert_eq!(
        lines,
        ["action CancelFlightInfo CANCELLED descriptor=SELECT slowly"]
    );
}
