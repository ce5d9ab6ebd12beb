//! Any implementation of the generated tonic `Operations` trait, served over
//! REST as a `tower::Service` on `http` requests (features `rest` and
//! `grpc`).

use super::bindings::Bindings;
use super::server::{OperationsRequest, Reply};
use crate::longrunning::operations_server::Operations;
use crate::rpc::{Code, Status};
use bytes::Buf;
use prost::Name;
use serde::Serialize;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tonic::codegen::{Body, Service};

/// The largest request body [`RestService`] reads by default: 64 KiB.
///
/// ```
/// assert_eq!(cancelwire::longrunning::rest::DEFAULT_MAX_BODY, 65536);
/// ```
pub const DEFAULT_MAX_BODY: usize = 64 * 1024;

/// A `tower::Service` that serves an [`Operations`] implementation over
/// Google-style REST with canonical JSON: each request is routed through
/// [`Bindings::route`], the RPC is called with the request's headers as
/// its metadata, and the answer is [`Reply::ok`] or the error envelope of
/// [`Reply::error`] (a `tonic::Status` is read back into a
/// `google.rpc.Status` with its details). Responses are
/// `http::Response<String>` with `content-type: application/json`; the
/// service never fails.
///
/// ```
/// use cancelwire::longrunning::operations_server::Operations;
/// use cancelwire::longrunning::rest::{Bindings, RestService};
/// use cancelwire::longrunning::*;
/// use cancelwire::wkt::Empty;
/// use tonic::{Request, Response, Status};
/// use tonic::codegen::Service;
///
/// struct Nothing;
///
/// #[tonic::async_trait]
/// impl Operations for Nothing {
///     async fn list_operations(&self, _: Request<ListOperationsRequest>) -> Result<Response<ListOperationsResponse>, Status> {
///         Ok(Response::new(ListOperationsResponse::default()))
///     }
///     async fn get_operation(&self, r: Request<GetOperationRequest>) -> Result<Response<Operation>, Status> {
///         Err(Status::not_found(format!("no {}", r.into_inner().name)))
///     }
///     async fn delete_operation(&self, _: Request<DeleteOperationRequest>) -> Result<Response<Empty>, Status> {
///         Ok(Response::new(Empty::default()))
///     }
///     async fn cancel_operation(&self, _: Request<CancelOperationRequest>) -> Result<Response<Empty>, Status> {
///         Ok(Response::new(Empty::default()))
///     }
///     async fn wait_operation(&self, _: Request<WaitOperationRequest>) -> Result<Response<Operation>, Status> {
///         Err(Status::unimplemented("no wait"))
///     }
/// }
///
/// let runtime = tokio::runtime::Runtime::new()?;
/// let mut rest = RestService::new(Nothing, Bindings::upstream());
/// let request = http::Request::post("/v1/operations/1:cancel").body(String::new())?;
/// let response = runtime.block_on(rest.call(request))?;
/// assert_eq!(response.status(), http::StatusCode::OK);
/// assert_eq!(response.body(), "{}");
///
/// let request = http::Request::get("/v1/operations/2").body(String::new())?;
/// let response = runtime.block_on(rest.call(request))?;
/// assert_eq!(response.status(), http::StatusCode::NOT_FOUND);
/// assert!(response.body().contains(r#""status":"NOT_FOUND""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Served with hyper, next to (or instead of) the gRPC server. A server
/// on the network times its connections (hyper reads headers against its
/// header-read timeout only when it has a timer) and keeps accepting when
/// the process runs out of file descriptors: it logs the error and pauses,
/// rather than stop at the first (`accept().await?`) or retry at once and
/// spin on a core until descriptors come back:
///
/// ```no_run
/// use cancelwire::longrunning::operations_server::Operations;
/// use cancelwire::longrunning::rest::{Bindings, RestService};
/// use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
/// use std::time::Duration;
/// use tonic::codegen::Service;
///
/// async fn serve_rest<T: Operations>(operations: T) -> Result<(), Box<dyn std::error::Error>> {
///     let bindings = Bindings::for_name_pattern("projects/*/databases/*/operations/*")?;
///     let rest = RestService::new(operations, bindings);
///     let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
///     let mut http = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
///     http.http1()
///         .timer(TokioTimer::new())
///         .header_read_timeout(Duration::from_secs(10));
///     http.http2()
///         .timer(TokioTimer::new())
///         .keep_alive_interval(Duration::from_secs(30));
///     let http = std::sync::Arc::new(http);
///     let mut pause = Duration::from_millis(10);
///     loop {
///         let stream = match listener.accept().await {
///             Ok((stream, _)) => {
///                 pause = Duration::from_millis(10);
///                 stream
///             }
///             // The peer gave up before we accepted: nothing to wait for.
///             Err(e) if e.kind() == std::io::ErrorKind::ConnectionAborted => continue,
///             // Out of descriptors (EMFILE, ENFILE) or kernel memory
///             // (ENOBUFS, ENOMEM): wait for some to be freed.
///             Err(e) => {
///                 eprintln!("accept: {e}; retrying in {pause:?}");
///                 tokio::time::sleep(pause).await;
///                 pause = (pause * 2).min(Duration::from_secs(1));
///                 continue;
///             }
///         };
///         let rest = rest.clone();
///         let http = http.clone();
///         let service = hyper::service::service_fn(move |request| rest.clone().call(request));
///         tokio::spawn(async move {
///             http.serve_connection(TokioIo::new(stream), service).await
///         });
///     }
/// }
/// ```
///
/// `examples/operations_server` does the same, and also closes connections
/// that stay silent both ways for too long.
pub struct RestService<T> {
    inner: Arc<T>,
    bindings: Arc<Bindings>,
    max_body: usize,
}

