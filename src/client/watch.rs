//! The one trait code that watches work is written against, whichever
//! protocol runs under it.

use super::ClientError;
use crate::rpc::Status;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// What one step of a poller saw.
///
/// ```
/// use cancelwire::client::PollingResult;
/// use cancelwire::wkt::DoubleValue;
///
/// let step: PollingResult<(), DoubleValue> = PollingResult::InProgress(Some(DoubleValue { value: 0.5, ..Default::default() }));
/// assert!(!step.is_final());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum PollingResult<R, M> {
    /// Still running, with the metadata of the answer (an operation's
    /// `metadata`, a Flight `PollInfo`), when it had some.
    InProgress(Option<M>),
    /// The end: the typed result, or why there is none. `poll()` answers
    /// `None` after this.
    Completed(Result<R, ClientError>),
    /// A call failed with an error the policy retries; the next `poll()`
    /// waits the retry backoff and asks again.
    PollingError(ClientError),
}

impl<R, M> PollingResult<R, M> {
    /// Whether this is the last step.
    ///
    /// ```
    /// use cancelwire::client::PollingResult;
    ///
    /// assert!(PollingResult::<u8, ()>::Completed(Ok(1)).is_final());
    /// ```
    pub fn is_final(&self) -> bool {
        matches!(self, PollingResult::Completed(_))
    }
}

/// How a cancellation ended, when the server said.
///
/// | variant | Google operations | Flight |
/// |---|---|---|
/// | `Cancelled` | done with code `CANCELLED` | `CANCELLED` |
/// | `Completed(r)` | done with a response despite cancellation | — |
/// | `Failed(s)` | done with another error despite cancellation | — |
/// | `NotCancellable` | `CancelOperation` is `UNIMPLEMENTED` | `NOT_CANCELLABLE` |
/// | `Gone` | `NOT_FOUND` after the cancel (deleted) | `NOT_FOUND` after an earlier request |
///
/// ```
/// use cancelwire::client::CancelOutcome;
///
/// let outcome: CancelOutcome<u32> = CancelOutcome::Completed(7);
/// assert!(!outcome.is_cancelled());
/// assert!(CancelOutcome::<u32>::Cancelled.is_cancelled());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum CancelOutcome<R> {
    /// The work was cancelled.
    Cancelled,
    /// The work completed despite the cancellation: its result.
    Completed(R),
    /// The work failed for another reason despite the cancellation.
    Failed(Status),
    /// The server cannot cancel the work (it may have finished).
    NotCancellable,
    /// The work is gone: unknown to the server after an earlier request.
    Gone,
}

impl<R> CancelOutcome<R> {
    /// Whether the work was cancelled (a `Gone` work may have been, but
    /// the server no longer says).
    ///
    /// ```
    /// use cancelwire::client::CancelOutcome;
    ///
    /// assert!(!CancelOutcome::<()>::Gone.is_cancelled());
    /// ```
    pub fn is_cancelled(&self) -> bool {
        matches!(self, CancelOutcome::Cancelled)
    }
}

/// Work that can be watched to its end and cancelled: an operation
/// ([`OperationPoller`](super::OperationPoller), over gRPC or REST) or a
/// Flight query ([`FlightPoller`](super::FlightPoller)). Code written
/// against this trait, a gateway say, does not care which.
///
/// `poll()` is one step of the schedule: the first asks at once, each
/// later one first waits what the policies say (or, with `WaitOperation`,
/// lets the server wait), then asks.
///
/// ```
/// use cancelwire::client::{ClientError, PollingResult, Watch};
///
/// /// Prints progress until the end, whichever protocol runs below.
/// async fn report<W: Watch>(mut work: W) -> Result<W::Output, ClientError>
/// where
///     W::Metadata: std::fmt::Debug,
/// {
///     while let Some(step) = work.poll().await {
///         match step {
///             PollingResult::InProgress(metadata) => println!("{}: {metadata:?}", work.name()),
///             PollingResult::PollingError(error) => println!("{}: retrying after {error}", work.name()),
///             PollingResult::Completed(outcome) => return outcome,
///         }
///     }
///     Err(ClientError::Gone { name: work.name() })
/// }
/// # let _ = report::<cancelwire::client::FlightPoller<cancelwire::client::FlightGrpc<tonic::transport::Channel>>>;
/// ```
pub trait Watch: Send {
    /// The result of the work (an operation's response type, Flight's
    /// `FlightInfo`).
    type Output: Send;
    /// The progress in each answer (an operation's metadata type, Flight's
    /// `PollInfo`).
    type Metadata: Send;

