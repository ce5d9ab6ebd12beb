//! The client side: a typed request to an HTTP call, and an HTTP answer back
//! to the typed response or the `Status` of the error envelope.

use super::bindings::{Bindings, Rpc};
use super::server::{OperationsRequest, code_from_status_text};
use super::template::{ExpandError, percent_encode};
use crate::json::JsonOptions;
use crate::longrunning::{CancelOperationRequest, WaitOperationRequest};
use crate::rpc::{Code, Status};
use prost::Name;
use serde::de::DeserializeOwned;
use std::fmt;

/// An HTTP call to make: the method, the full URL (base, path and query)
/// and the JSON body (empty for calls without one).
///
/// ```
/// use cancelwire::longrunning::rest::{Bindings, OperationsRequest};
/// use cancelwire::longrunning::GetOperationRequest;
///
/// let call = Bindings::upstream().call(
///     "https://example.com",
///     &OperationsRequest::Get(GetOperationRequest { name: "operations/7".into(), ..Default::default() }),
/// )?;
/// assert_eq!(call.method, http::Method::GET);
/// assert_eq!(call.url, "https://example.com/v1/operations/7");
/// assert_eq!(call.body, "");
/// # Ok::<(), cancelwire::longrunning::rest::CallError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpCall {
    /// The HTTP method.
    pub method: http::Method,
    /// The base URL followed by the path and, for a list, the query.
    pub url: String,
    /// The JSON body for Cancel and Wait, `""` otherwise.
    pub body: String,
}

/// A request that cannot be turned into an HTTP call.
///
/// ```
/// use cancelwire::longrunning::rest::{Bindings, CallError, OperationsRequest};
/// use cancelwire::longrunning::GetOperationRequest;
///
/// let err = Bindings::upstream()
///     .call("http://h", &OperationsRequest::Get(GetOperationRequest { name: "projects/p/operations/1".into(), ..Default::default() }))
///     .unwrap_err();
/// assert!(matches!(err, CallError::NoBinding { .. }));
/// assert_eq!(
///     err.to_string(),
///     "no GetOperation binding fits the name `projects/p/operations/1`: `name` = `projects/p/operations/1` does not fit the pattern `operations/**` of path template `/v1/{name=operations/**}`"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// No binding of the request's RPC has a template that fits its name.
    NoBinding {
        /// The RPC.
        rpc: Rpc,
        /// The request's name.
        name: String,
        /// Why the last binding tried did not fit (`None` when the RPC has
        /// no binding at all).
        last: Option<ExpandError>,
    },
    /// The request body has no JSON form (a `Duration` out of range).
    Body {
        /// The RPC.
        rpc: Rpc,
        /// The printer's reason.
        reason: String,
    },
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::NoBinding {
                rpc,
                name,
                last: Some(last),
            } => write!(f, "no {rpc} binding fits the name `{name}`: {last}"),
            CallError::NoBinding {
                rpc,
                name,
                last: None,
            } => write!(f, "no {rpc} binding exists, for the name `{name}`"),
            CallError::Body { rpc, reason } => {
                write!(f, "the {rpc} request body has no JSON form: {reason}")
            }
        }
    }
}

impl std::error::Error for CallError {}

