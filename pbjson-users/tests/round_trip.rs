//! pbjson-generated messages that hold cancelwire's types: their JSON is
//! pbjson's for the user's fields and cancelwire's for ours, and both
//! formats round-trip.

use cancelwire::flight::{DescriptorType, FlightDescriptor, Ticket};
use cancelwire::json::JsonOptions;
use cancelwire::longrunning::Operation;
use cancelwire::registry::Registry;
use cancelwire::rpc::{Code, ErrorInfo, Status};
use cancelwire::wkt::{Any, Duration, Timestamp};
use pbjson_users::acme::jobs::v1::{JobProgress, Phase, job_progress::Destination};
use prost::Message;
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// A JobProgress with every field set, each of cancelwire's types in it
/// holding something that has a special JSON form.
fn progress() -> JobProgress {
    let detail = ErrorInfo {
        reason: "QUOTA".into(),
        domain: "jobs.acme.example".into(),
        metadata: [("table".to_owned(), "events".to_owned())].into(),
        ..Default::default()
    };
    JobProgress {
        job_id: "job-7".into(),
        // Above 2^53: only exact if printed as a string.
        rows_done: (1 << 53) + 1,
        fraction_done: 0.25,
        started_at: Some(Timestamp {
            seconds: 1_700_000_000,
            nanos: 500_000_000,
            ..Default::default()
        }),
        elapsed: Some(Duration {
            seconds: 90,
            nanos: 1_000,
            ..Default::default()
        }),
        tables: vec!["events".into(), "users".into()],
        labels: [("team".to_owned(), "storage".to_owned())].into(),
        phase: Phase::Running.into(),
        last_error: Some(Status {
            code: Code::UNAVAILABLE.into(),
            message: "backend restarting".into(),
            details: vec![Any::from_msg(&detail).unwrap()],
            ..Default::default()
        }),
        parent: Some(Operation {
            name: "operations/parent-1".into(),
            metadata: Some(
                Any::from_msg(&Timestamp {
                    seconds: 1,
                    nanos: 0,
                    ..Default::default()
                })
                .unwrap(),
            ),
            done: false,
            result: None,
            ..Default::default()
        }),
        source: Some(FlightDescriptor {
            r#type: DescriptorType::CMD.into(),
            cmd: bytes::Bytes::from_static(b"\x00SELECT 1\xff"),
            path: vec![],
            ..Default::default()
        }),
        destination: Some(Destination::Ticket(Ticket {
            ticket: bytes::Bytes::from_static(b"t-1"),
            ..Default::default()
        })),
    }
}

/// The printed object's fields, each as the exact text it was printed as.
fn printed_fields(json: &str) -> BTreeMap<String, Box<RawValue>> {
    serde_json::from_str(json).unwrap()
}

#[test]
fn cancelwire_fields_print_exactly_as_cancelwire_json_prints_them_alone() {
    let progress = progress();
    let json = serde_json::to_string(&progress).unwrap();
    let fields = printed_fields(&json);
    let alone = |field: &str, printed: String| {
        assert_eq!(fields[field].get(), printed, "field {field}");
    };
    alone(
        "startedAt",
        cancelwire::json::to_string(progress.started_at.as_ref().unwrap()).unwrap(),
    );
    alone(
        "elapsed",
        cancelwire::json::to_string(progress.elapsed.as_ref().unwrap()).unwrap(),
    );
    alone(
        "lastError",
        cancelwire::json::to_string(progress.last_error.as_ref().unwrap()).unwrap(),
    );
    alone(
        "parent",
        cancelwire::json::to_string(progress.parent.as_ref().unwrap()).unwrap(),
    );
    alone(
        "source",
        cancelwire::json::to_string(progress.source.as_ref().unwrap()).unwrap(),
    );
    let Some(Destination::Ticket(ticket)) = &progress.destination else {
        unreachable!()
    };
    alone("ticket", cancelwire::json::to_string(ticket).unwrap());
}

