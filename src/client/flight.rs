//! The poller and canceller of Arrow Flight queries.

use super::schedule::{Schedule, Stop};
use super::{
    BestEffortCancel, CallError, CancelOutcome, ClientError, DEFAULT_CANCEL_ATTEMPTS, PollOptions,
    PollingResult, Watch,
};
use crate::flight::{
    CancelFlightInfoRequest, CancelFlightInfoResult, CancelStatus, DescriptorType,
    FlightDescriptor, FlightInfo, PollInfo,
};
use crate::poll::PollInfoSequence;
use crate::rpc::Code;
use crate::wkt::Timestamp;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, SystemTime};

/// The calls of the Flight service a poller and a canceller make, on
/// some transport ([`FlightGrpc`] over any tonic channel). `timeout` is the
/// poller's bound on the call, for the transport to pass on; the poller
/// enforces it either way.
///
/// ```
/// use cancelwire::client::{FlightGrpc, FlightTransport};
///
/// fn speaks_flight<T: FlightTransport>() {}
/// speaks_flight::<FlightGrpc<tonic::transport::Channel>>();
/// ```
pub trait FlightTransport: Clone + Send + Sync + 'static {
    /// `PollFlightInfo(descriptor)`.
    fn poll_flight_info(
        &self,
        descriptor: FlightDescriptor,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<PollInfo, CallError>> + Send;

    /// `GetFlightInfo(descriptor)`.
    fn get_flight_info(
        &self,
        descriptor: FlightDescriptor,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<FlightInfo, CallError>> + Send;

    /// `DoAction(CancelFlightInfo)`, and the `CancelFlightInfoResult` of
    /// its one `Result`.
    fn cancel_flight_info(
        &self,
        request: CancelFlightInfoRequest,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<CancelFlightInfoResult, CallError>> + Send;
}

mod grpc {
    use super::{
        CallError, CancelFlightInfoRequest, CancelFlightInfoResult, FlightDescriptor, FlightInfo,
        FlightTransport, PollInfo,
    };
    use crate::flight::{Action, FlightAction};
    use crate::rpc::Status;
    use std::time::Duration;
    use tonic::codegen::{Body, Bytes, StdError, http};

    /// A gRPC client of `arrow.flight.protocol.FlightService` on this
    /// crate's own messages (encoded by prost, so unknown fields and enum
    /// numbers travel as they are), over any tonic channel: the three calls
    /// a poller needs.
    ///
    /// ```
    /// use cancelwire::client::FlightGrpc;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let flight = FlightGrpc::new(channel);
    /// # let _ = flight;
    /// ```
    #[derive(Debug, Clone)]
    pub struct FlightGrpc<T> {
        inner: tonic::client::Grpc<T>,
    }

    impl<T> FlightGrpc<T>
    where
        T: tonic::client::GrpcService<tonic::body::Body> + Clone + Send + Sync + 'static,
        T::Error: Into<StdError>,
        T::ResponseBody: Body<Data = Bytes> + Send + 'static,
        <T::ResponseBody as Body>::Error: Into<StdError> + Send,
        T::Future: Send,
    {
        /// A client on `channel`.
        ///
        /// ```
        /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
        /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
        /// let _ = cancelwire::client::FlightGrpc::new(channel);
        /// ```
        pub fn new(channel: T) -> Self {
            Self {
                inner: tonic::client::Grpc::new(channel),
            }
        }

        async fn ready(&self) -> Result<tonic::client::Grpc<T>, CallError> {
            let mut grpc = self.inner.clone();
            grpc.ready().await.map_err(|error| CallError::Transport {
                message: error.into().to_string(),
            })?;
            Ok(grpc)
        }

        async fn unary<Q, A>(
            &self,
            path: &'static str,
            message: Q,
            timeout: Option<Duration>,
        ) -> Result<A, CallError>
        where
            Q: prost::Message + Send + Sync + 'static,
            A: prost::Message + Default + Send + Sync + 'static,
        {
            let mut grpc = self.ready().await?;
            let mut request = tonic::Request::new(message);
            if let Some(timeout) = timeout {
                request.set_timeout(timeout);
            }
            grpc.unary(
                request,
                http::uri::PathAndQuery::from_static(path),
                tonic_prost::ProstCodec::<Q, A>::default(),
            )
            .await
            .map(tonic::Response::into_inner)
            .map_err(|status| CallError::from_tonic(&status, timeout))
        }
    }

    impl<T> FlightTransport for FlightGrpc<T>
    where
        T: tonic::client::GrpcService<tonic::body::Body> + Clone + Send + Sync + 'static,
        T::Error: Into<StdError>,
        T::ResponseBody: Body<Data = Bytes> + Send + 'static,
        <T::ResponseBody as Body>::Error: Into<StdError> + Send,
        T::Future: Send,
    {
        async fn poll_flight_info(
            &self,
            descriptor: FlightDescriptor,
            timeout: Option<Duration>,
        ) -> Result<PollInfo, CallError> {
            self.unary(
                "/arrow.flight.protocol.FlightService/PollFlightInfo",
                descriptor,
                timeout,
            )
            .await
        }

        async fn get_flight_info(
            &self,
            descriptor: FlightDescriptor,
            timeout: Option<Duration>,
        ) -> Result<FlightInfo, CallError> {
            self.unary(
                "/arrow.flight.protocol.FlightService/GetFlightInfo",
                descriptor,
                timeout,
            )
            .await
        }

        async fn cancel_flight_info(
            &self,
            request: CancelFlightInfoRequest,
            timeout: Option<Duration>,
        ) -> Result<CancelFlightInfoResult, CallError> {
            let mut grpc = self.ready().await?;
            let mut call = tonic::Request::new(request.to_action());
            if let Some(timeout) = timeout {
                call.set_timeout(timeout);
            }
            let mut results = grpc
                .server_streaming(
                    call,
                    http::uri::PathAndQuery::from_static(
                        "/arrow.flight.protocol.FlightService/DoAction",
                    ),
                    tonic_prost::ProstCodec::<Action, crate::flight::Result>::default(),
                )
                .await
                .map_err(|status| CallError::from_tonic(&status, timeout))?
                .into_inner();
            let first = results
                .message()
                .await
                .map_err(|status| CallError::from_tonic(&status, timeout))?
                .ok_or_else(|| {
                    CallError::Status(Status::internal(
                        "DoAction(CancelFlightInfo) answered no Result",
                    ))
                })?;
            CancelFlightInfoRequest::response_from_result(&first)
                .map_err(|error| CallError::Status(Status::internal(error.to_string())))
        }
    }
}

pub use grpc::FlightGrpc;

const POLL_UNKNOWN: u8 = 0;
const POLL_YES: u8 = 1;
const POLL_NO: u8 = 2;

/// A Flight client that makes pollers and cancellers: the transport, the
/// options they start from, and what was learned about the server
/// (whether it has `PollFlightInfo`), shared by its clones and pollers.
///
/// ```no_run
/// use cancelwire::client::{FlightGrpc, FlightQueries, Watch};
/// use cancelwire::flight::FlightDescriptor;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:50051").connect().await?;
/// let flights = FlightQueries::new(FlightGrpc::new(channel));
/// let info = flights.poll(FlightDescriptor::command("SELECT 1")).until_done().await?;
/// println!("{} endpoints", info.endpoint.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct FlightQueries<T> {
    transport: T,
    options: PollOptions,
    poll: Arc<AtomicU8>,
}

impl<T: FlightTransport> FlightQueries<T> {
    /// A client on `transport` with the default [`PollOptions`].
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries};
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// assert_eq!(FlightQueries::new(FlightGrpc::new(channel)).has_poll_flight_info(), None);
    /// ```
    pub fn new(transport: T) -> Self {
        Self {
            transport,
            options: PollOptions::default(),
            poll: Arc::new(AtomicU8::new(POLL_UNKNOWN)),
        }
    }

    /// The same client with other options for the pollers and cancellers
    /// it makes.
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries, PollOptions};
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let flights = FlightQueries::new(FlightGrpc::new(channel)).with_options(PollOptions::default().with_max_attempts(4));
    /// assert_eq!(flights.options().max_attempts, Some(4));
    /// ```
    pub fn with_options(mut self, options: PollOptions) -> Self {
        self.options = options;
        self
    }

    /// The options pollers and cancellers start from.
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries, PollOptions};
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// assert_eq!(FlightQueries::new(FlightGrpc::new(channel)).options(), &PollOptions::default());
    /// ```
    pub fn options(&self) -> &PollOptions {
        &self.options
    }

    /// Whether the server has `PollFlightInfo`, as far as this client
    /// learned: `Some(false)` once a first `PollFlightInfo` answered
    /// `UNIMPLEMENTED` (its pollers then call `GetFlightInfo`).
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries};
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// assert_eq!(FlightQueries::new(FlightGrpc::new(channel)).has_poll_flight_info(), None);
    /// ```
    pub fn has_poll_flight_info(&self) -> Option<bool> {
        match self.poll.load(Ordering::Relaxed) {
            POLL_YES => Some(true),
            POLL_NO => Some(false),
            _ => None,
        }
    }

    /// A poller of the query `descriptor`: the first `poll()` sends
    /// `PollFlightInfo(descriptor)`.
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries, Watch};
    /// use cancelwire::flight::FlightDescriptor;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let poller = FlightQueries::new(FlightGrpc::new(channel)).poll(FlightDescriptor::command("SELECT 1"));
    /// assert_eq!(poller.name(), "cmd:SELECT 1");
    /// ```
    pub fn poll(&self, descriptor: FlightDescriptor) -> FlightPoller<T> {
        FlightPoller {
            transport: self.transport.clone(),
            poll: self.poll.clone(),
            started_with: descriptor.clone(),
            next: descriptor,
            schedule: Schedule::new(self.options.clone()),
            sequence: PollInfoSequence::new(),
            latest: None,
            finished: false,
            fallback: false,
        }
    }

    /// A canceller with this client's options.
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries};
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let canceller = FlightQueries::new(FlightGrpc::new(channel)).canceller();
    /// assert_eq!(canceller.options().max_attempts, None);
    /// ```
    pub fn canceller(&self) -> FlightCanceller<T> {
        FlightCanceller {
            transport: self.transport.clone(),
            options: self.options.clone(),
        }
    }
}

