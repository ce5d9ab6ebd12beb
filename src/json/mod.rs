//! Canonical proto3 JSON ("ProtoJSON") for every message of the crate.
//!
//! Every message implements `serde::Serialize` and `serde::Deserialize`
//! with the ProtoJSON mapping: lowerCamelCase names (the original names are
//! accepted too), enums by name (unknown numbers as numbers), 64-bit
//! integers as strings, bytes as base64, default values omitted, and the
//! special forms of the well-known types (`Any` with `@type`, RFC 3339
//! `Timestamp`, `"1.5s"` `Duration`, ...). The functions here wrap
//! `serde_json` and turn its errors into a [`JsonError`] that names the
//! field path and the rule that was broken.
//!
//! ```
//! use cancelwire::flight::{CancelFlightInfoResult, CancelStatus};
//!
//! let mut result = CancelFlightInfoResult::default();
//! result.set_status(CancelStatus::CANCELLED);
//! assert_eq!(cancelwire::json::to_string(&result)?, r#"{"status":"CANCEL_STATUS_CANCELLED"}"#);
//!
//! let unknown: CancelFlightInfoResult = cancelwire::json::from_str(r#"{"status": 42}"#)?;
//! assert_eq!(unknown.status, 42); // kept, not defaulted
//! assert_eq!(cancelwire::json::to_string(&unknown)?, r#"{"status":42}"#);
//! # Ok::<(), cancelwire::json::JsonError>(())
//! ```
//!
//! # Unknown fields
//!
//! ProtoJSON has no form for the binary fields a schema does not know, so
//! printing leaves a message's `unknown_fields` out (the spec's rule), and
//! parsing never fills them; a message that went through JSON has none.
//!
//! ```
//! use cancelwire::flight::Ticket;
//! use prost::Message;
//!
//! let ticket = Ticket::decode(&[0x0a, 0x01, b't', 0x98, 0x06, 0x2a][..])?;
//! assert_eq!(ticket.unknown_fields.len(), 1);
//! assert_eq!(cancelwire::json::to_string(&ticket)?, r#"{"ticket":"dA=="}"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Decisions where the reference is lenient
//!
//! Python's protobuf accepts some inputs that the ProtoJSON spec or other
//! implementations reject (see `tests/data/vectors/python_lenient.jsonl`).
//! This crate follows the spec and rejects them: a message field given an
//! array, an enum given a bool or a quoted number, a quoted integer with a
//! `+` sign, base64 with characters outside the alphabet (also newlines)
//! or with both alphabets mixed, a top-level array, a field given under both
//! of its names, timestamps with one-digit fields, a `.` without digits or a
//! `+24:00` offset, and durations with a `+` sign or a `.` without digits.
//! It accepts, like the reference, integral numbers written with a fraction
//! or exponent (`1.0`, `1e2`) and `"-0"`.
//!
//! # How errors find their path
//!
//! serde's traits take no arguments and its errors are opaque, so the
//! options, the nesting depth and the error being unwound live in a
//! thread-local context (`context.rs`) that exists only while a conversion
//! runs. Every message's impl enters one level of it; a failed check
//! records its typed rule, and each field, index and key the error passes
//! on its way out adds a segment to the path. Who reads that depends on who
//! started the conversion:
//! - the functions of this module (and the registry and CLI built on them)
//!   open a session that installs their options, turn what was recorded
//!   into a [`JsonError`], and restore the previous context when dropped;
//! - without a session (`serde_json::from_str`, a web framework's
//!   extractor), the outermost message writes the path and reason into the
//!   serde error's text (`operation.error.code: ... out of range`).
//!
//! Either way the context is reset when the outermost level ends, whether
//! it succeeds, fails or unwinds from a panic, so nothing outlives a call
//! and memory does not grow with failed inputs.

mod any_payload;
mod context;
mod dynamic;
#[doc(hidden)]
pub mod field_kinds;
mod generated;
mod special_forms;
mod wire_print;
mod wkt;
mod writer;

