//! Rules of `google.rpc`, from `status.proto`, `code.proto` and
//! `error_details.proto`.

use super::uri::check_uri;
use super::{Checker, FieldPath, Rule, Validate, Violation, no_rules};
use crate::rpc::*;

impl Validate for Status {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        // An OK status reports no error, so there is nothing to detail.
        if self.code().is_ok() && !self.details.is_empty() {
            check.report(
                None,
                Rule::OkWithDetails,
                format!("code is OK but {} details are set", self.details.len()),
            );
        }
        check.each("details", &self.details);
    }
}

impl Validate for RetryInfo {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).optional("retry_delay", &self.retry_delay);
    }
}

impl Validate for QuotaFailure {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).each("violations", &self.violations);
    }
}

impl Validate for PreconditionFailure {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).each("violations", &self.violations);
    }
}

impl Validate for BadRequest {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).each("field_violations", &self.field_violations);
    }
}

impl Validate for bad_request::FieldViolation {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).optional("localized_message", &self.localized_message);
    }
}

impl Validate for Help {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).each("links", &self.links);
    }
}

impl Validate for help::Link {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        if let Err(why) = check_uri(&self.url) {
            Checker::new(at, out).report(Some("url"), Rule::Uri, format!("`{}` {why}", self.url));
        }
    }
}

no_rules!(
    ErrorInfo,
    DebugInfo,
    quota_failure::Violation,
    precondition_failure::Violation,
    RequestInfo,
    ResourceInfo,
    LocalizedMessage,
);