    /// The name of the work: an operation's name, or the text of the Flight
    /// descriptor it was started with. An operation poller can be resumed
    /// from it.
    fn name(&self) -> String;

    /// The next step; `None` once the work completed.
    fn poll(
        &mut self,
    ) -> impl Future<Output = Option<PollingResult<Self::Output, Self::Metadata>>> + Send;

    /// Asks the server to cancel the work, and follows it to its end.
    fn cancel(
        &mut self,
    ) -> impl Future<Output = Result<CancelOutcome<Self::Output>, ClientError>> + Send;

    /// Polls until the work completes, retrying what the policy retries.
    fn until_done(mut self) -> impl Future<Output = Result<Self::Output, ClientError>> + Send
    where
        Self: Sized,
    {
        async move {
            let mut last = None;
            while let Some(step) = self.poll().await {
                match step {
                    PollingResult::Completed(outcome) => return outcome,
                    PollingResult::PollingError(error) => last = Some(error),
                    PollingResult::InProgress(_) => {}
                }
            }
            // poll() ends with a Completed; this is a poller polled after it.
            Err(last.unwrap_or(ClientError::Gone { name: self.name() }))
        }
    }

    /// Every step as a `Stream`, ending after the `Completed` one.
    fn into_stream(self) -> PollStream<Self>
    where
        Self: Sized + 'static,
    {
        PollStream {
            state: StreamState::Idle(Some(self)),
        }
    }
}

type Step<W> = Pin<
    Box<
        dyn Future<
                Output = (
                    W,
                    Option<PollingResult<<W as Watch>::Output, <W as Watch>::Metadata>>,
                ),
            > + Send,
    >,
>;

enum StreamState<W: Watch> {
    Idle(Option<W>),
    Polling(Step<W>),
}

/// The steps of a [`Watch`] as a [`futures_core::Stream`] (see
/// [`Watch::into_stream`]).
///
/// ```
/// use cancelwire::client::{FlightGrpc, FlightPoller, PollStream};
///
/// fn is_a_stream<S: futures_core::Stream>() {}
/// is_a_stream::<PollStream<FlightPoller<FlightGrpc<tonic::transport::Channel>>>>();
/// ```
pub struct PollStream<W: Watch> {
    state: StreamState<W>,
}

impl<W: Watch> std::fmt::Debug for PollStream<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            StreamState::Idle(Some(_)) => "idle",
            StreamState::Idle(None) => "ended",
            StreamState::Polling(_) => "polling",
        };
        f.debug_struct("PollStream").field("state", &state).finish()
    }
}

impl<W: Watch + 'static> futures_core::Stream for PollStream<W> {
    type Item = PollingResult<W::Output, W::Metadata>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match &mut self.state {
                StreamState::Idle(watch) => {
                    let Some(mut watch) = watch.take() else {
                        return Poll::Ready(None);
                    };
                    self.state = StreamState::Polling(Box::pin(async move {
                        let step = watch.poll().await;
                        (watch, step)
                    }));
                }
                StreamState::Polling(step) => {
                    let (watch, item) = match step.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(done) => done,
                    };
                    self.state = StreamState::Idle(item.is_some().then_some(watch));
                    return Poll::Ready(item);
                }
            }
        }
    }
}

// A PollStream only moves its Box, never its contents in place.
impl<W: Watch> Unpin for PollStream<W> {}
