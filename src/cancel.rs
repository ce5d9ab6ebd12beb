//! How cancellation translates between Arrow Flight and Google-style
//! long-running operations, for a gateway that speaks one protocol to its
//! clients and the other to its backend.
//!
//! The two protocols say the same things in different ways. Flight answers
//! a `CancelFlightInfo` action with a [`CancelStatus`] (or a gRPC error);
//! Google's `Operations` service answers `CancelOperation` with an empty
//! message or an error, and leaves the outcome to be read with
//! `GetOperation`: a successfully cancelled operation is not deleted but
//! becomes done with an `error` whose code is `CANCELLED` (1).
//!
//! Sources: the comments of `CancelStatus` and `CancelFlightInfoRequest` in
//! Arrow's `Flight.proto` ("Flight" below), and of `CancelOperation` in
//! googleapis' `google/longrunning/operations.proto` with AIP-151
//! ("LRO" below).
//!
//! # A Flight client, a Google-style backend
//!
//! The gateway calls `CancelOperation`, then `GetOperation`, and answers
//! `CancelFlightInfo` with [`answer_cancel_flight_info`]. The first
//! matching row wins:
//!
//! | CancelOperation | GetOperation | CancelFlightInfo answer | why |
//! |---|---|---|---|
//! | any | done, `error.code` = `CANCELLED` | `CANCELLED` | LRO: a cancelled operation is done with code 1; Flight: CANCELLED also covers an earlier request |
//! | any | done otherwise (response, other error) | `NOT_CANCELLABLE` | LRO: the operation "completed despite cancellation"; Flight: a client must not retry |
//! | `NOT_FOUND`, or any | `NOT_FOUND` | error `NOT_FOUND` | Flight: servers should send NOT_FOUND for an unknown query rather than UNSPECIFIED |
//! | `UNIMPLEMENTED` | not done, or failed | `NOT_CANCELLABLE` | LRO: UNIMPLEMENTED means the server cannot cancel |
//! | `OK` | not done, or failed | `CANCELLING` | LRO: cancellation is asynchronous and best effort; Flight: the client may retry to learn the outcome |
//! | any other error | not done, or failed | that error | nothing was learned about the query; the caller's problem (permissions, availability) passes through |
//!
//! # A Google-style client, a Flight backend
//!
//! The gateway sends `CancelFlightInfo` and answers `CancelOperation` with
//! [`answer_cancel_operation`]:
//!
//! | CancelStatus | CancelOperation answer | why |
//! |---|---|---|
//! | `CANCELLED` | `OK` | done; the gateway also marks its operation cancelled ([`Operation::cancel`]) so GetOperation shows code 1 |
//! | `CANCELLING` | `OK` | LRO: OK only means cancellation started; GetOperation tells the rest |
//! | `NOT_CANCELLABLE` | `FAILED_PRECONDITION` | the query finished or cannot be cancelled: the system is not in a state that allows it, and retrying will not help |
//! | `UNSPECIFIED`, or a number this crate does not know | `UNKNOWN` | Flight: the status is unknown; code.proto: UNKNOWN is for errors from an unknown error space |
//!
//! ```
//! use cancelwire::cancel::{answer_cancel_flight_info, answer_cancel_operation};
//! use cancelwire::flight::CancelStatus;
//! use cancelwire::longrunning::Operation;
//! use cancelwire::rpc::Code;
//!
//! let mut op = Operation::running("operations/q-17");
//! assert_eq!(answer_cancel_flight_info(Code::OK, Ok(&op)), Ok(CancelStatus::CANCELLING));
//! op.cancel("cancelled through the gateway")?;
//! assert_eq!(answer_cancel_flight_info(Code::OK, Ok(&op)), Ok(CancelStatus::CANCELLED));
//! assert_eq!(answer_cancel_flight_info(Code::NOT_FOUND, Err(Code::NOT_FOUND)), Err(Code::NOT_FOUND));
//!
//! assert_eq!(answer_cancel_operation(CancelStatus::NOT_CANCELLABLE), Code::FAILED_PRECONDITION);
//! # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
//! ```

use crate::flight::CancelStatus;
use crate::longrunning::{Operation, operation};
use crate::rpc::Code;

/// The answer to a `CancelFlightInfo` action, from the outcome of a
/// `CancelOperation` call (its code: `OK` when it returned `Empty`)
/// followed by a `GetOperation` call (the operation, or the call's error
/// code). `Err(code)` means: answer the action with a gRPC error of that
/// code. See the [module documentation](self) for the table.
///
/// ```
/// use cancelwire::cancel::answer_cancel_flight_info;
/// use cancelwire::flight::CancelStatus;
/// use cancelwire::longrunning::Operation;
/// use cancelwire::rpc::Code;
/// use cancelwire::wkt::Empty;
///
/// let mut finished = Operation::running("operations/1");
/// finished.succeed(&Empty::default())?;
/// assert_eq!(answer_cancel_flight_info(Code::OK, Ok(&finished)), Ok(CancelStatus::NOT_CANCELLABLE));
///
/// let running = Operation::running("operations/2");
/// assert_eq!(answer_cancel_flight_info(Code::UNIMPLEMENTED, Ok(&running)), Ok(CancelStatus::NOT_CANCELLABLE));
/// assert_eq!(answer_cancel_flight_info(Code::PERMISSION_DENIED, Ok(&running)), Err(Code::PERMISSION_DENIED));
/// assert_eq!(answer_cancel_flight_info(Code::OK, Err(Code::UNAVAILABLE)), Ok(CancelStatus::CANCELLING));
/// # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
/// ```
pub fn answer_cancel_flight_info(
    cancel_operation: Code,
    get_operation: Result<&Operation, Code>,
) -> Result<CancelStatus, Code> {
    // What GetOperation showed is the latest news, so it decides first.
    if let Ok(op) = get_operation
        && op.done
    {
        return Ok(if is_cancelled(op) {
            CancelStatus::CANCELLED
        } else {
            CancelStatus::NOT_CANCELLABLE
        });
    }
    if cancel_operation == Code::NOT_FOUND || get_operation.err() == Some(Code::NOT_FOUND) {
        return Err(Code::NOT_FOUND);
    }
    match cancel_operation {
        Code::UNIMPLEMENTED => Ok(CancelStatus::NOT_CANCELLABLE),
        Code::OK => Ok(CancelStatus::CANCELLING),
        error => Err(error),
    }
}

/// The code a `CancelOperation` call answers with, once the Flight backend
/// answered `CancelFlightInfo` with `status`. See the
/// [module documentation](self) for the table.
///
/// ```
/// use cancelwire::cancel::answer_cancel_operation;
/// use cancelwire::flight::CancelStatus;
/// use cancelwire::rpc::Code;
///
/// assert_eq!(answer_cancel_operation(CancelStatus::CANCELLED), Code::OK);
/// assert_eq!(answer_cancel_operation(CancelStatus::CANCELLING), Code::OK);
/// assert_eq!(answer_cancel_operation(CancelStatus::from_i32(12)), Code::UNKNOWN);
/// ```
pub fn answer_cancel_operation(status: CancelStatus) -> Code {
    match status {
        CancelStatus::CANCELLED | CancelStatus::CANCELLING => Code::OK,
        CancelStatus::NOT_CANCELLABLE => Code::FAILED_PRECONDITION,
        _ => Code::UNKNOWN,
    }
}

/// Done with a `CANCELLED` error; unlike `Operation::state` this does not
/// care whether the rest of the operation is consistent.
fn is_cancelled(op: &Operation) -> bool {
    matches!(&op.result, Some(operation::Result::Error(status)) if status.code() == Code::CANCELLED)
}
