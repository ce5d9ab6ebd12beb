//! `cancelwire::poll`: one test per row of the two tables of the module
//! documentation, a passing and a failing sequence for every rule of the
//! two checkers, and property tests that sequences built with the helpers
//! keep every promise.

use bytes::Bytes;
use cancelwire::cancel::answer_cancel_flight_info;
use cancelwire::flight::{
    CancelStatus, DescriptorType, FlightDescriptor, FlightEndpoint, FlightInfo, Location, PollInfo,
    Ticket,
};
use cancelwire::longrunning::{Operation, OperationError, OperationState, operation};
use cancelwire::poll::{
    OperationSequence, PollInfoSequence, default_progress, operation_from_poll_error,
    operation_from_poll_info, poll_flight_info_error, poll_info_from_operation,
    poll_info_from_operation_with, progress_from,
};
use cancelwire::rpc::{Code, ErrorInfo, Status};
use cancelwire::validate::{Rule, Violation};
use cancelwire::wkt::{Any, DoubleValue, Duration, Empty, Timestamp};
use proptest::prelude::*;
use prost::Message;

const NOW: Timestamp = Timestamp {
    seconds: 1_800_000_000,
    nanos: 0,
    unknown_fields: cancelwire::UnknownFields::new(),
};
const NAME: &str = "projects/p/operations/query-1";

