//! The server side: an HTTP request to a typed request of the service, and
//! a response or error to an HTTP status and a JSON body.

use super::bindings::{Bindings, Rpc};
use super::template::{is_well_encoded, query_decode};
use crate::json::JsonOptions;
use crate::longrunning::{
    CancelOperationRequest, DeleteOperationRequest, GetOperationRequest, ListOperationsRequest,
    WaitOperationRequest,
};
use crate::rpc::{Code, Status};
use prost::Name;
use serde::Serialize;

/// A request of the `Operations` service, as read from HTTP.
///
/// ```
/// use cancelwire::longrunning::rest::{Bindings, OperationsRequest, Rpc};
///
/// let request = Bindings::upstream().route(&http::Method::DELETE, "/v1/operations/7", "", b"")?;
/// assert_eq!(request.rpc(), Rpc::Delete);
/// assert_eq!(request.name(), "operations/7");
/// # Ok::<(), cancelwire::rpc::Status>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum OperationsRequest {
    /// `ListOperations`.
    List(ListOperationsRequest),
    /// `GetOperation`.
    Get(GetOperationRequest),
    /// `DeleteOperation`.
    Delete(DeleteOperationRequest),
    /// `CancelOperation`.
    Cancel(CancelOperationRequest),
    /// `WaitOperation`.
    Wait(WaitOperationRequest),
}

impl OperationsRequest {
    /// Which RPC it is.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::{OperationsRequest, Rpc};
    /// use cancelwire::longrunning::GetOperationRequest;
    ///
    /// let get = OperationsRequest::Get(GetOperationRequest { name: "operations/1".into(), ..Default::default() });
    /// assert_eq!(get.rpc(), Rpc::Get);
    /// ```
    pub fn rpc(&self) -> Rpc {
        match self {
            OperationsRequest::List(_) => Rpc::List,
            OperationsRequest::Get(_) => Rpc::Get,
            OperationsRequest::Delete(_) => Rpc::Delete,
            OperationsRequest::Cancel(_) => Rpc::Cancel,
            OperationsRequest::Wait(_) => Rpc::Wait,
        }
    }

    /// The request's `name`: the operation, or for a list the collection or
    /// its parent.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::OperationsRequest;
    /// use cancelwire::longrunning::ListOperationsRequest;
    ///
    /// let list = OperationsRequest::List(ListOperationsRequest { name: "projects/p".into(), ..Default::default() });
    /// assert_eq!(list.name(), "projects/p");
    /// ```
    pub fn name(&self) -> &str {
        match self {
            OperationsRequest::List(r) => &r.name,
            OperationsRequest::Get(r) => &r.name,
            OperationsRequest::Delete(r) => &r.name,
            OperationsRequest::Cancel(r) => &r.name,
            OperationsRequest::Wait(r) => &r.name,
        }
    }
}

/// Query parameters that Google's front ends accept on every call and that
/// are not fields of the request (`$alt`, `alt`, `$.xgafv`, `key`,
/// `fields`, ...): they are allowed and ignored.
const SYSTEM_PARAMETERS: &[&str] = &[
    "$alt",
    "alt",
    "$.xgafv",
    "key",
    "fields",
    "$fields",
    "prettyPrint",
    "$prettyPrint",
    "quotaUser",
    "$quotaUser",
    "access_token",
    "oauth_token",
    "callback",
    "$callback",
    "upload_protocol",
    "uploadType",
];

fn invalid(message: String) -> Status {
    Status::invalid_argument(message)
}

