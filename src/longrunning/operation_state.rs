//! A typed view of an [`Operation`]'s lifecycle, and the transitions a
//! server makes.
//!
//! `google/longrunning/operations.proto` and AIP-151 fix the shape: while
//! `done` is false neither `error` nor `response` is set; once `done` is
//! true exactly one of them is. A cancelled operation is not deleted: it
//! stays, done, with an `error` whose code is `CANCELLED` (1).

use super::{Operation, operation};
use crate::rpc::{Code, Status};
use crate::wkt::{Any, UnpackError, pack};
use prost::Name;

/// Where an operation is in its lifecycle.
///
/// ```
/// use cancelwire::longrunning::{Operation, OperationState};
/// use cancelwire::wkt::Empty;
///
/// let mut op = Operation::running("operations/1");
/// assert_eq!(op.state()?, OperationState::Running);
/// op.succeed(&Empty::default())?;
/// assert!(matches!(op.state()?, OperationState::Succeeded(any) if any.is::<Empty>()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OperationState<'a> {
    /// `done` is false: the work goes on.
    Running,
    /// Done with a `response`.
    Succeeded(&'a Any),
    /// Done with an `error` whose code is not `CANCELLED`.
    Failed(&'a Status),
    /// Done with an `error` whose code is `CANCELLED`.
    Cancelled(&'a Status),
}

/// An operation whose `done` flag and result disagree, which
/// operations.proto rules out.
///
/// ```
/// use cancelwire::longrunning::{InconsistentOperation, Operation};
///
/// let op = Operation { name: "operations/9".into(), done: true, ..Default::default() };
/// let err = op.state().unwrap_err();
/// assert_eq!(err, InconsistentOperation::DoneWithoutResult { name: "operations/9".into() });
/// assert_eq!(err.to_string(), "operation `operations/9` is done but has neither error nor response");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InconsistentOperation {
    /// `done` is false but `error` or `response` is set.
    ResultWhileRunning {
        /// The operation's `name`.
        name: String,
    },
    /// `done` is true but neither `error` nor `response` is set.
    DoneWithoutResult {
        /// The operation's `name`.
        name: String,
    },
}

impl std::fmt::Display for InconsistentOperation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ResultWhileRunning { name } => write!(
                f,
                "operation `{name}` is not done but already has an error or response"
            ),
            Self::DoneWithoutResult { name } => write!(
                f,
                "operation `{name}` is done but has neither error nor response"
            ),
        }
    }
}

impl std::error::Error for InconsistentOperation {}

/// Why an operation gave no response: it is still running, it failed or was
/// cancelled, it is inconsistent, or its response is not the expected type.
///
/// ```
/// use cancelwire::longrunning::{Operation, OperationError};
///
/// let mut op = Operation::running("operations/3");
/// op.cancel("stopped by the user")?;
/// match op.into_result() {
///     Err(OperationError::Cancelled(status)) => assert_eq!(status.message, "stopped by the user"),
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum OperationError {
    /// `done` is false.
    NotDone {
        /// The operation's `name`.
        name: String,
    },
    /// Done with an error other than `CANCELLED`.
    Failed(Status),
    /// Done with a `CANCELLED` error.
    Cancelled(Status),
    /// `done` and the result disagree.
    Inconsistent(InconsistentOperation),
    /// The response is not the requested message type, or does not decode.
    Response {
        /// The operation's `name`.
        name: String,
        /// Why unpacking failed.
        source: UnpackError,
    },
}

impl std::fmt::Display for OperationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotDone { name } => write!(f, "operation `{name}` is not done"),
            Self::Failed(status) => write!(f, "operation failed: {status}"),
            Self::Cancelled(status) => write!(f, "operation was cancelled: {status}"),
            Self::Inconsistent(inconsistent) => inconsistent.fmt(f),
            Self::Response { name, source } => {
                write!(f, "operation `{name}`: response: {source}")
            }
        }
    }
}

impl std::error::Error for OperationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Failed(status) | Self::Cancelled(status) => Some(status),
            Self::Inconsistent(inconsistent) => Some(inconsistent),
            Self::Response { source, .. } => Some(source),
            Self::NotDone { .. } => None,
        }
    }
}

