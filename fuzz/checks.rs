//! The properties that the fuzz targets check, one function per target.
//!
//! This file is shared: the fuzz crate builds it as its library, and
//! `tests/codec/fuzz_replay.rs` includes it with `#[path]` to replay every corpus
//! and regression file in plain `cargo test`. It depends only on
//! `cancelwire`, `bytes`, `http`, `serde_json` and std. The `rest_router`
//! check needs cancelwire's `rest` feature and is compiled when the crate
//! that includes this file has a `rest` feature on: the fuzz crate by
//! default, `tests/codec` with `--features rest` (or `--all-features`).
//!
//! Input layout: the first byte picks the message type from the sorted
//! names of `Registry::default()` (modulo their count); targets with
//! options read a second byte of flags; the rest is the payload. Each check
//! returns `Err` with a description when a property is broken; a panic in
//! the library is a failure too and is left to unwind.
//!
//! The properties are laws of a correct implementation, not just "no
//! panic":
//! - binary: decode -> encode -> decode gives the same bytes again;
//! - budgets: the default `DecodeBudget` decodes and parses what the plain
//!   entry points do, to the same bytes, and a tight one (a few elements,
//!   a few levels) does too or fails with a budget error, never otherwise;
//! - JSON: parse -> print -> parse gives the same message, and printing it
//!   again the same text;
//! - binary -> JSON: a decoded message that prints parses back, prints the
//!   same text again, and (where JSON holds everything the bytes hold) gives
//!   the same bytes;
//! - JSON -> binary: the bytes of a parsed message decode, to the same bytes
//!   and the same JSON;
//! - Any: a payload resolves through the registry exactly when its type is
//!   known and its bytes decode, and survives a JSON round trip;
//! - validation: every registered message can be validated, and the answer
//!   does not change when the message goes through its binary form;
//! - REST router: every HTTP request is a typed request or a NOT_FOUND or
//!   INVALID_ARGUMENT status; a typed request's client call routes back to
//!   it; every error envelope reads back to its status.

use bytes::Bytes;
use cancelwire::DecodeBudget;
use cancelwire::json::{JsonErrorKind, JsonOptions};
#[cfg(feature = "rest")]
use cancelwire::longrunning::rest::{Bindings, Reply, status_from_envelope};
use cancelwire::registry::{DynMessage, MessageType, Registry};
#[cfg(feature = "rest")]
use cancelwire::rpc::Code;
use cancelwire::rpc::{ErrorDetail, Status};
use cancelwire::wkt::Any;
use std::sync::LazyLock;

/// What a broken property says.
pub type Broken = String;

/// Every fuzz target, by the name of its `fuzz_targets/*.rs` file, corpus
/// and regression directory.
pub const TARGETS: &[&str] = &[
    "binary_decode",
    "json_parse",
    "any_resolution",
    "validation",
    "binary_to_json",
    "json_to_binary",
    "rest_router",
];

/// Runs the check of the target called `target` on one input.
pub fn run(target: &str, data: &[u8]) -> Result<(), Broken> {
    match target {
        "binary_decode" => binary_decode(data),
        "json_parse" => json_parse(data),
        "any_resolution" => any_resolution(data),
        "validation" => validation(data),
        "binary_to_json" => binary_to_json(data),
        "json_to_binary" => json_to_binary(data),
        #[cfg(feature = "rest")]
        "rest_router" => rest_router(data),
        // The router is cancelwire's `rest` feature (the fuzz crate turns it
        // on); a test build without it has nothing to replay it on.
        #[cfg(not(feature = "rest"))]
        "rest_router" => Ok(()),
        other => Err(format!("no fuzz target is called `{other}`")),
    }
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::default);
static TYPES: LazyLock<Vec<&'static MessageType>> = LazyLock::new(|| {
    REGISTRY
        .names()
        .filter_map(|name| REGISTRY.get(name))
        .collect()
});

/// The message types in the order the first input byte picks them.
pub fn types() -> &'static [&'static MessageType] {
    &TYPES
}

/// The selector byte that picks the type called `full_name`.
pub fn selector_of(full_name: &str) -> Option<u8> {
    types()
        .iter()
        .position(|ty| ty.full_name() == full_name)
        .and_then(|i| u8::try_from(i).ok())
}