impl Bindings {
    /// Reads an HTTP request: the method, the path of the URI (still
    /// percent-encoded), its query (without `?`, `""` when there is none)
    /// and the body.
    ///
    /// - No binding fits the method and path: `NOT_FOUND`.
    /// - A path with a bad percent escape, a malformed query or body:
    ///   `INVALID_ARGUMENT`, saying where.
    /// - ListOperations reads `filter`, `pageSize`, `pageToken` and
    ///   `returnPartialSuccess` from the query, under their JSON or their
    ///   proto names (`page_size`, ...), each at most once; Google's system
    ///   parameters (`$alt`, `key`, `fields`, ...) are ignored, any other
    ///   parameter is an error. List, get and delete take no body.
    /// - CancelOperation's body may be empty, `{}`, or a
    ///   `CancelOperationRequest` naming the same operation as the path;
    ///   WaitOperation's body may also hold a `timeout`. Unknown fields are
    ///   errors.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::{Bindings, OperationsRequest};
    /// use cancelwire::rpc::Code;
    ///
    /// let firestore = Bindings::for_name_pattern("projects/*/databases/*/operations/*")?;
    /// let cancel = firestore.route(&http::Method::POST, "/v1/projects/p/databases/d/operations/op-1:cancel", "", b"")?;
    /// assert_eq!(cancel, OperationsRequest::Cancel(cancelwire::longrunning::CancelOperationRequest {
    ///     name: "projects/p/databases/d/operations/op-1".into(),
    ///     ..Default::default()
    /// }));
    ///
    /// let list = firestore.route(&http::Method::GET, "/v1/projects/p/databases/d/operations", "pageSize=2&page_token=t", b"")?;
    /// let OperationsRequest::List(list) = list else { panic!("not a list") };
    /// assert_eq!((list.name.as_str(), list.page_size, list.page_token.as_str()), ("projects/p/databases/d", 2, "t"));
    ///
    /// let outside = firestore.route(&http::Method::GET, "/v1/operations/op-1", "", b"").unwrap_err();
    /// assert_eq!(outside.code(), Code::NOT_FOUND);
    /// let bad = firestore.route(&http::Method::POST, "/v1/projects/p/databases/d/operations/op-1:cancel", "", b"{").unwrap_err();
    /// assert_eq!(bad.code(), Code::INVALID_ARGUMENT);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route(
        &self,
        method: &http::Method,
        path: &str,
        query: &str,
        body: &[u8],
    ) -> Result<OperationsRequest, Status> {
        if !is_well_encoded(path) {
            return Err(invalid(format!(
                "the path `{path}` holds a bad percent escape or is not UTF-8 once decoded"
            )));
        }
        let found = self.iter().find_map(|binding| {
            if binding.method() != method {
                return None;
            }
            let found = binding.template().match_path(path)?;
            Some((binding.rpc(), found.get("name")?.to_owned()))
        });
        let Some((rpc, name)) = found else {
            return Err(Status::not_found(format!(
                "no operations method is bound to {method} `{path}`"
            )));
        };
        let params = query_params(query)?;
        match rpc {
            Rpc::List => {
                no_body(rpc, body)?;
                list_request(name, &params)
            }
            Rpc::Get => {
                no_fields(rpc, &params)?;
                no_body(rpc, body)?;
                Ok(OperationsRequest::Get(GetOperationRequest {
                    name,
                    unknown_fields: crate::UnknownFields::new(),
                }))
            }
            Rpc::Delete => {
                no_fields(rpc, &params)?;
                no_body(rpc, body)?;
                Ok(OperationsRequest::Delete(DeleteOperationRequest {
                    name,
                    unknown_fields: crate::UnknownFields::new(),
                }))
            }
            Rpc::Cancel => {
                no_fields(rpc, &params)?;
                let request: CancelOperationRequest = read_body(rpc, body)?;
                same_name(rpc, &name, &request.name)?;
                Ok(OperationsRequest::Cancel(CancelOperationRequest {
                    name,
                    unknown_fields: crate::UnknownFields::new(),
                }))
            }
            Rpc::Wait => {
                no_fields(rpc, &params)?;
                let request: WaitOperationRequest = read_body(rpc, body)?;
                same_name(rpc, &name, &request.name)?;
                Ok(OperationsRequest::Wait(WaitOperationRequest {
                    name,
                    timeout: request.timeout,
                    unknown_fields: crate::UnknownFields::new(),
                }))
            }
        }
    }
}

/// The decoded `(key, value)` pairs of a query, without system parameters.
fn query_params(query: &str) -> Result<Vec<(String, String)>, Status> {
    let mut params = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |text: &str| {
            query_decode(text).ok_or_else(|| {
                invalid(format!(
                    "query parameter `{pair}`: bad percent escape or not UTF-8 once decoded"
                ))
            })
        };
        let (key, value) = (decode(key)?, decode(value)?);
        if !SYSTEM_PARAMETERS.contains(&key.as_str()) {
            params.push((key, value));
        }
    }
    Ok(params)
}

fn no_fields(rpc: Rpc, params: &[(String, String)]) -> Result<(), Status> {
    match params.first() {
        None => Ok(()),
        Some((key, _)) => Err(invalid(format!(
            "{rpc} takes no query parameter `{key}`: its fields are in the {}",
            if rpc.has_body() {
                "path and body"
            } else {
                "path"
            }
        ))),
    }
}

fn no_body(rpc: Rpc, body: &[u8]) -> Result<(), Status> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(())
    } else {
        Err(invalid(format!(
            "{rpc} takes no request body; got {} bytes",
            body.len()
        )))
    }
}

/// A body request: empty (all whitespace) is the default message.
fn read_body<M>(rpc: Rpc, body: &[u8]) -> Result<M, Status>
where
    M: Default + serde::de::DeserializeOwned + Name,
{
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(M::default());
    }
    let text = std::str::from_utf8(body)
        .map_err(|e| invalid(format!("{rpc} request body is not UTF-8: {e}")))?;
    JsonOptions::new()
        .from_str(text)
        .map_err(|e| invalid(format!("{rpc} request body: {e}")))
}

fn same_name(rpc: Rpc, path_name: &str, body_name: &str) -> Result<(), Status> {
    if body_name.is_empty() || body_name == path_name {
        Ok(())
    } else {
        Err(invalid(format!(
            "{rpc}: the body names `{body_name}` but the path names `{path_name}`"
        )))
    }
}

