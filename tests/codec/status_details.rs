//! `google.rpc.Status` as an error, and its details: packing, typed lookup,
//! the standard details, and details of unknown types kept as they came.

use cancelwire::flight::Ticket;
use cancelwire::rpc::{
    BadRequest, Code, DebugInfo, ErrorDetail, ErrorInfo, Help, LocalizedMessage,
    PreconditionFailure, QuotaFailure, RequestInfo, ResourceInfo, RetryInfo, Status, bad_request,
    help,
};
use cancelwire::wkt::{Any, Duration, UnpackError};
use prost::Message;

fn every_standard_detail() -> Vec<ErrorDetail> {
    vec![
        ErrorInfo {
            reason: "R".into(),
            domain: "example.com".into(),
            metadata: [("k".to_string(), "v".to_string())].into(),
            ..Default::default()
        }
        .into(),
        RetryInfo {
            retry_delay: Some(Duration {
                seconds: 1,
                nanos: 5,
                ..Default::default()
            }),
            ..Default::default()
        }
        .into(),
        DebugInfo {
            stack_entries: vec!["a".into()],
            detail: "d".into(),
            ..Default::default()
        }
        .into(),
        QuotaFailure::default().into(),
        PreconditionFailure::default().into(),
        BadRequest {
            field_violations: vec![bad_request::FieldViolation {
                field: "info".into(),
                description: "missing".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
        .into(),
        RequestInfo {
            request_id: "r-1".into(),
            serving_data: String::new(),
            ..Default::default()
        }
        .into(),
        ResourceInfo::default().into(),
        Help {
            links: vec![help::Link {
                description: "docs".into(),
                url: "https://example.com".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
        .into(),
        LocalizedMessage {
            locale: "fr".into(),
            message: "Réessayez".into(),
            ..Default::default()
        }
        .into(),
    ]
}

#[test]
fn every_standard_detail_round_trips_through_any_and_the_wire() {
    let mut status = Status::internal("boom");
    for detail in every_standard_detail() {
        status.details.push(detail.to_any());
    }
    let back: Status = cancelwire::decode(status.encode_to_vec().as_slice()).unwrap();
    let typed: Vec<ErrorDetail> = back.error_details().collect();
    assert_eq!(typed, every_standard_detail());
    assert!(!typed.iter().any(|d| matches!(d, ErrorDetail::Other(_))));
}

#[test]
fn details_of_unknown_types_are_kept_byte_for_byte() {
    let foreign = Any {
        type_url: "type.example.com/acme.v1.Hint".into(),
        value: vec![0x0a, 0x01, b'x'].into(),
        ..Default::default()
    };
    let status = Status {
        details: vec![
            foreign.clone(),
            cancelwire::wkt::Any::from_msg(&Help::default()).unwrap(),
        ],
        ..Status::aborted("retry the transaction")
    };
    let details: Vec<ErrorDetail> = status.error_details().collect();
    assert_eq!(details[0], ErrorDetail::Other(foreign.clone()));
    assert_eq!(details[1], ErrorDetail::Help(Help::default()));
    let rebuilt: Vec<Any> = details.iter().map(ErrorDetail::to_any).collect();
    assert_eq!(rebuilt, status.details);
}

#[test]
fn a_standard_detail_that_does_not_decode_is_kept_not_dropped() {
    let broken = Any {
        type_url: "type.googleapis.com/google.rpc.ErrorInfo".into(),
        value: vec![0x0a, 0x05, b'x'].into(), // length 5, one byte present
        ..Default::default()
    };
    let status = Status {
        details: vec![broken.clone()],
        ..Status::unknown("")
    };
    assert_eq!(
        status.error_details().collect::<Vec<_>>(),
        [ErrorDetail::Other(broken)]
    );
    assert!(matches!(
        status.detail::<ErrorInfo>(),
        Err(UnpackError::Decode { .. })
    ));
}

#[test]
fn detail_finds_the_first_of_its_type_and_ignores_url_prefixes() {
    let first = ErrorInfo {
        reason: "FIRST".into(),
        ..Default::default()
    };
    let mut second = cancelwire::wkt::Any::from_msg(&ErrorInfo {
        reason: "SECOND".into(),
        ..Default::default()
    })
    .unwrap();
    second.type_url = "example.com/google.rpc.ErrorInfo".into();
    let status = Status::unavailable("x")
        .with_detail(&Ticket::default())
        .with_detail(&first);
    let mut status = status;
    status.details.push(second);
    assert_eq!(status.detail::<ErrorInfo>().unwrap(), Some(first));
    assert_eq!(status.detail::<RetryInfo>().unwrap(), None);
    assert_eq!(status.detail::<Ticket>().unwrap(), Some(Ticket::default()));
}

#[test]
fn constructors_set_their_code() {
    let built = [
        (Status::cancelled("m"), Code::CANCELLED),
        (Status::unknown("m"), Code::UNKNOWN),
        (Status::invalid_argument("m"), Code::INVALID_ARGUMENT),
        (Status::deadline_exceeded("m"), Code::DEADLINE_EXCEEDED),
        (Status::not_found("m"), Code::NOT_FOUND),
        (Status::already_exists("m"), Code::ALREADY_EXISTS),
        (Status::permission_denied("m"), Code::PERMISSION_DENIED),
        (Status::resource_exhausted("m"), Code::RESOURCE_EXHAUSTED),
        (Status::failed_precondition("m"), Code::FAILED_PRECONDITION),
        (Status::aborted("m"), Code::ABORTED),
        (Status::out_of_range("m"), Code::OUT_OF_RANGE),
        (Status::unimplemented("m"), Code::UNIMPLEMENTED),
        (Status::internal("m"), Code::INTERNAL),
        (Status::unavailable("m"), Code::UNAVAILABLE),
        (Status::data_loss("m"), Code::DATA_LOSS),
        (Status::unauthenticated("m"), Code::UNAUTHENTICATED),
    ];
    for (status, code) in &built {
        assert_eq!(status.code(), *code);
        assert_eq!(status.message, "m");
        assert!(!status.is_ok());
    }
    // Every error code has a constructor.
    assert_eq!(built.len(), Code::KNOWN.len() - 1);
}

#[test]
fn status_is_an_error_that_prints_code_and_message() {
    let error: Box<dyn std::error::Error + Send + Sync> = Box::new(Status::not_found("gone"));
    assert_eq!(error.to_string(), "NOT_FOUND: gone");
    assert_eq!(
        Status::new(Code::from_i32(123), "new").to_string(),
        "123: new"
    );
    assert_eq!(Status::default().to_string(), "OK");
    assert!(Status::default().is_ok());
}
