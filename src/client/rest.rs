//! The `Operations` calls over Google-style REST, on any `tower::Service`
//! of HTTP requests.

use super::{CallError, OperationsTransport};
use crate::json::JsonOptions;
use crate::longrunning::rest::{Bindings, OperationsRequest, read_reply_with};
use crate::longrunning::{
    CancelOperationRequest, GetOperationRequest, Operation, WaitOperationRequest,
};
use crate::rpc::Status;
use crate::wkt::Empty;
use bytes::{Buf, Bytes, BytesMut};
use http_body::Body;
use prost::Name;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tonic::codegen::{Service, StdError};

/// `google.longrunning.Operations` over REST: the calls of
/// [`Bindings::call`] sent through `service`, any `tower::Service` of
/// `http::Request<String>` (hyper-util's legacy client, a tower stack, a
/// [`RestService`](crate::longrunning::rest::RestService) in process), and
/// the answers read with [`read_reply_with`]. `WaitOperation` needs a
/// binding for it ([`Bindings::with_wait`]); without one the poller
/// learns it is missing and polls with `GetOperation`.
///
/// ```
/// use cancelwire::client::{Operations, OperationsTransport, RestOperations};
/// use cancelwire::longrunning::rest::Bindings;
///
/// #[derive(Clone)]
/// struct NoNetwork;
/// impl tonic::codegen::Service<http::Request<String>> for NoNetwork {
///     type Response = http::Response<String>;
///     type Error = std::io::Error;
///     type Future = std::future::Ready<Result<Self::Response, Self::Error>>;
///     fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
///         std::task::Poll::Ready(Ok(()))
///     }
///     fn call(&mut self, _: http::Request<String>) -> Self::Future {
///         std::future::ready(Err(std::io::Error::other("offline")))
///     }
/// }
///
/// let firestore = Bindings::for_name_pattern("projects/*/databases/*/operations/*")?;
/// let rest = RestOperations::new(NoNetwork, "http://127.0.0.1:8080", firestore);
/// let operations = Operations::new(rest);
/// # let _ = operations;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct RestOperations<S> {
    service: S,
    base_url: String,
    bindings: Bindings,
    json: JsonOptions,
}

impl<S> RestOperations<S> {
    /// Calls the service at `base_url` (like `https://firestore.googleapis.com`)
    /// through `service`, with `bindings`, reading JSON with the default
    /// options (which know the well-known types).
    ///
    /// ```
    /// use cancelwire::client::RestOperations;
    /// use cancelwire::longrunning::rest::Bindings;
    ///
    /// let rest = RestOperations::new((), "http://127.0.0.1:8080", Bindings::upstream());
    /// assert_eq!(rest.base_url(), "http://127.0.0.1:8080");
    /// ```
    pub fn new(service: S, base_url: impl Into<String>, bindings: Bindings) -> Self {
        Self {
            service,
            base_url: base_url.into(),
            bindings,
            json: JsonOptions::new(),
        }
    }

    /// The same transport reading JSON with `json`: a registry that knows
    /// the types in the operations' `Any`s.
    ///
    /// ```
    /// use cancelwire::client::RestOperations;
    /// use cancelwire::json::JsonOptions;
    /// use cancelwire::longrunning::rest::Bindings;
    ///
    /// let rest = RestOperations::new((), "http://h", Bindings::upstream()).with_json(JsonOptions::new().ignore_unknown_fields(true));
    /// # let _ = rest;
    /// ```
    pub fn with_json(mut self, json: JsonOptions) -> Self {
        self.json = json;
        self
    }

