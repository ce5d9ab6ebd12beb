//! The example servers (`operations_server`, `flight_server`) against the
//! faults a server on the network meets, each started as its own process
//! (the binaries `cargo test` builds) and watched from outside through
//! `/proc`:
//!
//! - a client that sends half a request line is closed within the header
//!   timeout, and one silent on the gRPC port within the idle timeout;
//! - with the descriptor table exhausted (the server started under
//!   `ulimit -n 64`, more idle connections than that held open) the server
//!   does not spin (its CPU time over three seconds, from
//!   `/proc/PID/stat`), logs the failed accepts, and answers again once the
//!   connections leave;
//! - 10,000 distinct Flight operation names leave the gateway's and the
//!   Flight server's resident memory (`VmRSS`) bounded;
//! - a body whose Content-Length is over the limit is refused without a
//!   `100 Continue`, and a NOT_FOUND for a 100 KB name quotes a bounded
//!   part of it.

use crate::flight_interop::example;
use cancelwire::longrunning::GetOperationRequest;
use cancelwire::longrunning::operations_client::OperationsClient;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

/// How long a server may take to print its ready line.
const READY: Duration = Duration::from_secs(30);

/// A running example server, stopped when dropped; its stderr is kept.
struct Server {
    child: Child,
    /// The addresses of its ready line, by key (`grpc`, `http`, `addr`).
    addrs: Vec<(String, SocketAddr)>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `name` with `args`, under `ulimit -n LIMIT` when given.
    fn start(name: &str, args: &[&str], nofile: Option<u32>) -> Self {
        let binary = example(name);
        let mut command = match nofile {
            Some(limit) => {
                let mut sh = Command::new("sh");
                sh.arg("-c")
                    .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                    .arg(&binary);
                sh
            }
            None => Command::new(&binary),
        };
        let mut child = command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        let stderr = Arc::new(Mutex::new(String::new()));
        let errors = child.stderr.take().expect("piped stderr");
        let kept = stderr.clone();
        thread::spawn(move || {
            for line in BufReader::new(errors).lines().map_while(Result::ok) {
                let mut kept = kept.lock().unwrap();
                // Only the start of it: enough to find the log lines.
                if kept.len() < 1 << 20 {
                    kept.push_str(&line);
                    kept.push('\n');
                }
            }
        });
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
                panic!("{name} printed no ready line: {other:?}");
            }
        };
        let addrs = line
            .strip_prefix("listening ")
            .unwrap_or_else(|| panic!("{name}'s ready line: {line}"))
            .split(' ')
            .map(|pair| {
                let (key, addr) = pair.split_once('=').expect("key=ADDR");
                (key.to_owned(), addr.parse().expect("an address"))
            })
            .collect();
        Self {
            child,
            addrs,
            stderr,
        }
    }

    fn addr(&self, key: &str) -> SocketAddr {
        self.addrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, addr)| *addr)
            .unwrap_or_else(|| panic!("no {key} address in {:?}", self.addrs))
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// User plus system CPU time of process `pid` so far.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/PID/stat");
    // Fields after the command name, which is in parentheses: utime and
    // stime are the 12th and 13th of them (14th and 15th of the line).
    let rest = &stat[stat.rfind(')').expect("(comm)") + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_secs_f64(ticks as f64 / clock_ticks() as f64)
}

/// The kernel's clock ticks per second (`getconf CLK_TCK`).
fn clock_ticks() -> u64 {
    let out = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .expect("getconf");
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .expect("CLK_TCK")
}

/// Resident memory of process `pid`, in bytes (`VmRSS`).
fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc/PID/status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmRSS:"))
        .expect("VmRSS");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("VmRSS kB");
    kib * 1024
}

/// How long the server takes to close `stream` (read returns 0 or fails),
/// reading at most `bound`.
fn time_to_close(stream: &mut TcpStream, bound: Duration) -> Option<Duration> {
    let start = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 4096];
    while start.elapsed() < bound {
        match stream.read(&mut buf) {
            Ok(0) => return Some(start.elapsed()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Some(start.elapsed()),
        }
    }
    None
}

/// One HTTP/1.1 request on a new connection; the whole response.
fn http(addr: SocketAddr, request: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                response.extend_from_slice(&buf[..n]);
                if complete(&response) {
                    break;
                }
            }
            Err(e) if response.is_empty() => return Err(e),
            Err(_) => break,
        }
    }
    Ok(String::from_utf8_lossy(&response).into_owned())
}

/// Whether `response` holds a whole response with a Content-Length body.
fn complete(response: &[u8]) -> bool {
    let text = String::from_utf8_lossy(response);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .is_some_and(|length| body.len() >= length)
}

fn get(addr: SocketAddr, path: &str) -> std::io::Result<String> {
    http(
        addr,
        &format!("GET {path} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n"),
    )
}