use crate::DecodeBudget;
use crate::FieldPath;
use crate::registry::Registry;
use prost::Name;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;

pub(crate) use context::Session;

/// How JSON is parsed and printed.
///
/// ```
/// use cancelwire::json::JsonOptions;
/// use cancelwire::flight::Location;
///
/// let lenient = JsonOptions::new().ignore_unknown_fields(true);
/// let location: Location = lenient.from_str(r#"{"uri": "grpc://h:1", "extra": 1}"#)?;
/// assert_eq!(location.uri, "grpc://h:1");
/// assert!(JsonOptions::new().from_str::<Location>(r#"{"extra": 1}"#).is_err());
/// # Ok::<(), cancelwire::json::JsonError>(())
/// ```
#[derive(Clone, Debug)]
pub struct JsonOptions {
    pub(crate) ignore_unknown_fields: bool,
    pub(crate) registry: Option<Arc<Registry>>,
    pub(crate) max_depth: usize,
    /// Length and element limits of parsing (its depth is `max_depth`).
    pub(crate) budget: DecodeBudget,
}

impl Default for JsonOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonOptions {
    /// Nesting limit, the same as the binary decoder's (protobuf's default
    /// recursion limit): how many levels of messages and map entries may lie
    /// below the top-level message. `Struct`, `Value` and `ListValue` are
    /// messages too, so in `[[1]]` as a `Value` the number is at depth 4
    /// (value 0, list 1, value 2, list 3, value 4); an `Any`'s payload is
    /// one level below the `Any`. Whatever JSON accepts within the limit,
    /// binary decoding accepts too.
    ///
    /// ```
    /// assert_eq!(cancelwire::json::JsonOptions::DEFAULT_MAX_DEPTH, 100);
    /// ```
    pub const DEFAULT_MAX_DEPTH: usize = 100;

    /// Strict parsing, the default registry, depth limit 100.
    ///
    /// ```
    /// let options = cancelwire::json::JsonOptions::new();
    /// let status: cancelwire::rpc::Status = options.from_str(r#"{"code": 5}"#)?;
    /// assert_eq!(status.code, 5);
    /// # Ok::<(), cancelwire::json::JsonError>(())
    /// ```
    pub fn new() -> Self {
        Self {
            ignore_unknown_fields: false,
            registry: None,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            budget: DecodeBudget::unlimited(),
        }
    }

    /// Parses within `budget`: text at most its input length, at most its
    /// elements (entries of repeated fields and maps, `Struct` members and
    /// `ListValue` values, arrays buffered for an `Any`), and its depth as
    /// the nesting limit ([`max_depth`](Self::max_depth)). Past the length
    /// or the elements it is [`JsonErrorKind::BudgetExceeded`], past the
    /// depth [`JsonErrorKind::TooDeep`], with the path where it happened.
    /// Without a budget only the depth is limited.
    ///
    /// ```
    /// use cancelwire::DecodeBudget;
    /// use cancelwire::json::{JsonErrorKind, JsonOptions};
    /// use cancelwire::rpc::Status;
    ///
    /// let text = r#"{"details": [{}, {}, {}]}"#;
    /// let tight = JsonOptions::new().budget(DecodeBudget::new().max_elements(2));
    /// let err = tight.from_str::<Status>(text).unwrap_err();
    /// assert_eq!(err.kind(), JsonErrorKind::BudgetExceeded);
    /// assert_eq!(err.path(), "status.details[2]");
    /// assert!(err.to_string().contains("elements budget of 2"), "{err}");
    /// let short = JsonOptions::new().budget(DecodeBudget::new().max_input_bytes(10));
    /// assert_eq!(short.from_str::<Status>(text).unwrap_err().kind(), JsonErrorKind::BudgetExceeded);
    /// assert!(JsonOptions::new().budget(DecodeBudget::new()).from_str::<Status>(text).is_ok());
    /// ```
    pub fn budget(mut self, budget: DecodeBudget) -> Self {
        self.max_depth = usize::try_from(budget.depth()).unwrap_or(usize::MAX);
        self.budget = budget;
        self
    }

