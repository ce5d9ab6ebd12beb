//! The state of the JSON conversion running on this thread: the options in
//! force, the nesting depth, and the field path and rule of the error being
//! unwound. The design is described in the `json` module's documentation
//! ("How errors find their path").

use super::{JsonErrorKind, JsonOptions};
use crate::FieldPath;
use crate::registry::Registry;
use prost::Name;
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt::{self, Display};
use std::sync::{Arc, OnceLock};

/// One step of a field path.
#[derive(Debug, Clone)]
pub(crate) enum Segment {
    Field(Cow<'static, str>),
    Index(usize),
    Key(String),
}

/// The rule an input broke, as recorded by the check that found it.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) kind: JsonErrorKind,
    pub(crate) reason: String,
}

struct State {
    ignore_unknown_fields: bool,
    registry: Option<Arc<Registry>>,
    /// Innermost segment first: segments are added while an error unwinds.
    path: Vec<Segment>,
    failure: Option<Failure>,
}

impl State {
    const fn new() -> Self {
        Self {
            ignore_unknown_fields: false,
            registry: None,
            path: Vec::new(),
            failure: None,
        }
    }
}

/// What every message reads and writes on entry and exit, apart from
/// [`State`]: plain `Cell`s cost no borrow flag and no destructor check,
/// which matters at one entry and one exit per message.
#[derive(Clone, Copy)]
struct Levels {
    depth: usize,
    max_depth: usize,
    /// An entry point of `cancelwire::json` owns the conversion and turns
    /// what is recorded into its [`super::JsonError`].
    session: bool,
    /// Whether the session's options carry a registry of their own (kept
    /// here too, so that printing an `Any` reads it without a borrow).
    custom_registry: bool,
    /// Elements the session's budget still allows, and its limit.
    elements_left: u64,
    element_limit: u64,
}

impl Levels {
    const NONE: Self = Self {
        depth: 0,
        max_depth: JsonOptions::DEFAULT_MAX_DEPTH,
        session: false,
        custom_registry: false,
        elements_left: u64::MAX,
        element_limit: u64::MAX,
    };
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State::new()) };
    static LEVELS: Cell<Levels> = const { Cell::new(Levels::NONE) };
}

/// Whether a conversion is under way; outside one nothing is recorded.
fn active() -> bool {
    let levels = LEVELS.get();
    levels.session || levels.depth > 0
}

/// One call of an entry point of `cancelwire::json`: installs its options,
/// and restores the state it found when dropped, so nested or re-entrant
/// calls (and panics in user serde code) leave nothing behind.
pub(crate) struct Session {
    saved: Saved,
}

/// What a session puts back when it ends.
enum Saved {
    /// The state it found was at rest (no registry, nothing recorded), and
    /// the session adds no registry: only the switch changes. The common
    /// case, which saves moving the whole state in and out.
    Switch(bool, Levels),
    /// The whole state it found.
    State(Box<(State, Levels)>),
}

impl Session {
    pub(crate) fn start(options: &JsonOptions) -> Self {
        let levels = Levels {
            depth: 0,
            max_depth: options.max_depth,
            session: true,
            custom_registry: options.registry.is_some(),
            elements_left: options.budget.elements(),
            element_limit: options.budget.elements(),
        };
        let switch = options.ignore_unknown_fields;
        let saved = STATE.with(|s| {
            let mut state = s.borrow_mut();
            let at_rest =
                state.registry.is_none() && state.failure.is_none() && state.path.is_empty();
            if at_rest && options.registry.is_none() {
                return Saved::Switch(
                    std::mem::replace(&mut state.ignore_unknown_fields, switch),
                    LEVELS.get(),
                );
            }
            let fresh = State {
                ignore_unknown_fields: switch,
                registry: options.registry.clone(),
                ..State::new()
            };
            Saved::State(Box::new((
                std::mem::replace(&mut *state, fresh),
                LEVELS.get(),
            )))
        });
        LEVELS.set(levels);
        Self { saved }
    }

    /// The recorded rule (if a check recorded one) and the field path
    /// below `root`.
    pub(crate) fn take_failure(&self, root: FieldPath) -> (Option<Failure>, FieldPath) {
        take_failure(root)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let levels = match std::mem::replace(&mut self.saved, Saved::Switch(false, Levels::NONE)) {
            Saved::Switch(switch, levels) => {
                STATE.with(|s| {
                    let mut state = s.borrow_mut();
                    state.ignore_unknown_fields = switch;
                    state.path.clear();
                    state.failure = None;
                    state.registry = None;
                });
                levels
            }
            Saved::State(saved) => {
                let (state, levels) = *saved;
                STATE.with(|s| *s.borrow_mut() = state);
                levels
            }
        };
        LEVELS.set(levels);
    }
}

fn take_failure(mut path: FieldPath) -> (Option<Failure>, FieldPath) {
    STATE.with(|s| {
        let mut state = s.borrow_mut();
        for segment in state.path.drain(..).rev() {
            match segment {
                Segment::Field(name) => path.push_field(&name),
                Segment::Index(i) => path.push_index(i),
                Segment::Key(key) => path.push_key(&key),
            }
        }
        (state.failure.take(), path)
    })
}

/// Adds a path segment to the error being unwound.
pub(crate) fn push_segment(segment: Segment) {
    if active() {
        STATE.with(|s| s.borrow_mut().path.push(segment));
    }
}

/// Records the rule an input broke, keeping the innermost one.
pub(crate) fn record(kind: JsonErrorKind, reason: &str) {
    if !active() {
        return;
    }
    STATE.with(|s| {
        let mut state = s.borrow_mut();
        if state.failure.is_none() {
            state.failure = Some(Failure {
                kind,
                reason: reason.to_owned(),
            });
        }
    });
}

