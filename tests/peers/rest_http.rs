//! Raw HTTP/1.1 against `RestService` serving the example server's
//! Operations implementation on Firestore's bindings, on a loopback port
//! with hyper: the promises of Firestore's `operations.cancel` page, the
//! error envelope, paging, and the body limit.
#![cfg(feature = "rest")]

use crate::{grpc, store};
use cancelwire::longrunning::rest::{Bindings, RestService};
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tonic::codegen::Service;

const DB: &str = "projects/demo/databases/demo";

fn op(i: usize) -> String {
    format!("{DB}/operations/op-{i}")
}

/// Serves `count` seeded operations under Firestore's bindings until the
/// test ends.
async fn start(count: usize, max_body: usize) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let store = Arc::new(store::Store::seeded(
        DB,
        "operations",
        count,
        Duration::from_secs(600),
    ));
    let bindings = Bindings::for_name_pattern("projects/*/databases/*/operations/*").unwrap();
    let rest = RestService::new(grpc::GrpcOperations(store, None), bindings).max_body(max_body);
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let rest = rest.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |r| rest.clone().call(r));
                let http = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
                let _ = http.serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    addr
}

struct Answer {
    status: u16,
    content_type: Option<String>,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The `error` object of the envelope, checked to have Google's keys.
    fn envelope(&self) -> Value {
        let json = self.json();
        let error = json["error"].clone();
        assert_eq!(json.as_object().map(|o| o.len()), Some(1), "{json}");
        assert_eq!(error["code"], self.status, "{json}");
        for key in ["message", "status"] {
            assert!(error[key].is_string(), "{key} in {json}");
        }
        assert!(error["details"].is_array(), "{json}");
        error
    }
}

/// Sends one request as raw bytes and reads the whole answer.
async fn send(addr: SocketAddr, method: &str, target: &str, body: &[u8]) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("answer within 10 s")
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let content_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_owned());
    Answer {
        status,
        content_type,
        body: body.to_owned(),
    }
}

#[tokio::test]
async fn cancel_with_an_empty_body_answers_empty_object_then_get_shows_cancelled() {
    let addr = start(3, 1024).await;
    let cancel = send(addr, "POST", &format!("/v1/{}:cancel", op(1)), b"").await;
    assert_eq!((cancel.status, cancel.body.as_str()), (200, "{}"));
    assert_eq!(cancel.content_type.as_deref(), Some("application/json"));

    let get = send(addr, "GET", &format!("/v1/{}", op(1)), b"").await;
    assert_eq!(get.status, 200);
    let operation = get.json();
    assert_eq!(operation["name"], op(1));
    assert_eq!(operation["done"], true);
    assert_eq!(operation["error"]["code"], 1);
    // Not deleted: it is still listed.
    let listed = send(addr, "GET", &format!("/v1/{DB}/operations"), b"")
        .await
        .json();
    assert_eq!(listed["operations"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn cancel_accepts_an_empty_object_or_the_same_name_in_the_body() {
    let addr = start(3, 1024).await;
    let a = send(addr, "POST", &format!("/v1/{}:cancel", op(2)), b"{}").await;
    assert_eq!((a.status, a.body.as_str()), (200, "{}"));
    let same = format!(r#"{{"name":"{}"}}"#, op(3));
    let b = send(
        addr,
        "POST",
        &format!("/v1/{}:cancel", op(3)),
        same.as_bytes(),
    )
    .await;
    assert_eq!((b.status, b.body.as_str()), (200, "{}"));
}

#[tokio::test]
async fn unknown_operation_is_a_404_envelope() {
    let addr = start(3, 1024).await;
    for (method, target) in [
        ("GET", format!("/v1/{}", op(9))),
        ("POST", format!("/v1/{}:cancel", op(9))),
        ("DELETE", format!("/v1/{}", op(9))),
    ] {
        let answer = send(addr, method, &target, b"").await;
        assert_eq!(answer.status, 404, "{method} {target}");
        let error = answer.envelope();
        assert_eq!(error["status"], "NOT_FOUND");
        assert!(
            error["message"].as_str().unwrap().contains(&op(9)),
            "{error}"
        );
    }
}

#[tokio::test]
async fn paths_outside_the_pattern_are_404() {
    let addr = start(3, 1024).await;
    for (method, target) in [
        ("GET", "/v1/operations/op-1".to_owned()),
        ("GET", "/v1/projects/demo/operations/op-1".to_owned()),
        ("GET", format!("/v1/{}/extra", op(1))),
        ("POST", format!("/v1/{}:wait", op(1))),
        ("PUT", format!("/v1/{}", op(1))),
        ("GET", format!("/v2/{}", op(1))),
    ] {
        let answer = send(addr, method, &target, b"").await;
        assert_eq!(answer.status, 404, "{method} {target}");
        assert_eq!(answer.envelope()["status"], "NOT_FOUND");
    }
}

#[tokio::test]
async fn malformed_bodies_and_queries_are_400_invalid_argument() {
    let addr = start(3, 64).await;
    let cancel = format!("/v1/{}:cancel", op(1));
    let other = format!(r#"{{"name":"{}"}}"#, op(2));
    for body in [
        &b"{"[..],
        b"[1]",
        br#"{"force":true}"#,
        other.as_bytes(),
        &[b' '; 65],
    ] {
        let answer = send(addr, "POST", &cancel, body).await;
        assert_eq!(answer.status, 400, "{}", String::from_utf8_lossy(body));
        assert_eq!(answer.envelope()["status"], "INVALID_ARGUMENT");
    }
    for query in [
        "pageSize=x",
        "pageToken=a&page_token=b",
        "colour=blue",
        "filter=colour%3Dblue",
    ] {
        let answer = send(addr, "GET", &format!("/v1/{DB}/operations?{query}"), b"").await;
        assert_eq!(answer.status, 400, "{query}");
        assert_eq!(answer.envelope()["status"], "INVALID_ARGUMENT");
    }
    // The malformed cancel did not cancel.
    let get = send(addr, "GET", &format!("/v1/{}", op(1)), b"")
        .await
        .json();
    assert_eq!(get["done"], Value::Null);
}

#[tokio::test]
async fn paging_with_page_size_and_page_token_in_either_spelling() {
    let addr = start(5, 1024).await;
    let mut names = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let query = if pages % 2 == 0 {
            format!("pageSize=2&pageToken={token}")
        } else {
            format!("page_size=2&page_token={token}")
        };
        let page = send(addr, "GET", &format!("/v1/{DB}/operations?{query}"), b"").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let page = page.json();
        pages += 1;
        let operations = page["operations"].as_array().unwrap();
        assert!(operations.len() <= 2);
        names.extend(
            operations
                .iter()
                .map(|o| o["name"].as_str().unwrap().to_owned()),
        );
        match page["nextPageToken"].as_str() {
            Some(next) => token = next.replace('/', "%2F"),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, (1..=5).map(op).collect::<Vec<_>>());
}
