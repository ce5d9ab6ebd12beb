//! The exact schedule of polls, retries and give-ups, on a paused tokio
//! clock (`start_paused`: time moves only when every task waits, straight
//! to the next timer), against the scripted servers of `scripted.rs`.

use crate::scripted::*;
use cancelwire::client::{
    BestEffortCancel, CallError, CancelOutcome, ClientError, ErrorPolicy, FlightQueries, Limit,
    OperationPoller, Operations, PollOptions, PollingBackoff, PollingResult, RetryBackoff, Watch,
};
use cancelwire::flight::{
    CancelStatus, FlightDescriptor, FlightEndpoint, FlightInfo, PollInfo, Ticket,
};
use cancelwire::longrunning::{Operation, OperationError};
use cancelwire::rpc::{Code, Status};
use cancelwire::validate::Rule;
use cancelwire::wkt::{DoubleValue, Timestamp};
use futures::StreamExt;
use std::time::Duration;

const S: fn(u64) -> Duration = Duration::from_secs;

fn exact() -> PollOptions {
    PollOptions::default()
        .with_retry(RetryBackoff::default().without_jitter())
        .with_wait(false)
}

fn ops(server: &ScriptedOperation, options: PollOptions) -> Operations<ScriptedOperation> {
    Operations::new(server.clone()).with_options(options)
}

type Poller = OperationPoller<ScriptedOperation, Timestamp, DoubleValue>;

fn resume(server: &ScriptedOperation, options: PollOptions) -> Poller {
    ops(server, options).resume("operations/op-1")
}

// ---- Google operations ----

#[tokio::test(start_paused = true)]
async fn polls_double_from_one_second_to_the_sixty_second_cap() {
    let server = ScriptedOperation::new("operations/op-1", S(183));
    let done = resume(&server, exact()).until_done().await.unwrap();
    assert_eq!(done.seconds, 1_800_000_183);
    // Waits of 1, 2, 4, 8, 16, 32, then 60 s (google-cloud-rust's defaults).
    assert_eq!(
        secs(&server.log()),
        [0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 63.0, 123.0, 183.0]
    );
    assert!(server.log().iter().all(|l| l.rpc == "GetOperation"));
    // Every call carries the default 30 s per-call timeout.
    assert!(server.log().iter().all(|l| l.timeout == Some(S(30))));
}

#[tokio::test(start_paused = true)]
async fn a_custom_polling_backoff_is_followed() {
    let server = ScriptedOperation::new("operations/op-1", Duration::from_millis(2_000));
    let options = exact().with_polling(
        PollingBackoff::new(Duration::from_millis(100), Duration::from_millis(500), 3.0).unwrap(),
    );
    resume(&server, options).until_done().await.unwrap();
    // 0, +0.1, +0.3, +0.5 (capped), +0.5, ...
    assert_eq!(secs(&server.log()), [0.0, 0.1, 0.4, 0.9, 1.4, 1.9, 2.4]);
}

#[tokio::test(start_paused = true)]
async fn unavailable_is_retried_with_the_retry_backoff() {
    let unavailable = || Err(status(Code::UNAVAILABLE, "restarting"));
    let server = ScriptedOperation::new("operations/op-1", S(4)).with(|s| {
        s.injected
            .extend([unavailable(), unavailable(), unavailable()]);
    });
    let mut poller = resume(&server, exact());
    let mut steps = Vec::new();
    while let Some(step) = poller.poll().await {
        steps.push(match step {
            PollingResult::InProgress(_) => "in progress".to_owned(),
            PollingResult::PollingError(e) => format!("retry after {}", e.code()),
            PollingResult::Completed(r) => format!("completed {}", r.is_ok()),
        });
    }
    assert_eq!(
        steps,
        [
            "retry after UNAVAILABLE",
            "retry after UNAVAILABLE",
            "retry after UNAVAILABLE",
            "completed true"
        ]
    );
    // Retries after 1, 2 and 4 s; the answer at 7 s is done (done at 4 s).
    assert_eq!(secs(&server.log()), [0.0, 1.0, 3.0, 7.0]);
}