pub(crate) fn ignore_unknown_fields() -> bool {
    STATE.with(|s| s.borrow().ignore_unknown_fields)
}

/// Whether a caller's registry is in force.
#[inline]
pub(crate) fn has_custom_registry() -> bool {
    LEVELS.get().custom_registry
}

/// The registry a session installed, if it is not the default one.
pub(crate) fn custom_registry() -> Option<Arc<Registry>> {
    STATE.with(|s| s.borrow().registry.clone())
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

/// One level of nesting, released on drop. The outermost level of a
/// conversion that no [`Session`] owns (plain `serde_json::from_str` and
/// the like) resets the whole state when it ends, however it ends.
pub(crate) struct Level {
    outermost: bool,
}

impl Level {
    /// Ends the level with the result of its body. At the outermost level
    /// of a conversion without a session, an error gets its field path
    /// (rooted at `M`) and recorded reason written into its message, since
    /// nobody else will read them: `"operation.error.code: 2147483648 is
    /// out of range for i32"`.
    pub(crate) fn finish<M: Name, T, E: Display>(
        self,
        result: Result<T, E>,
        custom: impl FnOnce(String) -> E,
    ) -> Result<T, E> {
        match result {
            Err(error) if self.outermost => Err(custom(Self::placed::<M>(&error))),
            other => other,
        }
    }

    /// The message of an outermost error: its field path and reason.
    #[cold]
    fn placed<M: Name>(error: &dyn Display) -> String {
        let (failure, path) = take_failure(FieldPath::of::<M>());
        let reason = match failure {
            Some(failure) => failure.reason,
            None => without_position(&error.to_string()).to_owned(),
        };
        format!("{path}: {reason}")
    }
}

impl Drop for Level {
    #[inline]
    fn drop(&mut self) {
        if self.outermost {
            return reset();
        }
        let mut levels = LEVELS.get();
        levels.depth = levels.depth.saturating_sub(1);
        LEVELS.set(levels);
    }
}

/// Forgets the state of a conversion that no session owns.
#[inline(never)]
fn reset() {
    STATE.with(|s| *s.borrow_mut() = State::new());
    LEVELS.set(Levels::NONE);
}

/// Nesting deeper than the limit in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooDeep {
    limit: usize,
}

impl fmt::Display for TooDeep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "nesting is deeper than the limit of {}", self.limit)
    }
}

/// How many more levels of messages the limit allows below the current
/// one (0 when it is already past the limit).
#[inline]
pub(crate) fn depth_left() -> usize {
    let levels = LEVELS.get();
    levels.max_depth.saturating_sub(levels.depth)
}

/// Enters one level of nesting, or says that the limit is reached.
///
/// Levels are counted as the binary decoder counts them, so that what one
/// codec accepts the other accepts too: every message is one level (the
/// well-known types included: `Value`, `Struct` and `ListValue` each, and
/// leaves like `Timestamp` or a wrapper), and so is every map entry. The
/// top-level message is at depth 0 and a message at depth `max_depth` is
/// still accepted, like prost's recursion limit. An `Any`'s payload is one
/// level below the `Any` (in binary it is decoded on its own, so JSON is
/// the stricter there).
// Inlined (with the error out of line), as are the level's drop and the
// checks below: called across codegen units from every generated impl,
// each was a call through the GOT for a few instructions.
#[inline]
pub(crate) fn enter() -> Result<Level, TooDeep> {
    let mut levels = LEVELS.get();
    if levels.depth > levels.max_depth {
        return Err(too_deep(levels.max_depth));
    }
    let outermost = !(levels.session || levels.depth > 0);
    levels.depth += 1;
    LEVELS.set(levels);
    Ok(Level { outermost })
}

/// Counts one element (an entry of a repeated field or map, a `Struct`
/// member, a `ListValue` value, an array entry buffered for an `Any`)
/// against the session's budget.
#[inline]
pub(crate) fn count_element() -> Result<(), TooMany> {
    let mut levels = LEVELS.get();
    if levels.elements_left == 0 {
        return Err(too_many(levels.element_limit));
    }
    levels.elements_left -= 1;
    LEVELS.set(levels);
    Ok(())
}

/// More elements than the budget allows.
#[derive(Debug)]
pub(crate) struct TooMany {
    limit: u64,
}

impl fmt::Display for TooMany {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "over the {} budget of {}",
            crate::Budget::Elements,
            self.limit
        )
    }
}

#[cold]
#[inline(never)]
fn too_many(limit: u64) -> TooMany {
    let error = TooMany { limit };
    record(JsonErrorKind::BudgetExceeded, &error.to_string());
    error
}

#[cold]
#[inline(never)]
fn too_deep(limit: usize) -> TooDeep {
    let error = TooDeep { limit };
    record(JsonErrorKind::TooDeep, &error.to_string());
    error
}

/// serde_json ends its messages with " at line L column C"; the position
/// is reported apart (or, for plain serde_json, added back by it).
pub(crate) fn without_position(message: &str) -> &str {
    let Some((text, position)) = message.rsplit_once(" at line ") else {
        return message;
    };
    let is_position = position
        .split_once(" column ")
        .is_some_and(|(line, column)| {
            [line, column]
                .iter()
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        });
    if is_position { text } else { message }
}

#[cfg(test)]
mod tests {
    use super::without_position;

    #[test]
    fn only_a_trailing_position_is_removed() {
        assert_eq!(without_position("bad at line 1 column 20"), "bad");
        assert_eq!(
            without_position("bad at line one column 2"),
            "bad at line one column 2"
        );
        assert_eq!(without_position("bad"), "bad");
    }
}
