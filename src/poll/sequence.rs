//! Checkers of what a poller sees over time: the promises Flight makes about
//! the `PollInfo`s of one query, and operations.proto about the `Operation`s
//! of one name. Each answer is also validated on its own
//! ([`crate::validate::Validate`]).

use crate::flight::{FlightEndpoint, PollInfo};
use crate::longrunning::{Operation, operation};
use crate::validate::{FieldPath, Rule, Validate, Violation};
use crate::wkt::Timestamp;

fn before(a: &Timestamp, b: &Timestamp) -> bool {
    (a.seconds, a.nanos) < (b.seconds, b.nanos)
}

/// The state of a poller reading the `PollInfo`s of one query, which
/// reports every broken promise of Flight.proto with a field path that
/// starts with the position of the answer (`poll_info[2].info.endpoint[0]`).
///
/// | rule | path | broken when |
/// |---|---|---|
/// | [`Rule::PollAppendOnly`] | `poll_info[i].info.endpoint`, `...endpoint[j]` | an endpoint of an earlier answer is missing or different ("subsequent PollInfo responses may only append") |
/// | [`Rule::PollReopened`] | `poll_info[i].flight_descriptor` | a descriptor to poll again comes after an answer without one (the query was complete) |
/// | [`Rule::PollExpired`] | `poll_info[i].expiration_time` | the query runs but its `expiration_time` is before the time of the answer |
/// | [`Rule::Required`] | `poll_info[i].info` | the query is complete but `info`, which must hold all results, is unset |
/// | [`Rule::Range`] and every other rule of [`Validate`] | `poll_info[i].progress`, ... | `progress` outside [0, 1], and whatever else breaks a rule of the message alone |
///
/// ```
/// use cancelwire::flight::{FlightDescriptor, FlightEndpoint, FlightInfo, PollInfo, Ticket};
/// use cancelwire::poll::PollInfoSequence;
/// use cancelwire::validate::Rule;
/// use cancelwire::wkt::Timestamp;
///
/// let now = Timestamp { seconds: 1_800_000_000, nanos: 0, ..Default::default() };
/// let endpoint = |t: &'static str| FlightEndpoint { ticket: Some(Ticket { ticket: t.into(), ..Default::default() }), ..Default::default() };
/// let first = PollInfo::started(FlightInfo::default(), FlightDescriptor::command("again")).next([endpoint("a")]);
///
/// let mut polls = PollInfoSequence::new();
/// assert!(polls.check(&first, now.clone()).is_empty());
/// assert!(polls.check(&first.next([endpoint("b")]).completed(), now.clone()).is_empty());
///
/// let mut polls = PollInfoSequence::new();
/// polls.check(&first, now.clone());
/// let shrunk = PollInfo::started(FlightInfo::default(), FlightDescriptor::command("again"));
/// let found = polls.check(&shrunk, now.clone());
/// assert_eq!(found[0].path().as_str(), "poll_info[1].info.endpoint");
/// assert_eq!(found[0].rule(), Rule::PollAppendOnly);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PollInfoSequence {
    seen: usize,
    /// The endpoints of the answer before, which the next one must start with.
    endpoints: Vec<FlightEndpoint>,
    /// The position of the first answer without a descriptor.
    completed_at: Option<usize>,
}

