//! What can go wrong: one call ([`CallError`]), or the whole loop
//! ([`ClientError`]).

use crate::flight::CancelStatus;
use crate::longrunning::OperationError;
use crate::rpc::{Code, Status};
use crate::validate::Violation;
use crate::wkt::UnpackError;
use std::fmt;
use std::time::Duration;

/// Why one call failed.
///
/// ```
/// use cancelwire::client::CallError;
/// use cancelwire::rpc::{Code, Status};
/// use std::time::Duration;
///
/// assert_eq!(CallError::Status(Status::not_found("no op")).code(), Code::NOT_FOUND);
/// assert_eq!(CallError::Timeout { after: Duration::from_secs(1) }.code(), Code::DEADLINE_EXCEEDED);
/// assert_eq!(CallError::Transport { message: "refused".into() }.code(), Code::UNAVAILABLE);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CallError {
    /// The server (or the gRPC or HTTP stack on its behalf) answered with
    /// an error.
    Status(Status),
    /// No answer: the transport failed (connection refused or reset).
    Transport {
        /// What the transport said.
        message: String,
    },
    /// No answer within the per-call timeout (or before the deadline).
    Timeout {
        /// The bound that passed.
        after: Duration,
    },
}

impl CallError {
    /// The code that stands for this error: the status's own, `UNAVAILABLE`
    /// for the transport, `DEADLINE_EXCEEDED` for a timeout.
    ///
    /// ```
    /// use cancelwire::client::CallError;
    /// use cancelwire::rpc::{Code, Status};
    ///
    /// assert_eq!(CallError::Status(Status::new(Code::UNIMPLEMENTED, "")).code(), Code::UNIMPLEMENTED);
    /// ```
    pub fn code(&self) -> Code {
        match self {
            CallError::Status(status) => status.code(),
            CallError::Transport { .. } => Code::UNAVAILABLE,
            CallError::Timeout { .. } => Code::DEADLINE_EXCEEDED,
        }
    }

    /// From a tonic error: a timeout or a failed connection of tonic's
    /// own transport (found in the error's sources) as such, else its rich
    /// status when `grpc-status-details-bin` holds one, else its code and
    /// message (bad details are said in the message rather than lost).
    /// `bound` is the timeout the call was given.
    #[cfg(feature = "tonic")]
    pub(crate) fn from_tonic(status: &::tonic::Status, bound: Option<Duration>) -> Self {
        let mut source = std::error::Error::source(status);
        while let Some(error) = source {
            if error.downcast_ref::<::tonic::TimeoutExpired>().is_some() {
                return CallError::Timeout {
                    after: bound.unwrap_or_default(),
                };
            }
            if error.downcast_ref::<::tonic::ConnectError>().is_some() {
                return CallError::Transport {
                    message: status.message().to_owned(),
                };
            }
            source = error.source();
        }
        match Status::try_from(status) {
            Ok(status) => CallError::Status(status),
            Err(bad) => CallError::Status(Status::new(
                status.code().into(),
                format!("{} ({bad})", status.message()),
            )),
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Status(status) => write!(f, "{status}"),
            CallError::Transport { message } => write!(f, "transport error: {message}"),
            CallError::Timeout { after } => write!(f, "no answer within {after:?}"),
        }
    }
}

impl std::error::Error for CallError {}

/// Which limit ended a loop.
///
/// ```
/// use cancelwire::client::Limit;
///
/// assert_eq!(Limit::Attempts(3).to_string(), "3 attempts");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`PollOptions::max_attempts`](super::PollOptions::max_attempts).
    Attempts(u32),
    /// [`PollOptions::max_elapsed`](super::PollOptions::max_elapsed).
    Elapsed(Duration),
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Attempts(n) => write!(f, "{n} attempts"),
            Limit::Elapsed(d) => write!(f, "{d:?} elapsed"),
        }
    }
}

/// What the best-effort cancel sent when a deadline passed (or a Flight
/// poller was dropped) came to: one request, bounded in time, not retried.
///
/// ```
/// use cancelwire::client::BestEffortCancel;
/// use cancelwire::flight::CancelStatus;
///
/// assert_eq!(BestEffortCancel::Answered(CancelStatus::CANCELLED).to_string(), "answered CANCEL_STATUS_CANCELLED");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum BestEffortCancel {
    /// The server answered with this status.
    Answered(CancelStatus),
    /// The request failed (a timeout included).
    Failed(CallError),
}

impl fmt::Display for BestEffortCancel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BestEffortCancel::Answered(status) => write!(f, "answered {status}"),
            BestEffortCancel::Failed(error) => write!(f, "failed: {error}"),
        }
    }
}

