//! How *watching* long-running work translates between Arrow Flight's
//! `PollFlightInfo` and Google-style long-running operations, for a gateway
//! that speaks one protocol to its clients and the other to its backend;
//! with checkers for a sequence of polls and the helpers a server needs.
//! [`crate::cancel`] does the same for cancelling.
//!
//! A Flight client starts a long query with `PollFlightInfo(descriptor)`
//! and reads a [`PollInfo`]: the `FlightInfo` so far in `info`, a
//! `progress` in [0, 1], an `expiration_time`, and a `flight_descriptor`
//! to poll again with, which is unset once the query is complete. A
//! Google-style client polls `GetOperation`/`WaitOperation` and reads an
//! [`Operation`]: `metadata`, `done`, then `response` or `error`.
//!
//! Sources: the comments of `PollInfo` and of the `PollFlightInfo` RPC in
//! Arrow's `Flight.proto` ("Flight" below), and of `Operation` and
//! `CancelOperation` in googleapis' `google/longrunning/operations.proto`
//! with AIP-151 ("LRO" below).
//!
//! # A Flight backend, a Google-style client
//!
//! The gateway calls `PollFlightInfo` and answers `GetOperation` with
//! [`operation_from_poll_info`], or, when the poll failed, with
//! [`operation_from_poll_error`]:
//!
//! | Operation field | from | why |
//! |---|---|---|
//! | `name` | chosen by the gateway, the same for every poll of one query (for instance `projects/p/operations/` and the query's command) | LRO: the name is assigned by the server and unique within it; Flight has no name, only descriptors, which may change from poll to poll |
//! | `done` | `true` exactly when `PollInfo.flight_descriptor` is unset | Flight: an unset descriptor means the query is complete; LRO: `done` means completed |
//! | `metadata` | the whole `PollInfo`, packed in `Any`: `progress`, `info` (the `FlightInfo` so far), `expiration_time` | LRO: metadata typically carries progress; Flight: each `PollInfo` holds the complete `FlightInfo` so far, and clients may fetch its endpoints before the end |
//! | `response` | once done, `PollInfo.info` packed in `Any` (an unset `info` as an empty `FlightInfo` with unknown totals) | Flight: once complete, `info` holds all results; LRO: the response is the method's result, here `GetFlightInfo`'s |
//! | `error` | the `Status` of a failed `PollFlightInfo`, except the codes that say nothing about the query (`UNAVAILABLE`, `DEADLINE_EXCEEDED`, `UNAUTHENTICATED`, `PERMISSION_DENIED`, `NOT_FOUND`), which `GetOperation` returns as its own error | LRO: `error` is the result of a failure or a cancellation, and final; a retryable or caller-side error is not the query's outcome; an unknown query is no operation |
//! | `error.code` = `CANCELLED` | a cancelled query, whose poll fails with `CANCELLED` | LRO (`CancelOperation`): a cancelled operation stays, done, with code 1 |
//!
//! # A Google-style backend, a Flight client
//!
//! The gateway calls `GetOperation` and answers `PollFlightInfo` with
//! [`poll_info_from_operation`] (or [`poll_info_from_operation_with`] for
//! progress in a metadata type of the caller's); a failed or cancelled
//! operation becomes the gRPC error of [`poll_flight_info_error`]:
//!
//! | PollInfo field | from | why |
//! |---|---|---|
//! | `flight_descriptor` | the gateway's descriptor to poll again while `done` is false (typically naming the operation); unset once done | Flight: the descriptor to use on the next try, unset once complete |
//! | `progress` | the metadata's progress: a `DoubleValue`, the `progress` of a `PollInfo`, or what the caller's extractor ([`progress_from`]) reads from its own type; unset when there is none or it is outside [0, 1] | Flight: progress must be in [0, 1] if known, and unset if unknown; LRO: metadata typically carries progress |
//! | `info` | once done, the `response` when it is a `FlightInfo`; otherwise the `info` of a `PollInfo` in the metadata | Flight: `info` holds what is available so far, and all results once complete |
//! | `expiration_time` | the `expiration_time` of a `PollInfo` in the metadata while running | Flight: after it passes the descriptor may not be accepted; LRO has no counterpart |
//! | a gRPC error | an operation done with `error`: that `Status`, code, message and details (`CANCELLED` for a cancelled one) | Flight: a failed poll is a gRPC error; LRO: a cancelled operation has code 1, which a Flight client reads as the query's cancellation |
//!
//! ```
//! use cancelwire::flight::{FlightDescriptor, FlightEndpoint, FlightInfo, PollInfo, Ticket};
//! use cancelwire::poll::{operation_from_poll_info, poll_info_from_operation};
//!
//! let retry = FlightDescriptor::command("poll/query-1");
//! let first = PollInfo::started(FlightInfo::default(), retry.clone())
//!     .next([FlightEndpoint { ticket: Some(Ticket { ticket: "q1/0".into(), ..Default::default() }), ..Default::default() }])
//!     .with_progress(0.5)?;
//! let op = operation_from_poll_info("operations/q-1", &first);
//! assert!(!op.done);
//!
//! // And back, for a Flight client of a Google-style backend.
//! let poll = poll_info_from_operation(&op, retry.clone())?;
//! assert_eq!(poll, first);
//!
//! let last = first.completed();
//! let op = operation_from_poll_info("operations/q-1", &last);
//! assert!(op.done);
//! assert_eq!(op.response_as::<FlightInfo>()?, last.info);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! pyarrow 26 (Arrow C++ 26) has no `PollFlightInfo` in its Python API, so
//! the interop tests poll with the Rust `arrow-flight` client and, through
//! the gateway of `examples/operations_server`, with google-api-core.

