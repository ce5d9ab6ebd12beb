//! Rules of `arrow.flight.protocol`, from the comments of `Flight.proto`.

use super::uri::check_uri;
use super::{Checker, FieldPath, Rule, Validate, Violation, no_rules};
use crate::flight::*;

impl Validate for FlightDescriptor {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        let has_cmd = !self.cmd.is_empty();
        let has_path = !self.path.is_empty();
        match self.descriptor_type() {
            DescriptorType::UNKNOWN => check.report(
                Some("type"),
                Rule::DescriptorType,
                "type is UNKNOWN, which Flight does not use: set PATH or CMD",
            ),
            DescriptorType::PATH => {
                if has_cmd {
                    check.report(
                        Some("cmd"),
                        Rule::DescriptorType,
                        "cmd is set but type is PATH",
                    );
                }
                if !has_path {
                    check.report(
                        Some("path"),
                        Rule::DescriptorType,
                        "type is PATH but path is empty",
                    );
                }
            }
            DescriptorType::CMD => {
                if has_path {
                    check.report(
                        Some("path"),
                        Rule::DescriptorType,
                        "path is set but type is CMD",
                    );
                }
                if !has_cmd {
                    check.report(
                        Some("cmd"),
                        Rule::DescriptorType,
                        "type is CMD but cmd is empty",
                    );
                }
            }
            // A type from a newer Flight: nothing to compare against.
            _ => {}
        }
    }
}

impl Validate for FlightInfo {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        check.optional("flight_descriptor", &self.flight_descriptor);
        check.each("endpoint", &self.endpoint);
        // "Set these to -1 if unknown."
        for (field, value) in [
            ("total_records", self.total_records),
            ("total_bytes", self.total_bytes),
        ] {
            if value < -1 {
                check.report(
                    Some(field),
                    Rule::Range,
                    format!("{value} is below -1, the value for unknown"),
                );
            }
        }
    }
}

impl Validate for PollInfo {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        check.optional("info", &self.info);
        check.optional("flight_descriptor", &self.flight_descriptor);
        // "If known, must be in [0.0, 1.0]"; NaN fails the test too.
        if let Some(progress) = self.progress
            && !(0.0..=1.0).contains(&progress)
        {
            check.report(
                Some("progress"),
                Rule::Range,
                format!("{progress} is outside [0.0, 1.0]"),
            );
        }
        check.optional("expiration_time", &self.expiration_time);
    }
}

impl Validate for CancelFlightInfoRequest {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        check.require("info", self.info.is_none());
        check.optional("info", &self.info);
    }
}

impl Validate for RenewFlightEndpointRequest {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        check.require("endpoint", self.endpoint.is_none());
        check.optional("endpoint", &self.endpoint);
    }
}

impl Validate for FlightEndpoint {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        check.each("location", &self.location);
        check.optional("expiration_time", &self.expiration_time);
    }
}

impl Validate for Location {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        // Flight.proto: an empty uri means "redeem the ticket where it came from".
        if self.uri.is_empty() {
            return;
        }
        if let Err(why) = check_uri(&self.uri) {
            Checker::new(at, out).report(Some("uri"), Rule::Uri, format!("`{}` {why}", self.uri));
        }
    }
}

impl Validate for Action {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).require("type", self.r#type.is_empty());
    }
}

impl Validate for ActionType {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).require("type", self.r#type.is_empty());
    }
}

no_rules!(CancelFlightInfoResult, Ticket, Result);