impl PollInfoSequence {
    /// A poller that has seen nothing yet.
    ///
    /// ```
    /// assert_eq!(cancelwire::poll::PollInfoSequence::new().len(), 0);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// How many answers were checked.
    ///
    /// ```
    /// use cancelwire::flight::PollInfo;
    /// use cancelwire::wkt::Timestamp;
    ///
    /// let mut polls = cancelwire::poll::PollInfoSequence::new();
    /// polls.check(&PollInfo::default(), Timestamp::default());
    /// assert_eq!(polls.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.seen
    }

    /// Whether no answer was checked yet.
    ///
    /// ```
    /// assert!(cancelwire::poll::PollInfoSequence::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.seen == 0
    }

    /// Whether an answer without a descriptor to poll again was seen.
    ///
    /// ```
    /// use cancelwire::flight::{FlightInfo, PollInfo};
    /// use cancelwire::wkt::Timestamp;
    ///
    /// let mut polls = cancelwire::poll::PollInfoSequence::new();
    /// polls.check(&PollInfo { info: Some(FlightInfo::default()), ..Default::default() }, Timestamp::default());
    /// assert!(polls.is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        self.completed_at.is_some()
    }

    /// Checks the next answer, received at `now`, against the ones before,
    /// and returns every violation (none when it keeps every promise).
    ///
    /// ```
    /// use cancelwire::flight::{FlightDescriptor, FlightInfo, PollInfo};
    /// use cancelwire::poll::PollInfoSequence;
    /// use cancelwire::wkt::Timestamp;
    ///
    /// let now = Timestamp { seconds: 1_800_000_000, nanos: 0, ..Default::default() };
    /// let stale = PollInfo::started(FlightInfo::default(), FlightDescriptor::command("again"))
    ///     .with_expiration_time(Timestamp { seconds: now.seconds - 1, nanos: 0, ..Default::default() });
    /// let found = PollInfoSequence::new().check(&stale, now);
    /// assert_eq!(found[0].to_string(),
    ///     "poll_info[0].expiration_time: the query runs but its expiration time 1799999999s is before now, 1800000000s (poll_info.expired)");
    /// ```
    pub fn check(&mut self, poll: &PollInfo, now: Timestamp) -> Vec<Violation> {
        let at = FieldPath::of::<PollInfo>().index(self.seen);
        let mut out = Vec::new();
        poll.validate_at(&at, &mut out);

        let empty = Vec::new();
        let endpoints = poll.info.as_ref().map_or(&empty, |info| &info.endpoint);
        let previous = self.seen.saturating_sub(1);
        if endpoints.len() < self.endpoints.len() {
            out.push(Violation::new(
                at.field("info").field("endpoint"),
                Rule::PollAppendOnly,
                format!(
                    "{} endpoints, fewer than the {} of poll_info[{previous}]: later answers may only append",
                    endpoints.len(),
                    self.endpoints.len()
                ),
            ));
        }
        for (i, (now_endpoint, before_endpoint)) in
            endpoints.iter().zip(&self.endpoints).enumerate()
        {
            if now_endpoint != before_endpoint {
                out.push(Violation::new(
                    at.field("info").field("endpoint").index(i),
                    Rule::PollAppendOnly,
                    format!(
                        "differs from endpoint[{i}] of poll_info[{previous}]: later answers may only append"
                    ),
                ));
            }
        }

        match (&poll.flight_descriptor, self.completed_at) {
            (Some(_), Some(completed)) => out.push(Violation::new(
                at.field("flight_descriptor"),
                Rule::PollReopened,
                format!(
                    "is set again, but poll_info[{completed}] had none: the query was complete"
                ),
            )),
            (Some(_), None) => {
                if let Some(expires) = &poll.expiration_time
                    && before(expires, &now)
                {
                    out.push(Violation::new(
                        at.field("expiration_time"),
                        Rule::PollExpired,
                        format!(
                            "the query runs but its expiration time {}s is before now, {}s",
                            expires.seconds, now.seconds
                        ),
                    ));
                }
            }
            (None, _) => {
                if poll.info.is_none() {
                    out.push(Violation::new(
                        at.field("info"),
                        Rule::Required,
                        "the query is complete (no flight_descriptor) but info, which must hold all results, is unset",
                    ));
                }
            }
        }

        if poll.flight_descriptor.is_none() && self.completed_at.is_none() {
            self.completed_at = Some(self.seen);
        }
        // The longest list seen is the one later answers must start with.
        if endpoints.len() >= self.endpoints.len() {
            self.endpoints = endpoints.clone();
        }
        self.seen += 1;
        out
    }
}