mod build;
mod sequence;

pub use sequence::{OperationSequence, PollInfoSequence};

use crate::flight::{FlightInfo, PollInfo};
use crate::longrunning::{Operation, OperationError, OperationState, operation};
use crate::rpc::{Code, Status};
use crate::wkt::{Any, DoubleValue, pack};
use prost::Name;

/// The `FlightInfo` of a complete query whose `PollInfo` had no `info`:
/// no endpoints, totals unknown.
fn empty_info() -> FlightInfo {
    FlightInfo {
        total_records: -1,
        total_bytes: -1,
        ..FlightInfo::default()
    }
}

/// The operation a gateway shows for a Flight query after a successful
/// `PollFlightInfo` that answered `poll`, under the gateway's `name` for the
/// query. See the [module documentation](self) for the table.
///
/// Every field of `poll` is kept as it came (the whole `PollInfo` is the
/// metadata), unknown enum numbers included.
///
/// ```
/// use cancelwire::flight::{FlightDescriptor, FlightInfo, PollInfo};
/// use cancelwire::longrunning::OperationState;
/// use cancelwire::poll::operation_from_poll_info;
///
/// let running = PollInfo::started(FlightInfo::default(), FlightDescriptor::command("again"));
/// let op = operation_from_poll_info("operations/q", &running);
/// assert_eq!(op.state()?, OperationState::Running);
/// assert_eq!(op.metadata_as::<PollInfo>()?, Some(running.clone()));
///
/// let op = operation_from_poll_info("operations/q", &running.completed());
/// assert!(matches!(op.state()?, OperationState::Succeeded(any) if any.is::<FlightInfo>()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn operation_from_poll_info(name: impl Into<String>, poll: &PollInfo) -> Operation {
    let mut op = Operation::running(name).with_metadata(poll);
    if poll.flight_descriptor.is_none() {
        let info = poll.info.clone().unwrap_or_else(empty_info);
        op.done = true;
        op.result = Some(operation::Result::Response(pack(&info)));
    }
    op
}

/// Whether a failed `PollFlightInfo` says nothing about the query itself:
/// the backend is unreachable or slow, the caller may not ask, or there is
/// no such query.
fn is_about_the_call(code: Code) -> bool {
    matches!(
        code,
        Code::UNAVAILABLE
            | Code::DEADLINE_EXCEEDED
            | Code::UNAUTHENTICATED
            | Code::PERMISSION_DENIED
            | Code::NOT_FOUND
    )
}

/// What a gateway shows for a Flight query whose `PollFlightInfo` failed
/// with `error`: `Ok`, the operation, done with that error (a cancelled
/// query has code `CANCELLED`); or `Err`, the error `GetOperation` itself
/// should return, for the codes that are not the query's outcome
/// (`UNAVAILABLE`, `DEADLINE_EXCEEDED`, `UNAUTHENTICATED`,
/// `PERMISSION_DENIED`, `NOT_FOUND`, and an `OK` that is no error, which
/// becomes `INTERNAL`). The operation's metadata is left unset: the
/// gateway may keep the last `PollInfo` it saw there.
///
/// ```
/// use cancelwire::poll::operation_from_poll_error;
/// use cancelwire::rpc::Status;
///
/// let op = operation_from_poll_error("operations/q", Status::cancelled("query 7 was cancelled"))?;
/// assert!(op.done && op.is_cancelled());
///
/// let op = operation_from_poll_error("operations/q", Status::resource_exhausted("out of memory"))?;
/// assert!(op.done && !op.is_cancelled());
///
/// let retry = operation_from_poll_error("operations/q", Status::unavailable("backend restarting"));
/// assert_eq!(retry.unwrap_err().message, "backend restarting");
/// # Ok::<(), Status>(())
/// ```
pub fn operation_from_poll_error(
    name: impl Into<String>,
    error: Status,
) -> Result<Operation, Status> {
    match error.code() {
        Code::OK => Err(Status::internal(format!(
            "PollFlightInfo failed with code OK: {}",
            error.message
        ))),
        code if is_about_the_call(code) => Err(error),
        _ => {
            let mut op = Operation::running(name);
            op.done = true;
            op.result = Some(operation::Result::Error(error));
            Ok(op)
        }
    }
}

