//! Google-style REST for the `Operations` service (feature `rest`): the HTTP
//! bindings of `google.longrunning.Operations` written as AIP-127 path
//! templates, with canonical ProtoJSON bodies and Google's JSON error
//! envelope. It needs no server framework: it reads and writes method, path,
//! query and body, and `http` types.
//!
//! - [`PathTemplate`]: parse, match and expand templates such as
//!   `/v1/{name=projects/*/databases/*/operations/*}:cancel`.
//! - [`Bindings`]: which method and template call which [`Rpc`]; upstream's
//!   ([`Bindings::upstream`]) or a service's own from the pattern of its
//!   operation names ([`Bindings::for_name_pattern`]), with an opt-in
//!   WaitOperation binding of this crate's ([`Bindings::with_wait`]).
//! - Server side: [`Bindings::route`] turns a request into an
//!   [`OperationsRequest`] or a `Status`; [`Reply`] turns the answer into an
//!   HTTP status and JSON.
//! - Client side: [`Bindings::call`] turns a request into an [`HttpCall`];
//!   [`read_reply`] turns the answer into the response message or the
//!   `Status` of the envelope.
//! - With the `grpc` feature too, `RestService` serves any implementation
//!   of the generated tonic `Operations` trait over REST, as a
//!   `tower::Service`.
//!
//! A client call, to be sent with any HTTP client:
//!
//! ```
//! use cancelwire::longrunning::rest::{read_reply, Bindings, OperationsRequest};
//! use cancelwire::longrunning::CancelOperationRequest;
//! use cancelwire::rpc::{Code, Status};
//! use cancelwire::wkt::Empty;
//!
//! let firestore = Bindings::for_name_pattern("projects/*/databases/*/operations/*")?;
//! let name = "projects/demo/databases/demo/operations/op-1".to_owned();
//! let call = firestore.call("http://127.0.0.1:8080", &OperationsRequest::Cancel(CancelOperationRequest { name, ..Default::default() }))?;
//! assert_eq!(call.method, http::Method::POST);
//! assert_eq!(call.url, "http://127.0.0.1:8080/v1/projects/demo/databases/demo/operations/op-1:cancel");
//! assert_eq!(call.body, "{}");
//!
//! // The answer's HTTP status and body go back through `read_reply`.
//! let done: Result<Empty, Status> = read_reply(200, b"{}");
//! assert_eq!(done, Ok(Empty::default()));
//! let missing: Result<Empty, Status> =
//!     read_reply(404, br#"{"error":{"code":404,"message":"no op-9","status":"NOT_FOUND"}}"#);
//! assert_eq!(missing.unwrap_err().code(), Code::NOT_FOUND);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "grpc")]
mod adapter;
mod bindings;
mod client;
mod server;
mod template;

#[cfg(feature = "grpc")]
#[cfg_attr(docsrs, doc(cfg(all(feature = "rest", feature = "grpc"))))]
pub use adapter::{DEFAULT_MAX_BODY, RestFuture, RestService};
pub use bindings::{Binding, BindingError, Bindings, Rpc};
pub use client::{
    CallError, HttpCall, read_reply, read_reply_with, status_from_envelope,
    status_from_envelope_with,
};
pub use server::{OperationsRequest, Reply};
pub use template::{ExpandError, PathMatch, PathTemplate, TemplateError, TemplateErrorKind};
