//! The poller of Google-style long-running operations, over any transport
//! of the `Operations` service.

use super::schedule::{Schedule, Stop};
use super::{CallError, CancelOutcome, ClientError, PollOptions, PollingResult, Watch};
use crate::longrunning::{Operation, OperationError};
use crate::poll::OperationSequence;
use crate::rpc::Code;
use prost::Name;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// The calls of `google.longrunning.Operations` a poller makes, on some
/// transport: gRPC ([`OperationsClient`](crate::longrunning::operations_client::OperationsClient)
/// of the `grpc` feature) or REST ([`RestOperations`](super::RestOperations)).
/// `timeout` is the bound the poller puts on the call, for the transport
/// to pass on to the server (gRPC's `grpc-timeout`); the poller enforces it
/// either way.
///
/// ```
/// use cancelwire::client::OperationsTransport;
/// use cancelwire::longrunning::operations_client::OperationsClient;
///
/// fn speaks_operations<T: OperationsTransport>() {}
/// speaks_operations::<OperationsClient<tonic::transport::Channel>>();
/// ```
pub trait OperationsTransport: Clone + Send + Sync + 'static {
    /// `GetOperation(name)`.
    fn get_operation(
        &self,
        name: &str,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<Operation, CallError>> + Send;

    /// `WaitOperation(name, wait)`: the server answers once the operation
    /// is done or `wait` has passed.
    fn wait_operation(
        &self,
        name: &str,
        wait: Duration,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<Operation, CallError>> + Send;

    /// `CancelOperation(name)`.
    fn cancel_operation(
        &self,
        name: &str,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<(), CallError>> + Send;
}

#[cfg(feature = "grpc")]
mod grpc {
    use super::{CallError, Operation, OperationsTransport};
    use crate::longrunning::operations_client::OperationsClient;
    use crate::longrunning::{CancelOperationRequest, GetOperationRequest, WaitOperationRequest};
    use std::time::Duration;
    use tonic::codegen::{Body, Bytes, StdError};

    fn request<M>(message: M, timeout: Option<Duration>) -> tonic::Request<M> {
        let mut request = tonic::Request::new(message);
        if let Some(timeout) = timeout {
            request.set_timeout(timeout);
        }
        request
    }

    /// The generated tonic client of the `grpc` feature, on any channel.
    impl<T> OperationsTransport for OperationsClient<T>
    where
        T: tonic::client::GrpcService<tonic::body::Body> + Clone + Send + Sync + 'static,
        T::Error: Into<StdError>,
        T::ResponseBody: Body<Data = Bytes> + Send + 'static,
        <T::ResponseBody as Body>::Error: Into<StdError> + Send,
        T::Future: Send,
    {
        async fn get_operation(
            &self,
            name: &str,
            timeout: Option<Duration>,
        ) -> Result<Operation, CallError> {
            let message = GetOperationRequest {
                name: name.to_owned(),
                ..Default::default()
            };
            let mut client = self.clone();
            OperationsClient::get_operation(&mut client, request(message, timeout))
                .await
                .map(tonic::Response::into_inner)
                .map_err(|status| CallError::from_tonic(&status, timeout))
        }

        async fn wait_operation(
            &self,
            name: &str,
            wait: Duration,
            timeout: Option<Duration>,
        ) -> Result<Operation, CallError> {
            let message = WaitOperationRequest {
                name: name.to_owned(),
                timeout: crate::wkt::Duration::try_from(wait).ok(),
                ..Default::default()
            };
            let mut client = self.clone();
            OperationsClient::wait_operation(&mut client, request(message, timeout))
                .await
                .map(tonic::Response::into_inner)
                .map_err(|status| CallError::from_tonic(&status, timeout))
        }

        async fn cancel_operation(
            &self,
            name: &str,
            timeout: Option<Duration>,
        ) -> Result<(), CallError> {
            let message = CancelOperationRequest {
                name: name.to_owned(),
                ..Default::default()
            };
            let mut client = self.clone();
            OperationsClient::cancel_operation(&mut client, request(message, timeout))
                .await
                .map(|_| ())
                .map_err(|status| CallError::from_tonic(&status, timeout))
        }
    }
}

const WAIT_UNKNOWN: u8 = 0;
const WAIT_YES: u8 = 1;
const WAIT_NO: u8 = 2;

/// A client of the `Operations` service that makes pollers: the transport,
/// the options every poller starts from, and what was learned about the
/// server (whether it has `WaitOperation`), shared by its clones and
/// pollers.
///
/// ```no_run
/// use cancelwire::client::{Operations, PollOptions};
/// use cancelwire::longrunning::operations_client::OperationsClient;
/// use cancelwire::wkt::{DoubleValue, Timestamp};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:50051").connect().await?;
/// let operations = Operations::new(OperationsClient::new(channel));
/// let poller = operations.resume::<Timestamp, DoubleValue>("projects/demo/operations/op-1");
/// let finished_at: Timestamp = cancelwire::client::Watch::until_done(poller).await?;
/// # let _ = finished_at; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Operations<T> {
    transport: T,
    options: PollOptions,
    wait: Arc<AtomicU8>,
}

impl<T: OperationsTransport> Operations<T> {
    /// A client on `transport` with the default [`PollOptions`].
    ///
    /// ```
    /// use cancelwire::client::Operations;
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let operations = Operations::new(OperationsClient::new(channel));
    /// assert_eq!(operations.has_wait(), None);
    /// ```
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            options: PollOptions::default(),
            wait: Arc::new(AtomicU8::new(WAIT_UNKNOWN)),
        }
    }

    /// The same client with other options for the pollers it makes.
    ///
    /// ```
    /// use cancelwire::client::{Operations, PollOptions};
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let operations = Operations::new(OperationsClient::new(channel)).with_options(PollOptions::default().with_max_attempts(5));
    /// assert_eq!(operations.options().max_attempts, Some(5));
    /// ```
    pub fn with_options(mut self, options: PollOptions) -> Self {
        self.options = options;
        self
    }

    /// The options pollers start from.
    ///
    /// ```
    /// use cancelwire::client::{Operations, PollOptions};
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// assert_eq!(Operations::new(OperationsClient::new(channel)).options(), &PollOptions::default());
    /// ```
    pub fn options(&self) -> &PollOptions {
        &self.options
    }

    /// The transport.
    ///
    /// ```
    /// use cancelwire::client::Operations;
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let _grpc: &OperationsClient<_> = Operations::new(OperationsClient::new(channel)).transport();
    /// ```
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Whether the server has `WaitOperation`, as far as this client
    /// learned: `None` before the first `WaitOperation`, `Some(false)`
    /// once one answered `UNIMPLEMENTED` (its pollers then use
    /// `GetOperation`).
    ///
    /// ```
    /// use cancelwire::client::Operations;
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// assert_eq!(Operations::new(OperationsClient::new(channel)).has_wait(), None);
    /// ```
    pub fn has_wait(&self) -> Option<bool> {
        match self.wait.load(Ordering::Relaxed) {
            WAIT_YES => Some(true),
            WAIT_NO => Some(false),
            _ => None,
        }
    }

    /// A poller of the operation `name`, which decodes the response as `R`
    /// and the metadata as `M` (prost messages, matched by type URL). The
    /// first `poll()` asks the server at once.
    ///
    /// ```
    /// use cancelwire::client::{Operations, Watch};
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    /// use cancelwire::wkt::{DoubleValue, Timestamp};
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let poller = Operations::new(OperationsClient::new(channel)).resume::<Timestamp, DoubleValue>("operations/7");
    /// assert_eq!(poller.name(), "operations/7");
    /// ```
    pub fn resume<R, M>(&self, name: impl Into<String>) -> OperationPoller<T, R, M> {
        OperationPoller::resume(self, name)
    }

    /// A poller of an operation a call just started (its first answer
    /// `operation`): the first `poll()` reports it without a call.
    ///
    /// ```
    /// use cancelwire::client::{Operations, PollingResult, Watch};
    /// use cancelwire::longrunning::{Operation, operations_client::OperationsClient};
    /// use cancelwire::wkt::{DoubleValue, Timestamp};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build()?.block_on(async {
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let started = Operation::running("operations/8").with_metadata(&DoubleValue { value: 0.25, ..Default::default() });
    /// let mut poller = Operations::new(OperationsClient::new(channel)).start::<Timestamp, DoubleValue>(started);
    /// let first = poller.poll().await;
    /// assert!(matches!(first, Some(PollingResult::InProgress(Some(m))) if m.value == 0.25));
    /// # });
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn start<R, M>(&self, operation: Operation) -> OperationPoller<T, R, M> {
        let mut poller = OperationPoller::resume(self, operation.name.clone());
        poller.pending = Some(operation);
        poller
    }
}