impl Bindings {
    /// The HTTP call of `request` against the service at `base_url` (like
    /// `https://firestore.googleapis.com`; a trailing `/` is dropped): the
    /// first binding of its RPC whose template fits the name gives the
    /// method and path. A list puts its other fields in the query under
    /// their JSON names (left out when default); Cancel sends `{}` and Wait
    /// its `timeout`, the name travelling in the path.
    ///
    /// ```
    /// use cancelwire::longrunning::rest::{Bindings, OperationsRequest};
    /// use cancelwire::longrunning::ListOperationsRequest;
    ///
    /// let firestore = Bindings::for_name_pattern("projects/*/databases/*/operations/*")?;
    /// let call = firestore.call("http://127.0.0.1:8080/", &OperationsRequest::List(ListOperationsRequest {
    ///     name: "projects/demo/databases/(default)".into(),
    ///     filter: "done = true".into(),
    ///     page_size: 2,
    ///     ..Default::default()
    /// }))?;
    /// assert_eq!(call.method, http::Method::GET);
    /// assert_eq!(
    ///     call.url,
    ///     "http://127.0.0.1:8080/v1/projects/demo/databases/%28default%29/operations?filter=done%20%3D%20true&pageSize=2"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn call(&self, base_url: &str, request: &OperationsRequest) -> Result<HttpCall, CallError> {
        let rpc = request.rpc();
        let name = request.name();
        let mut last = None;
        let mut chosen = None;
        for binding in self.iter().filter(|b| b.rpc() == rpc) {
            match binding.template().expand(&[("name", name)]) {
                Ok(path) => {
                    chosen = Some((binding.method().clone(), path));
                    break;
                }
                Err(e) => last = Some(e),
            }
        }
        let Some((method, mut path)) = chosen else {
            return Err(CallError::NoBinding {
                rpc,
                name: name.to_owned(),
                last,
            });
        };
        let body_error = |e: crate::json::JsonError| CallError::Body {
            rpc,
            reason: e.to_string(),
        };
        let body = match request {
            OperationsRequest::List(list) => {
                let mut query = Vec::new();
                if !list.filter.is_empty() {
                    query.push(format!("filter={}", percent_encode(&list.filter)));
                }
                if list.page_size != 0 {
                    query.push(format!("pageSize={}", list.page_size));
                }
                if !list.page_token.is_empty() {
                    query.push(format!("pageToken={}", percent_encode(&list.page_token)));
                }
                if list.return_partial_success {
                    query.push("returnPartialSuccess=true".to_owned());
                }
                if !query.is_empty() {
                    path.push('?');
                    path.push_str(&query.join("&"));
                }
                String::new()
            }
            OperationsRequest::Get(_) | OperationsRequest::Delete(_) => String::new(),
            OperationsRequest::Cancel(_) => {
                crate::json::to_string(&CancelOperationRequest::default()).map_err(body_error)?
            }
            OperationsRequest::Wait(wait) => crate::json::to_string(&WaitOperationRequest {
                name: String::new(),
                timeout: wait.timeout.clone(),
                unknown_fields: crate::UnknownFields::new(),
            })
            .map_err(body_error)?,
        };
        Ok(HttpCall {
            method,
            url: format!("{}{path}", base_url.trim_end_matches('/')),
            body,
        })
    }
}

/// Reads an HTTP answer: a 2xx body as the message `M` (an empty body as
/// the default message, for `Empty`); anything else as the `Status` of
/// Google's error envelope (see [`status_from_envelope`]). A 2xx body that
/// is not a valid `M` is an `INTERNAL` status saying why.
///
/// ```
/// use cancelwire::longrunning::{rest::read_reply, Operation};
/// use cancelwire::rpc::Code;
///
/// let op: Operation = read_reply(200, br#"{"name":"operations/1","done":true,"error":{"code":1}}"#)?;
/// assert!(op.done);
///
/// let err = read_reply::<Operation>(404, br#"{"error":{"code":404,"message":"gone","status":"NOT_FOUND"}}"#).unwrap_err();
/// assert_eq!((err.code(), err.message.as_str()), (Code::NOT_FOUND, "gone"));
/// # Ok::<(), cancelwire::rpc::Status>(())
/// ```
pub fn read_reply<M>(http_status: u16, body: &[u8]) -> Result<M, Status>
where
    M: Default + DeserializeOwned + Name,
{
    read_reply_with(&JsonOptions::new(), http_status, body)
}

