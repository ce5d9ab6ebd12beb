//! Checks that a message means something: the rules the `.proto` comments
//! and the specifications state but the wire format cannot enforce.
//!
//! Every message of the crate implements [`Validate`]. Validation never
//! stops at the first problem: it returns every [`Violation`], each with
//! the path of the offending field (proto field names, `[i]` for list
//! indices, `["key"]` for map keys, starting with the message's own name in
//! snake_case) and the [`Rule`] it breaks. Nested messages are checked too.
//! Unknown fields (`unknown_fields`) are not checked: the schema says
//! nothing about them.
//!
//! ```
//! use cancelwire::longrunning::{operation, Operation};
//! use cancelwire::rpc::Status;
//! use cancelwire::validate::{Rule, Validate};
//! use cancelwire::wkt::Any;
//!
//! let op = Operation {
//!     name: String::new(),
//!     done: true,
//!     result: Some(operation::Result::Error(Status {
//!         details: vec![Any { type_url: "no-slash".into(), value: Default::default(), ..Default::default() }],
//!         ..Status::default()
//!     })),
//!     ..Default::default()
//! };
//! let found: Vec<(String, Rule)> = op
//!     .violations()
//!     .iter()
//!     .map(|v| (v.path().to_string(), v.rule()))
//!     .collect();
//! assert_eq!(found, [
//!     ("operation.name".to_string(), Rule::Required),
//!     ("operation.error".to_string(), Rule::OkWithDetails),
//!     ("operation.error.details[0].type_url".to_string(), Rule::TypeUrl),
//! ]);
//! ```
//!
//! | rule | where | what it checks |
//! |---|---|---|
//! | `required` | `Operation.name`, the `name` of the operation requests, `OperationInfo.response_type`/`metadata_type`, `CancelFlightInfoRequest.info`, `RenewFlightEndpointRequest.endpoint`, `Action.type`, `ActionType.type` | the field is set and not empty |
//! | `operation.result_while_running` | `Operation.error`/`response` | `done == false` but a result is set |
//! | `operation.done_without_result` | `Operation.result` | `done == true` but no result is set |
//! | `status.ok_with_details` | `Status` | code `OK` with details |
//! | `any.type_url` | `Any.type_url` | `prefix/full.message.Name` |
//! | `range` | `Timestamp`, `Duration`, `FlightInfo.total_*`, `PollInfo.progress`, `ListOperationsRequest.page_size`, `Value.number_value` | the documented range of the field |
//! | `duration.sign` | `Duration` | `seconds` and `nanos` do not have opposite signs |
//! | `flight_descriptor.type` | `FlightDescriptor` | `type` agrees with `cmd` and `path` |
//! | `uri` | `Location.uri`, `Help.Link.url` | RFC 3986 URI syntax (`Location.uri` may be empty) |
//!
//! The checkers of a *sequence* of polls in [`crate::poll`] report with the
//! same types, five more rules (`poll_info.append_only`,
//! `poll_info.reopened`, `poll_info.expired`, `operation.renamed`,
//! `operation.final`) and paths that start with the position in the
//! sequence (`poll_info[3].info.endpoint[0]`).

mod flight;
mod longrunning;
mod rpc;
mod uri;
mod wkt;

pub use crate::FieldPath;
use crate::registry::DynMessage;
use prost::Name;
use std::fmt;

include!(concat!(env!("OUT_DIR"), "/message_types.rs"));

/// A message that can be checked for meaning, not just for wire format.
///
/// Implement [`Validate::validate_at`]; the other methods are provided.
///
/// ```
/// use cancelwire::flight::CancelFlightInfoRequest;
/// use cancelwire::validate::Validate;
///
/// let err = CancelFlightInfoRequest { info: None, ..Default::default() }.validate().unwrap_err();
/// assert_eq!(err.to_string(), "cancel_flight_info_request.info: must be set (required)");
/// ```
pub trait Validate: Name {
    /// Appends every violation of this message to `out`, with paths under
    /// `at`.
    ///
    /// ```
    /// use cancelwire::validate::{FieldPath, Validate};
    /// use cancelwire::wkt::Duration;
    ///
    /// let mut out = Vec::new();
    /// Duration { seconds: 1, nanos: -1, ..Default::default() }.validate_at(&FieldPath::new("timeout"), &mut out);
    /// assert_eq!(out[0].path().as_str(), "timeout");
    /// ```
    fn validate_at(&self, at: &FieldPath, out: &mut Vec<Violation>);

    /// Every violation, with paths starting at this message's name in
    /// snake_case.
    ///
    /// ```
    /// use cancelwire::longrunning::GetOperationRequest;
    /// use cancelwire::validate::Validate;
    ///
    /// let found = GetOperationRequest::default().violations();
    /// assert_eq!(found[0].path().as_str(), "get_operation_request.name");
    /// ```
    fn violations(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        self.validate_at(&FieldPath::of::<Self>(), &mut out);
        out
    }