#[tokio::test(start_paused = true)]
async fn after_a_retry_the_polling_backoff_goes_on_where_it_was() {
    let server = ScriptedOperation::new("operations/op-1", S(100)).with(|s| {
        s.injected.extend([
            Ok(Operation::running("operations/op-1")),
            Ok(Operation::running("operations/op-1")),
            Err(status(Code::UNAVAILABLE, "blip")),
        ]);
    });
    let options = exact().with_max_attempts(5);
    let err = resume(&server, options).until_done().await.unwrap_err();
    // Polls at 0 and 1 (in progress), 3 fails, retry after 1 s at 4, then
    // the third polling wait (4 s) at 8 s, which hits the limit of 5.
    assert_eq!(secs(&server.log()), [0.0, 1.0, 3.0, 4.0, 8.0]);
    assert_eq!(
        err,
        ClientError::Exhausted {
            limit: Limit::Attempts(5),
            attempts: 5,
            elapsed: S(8),
            last: None
        }
    );
}

#[tokio::test(start_paused = true)]
async fn aip194_strict_ends_at_the_first_other_error() {
    let server = ScriptedOperation::new("operations/op-1", S(100)).with(|s| {
        s.injected
            .push_back(Err(status(Code::PERMISSION_DENIED, "no access")));
    });
    let err = resume(&server, exact()).until_done().await.unwrap_err();
    assert_eq!(secs(&server.log()), [0.0]);
    assert_eq!(
        err.to_string(),
        "GetOperation, attempt 1: PERMISSION_DENIED: no access"
    );
}

#[tokio::test(start_paused = true)]
async fn a_lenient_policy_retries_the_codes_it_names() {
    let server = ScriptedOperation::new("operations/op-1", S(1)).with(|s| {
        s.injected
            .push_back(Err(status(Code::RESOURCE_EXHAUSTED, "quota")));
    });
    let options = exact().with_errors(ErrorPolicy::ContinueOn(vec![Code::RESOURCE_EXHAUSTED]));
    resume(&server, options).until_done().await.unwrap();
    assert_eq!(secs(&server.log()), [0.0, 1.0]);
}

#[tokio::test(start_paused = true)]
async fn retryable_errors_give_up_at_the_attempt_limit() {
    let server = ScriptedOperation::new("operations/op-1", S(100)).with(|s| {
        for _ in 0..10 {
            s.injected.push_back(Err(status(Code::UNAVAILABLE, "down")));
        }
    });
    let err = resume(&server, exact().with_max_attempts(4))
        .until_done()
        .await
        .unwrap_err();
    assert_eq!(secs(&server.log()), [0.0, 1.0, 3.0, 7.0]);
    assert_eq!(
        err,
        ClientError::Exhausted {
            limit: Limit::Attempts(4),
            attempts: 4,
            elapsed: S(7),
            last: Some(status(Code::UNAVAILABLE, "down"))
        }
    );
}

#[tokio::test(start_paused = true)]
async fn polling_gives_up_at_the_elapsed_time_limit() {
    let server = ScriptedOperation::new("operations/op-1", S(1000));
    let err = resume(&server, exact().with_max_elapsed(S(10)))
        .until_done()
        .await
        .unwrap_err();
    // At 7 s less than 10 s had passed; the answer at 15 s ends it.
    assert_eq!(secs(&server.log()), [0.0, 1.0, 3.0, 7.0, 15.0]);
    assert!(matches!(
        err,
        ClientError::Exhausted { limit: Limit::Elapsed(l), attempts: 5, last: None, .. } if l == S(10)
    ));
}

#[tokio::test(start_paused = true)]
async fn the_deadline_cuts_a_wait_short_and_leaves_the_operation_running() {
    let server = ScriptedOperation::new("operations/op-1", S(1000));
    let started = tokio::time::Instant::now();
    let err = resume(&server, exact().with_deadline(S(5)))
        .until_done()
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), S(5));
    assert_eq!(secs(&server.log()), [0.0, 1.0, 3.0]);
    assert_eq!(
        err,
        ClientError::DeadlineExceeded {
            deadline: S(5),
            attempts: 3,
            cancel: None
        }
    );
    // No CancelOperation: an operation outlives its poller, to be resumed.
    assert!(server.log().iter().all(|l| l.rpc == "GetOperation"));
}

#[tokio::test(start_paused = true)]
async fn a_slow_answer_is_cut_by_the_per_call_timeout_and_retried() {
    let server = ScriptedOperation::new("operations/op-1", S(1)).with(|s| s.slow.push_back(S(600)));
    let options = exact().with_call_timeout(Some(Duration::from_millis(500)));
    let mut poller = resume(&server, options);
    let first = poller.poll().await.unwrap();
    assert_eq!(
        first,
        PollingResult::PollingError(ClientError::Call {
            rpc: "GetOperation",
            attempt: 1,
            error: CallError::Timeout {
                after: Duration::from_millis(500)
            }
        })
    );
    assert!(matches!(
        poller.poll().await,
        Some(PollingResult::Completed(Ok(_)))
    ));
    // Cut at 0.5 s, retried 1 s later.
    assert_eq!(secs(&server.log()), [0.0, 1.5]);
}