/// A poller of one Google-style long-running operation: `R` is the
/// response type, `M` the metadata type (any prost message with a type
/// URL; [`crate::wkt::Empty`] when there is none). Made by
/// [`Operations::resume`] or [`Operations::start`]; see [`Watch`] for
/// `poll`, `until_done`, `into_stream` and `cancel`.
///
/// Every answer goes through [`OperationSequence`]: an operation that
/// changes its name or its result once done is a [`ClientError::Broken`].
///
/// ```
/// use cancelwire::client::{Operations, OperationPoller, PollOptions};
/// use cancelwire::longrunning::operations_client::OperationsClient;
/// use cancelwire::wkt::Empty;
///
/// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
/// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
/// let operations = Operations::new(OperationsClient::new(channel));
/// // The name survives the poller: a later process resumes from it.
/// let name = operations.resume::<Empty, Empty>("operations/9").operation_name().to_owned();
/// let again: OperationPoller<_, Empty, Empty> = OperationPoller::resume(&operations, name)
///     .with_options(PollOptions::default().with_max_attempts(3));
/// assert_eq!(again.operation_name(), "operations/9");
/// ```
#[derive(Debug)]
pub struct OperationPoller<T, R, M> {
    transport: T,
    wait: Arc<AtomicU8>,
    name: String,
    schedule: Schedule,
    sequence: OperationSequence,
    pending: Option<Operation>,
    finished: bool,
    types: PhantomData<fn() -> (R, M)>,
}