/// Sends `CancelFlightInfo` as Flight.proto says a client should:
///
/// | answer | then |
/// |---|---|
/// | `CANCELLED` | [`CancelOutcome::Cancelled`] |
/// | `NOT_CANCELLABLE` | [`CancelOutcome::NotCancellable`] (do not retry) |
/// | `CANCELLING`, `UNSPECIFIED`, a number this crate does not know | retried after the retry backoff |
/// | error `NOT_FOUND` after an earlier request | [`CancelOutcome::Gone`] (a cancelled query may be forgotten) |
/// | another error | retried or not as the error policy says |
///
/// The limits of [`PollOptions`] apply; without `max_attempts`, at most
/// [`DEFAULT_CANCEL_ATTEMPTS`] requests are sent.
///
/// ```
/// use cancelwire::client::{FlightGrpc, FlightQueries};
///
/// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
/// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
/// let canceller = FlightQueries::new(FlightGrpc::new(channel)).canceller();
/// # let _ = canceller;
/// ```
#[derive(Debug, Clone)]
pub struct FlightCanceller<T> {
    transport: T,
    options: PollOptions,
}

impl<T: FlightTransport> FlightCanceller<T> {
    /// The same canceller with other options.
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries, PollOptions};
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let canceller = FlightQueries::new(FlightGrpc::new(channel)).canceller().with_options(PollOptions::default().with_max_attempts(3));
    /// assert_eq!(canceller.options().max_attempts, Some(3));
    /// ```
    pub fn with_options(mut self, options: PollOptions) -> Self {
        self.options = options;
        self
    }

    /// The options it follows.
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries, PollOptions};
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// assert_eq!(FlightQueries::new(FlightGrpc::new(channel)).canceller().options(), &PollOptions::default());
    /// ```
    pub fn options(&self) -> &PollOptions {
        &self.options
    }

    /// Cancels the query of `info` (see the table above).
    ///
    /// ```no_run
    /// use cancelwire::client::{CancelOutcome, FlightGrpc, FlightQueries};
    /// use cancelwire::flight::FlightInfo;
    ///
    /// # async fn run(info: FlightInfo) -> Result<(), Box<dyn std::error::Error>> {
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:50051").connect().await?;
    /// let outcome = FlightQueries::new(FlightGrpc::new(channel)).canceller().cancel(info).await?;
    /// assert!(matches!(outcome, CancelOutcome::Cancelled | CancelOutcome::NotCancellable | CancelOutcome::Gone));
    /// # Ok(()) }
    /// ```
    pub async fn cancel(&self, info: FlightInfo) -> Result<CancelOutcome<()>, ClientError> {
        let request = CancelFlightInfoRequest {
            info: Some(info),
            ..Default::default()
        };
        let mut schedule = Schedule::new(self.options.clone());
        let default_attempts = Some(DEFAULT_CANCEL_ATTEMPTS);
        loop {
            if let Err(Stop::Deadline(deadline)) = schedule.sleep(schedule.next_wait()).await {
                return Err(schedule.deadline_error(deadline));
            }
            let sent_before = schedule.attempts > 0;
            let bound = schedule.call_bound(Duration::ZERO);
            let transport = self.transport.clone();
            let sending = request.clone();
            let answer = schedule
                .call(Duration::ZERO, async move {
                    transport.cancel_flight_info(sending, bound).await
                })
                .await;
            match answer {
                Ok(result) => match result.status() {
                    CancelStatus::CANCELLED => return Ok(CancelOutcome::Cancelled),
                    CancelStatus::NOT_CANCELLABLE => return Ok(CancelOutcome::NotCancellable),
                    // CANCELLING, UNSPECIFIED and unknown numbers: ask again.
                    _ => schedule.retry_answer(default_attempts)?,
                },
                Err(CallError::Status(status))
                    if status.code() == Code::NOT_FOUND && sent_before =>
                {
                    return Ok(CancelOutcome::Gone);
                }
                Err(error) => {
                    schedule.failed("CancelFlightInfo", error, default_attempts)?;
                }
            }
        }
    }
}