/// [`read_reply`] with JSON options: a registry that knows the types of an
/// operation's `Any` payloads or error details, or leniency towards unknown
/// fields.
///
/// ```
/// use cancelwire::json::JsonOptions;
/// use cancelwire::longrunning::{rest::read_reply_with, Operation};
///
/// let lenient = JsonOptions::new().ignore_unknown_fields(true);
/// let op: Operation = read_reply_with(&lenient, 200, br#"{"name":"operations/1","newField":1}"#)?;
/// assert_eq!(op.name, "operations/1");
/// # Ok::<(), cancelwire::rpc::Status>(())
/// ```
pub fn read_reply_with<M>(options: &JsonOptions, http_status: u16, body: &[u8]) -> Result<M, Status>
where
    M: Default + DeserializeOwned + Name,
{
    if !(200..300).contains(&http_status) {
        return Err(status_from_envelope_with(options, http_status, body));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(M::default());
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        Status::internal(format!(
            "the {} response body is not UTF-8: {e}",
            M::full_name()
        ))
    })?;
    options.from_str(text).map_err(|e| {
        Status::internal(format!(
            "the HTTP {http_status} response body is not a valid {}: {e}",
            M::full_name()
        ))
    })
}

/// The `Status` of an error answer in Google's JSON error envelope:
/// the code from `error.status` (a `google.rpc.Code` name, or the number a
/// server of this crate writes for codes outside the list), the message,
/// and every detail. Without an envelope (a proxy's HTML page, say), or
/// with one whose `status` is missing or unknown, the code comes from the
/// HTTP status ([`Code::from_http_status`]) and the message says what the
/// body was.
///
/// ```
/// use cancelwire::longrunning::rest::{status_from_envelope, Reply};
/// use cancelwire::rpc::{Code, ErrorInfo, Status};
///
/// let sent = Status::new(Code::from_i32(77), "from a newer server")
///     .with_detail(&ErrorInfo { reason: "NEW".into(), ..Default::default() });
/// let reply = Reply::error(&sent);
/// assert_eq!(status_from_envelope(reply.status.as_u16(), reply.body.as_bytes()), sent);
///
/// let proxy = status_from_envelope(502, b"<html>Bad Gateway</html>");
/// assert_eq!(proxy.code(), Code::INTERNAL);
/// ```
pub fn status_from_envelope(http_status: u16, body: &[u8]) -> Status {
    status_from_envelope_with(&JsonOptions::new(), http_status, body)
}

/// [`status_from_envelope`] with JSON options, whose registry resolves the
/// details' types.
///
/// ```
/// use cancelwire::json::JsonOptions;
/// use cancelwire::longrunning::rest::status_from_envelope_with;
/// use cancelwire::rpc::Code;
///
/// let body = br#"{"error":{"code":409,"message":"busy","status":"ABORTED","details":[]}}"#;
/// let status = status_from_envelope_with(&JsonOptions::new(), 409, body);
/// assert_eq!((status.code(), status.message.as_str()), (Code::ABORTED, "busy"));
/// ```
pub fn status_from_envelope_with(options: &JsonOptions, http_status: u16, body: &[u8]) -> Status {
    let fallback = Code::from_http_status(http_status);
    let not_envelope = |why: String| {
        let excerpt: String = String::from_utf8_lossy(body).chars().take(200).collect();
        Status::new(
            fallback,
            format!("HTTP {http_status} without a Google error envelope ({why}): {excerpt}"),
        )
    };
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => return not_envelope(format!("the body is not JSON: {e}")),
    };
    let Some(error) = value.get("error").and_then(serde_json::Value::as_object) else {
        return not_envelope("no `error` object".to_owned());
    };
    let code = error
        .get("status")
        .and_then(serde_json::Value::as_str)
        .and_then(code_from_status_text)
        .unwrap_or(fallback);
    let message = error
        .get("message")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut status = Status::new(code, message);
    let details = error
        .get("details")
        .cloned()
        .unwrap_or(serde_json::Value::Array(Vec::new()));
    // The details are a ProtoJSON `repeated Any`: read them as the details of
    // a `google.rpc.Status`.
    let holder = serde_json::json!({ "details": details }).to_string();
    match options.from_str::<Status>(&holder) {
        Ok(parsed) => status.details = parsed.details,
        Err(e) => {
            status.message = format!(
                "{} (the error details could not be read: {e})",
                status.message
            );
        }
    }
    status
}