impl<T> RestService<T> {
    /// Serves `inner` on `bindings`.
    ///
    /// ```
    /// # use cancelwire::longrunning::rest::{Bindings, RestService};
    /// let rest = RestService::new((), Bindings::upstream());
    /// assert_eq!(rest.bindings(), &Bindings::upstream());
    /// ```
    pub fn new(inner: T, bindings: Bindings) -> Self {
        Self::from_arc(Arc::new(inner), bindings)
    }

    /// Serves a shared `inner` (the same one a gRPC server may serve).
    ///
    /// ```
    /// # use cancelwire::longrunning::rest::{Bindings, RestService};
    /// let shared = std::sync::Arc::new(());
    /// let rest = RestService::from_arc(shared.clone(), Bindings::upstream());
    /// assert_eq!(std::sync::Arc::strong_count(&shared), 2);
    /// # drop(rest);
    /// ```
    pub fn from_arc(inner: Arc<T>, bindings: Bindings) -> Self {
        Self {
            inner,
            bindings: Arc::new(bindings),
            max_body: DEFAULT_MAX_BODY,
        }
    }

    /// Refuses request bodies longer than `bytes` with `INVALID_ARGUMENT`
    /// (default [`DEFAULT_MAX_BODY`]).
    ///
    /// ```
    /// # use cancelwire::longrunning::rest::{Bindings, RestService};
    /// let rest = RestService::new((), Bindings::upstream()).max_body(1024);
    /// assert_eq!(rest.max_body_len(), 1024);
    /// ```
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The body limit.
    ///
    /// ```
    /// # use cancelwire::longrunning::rest::{Bindings, RestService, DEFAULT_MAX_BODY};
    /// assert_eq!(RestService::new((), Bindings::upstream()).max_body_len(), DEFAULT_MAX_BODY);
    /// ```
    pub fn max_body_len(&self) -> usize {
        self.max_body
    }

    /// The bindings it serves.
    ///
    /// ```
    /// # use cancelwire::longrunning::rest::{Bindings, RestService};
    /// let rest = RestService::new((), Bindings::upstream().with_wait());
    /// assert_eq!(rest.bindings().iter().count(), 5);
    /// ```
    pub fn bindings(&self) -> &Bindings {
        &self.bindings
    }
}

impl<T> Clone for RestService<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            bindings: self.bindings.clone(),
            max_body: self.max_body,
        }
    }
}

impl<T> fmt::Debug for RestService<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestService")
            .field("bindings", &self.bindings)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// The future of `RestService::call`: it never fails, and is `Send`, so a
