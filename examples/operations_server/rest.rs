//! The REST front end: the HTTP mapping of `google.longrunning.Operations`
//! that Google's client libraries use, with canonical ProtoJSON bodies.
//!
//! | request | method |
//! |---|---|
//! | `GET /v1/{parent}/operations?filter=&pageSize=&pageToken=` | ListOperations |
//! | `GET /v1/{name}` | GetOperation |
//! | `DELETE /v1/{name}` | DeleteOperation |
//! | `POST /v1/{name}:cancel` | CancelOperation |
//! | `POST /v1/{name}:wait` (body: `{"timeout": "5s"}`) | WaitOperation |
//!
//! Errors are the JSON error envelope, `{"error": {"code", "message",
//! "status", "details"}}`, with the HTTP status of the `google.rpc.Code`.

use crate::store::Store;
use bytes::Bytes;
use cancelwire::json::JsonOptions;
use cancelwire::longrunning::WaitOperationRequest;
use cancelwire::rpc::Status;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use std::sync::Arc;
use std::time::Duration;

/// Request bodies larger than this are refused.
const MAX_BODY: usize = 64 * 1024;

pub async fn handle(
    store: Arc<Store>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let query = request.uri().query().unwrap_or("").to_owned();
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(error(&Status::invalid_argument(
                "request body is unreadable or larger than 64 KiB",
            )));
        }
    };
    let reply = match route(&store, &method, &path, &query, &body).await {
        Ok(json) => json_response(StatusCode::OK, json),
        Err(status) => error(&status),
    };
    Ok(reply)
}

async fn route(
    store: &Store,
    method: &Method,
    path: &str,
    query: &str,
    body: &[u8],
) -> Result<String, Status> {
    let Some(rest) = path.strip_prefix("/v1/") else {
        return Err(Status::not_found(format!("no route for `{path}`")));
    };
    let rest = percent_decode(rest)?;
    let json = |result: Result<String, cancelwire::json::JsonError>| {
        result.map_err(|e| Status::internal(format!("cannot print the response: {e}")))
    };
    match *method {
        Method::GET => match rest.strip_suffix("/operations") {
            Some(parent) => {
                let params = QueryParams::parse(query)?;
                let page_size = params.page_size()?;
                let page = store.list(
                    parent,
                    params.get("filter"),
                    page_size,
                    params.get("pageToken"),
                )?;
                json(cancelwire::json::to_string(&page))
            }
            None => json(cancelwire::json::to_string(&store.get(&rest)?)),
        },
        Method::DELETE => store.delete(&rest).map(|()| "{}".to_owned()),
        Method::POST => {
            if let Some(name) = rest.strip_suffix(":cancel") {
                store.cancel(name).map(|()| "{}".to_owned())
            } else if let Some(name) = rest.strip_suffix(":wait") {
                let timeout = wait_timeout(body)?;
                json(cancelwire::json::to_string(
                    &store.wait(name, timeout).await?,
                ))
            } else {
                Err(Status::not_found(format!("no POST route for `{path}`")))
            }
        }
        _ => Err(Status::unimplemented(format!(
            "method {method} is not supported"
        ))),
    }
}

/// The `timeout` of a WaitOperation body (the name comes from the path).
fn wait_timeout(body: &[u8]) -> Result<Option<Duration>, Status> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| Status::invalid_argument("request body is not UTF-8"))?;
    let request: WaitOperationRequest = JsonOptions::new()
        .from_str(text)
        .map_err(|e| Status::invalid_argument(e.to_string()))?;
    match request.timeout {
        None => Ok(None),
        Some(t) if t.seconds < 0 || t.nanos < 0 => {
            Err(Status::invalid_argument("timeout must not be negative"))
        }
        Some(t) => Ok(Some(Duration::new(
            t.seconds.unsigned_abs(),
            t.nanos.unsigned_abs(),
        ))),
    }
}

/// Query parameters, percent-decoded; both the JSON and the proto spelling
/// of a name are accepted, as in ProtoJSON.
struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    fn parse(query: &str) -> Result<Self, Status> {
        let mut params = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(&key.replace('+', " "))?;
            let value = percent_decode(&value.replace('+', " "))?;
            let key = match key.as_str() {
                "page_size" => "pageSize".to_owned(),
                "page_token" => "pageToken".to_owned(),
                _ => key,
            };
            params.push((key, value));
        }
        Ok(Self(params))
    }

    fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    fn page_size(&self) -> Result<i32, Status> {
        match self.get("pageSize") {
            "" => Ok(0),
            text => text.parse().map_err(|_| {
                Status::invalid_argument(format!("pageSize `{text}` is not an int32"))
            }),
        }
    }
}

fn percent_decode(text: &str) -> Result<String, Status> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
            out.push(byte.ok_or_else(|| {
                Status::invalid_argument(format!("bad percent escape in `{text}`"))
            })?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| Status::invalid_argument(format!("`{text}` is not UTF-8 once decoded")))
}

fn json_response(status: StatusCode, json: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(json)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}

/// The JSON error envelope of Google's REST APIs.
fn error(status: &Status) -> Response<Full<Bytes>> {
    let code = status.code();
    let http = code.to_http_status();
    let details: Vec<serde_json::Value> = status
        .details
        .iter()
        .filter_map(|any| serde_json::to_value(any).ok())
        .collect();
    let envelope = serde_json::json!({
        "error": {
            "code": http,
            "message": status.message,
            "status": code.to_string(),
            "details": details,
        }
    });
    let http = StatusCode::from_u16(http).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    json_response(http, envelope.to_string())
}