fn list_request(name: String, params: &[(String, String)]) -> Result<OperationsRequest, Status> {
    let mut request = ListOperationsRequest {
        name,
        ..Default::default()
    };
    let mut seen: Vec<&str> = Vec::new();
    for (key, value) in params {
        let field = match key.as_str() {
            "filter" => "filter",
            "pageSize" | "page_size" => "page_size",
            "pageToken" | "page_token" => "page_token",
            "returnPartialSuccess" | "return_partial_success" => "return_partial_success",
            _ => {
                return Err(invalid(format!(
                    "ListOperations has no query parameter `{key}` (it takes filter, pageSize, \
                     pageToken and returnPartialSuccess)"
                )));
            }
        };
        if seen.contains(&field) {
            return Err(invalid(format!(
                "ListOperations query parameter `{field}` is given twice"
            )));
        }
        seen.push(field);
        match field {
            "filter" => request.filter.clone_from(value),
            "page_token" => request.page_token.clone_from(value),
            "page_size" => {
                request.page_size = value.parse().map_err(|_| {
                    invalid(format!(
                        "ListOperations query parameter `{key}`: `{value}` is not an int32"
                    ))
                })?;
            }
            _ => {
                request.return_partial_success = match value.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(invalid(format!(
                            "ListOperations query parameter `{key}`: `{value}` is not `true` or `false`"
                        )));
                    }
                };
            }
        }
    }
    Ok(OperationsRequest::List(request))
}

/// An HTTP answer: the status and a JSON body.
///
/// ```
/// use cancelwire::longrunning::rest::Reply;
/// use cancelwire::wkt::Empty;
///
/// let reply = Reply::ok(&Empty::default());
/// assert_eq!(reply, Reply { status: http::StatusCode::OK, body: "{}".into() });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: http::StatusCode,
    /// The JSON body (its content type is `application/json`).
    pub body: String,
}

impl Reply {
    /// `200` with the message as canonical ProtoJSON; a message that has no
    /// JSON form (a `Timestamp` out of range, an `Any` of an unknown type)
    /// is answered as an `INTERNAL` error envelope instead.
    ///
    /// ```
    /// use cancelwire::longrunning::{rest::Reply, Operation};
    ///
    /// let reply = Reply::ok(&Operation::running("operations/1"));
    /// assert_eq!(reply.status, http::StatusCode::OK);
    /// assert_eq!(reply.body, r#"{"name":"operations/1"}"#);
    /// ```
    pub fn ok<M: Serialize + Name>(message: &M) -> Self {
        match crate::json::to_string(message) {
            Ok(body) => Reply {
                status: http::StatusCode::OK,
                body,
            },
            Err(e) => Reply::error(&Status::internal(format!(
                "the response has no JSON form: {e}"
            ))),
        }
    }

    /// Google's JSON error envelope,
    /// `{"error": {"code": HTTP, "message", "status": "CODE", "details": [...]}}`,
    /// with the HTTP status of the code (`Code::to_http_status`). A code
    /// outside `google.rpc.Code` is written as its number in `status`, so a
    /// client of this crate reads it back. Details are printed as ProtoJSON
    /// `Any`s; those whose type the default registry does not know cannot
    /// be, and are left out.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::Reply;
    /// use cancelwire::rpc::Status;
    ///
    /// let reply = Reply::error(&Status::not_found("operation `operations/9` does not exist"));
    /// assert_eq!(reply.status, http::StatusCode::NOT_FOUND);
    /// assert_eq!(
    ///     reply.body,
    ///     r#"{"error":{"code":404,"message":"operation `operations/9` does not exist","status":"NOT_FOUND","details":[]}}"#
    /// );
    /// ```
    pub fn error(status: &Status) -> Self {
        let code = status.code();
        let http = code.to_http_status();
        // Written out in Google's key order; each detail is a ProtoJSON `Any`.
        let details: Vec<String> = status
            .details
            .iter()
            .filter_map(|any| crate::json::to_string(any).ok())
            .collect();
        let message = serde_json::Value::String(status.message.clone());
        let name = serde_json::Value::String(code.to_string());
        let envelope = format!(
            r#"{{"error":{{"code":{http},"message":{message},"status":{name},"details":[{}]}}}}"#,
            details.join(",")
        );
        Reply {
            status: http::StatusCode::from_u16(http)
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
            body: envelope,
        }
    }

    /// The reply of a call's outcome: [`Reply::ok`] or [`Reply::error`].
    ///
    /// ```
    /// use cancelwire::longrunning::rest::Reply;
    /// use cancelwire::rpc::Status;
    /// use cancelwire::wkt::Empty;
    ///
    /// assert_eq!(Reply::from_result(Ok::<_, Status>(Empty::default())).status, http::StatusCode::OK);
    /// let failed = Reply::from_result(Err::<Empty, _>(Status::invalid_argument("bad")));
    /// assert_eq!(failed.status, http::StatusCode::BAD_REQUEST);
    /// ```
    pub fn from_result<M: Serialize + Name>(result: Result<M, Status>) -> Self {
        match result {
            Ok(message) => Reply::ok(&message),
            Err(status) => Reply::error(&status),
        }
    }
}

/// The code of an error envelope's `status` text: a `google.rpc.Code`
/// name, or a number; `None` for anything else.
pub(crate) fn code_from_status_text(text: &str) -> Option<Code> {
    text.parse().ok()
}