    /// An error if `text` is longer than the budget allows.
    pub(crate) fn check_length(&self, text: &str) -> Result<(), serde_json::Error> {
        if text.len() > self.budget.input_bytes() {
            return Err(field_kinds::de_fail(
                JsonErrorKind::BudgetExceeded,
                format!(
                    "over the {} budget of {}",
                    crate::Budget::InputBytes,
                    self.budget.input_bytes()
                ),
            ));
        }
        Ok(())
    }

    /// Skip object keys that name no field, and enum names that name no
    /// value (the field stays unset), instead of rejecting them.
    ///
    /// ```
    /// use cancelwire::json::JsonOptions;
    /// use cancelwire::flight::CancelFlightInfoResult;
    ///
    /// let text = r#"{"status": "CANCEL_STATUS_FROM_THE_FUTURE"}"#;
    /// assert!(JsonOptions::new().from_str::<CancelFlightInfoResult>(text).is_err());
    /// let result: CancelFlightInfoResult = JsonOptions::new().ignore_unknown_fields(true).from_str(text)?;
    /// assert_eq!(result.status, 0);
    /// # Ok::<(), cancelwire::json::JsonError>(())
    /// ```
    pub fn ignore_unknown_fields(mut self, ignore: bool) -> Self {
        self.ignore_unknown_fields = ignore;
        self
    }

    /// The registry that resolves `Any` type URLs, e.g. the default one
    /// extended with your own types.
    ///
    /// ```
    /// use cancelwire::json::JsonOptions;
    /// use cancelwire::registry::Registry;
    /// use cancelwire::wkt::{Any, Duration};
    ///
    /// let any = Any::from_msg(&Duration { seconds: 1, nanos: 0, ..Default::default() }).unwrap();
    /// let options = JsonOptions::new().registry(Registry::empty());
    /// let err = options.to_string(&any).unwrap_err();
    /// assert!(err.to_string().contains("type.googleapis.com/google.protobuf.Duration"));
    /// ```
    pub fn registry(mut self, registry: Registry) -> Self {
        self.registry = Some(Arc::new(registry));
        self
    }

    /// The nesting limit (see [`JsonOptions::DEFAULT_MAX_DEPTH`] for how
    /// levels are counted); deeper input is rejected, and deeper messages
    /// fail to print, with [`JsonErrorKind::TooDeep`].
    ///
    /// ```
    /// use cancelwire::json::{JsonErrorKind, JsonOptions};
    /// use cancelwire::longrunning::Operation;
    ///
    /// let text = r#"{"error": {"details": [{}]}}"#; // Operation > Status > Any
    /// assert!(JsonOptions::new().max_depth(2).from_str::<Operation>(text).is_ok());
    /// let err = JsonOptions::new().max_depth(1).from_str::<Operation>(text).unwrap_err();
    /// assert_eq!(err.kind(), JsonErrorKind::TooDeep);
    /// assert_eq!(err.path(), "operation.error.details[0]");
    /// ```
    pub fn max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// Parses a message from ProtoJSON text.
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    /// let op: Operation = cancelwire::json::JsonOptions::new().from_str(r#"{"name": "op-1", "done": true}"#)?;
    /// assert!(op.done);
    /// # Ok::<(), cancelwire::json::JsonError>(())
    /// ```
    pub fn from_str<M: DeserializeOwned + Name>(&self, text: &str) -> Result<M, JsonError> {
        self.run(M::full_name, false, || {
            self.check_length(text)?;
            serde_json::from_str(text)
        })
    }