#[tokio::test(start_paused = true)]
async fn a_wait_operation_is_bounded_by_its_wait_plus_the_per_call_timeout() {
    let server =
        ScriptedOperation::new("operations/op-1", S(3)).with(|s| s.wait_unimplemented = false);
    let options = exact()
        .with_wait(true)
        .with_call_timeout(Some(Duration::from_millis(500)));
    resume(&server, options).until_done().await.unwrap();
    let log = server.log();
    assert_eq!(
        rpcs(&log),
        ["GetOperation", "WaitOperation", "WaitOperation"]
    );
    assert_eq!(
        (log[1].detail.as_str(), log[1].timeout),
        ("1s", Some(Duration::from_millis(1_500)))
    );
    assert_eq!(
        (log[2].detail.as_str(), log[2].timeout),
        ("2s", Some(Duration::from_millis(2_500)))
    );
}

#[tokio::test(start_paused = true)]
async fn terminal_states_are_typed() {
    // Done with an error.
    let server = ScriptedOperation::new("operations/op-1", S(100)).with(|s| {
        let mut op = Operation::running("operations/op-1");
        op.fail(Status::internal("disk full")).unwrap();
        s.injected.push_back(Ok(op));
    });
    let err = resume(&server, exact()).until_done().await.unwrap_err();
    assert_eq!(err, ClientError::Failed(Status::internal("disk full")));

    // Cancelled.
    let server = ScriptedOperation::new("operations/op-1", S(100)).with(|s| {
        let mut op = Operation::running("operations/op-1");
        op.cancel("by the user").unwrap();
        s.injected.push_back(Ok(op));
    });
    let err = resume(&server, exact()).until_done().await.unwrap_err();
    assert!(
        matches!(err, ClientError::Cancelled(ref s) if s.message == "by the user"),
        "{err}"
    );

    // A response of another type: the error names both types.
    let server = ScriptedOperation::new("operations/op-1", S(100)).with(|s| {
        let mut op = Operation::running("operations/op-1");
        op.succeed(&DoubleValue::default()).unwrap();
        s.injected.push_back(Ok(op));
    });
    let err = resume(&server, exact()).until_done().await.unwrap_err();
    assert!(matches!(
        err,
        ClientError::Operation(OperationError::Response { .. })
    ));
    let text = err.to_string();
    assert!(
        text.contains("google.protobuf.Timestamp") && text.contains("google.protobuf.DoubleValue"),
        "{text}"
    );

    // Metadata of another type.
    let server = ScriptedOperation::new("operations/op-1", S(100)).with(|s| {
        s.injected.push_back(Ok(
            Operation::running("operations/op-1").with_metadata(&Timestamp::default())
        ));
    });
    let err = resume(&server, exact()).until_done().await.unwrap_err();
    assert!(matches!(err, ClientError::Metadata { .. }), "{err}");
    assert!(
        err.to_string()
            .starts_with("operation.metadata of `operations/op-1`"),
        "{err}"
    );

    // A name that changes between answers breaks operations.proto.
    let server = ScriptedOperation::new("operations/op-1", S(100)).with(|s| {
        s.injected
            .push_back(Ok(Operation::running("operations/op-1")));
        s.injected
            .push_back(Ok(Operation::running("operations/op-2")));
    });
    let err = resume(&server, exact()).until_done().await.unwrap_err();
    let ClientError::Broken { violations } = err else {
        panic!("{err}")
    };
    assert_eq!(violations[0].path().as_str(), "operation[1].name");
    assert_eq!(violations[0].rule(), Rule::OperationRenamed);
}

#[tokio::test(start_paused = true)]
async fn wait_operation_is_used_where_the_server_has_it() {
    let server = ScriptedOperation::new("operations/op-1", Duration::from_millis(2_500))
        .with(|s| s.wait_unimplemented = false);
    let client = ops(&server, exact().with_wait(true));
    let started = tokio::time::Instant::now();
    client
        .resume::<Timestamp, DoubleValue>("operations/op-1")
        .until_done()
        .await
        .unwrap();
    // The answer comes when the operation is done, not at the next poll (3 s).
    assert_eq!(started.elapsed(), Duration::from_millis(2_500));
    let log = server.log();
    assert_eq!(
        rpcs(&log),
        ["GetOperation", "WaitOperation", "WaitOperation"]
    );
    assert_eq!(secs(&log), [0.0, 0.0, 1.0]);
    assert_eq!(client.has_wait(), Some(true));
}