impl<T: OperationsTransport, R, M> OperationPoller<T, R, M> {
    /// A poller of the operation `name` through `client`, with the
    /// client's options.
    ///
    /// ```
    /// use cancelwire::client::{Operations, OperationPoller};
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    /// use cancelwire::wkt::Empty;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let poller: OperationPoller<_, Empty, Empty> = OperationPoller::resume(&Operations::new(OperationsClient::new(channel)), "operations/1");
    /// assert_eq!(poller.operation_name(), "operations/1");
    /// ```
    pub fn resume(client: &Operations<T>, name: impl Into<String>) -> Self {
        Self {
            transport: client.transport.clone(),
            wait: client.wait.clone(),
            name: name.into(),
            schedule: Schedule::new(client.options.clone()),
            sequence: OperationSequence::new(),
            pending: None,
            finished: false,
            types: PhantomData,
        }
    }

    /// This poller with other options (its clock starts again).
    ///
    /// ```
    /// use cancelwire::client::{Operations, OperationPoller, PollOptions};
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    /// use cancelwire::wkt::Empty;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let poller = Operations::new(OperationsClient::new(channel)).resume::<Empty, Empty>("operations/1")
    ///     .with_options(PollOptions::default().with_wait(false));
    /// assert!(!poller.options().use_wait);
    /// ```
    pub fn with_options(mut self, options: PollOptions) -> Self {
        self.schedule = Schedule::new(options);
        self
    }

    /// The options this poller follows.
    ///
    /// ```
    /// use cancelwire::client::{Operations, PollOptions};
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    /// use cancelwire::wkt::Empty;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let poller = Operations::new(OperationsClient::new(channel)).resume::<Empty, Empty>("operations/1");
    /// assert_eq!(poller.options(), &PollOptions::default());
    /// ```
    pub fn options(&self) -> &PollOptions {
        &self.schedule.options
    }