    /// `Ok` when there is no violation, otherwise all of them.
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    /// use cancelwire::validate::Validate;
    ///
    /// assert!(Operation::running("operations/1").validate().is_ok());
    /// assert_eq!(Operation::default().validate().unwrap_err().len(), 1);
    /// ```
    fn validate(&self) -> Result<(), Violations> {
        let violations = self.violations();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Violations(violations))
        }
    }
}

/// Validates a message whose type is known only at run time, such as one
/// from [`crate::registry`]: `None` when it is not one of this crate's
/// messages.
///
/// ```
/// use cancelwire::registry::Registry;
///
/// let registry = Registry::default();
/// let ty = registry.get("google.longrunning.Operation").unwrap();
/// let message = ty.decode(vec![0x18, 0x01].into())?; // done = true, no result
/// let found = cancelwire::validate::violations_of(message.as_ref()).unwrap();
/// assert_eq!(found.len(), 2); // empty name, done without result
/// # Ok::<(), cancelwire::DecodeError>(())
/// ```
pub fn violations_of(message: &dyn DynMessage) -> Option<Vec<Violation>> {
    macro_rules! try_each {
        ($($name:literal => $ty:ty,)*) => {
            $(
                if let Some(typed) = message.as_any().downcast_ref::<$ty>() {
                    return Some(typed.violations());
                }
            )*
        };
    }
    for_each_message!(try_each);
    None
}

/// Which rule a violation breaks. [`Rule::id`] is stable text for tools
/// and tests.
///
/// ```
/// use cancelwire::validate::Rule;
///
/// assert_eq!(Rule::DoneWithoutResult.id(), "operation.done_without_result");
/// assert_eq!(Rule::Uri.to_string(), "uri");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// A field that must be set is unset or empty.
    Required,
    /// An operation that is not done has an `error` or a `response`.
    ResultWhileRunning,
    /// An operation that is done has neither `error` nor `response`.
    DoneWithoutResult,
    /// A status with code `OK` carries details.
    OkWithDetails,
    /// An `Any.type_url` is not `prefix/full.message.Name`.
    TypeUrl,
    /// A number is outside its documented range.
    Range,
    /// A duration's `seconds` and `nanos` have opposite signs.
    DurationSign,
    /// A flight descriptor's `type` disagrees with its `cmd` or `path`.
    DescriptorType,
    /// A URI does not follow RFC 3986 syntax.
    Uri,
    /// A later `PollInfo` of one query removed or changed an endpoint of an
    /// earlier one; it may only append ([`crate::poll::PollInfoSequence`]).
    PollAppendOnly,
    /// A `PollInfo` gave a `flight_descriptor` to poll again after an
    /// earlier one had none, that is, after the query was complete.
    PollReopened,
    /// A running query's `expiration_time` was already past when the
    /// `PollInfo` arrived.
    PollExpired,
    /// A later `Operation` of one poll sequence has another `name`
    /// ([`crate::poll::OperationSequence`]).
    OperationRenamed,
    /// An `Operation` that was done came back not done or with another
    /// result.
    OperationFinal,
}

impl Rule {
    /// The stable identifier of the rule.
    ///
    /// ```
    /// assert_eq!(cancelwire::validate::Rule::DurationSign.id(), "duration.sign");
    /// ```
    pub const fn id(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::ResultWhileRunning => "operation.result_while_running",
            Rule::DoneWithoutResult => "operation.done_without_result",
            Rule::OkWithDetails => "status.ok_with_details",
            Rule::TypeUrl => "any.type_url",
            Rule::Range => "range",
            Rule::DurationSign => "duration.sign",
            Rule::DescriptorType => "flight_descriptor.type",
            Rule::Uri => "uri",
            Rule::PollAppendOnly => "poll_info.append_only",
            Rule::PollReopened => "poll_info.reopened",
            Rule::PollExpired => "poll_info.expired",
            Rule::OperationRenamed => "operation.renamed",
            Rule::OperationFinal => "operation.final",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One broken rule: where, which rule, and what exactly is wrong.
///
/// ```
/// use cancelwire::validate::{FieldPath, Rule, Violation};
///
/// let v = Violation::new(FieldPath::new("location").field("uri"), Rule::Uri, "has no `scheme:`");
/// assert_eq!(v.to_string(), "location.uri: has no `scheme:` (uri)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Violation {
    path: FieldPath,
    rule: Rule,
    message: String,
}

impl Violation {
    /// A violation of `rule` at `path`, explained by `message`.
    ///
    /// ```
    /// use cancelwire::validate::{FieldPath, Rule, Violation};
    ///
    /// let v = Violation::new(FieldPath::new("x"), Rule::Required, "must be set");
    /// assert_eq!(v.rule(), Rule::Required);
    /// ```
    pub fn new(path: FieldPath, rule: Rule, message: impl Into<String>) -> Self {
        Self {
            path,
            rule,
            message: message.into(),
        }
    }

    /// The path of the offending field.
    ///
    /// ```
    /// use cancelwire::validate::{FieldPath, Rule, Violation};
    ///
    /// let v = Violation::new(FieldPath::new("a").field("b"), Rule::Range, "too big");
    /// assert_eq!(v.path().as_str(), "a.b");
    /// ```
    pub fn path(&self) -> &FieldPath {
        &self.path
    }