    /// Prints a message as compact ProtoJSON.
    ///
    /// ```
    /// use cancelwire::flight::Ticket;
    /// let text = cancelwire::json::JsonOptions::new().to_string(&Ticket { ticket: "hi".into(), ..Default::default() })?;
    /// assert_eq!(text, r#"{"ticket":"aGk="}"#);
    /// # Ok::<(), cancelwire::json::JsonError>(())
    /// ```
    pub fn to_string<M: Serialize + Name>(&self, message: &M) -> Result<String, JsonError> {
        self.print(message, writer::Scratch::give_back_text)
    }

    /// Prints a message as compact ProtoJSON into bytes (UTF-8 text).
    ///
    /// ```
    /// use cancelwire::flight::Ticket;
    /// let text = cancelwire::json::JsonOptions::new().to_vec(&Ticket { ticket: "hi".into(), ..Default::default() })?;
    /// assert_eq!(text, br#"{"ticket":"aGk="}"#);
    /// # Ok::<(), cancelwire::json::JsonError>(())
    /// ```
    pub fn to_vec<M: Serialize + Name>(&self, message: &M) -> Result<Vec<u8>, JsonError> {
        self.print(message, writer::Scratch::give_back)
    }

    /// Prints `message` with our writer into the thread's buffer, and
    /// takes the result out of it with `take`.
    fn print<M: Serialize + Name, T>(
        &self,
        message: &M,
        take: impl FnOnce(Vec<u8>) -> T,
    ) -> Result<T, JsonError> {
        let mut out = writer::Scratch::take();
        let printed = self.run(M::full_name, true, || {
            writer::printing(|| message.serialize(writer::Writer::new(&mut out)))
        });
        let taken = take(out);
        printed.map(|()| taken)
    }

    /// Prints a message as ProtoJSON indented by two spaces.
    ///
    /// ```
    /// use cancelwire::flight::Location;
    /// let text = cancelwire::json::JsonOptions::new().to_string_pretty(&Location { uri: "grpc://h:1".into(), ..Default::default() })?;
    /// assert_eq!(text, "{\n  \"uri\": \"grpc://h:1\"\n}");
    /// # Ok::<(), cancelwire::json::JsonError>(())
    /// ```
    pub fn to_string_pretty<M: Serialize + Name>(&self, message: &M) -> Result<String, JsonError> {
        self.run(M::full_name, true, || serde_json::to_string_pretty(message))
    }

    /// Runs one conversion of a message type, named by `type_name`, under
    /// these options and turns its serde error into a [`JsonError`]. The
    /// name is asked for only then: prost's `Name::full_name` allocates
    /// (a malloc and a free were 5% of printing a `Status`).
    fn run<T>(
        &self,
        type_name: impl FnOnce() -> String,
        printing: bool,
        convert: impl FnOnce() -> Result<T, serde_json::Error>,
    ) -> Result<T, JsonError> {
        let session = Session::start(self);
        convert().map_err(|error| JsonError::new(&session, &type_name(), &error, printing))
    }
}

/// Parses a message from ProtoJSON text with the default options (strict).
///
/// ```
/// use cancelwire::rpc::Status;
/// let status: Status = cancelwire::json::from_str(r#"{"code": 1, "message": "stopped"}"#)?;
/// assert_eq!(status.message, "stopped");
/// # Ok::<(), cancelwire::json::JsonError>(())
/// ```
pub fn from_str<M: DeserializeOwned + Name>(text: &str) -> Result<M, JsonError> {
    JsonOptions::new().from_str(text)
}

/// Prints a message as compact ProtoJSON with the default registry.
///
/// ```
/// use cancelwire::wkt::Timestamp;
/// assert_eq!(cancelwire::json::to_string(&Timestamp { seconds: 0, nanos: 0, ..Default::default() })?, r#""1970-01-01T00:00:00Z""#);
/// # Ok::<(), cancelwire::json::JsonError>(())
/// ```
pub fn to_string<M: Serialize + Name>(message: &M) -> Result<String, JsonError> {
    JsonOptions::new().to_string(message)
}