    /// The operation's name, to resume from later.
    ///
    /// ```
    /// use cancelwire::client::Operations;
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    /// use cancelwire::wkt::Empty;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let poller = Operations::new(OperationsClient::new(channel)).resume::<Empty, Empty>("operations/2");
    /// assert_eq!(poller.operation_name(), "operations/2");
    /// ```
    pub fn operation_name(&self) -> &str {
        &self.name
    }

    /// Calls made so far.
    ///
    /// ```
    /// use cancelwire::client::Operations;
    /// use cancelwire::longrunning::operations_client::OperationsClient;
    /// use cancelwire::wkt::Empty;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// assert_eq!(Operations::new(OperationsClient::new(channel)).resume::<Empty, Empty>("operations/3").attempts(), 0);
    /// ```
    pub fn attempts(&self) -> u32 {
        self.schedule.attempts
    }

    /// One GetOperation, or one WaitOperation of `wait` where the server
    /// has it: the answer, and which RPC gave it.
    async fn ask(&mut self, wait: Duration) -> (&'static str, Result<Operation, CallError>) {
        let use_wait = self.schedule.options.use_wait
            && !wait.is_zero()
            && self.wait.load(Ordering::Relaxed) != WAIT_NO;
        if use_wait {
            let asked = tokio::time::Instant::now();
            let bound = self.schedule.call_bound(wait);
            let transport = self.transport.clone();
            let name = self.name.clone();
            let answer = self
                .schedule
                .call(wait, async move {
                    transport.wait_operation(&name, wait, bound).await
                })
                .await;
            match answer {
                Err(CallError::Status(status)) if status.code() == Code::UNIMPLEMENTED => {
                    self.wait.store(WAIT_NO, Ordering::Relaxed);
                    // Fall back at once, for the rest of the wait.
                    let rest = wait.saturating_sub(asked.elapsed());
                    if let Err(Stop::Deadline(_)) = self.schedule.sleep(rest).await {
                        return ("GetOperation", Err(CallError::Timeout { after: rest }));
                    }
                }
                Ok(op) => {
                    self.wait.store(WAIT_YES, Ordering::Relaxed);
                    if !op.done {
                        // A server that answered early without news: keep
                        // to the polling schedule rather than ask at once.
                        let rest = wait.saturating_sub(asked.elapsed());
                        let _ = self.schedule.sleep(rest).await;
                    }
                    return ("WaitOperation", Ok(op));
                }
                Err(other) => return ("WaitOperation", Err(other)),
            }
        } else if let Err(Stop::Deadline(_)) = self.schedule.sleep(wait).await {
            return ("GetOperation", Err(CallError::Timeout { after: wait }));
        }
        let bound = self.schedule.call_bound(Duration::ZERO);
        let transport = self.transport.clone();
        let name = self.name.clone();
        let answer = self
            .schedule
            .call(Duration::ZERO, async move {
                transport.get_operation(&name, bound).await
            })
            .await;
        ("GetOperation", answer)
    }
}