/// The progress a metadata `Any` carries by default: the value of a
/// `google.protobuf.DoubleValue`, or the `progress` of a `PollInfo`.
///
/// ```
/// use cancelwire::flight::PollInfo;
/// use cancelwire::poll::default_progress;
/// use cancelwire::wkt::{Any, DoubleValue, Empty};
///
/// assert_eq!(default_progress(&Any::from_msg(&DoubleValue { value: 0.25, ..Default::default() })?), Some(0.25));
/// let poll = PollInfo { progress: Some(0.75), ..Default::default() };
/// assert_eq!(default_progress(&Any::from_msg(&poll)?), Some(0.75));
/// assert_eq!(default_progress(&Any::from_msg(&Empty::default())?), None);
/// # Ok::<(), prost::EncodeError>(())
/// ```
pub fn default_progress(metadata: &Any) -> Option<f64> {
    if let Ok(value) = metadata.to_msg::<DoubleValue>() {
        return Some(value.value);
    }
    metadata
        .to_msg::<PollInfo>()
        .ok()
        .and_then(|poll| poll.progress)
}

/// A progress extractor for metadata of the caller's type `M`: unpacks `M`
/// (`None` when the metadata is another type or does not decode) and asks
/// `read` for the progress in [0, 1].
///
/// ```
/// use cancelwire::longrunning::Operation;
/// use cancelwire::flight::FlightDescriptor;
/// use cancelwire::poll::{poll_info_from_operation_with, progress_from};
/// use cancelwire::wkt::Duration;
///
/// // A service whose metadata is the time spent so far, out of 60 s.
/// let op = Operation::running("operations/q").with_metadata(&Duration { seconds: 15, nanos: 0, ..Default::default() });
/// let spent = progress_from(|d: &Duration| Some(d.seconds as f64 / 60.0));
/// let poll = poll_info_from_operation_with(&op, FlightDescriptor::command("q"), spent)?;
/// assert_eq!(poll.progress, Some(0.25));
/// # Ok::<(), cancelwire::longrunning::OperationError>(())
/// ```
pub fn progress_from<M, F>(read: F) -> impl Fn(&Any) -> Option<f64>
where
    M: Name + Default,
    F: Fn(&M) -> Option<f64>,
{
    move |metadata: &Any| {
        metadata
            .to_msg::<M>()
            .ok()
            .and_then(|message| read(&message))
    }
}

/// The `PollInfo` a gateway answers `PollFlightInfo` with for a Google-style
/// operation, with `retry` as the descriptor to poll again while it runs,
/// and progress read by [`default_progress`]. See
/// [`poll_info_from_operation_with`] for the rest.
///
/// ```
/// use cancelwire::flight::{FlightDescriptor, FlightInfo};
/// use cancelwire::longrunning::Operation;
/// use cancelwire::poll::poll_info_from_operation;
/// use cancelwire::wkt::DoubleValue;
///
/// let retry = FlightDescriptor::command("operations/q");
/// let op = Operation::running("operations/q").with_metadata(&DoubleValue { value: 0.5, ..Default::default() });
/// let poll = poll_info_from_operation(&op, retry.clone())?;
/// assert_eq!((poll.flight_descriptor, poll.progress), (Some(retry.clone()), Some(0.5)));
///
/// let mut op = op;
/// op.succeed(&FlightInfo { total_records: 3, ..Default::default() })?;
/// let poll = poll_info_from_operation(&op, retry)?;
/// assert_eq!(poll.flight_descriptor, None);
/// assert_eq!(poll.info.unwrap().total_records, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn poll_info_from_operation(
    op: &Operation,
    retry: crate::flight::FlightDescriptor,
) -> Result<PollInfo, OperationError> {
    poll_info_from_operation_with(op, retry, |_: &Any| None)
}

