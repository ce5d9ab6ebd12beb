//! Rules of the well-known types, from the comments of
//! `google/protobuf/{any,timestamp,duration,struct}.proto`.

use super::{Checker, FieldPath, Rule, Validate, Violation, no_rules};
use crate::wkt::*;
use std::fmt;

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range of `Timestamp`.
const TIMESTAMP_SECONDS: std::ops::RangeInclusive<i64> =
    crate::text::timestamp::MIN_SECONDS..=crate::text::timestamp::MAX_SECONDS;
/// About ±10,000 years, the range of `Duration`.
const DURATION_SECONDS: std::ops::RangeInclusive<i64> =
    -crate::text::duration::MAX_SECONDS..=crate::text::duration::MAX_SECONDS;
const NANOS_PER_SECOND: i32 = 1_000_000_000;

impl Validate for Timestamp {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        if !TIMESTAMP_SECONDS.contains(&self.seconds) {
            check.report(
                Some("seconds"),
                Rule::Range,
                format!(
                    "{} is outside 0001-01-01T00:00:00Z..=9999-12-31T23:59:59Z",
                    self.seconds
                ),
            );
        }
        if !(0..NANOS_PER_SECOND).contains(&self.nanos) {
            check.report(
                Some("nanos"),
                Rule::Range,
                format!("{} is outside 0..=999999999", self.nanos),
            );
        }
    }
}

impl Validate for Duration {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        if !DURATION_SECONDS.contains(&self.seconds) {
            check.report(
                Some("seconds"),
                Rule::Range,
                format!("{} is outside -315576000000..=315576000000", self.seconds),
            );
        }
        if self.nanos <= -NANOS_PER_SECOND || self.nanos >= NANOS_PER_SECOND {
            check.report(
                Some("nanos"),
                Rule::Range,
                format!("{} is outside -999999999..=999999999", self.nanos),
            );
        }
        if (self.seconds > 0 && self.nanos < 0) || (self.seconds < 0 && self.nanos > 0) {
            check.report(
                None,
                Rule::DurationSign,
                format!(
                    "seconds {} and nanos {} have opposite signs",
                    self.seconds, self.nanos
                ),
            );
        }
    }
}

impl Validate for Any {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        if let Err(why) = check_type_url(&self.type_url) {
            Checker::new(at, out).report(Some("type_url"), Rule::TypeUrl, why.to_string());
        }
    }
}

/// What makes a type URL not one: each variant holds the text it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TypeUrlError<'a> {
    /// No `/` at all.
    NoSlash(&'a str),
    /// An empty prefix, or one with spaces or non-ASCII.
    Prefix(&'a str),
    /// What follows the last `/` is not a dotted list of identifiers.
    Name(&'a str),
}

impl fmt::Display for TypeUrlError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSlash(url) => write!(f, "`{url}` has no `/` before the message name"),
            Self::Prefix(url) => write!(
                f,
                "`{url}` needs a prefix of printable ASCII without spaces, such as type.googleapis.com"
            ),
            Self::Name(name) => write!(f, "`{name}` is not a full message name"),
        }
    }
}

/// `prefix/full.message.Name`: a non-empty prefix of printable ASCII, and a
/// dot-separated list of identifiers after the last `/`.
fn check_type_url(url: &str) -> Result<(), TypeUrlError<'_>> {
    let Some((prefix, name)) = url.rsplit_once('/') else {
        return Err(TypeUrlError::NoSlash(url));
    };
    if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(TypeUrlError::Prefix(url));
    }
    let is_identifier = |part: &str| {
        part.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if !name.split('.').all(is_identifier) {
        return Err(TypeUrlError::Name(name));
    }
    Ok(())
}

impl Validate for Struct {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).each_value("fields", &self.fields);
    }
}

impl Validate for ListValue {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        Checker::new(at, out).each("values", &self.values);
    }
}

impl Validate for Value {
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>) {
        let mut check = Checker::new(at, out);
        match &self.kind {
            // struct.proto: NaN and the infinities cannot be serialised.
            Some(value::Kind::NumberValue(n)) if !n.is_finite() => check.report(
                Some("number_value"),
                Rule::Range,
                format!("{n} is not a finite number"),
            ),
            Some(value::Kind::StructValue(inner)) => check.nested("struct_value", inner),
            Some(value::Kind::ListValue(inner)) => check.nested("list_value", inner),
            _ => {}
        }
    }
}

no_rules!(
    Empty,
    FieldMask,
    DoubleValue,
    FloatValue,
    Int64Value,
    UInt64Value,
    Int32Value,
    UInt32Value,
    BoolValue,
    StringValue,
    BytesValue,
);