/// Prints a message as compact ProtoJSON into bytes (UTF-8 text), with the
/// default registry.
///
/// ```
/// use cancelwire::rpc::Status;
/// let text = cancelwire::json::to_vec(&Status { code: 5, ..Default::default() })?;
/// assert_eq!(text, br#"{"code":5}"#);
/// # Ok::<(), cancelwire::json::JsonError>(())
/// ```
pub fn to_vec<M: Serialize + Name>(message: &M) -> Result<Vec<u8>, JsonError> {
    JsonOptions::new().to_vec(message)
}

/// Prints a message as ProtoJSON indented by two spaces.
///
/// ```
/// use cancelwire::rpc::Status;
/// let text = cancelwire::json::to_string_pretty(&Status { code: 5, ..Default::default() })?;
/// assert_eq!(text, "{\n  \"code\": 5\n}");
/// # Ok::<(), cancelwire::json::JsonError>(())
/// ```
pub fn to_string_pretty<M: Serialize + Name>(message: &M) -> Result<String, JsonError> {
    JsonOptions::new().to_string_pretty(message)
}

/// Which rule a JSON input (or a message being printed) broke.
///
/// ```
/// use cancelwire::json::JsonErrorKind;
/// let err = cancelwire::json::from_str::<cancelwire::rpc::Status>(r#"{"code": 2147483648}"#).unwrap_err();
/// assert_eq!(err.kind(), JsonErrorKind::OutOfRange);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonErrorKind {
    /// Not well-formed JSON (or trailing characters, or an invalid escape).
    Syntax,
    /// A JSON value of the wrong type for the field (a number for a string,
    /// an array for a message, null inside an array, ...).
    WrongType,
    /// A string that is not a valid value of the field's type: a timestamp,
    /// duration, base64 or number text that does not parse.
    InvalidValue,
    /// A number outside the range of the field's type, or a timestamp or
    /// duration outside its valid range.
    OutOfRange,
    /// A key that names no field of the message.
    UnknownField,
    /// A name that is not a value of the enum.
    UnknownEnumValue,
    /// The same field (under either of its names) or map key twice.
    DuplicateField,
    /// Two members of one oneof.
    OneofConflict,
    /// An `Any` without `@type`, with a type URL the registry does not know,
    /// or without the `value` key its well-known type needs.
    InvalidAny,
    /// Nesting deeper than the limit.
    TooDeep,
    /// Past the input length or element limit of the options'
    /// [`DecodeBudget`] (see [`JsonOptions::budget`]).
    BudgetExceeded,
}

/// A JSON input that was rejected, or a message that has no ProtoJSON form
/// (e.g. a `Timestamp` out of range): which message, where (field path from
/// the root, like `operation.metadata.endpoint[0].expiration_time`), which
/// rule and why.
///
/// ```
/// use cancelwire::json::JsonErrorKind;
/// use cancelwire::flight::FlightEndpoint;
///
/// let err = cancelwire::json::from_str::<FlightEndpoint>(r#"{"expirationTime": "2023-13-01T00:00:00Z"}"#).unwrap_err();
/// assert_eq!(err.path(), "flight_endpoint.expiration_time");
/// assert_eq!(err.kind(), JsonErrorKind::InvalidValue);
/// assert_eq!(err.type_name(), "arrow.flight.protocol.FlightEndpoint");
/// assert!(err.to_string().contains("month"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    kind: JsonErrorKind,
    printing: bool,
    type_name: String,
    path: FieldPath,
    reason: String,
    line: usize,
    column: usize,
}