#[tokio::test(start_paused = true)]
async fn wait_unimplemented_falls_back_to_get_and_the_client_remembers() {
    let server = ScriptedOperation::new("operations/op-1", S(3));
    let client = ops(&server, exact().with_wait(true));
    client
        .resume::<Timestamp, DoubleValue>("operations/op-1")
        .until_done()
        .await
        .unwrap();
    let log = server.log();
    assert_eq!(
        rpcs(&log),
        [
            "GetOperation",
            "WaitOperation",
            "GetOperation",
            "GetOperation"
        ]
    );
    // The fallback keeps the schedule: GetOperation at 1 s and 3 s.
    assert_eq!(secs(&log), [0.0, 0.0, 1.0, 3.0]);
    assert_eq!(client.has_wait(), Some(false));

    // A second poller of the same client does not try WaitOperation again.
    let before = server.log().len();
    client
        .resume::<Timestamp, DoubleValue>("operations/op-1")
        .until_done()
        .await
        .unwrap();
    assert!(
        server.log()[before..]
            .iter()
            .all(|l| l.rpc == "GetOperation")
    );
}

#[tokio::test(start_paused = true)]
async fn start_reports_the_first_answer_without_a_call() {
    let server = ScriptedOperation::new("operations/op-1", S(1));
    let first = Operation::running("operations/op-1").with_metadata(&DoubleValue {
        value: 0.0,
        ..Default::default()
    });
    let mut poller = ops(&server, exact()).start::<Timestamp, DoubleValue>(first);
    assert!(matches!(
        poller.poll().await,
        Some(PollingResult::InProgress(Some(_)))
    ));
    assert!(server.log().is_empty());
    assert!(matches!(
        poller.poll().await,
        Some(PollingResult::Completed(Ok(_)))
    ));
    assert_eq!(secs(&server.log()), [1.0]);
    assert!(poller.poll().await.is_none());
}

#[tokio::test(start_paused = true)]
async fn the_stream_yields_typed_progress_then_the_result() {
    let server = ScriptedOperation::new("operations/op-1", S(4));
    let steps: Vec<_> = resume(&server, exact()).into_stream().collect().await;
    let progress: Vec<f64> = steps
        .iter()
        .filter_map(|s| match s {
            PollingResult::InProgress(Some(m)) => Some(m.value),
            _ => None,
        })
        .collect();
    assert_eq!(progress, [0.0, 0.25, 0.75]);
    assert!(
        matches!(steps.last(), Some(PollingResult::Completed(Ok(t))) if t.seconds == 1_800_000_004)
    );
    assert_eq!(steps.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn cancel_polls_to_cancelled() {
    let server =
        ScriptedOperation::new("operations/op-1", S(100)).with(|s| s.cancel_takes = Some(S(2)));
    let mut poller = resume(&server, exact());
    assert!(matches!(
        poller.poll().await,
        Some(PollingResult::InProgress(_))
    ));
    let outcome = poller.cancel().await.unwrap();
    assert_eq!(outcome, CancelOutcome::Cancelled);
    let log = server.log();
    assert_eq!(
        rpcs(&log),
        [
            "GetOperation",
            "CancelOperation",
            "GetOperation",
            "GetOperation",
            "GetOperation"
        ]
    );
    // The cancel goes out after the planned 1 s wait; then GetOperation at
    // once and on a fresh backoff: the operation is cancelled at 3 s.
    assert_eq!(secs(&log), [0.0, 1.0, 1.0, 2.0, 4.0]);
}

#[tokio::test(start_paused = true)]
async fn cancel_tells_an_operation_that_completed_anyway() {
    let server = ScriptedOperation::new("operations/op-1", S(2)).with(|s| s.cancel_takes = None);
    let outcome = resume(&server, exact()).cancel().await.unwrap();
    assert!(matches!(outcome, CancelOutcome::Completed(t) if t.seconds == 1_800_000_002));
    assert_eq!(secs(&server.log()), [0.0, 0.0, 1.0, 3.0]);
}

#[tokio::test(start_paused = true)]
async fn cancel_unimplemented_is_not_cancellable_and_deleted_is_gone() {
    let server =
        ScriptedOperation::new("operations/op-1", S(100)).with(|s| s.cancel_unimplemented = true);
    assert_eq!(
        resume(&server, exact()).cancel().await.unwrap(),
        CancelOutcome::NotCancellable
    );
    assert_eq!(rpcs(&server.log()), ["CancelOperation"]);

    let server = ScriptedOperation::new("operations/op-1", S(100)).with(|s| {
        s.cancel_takes = Some(S(10));
        s.injected
            .push_back(Err(status(Code::NOT_FOUND, "deleted")));
    });
    assert_eq!(
        resume(&server, exact()).cancel().await.unwrap(),
        CancelOutcome::Gone
    );
}

#[tokio::test(start_paused = true)]
async fn options_per_poller_override_the_client() {
    let server = ScriptedOperation::new("operations/op-1", S(100));
    let client = ops(&server, exact().with_max_attempts(10));
    let err = client
        .resume::<Timestamp, DoubleValue>("operations/op-1")
        .with_options(exact().with_max_attempts(2))
        .until_done()
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        ClientError::Exhausted {
            limit: Limit::Attempts(2),
            ..
        }
    ));
    assert_eq!(secs(&server.log()), [0.0, 1.0]);
}