fn endpoint(ticket: &'static str) -> FlightEndpoint {
    FlightEndpoint {
        ticket: Some(Ticket {
            ticket: ticket.into(),
            ..Default::default()
        }),
        location: vec![Location {
            uri: "grpc+tcp://127.0.0.1:1".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn info() -> FlightInfo {
    FlightInfo {
        schema: Bytes::from_static(b"schema"),
        total_records: -1,
        total_bytes: -1,
        app_metadata: Bytes::from_static(b"app"),
        ..Default::default()
    }
}

fn retry() -> FlightDescriptor {
    FlightDescriptor::command("poll/query-1")
}

fn running(endpoints: &[&'static str]) -> PollInfo {
    PollInfo::started(info(), retry()).next(endpoints.iter().map(|t| endpoint(t)))
}

fn rules_at(found: &[Violation]) -> Vec<(String, Rule)> {
    found
        .iter()
        .map(|v| (v.path().to_string(), v.rule()))
        .collect()
}

/// Every violation of a sequence of `PollInfo`s, all received at `NOW`.
fn check_polls(polls: &[PollInfo]) -> Vec<(String, Rule)> {
    let mut sequence = PollInfoSequence::new();
    let found: Vec<Violation> = polls
        .iter()
        .flat_map(|poll| sequence.check(poll, NOW))
        .collect();
    rules_at(&found)
}

fn check_operations(ops: &[Operation]) -> Vec<(String, Rule)> {
    let mut sequence = OperationSequence::new();
    let found: Vec<Violation> = ops.iter().flat_map(|op| sequence.check(op)).collect();
    rules_at(&found)
}

fn response(op: &Operation) -> Option<&Any> {
    match &op.result {
        Some(operation::Result::Response(any)) => Some(any),
        _ => None,
    }
}

// ---- Flight query -> Operation -------------------------------------------

#[test]
fn flight_to_operation_name_is_the_gateways_for_every_poll() {
    let polls = [
        running(&["a"]),
        running(&["a", "b"]),
        running(&["a", "b"]).completed(),
    ];
    let ops: Vec<Operation> = polls
        .iter()
        .map(|poll| operation_from_poll_info(NAME, poll))
        .collect();
    assert!(ops.iter().all(|op| op.name == NAME));
    assert_eq!(check_operations(&ops), []);
}

#[test]
fn flight_to_operation_done_exactly_when_the_descriptor_is_unset() {
    let poll = running(&["a"]);
    let op = operation_from_poll_info(NAME, &poll);
    assert!(!op.done);
    assert_eq!(op.result, None);
    assert_eq!(op.state(), Ok(OperationState::Running));

    let op = operation_from_poll_info(NAME, &poll.completed());
    assert!(op.done);
    assert!(matches!(op.state(), Ok(OperationState::Succeeded(_))));

    // Progress 1.0 without the descriptor unset is still running.
    let almost = running(&["a"]).with_progress(1.0).unwrap();
    assert!(!operation_from_poll_info(NAME, &almost).done);
}

#[test]
fn flight_to_operation_metadata_carries_progress_and_the_info_so_far() {
    let poll = running(&["a", "b"])
        .with_progress(0.25)
        .unwrap()
        .with_expiration_time(Timestamp {
            seconds: NOW.seconds + 60,
            nanos: 0,
            ..Default::default()
        });
    let op = operation_from_poll_info(NAME, &poll);
    let metadata = op.metadata.as_ref().expect("metadata is set");
    assert_eq!(
        metadata.type_url,
        "type.googleapis.com/arrow.flight.protocol.PollInfo"
    );
    assert_eq!(default_progress(metadata), Some(0.25));
    let back: PollInfo = op.metadata_as().unwrap().unwrap();
    assert_eq!(back, poll);
    assert_eq!(back.info.unwrap().endpoint.len(), 2);
}

#[test]
fn flight_to_operation_response_is_the_final_flight_info() {
    let last = running(&["a", "b", "c"]).completed();
    let op = operation_from_poll_info(NAME, &last);
    assert_eq!(
        response(&op).unwrap().type_url,
        "type.googleapis.com/arrow.flight.protocol.FlightInfo"
    );
    let final_info: FlightInfo = op.into_response().unwrap();
    assert_eq!(Some(final_info), last.info);

    // A complete PollInfo without info: no endpoints, unknown totals.
    let bare = PollInfo::default();
    let op = operation_from_poll_info(NAME, &bare);
    let final_info: FlightInfo = op.into_response().unwrap();
    assert!(final_info.endpoint.is_empty());
    assert_eq!((final_info.total_records, final_info.total_bytes), (-1, -1));
}

#[test]
fn flight_to_operation_error_is_the_status_of_a_failed_poll() {
    let failure = Status::internal("worker lost").with_detail(&ErrorInfo {
        reason: "WORKER_LOST".into(),
        ..Default::default()
    });
    for status in [
        failure,
        Status::invalid_argument("bad SQL"),
        Status::resource_exhausted("out of memory"),
        Status::failed_precondition("table dropped"),
        Status::new(Code::from_i32(77), "a code from the future"),
    ] {
        let op = operation_from_poll_error(NAME, status.clone()).unwrap();
        assert_eq!(op.name, NAME);
        assert!(op.done);
        assert_eq!(op.result, Some(operation::Result::Error(status.clone())));
        assert_eq!(op.into_result(), Err(OperationError::Failed(status)));
    }
    // What says nothing about the query is GetOperation's own error.
    for code in [
        Code::UNAVAILABLE,
        Code::DEADLINE_EXCEEDED,
        Code::UNAUTHENTICATED,
        Code::PERMISSION_DENIED,
        Code::NOT_FOUND,
    ] {
        let status = Status::new(code, "not about the query");
        assert_eq!(operation_from_poll_error(NAME, status.clone()), Err(status));
    }
    let ok = operation_from_poll_error(NAME, Status::default()).unwrap_err();
    assert_eq!(ok.code(), Code::INTERNAL);
}

#[test]
fn flight_to_operation_a_cancelled_query_is_a_cancelled_operation() {
    let op = operation_from_poll_error(NAME, Status::cancelled("query 1 was cancelled")).unwrap();
    assert!(op.done && op.is_cancelled());
    assert!(
        matches!(op.state(), Ok(OperationState::Cancelled(s)) if s.message == "query 1 was cancelled")
    );
    // The cancellation model reads it the same way.
    assert_eq!(
        answer_cancel_flight_info(Code::OK, Ok(&op)),
        Ok(CancelStatus::CANCELLED)
    );
}

// ---- Operation -> PollInfo -----------------------------------------------

#[test]
fn operation_to_flight_descriptor_while_running_and_unset_once_done() {
    let mut op = Operation::running(NAME);
    let poll = poll_info_from_operation(&op, retry()).unwrap();
    assert_eq!(poll.flight_descriptor, Some(retry()));
    op.succeed(&info()).unwrap();
    let poll = poll_info_from_operation(&op, retry()).unwrap();
    assert_eq!(poll.flight_descriptor, None);
}

#[test]
fn operation_to_progress_from_the_metadata() {
    let at = |op: &Operation| poll_info_from_operation(op, retry()).unwrap().progress;
    // A DoubleValue.
    let op = Operation::running(NAME).with_metadata(&DoubleValue {
        value: 0.5,
        ..Default::default()
    });
    assert_eq!(at(&op), Some(0.5));
    // A PollInfo (what the other direction puts there).
    let op = Operation::running(NAME).with_metadata(&running(&[]).with_progress(0.75).unwrap());
    assert_eq!(at(&op), Some(0.75));
    // No metadata, or a type nobody reads: unknown, so unset.
    assert_eq!(at(&Operation::running(NAME)), None);
    let op = Operation::running(NAME).with_metadata(&Empty {
        ..Default::default()
    });
    assert_eq!(at(&op), None);
    // Outside [0, 1]: unset, as Flight asks for an unknown progress.
    for bad in [1.5, -0.25, f64::NAN, f64::INFINITY] {
        let op = Operation::running(NAME).with_metadata(&DoubleValue {
            value: bad,
            ..Default::default()
        });
        assert_eq!(at(&op), None, "{bad}");
    }
    // A typed extractor the caller supplies.
    let op = Operation::running(NAME).with_metadata(&Duration {
        seconds: 30,
        nanos: 0,
        ..Default::default()
    });
    let half = progress_from(|d: &Duration| Some(d.seconds as f64 / 60.0));
    let poll = poll_info_from_operation_with(&op, retry(), half).unwrap();
    assert_eq!(poll.progress, Some(0.5));
    // The extractor goes first; the default reads what it does not.
    let never = progress_from(|_: &Duration| None);
    let op = Operation::running(NAME).with_metadata(&DoubleValue {
        value: 0.125,
        ..Default::default()
    });
    let poll = poll_info_from_operation_with(&op, retry(), never).unwrap();
    assert_eq!(poll.progress, Some(0.125));
}

#[test]
fn operation_to_info_from_the_response_when_it_is_a_flight_info() {
    let so_far = running(&["a"]);
    let mut op = Operation::running(NAME).with_metadata(&so_far);
    assert_eq!(
        poll_info_from_operation(&op, retry()).unwrap().info,
        so_far.info
    );

    let mut all = info();
    all.endpoint = vec![endpoint("a"), endpoint("b")];
    let mut finished = op.clone();
    finished.succeed(&all).unwrap();
    assert_eq!(
        poll_info_from_operation(&finished, retry()).unwrap().info,
        Some(all)
    );

    // A response of another type: the FlightInfo so far, from the metadata.
    op.succeed(&Timestamp::default()).unwrap();
    let poll = poll_info_from_operation(&op, retry()).unwrap();
    assert_eq!((poll.info, poll.flight_descriptor), (so_far.info, None));

    // A response that claims to be a FlightInfo but does not decode.
    let mut broken = Operation::running(NAME);
    broken.done = true;
    broken.result = Some(operation::Result::Response(Any {
        type_url: "type.googleapis.com/arrow.flight.protocol.FlightInfo".into(),
        value: Bytes::from_static(&[0x0a, 0x05]),
        ..Default::default()
    }));
    let err = poll_info_from_operation(&broken, retry()).unwrap_err();
    assert!(matches!(err, OperationError::Response { .. }), "{err:?}");
    let status = poll_flight_info_error(&err);
    assert_eq!(status.code(), Code::INTERNAL);
    assert!(
        status.message.starts_with(
            "operation.response: Any.value is not a valid arrow.flight.protocol.FlightInfo"
        ),
        "{}",
        status.message
    );
}

#[test]
fn operation_to_expiration_time_while_running() {
    let expires = Timestamp {
        seconds: NOW.seconds + 30,
        nanos: 5,
        ..Default::default()
    };
    let poll = running(&["a"]).with_expiration_time(expires.clone());
    let op = operation_from_poll_info(NAME, &poll);
    assert_eq!(
        poll_info_from_operation(&op, retry())
            .unwrap()
            .expiration_time,
        Some(expires)
    );
    let op = operation_from_poll_info(NAME, &poll.completed());
    assert_eq!(
        poll_info_from_operation(&op, retry())
            .unwrap()
            .expiration_time,
        None
    );
}

#[test]
fn operation_to_a_failed_or_cancelled_operation_is_the_grpc_error() {
    let failure = Status::permission_denied("no access to table t").with_detail(&ErrorInfo {
        reason: "ACL".into(),
        ..Default::default()
    });
    let mut op = Operation::running(NAME);
    op.fail(failure.clone()).unwrap();
    let err = poll_info_from_operation(&op, retry()).unwrap_err();
    assert_eq!(err, OperationError::Failed(failure.clone()));
    assert_eq!(poll_flight_info_error(&err), failure);

    let mut op = Operation::running(NAME);
    op.cancel("cancelled by the client").unwrap();
    let err = poll_info_from_operation(&op, retry()).unwrap_err();
    assert!(matches!(err, OperationError::Cancelled(_)));
    assert_eq!(
        poll_flight_info_error(&err),
        Status::cancelled("cancelled by the client")
    );

    let inconsistent = Operation {
        name: NAME.into(),
        done: false,
        result: Some(operation::Result::Error(Status::internal("x"))),
        ..Default::default()
    };
    let err = poll_info_from_operation(&inconsistent, retry()).unwrap_err();
    assert_eq!(poll_flight_info_error(&err).code(), Code::INTERNAL);
}

#[test]
fn unknown_enum_numbers_and_unknown_fields_pass_through() {
    // A retry descriptor of a type from a newer Flight, and a FlightInfo
    // whose fields the translation does not look at.
    let newer = FlightDescriptor {
        r#type: 9,
        cmd: "x".into(),
        path: vec![],
        ..Default::default()
    };
    let poll = PollInfo::started(info(), newer.clone()).next([endpoint("a")]);
    let op = operation_from_poll_info(NAME, &poll);
    let back = poll_info_from_operation(&op, newer.clone()).unwrap();
    assert_eq!(back, poll);
    assert_eq!(
        back.flight_descriptor.unwrap().descriptor_type(),
        DescriptorType::from_i32(9)
    );
    assert_eq!(check_polls(&[poll.clone(), poll.completed()]), []);

    // Metadata bytes with a field this crate does not know: skipped.
    let mut bytes = running(&[]).with_progress(0.5).unwrap().encode_to_vec();
    bytes.extend_from_slice(&[0xa0, 0x06, 0x01]); // field 100, varint 1
    let op = Operation {
        name: NAME.into(),
        metadata: Some(Any {
            type_url: "type.googleapis.com/arrow.flight.protocol.PollInfo".into(),
            value: bytes.into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        poll_info_from_operation(&op, retry()).unwrap().progress,
        Some(0.5)
    );
}

// ---- PollInfoSequence rules ----------------------------------------------

#[test]
fn append_only_passes_when_later_answers_append() {
    let polls = [
        running(&[]),
        running(&["a"]),
        running(&["a"]),
        running(&["a", "b", "c"]),
        running(&["a", "b", "c"]).completed(),
    ];
    assert_eq!(check_polls(&polls), []);
}

#[test]
fn append_only_fails_when_an_endpoint_is_removed_or_changed() {
    let found = check_polls(&[running(&["a", "b"]), running(&["a"])]);
    assert_eq!(
        found,
        [(
            "poll_info[1].info.endpoint".to_string(),
            Rule::PollAppendOnly
        )]
    );

    let found = check_polls(&[running(&["a", "b"]), running(&["a", "x", "c"])]);
    assert_eq!(
        found,
        [(
            "poll_info[1].info.endpoint[1]".to_string(),
            Rule::PollAppendOnly
        )]
    );

    // Losing info altogether removes every endpoint.
    let mut lost = running(&[]);
    lost.info = None;
    let found = check_polls(&[running(&["a"]), lost]);
    assert_eq!(
        found,
        [(
            "poll_info[1].info.endpoint".to_string(),
            Rule::PollAppendOnly
        )]
    );

    // Still compared with the longest list, two answers later.
    let found = check_polls(&[running(&["a", "b"]), running(&["a"]), running(&["a"])]);
    assert_eq!(found.len(), 2);
    assert_eq!(found[1].0, "poll_info[2].info.endpoint");

    // The message says what and where.
    let mut sequence = PollInfoSequence::new();
    sequence.check(&running(&["a", "b"]), NOW);
    let found = sequence.check(&running(&["b", "a"]), NOW);
    assert_eq!(
        found[0].to_string(),
        "poll_info[1].info.endpoint[0]: differs from endpoint[0] of poll_info[0]: later answers may only append (poll_info.append_only)"
    );
}

#[test]
fn reopened_passes_when_a_complete_query_stays_complete() {
    let last = running(&["a"]).completed();
    assert_eq!(check_polls(&[running(&["a"]), last.clone(), last]), []);
}

#[test]
fn reopened_fails_when_the_descriptor_comes_back() {
    let found = check_polls(&[running(&["a"]).completed(), running(&["a"])]);
    assert_eq!(
        found,
        [(
            "poll_info[1].flight_descriptor".to_string(),
            Rule::PollReopened
        )]
    );
}

#[test]
fn expired_passes_for_a_future_expiration_or_a_complete_query() {
    let future = Timestamp {
        seconds: NOW.seconds,
        nanos: 1,
        ..Default::default()
    };
    let past = Timestamp {
        seconds: NOW.seconds - 10,
        nanos: 0,
        ..Default::default()
    };
    let polls = [
        running(&["a"]).with_expiration_time(NOW), // not before now
        running(&["a"]).with_expiration_time(future),
        running(&["a"]).with_expiration_time(past).completed(),
    ];
    assert_eq!(check_polls(&polls), []);
}

#[test]
fn expired_fails_for_a_running_query_whose_expiration_passed() {
    let past = Timestamp {
        seconds: NOW.seconds - 1,
        nanos: 999_999_999,
        ..Default::default()
    };
    let found = check_polls(&[running(&["a"]), running(&["a"]).with_expiration_time(past)]);
    assert_eq!(
        found,
        [(
            "poll_info[1].expiration_time".to_string(),
            Rule::PollExpired
        )]
    );
}

#[test]
fn progress_passes_inside_zero_to_one() {
    let polls = [
        running(&[]).with_progress(0.0).unwrap(),
        running(&[]).with_progress(0.9).unwrap(),
        // Need not be monotonic.
        running(&[]).with_progress(0.1).unwrap(),
        running(&[]).with_progress(1.0).unwrap().completed(),
    ];
    assert_eq!(check_polls(&polls), []);
}

#[test]
fn progress_fails_outside_zero_to_one() {
    for bad in [1.5, -0.0001, f64::NAN] {
        let mut poll = running(&[]);
        poll.progress = Some(bad); // the builder refuses it; a peer may not
        assert!(running(&[]).with_progress(bad).is_err());
        let found = check_polls(&[running(&[]), poll]);
        assert_eq!(
            found,
            [("poll_info[1].progress".to_string(), Rule::Range)],
            "{bad}"
        );
    }
}

#[test]
fn complete_without_info_fails_and_with_info_passes() {
    assert_eq!(check_polls(&[running(&[]).completed()]), []);
    let found = check_polls(&[running(&[]), PollInfo::default()]);
    assert!(
        found.contains(&("poll_info[1].info".to_string(), Rule::Required)),
        "{found:?}"
    );
}

// ---- OperationSequence rules ---------------------------------------------

#[test]
fn renamed_passes_for_one_name_and_fails_for_another() {
    let ops = [Operation::running(NAME), Operation::running(NAME)];
    assert_eq!(check_operations(&ops), []);

    let ops = [
        Operation::running(NAME),
        Operation::running(NAME),
        Operation::running("projects/p/operations/query-2"),
    ];
    assert_eq!(
        check_operations(&ops),
        [("operation[2].name".to_string(), Rule::OperationRenamed)]
    );
}

#[test]
fn final_passes_when_a_done_operation_keeps_its_result() {
    let mut done = Operation::running(NAME);
    done.succeed(&info()).unwrap();
    // Metadata may still change after done; the result may not.
    let later = done.clone().with_metadata(&DoubleValue {
        value: 1.0,
        ..Default::default()
    });
    assert_eq!(
        check_operations(&[Operation::running(NAME), done.clone(), done, later]),
        []
    );
}

#[test]
fn final_fails_when_a_done_operation_changes() {
    let mut done = Operation::running(NAME);
    done.succeed(&info()).unwrap();

    let mut other = Operation::running(NAME);
    other
        .succeed(&Empty {
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        check_operations(&[done.clone(), other]),
        [("operation[1].response".to_string(), Rule::OperationFinal)]
    );

    let mut failed = Operation::running(NAME);
    failed.fail(Status::internal("late failure")).unwrap();
    assert_eq!(
        check_operations(&[done.clone(), failed]),
        [("operation[1].error".to_string(), Rule::OperationFinal)]
    );

    assert_eq!(
        check_operations(&[done, Operation::running(NAME)]),
        [("operation[1].done".to_string(), Rule::OperationFinal)]
    );
}

#[test]
fn operation_sequences_also_report_the_rules_of_each_message() {
    let broken = Operation {
        name: NAME.into(),
        done: true,
        ..Default::default()
    };
    assert_eq!(
        check_operations(&[Operation::running(NAME), broken]),
        [("operation[1].result".to_string(), Rule::DoneWithoutResult)]
    );
}

// ---- Properties ------------------------------------------------------------

/// One poll of a plan: the endpoints that appear, a progress, and how long
/// until the descriptor expires (in seconds after `NOW`).
#[derive(Debug, Clone)]
struct Step {
    new_endpoints: Vec<FlightEndpoint>,
    progress: Option<f64>,
    expires_in: Option<i64>,
}

fn arb_endpoint() -> impl Strategy<Value = FlightEndpoint> {
    (
        proptest::collection::vec(any::<u8>(), 0..12),
        proptest::sample::select(vec![
            "",
            "grpc+tcp://10.0.0.1:8815",
            "arrow-flight-reuse-connection://?",
        ]),
        proptest::option::of(0i64..4_000_000_000),
        proptest::collection::vec(any::<u8>(), 0..4),
    )
        .prop_map(|(ticket, uri, expires, app_metadata)| FlightEndpoint {
            ticket: Some(Ticket {
                ticket: ticket.into(),
                ..Default::default()
            }),
            location: vec![Location {
                uri: uri.into(),
                ..Default::default()
            }],
            expiration_time: expires.map(|seconds| Timestamp {
                seconds,
                nanos: 0,
                ..Default::default()
            }),
            app_metadata: app_metadata.into(),
            ..Default::default()
        })
}

fn arb_step() -> impl Strategy<Value = Step> {
    (
        proptest::collection::vec(arb_endpoint(), 0..3),
        proptest::option::of(0.0f64..=1.0),
        proptest::option::of(0i64..100_000),
    )
        .prop_map(|(new_endpoints, progress, expires_in)| Step {
            new_endpoints,
            progress,
            expires_in,
        })
}

/// A descriptor to poll again with: CMD, PATH, or a type this crate does not know.
fn arb_retry() -> impl Strategy<Value = FlightDescriptor> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 1..8).prop_map(FlightDescriptor::command),
        Just(FlightDescriptor {
            r#type: DescriptorType::PATH.as_i32(),
            cmd: Bytes::new(),
            path: vec!["queries".into(), "q1".into()],
            ..Default::default()
        }),
        (3i32..1000).prop_map(|r#type| FlightDescriptor {
            r#type,
            cmd: "future".into(),
            path: vec![],
            ..Default::default()
        }),
    ]
}

/// The answers a server built with the helpers gives for a plan.
fn build(
    first: &FlightInfo,
    retry: &FlightDescriptor,
    steps: &[Step],
    complete: bool,
) -> Vec<PollInfo> {
    let mut polls = Vec::new();
    let mut poll = PollInfo::started(first.clone(), retry.clone());
    for step in steps {
        poll = poll.next(step.new_endpoints.iter().cloned());
        poll.progress = None;
        if let Some(progress) = step.progress {
            poll = poll
                .with_progress(progress)
                .expect("the plan's progress is in [0, 1]");
        }
        if let Some(seconds) = step.expires_in {
            poll = poll.with_expiration_time(Timestamp {
                seconds: NOW.seconds + seconds,
                nanos: 0,
                ..Default::default()
            });
        }
        polls.push(poll.clone());
    }
    if complete {
        polls.push(poll.completed());
    }
    polls
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sequences_built_by_the_helpers_keep_every_promise(
        total_records in -1i64..1000,
        ordered in any::<bool>(),
        first_endpoints in proptest::collection::vec(arb_endpoint(), 0..3),
        retry in arb_retry(),
        steps in proptest::collection::vec(arb_step(), 1..8),
        complete in any::<bool>(),
    ) {
        let first = FlightInfo { endpoint: first_endpoints, total_records, total_bytes: -1, ordered, ..info() };
        let polls = build(&first, &retry, &steps, complete);

        let mut poll_sequence = PollInfoSequence::new();
        let mut op_sequence = OperationSequence::new();
        for poll in &polls {
            let found = poll_sequence.check(poll, NOW);
            prop_assert!(found.is_empty(), "{:?}", found);
            let op = operation_from_poll_info(NAME, poll);
            let found = op_sequence.check(&op);
            prop_assert!(found.is_empty(), "{:?}", found);
            prop_assert_eq!(op.done, poll.is_complete());

            // And back: the same PollInfo, but a complete query has no
            // expiration to speak of.
            let back = poll_info_from_operation(&op, retry.clone()).unwrap();
            let mut expected = poll.clone();
            if expected.is_complete() {
                expected.expiration_time = None;
            }
            prop_assert_eq!(back, expected);
        }
        prop_assert_eq!(poll_sequence.is_complete(), complete);
        prop_assert_eq!(poll_sequence.len(), polls.len());

        // The operations of a Google-style backend, polled through the
        // gateway in the other direction, keep Flight's promises too.
        let mut flight_side = PollInfoSequence::new();
        for poll in &polls {
            let op = operation_from_poll_info(NAME, poll);
            let again = poll_info_from_operation(&op, retry.clone()).unwrap();
            let found = flight_side.check(&again, NOW);
            prop_assert!(found.is_empty(), "{:?}", found);
        }
    }

    #[test]
    fn dropping_an_endpoint_anywhere_is_caught(
        retry in arb_retry(),
        steps in proptest::collection::vec(arb_step(), 2..6),
        pick in any::<prop::sample::Index>(),
    ) {
        let polls = build(&info(), &retry, &steps, true);
        let count = polls.last().and_then(|p| p.info.as_ref()).map_or(0, |i| i.endpoint.len());
        prop_assume!(count > 0);
        let mut broken = polls.last().unwrap().clone();
        broken.info.as_mut().unwrap().endpoint.remove(pick.index(count));
        let mut sequence = PollInfoSequence::new();
        let mut found = Vec::new();
        for poll in polls.iter().chain([&broken]) {
            found.extend(sequence.check(poll, NOW));
        }
        prop_assert!(found.iter().any(|v| v.rule() == Rule::PollAppendOnly), "{:?}", found);
    }
}

#[test]
fn the_helpers_never_take_endpoints_away() {
    let a = running(&["a"]);
    let b = a.next([]);
    assert_eq!(b, a);
    let c = b.next([endpoint("b")]);
    assert_eq!(
        c.info.as_ref().unwrap().endpoint[..1],
        a.info.as_ref().unwrap().endpoint[..]
    );
    // A PollInfo without info gets one, with unknown totals.
    let grown = PollInfo {
        flight_descriptor: Some(retry()),
        ..Default::default()
    }
    .next([endpoint("x")]);
    let grown_info = grown.info.unwrap();
    assert_eq!(
        (grown_info.total_records, grown_info.endpoint.len()),
        (-1, 1)
    );
}