fn pick(selector: u8) -> &'static MessageType {
    let types = types();
    types[usize::from(selector) % types.len()]
}

/// Flag bit 0 of the JSON targets: ignore unknown fields.
pub const FLAG_IGNORE_UNKNOWN: u8 = 1;

fn options(flags: u8) -> JsonOptions {
    JsonOptions::new().ignore_unknown_fields(flags & FLAG_IGNORE_UNKNOWN != 0)
}

fn strict() -> JsonOptions {
    JsonOptions::new()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Fails with `what` unless `condition` holds.
fn ensure(condition: bool, what: impl FnOnce() -> String) -> Result<(), Broken> {
    if condition { Ok(()) } else { Err(what()) }
}

/// Decodes bytes that an encoder of ours produced: must succeed.
fn decode_own(ty: &MessageType, bytes: &[u8], origin: &str) -> Result<Box<dyn DynMessage>, Broken> {
    ty.decode(Bytes::copy_from_slice(bytes)).map_err(|e| {
        format!(
            "{}: {origin} bytes {} do not decode: {e}",
            ty.full_name(),
            hex(bytes)
        )
    })
}

/// Parses JSON text that our printer produced: must succeed, strictly.
fn parse_own(ty: &MessageType, text: &str, origin: &str) -> Result<Box<dyn DynMessage>, Broken> {
    ty.parse_json(text, &strict())
        .map_err(|e| format!("{}: {origin} JSON {text} is rejected: {e}", ty.full_name()))
}

/// Whether `text` may stand for bytes that JSON cannot tell apart: a
/// `Value` without a kind prints as `null` like `NULL_VALUE`, a NaN prints as
/// `"NaN"` whatever its payload bits, and an `Any`'s payload is printed
/// decoded, so its bytes come back in canonical form. Elsewhere the bytes
/// must survive the JSON form exactly.
fn json_may_normalise(text: &str) -> bool {
    text.contains("null") || text.contains("NaN") || text.contains("@type")
}

/// Prints a message, checking that a failure is reported as a printing
/// error.
fn print(message: &dyn DynMessage, pretty: bool) -> Result<Option<String>, Broken> {
    match message.to_json(&strict(), pretty) {
        Ok(text) => Ok(Some(text)),
        Err(e) => {
            ensure(e.is_printing(), || {
                format!("printing failed with a parse error: {e}")
            })?;
            let _ = e.to_string();
            Ok(None)
        }
    }
}

/// A budget small enough for the fuzzers to reach its limits.
fn tight(seed: u8) -> DecodeBudget {
    DecodeBudget::new()
        .max_elements(u64::from(seed % 8))
        .max_depth(u32::from(seed % 4) * 2)
}

/// The default budget decodes `payload` as decode did (to `bytes`); a tight
/// one does too, or fails with a budget error.
fn binary_budgets(
    ty: &MessageType,
    selector: u8,
    payload: &[u8],
    bytes: &[u8],
) -> Result<(), Broken> {
    let default = ty
        .decode_with(Bytes::copy_from_slice(payload), &DecodeBudget::new())
        .map_err(|e| format!("{}: the default budget rejects: {e}", ty.full_name()))?;
    ensure(default.to_binary() == bytes, || {
        format!("{}: the default budget decodes differently", ty.full_name())
    })?;
    match ty.decode_with(Bytes::copy_from_slice(payload), &tight(selector)) {
        Ok(message) => ensure(message.to_binary() == bytes, || {
            format!("{}: a tight budget decodes differently", ty.full_name())
        }),
        Err(e) => ensure(e.budget_exceeded().is_some(), || {
            format!(
                "{}: a tight budget fails with no budget error: {e}",
                ty.full_name()
            )
        }),
    }
}

/// The default budget parses `text` as the plain options did (to `bytes`);
/// a tight one does too, or fails past its depth or elements.
fn json_budgets(ty: &MessageType, flags: u8, text: &str, bytes: &[u8]) -> Result<(), Broken> {
    let default = ty
        .parse_json(text, &options(flags).budget(DecodeBudget::new()))
        .map_err(|e| format!("{}: the default budget rejects {text}: {e}", ty.full_name()))?;
    ensure(default.to_binary() == bytes, || {
        format!(
            "{}: the default budget parses {text} differently",
            ty.full_name()
        )
    })?;
    match ty.parse_json(text, &options(flags).budget(tight(flags >> 1))) {
        Ok(message) => ensure(message.to_binary() == bytes, || {
            format!(
                "{}: a tight budget parses {text} differently",
                ty.full_name()
            )
        }),
        Err(e) => ensure(
            matches!(
                e.kind(),
                JsonErrorKind::BudgetExceeded | JsonErrorKind::TooDeep
            ),
            || {
                format!(
                    "{}: a tight budget fails on {text} with no budget error: {e}",
                    ty.full_name()
                )
            },
        ),
    }
}

/// `binary_decode`: `[type, bytes...]`. Decode -> encode -> decode is a
/// fixed point, and the second decode gives an equal message.
pub fn binary_decode(data: &[u8]) -> Result<(), Broken> {
    let Some((&selector, payload)) = data.split_first() else {
        return Ok(());
    };
    let ty = pick(selector);
    let first = match ty.decode(Bytes::copy_from_slice(payload)) {
        Ok(message) => message,
        Err(e) => {
            ensure(e.type_name() == ty.full_name(), || {
                format!(
                    "decode error names {} not {}",
                    e.type_name(),
                    ty.full_name()
                )
            })?;
            let _ = e.to_string();
            for budget in [DecodeBudget::new(), tight(selector)] {
                ensure(
                    ty.decode_with(Bytes::copy_from_slice(payload), &budget)
                        .is_err(),
                    || {
                        format!(
                            "{}: a budget accepts what decode rejects: {e}",
                            ty.full_name()
                        )
                    },
                )?;
            }
            return Ok(());
        }
    };
    let bytes = first.to_binary();
    binary_budgets(ty, selector, payload, &bytes)?;
    let second = decode_own(ty, &bytes, "re-encoded")?;
    let again = second.to_binary();
    ensure(again == bytes, || {
        format!(
            "{}: decode -> encode -> decode is not a fixed point: {} then {}",
            ty.full_name(),
            hex(&bytes),
            hex(&again)
        )
    })?;
    ensure(
        second.dyn_eq(first.as_ref()) || format!("{first:?}").contains("NaN"),
        || {
            format!(
                "{}: re-decoded message differs: {first:?} then {second:?}",
                ty.full_name()
            )
        },
    )
}

/// `json_parse`: `[type, flags, text...]`. A parsed message prints; the
/// printed text parses strictly to the same bytes and prints the same text;
/// the indented form parses to the same bytes; and strict acceptance implies
/// lenient acceptance of the same message.
pub fn json_parse(data: &[u8]) -> Result<(), Broken> {
    let [selector, flags, rest @ ..] = data else {
        return Ok(());
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return Ok(());
    };
    let ty = pick(*selector);
    let first = match ty.parse_json(text, &options(*flags)) {
        Ok(message) => message,
        Err(e) => {
            ensure(!e.is_printing(), || {
                format!("parsing failed with a print error: {e}")
            })?;
            let _ = (e.to_string(), e.path(), e.position());
            let budgeted = options(*flags).budget(tight(*flags >> 1));
            ensure(ty.parse_json(text, &budgeted).is_err(), || {
                format!(
                    "{}: a budget accepts {text}, rejected without: {e}",
                    ty.full_name()
                )
            })?;
            return Ok(());
        }
    };
    let bytes = first.to_binary();
    json_budgets(ty, *flags, text, &bytes)?;
    if flags & FLAG_IGNORE_UNKNOWN == 0 {
        let lenient = ty
            .parse_json(text, &options(FLAG_IGNORE_UNKNOWN))
            .map_err(|e| {
                format!(
                    "{}: strict parse accepts {text}, lenient rejects: {e}",
                    ty.full_name()
                )
            })?;
        ensure(lenient.to_binary() == bytes, || {
            format!(
                "{}: strict and lenient parses of {text} differ",
                ty.full_name()
            )
        })?;
    }
    let printed = first.to_json(&strict(), false).map_err(|e| {
        format!(
            "{}: a message parsed from {text} does not print: {e}",
            ty.full_name()
        )
    })?;
    let second = parse_own(ty, &printed, "printed")?;
    let again = second.to_binary();
    ensure(again == bytes, || {
        format!(
            "{}: parse -> print -> parse changed the bytes: {text} -> {printed}: {} then {}",
            ty.full_name(),
            hex(&bytes),
            hex(&again)
        )
    })?;
    let reprinted = second.to_json(&strict(), false).map_err(|e| {
        format!(
            "{}: {printed} parses but does not print: {e}",
            ty.full_name()
        )
    })?;
    ensure(reprinted == printed, || {
        format!(
            "{}: print -> parse -> print is not a fixed point: {printed} then {reprinted}",
            ty.full_name()
        )
    })?;
    let pretty = first
        .to_json(&strict(), true)
        .map_err(|e| format!("{}: prints compact but not indented: {e}", ty.full_name()))?;
    let from_pretty = parse_own(ty, &pretty, "indented")?;
    ensure(from_pretty.to_binary() == bytes, || {
        format!(
            "{}: the indented form {pretty} parses to other bytes",
            ty.full_name()
        )
    })
}

/// `binary_to_json`: `[type, bytes...]`. A decoded message either fails to
/// print with a printing error, or its JSON parses back (strictly and
/// leniently alike), prints the same text again, gives bytes that decode
/// and print the same, and gives the same bytes where JSON cannot
/// normalise them.
pub fn binary_to_json(data: &[u8]) -> Result<(), Broken> {
    let Some((&selector, payload)) = data.split_first() else {
        return Ok(());
    };
    let ty = pick(selector);
    let Ok(decoded) = ty.decode(Bytes::copy_from_slice(payload)) else {
        return Ok(());
    };
    let Some(text) = print(decoded.as_ref(), false)? else {
        return Ok(());
    };
    let parsed = parse_own(ty, &text, "printed")?;
    let lenient = ty
        .parse_json(&text, &options(FLAG_IGNORE_UNKNOWN))
        .map_err(|e| {
            format!(
                "{}: printed JSON {text} is rejected leniently: {e}",
                ty.full_name()
            )
        })?;
    let bytes = parsed.to_binary();
    ensure(lenient.to_binary() == bytes, || {
        format!(
            "{}: strict and lenient parses of {text} differ",
            ty.full_name()
        )
    })?;
    let reprinted = print(parsed.as_ref(), false)?
        .ok_or_else(|| format!("{}: {text} parses but does not print", ty.full_name()))?;
    ensure(reprinted == text, || {
        format!(
            "{}: print -> parse -> print is not a fixed point: {text} then {reprinted}",
            ty.full_name()
        )
    })?;
    // JSON has no form for unknown fields: compare with the known ones.
    let original = ty
        .decode_without_unknown_fields(Bytes::copy_from_slice(payload))
        .map_err(|e| {
            format!(
                "{}: decodes, but not without its unknown fields: {e}",
                ty.full_name()
            )
        })?
        .to_binary();
    ensure(bytes == original || json_may_normalise(&text), || {
        format!(
            "{}: the JSON form {text} lost information: {} came back as {}",
            ty.full_name(),
            hex(&original),
            hex(&bytes)
        )
    })?;
    let redecoded = decode_own(ty, &bytes, "JSON-parsed")?;
    ensure(redecoded.to_binary() == bytes, || {
        format!(
            "{}: bytes of the parsed JSON are not a fixed point",
            ty.full_name()
        )
    })?;
    let from_binary = print(redecoded.as_ref(), false)?;
    ensure(from_binary.as_deref() == Some(text.as_str()), || {
        format!(
            "{}: {text} went through binary and printed {from_binary:?}",
            ty.full_name()
        )
    })?;
    if let Some(pretty) = print(decoded.as_ref(), true)? {
        let from_pretty = parse_own(ty, &pretty, "indented")?;
        ensure(from_pretty.to_binary() == bytes, || {
            format!(
                "{}: the indented form {pretty} parses to other bytes",
                ty.full_name()
            )
        })?;
    }
    Ok(())
}

/// `json_to_binary`: `[type, flags, text...]`. The bytes of a parsed
/// message decode, are a fixed point, and the decoded message prints
/// exactly as the parsed one.
pub fn json_to_binary(data: &[u8]) -> Result<(), Broken> {
    let [selector, flags, rest @ ..] = data else {
        return Ok(());
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return Ok(());
    };
    let ty = pick(*selector);
    let Ok(parsed) = ty.parse_json(text, &options(*flags)) else {
        return Ok(());
    };
    let bytes = parsed.to_binary();
    let decoded = decode_own(ty, &bytes, "JSON-parsed")?;
    ensure(decoded.to_binary() == bytes, || {
        format!(
            "{}: bytes of the parsed JSON {text} are not a fixed point",
            ty.full_name()
        )
    })?;
    ensure(
        decoded.dyn_eq(parsed.as_ref()) || format!("{parsed:?}").contains("NaN"),
        || {
            format!(
                "{}: {parsed:?} came back from binary as {decoded:?}",
                ty.full_name()
            )
        },
    )?;
    let from_json = print(parsed.as_ref(), false)?;
    let from_binary = print(decoded.as_ref(), false)?;
    ensure(from_json == from_binary, || {
        format!(
            "{}: printed {from_json:?} before and {from_binary:?} after the binary trip",
            ty.full_name()
        )
    })
}

/// The type URL that flag bits 0-1 of `any_resolution` ask for.
fn type_url(flags: u8, name: &str, rest: &[u8]) -> (String, usize) {
    match flags & 3 {
        0 => (format!("type.googleapis.com/{name}"), 0),
        1 => (name.to_owned(), 0),
        2 => (format!("example.com/a/b/{name}"), 0),
        _ => {
            // A URL from the input: one length byte, then that many bytes.
            let len = rest.first().map_or(0, |&n| usize::from(n));
            let url = rest.get(1..).unwrap_or_default();
            let url = url.get(..len).unwrap_or(url);
            (String::from_utf8_lossy(url).into_owned(), 1 + url.len())
        }
    }
}

/// Flag bit 2 of `any_resolution`: the payload is JSON text of an `Any`.
pub const FLAG_ANY_JSON: u8 = 4;
/// Flag bit 3 of `any_resolution`: ignore unknown fields (JSON mode).
pub const FLAG_ANY_IGNORE_UNKNOWN: u8 = 8;

/// `any_resolution`: `[type, flags, payload...]`.
///
/// Binary mode packs the payload into an `Any` whose type URL names the
/// chosen type (in one of three spellings) or is taken from the input. The
/// `Any` prints exactly when the registry knows the URL, the payload decodes
/// and the decoded message prints; an unknown URL or undecodable payload is
/// an `InvalidAny` error. What prints parses back to an `Any` with the same
/// URL whose payload is what the payload's own JSON round trip gives.
///
/// JSON mode parses the payload as an `Any` and checks that the parsed
/// payload decodes with the type its URL names.
///
/// Both modes check that `Status.error_details()` keeps every detail:
/// packing a detail back gives one that reads as the same detail.
pub fn any_resolution(data: &[u8]) -> Result<(), Broken> {
    let [selector, flags, rest @ ..] = data else {
        return Ok(());
    };
    let any = if flags & FLAG_ANY_JSON != 0 {
        let Ok(text) = std::str::from_utf8(rest) else {
            return Ok(());
        };
        let ignore = flags & FLAG_ANY_IGNORE_UNKNOWN != 0;
        let Ok(any) = JsonOptions::new()
            .ignore_unknown_fields(ignore)
            .from_str::<Any>(text)
        else {
            return Ok(());
        };
        if !(any.type_url.is_empty() && any.value.is_empty()) {
            let ty = REGISTRY.get(&any.type_url).ok_or_else(|| {
                format!(
                    "{text} parsed to an Any whose URL {} is unknown",
                    any.type_url
                )
            })?;
            decode_own(ty, &any.value, "the parsed Any's payload")?;
        }
        any
    } else {
        let ty = pick(*selector);
        let (url, used) = type_url(*flags, ty.full_name(), rest);
        let payload = rest.get(used..).unwrap_or_default();
        let any = Any {
            type_url: url,
            value: Bytes::copy_from_slice(payload),
            ..Default::default()
        };
        check_packed_any(&any)?;
        any
    };
    check_error_details(any)
}

fn check_packed_any(any: &Any) -> Result<(), Broken> {
    let printed = cancelwire::json::to_string(any);
    let expected = if any.type_url.is_empty() && any.value.is_empty() {
        Some("{}".to_owned())
    } else {
        match REGISTRY.get(&any.type_url) {
            None => None,
            Some(ty) => match ty.decode(any.value.clone()) {
                Err(_) => None,
                Ok(inner) => match inner.to_json(&strict(), false) {
                    Ok(text) => Some(text),
                    Err(_) => {
                        // The payload does not print on its own (out of range,
                        // too deep, an unknown Any inside): neither does the Any.
                        ensure(printed.is_err(), || {
                            format!("{any:?} printed though its payload does not")
                        })?;
                        return Ok(());
                    }
                },
            },
        }
    };
    let text = match (printed, expected) {
        (Err(e), None) => {
            return ensure(e.kind() == JsonErrorKind::InvalidAny, || {
                format!("{any:?}: unresolvable Any failed with {:?}: {e}", e.kind())
            });
        }
        (Err(e), Some(_)) => return Err(format!("{any:?} resolves but does not print: {e}")),
        (Ok(text), None) => return Err(format!("{any:?} does not resolve but printed {text}")),
        (Ok(text), Some(_)) => text,
    };
    let back: Any = cancelwire::json::from_str(&text)
        .map_err(|e| format!("printed Any {text} is rejected: {e}"))?;
    ensure(back.type_url == any.type_url, || {
        format!("{text} came back with type URL {}", back.type_url)
    })?;
    if let Some(ty) = REGISTRY.get(&any.type_url) {
        // The payload's own JSON round trip: what the Any's value must be now.
        let inner = decode_own(ty, &any.value, "the Any's")?;
        let inner_text = inner
            .to_json(&strict(), false)
            .map_err(|e| format!("payload stopped printing: {e}"))?;
        let inner_back = parse_own(ty, &inner_text, "the payload's printed")?;
        ensure(
            back.value.as_ref() == inner_back.to_binary().as_slice(),
            || {
                format!(
                    "{text}: the Any's value {} is not its payload's JSON round trip {}",
                    hex(&back.value),
                    hex(&inner_back.to_binary())
                )
            },
        )?;
    }
    let reprinted = cancelwire::json::to_string(&back)
        .map_err(|e| format!("{text} parses but does not print: {e}"))?;
    ensure(reprinted == text, || {
        format!("Any print -> parse -> print is not a fixed point: {text} then {reprinted}")
    })
}

fn check_error_details(any: Any) -> Result<(), Broken> {
    let status = Status {
        code: 3,
        details: vec![any],
        ..Status::default()
    };
    for detail in status.error_details() {
        let again = ErrorDetail::from_any(&detail.to_any());
        ensure(again == detail, || {
            format!("error detail {detail:?} came back as {again:?}")
        })?;
        if let ErrorDetail::Other(any) = &detail {
            ensure(status.details.first() == Some(any), || {
                format!("ErrorDetail::Other changed the Any: {any:?}")
            })?;
        }
    }
    Ok(())
}

/// Flag bit 0 of `validation`: the payload is JSON (otherwise binary).
pub const FLAG_VALIDATE_JSON: u8 = 1;

/// `validation`: `[type, flags, payload...]`. Every registered message can
/// be validated; every violation names a path under the message's own
/// name; and a message validates the same after a binary round trip.
pub fn validation(data: &[u8]) -> Result<(), Broken> {
    let [selector, flags, rest @ ..] = data else {
        return Ok(());
    };
    let ty = pick(*selector);
    let message = if flags & FLAG_VALIDATE_JSON != 0 {
        let Ok(text) = std::str::from_utf8(rest) else {
            return Ok(());
        };
        let Ok(message) = ty.parse_json(text, &strict()) else {
            return Ok(());
        };
        message
    } else {
        let Ok(message) = ty.decode(Bytes::copy_from_slice(rest)) else {
            return Ok(());
        };
        message
    };
    let found = cancelwire::validate::violations_of(message.as_ref())
        .ok_or_else(|| format!("{} cannot be validated", ty.full_name()))?;
    let root = cancelwire::validate::FieldPath::new(snake_case_of(ty.full_name()));
    for violation in &found {
        let path = violation.path().as_str();
        ensure(path.starts_with(root.as_str()), || {
            format!("violation path {path} is not under {}", root.as_str())
        })?;
        let shown = violation.to_string();
        ensure(shown.contains(path), || {
            format!("violation {shown:?} does not show its path {path}")
        })?;
    }
    let again = decode_own(ty, &message.to_binary(), "re-encoded")?;
    let found_again = cancelwire::validate::violations_of(again.as_ref())
        .ok_or_else(|| format!("{} cannot be validated", ty.full_name()))?;
    ensure(found_again == found, || {
        format!(
            "{}: violations changed after a binary round trip: {found:?} then {found_again:?}",
            ty.full_name()
        )
    })
}

/// The root of violation paths, as `FieldPath::of` makes it from the
/// message's own name: `google.longrunning.OperationInfo` ->
/// `operation_info`, `google.rpc.Help.Link` -> `link`.
fn snake_case_of(full_name: &str) -> String {
    let name = full_name.rsplit('.').next().unwrap_or(full_name);
    let mut out = String::new();
    for (i, c) in name.char_indices() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The HTTP methods `rest_router` picks from (byte 1, modulo their count).
#[cfg(feature = "rest")]
pub const ROUTER_METHODS: &[&str] = &["GET", "POST", "DELETE", "PUT", "PATCH"];

/// The bindings `rest_router` picks from (byte 0, modulo their count):
/// upstream's, Firestore's and google-api-core's defaults, each with the
/// opt-in WaitOperation binding.
#[cfg(feature = "rest")]
fn router_bindings(selector: u8) -> Result<Bindings, Broken> {
    let bindings = match selector % 3 {
        0 => Bindings::upstream(),
        1 => Bindings::for_name_pattern("projects/*/databases/*/operations/*")
            .map_err(|e| e.to_string())?,
        _ => Bindings::for_name_pattern("**/operations/*").map_err(|e| e.to_string())?,
    };
    Ok(bindings.with_wait())
}

/// `rest_router`: `[bindings, method, path NUL query NUL body]` (missing
/// parts are empty; path and query are read as lossy UTF-8). The router
/// answers a typed request or a `NOT_FOUND` or `INVALID_ARGUMENT` status;
/// the request's client call, when its name has one, routes back to the
/// same request; the status's error envelope reads back to the same code
/// and message. The path is also parsed as a template, and a template that
/// parses matches and expands without panicking.
#[cfg(feature = "rest")]
pub fn rest_router(data: &[u8]) -> Result<(), Broken> {
    let [selector, method, rest @ ..] = data else {
        return Ok(());
    };
    let bindings = router_bindings(*selector)?;
    let method = ROUTER_METHODS
        .get(usize::from(*method) % ROUTER_METHODS.len())
        .and_then(|m| http::Method::from_bytes(m.as_bytes()).ok())
        .ok_or("no method")?;
    let mut parts = rest.splitn(3, |&b| b == 0);
    let path = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let query = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let body = parts.next().unwrap_or_default();

    if let Ok(template) = cancelwire::longrunning::rest::PathTemplate::parse(&path) {
        let _ = template.match_path(&path);
        let values: Vec<(&str, &str)> = template.fields().map(|f| (f, path.as_str())).collect();
        if let Ok(expanded) = template.expand(&values) {
            ensure(template.match_path(&expanded).is_some(), || {
                format!("template {path:?} does not match its own expansion {expanded:?}")
            })?;
        }
    }

    match bindings.route(&method, &path, &query, body) {
        Ok(request) => {
            let Ok(call) = bindings.call("http://h", &request) else {
                // A `*` segment that decoded to a `/` gives a name that no
                // template expands to; the router still read it faithfully.
                return Ok(());
            };
            let url = call
                .url
                .strip_prefix("http://h")
                .ok_or_else(|| format!("call URL {} lost its base", call.url))?;
            let (call_path, call_query) = url.split_once('?').unwrap_or((url, ""));
            let back = bindings.route(&call.method, call_path, call_query, call.body.as_bytes());
            ensure(back.as_ref() == Ok(&request), || {
                format!("{request:?} called as {call:?} routes back to {back:?}")
            })
        }
        Err(status) => {
            let code = status.code();
            ensure(
                code == Code::NOT_FOUND || code == Code::INVALID_ARGUMENT,
                || format!("{method} {path:?} ? {query:?}: unexpected status {status}"),
            )?;
            let reply = Reply::error(&status);
            let back = status_from_envelope(reply.status.as_u16(), reply.body.as_bytes());
            ensure(back == status, || {
                format!(
                    "envelope {} reads back as {back:?}, not {status:?}",
                    reply.body
                )
            })
        }
    }
}