/// Like [`poll_info_from_operation`], with `progress` asked first for the
/// progress of the metadata ([`default_progress`] is the fallback). A
/// progress outside [0, 1] (or NaN) is left unset, as Flight asks for an
/// unknown one.
///
/// Errors, which [`poll_flight_info_error`] turns into the gRPC error to
/// answer: `Failed` or `Cancelled` for an operation done with `error`,
/// `Inconsistent` when `done` and the result disagree, `Response` when the
/// response claims to be a `FlightInfo` but does not decode.
///
/// ```
/// use cancelwire::flight::FlightDescriptor;
/// use cancelwire::longrunning::{Operation, OperationError};
/// use cancelwire::poll::poll_info_from_operation_with;
/// use cancelwire::wkt::DoubleValue;
///
/// // A service that reports percent.
/// let percent = |any: &cancelwire::wkt::Any| any.to_msg::<DoubleValue>().ok().map(|p| p.value / 100.0);
/// let op = Operation::running("operations/q").with_metadata(&DoubleValue { value: 40.0, ..Default::default() });
/// let poll = poll_info_from_operation_with(&op, FlightDescriptor::command("q"), percent)?;
/// assert_eq!(poll.progress, Some(0.4));
///
/// let mut op = op;
/// op.cancel("stopped")?;
/// let err = poll_info_from_operation_with(&op, FlightDescriptor::command("q"), percent).unwrap_err();
/// assert!(matches!(err, OperationError::Cancelled(_)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn poll_info_from_operation_with(
    op: &Operation,
    retry: crate::flight::FlightDescriptor,
    progress: impl Fn(&Any) -> Option<f64>,
) -> Result<PollInfo, OperationError> {
    let state = op.state().map_err(OperationError::Inconsistent)?;
    let metadata_poll = op
        .metadata
        .as_ref()
        .and_then(|any| any.to_msg::<PollInfo>().ok());
    let progress = op
        .metadata
        .as_ref()
        .and_then(|any| progress(any).or_else(|| default_progress(any)))
        .filter(|p| (0.0..=1.0).contains(p));
    let so_far = metadata_poll.as_ref().and_then(|poll| poll.info.clone());
    match state {
        OperationState::Running => Ok(PollInfo {
            info: so_far,
            flight_descriptor: Some(retry),
            progress,
            expiration_time: metadata_poll.and_then(|poll| poll.expiration_time),
            unknown_fields: crate::UnknownFields::new(),
        }),
        OperationState::Succeeded(response) => {
            let info = if response.is::<FlightInfo>() {
                Some(response.to_msg::<FlightInfo>().map_err(|source| {
                    OperationError::Response {
                        name: op.name.clone(),
                        source,
                    }
                })?)
            } else {
                so_far
            };
            Ok(PollInfo {
                info,
                flight_descriptor: None,
                progress,
                expiration_time: None,
                unknown_fields: crate::UnknownFields::new(),
            })
        }
        OperationState::Failed(status) => Err(OperationError::Failed(status.clone())),
        OperationState::Cancelled(status) => Err(OperationError::Cancelled(status.clone())),
    }
}

/// The gRPC error `PollFlightInfo` answers when
/// [`poll_info_from_operation_with`] gave `error`: the operation's own
/// `Status` for a failed or cancelled operation (so a cancelled one is
/// `CANCELLED`), `INTERNAL` naming the field for a broken one.
///
/// ```
/// use cancelwire::flight::FlightDescriptor;
/// use cancelwire::longrunning::Operation;
/// use cancelwire::poll::{poll_flight_info_error, poll_info_from_operation};
/// use cancelwire::rpc::{Code, Status};
///
/// let mut op = Operation::running("operations/q");
/// op.fail(Status::invalid_argument("no such table"))?;
/// let err = poll_info_from_operation(&op, FlightDescriptor::command("q")).unwrap_err();
/// assert_eq!(poll_flight_info_error(&err), Status::invalid_argument("no such table"));
///
/// let broken = Operation { name: "operations/b".into(), done: true, ..Default::default() };
/// let err = poll_info_from_operation(&broken, FlightDescriptor::command("b")).unwrap_err();
/// let status = poll_flight_info_error(&err);
/// assert_eq!(status.code(), Code::INTERNAL);
/// assert_eq!(status.message, "operation.result: operation `operations/b` is done but has neither error nor response");
/// # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
/// ```
pub fn poll_flight_info_error(error: &OperationError) -> Status {
    match error {
        OperationError::Failed(status) | OperationError::Cancelled(status) => status.clone(),
        OperationError::Response { source, .. } => {
            Status::internal(format!("operation.response: {source}"))
        }
        OperationError::Inconsistent(inconsistent) => {
            Status::internal(format!("operation.result: {inconsistent}"))
        }
        other => Status::internal(other.to_string()),
    }
}