#[test]
fn nested_cancelwire_fields_use_their_special_forms() {
    let fields = printed_fields(&serde_json::to_string(&progress()).unwrap());
    // ProtoJSON: a Timestamp is an RFC 3339 string in UTC, a Duration a
    // string of seconds, an Any carries its payload with `@type`.
    assert!(fields["startedAt"].get().ends_with("Z\""));
    assert!(fields["elapsed"].get().ends_with("s\""));
    assert!(
        fields["lastError"]
            .get()
            .contains(r#""@type":"type.googleapis.com/google.rpc.ErrorInfo""#)
    );
}

#[test]
fn user_fields_print_as_pbjson_prints_them() {
    let fields = printed_fields(&serde_json::to_string(&progress()).unwrap());
    // ProtoJSON: 64-bit integers as strings, enums by name, maps as objects.
    assert_eq!(fields["rowsDone"].get(), r#""9007199254740993""#);
    assert_eq!(fields["phase"].get(), r#""PHASE_RUNNING""#);
    assert_eq!(fields["labels"].get(), r#"{"team":"storage"}"#);
}

#[test]
fn job_progress_json_parses_back_equal() {
    let mut progress = progress();
    let json = serde_json::to_string(&progress).unwrap();
    assert_eq!(
        serde_json::from_str::<JobProgress>(&json).unwrap(),
        progress
    );
    // The scalar side of the oneof too.
    progress.destination = Some(Destination::TableName("results".into()));
    let json = serde_json::to_string(&progress).unwrap();
    assert_eq!(
        serde_json::from_str::<JobProgress>(&json).unwrap(),
        progress
    );
}

#[test]
fn unknown_enum_numbers_inside_cancelwire_fields_survive_json() {
    let mut progress = progress();
    // A DescriptorType this version does not know prints as its number.
    progress.source.as_mut().unwrap().r#type = 42;
    let json = serde_json::to_string(&progress).unwrap();
    assert!(json.contains(r#""source":{"type":42,"#), "{json}");
    assert_eq!(
        serde_json::from_str::<JobProgress>(&json).unwrap(),
        progress
    );
}

#[test]
fn nested_cancelwire_fields_are_parsed_by_cancelwire_rules() {
    // The spec allows offsets from -23:59 to +23:59; cancelwire rejects
    // +24:00 (see cancelwire::json), and so does the pbjson message around it.
    let bad = r#"{"jobId":"j","startedAt":"2023-11-14T22:13:20+24:00"}"#;
    assert!(serde_json::from_str::<JobProgress>(bad).is_err());
    let good = r#"{"jobId":"j","startedAt":"2023-11-14T22:13:20+01:00"}"#;
    let parsed: JobProgress = serde_json::from_str(good).unwrap();
    let expected: Timestamp = "2023-11-14T21:13:20Z".parse().unwrap();
    assert_eq!(parsed.started_at, Some(expected));
}

#[test]
fn job_progress_binary_round_trips_through_prost() {
    let progress = progress();
    let bytes = progress.encode_to_vec();
    assert_eq!(JobProgress::decode(&bytes[..]).unwrap(), progress);
}

#[test]
fn job_progress_packed_in_operation_metadata_round_trips_binary() {
    let progress = progress();
    let mut operation = Operation {
        name: "operations/job-7".into(),
        ..Default::default()
    };
    operation.set_metadata(&progress);
    assert_eq!(
        operation.metadata.as_ref().unwrap().type_url,
        "type.googleapis.com/acme.jobs.v1.JobProgress"
    );
    let decoded = Operation::decode(&operation.encode_to_vec()[..]).unwrap();
    assert_eq!(decoded, operation);
    assert_eq!(
        decoded.metadata_as::<JobProgress>().unwrap(),
        Some(progress)
    );
}

#[test]
fn operation_with_registered_job_progress_prints_payload_with_pbjson_and_parses_back() {
    let progress = progress();
    let mut operation = Operation {
        name: "operations/job-7".into(),
        ..Default::default()
    };
    operation.set_metadata(&progress);
    let mut registry = Registry::default();
    registry.register::<JobProgress>();
    let options = JsonOptions::new().registry(registry);

    let json = options.to_string(&operation).unwrap();
    // The metadata is the payload's own JSON (pbjson's, with ours nested)
    // plus `@type`.
    let printed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut expected = serde_json::to_value(&progress).unwrap();
    expected.as_object_mut().unwrap().insert(
        "@type".into(),
        "type.googleapis.com/acme.jobs.v1.JobProgress".into(),
    );
    assert_eq!(printed["metadata"], expected);

    let parsed: Operation = options.from_str(&json).unwrap();
    assert_eq!(parsed, operation);
    assert_eq!(parsed.metadata_as::<JobProgress>().unwrap(), Some(progress));
}

#[test]
fn operation_with_unregistered_job_progress_does_not_print() {
    let mut operation = Operation::default();
    operation.set_metadata(&progress());
    let error = cancelwire::json::to_string(&operation).unwrap_err();
    assert!(
        error.to_string().contains("acme.jobs.v1.JobProgress"),
        "{error}"
    );
}