/// Why a poller or canceller ended without the outcome it was after.
///
/// ```
/// use cancelwire::client::{CallError, ClientError};
/// use cancelwire::rpc::Status;
///
/// let err = ClientError::Call {
///     rpc: "GetOperation",
///     attempt: 2,
///     error: CallError::Status(Status::permission_denied("no access")),
/// };
/// assert_eq!(err.to_string(), "GetOperation, attempt 2: PERMISSION_DENIED: no access");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ClientError {
    /// A call failed. From `poll()` as a `PollingError`, the loop goes on;
    /// as the end of a loop, the error policy does not retry it.
    Call {
        /// The RPC, like `GetOperation` or `PollFlightInfo`.
        rpc: &'static str,
        /// Which call of the loop (from 1).
        attempt: u32,
        /// Why it failed.
        error: CallError,
    },
    /// A limit was reached while the work was still in progress or the
    /// calls kept failing with errors the policy retries.
    Exhausted {
        /// The limit.
        limit: Limit,
        /// Calls made.
        attempts: u32,
        /// Time since the loop started.
        elapsed: Duration,
        /// The error of the last call, when it failed.
        last: Option<CallError>,
    },
    /// The caller's deadline passed before the outcome was known.
    DeadlineExceeded {
        /// The deadline.
        deadline: Duration,
        /// Calls made.
        attempts: u32,
        /// What the best-effort cancel came to (Flight), when one was sent.
        cancel: Option<BestEffortCancel>,
    },
    /// The work failed: an operation done with an error other than
    /// `CANCELLED`.
    Failed(Status),
    /// The work was cancelled: an operation done with `CANCELLED`, a
    /// `PollFlightInfo` answered `CANCELLED`.
    Cancelled(Status),
    /// An operation's result is not what it should be (done without a
    /// result, a response of another type than the poller's).
    Operation(OperationError),
    /// An operation's metadata is not the poller's metadata type.
    Metadata {
        /// The operation's name.
        name: String,
        /// Why unpacking failed (it names the type URL).
        source: UnpackError,
    },
    /// The answers broke a promise of the protocol (Flight: endpoints only
    /// appended, progress in [0, 1]; operations: a name that stays, a
    /// result that stays), found by [`crate::poll`]'s checkers.
    Broken {
        /// Every broken rule, with its field path.
        violations: Vec<Violation>,
    },
    /// The work is gone: `NOT_FOUND` after an earlier request.
    Gone {
        /// What was asked for.
        name: String,
    },
}

impl ClientError {
    /// The gRPC code that stands for the error, for a gateway that passes
    /// it on.
    ///
    /// ```
    /// use cancelwire::client::ClientError;
    /// use cancelwire::rpc::{Code, Status};
    ///
    /// assert_eq!(ClientError::Cancelled(Status::cancelled("by user")).code(), Code::CANCELLED);
    /// assert_eq!(ClientError::Gone { name: "q".into() }.code(), Code::NOT_FOUND);
    /// ```
    pub fn code(&self) -> Code {
        match self {
            ClientError::Call { error, .. } => error.code(),
            ClientError::Exhausted { last, .. } => last
                .as_ref()
                .map_or(Code::DEADLINE_EXCEEDED, CallError::code),
            ClientError::DeadlineExceeded { .. } => Code::DEADLINE_EXCEEDED,
            ClientError::Failed(status) | ClientError::Cancelled(status) => status.code(),
            ClientError::Operation(_)
            | ClientError::Metadata { .. }
            | ClientError::Broken { .. } => Code::INTERNAL,
            ClientError::Gone { .. } => Code::NOT_FOUND,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Call {
                rpc,
                attempt,
                error,
            } => write!(f, "{rpc}, attempt {attempt}: {error}"),
            ClientError::Exhausted {
                limit,
                attempts,
                elapsed,
                last,
            } => {
                write!(
                    f,
                    "gave up at the limit of {limit} after {attempts} attempts in {elapsed:?}"
                )?;
                match last {
                    Some(error) => write!(f, "; the last call failed: {error}"),
                    None => f.write_str("; the work was still in progress"),
                }
            }
            ClientError::DeadlineExceeded {
                deadline,
                attempts,
                cancel,
            } => {
                write!(
                    f,
                    "the deadline of {deadline:?} passed after {attempts} attempts"
                )?;
                match cancel {
                    Some(cancel) => write!(f, "; best-effort cancel {cancel}"),
                    None => Ok(()),
                }
            }
            ClientError::Failed(status) => write!(f, "the work failed: {status}"),
            ClientError::Cancelled(status) => write!(f, "the work was cancelled: {status}"),
            ClientError::Operation(error) => write!(f, "operation.result: {error}"),
            ClientError::Metadata { name, source } => {
                write!(f, "operation.metadata of `{name}`: {source}")
            }
            ClientError::Broken { violations } => {
                f.write_str("the answers broke the protocol: ")?;
                for (i, violation) in violations.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{violation}")?;
                }
                Ok(())
            }
            ClientError::Gone { name } => {
                write!(f, "`{name}` is gone: NOT_FOUND after an earlier request")
            }
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Call { error, .. } => Some(error),
            ClientError::Operation(error) => Some(error),
            ClientError::Metadata { source, .. } => Some(source),
            _ => None,
        }
    }
}