/// A server tried to finish an operation that is already done.
///
/// ```
/// use cancelwire::longrunning::Operation;
/// use cancelwire::rpc::Status;
///
/// let mut op = Operation::running("operations/4");
/// op.fail(Status::internal("disk full"))?;
/// let err = op.cancel("too late").unwrap_err();
/// assert_eq!(err.name(), "operations/4");
/// assert_eq!(err.to_string(), "operation `operations/4` is already done");
/// # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlreadyDone {
    name: String,
}

impl AlreadyDone {
    /// The operation's `name`.
    ///
    /// ```
    /// let mut op = cancelwire::longrunning::Operation::running("operations/5");
    /// op.cancel("")?;
    /// assert_eq!(op.cancel("").unwrap_err().name(), "operations/5");
    /// # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl std::fmt::Display for AlreadyDone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "operation `{}` is already done", self.name)
    }
}

impl std::error::Error for AlreadyDone {}

impl Operation {
    /// A new, running operation with this resource name.
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    ///
    /// let op = Operation::running("operations/q-17");
    /// assert_eq!(op.name, "operations/q-17");
    /// assert!(!op.done && op.result.is_none() && op.metadata.is_none());
    /// ```
    pub fn running(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// Where the operation is in its lifecycle, or why its `done` flag and
    /// result disagree.
    ///
    /// ```
    /// use cancelwire::longrunning::{Operation, OperationState};
    /// use cancelwire::rpc::Status;
    ///
    /// let mut op = Operation::running("operations/6");
    /// op.fail(Status::not_found("table dropped"))?;
    /// assert!(matches!(op.state()?, OperationState::Failed(status) if status.message == "table dropped"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn state(&self) -> Result<OperationState<'_>, InconsistentOperation> {
        match (self.done, &self.result) {
            (false, None) => Ok(OperationState::Running),
            (false, Some(_)) => Err(InconsistentOperation::ResultWhileRunning {
                name: self.name.clone(),
            }),
            (true, None) => Err(InconsistentOperation::DoneWithoutResult {
                name: self.name.clone(),
            }),
            (true, Some(operation::Result::Response(response))) => {
                Ok(OperationState::Succeeded(response))
            }
            (true, Some(operation::Result::Error(status))) => {
                if status.code() == Code::CANCELLED {
                    Ok(OperationState::Cancelled(status))
                } else {
                    Ok(OperationState::Failed(status))
                }
            }
        }
    }

    /// Whether the operation is done with a `CANCELLED` error (AIP-151).
    ///
    /// ```
    /// let mut op = cancelwire::longrunning::Operation::running("operations/7");
    /// assert!(!op.is_cancelled());
    /// op.cancel("user request")?;
    /// assert!(op.is_cancelled());
    /// # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
    /// ```
    pub fn is_cancelled(&self) -> bool {
        matches!(self.state(), Ok(OperationState::Cancelled(_)))
    }