impl<T, R, M> OperationPoller<T, R, M>
where
    T: OperationsTransport,
    R: Name + Default + Send,
    M: Name + Default + Send,
{
    /// What an answer means for the caller.
    fn read(&mut self, op: Operation) -> PollingResult<R, M> {
        let violations = self.sequence.check(&op);
        if !violations.is_empty() {
            self.finished = true;
            return PollingResult::Completed(Err(ClientError::Broken { violations }));
        }
        if op.done {
            self.finished = true;
            return PollingResult::Completed(match op.into_response::<R>() {
                Ok(response) => Ok(response),
                Err(OperationError::Failed(status)) => Err(ClientError::Failed(status)),
                Err(OperationError::Cancelled(status)) => Err(ClientError::Cancelled(status)),
                Err(other) => Err(ClientError::Operation(other)),
            });
        }
        let metadata = match op.metadata_as::<M>() {
            Ok(metadata) => metadata,
            Err(source) => {
                self.finished = true;
                return PollingResult::Completed(Err(ClientError::Metadata {
                    name: op.name,
                    source,
                }));
            }
        };
        match self.schedule.in_progress(None) {
            Ok(()) => PollingResult::InProgress(metadata),
            Err(end) => {
                self.finished = true;
                PollingResult::Completed(Err(end))
            }
        }
    }

    async fn step(&mut self) -> Option<PollingResult<R, M>> {
        if self.finished {
            return None;
        }
        if let Some(op) = self.pending.take() {
            return Some(self.read(op));
        }
        let wait = self.schedule.next_wait();
        let (rpc, answer) = self.ask(wait).await;
        Some(match answer {
            Ok(op) => self.read(op),
            Err(error) => match self.schedule.failed(rpc, error, None) {
                Ok(retrying) => PollingResult::PollingError(retrying),
                Err(end) => {
                    self.finished = true;
                    PollingResult::Completed(Err(end))
                }
            },
        })
    }

    async fn cancel_and_follow(&mut self) -> Result<CancelOutcome<R>, ClientError> {
        // CancelOperation, retried as the policy says.
        loop {
            let wait = self.schedule.next_wait();
            if let Err(Stop::Deadline(deadline)) = self.schedule.sleep(wait).await {
                return Err(self.schedule.deadline_error(deadline));
            }
            let bound = self.schedule.call_bound(Duration::ZERO);
            let transport = self.transport.clone();
            let name = self.name.clone();
            let answer = self
                .schedule
                .call(Duration::ZERO, async move {
                    transport.cancel_operation(&name, bound).await
                })
                .await;
            match answer {
                Ok(()) => break,
                Err(CallError::Status(status)) if status.code() == Code::UNIMPLEMENTED => {
                    return Ok(CancelOutcome::NotCancellable);
                }
                Err(CallError::Status(status)) if status.code() == Code::NOT_FOUND => {
                    return Err(ClientError::Call {
                        rpc: "CancelOperation",
                        attempt: self.schedule.attempts,
                        error: CallError::Status(status),
                    });
                }
                Err(error) => {
                    self.schedule.failed("CancelOperation", error, None)?;
                }
            }
        }
        // Then poll to the final state, from a fresh polling backoff.
        self.schedule.restart();
        self.finished = false;
        self.pending = None;
        loop {
            match self.step().await {
                None => {
                    return Err(ClientError::Gone {
                        name: self.name.clone(),
                    });
                }
                Some(PollingResult::InProgress(_) | PollingResult::PollingError(_)) => {}
                Some(PollingResult::Completed(outcome)) => {
                    return match outcome {
                        Ok(response) => Ok(CancelOutcome::Completed(response)),
                        Err(ClientError::Cancelled(_)) => Ok(CancelOutcome::Cancelled),
                        Err(ClientError::Failed(status)) => Ok(CancelOutcome::Failed(status)),
                        Err(ClientError::Call {
                            error: CallError::Status(status),
                            ..
                        }) if status.code() == Code::NOT_FOUND => Ok(CancelOutcome::Gone),
                        Err(other) => Err(other),
                    };
                }
            }
        }
    }
}

impl<T, R, M> Watch for OperationPoller<T, R, M>
where
    T: OperationsTransport,
    R: Name + Default + Send,
    M: Name + Default + Send,
{
    type Output = R;
    type Metadata = M;

    fn name(&self) -> String {
        self.name.clone()
    }

    fn poll(&mut self) -> impl Future<Output = Option<PollingResult<R, M>>> + Send {
        self.step()
    }

    /// Sends `CancelOperation` (retried as the error policy says), then
    /// polls to the final state: [`CancelOutcome::Cancelled`] for an
    /// operation done with `CANCELLED`, `Completed` or `Failed` for one
    /// that ended otherwise despite the cancellation, `NotCancellable` when
    /// the server has no `CancelOperation` (the operation runs on), `Gone`
    /// when it is `NOT_FOUND` after the cancel (deleted).
    fn cancel(&mut self) -> impl Future<Output = Result<CancelOutcome<R>, ClientError>> + Send {
        self.cancel_and_follow()
    }
}