    /// The rule that is broken.
    ///
    /// ```
    /// use cancelwire::validate::{FieldPath, Rule, Violation};
    ///
    /// assert_eq!(Violation::new(FieldPath::new("a"), Rule::TypeUrl, "").rule().id(), "any.type_url");
    /// ```
    pub fn rule(&self) -> Rule {
        self.rule
    }

    /// What exactly is wrong, in words.
    ///
    /// ```
    /// use cancelwire::validate::{FieldPath, Rule, Violation};
    ///
    /// assert_eq!(Violation::new(FieldPath::new("a"), Rule::Range, "too big").message(), "too big");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        crate::printable::write_escaped(f, &self.message)?;
        write!(f, " ({})", self.rule)
    }
}

/// A single violation is an error too, for the builders that refuse to
/// make a message that would break a rule (`PollInfo::with_progress`).
///
/// ```
/// use cancelwire::flight::PollInfo;
///
/// let err: Box<dyn std::error::Error> = PollInfo::default().with_progress(-0.5).unwrap_err().into();
/// assert_eq!(err.to_string(), "poll_info.progress: -0.5 is outside [0.0, 1.0] (range)");
/// ```
impl std::error::Error for Violation {}

/// Every violation found in a message; never empty when returned by
/// [`Validate::validate`].
///
/// ```
/// use cancelwire::longrunning::Operation;
/// use cancelwire::validate::Validate;
///
/// let all = Operation { done: true, ..Default::default() }.validate().unwrap_err();
/// assert_eq!(all.len(), 2);
/// assert_eq!(
///     all.to_string(),
///     "operation.name: must be set (required)\n\
///      operation.result: done is true but neither error nor response is set (operation.done_without_result)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// The violations, in the order the fields were checked.
    ///
    /// ```
    /// use cancelwire::validate::Validate;
    ///
    /// let all = cancelwire::flight::ActionType::default().validate().unwrap_err();
    /// assert_eq!(all.as_slice()[0].path().as_str(), "action_type.type");
    /// ```
    pub fn as_slice(&self) -> &[Violation] {
        &self.0
    }

    /// How many there are.
    ///
    /// ```
    /// use cancelwire::validate::Validate;
    ///
    /// assert_eq!(cancelwire::flight::Action::default().validate().unwrap_err().len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none (only for a value not built by `validate`).
    ///
    /// ```
    /// use cancelwire::validate::Validate;
    ///
    /// assert!(!cancelwire::flight::Action::default().validate().unwrap_err().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The violations as a `Vec`.
    ///
    /// ```
    /// use cancelwire::validate::Validate;
    ///
    /// let all = cancelwire::flight::Action::default().validate().unwrap_err().into_vec();
    /// assert_eq!(all.len(), 1);
    /// ```
    pub fn into_vec(self) -> Vec<Violation> {
        self.0
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            violation.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Collects violations for one message; keeps the impls short.
pub(crate) struct Checker<'a> {
    at: &'a FieldPath,
    out: &'a mut Vec<Violation>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(at: &'a FieldPath, out: &'a mut Vec<Violation>) -> Self {
        Self { at, out }
    }

    /// Records a violation at `field` of this message (`None`: the message).
    pub(crate) fn report(&mut self, field: Option<&str>, rule: Rule, message: impl Into<String>) {
        let path = match field {
            Some(name) => self.at.field(name),
            None => self.at.clone(),
        };
        self.out.push(Violation::new(path, rule, message));
    }

    /// `Required` at `field` when `missing`.
    pub(crate) fn require(&mut self, field: &str, missing: bool) {
        if missing {
            self.report(Some(field), Rule::Required, "must be set");
        }
    }

    /// Validates a nested message at `field`.
    pub(crate) fn nested<M: Validate>(&mut self, field: &str, value: &M) {
        value.validate_at(&self.at.field(field), self.out);
    }

    /// Validates an optional nested message at `field`, when set.
    pub(crate) fn optional<M: Validate>(&mut self, field: &str, value: &Option<M>) {
        if let Some(value) = value {
            self.nested(field, value);
        }
    }

    /// Validates each element of a repeated message field.
    pub(crate) fn each<M: Validate>(&mut self, field: &str, values: &[M]) {
        let list = self.at.field(field);
        for (i, value) in values.iter().enumerate() {
            value.validate_at(&list.index(i), self.out);
        }
    }

    /// Validates each value of a map field whose values are messages.
    pub(crate) fn each_value<'m, M: Validate + 'm>(
        &mut self,
        field: &str,
        entries: impl IntoIterator<Item = (&'m String, &'m M)>,
    ) {
        let map = self.at.field(field);
        for (key, value) in entries {
            value.validate_at(&map.key(key), self.out);
        }
    }
}

/// Implements `Validate` with no rule of its own for messages whose every
/// value is valid.
macro_rules! no_rules {
    ($($ty:ty),+ $(,)?) => {$(
        impl $crate::validate::Validate for $ty {
            fn validate_at(&self, _at: &$crate::validate::FieldPath, _out: &mut Vec<$crate::validate::Violation>) {}
        }
    )+};
}
pub(crate) use no_rules;