    /// The response of a successful operation, or why there is none.
    ///
    /// ```
    /// use cancelwire::longrunning::{Operation, OperationError};
    /// use cancelwire::wkt::Empty;
    ///
    /// let op = Operation::running("operations/8");
    /// assert_eq!(op.clone().into_result(), Err(OperationError::NotDone { name: "operations/8".into() }));
    ///
    /// let mut op = op;
    /// op.succeed(&Empty::default())?;
    /// assert!(op.into_result()?.is::<Empty>());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_result(self) -> Result<Any, OperationError> {
        self.state().map_err(OperationError::Inconsistent)?;
        match (self.done, self.result) {
            (true, Some(operation::Result::Response(response))) => Ok(response),
            (true, Some(operation::Result::Error(status))) if status.code() == Code::CANCELLED => {
                Err(OperationError::Cancelled(status))
            }
            (true, Some(operation::Result::Error(status))) => Err(OperationError::Failed(status)),
            _ => Err(OperationError::NotDone { name: self.name }),
        }
    }

    /// The response of a successful operation, unpacked as an `M`.
    ///
    /// ```
    /// use cancelwire::flight::CancelFlightInfoResult;
    /// use cancelwire::longrunning::Operation;
    ///
    /// let mut op = Operation::running("operations/9");
    /// op.succeed(&CancelFlightInfoResult { status: 1, ..Default::default() })?;
    /// let result: CancelFlightInfoResult = op.into_response()?;
    /// assert_eq!(result.status, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_response<M: Name + Default>(self) -> Result<M, OperationError> {
        let name = self.name.clone();
        self.into_result()?
            .to_msg()
            .map_err(|source| OperationError::Response { name, source })
    }

    /// The `response`, unpacked as an `M`; `None` when the operation has no
    /// response (running, failed or cancelled).
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    /// use cancelwire::wkt::{Duration, Timestamp};
    ///
    /// let mut op = Operation::running("operations/10");
    /// assert_eq!(op.response_as::<Duration>()?, None);
    /// op.succeed(&Duration { seconds: 3, nanos: 0, ..Default::default() })?;
    /// assert_eq!(op.response_as::<Duration>()?, Some(Duration { seconds: 3, nanos: 0, ..Default::default() }));
    /// assert!(op.response_as::<Timestamp>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn response_as<M: Name + Default>(&self) -> Result<Option<M>, UnpackError> {
        match &self.result {
            Some(operation::Result::Response(response)) => response.to_msg().map(Some),
            _ => Ok(None),
        }
    }

    /// The `metadata`, unpacked as an `M`; `None` when it is not set.
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    /// use cancelwire::wkt::Timestamp;
    ///
    /// let started = Timestamp { seconds: 1_700_000_000, nanos: 0, ..Default::default() };
    /// let op = Operation::running("operations/11").with_metadata(&started);
    /// assert_eq!(op.metadata_as::<Timestamp>()?, Some(started));
    /// # Ok::<(), cancelwire::wkt::UnpackError>(())
    /// ```
    pub fn metadata_as<M: Name + Default>(&self) -> Result<Option<M>, UnpackError> {
        self.metadata.as_ref().map(Any::to_msg).transpose()
    }

    /// Sets `metadata` to `metadata`, packed.
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    /// use cancelwire::wkt::Empty;
    ///
    /// let mut op = Operation::running("operations/12");
    /// op.set_metadata(&Empty::default());
    /// assert!(op.metadata.unwrap().is::<Empty>());
    /// ```
    pub fn set_metadata<M: Name>(&mut self, metadata: &M) {
        self.metadata = Some(pack(metadata));
    }

    /// The operation with `metadata` set, for building in one expression.
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    /// use cancelwire::wkt::Empty;
    ///
    /// let op = Operation::running("operations/13").with_metadata(&Empty::default());
    /// assert!(op.metadata.is_some());
    /// ```
    pub fn with_metadata<M: Name>(mut self, metadata: &M) -> Self {
        self.set_metadata(metadata);
        self
    }

    /// Marks a running operation done with `response`.
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    /// use cancelwire::wkt::Empty;
    ///
    /// let mut op = Operation::running("operations/14");
    /// op.succeed(&Empty::default())?;
    /// assert!(op.done);
    /// assert!(op.succeed(&Empty::default()).is_err());
    /// # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
    /// ```
    pub fn succeed<M: Name>(&mut self, response: &M) -> Result<(), AlreadyDone> {
        self.finish(operation::Result::Response(pack(response)))
    }

    /// Marks a running operation done with `error`.
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    /// use cancelwire::rpc::{Code, Status};
    ///
    /// let mut op = Operation::running("operations/15");
    /// op.fail(Status::resource_exhausted("out of memory"))?;
    /// assert!(op.done);
    /// assert_eq!(op.into_result().unwrap_err().to_string(), "operation failed: RESOURCE_EXHAUSTED: out of memory");
    /// # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
    /// ```
    pub fn fail(&mut self, error: Status) -> Result<(), AlreadyDone> {
        self.finish(operation::Result::Error(error))
    }

    /// Marks a running operation cancelled, as AIP-151 asks: it stays, done,
    /// with an `error` of code `CANCELLED` (1) and this message. Metadata is
    /// kept.
    ///
    /// ```
    /// use cancelwire::longrunning::{operation, Operation};
    /// use cancelwire::rpc::Code;
    ///
    /// let mut op = Operation::running("operations/16");
    /// op.cancel("cancelled by the client")?;
    /// assert!(op.done);
    /// assert!(matches!(&op.result, Some(operation::Result::Error(s)) if s.code == 1));
    /// # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
    /// ```
    pub fn cancel(&mut self, message: impl Into<String>) -> Result<(), AlreadyDone> {
        self.fail(Status::cancelled(message))
    }

    fn finish(&mut self, result: operation::Result) -> Result<(), AlreadyDone> {
        if self.done {
            return Err(AlreadyDone {
                name: self.name.clone(),
            });
        }
        self.done = true;
        self.result = Some(result);
        Ok(())
    }
}
