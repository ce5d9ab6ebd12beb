//! Every row of the two tables of `cancelwire::cancel`, with the cases just
//! outside each row.

use cancelwire::cancel::{answer_cancel_flight_info, answer_cancel_operation};
use cancelwire::flight::CancelStatus;
use cancelwire::longrunning::{Operation, operation};
use cancelwire::rpc::{Code, Status};
use cancelwire::wkt::Empty;

fn running() -> Operation {
    Operation::running("operations/q")
}

fn cancelled() -> Operation {
    let mut op = running();
    op.cancel("by request").unwrap();
    op
}

fn succeeded() -> Operation {
    let mut op = running();
    op.succeed(&Empty {
        ..Default::default()
    })
    .unwrap();
    op
}

fn failed(code: Code) -> Operation {
    let mut op = running();
    op.fail(Status::new(code, "x")).unwrap();
    op
}

/// Every CancelOperation outcome worth telling apart.
const CANCEL_REPLIES: [Code; 7] = [
    Code::OK,
    Code::NOT_FOUND,
    Code::UNIMPLEMENTED,
    Code::FAILED_PRECONDITION,
    Code::PERMISSION_DENIED,
    Code::UNAVAILABLE,
    Code::CANCELLED,
];

#[test]
fn row_done_and_cancelled_is_cancelled_whatever_cancel_said() {
    for cancel in CANCEL_REPLIES {
        assert_eq!(
            answer_cancel_flight_info(cancel, Ok(&cancelled())),
            Ok(CancelStatus::CANCELLED),
            "{cancel}"
        );
    }
    // Only code 1 counts: a failure with another code is not a cancellation.
    assert_eq!(
        answer_cancel_flight_info(Code::OK, Ok(&failed(Code::ABORTED))),
        Ok(CancelStatus::NOT_CANCELLABLE)
    );
}

#[test]
fn row_done_otherwise_is_not_cancellable() {
    let inconsistent = Operation {
        done: true,
        ..running()
    };
    for op in [
        succeeded(),
        failed(Code::INTERNAL),
        failed(Code::DEADLINE_EXCEEDED),
        inconsistent,
    ] {
        for cancel in CANCEL_REPLIES {
            assert_eq!(
                answer_cancel_flight_info(cancel, Ok(&op)),
                Ok(CancelStatus::NOT_CANCELLABLE),
                "{cancel} {op:?}"
            );
        }
    }
    // Not done is not this row.
    assert_ne!(
        answer_cancel_flight_info(Code::OK, Ok(&running())),
        Ok(CancelStatus::NOT_CANCELLABLE)
    );
}

#[test]
fn row_unknown_operation_is_a_not_found_error_not_unspecified() {
    assert_eq!(
        answer_cancel_flight_info(Code::NOT_FOUND, Err(Code::NOT_FOUND)),
        Err(Code::NOT_FOUND)
    );
    assert_eq!(
        answer_cancel_flight_info(Code::NOT_FOUND, Ok(&running())),
        Err(Code::NOT_FOUND)
    );
    assert_eq!(
        answer_cancel_flight_info(Code::OK, Err(Code::NOT_FOUND)),
        Err(Code::NOT_FOUND)
    );
    // The answer is never UNSPECIFIED, whatever the inputs.
    for cancel in CANCEL_REPLIES {
        for get in [Err(Code::NOT_FOUND), Err(Code::UNAVAILABLE)] {
            assert_ne!(
                answer_cancel_flight_info(cancel, get),
                Ok(CancelStatus::UNSPECIFIED)
            );
        }
    }
}

#[test]
fn row_unimplemented_is_not_cancellable() {
    assert_eq!(
        answer_cancel_flight_info(Code::UNIMPLEMENTED, Ok(&running())),
        Ok(CancelStatus::NOT_CANCELLABLE)
    );
    assert_eq!(
        answer_cancel_flight_info(Code::UNIMPLEMENTED, Err(Code::UNAVAILABLE)),
        Ok(CancelStatus::NOT_CANCELLABLE)
    );
}

#[test]
fn row_accepted_and_not_done_is_cancelling() {
    assert_eq!(
        answer_cancel_flight_info(Code::OK, Ok(&running())),
        Ok(CancelStatus::CANCELLING)
    );
    // GetOperation failed for another reason: the cancel was accepted, the
    // outcome is unknown, and CANCELLING lets the client ask again.
    assert_eq!(
        answer_cancel_flight_info(Code::OK, Err(Code::UNAVAILABLE)),
        Ok(CancelStatus::CANCELLING)
    );
}

#[test]
fn row_other_cancel_errors_pass_through() {
    for code in [
        Code::PERMISSION_DENIED,
        Code::UNAVAILABLE,
        Code::FAILED_PRECONDITION,
        Code::CANCELLED,
        Code::from_i32(42),
    ] {
        assert_eq!(
            answer_cancel_flight_info(code, Ok(&running())),
            Err(code),
            "{code}"
        );
        assert_eq!(
            answer_cancel_flight_info(code, Err(Code::INTERNAL)),
            Err(code)
        );
    }
}

#[test]
fn a_result_on_a_running_operation_does_not_make_it_done() {
    let odd = Operation {
        result: Some(operation::Result::Error(Status::cancelled("early"))),
        ..running()
    };
    assert_eq!(
        answer_cancel_flight_info(Code::OK, Ok(&odd)),
        Ok(CancelStatus::CANCELLING)
    );
}

#[test]
fn google_side_rows() {
    let rows = [
        (CancelStatus::CANCELLED, Code::OK),
        (CancelStatus::CANCELLING, Code::OK),
        (CancelStatus::NOT_CANCELLABLE, Code::FAILED_PRECONDITION),
        (CancelStatus::UNSPECIFIED, Code::UNKNOWN),
        (CancelStatus::from_i32(4), Code::UNKNOWN),
        (CancelStatus::from_i32(-1), Code::UNKNOWN),
    ];
    for (status, code) in rows {
        assert_eq!(answer_cancel_operation(status), code, "{status}");
    }
}

#[test]
fn final_flight_statuses_give_codes_that_a_client_does_not_retry() {
    for status in CancelStatus::KNOWN {
        let code = answer_cancel_operation(*status);
        if status.is_final() {
            assert!(!code.is_retryable(), "{status} -> {code}");
        }
    }
}