/// One `CancelFlightInfo` bounded by `timeout`, not retried.
async fn best_effort<T: FlightTransport>(
    transport: T,
    info: FlightInfo,
    timeout: Duration,
) -> BestEffortCancel {
    let request = CancelFlightInfoRequest {
        info: Some(info),
        ..Default::default()
    };
    match tokio::time::timeout(
        timeout,
        transport.cancel_flight_info(request, Some(timeout)),
    )
    .await
    {
        Ok(Ok(result)) => BestEffortCancel::Answered(result.status()),
        Ok(Err(error)) => BestEffortCancel::Failed(error),
        Err(_) => BestEffortCancel::Failed(CallError::Timeout { after: timeout }),
    }
}

fn now() -> Timestamp {
    Timestamp::try_from(SystemTime::now()).unwrap_or_default()
}

/// A poller of one Flight query: `PollFlightInfo` until the answer has no
/// descriptor to poll again, each answer checked with
/// [`PollInfoSequence`] (endpoints only appended, progress in [0, 1], a
/// complete query stays complete; a broken promise is a
/// [`ClientError::Broken`]). A server whose first `PollFlightInfo` is
/// `UNIMPLEMENTED` gets one `GetFlightInfo` instead, which may block until
/// the query is done, and its client remembers. A query that fails with
/// `CANCELLED` is a [`ClientError::Cancelled`].
///
/// When the caller's deadline passes, or the poller is dropped before the
/// end (with `cancel_on_drop`, in a task of the current tokio runtime), it
/// sends one best-effort `CancelFlightInfo` bounded by `cancel_timeout`,
/// with the latest `FlightInfo` (or, before any, one holding only the
/// descriptor); the outcome is in [`ClientError::DeadlineExceeded`].
/// A poller that gave up at a limit ([`ClientError::Exhausted`]) sends
/// nothing by itself; its `cancel()` still cancels the query.
///
/// ```
/// use cancelwire::client::{FlightGrpc, FlightQueries, Watch};
/// use cancelwire::flight::FlightDescriptor;
///
/// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
/// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
/// let poller = FlightQueries::new(FlightGrpc::new(channel)).poll(FlightDescriptor::command("q"));
/// assert!(poller.latest().is_none());
/// ```
#[derive(Debug)]
pub struct FlightPoller<T: FlightTransport> {
    transport: T,
    poll: Arc<AtomicU8>,
    started_with: FlightDescriptor,
    next: FlightDescriptor,
    schedule: Schedule,
    sequence: PollInfoSequence,
    latest: Option<PollInfo>,
    finished: bool,
    fallback: bool,
}