impl JsonError {
    fn new(session: &Session, type_name: &str, error: &serde_json::Error, printing: bool) -> Self {
        let (recorded, path) = session.take_failure(FieldPath::of_type_name(type_name));
        let (kind, reason) = recorded.map_or_else(
            || {
                let kind = match error.classify() {
                    serde_json::error::Category::Data => JsonErrorKind::WrongType,
                    // serde_json's own limit (128 nested arrays or objects),
                    // reached in values it skips or buffers before ours applies.
                    _ if error.to_string().starts_with("recursion limit exceeded") => {
                        JsonErrorKind::TooDeep
                    }
                    _ => JsonErrorKind::Syntax,
                };
                (
                    kind,
                    context::without_position(&error.to_string()).to_owned(),
                )
            },
            |failure| (failure.kind, failure.reason),
        );
        Self {
            kind,
            printing,
            type_name: type_name.to_owned(),
            path,
            reason,
            line: error.line(),
            column: error.column(),
        }
    }

    /// The rule that was broken.
    ///
    /// ```
    /// use cancelwire::json::JsonErrorKind;
    /// let err = cancelwire::json::from_str::<cancelwire::flight::Location>(r#"{"uri": 1}"#).unwrap_err();
    /// assert_eq!(err.kind(), JsonErrorKind::WrongType);
    /// ```
    pub fn kind(&self) -> JsonErrorKind {
        self.kind
    }

    /// Full name of the top-level message being parsed or printed.
    ///
    /// ```
    /// let err = cancelwire::json::from_str::<cancelwire::flight::Location>("[]").unwrap_err();
    /// assert_eq!(err.type_name(), "arrow.flight.protocol.Location");
    /// ```
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// Path to the offending value: the top-level message's name in
    /// snake_case, then proto field names, `[i]` for list indices and
    /// `["key"]` for map keys, as validation violations write it.
    ///
    /// ```
    /// let err = cancelwire::json::from_str::<cancelwire::flight::FlightInfo>(
    ///     r#"{"endpoint": [{}, {"location": [{"uri": 5}]}]}"#,
    /// ).unwrap_err();
    /// assert_eq!(err.path(), "flight_info.endpoint[1].location[0].uri");
    /// ```
    pub fn path(&self) -> &FieldPath {
        &self.path
    }

    /// Why the value was rejected.
    ///
    /// ```
    /// let err = cancelwire::json::from_str::<cancelwire::rpc::Status>(r#"{"cod": 1}"#).unwrap_err();
    /// assert_eq!(err.reason(), "google.rpc.Status has no field named `cod`");
    /// ```
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Whether the error happened while printing a message (rather than
    /// parsing text).
    ///
    /// ```
    /// use cancelwire::wkt::Timestamp;
    /// let err = cancelwire::json::to_string(&Timestamp { seconds: i64::MAX, nanos: 0, ..Default::default() }).unwrap_err();
    /// assert!(err.is_printing());
    /// ```
    pub fn is_printing(&self) -> bool {
        self.printing
    }

    /// 1-based line and column in the input where parsing stopped (0 when
    /// printing).
    ///
    /// ```
    /// let err = cancelwire::json::from_str::<cancelwire::rpc::Status>("{\n  \"code\": true\n}").unwrap_err();
    /// assert_eq!(err.position().0, 2);
    /// ```
    pub fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.printing {
            write!(f, "cannot print {} as JSON", self.type_name)?;
        } else {
            write!(f, "invalid JSON for {}", self.type_name)?;
        }
        f.write_str(" at ")?;
        crate::printable::write_escaped(f, self.path.as_str())?;
        f.write_str(": ")?;
        crate::printable::write_escaped(f, &self.reason)?;
        if self.line > 0 {
            write!(f, " (line {}, column {})", self.line, self.column)?;
        }
        Ok(())
    }
}

impl std::error::Error for JsonError {}

/// Base64 as ProtoJSON prints `bytes` fields: the standard alphabet with
/// `=` padding.
///
/// ```
/// assert_eq!(cancelwire::json::encode_base64(b"\xff\x00"), "/wA=");
/// ```
pub fn encode_base64(bytes: &[u8]) -> String {
    crate::text::base64::encode_base64(bytes)
}