/// A gRPC Operations client of the server at `addr`.
async fn client(addr: SocketAddr) -> OperationsClient<tonic::transport::Channel> {
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    OperationsClient::new(channel)
}

#[test]
fn a_half_sent_request_is_closed_within_the_header_timeout() {
    let server = Server::start(
        "operations_server",
        &["--header-timeout", "1", "--idle-timeout", "2"],
        None,
    );
    let http_addr = server.addr("http");
    let mut half = TcpStream::connect(http_addr).unwrap();
    half.write_all(b"GET /v1/projects/demo/operations/op-1 HT")
        .unwrap();
    let closed = time_to_close(&mut half, Duration::from_secs(10))
        .expect("a half-sent request line still open after 10 s");
    assert!(closed < Duration::from_secs(4), "closed after {closed:?}");

    // Headers begun but never finished: the same.
    let mut slow = TcpStream::connect(http_addr).unwrap();
    slow.write_all(b"GET /v1/projects/demo/operations/op-1 HTTP/1.1\r\nhost: x\r\n")
        .unwrap();
    let closed = time_to_close(&mut slow, Duration::from_secs(10))
        .expect("half-sent headers still open after 10 s");
    assert!(closed < Duration::from_secs(4), "closed after {closed:?}");

    // Half of HTTP/2's preface on the gRPC port: closed once idle.
    let mut preface = TcpStream::connect(server.addr("grpc")).unwrap();
    preface.write_all(b"PRI * HTTP/2.0\r\n").unwrap();
    let closed = time_to_close(&mut preface, Duration::from_secs(10))
        .expect("a half-sent HTTP/2 preface still open after 10 s");
    assert!(closed < Duration::from_secs(5), "closed after {closed:?}");

    // A whole request on a fresh connection is still answered.
    let answer = get(http_addr, "/v1/projects/demo/operations/op-1").unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn flight_server_closes_a_silent_connection_within_the_idle_timeout() {
    let server = Server::start(
        "flight_server",
        &["--addr", "127.0.0.1:0", "--idle-timeout", "1"],
        None,
    );
    let mut silent = TcpStream::connect(server.addr("addr")).unwrap();
    let closed = time_to_close(&mut silent, Duration::from_secs(10))
        .expect("a silent connection still open after 10 s");
    assert!(closed < Duration::from_secs(4), "closed after {closed:?}");
}

/// Holds more idle connections to `target` than the server has file
/// descriptors, measures the server's CPU time over three seconds, then
/// lets the connections go and waits until `answered` says it serves again.
fn exhaust(server: &Server, target: SocketAddr, answered: impl Fn() -> bool) {
    let held: Vec<TcpStream> = (0..150)
        .map(|_| TcpStream::connect(target).expect("connect: the backlog holds them"))
        .collect();
    // Let it accept what it can and run into the limit.
    thread::sleep(Duration::from_millis(500));
    let before = cpu_time(server.pid());
    let window = Instant::now();
    thread::sleep(Duration::from_secs(3));
    let used = cpu_time(server.pid()) - before;
    let elapsed = window.elapsed();
    eprintln!(
        "server CPU with the descriptor table full: {:?} over {:?} ({:.1}% of a core)",
        used,
        elapsed,
        100.0 * used.as_secs_f64() / elapsed.as_secs_f64()
    );
    assert!(
        used < elapsed / 10,
        "the server used {used:?} of CPU in {elapsed:?} while out of descriptors"
    );
    let log = server.stderr();
    assert!(
        log.contains("accept failed") && log.contains("Too many open files"),
        "no log of the failed accepts: {log}"
    );
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(15);
    while !answered() {
        assert!(
            Instant::now() < deadline,
            "no answer 15 s after the connections left"
        );
        thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn operations_server_out_of_descriptors_does_not_spin_and_recovers() {
    let server = Server::start(
        "operations_server",
        &["--header-timeout", "60", "--idle-timeout", "120"],
        Some(64),
    );
    let http_addr = server.addr("http");
    let answered = || {
        get(http_addr, "/v1/projects/demo/operations/op-1")
            .is_ok_and(|a| a.starts_with("HTTP/1.1 200"))
    };
    assert!(answered(), "no answer before the test");
    exhaust(&server, http_addr, answered);
    // gRPC is served too: its accept loop waited as well.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let grpc_addr = server.addr("grpc");
    let op = runtime.block_on(async {
        let mut client = client(grpc_addr).await;
        client
            .get_operation(GetOperationRequest {
                name: "projects/demo/operations/op-1".to_owned(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
    });
    assert_eq!(op.name, "projects/demo/operations/op-1");
}

#[test]
fn flight_server_out_of_descriptors_does_not_spin_and_recovers() {
    let server = Server::start("flight_server", &["--addr", "127.0.0.1:0"], Some(64));
    let addr = server.addr("addr");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let answered = || {
        runtime.block_on(async {
            let list = async {
                let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
                    .ok()?
                    .connect()
                    .await
                    .ok()?;
                let mut client = arrow_flight::FlightClient::new(channel);
                let actions = client.list_actions().await.ok()?;
                futures::TryStreamExt::try_collect::<Vec<_>>(actions)
                    .await
                    .ok()
            };
            tokio::time::timeout(Duration::from_secs(5), list)
                .await
                .ok()
                .flatten()
                .is_some_and(|actions| actions.len() == 2)
        })
    };
    assert!(answered(), "no answer before the test");
    exhaust(&server, addr, answered);
}

#[test]
fn ten_thousand_flight_names_leave_gateway_and_flight_memory_bounded() {
    let flight = Server::start("flight_server", &["--addr", "127.0.0.1:0"], None);
    let flight_uri = format!("http://{}", flight.addr("addr"));
    let gateway = Server::start("operations_server", &["--flight", &flight_uri], None);
    let grpc_addr = gateway.addr("grpc");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = runtime.block_on(async { client(grpc_addr).await });
    // GETs of names `flight-q{from}` .. `flight-q{to - 1}`, 16 at a time.
    let ask = |from: usize, to: usize| {
        runtime.block_on(async {
            use futures::StreamExt;
            futures::stream::iter(from..to)
                .map(|i| {
                    let mut client = client.clone();
                    async move {
                        let op = client
                            .get_operation(GetOperationRequest {
                                name: format!("projects/demo/operations/flight-q{i}"),
                                ..Default::default()
                            })
                            .await
                            .unwrap()
                            .into_inner();
                        assert!(!op.done, "a new query is running: {op:?}");
                    }
                })
                .buffer_unordered(16)
                .collect::<Vec<()>>()
                .await;
        })
    };
    // Past the caps (1,024 each) first, so what follows only replaces.
    ask(0, 2_000);
    let (gateway_before, flight_before) = (rss(gateway.pid()), rss(flight.pid()));
    ask(2_000, 10_000);
    let (gateway_after, flight_after) = (rss(gateway.pid()), rss(flight.pid()));
    let mib = |bytes: u64| bytes as f64 / (1 << 20) as f64;
    eprintln!(
        "RSS after 2,000 and 10,000 names: gateway {:.1} -> {:.1} MiB, flight_server {:.1} -> {:.1} MiB",
        mib(gateway_before),
        mib(gateway_after),
        mib(flight_before),
        mib(flight_after)
    );
    // Kept for ever, 8,000 more names would add about 48 MB to each.
    let bound = 8 << 20;
    assert!(
        gateway_after.saturating_sub(gateway_before) < bound,
        "gateway grew {gateway_before} -> {gateway_after}"
    );
    assert!(
        flight_after.saturating_sub(flight_before) < bound,
        "flight_server grew {flight_before} -> {flight_after}"
    );
    // A recent query still polls on (it was remembered), an evicted one
    // starts afresh: both answer.
    let op = runtime.block_on(async {
        client
            .clone()
            .get_operation(GetOperationRequest {
                name: "projects/demo/operations/flight-q9999".to_owned(),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_inner()
    });
    assert_eq!(op.name, "projects/demo/operations/flight-q9999");
}

#[test]
fn an_oversized_body_is_refused_before_100_continue_and_long_names_are_cut() {
    let server = Server::start("operations_server", &[], None);
    let http_addr = server.addr("http");
    let mut stream = TcpStream::connect(http_addr).unwrap();
    stream
        .write_all(
            b"POST /v1/projects/demo/operations/op-1:cancel HTTP/1.1\r\nhost: x\r\n\
              content-type: application/json\r\ncontent-length: 10000000\r\n\
              expect: 100-continue\r\n\r\n",
        )
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut first = vec![0u8; 4096];
    let n = stream.read(&mut first).unwrap();
    let answer = String::from_utf8_lossy(&first[..n]);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(!answer.contains("100 Continue"), "{answer}");
    assert!(answer.contains("larger than 65536 bytes"), "{answer}");

    // A NOT_FOUND quotes a bounded part of a 100 KB name, so that a
    // client's header limit (grpcio: 8 KiB) does not turn it into
    // RESOURCE_EXHAUSTED.
    let name = format!("operations/{}", "x".repeat(100_000));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let grpc_addr = server.addr("grpc");
    let status = runtime.block_on(async {
        let mut client = client(grpc_addr).await;
        client
            .get_operation(GetOperationRequest {
                name,
                ..Default::default()
            })
            .await
            .unwrap_err()
    });
    assert_eq!(status.code(), tonic::Code::NotFound, "{status:?}");
    assert!(status.message().len() < 300, "{}", status.message().len());
    assert!(
        status.message().contains("(100011 bytes)"),
        "{}",
        status.message()
    );
}