/// The state of a poller reading the `Operation`s of one name
/// (`GetOperation`, `WaitOperation`, `ListOperations`), which reports every
/// broken promise of operations.proto with a field path that starts with
/// the position of the answer (`operation[3].response`).
///
/// | rule | path | broken when |
/// |---|---|---|
/// | [`Rule::OperationRenamed`] | `operation[i].name` | the name differs from the first answer's |
/// | [`Rule::OperationFinal`] | `operation[i].done`, `.error`, `.response` | after an answer with `done`, one is not done, or has another result |
/// | every rule of [`Validate`] | `operation[i]...` | whatever breaks a rule of the message alone (`done` without a result, ...) |
///
/// ```
/// use cancelwire::longrunning::Operation;
/// use cancelwire::poll::OperationSequence;
/// use cancelwire::rpc::Status;
/// use cancelwire::validate::Rule;
///
/// let mut ops = OperationSequence::new();
/// let mut op = Operation::running("operations/q");
/// assert!(ops.check(&op).is_empty());
/// op.fail(Status::internal("disk full"))?;
/// assert!(ops.check(&op).is_empty());
///
/// let found = ops.check(&Operation::running("operations/q"));
/// assert_eq!(found[0].path().as_str(), "operation[2].done");
/// assert_eq!(found[0].rule(), Rule::OperationFinal);
/// # Ok::<(), cancelwire::longrunning::AlreadyDone>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OperationSequence {
    seen: usize,
    name: Option<String>,
    /// The first answer that was done, and its position.
    done: Option<(usize, Option<operation::Result>)>,
}

impl OperationSequence {
    /// A poller that has seen nothing yet.
    ///
    /// ```
    /// assert!(cancelwire::poll::OperationSequence::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// How many answers were checked.
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    ///
    /// let mut ops = cancelwire::poll::OperationSequence::new();
    /// ops.check(&Operation::running("operations/1"));
    /// assert_eq!(ops.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.seen
    }

    /// Whether no answer was checked yet.
    ///
    /// ```
    /// assert_eq!(cancelwire::poll::OperationSequence::new().len(), 0);
    /// ```
    pub fn is_empty(&self) -> bool {
        self.seen == 0
    }

    /// Checks the next answer against the ones before and returns every
    /// violation (none when it keeps every promise).
    ///
    /// ```
    /// use cancelwire::longrunning::Operation;
    /// use cancelwire::poll::OperationSequence;
    ///
    /// let mut ops = OperationSequence::new();
    /// ops.check(&Operation::running("operations/1"));
    /// let found = ops.check(&Operation::running("operations/2"));
    /// assert_eq!(found[0].to_string(),
    ///     "operation[1].name: `operations/2` is not `operations/1`, the name of operation[0] (operation.renamed)");
    /// ```
    pub fn check(&mut self, op: &Operation) -> Vec<Violation> {
        let at = FieldPath::of::<Operation>().index(self.seen);
        let mut out = Vec::new();
        op.validate_at(&at, &mut out);

        match &self.name {
            Some(first) if *first != op.name => out.push(Violation::new(
                at.field("name"),
                Rule::OperationRenamed,
                format!("`{}` is not `{first}`, the name of operation[0]", op.name),
            )),
            Some(_) => {}
            None => self.name = Some(op.name.clone()),
        }

        match &self.done {
            Some((position, _)) if !op.done => out.push(Violation::new(
                at.field("done"),
                Rule::OperationFinal,
                format!("is false, but operation[{position}] was done"),
            )),
            Some((position, result)) if *result != op.result => {
                let field = match &op.result {
                    Some(operation::Result::Error(_)) => "error",
                    Some(operation::Result::Response(_)) => "response",
                    None => "result",
                };
                out.push(Violation::new(
                    at.field(field),
                    Rule::OperationFinal,
                    format!("differs from the result of operation[{position}], which was done"),
                ));
            }
            Some(_) => {}
            None => {
                if op.done {
                    self.done = Some((self.seen, op.result.clone()));
                }
            }
        }
        self.seen += 1;
        out
    }
}
