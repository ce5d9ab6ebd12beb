//! The typed view of `google.longrunning.Operation` and the server-side
//! transitions, against operations.proto and AIP-151.

use cancelwire::flight::{CancelFlightInfoResult, Ticket};
use cancelwire::longrunning::{
    AlreadyDone, InconsistentOperation, Operation, OperationError, OperationState, operation,
};
use cancelwire::rpc::{Code, Status};
use cancelwire::wkt::{Any, Empty, Timestamp, UnpackError};
use prost::Message;

fn op(done: bool, result: Option<operation::Result>) -> Operation {
    Operation {
        name: "operations/t".into(),
        done,
        result,
        ..Default::default()
    }
}

fn response() -> Any {
    Any::from_msg(&Ticket {
        ticket: "done".into(),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn not_done_without_result_is_running() {
    let running = op(false, None);
    assert_eq!(running.state(), Ok(OperationState::Running));
    assert_eq!(
        running.into_result(),
        Err(OperationError::NotDone {
            name: "operations/t".into()
        })
    );
}

#[test]
fn done_with_response_succeeded() {
    let any = response();
    let done = op(true, Some(operation::Result::Response(any.clone())));
    assert_eq!(done.state(), Ok(OperationState::Succeeded(&any)));
    assert_eq!(done.into_result(), Ok(any));
}

#[test]
fn done_with_a_non_cancelled_error_failed() {
    let status = Status::internal("crash");
    let failed = op(true, Some(operation::Result::Error(status.clone())));
    assert_eq!(failed.state(), Ok(OperationState::Failed(&status)));
    assert!(!failed.is_cancelled());
    assert_eq!(failed.into_result(), Err(OperationError::Failed(status)));
}

#[test]
fn done_with_code_1_is_cancelled_whatever_the_message() {
    let status = Status {
        code: 1,
        ..Default::default()
    };
    let cancelled = op(true, Some(operation::Result::Error(status.clone())));
    assert_eq!(cancelled.state(), Ok(OperationState::Cancelled(&status)));
    assert!(cancelled.is_cancelled());
    assert_eq!(
        cancelled.into_result(),
        Err(OperationError::Cancelled(status))
    );
}

#[test]
fn not_done_with_a_result_is_inconsistent() {
    for result in [
        operation::Result::Response(response()),
        operation::Result::Error(Status::cancelled("early")),
    ] {
        let odd = op(false, Some(result));
        let expected = InconsistentOperation::ResultWhileRunning {
            name: "operations/t".into(),
        };
        assert_eq!(odd.state(), Err(expected.clone()));
        assert!(!odd.is_cancelled());
        assert_eq!(
            odd.into_result(),
            Err(OperationError::Inconsistent(expected))
        );
    }
}

#[test]
fn done_without_a_result_is_inconsistent() {
    let odd = op(true, None);
    let expected = InconsistentOperation::DoneWithoutResult {
        name: "operations/t".into(),
    };
    assert_eq!(odd.state(), Err(expected.clone()));
    assert_eq!(
        odd.into_result(),
        Err(OperationError::Inconsistent(expected))
    );
}

#[test]
fn typed_response_and_metadata() {
    let started = Timestamp {
        seconds: 10,
        nanos: 0,
        ..Default::default()
    };
    let mut op = Operation::running("operations/typed").with_metadata(&started);
    op.succeed(&CancelFlightInfoResult {
        status: 2,
        ..Default::default()
    })
    .unwrap();

    assert_eq!(op.metadata_as::<Timestamp>(), Ok(Some(started)));
    assert!(matches!(
        op.metadata_as::<Empty>(),
        Err(UnpackError::TypeMismatch { .. })
    ));
    assert_eq!(
        op.response_as::<CancelFlightInfoResult>(),
        Ok(Some(CancelFlightInfoResult {
            status: 2,
            ..Default::default()
        }))
    );
    assert_eq!(
        op.clone().into_response::<CancelFlightInfoResult>(),
        Ok(CancelFlightInfoResult {
            status: 2,
            ..Default::default()
        })
    );
    let wrong = op.into_response::<Ticket>().unwrap_err();
    assert!(
        matches!(&wrong, OperationError::Response { name, source: UnpackError::TypeMismatch { .. } } if name == "operations/typed"),
        "{wrong:?}"
    );
}

#[test]
fn metadata_and_response_are_none_when_absent() {
    let op = Operation::running("operations/empty");
    assert_eq!(op.metadata_as::<Timestamp>(), Ok(None));
    assert_eq!(op.response_as::<Timestamp>(), Ok(None));
}

#[test]
fn cancel_keeps_the_operation_with_error_code_1_and_its_metadata() {
    let mut op = Operation::running("operations/c").with_metadata(&Empty {
        ..Default::default()
    });
    op.cancel("user asked").unwrap();
    let back: Operation = cancelwire::decode(op.encode_to_vec().as_slice()).unwrap();
    assert!(back.done);
    assert!(back.metadata.is_some());
    match back.result {
        Some(operation::Result::Error(status)) => {
            assert_eq!(status.code, 1);
            assert_eq!(status.code(), Code::CANCELLED);
            assert_eq!(status.message, "user asked");
        }
        other => panic!("unexpected result {other:?}"),
    }
}

#[test]
fn a_done_operation_cannot_be_finished_again() {
    let mut op = Operation::running("operations/d");
    op.succeed(&Empty {
        ..Default::default()
    })
    .unwrap();
    let before = op.clone();
    let already: AlreadyDone = op.cancel("late").unwrap_err();
    assert_eq!(already.name(), "operations/d");
    assert!(op.fail(Status::internal("late")).is_err());
    assert!(op.succeed(&Ticket::default()).is_err());
    assert_eq!(op, before, "a refused transition changes nothing");
}

#[test]
fn errors_say_which_operation_and_why() {
    let err = op(
        true,
        Some(operation::Result::Error(Status::cancelled("bye"))),
    )
    .into_result()
    .unwrap_err();
    assert_eq!(err.to_string(), "operation was cancelled: CANCELLED: bye");
    let source = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(source.as_deref(), Some("CANCELLED: bye"));
    assert_eq!(
        OperationError::NotDone { name: "x".into() }.to_string(),
        "operation `x` is not done"
    );
}