    /// The base URL.
    ///
    /// ```
    /// use cancelwire::client::RestOperations;
    /// use cancelwire::longrunning::rest::Bindings;
    ///
    /// assert_eq!(RestOperations::new((), "http://h/", Bindings::upstream()).base_url(), "http://h/");
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Reads a whole body.
async fn collect<B>(body: B) -> Result<Bytes, CallError>
where
    B: Body + Send,
    B::Data: Send,
    B::Error: Into<StdError>,
{
    let mut body = std::pin::pin!(body);
    let mut out = BytesMut::new();
    while let Some(frame) = std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
        let frame = frame.map_err(|error| CallError::Transport {
            message: format!("reading the HTTP body: {}", error.into()),
        })?;
        if let Ok(mut data) = frame.into_data() {
            while data.has_remaining() {
                let chunk = data.chunk();
                out.extend_from_slice(chunk);
                let n = chunk.len();
                data.advance(n);
            }
        }
    }
    Ok(out.freeze())
}

impl<S, B> RestOperations<S>
where
    S: Service<http::Request<String>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
    S::Future: Send,
    S::Error: Into<StdError>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<StdError>,
{
    fn send<M>(&self, request: OperationsRequest) -> BoxFuture<'static, Result<M, CallError>>
    where
        M: Default + DeserializeOwned + Name + Send + 'static,
    {
        let call = self.bindings.call(&self.base_url, &request);
        let mut service = self.service.clone();
        let json = self.json.clone();
        Box::pin(async move {
            let call = call
                .map_err(|error| CallError::Status(Status::invalid_argument(error.to_string())))?;
            let mut builder = http::Request::builder()
                .method(call.method)
                .uri(call.url.as_str());
            if !call.body.is_empty() {
                builder = builder.header(http::header::CONTENT_TYPE, "application/json");
            }
            let request = builder.body(call.body).map_err(|error| {
                CallError::Status(Status::invalid_argument(format!("{}: {error}", call.url)))
            })?;
            std::future::poll_fn(|cx| service.poll_ready(cx))
                .await
                .map_err(|error| CallError::Transport {
                    message: error.into().to_string(),
                })?;
            let response = service
                .call(request)
                .await
                .map_err(|error| CallError::Transport {
                    message: error.into().to_string(),
                })?;
            let status = response.status().as_u16();
            let body = collect(response.into_body()).await?;
            read_reply_with::<M>(&json, status, &body).map_err(CallError::Status)
        })
    }
}

impl<S, B> OperationsTransport for RestOperations<S>
where
    S: Service<http::Request<String>, Response = http::Response<B>> + Clone + Send + Sync + 'static,
    S::Future: Send,
    S::Error: Into<StdError>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<StdError>,
{
    fn get_operation(
        &self,
        name: &str,
        _timeout: Option<Duration>,
    ) -> impl Future<Output = Result<Operation, CallError>> + Send {
        self.send(OperationsRequest::Get(GetOperationRequest {
            name: name.to_owned(),
            ..Default::default()
        }))
    }

    fn wait_operation(
        &self,
        name: &str,
        wait: Duration,
        _timeout: Option<Duration>,
    ) -> impl Future<Output = Result<Operation, CallError>> + Send {
        let request = OperationsRequest::Wait(WaitOperationRequest {
            name: name.to_owned(),
            timeout: crate::wkt::Duration::try_from(wait).ok(),
            ..Default::default()
        });
        let sent = self.send::<Operation>(request);
        async move {
            match sent.await {
                // No binding for WaitOperation: the server cannot be asked.
                Err(CallError::Status(status))
                    if status.code() == crate::rpc::Code::INVALID_ARGUMENT
                        && status.message.starts_with("no WaitOperation binding") =>
                {
                    Err(CallError::Status(Status::new(
                        crate::rpc::Code::UNIMPLEMENTED,
                        status.message,
                    )))
                }
                other => other,
            }
        }
    }

    fn cancel_operation(
        &self,
        name: &str,
        _timeout: Option<Duration>,
    ) -> impl Future<Output = Result<(), CallError>> + Send {
        let sent = self.send::<Empty>(OperationsRequest::Cancel(CancelOperationRequest {
            name: name.to_owned(),
            ..Default::default()
        }));
        async move { sent.await.map(|_| ()) }
    }
}