// ---- Flight ----

fn endpoint(ticket: &str) -> FlightEndpoint {
    FlightEndpoint {
        ticket: Some(Ticket {
            ticket: ticket.to_owned().into(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn info() -> FlightInfo {
    FlightInfo {
        total_records: -1,
        total_bytes: -1,
        ..Default::default()
    }
}

/// The answers of a query that completes at the `steps`-th poll, one
/// endpoint more each time, with the descriptor `retry-N` to poll again.
fn query(steps: usize) -> Vec<PollInfo> {
    let mut out = Vec::new();
    let mut poll = PollInfo::started(info(), FlightDescriptor::command("retry-1"));
    for i in 1..=steps {
        poll = poll
            .next([endpoint(&format!("e{i}"))])
            .with_progress(i as f64 / steps as f64)
            .unwrap();
        poll.flight_descriptor = Some(FlightDescriptor::command(format!("retry-{i}")));
        if i == steps {
            poll = poll.completed();
        }
        out.push(poll.clone());
    }
    out
}

fn flights(server: &ScriptedFlight, options: PollOptions) -> FlightQueries<ScriptedFlight> {
    FlightQueries::new(server.clone()).with_options(options)
}

#[tokio::test(start_paused = true)]
async fn a_flight_query_is_polled_to_completion_on_the_polling_schedule() {
    let server = ScriptedFlight::new().polls(query(4).into_iter().map(|p| now(Ok(p))));
    let info = flights(&server, exact())
        .poll(FlightDescriptor::command("SELECT 1"))
        .until_done()
        .await
        .unwrap();
    assert_eq!(info.endpoint.len(), 4);
    let log = server.log();
    assert_eq!(secs(&log), [0.0, 1.0, 3.0, 7.0]);
    // Each poll uses the descriptor of the answer before.
    let sent: Vec<&str> = log.iter().map(|l| l.detail.as_str()).collect();
    assert_eq!(sent, ["SELECT 1", "retry-1", "retry-2", "retry-3"]);
}

#[tokio::test(start_paused = true)]
async fn poll_flight_info_unimplemented_falls_back_to_get_flight_info_once_per_client() {
    let server = ScriptedFlight::new()
        .polls([now(Err(status(Code::UNIMPLEMENTED, "no PollFlightInfo")))])
        .gets([
            after(
                S(5),
                Ok(FlightInfo {
                    endpoint: vec![endpoint("a")],
                    ..info()
                }),
            ),
            now(Ok(info())),
        ]);
    let client = flights(&server, exact());
    let done = client
        .poll(FlightDescriptor::command("SELECT 1"))
        .until_done()
        .await
        .unwrap();
    assert_eq!(done.endpoint.len(), 1);
    assert_eq!(client.has_poll_flight_info(), Some(false));
    client
        .poll(FlightDescriptor::command("SELECT 2"))
        .until_done()
        .await
        .unwrap();
    let log = server.log();
    assert_eq!(
        rpcs(&log),
        ["PollFlightInfo", "GetFlightInfo", "GetFlightInfo"]
    );
    assert_eq!(secs(&log), [0.0, 0.0, 5.0]);
    assert_eq!(log[2].detail, "SELECT 2");
}

#[tokio::test(start_paused = true)]
async fn endpoints_that_vanish_break_the_sequence() {
    let answers = query(3);
    let shrunk = PollInfo::started(info(), FlightDescriptor::command("retry-2"));
    let server = ScriptedFlight::new().polls([now(Ok(answers[0].clone())), now(Ok(shrunk))]);
    let err = flights(&server, exact())
        .poll(FlightDescriptor::command("q"))
        .until_done()
        .await
        .unwrap_err();
    let ClientError::Broken { violations } = &err else {
        panic!("{err}")
    };
    assert_eq!(violations[0].path().as_str(), "poll_info[1].info.endpoint");
    assert_eq!(violations[0].rule(), Rule::PollAppendOnly);
    assert_eq!(err.code(), Code::INTERNAL);
}

#[tokio::test(start_paused = true)]
async fn progress_outside_zero_one_breaks_the_sequence() {
    let mut bad = query(2)[0].clone();
    bad.progress = Some(1.5);
    let server = ScriptedFlight::new().polls([now(Ok(bad))]);
    let err = flights(&server, exact())
        .poll(FlightDescriptor::command("q"))
        .until_done()
        .await
        .unwrap_err();
    let ClientError::Broken { violations } = &err else {
        panic!("{err}")
    };
    assert_eq!(violations[0].path().as_str(), "poll_info[0].progress");
    assert_eq!(violations[0].rule(), Rule::Range);
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_query_and_a_failed_one_end_typed() {
    let server = ScriptedFlight::new().polls([
        now(Ok(query(3)[0].clone())),
        now(Err(status(Code::CANCELLED, "query cancelled"))),
    ]);
    let err = flights(&server, exact())
        .poll(FlightDescriptor::command("q"))
        .until_done()
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ClientError::Cancelled(Status::cancelled("query cancelled"))
    );

    let server = ScriptedFlight::new().polls([now(Err(status(Code::INVALID_ARGUMENT, "bad SQL")))]);
    let err = flights(&server, exact())
        .poll(FlightDescriptor::command("q"))
        .until_done()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "PollFlightInfo, attempt 1: INVALID_ARGUMENT: bad SQL"
    );
}

#[tokio::test(start_paused = true)]
async fn flight_retries_unavailable_then_gives_up_at_the_limit() {
    let down = || now(Err(status(Code::UNAVAILABLE, "down")));
    let server =
        ScriptedFlight::new().polls([now(Ok(query(3)[0].clone())), down(), down(), down()]);
    let err = flights(
        &server,
        exact().with_max_attempts(4).with_cancel_on_drop(false),
    )
    .poll(FlightDescriptor::command("q"))
    .until_done()
    .await
    .unwrap_err();
    // Poll at 0, the polling wait of 1 s, then retries after 1 and 2 s.
    assert_eq!(secs(&server.log()), [0.0, 1.0, 2.0, 4.0]);
    assert!(matches!(
        err,
        ClientError::Exhausted {
            limit: Limit::Attempts(4),
            attempts: 4,
            last: Some(_),
            ..
        }
    ));
}

#[tokio::test(start_paused = true)]
async fn a_slow_answer_past_the_deadline_sends_a_bounded_best_effort_cancel() {
    let server = ScriptedFlight::new()
        .polls([
            now(Ok(query(3)[0].clone())),
            after(S(600), Ok(query(3)[1].clone())),
        ])
        .cancels([after(S(600), Ok(cancel_status(CancelStatus::CANCELLED)))]);
    let options = exact().with_deadline(S(3)).with_cancel_timeout(S(2));
    let started = tokio::time::Instant::now();
    let err = flights(&server, options)
        .poll(FlightDescriptor::command("q"))
        .until_done()
        .await
        .unwrap_err();
    // The slow poll (sent at 1 s) is cut at the deadline, 3 s; the cancel
    // is given 2 s, so the caller has its answer at 5 s.
    assert_eq!(started.elapsed(), S(5));
    let log = server.log();
    assert_eq!(
        rpcs(&log),
        ["PollFlightInfo", "PollFlightInfo", "CancelFlightInfo"]
    );
    assert_eq!(secs(&log), [0.0, 1.0, 3.0]);
    assert_eq!(log[1].timeout, Some(S(2)));
    assert_eq!(
        err,
        ClientError::DeadlineExceeded {
            deadline: S(3),
            attempts: 2,
            cancel: Some(BestEffortCancel::Failed(CallError::Timeout { after: S(2) }))
        }
    );
    // The cancel names the query with the latest FlightInfo.
    let sent = server.cancel_requests();
    assert_eq!(sent[0].info.as_ref().unwrap().endpoint, [endpoint("e1")]);
}

#[tokio::test(start_paused = true)]
async fn a_deadline_during_a_wait_sends_the_cancel_and_reports_its_answer() {
    let server = ScriptedFlight::new()
        .polls([now(Ok(query(5)[0].clone()))])
        .cancels([now(Ok(cancel_status(CancelStatus::CANCELLED)))]);
    let err = flights(&server, exact().with_deadline(Duration::from_millis(500)))
        .poll(FlightDescriptor::command("q"))
        .until_done()
        .await
        .unwrap_err();
    assert_eq!(secs(&server.log()), [0.0, 0.5]);
    assert!(matches!(
        err,
        ClientError::DeadlineExceeded {
            cancel: Some(BestEffortCancel::Answered(CancelStatus::CANCELLED)),
            ..
        }
    ));
}

#[tokio::test(start_paused = true)]
async fn a_dropped_poller_sends_a_best_effort_cancel() {
    let server = ScriptedFlight::new()
        .polls([now(Ok(query(3)[0].clone()))])
        .cancels([now(Ok(cancel_status(CancelStatus::CANCELLED)))]);
    let mut poller = flights(&server, exact()).poll(FlightDescriptor::command("q"));
    assert!(matches!(
        poller.poll().await,
        Some(PollingResult::InProgress(Some(_)))
    ));
    drop(poller);
    tokio::time::sleep(Duration::from_millis(1)).await;
    assert_eq!(rpcs(&server.log()), ["PollFlightInfo", "CancelFlightInfo"]);

    // Not once the query completed, nor with cancel_on_drop off.
    let server = ScriptedFlight::new().polls(query(1).into_iter().map(|p| now(Ok(p))));
    let mut poller = flights(&server, exact()).poll(FlightDescriptor::command("q"));
    assert!(matches!(
        poller.poll().await,
        Some(PollingResult::Completed(Ok(_)))
    ));
    drop(poller);
    let server2 = ScriptedFlight::new().polls([now(Ok(query(3)[0].clone()))]);
    let mut poller =
        flights(&server2, exact().with_cancel_on_drop(false)).poll(FlightDescriptor::command("q"));
    poller.poll().await;
    drop(poller);
    tokio::time::sleep(Duration::from_millis(1)).await;
    assert_eq!(rpcs(&server.log()), ["PollFlightInfo"]);
    assert_eq!(rpcs(&server2.log()), ["PollFlightInfo"]);
}

#[tokio::test(start_paused = true)]
async fn cancelling_three_times_then_cancelled() {
    let cancelling = || now(Ok(cancel_status(CancelStatus::CANCELLING)));
    let server = ScriptedFlight::new().cancels([
        cancelling(),
        cancelling(),
        cancelling(),
        now(Ok(cancel_status(CancelStatus::CANCELLED))),
    ]);
    let outcome = flights(&server, exact())
        .canceller()
        .cancel(info())
        .await
        .unwrap();
    assert_eq!(outcome, CancelOutcome::Cancelled);
    // Retried after 1, 2 and 4 s.
    assert_eq!(secs(&server.log()), [0.0, 1.0, 3.0, 7.0]);
}

#[tokio::test(start_paused = true)]
async fn unspecified_is_retried_and_not_cancellable_stops() {
    let server = ScriptedFlight::new().cancels([
        now(Ok(cancel_status(CancelStatus::UNSPECIFIED))),
        now(Ok(cancel_status(CancelStatus::from_i32(9)))),
        now(Ok(cancel_status(CancelStatus::NOT_CANCELLABLE))),
    ]);
    let outcome = flights(&server, exact())
        .canceller()
        .cancel(info())
        .await
        .unwrap();
    assert_eq!(outcome, CancelOutcome::NotCancellable);
    assert_eq!(secs(&server.log()), [0.0, 1.0, 3.0]);
}

#[tokio::test(start_paused = true)]
async fn not_found_after_an_earlier_request_is_gone_but_first_is_an_error() {
    let server = ScriptedFlight::new().cancels([
        now(Ok(cancel_status(CancelStatus::CANCELLING))),
        now(Err(status(Code::NOT_FOUND, "forgotten"))),
    ]);
    let outcome = flights(&server, exact())
        .canceller()
        .cancel(info())
        .await
        .unwrap();
    assert_eq!(outcome, CancelOutcome::Gone);

    let server =
        ScriptedFlight::new().cancels([now(Err(status(Code::NOT_FOUND, "never heard of it")))]);
    let err = flights(&server, exact())
        .canceller()
        .cancel(info())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "CancelFlightInfo, attempt 1: NOT_FOUND: never heard of it"
    );
}

#[tokio::test(start_paused = true)]
async fn cancelling_forever_gives_up_at_the_default_attempts() {
    let server = ScriptedFlight::new()
        .cancels((0..20).map(|_| now(Ok(cancel_status(CancelStatus::CANCELLING)))));
    let err = flights(&server, exact())
        .canceller()
        .cancel(info())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Exhausted {
                limit: Limit::Attempts(10),
                attempts: 10,
                last: None,
                ..
            }
        ),
        "{err}"
    );
    // 1, 2, 4, 8, 16, 32, 60, 60, 60 s between the ten requests.
    assert_eq!(
        secs(&server.log()),
        [0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 63.0, 123.0, 183.0, 243.0]
    );
}

#[tokio::test(start_paused = true)]
async fn retry_jitter_stays_under_the_cap_and_repeats_with_its_seed() {
    async fn run(seed: u64) -> Vec<Duration> {
        let server = ScriptedFlight::new().cancels(
            (0..6)
                .map(|_| now(Ok(cancel_status(CancelStatus::CANCELLING))))
                .chain([now(Ok(cancel_status(CancelStatus::CANCELLED)))]),
        );
        let options = PollOptions::default().with_retry(RetryBackoff::default().with_seed(seed));
        flights(&server, options)
            .canceller()
            .cancel(info())
            .await
            .unwrap();
        let at: Vec<Duration> = server.log().iter().map(|l| l.at).collect();
        at.windows(2).map(|w| w[1] - w[0]).collect()
    }
    let gaps = run(11).await;
    let caps = RetryBackoff::default();
    assert_eq!(gaps.len(), 6);
    for (n, gap) in gaps.iter().enumerate() {
        assert!(*gap <= caps.cap(n as u32 + 1), "wait {n}: {gap:?}");
    }
    assert!(
        gaps.iter()
            .enumerate()
            .any(|(n, g)| *g < caps.cap(n as u32 + 1))
    );
    assert_eq!(run(11).await, gaps);
    assert_ne!(run(12).await, gaps);
}

#[tokio::test(start_paused = true)]
async fn flight_cancel_through_the_poller_uses_the_latest_info() {
    let server = ScriptedFlight::new()
        .polls([now(Ok(query(3)[0].clone()))])
        .cancels([now(Ok(cancel_status(CancelStatus::CANCELLED)))]);
    let mut poller = flights(&server, exact()).poll(FlightDescriptor::command("q"));
    poller.poll().await;
    assert_eq!(poller.cancel().await.unwrap(), CancelOutcome::Cancelled);
    assert_eq!(
        server.cancel_requests()[0].info.as_ref().unwrap().endpoint,
        [endpoint("e1")]
    );
    assert!(poller.poll().await.is_none());
}

// ---- one trait over both ----

/// A gateway's watcher written once: the progress it saw and the outcome.
async fn watch<W: Watch>(mut work: W) -> (Vec<String>, Result<W::Output, ClientError>)
where
    W::Metadata: std::fmt::Debug,
{
    let mut seen = Vec::new();
    while let Some(step) = work.poll().await {
        match step {
            PollingResult::InProgress(_) => seen.push("progress".to_owned()),
            PollingResult::PollingError(e) => seen.push(format!("retry {}", e.code())),
            PollingResult::Completed(outcome) => return (seen, outcome),
        }
    }
    (seen, Err(ClientError::Gone { name: work.name() }))
}

#[tokio::test(start_paused = true)]
async fn one_watcher_serves_both_protocols() {
    let server = ScriptedOperation::new("operations/op-1", S(3));
    let (seen, outcome) = watch(resume(&server, exact())).await;
    assert_eq!(seen, ["progress", "progress"]);
    assert!(outcome.is_ok());

    let server = ScriptedFlight::new().polls(
        [now(Err(status(Code::UNAVAILABLE, "blip")))]
            .into_iter()
            .chain(query(3).into_iter().map(|p| now(Ok(p)))),
    );
    let (seen, outcome) =
        watch(flights(&server, exact()).poll(FlightDescriptor::command("q"))).await;
    assert_eq!(seen, ["retry UNAVAILABLE", "progress", "progress"]);
    assert_eq!(outcome.unwrap().endpoint.len(), 3);
}