impl<T: FlightTransport> FlightPoller<T> {
    /// This poller with other options (its clock starts again).
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries, PollOptions};
    /// use cancelwire::flight::FlightDescriptor;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let poller = FlightQueries::new(FlightGrpc::new(channel)).poll(FlightDescriptor::command("q"))
    ///     .with_options(PollOptions::default().with_cancel_on_drop(false));
    /// assert!(!poller.options().cancel_on_drop);
    /// ```
    pub fn with_options(mut self, options: PollOptions) -> Self {
        self.schedule = Schedule::new(options);
        self
    }

    /// The options this poller follows.
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries, PollOptions};
    /// use cancelwire::flight::FlightDescriptor;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// let poller = FlightQueries::new(FlightGrpc::new(channel)).poll(FlightDescriptor::command("q"));
    /// assert_eq!(poller.options(), &PollOptions::default());
    /// ```
    pub fn options(&self) -> &PollOptions {
        &self.schedule.options
    }

    /// The latest `PollInfo` received.
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries};
    /// use cancelwire::flight::FlightDescriptor;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// assert_eq!(FlightQueries::new(FlightGrpc::new(channel)).poll(FlightDescriptor::command("q")).latest(), None);
    /// ```
    pub fn latest(&self) -> Option<&PollInfo> {
        self.latest.as_ref()
    }

    /// Calls made so far.
    ///
    /// ```
    /// use cancelwire::client::{FlightGrpc, FlightQueries};
    /// use cancelwire::flight::FlightDescriptor;
    ///
    /// # let runtime = tokio::runtime::Runtime::new().unwrap(); let _entered = runtime.enter();
    /// let channel = tonic::transport::Endpoint::from_static("http://127.0.0.1:1").connect_lazy();
    /// assert_eq!(FlightQueries::new(FlightGrpc::new(channel)).poll(FlightDescriptor::command("q")).attempts(), 0);
    /// ```
    pub fn attempts(&self) -> u32 {
        self.schedule.attempts
    }

    /// The `FlightInfo` a cancel names the query with: the latest one, or
    /// one with only the descriptor the query was started with.
    fn cancel_info(&self) -> FlightInfo {
        self.latest
            .as_ref()
            .and_then(|poll| poll.info.clone())
            .unwrap_or_else(|| FlightInfo {
                flight_descriptor: Some(self.started_with.clone()),
                total_records: -1,
                total_bytes: -1,
                ..Default::default()
            })
    }

    async fn deadline_passed(&mut self, deadline: Duration) -> PollingResult<FlightInfo, PollInfo> {
        self.finished = true;
        let cancel = best_effort(
            self.transport.clone(),
            self.cancel_info(),
            self.schedule.options.cancel_timeout,
        )
        .await;
        PollingResult::Completed(Err(ClientError::DeadlineExceeded {
            deadline,
            attempts: self.schedule.attempts,
            cancel: Some(cancel),
        }))
    }

    async fn step(&mut self) -> Option<PollingResult<FlightInfo, PollInfo>> {
        if self.finished {
            return None;
        }
        if let Err(Stop::Deadline(deadline)) = self.schedule.sleep(self.schedule.next_wait()).await
        {
            return Some(self.deadline_passed(deadline).await);
        }
        let mut use_get = self.fallback || self.poll.load(Ordering::Relaxed) == POLL_NO;
        let (rpc, answer) = loop {
            let bound = self.schedule.call_bound(Duration::ZERO);
            let transport = self.transport.clone();
            if use_get {
                let descriptor = self.started_with.clone();
                let answer = self
                    .schedule
                    .call(Duration::ZERO, async move {
                        transport.get_flight_info(descriptor, bound).await
                    })
                    .await;
                break ("GetFlightInfo", answer.map(Err));
            }
            let descriptor = self.next.clone();
            let first = self.latest.is_none();
            let answer = self
                .schedule
                .call(Duration::ZERO, async move {
                    transport.poll_flight_info(descriptor, bound).await
                })
                .await;
            match answer {
                Err(CallError::Status(status)) if status.code() == Code::UNIMPLEMENTED && first => {
                    // No PollFlightInfo here: GetFlightInfo at once.
                    self.poll.store(POLL_NO, Ordering::Relaxed);
                    self.fallback = true;
                    use_get = true;
                }
                Ok(poll) => {
                    self.poll.store(POLL_YES, Ordering::Relaxed);
                    break ("PollFlightInfo", Ok(Ok(poll)));
                }
                Err(error) => break ("PollFlightInfo", Err(error)),
            }
        };
        Some(match answer {
            Ok(Err(info)) => {
                self.finished = true;
                PollingResult::Completed(Ok(info))
            }
            Ok(Ok(poll)) => match self.read(poll) {
                // The deadline passed as the answer came: cancel as well.
                PollingResult::Completed(Err(ClientError::DeadlineExceeded {
                    deadline, ..
                })) => self.deadline_passed(deadline).await,
                step => step,
            },
            Err(CallError::Status(status)) if status.code() == Code::CANCELLED => {
                self.finished = true;
                PollingResult::Completed(Err(ClientError::Cancelled(status)))
            }
            Err(error) => match self.schedule.failed(rpc, error, None) {
                Ok(retrying) => PollingResult::PollingError(retrying),
                Err(ClientError::DeadlineExceeded { deadline, .. }) => {
                    self.deadline_passed(deadline).await
                }
                Err(end) => {
                    self.finished = true;
                    PollingResult::Completed(Err(end))
                }
            },
        })
    }

    fn read(&mut self, poll: PollInfo) -> PollingResult<FlightInfo, PollInfo> {
        let violations = self.sequence.check(&poll, now());
        if !violations.is_empty() {
            self.finished = true;
            return PollingResult::Completed(Err(ClientError::Broken { violations }));
        }
        let Some(next) = poll.flight_descriptor.clone() else {
            self.finished = true;
            // The checker made sure `info` is set.
            let info = poll.info.clone().unwrap_or_default();
            self.latest = Some(poll);
            return PollingResult::Completed(Ok(info));
        };
        self.next = next;
        self.latest = Some(poll.clone());
        match self.schedule.in_progress(None) {
            Ok(()) => PollingResult::InProgress(Some(poll)),
            Err(end) => {
                self.finished = true;
                PollingResult::Completed(Err(end))
            }
        }
    }

    async fn cancel_query(&mut self) -> Result<CancelOutcome<FlightInfo>, ClientError> {
        let canceller = FlightCanceller {
            transport: self.transport.clone(),
            options: self.schedule.options.clone(),
        };
        let outcome = canceller.cancel(self.cancel_info()).await?;
        self.finished = true;
        Ok(match outcome {
            CancelOutcome::Cancelled => CancelOutcome::Cancelled,
            CancelOutcome::NotCancellable | CancelOutcome::Completed(()) => {
                CancelOutcome::NotCancellable
            }
            CancelOutcome::Failed(status) => CancelOutcome::Failed(status),
            CancelOutcome::Gone => CancelOutcome::Gone,
        })
    }
}

