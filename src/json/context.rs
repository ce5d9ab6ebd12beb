//! Per-thread state of one JSON conversion: the options in force, the
//! nesting depth, and the field path and rule of the error being unwound.
//!
//! serde's `Serialize`/`Deserialize` take no arguments, and their errors are
//! opaque strings. So the entry points in `json/mod.rs` install the options
//! here for the duration of a call, rule checks record their typed rule
//! here before returning the serde error, and every field, index and key on
//! the way up pushes its path segment. The entry point then builds a
//! [`JsonError`](super::JsonError) from what was recorded.

use super::{JsonErrorKind, JsonOptions};
use crate::registry::Registry;
use std::cell::RefCell;
use std::fmt::Write;
use std::sync::{Arc, OnceLock};

/// One step of a field path.
#[derive(Debug, Clone)]
pub(crate) enum Segment {
    Field(std::borrow::Cow<'static, str>),
    Index(usize),
    Key(String),
}

struct State {
    ignore_unknown_fields: bool,
    registry: Option<Arc<Registry>>,
    max_depth: usize,
    depth: usize,
    /// Innermost segment first.
    path: Vec<Segment>,
    failure: Option<(JsonErrorKind, String)>,
}

impl State {
    const fn new() -> Self {
        Self {
            ignore_unknown_fields: false,
            registry: None,
            max_depth: JsonOptions::DEFAULT_MAX_DEPTH,
            depth: 0,
            path: Vec::new(),
            failure: None,
        }
    }
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State::new()) };
}

/// Restores the previous state when a top-level conversion ends, so nested
/// or re-entrant calls (and panics in user serde code) leave nothing behind.
pub(crate) struct Session {
    saved: Option<State>,
}

impl Session {
    pub(crate) fn start(options: &JsonOptions) -> Self {
        let fresh = State {
            ignore_unknown_fields: options.ignore_unknown_fields,
            registry: options.registry.clone(),
            max_depth: options.max_depth,
            ..State::new()
        };
        let saved = STATE.with(|s| std::mem::replace(&mut *s.borrow_mut(), fresh));
        Self { saved: Some(saved) }
    }

    /// The recorded rule (if a check recorded one) and the field path, root
    /// first, e.g. `operation.error.details[2]`.
    pub(crate) fn take_failure(&self) -> (Option<(JsonErrorKind, String)>, String) {
        STATE.with(|s| {
            let mut state = s.borrow_mut();
            let path = render_path(&state.path);
            state.path.clear();
            (state.failure.take(), path)
        })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(saved) = self.saved.take() {
            STATE.with(|s| *s.borrow_mut() = saved);
        }
    }
}

fn render_path(innermost_first: &[Segment]) -> String {
    let mut out = String::new();
    for segment in innermost_first.iter().rev() {
        match segment {
            Segment::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Segment::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
            Segment::Key(key) => {
                let _ = write!(out, "[{key:?}]");
            }
        }
    }
    out
}

/// Adds a path segment to the error being unwound.
pub(crate) fn push_segment(segment: Segment) {
    STATE.with(|s| s.borrow_mut().path.push(segment));
}

/// Records the rule an input broke, keeping the innermost one.
pub(crate) fn record(kind: JsonErrorKind, reason: &str) {
    STATE.with(|s| {
        let mut state = s.borrow_mut();
        if state.failure.is_none() {
            state.failure = Some((kind, reason.to_owned()));
        }
    });
}

pub(crate) fn ignore_unknown_fields() -> bool {
    STATE.with(|s| s.borrow().ignore_unknown_fields)
}

/// The registry in force: the caller's, or the default one.
pub(crate) fn registry() -> Arc<Registry> {
    static DEFAULT: OnceLock<Arc<Registry>> = OnceLock::new();
    STATE
        .with(|s| s.borrow().registry.clone())
        .unwrap_or_else(|| {
            DEFAULT
                .get_or_init(|| Arc::new(Registry::default()))
                .clone()
        })
}

/// Holds one level of nesting; the level is released on drop.
pub(crate) struct DepthGuard(());

impl Drop for DepthGuard {
    fn drop(&mut self) {
        STATE.with(|s| {
            let mut state = s.borrow_mut();
            state.depth = state.depth.saturating_sub(1);
        });
    }
}

/// Enters one level of nesting, or returns the reason why the limit is
/// reached.
///
/// Levels are counted as the binary decoder counts them, so that what one
/// codec accepts the other accepts too: every message is one level (the
/// well-known types included: `Value`, `Struct` and `ListValue` each, and
/// leaves like `Timestamp` or a wrapper), and so is every map entry. The
/// top-level message is at depth 0 and a message at depth `max_depth` is
/// still accepted, like prost's recursion limit. An `Any`'s payload is one
/// level below the `Any` (in binary it is decoded on its own, so JSON is
/// the stricter there).
pub(crate) fn enter() -> Result<DepthGuard, String> {
    STATE.with(|s| {
        let mut state = s.borrow_mut();
        if state.depth > state.max_depth {
            let reason = format!("nesting is deeper than the limit of {}", state.max_depth);
            if state.failure.is_none() {
                state.failure = Some((JsonErrorKind::TooDeep, reason.clone()));
            }
            Err(reason)
        } else {
            state.depth += 1;
            Ok(DepthGuard(()))
        }
    })
}
