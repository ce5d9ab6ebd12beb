//! Rules of `google.longrunning`, from `operations.proto` and AIP-151.

use super::{Checker, FieldPath, Rule, Validate, Violation};
use crate::longrunning::*;

impl Validate for Operation {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        check.require("name", self.name.is_empty());
        check.optional("metadata", &self.metadata);
        let field = match &self.result {
            Some(operation::Result::Error(_)) => "error",
            Some(operation::Result::Response(_)) => "response",
            None => "result",
        };
        match (self.done, &self.result) {
            (false, Some(_)) => check.report(
                Some(field),
                Rule::ResultWhileRunning,
                format!("done is false but {field} is set"),
            ),
            (true, None) => check.report(
                Some(field),
                Rule::DoneWithoutResult,
                "done is true but neither error nor response is set",
            ),
            _ => {}
        }
        match &self.result {
            Some(operation::Result::Error(status)) => check.nested(field, status),
            Some(operation::Result::Response(response)) => check.nested(field, response),
            None => {}
        }
    }
}

/// The requests that name one operation.
macro_rules! named_request {
    ($($ty:ty),+) => {$(
        impl Validate for $ty {
            fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
                Checker::new(at, out).require("name", self.name.is_empty());
            }
        }
    )+};
}

named_request!(
    GetOperationRequest,
    CancelOperationRequest,
    DeleteOperationRequest
);

impl Validate for WaitOperationRequest {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        check.require("name", self.name.is_empty());
        check.optional("timeout", &self.timeout);
    }
}

impl Validate for ListOperationsRequest {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        if self.page_size < 0 {
            Checker::new(at, out).report(
                Some("page_size"),
                Rule::Range,
                format!("{} is negative", self.page_size),
            );
        }
    }
}

impl Validate for ListOperationsResponse {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).each("operations", &self.operations);
    }
}

impl Validate for OperationInfo {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        check.require("response_type", self.response_type.is_empty());
        check.require("metadata_type", self.metadata_type.is_empty());
    }
}
