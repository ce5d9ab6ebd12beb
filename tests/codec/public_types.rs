//! The project's promise for public types: `Debug + Clone + PartialEq`,
//! `Send + Sync`, and `std::error::Error` for every error. Checked at
//! compile time: a type that loses one of these stops this file compiling.

use cancelwire::flight::ActionError;
use cancelwire::longrunning::{AlreadyDone, InconsistentOperation, OperationError, OperationState};
use cancelwire::poll::{OperationSequence, PollInfoSequence};
use cancelwire::rpc::ErrorDetail;
use cancelwire::validate::{FieldPath, Rule, Violation, Violations};
use std::error::Error;
use std::fmt::Debug;

fn value_type<T: Debug + Clone + PartialEq + Send + Sync>() {}

fn error_type<T: Error + Debug + Clone + PartialEq + Send + Sync + 'static>() {}

#[test]
fn values_are_debug_clone_partial_eq_send_sync() {
    value_type::<ErrorDetail>();
    value_type::<OperationState<'static>>();
    value_type::<FieldPath>();
    value_type::<Rule>();
    value_type::<Violation>();
    value_type::<PollInfoSequence>();
    value_type::<OperationSequence>();
}

#[test]
fn errors_are_std_errors_and_send_sync() {
    error_type::<ActionError>();
    error_type::<AlreadyDone>();
    error_type::<InconsistentOperation>();
    error_type::<OperationError>();
    error_type::<Violations>();
    error_type::<Violation>();
    error_type::<cancelwire::rpc::Status>();
    error_type::<cancelwire::wkt::TimestampError>();
    error_type::<cancelwire::wkt::DurationError>();
    #[cfg(feature = "tonic")]
    error_type::<cancelwire::integrations::tonic::InvalidStatusDetails>();
}
