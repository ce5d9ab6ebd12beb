//! The generated `my.jobs.v1` types behave like cancelwire's own: the same
//! JSON rules, open enums, registry entries and binary encoding.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cancelwire::json::{JsonErrorKind, JsonOptions};
use cancelwire::longrunning::Operation;
use cancelwire::registry::Registry;
use cancelwire::rpc::{Code, Status};
use cancelwire::wkt::Timestamp;
use example_jobs::my::jobs::v1::job_progress::{self, Phase};
use example_jobs::my::jobs::v1::{JobProgress, register_types};
use prost::Message;

fn registry() -> Registry {
    let mut registry = Registry::default();
    register_types(&mut registry);
    registry
}

fn full_progress() -> JobProgress {
    JobProgress {
        job_id: "job-1".into(),
        phase: Phase::FINISHING.into(),
        fraction_done: 0.25,
        rows_written: 1 << 40,
        started: Some("2026-11-23T08:00:00.5Z".parse::<Timestamp>().unwrap()),
        labels: [("team".to_owned(), "storage".to_owned())].into(),
        steps: vec![
            job_progress::Step {
                name: "load".into(),
                outcome: Some(job_progress::step::Outcome::Skipped(true)),
                ..Default::default()
            },
            job_progress::Step {
                name: "merge".into(),
                outcome: Some(job_progress::step::Outcome::FailedBecause("disk".into())),
                ..Default::default()
            },
        ],
        last_retry: Some(Status::new(Code::UNAVAILABLE, "try again")),
        last_code: Code::ABORTED.into(),
        checkpoint: bytes::Bytes::from_static(b"\x00\xff"),
        attempt: Some(0),
        ..Default::default()
    }
}

#[test]
fn every_field_prints_and_parses_back() {
    let progress = full_progress();
    let json = serde_json::to_string(&progress).unwrap();
    assert_eq!(
        serde_json::from_str::<JobProgress>(&json).unwrap(),
        progress
    );
}

#[test]
fn cancelwire_types_inside_print_as_they_do_on_their_own() {
    let progress = full_progress();
    let json: serde_json::Value = serde_json::to_value(&progress).unwrap();
    let status = progress.last_retry.as_ref().unwrap();
    assert_eq!(json["lastRetry"], serde_json::to_value(status).unwrap());
    assert_eq!(
        json["started"],
        serde_json::to_value(progress.started.unwrap()).unwrap()
    );
    // Spec forms: 64-bit integers as strings, bytes as base64, enums by name.
    assert_eq!(json["rowsWritten"], "1099511627776");
    assert_eq!(json["checkpoint"], "AP8=");
    assert_eq!(json["lastCode"], "ABORTED");
    // proto3 `optional` prints when set, even to the default.
    assert_eq!(json["attempt"], 0);
}

#[test]
fn unknown_enum_numbers_survive_binary_and_json() {
    let progress = JobProgress {
        phase: 42,
        ..Default::default()
    };
    let bytes = progress.encode_to_vec();
    let decoded = JobProgress::decode(&bytes[..]).unwrap();
    assert_eq!(Phase::from_i32(decoded.phase), Phase::from_i32(42));
    assert!(!Phase::from_i32(decoded.phase).is_known());
    let json = serde_json::to_string(&decoded).unwrap();
    assert_eq!(json, r#"{"phase":42}"#);
    assert_eq!(
        serde_json::from_str::<JobProgress>(&json).unwrap(),
        progress
    );
}

#[test]
fn errors_name_the_field_path_and_the_rule() {
    let err = JsonOptions::new()
        .from_str::<JobProgress>(
            r#"{"steps": [{"name": "a"}, {"skipped": true, "failedBecause": "x"}]}"#,
        )
        .unwrap_err();
    assert_eq!(err.kind(), JsonErrorKind::OneofConflict);
    assert_eq!(err.path(), "job_progress.steps[1].failed_because");
    let err = JsonOptions::new()
        .from_str::<JobProgress>(r#"{"phase": "PHASE_PAUSED"}"#)
        .unwrap_err();
    assert_eq!(err.kind(), JsonErrorKind::UnknownEnumValue);
}

#[test]
fn the_registry_decodes_and_prints_the_payload_of_an_operation() {
    let registry = registry();
    let mut operation = Operation {
        name: "operations/job-1".into(),
        ..Default::default()
    };
    operation.set_metadata(&full_progress());

    // As the CLI does: the type by name, then binary in and JSON out.
    let operation_type = registry.get("google.longrunning.Operation").unwrap();
    let decoded = operation_type
        .decode(operation.encode_to_vec().into())
        .unwrap();
    let options = JsonOptions::new().registry(registry.clone());
    let json = decoded.to_json(&options, false).unwrap();
    let back = operation_type.parse_json(&json, &options).unwrap();
    assert!(back.dyn_eq(&operation));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).unwrap()["metadata"]["@type"],
        "type.googleapis.com/my.jobs.v1.JobProgress"
    );

    // Without our types registered, the payload has no JSON form.
    let err = JsonOptions::new().to_string(&operation).unwrap_err();
    assert!(err.reason().contains("my.jobs.v1.JobProgress"), "{err}");
}