impl<T: FlightTransport> Drop for FlightPoller<T> {
    fn drop(&mut self) {
        if self.finished || self.schedule.attempts == 0 || !self.schedule.options.cancel_on_drop {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let cancel = best_effort(
            self.transport.clone(),
            self.cancel_info(),
            self.schedule.options.cancel_timeout,
        );
        runtime.spawn(cancel);
    }
}

/// The text of a descriptor: `cmd:` and the command (lossy UTF-8), or
/// `path:` and the path joined with `/`.
fn descriptor_name(descriptor: &FlightDescriptor) -> String {
    match descriptor.descriptor_type() {
        DescriptorType::PATH => format!("path:{}", descriptor.path.join("/")),
        _ => format!("cmd:{}", String::from_utf8_lossy(&descriptor.cmd)),
    }
}

impl<T: FlightTransport> Watch for FlightPoller<T> {
    type Output = FlightInfo;
    type Metadata = PollInfo;

    fn name(&self) -> String {
        descriptor_name(&self.started_with)
    }

    fn poll(&mut self) -> impl Future<Output = Option<PollingResult<FlightInfo, PollInfo>>> + Send {
        self.step()
    }

    /// Cancels the query with [`FlightCanceller`]; Flight cannot tell a
    /// query that completed from one that cannot be cancelled, so both are
    /// `NotCancellable`.
    fn cancel(
        &mut self,
    ) -> impl Future<Output = Result<CancelOutcome<FlightInfo>, ClientError>> + Send {
        self.cancel_query()
    }
}