/// multi-threaded runtime can spawn it.
///
/// ```
/// use cancelwire::longrunning::rest::RestFuture;
///
/// fn spawnable<F: std::future::Future + Send + 'static>() {}
/// spawnable::<RestFuture>();
/// ```
pub type RestFuture =
    Pin<Box<dyn Future<Output = Result<http::Response<String>, Infallible>> + Send>>;

impl<T, B> Service<http::Request<B>> for RestService<T>
where
    T: Operations,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: fmt::Display,
{
    type Response = http::Response<String>;
    type Error = Infallible;
    type Future = RestFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let inner = self.inner.clone();
        let bindings = self.bindings.clone();
        let max_body = self.max_body;
        Box::pin(async move {
            let reply = serve(&*inner, &bindings, max_body, request).await;
            let mut response = http::Response::new(reply.body);
            *response.status_mut() = reply.status;
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            Ok(response)
        })
    }
}

async fn serve<T: Operations, B>(
    inner: &T,
    bindings: &Bindings,
    max_body: usize,
    request: http::Request<B>,
) -> Reply
where
    B: Body + Send + 'static,
    B::Error: fmt::Display,
{
    let (parts, body) = request.into_parts();
    let body = match collect(body, max_body).await {
        Ok(body) => body,
        Err(status) => return Reply::error(&status),
    };
    let path = parts.uri.path();
    let query = parts.uri.query().unwrap_or("");
    let routed = match bindings.route(&parts.method, path, query, &body) {
        Ok(routed) => routed,
        Err(status) => return Reply::error(&status),
    };
    let metadata = tonic::metadata::MetadataMap::from_headers(parts.headers);
    fn with_metadata<M>(metadata: &tonic::metadata::MetadataMap, message: M) -> tonic::Request<M> {
        let mut request = tonic::Request::new(message);
        *request.metadata_mut() = metadata.clone();
        request
    }
    let metadata = &metadata;
    match routed {
        OperationsRequest::List(r) => {
            answer(inner.list_operations(with_metadata(metadata, r)).await)
        }
        OperationsRequest::Get(r) => answer(inner.get_operation(with_metadata(metadata, r)).await),
        OperationsRequest::Delete(r) => {
            answer(inner.delete_operation(with_metadata(metadata, r)).await)
        }
        OperationsRequest::Cancel(r) => {
            answer(inner.cancel_operation(with_metadata(metadata, r)).await)
        }
        OperationsRequest::Wait(r) => {
            answer(inner.wait_operation(with_metadata(metadata, r)).await)
        }
    }
}

fn answer<M: Serialize + Name>(result: Result<tonic::Response<M>, tonic::Status>) -> Reply {
    match result {
        Ok(response) => Reply::ok(response.get_ref()),
        Err(status) => Reply::error(&from_tonic(&status)),
    }
}

/// The `google.rpc.Status` of a tonic error: from its details when they
/// hold one, otherwise its code and message.
fn from_tonic(status: &tonic::Status) -> Status {
    Status::try_from(status)
        .unwrap_or_else(|_| Status::new(Code::from(status.code()), status.message()))
}

/// Reads the whole body, up to `max` bytes.
async fn collect<B>(body: B, max: usize) -> Result<Vec<u8>, Status>
where
    B: Body,
    B::Error: fmt::Display,
{
    let too_large =
        || Status::invalid_argument(format!("the request body is larger than {max} bytes"));
    // A body that says it is too long (its Content-Length) is refused
    // before a byte of it is read: hyper sends `100 Continue` to a client
    // that asked for it only once the body is polled.
    if usize::try_from(body.size_hint().lower()).map_or(true, |lower| lower > max) {
        return Err(too_large());
    }
    let mut body = std::pin::pin!(body);
    let mut bytes = Vec::new();
    loop {
        let frame = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await;
        let Some(frame) = frame else {
            return Ok(bytes);
        };
        let frame = frame.map_err(|e| {
            Status::invalid_argument(format!("the request body could not be read: {e}"))
        })?;
        if let Ok(mut data) = frame.into_data() {
            let chunk = data.copy_to_bytes(data.remaining());
            if bytes.len().saturating_add(chunk.len()) > max {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
    }
}
