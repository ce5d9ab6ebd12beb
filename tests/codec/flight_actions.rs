//! The CancelFlightInfo and RenewFlightEndpoint actions: `Action` and
//! `Result` bodies both ways, typed errors for wrong types and bodies, the
//! ListActions descriptors, and CancelStatus semantics from the Flight spec.

use bytes::Bytes;
use cancelwire::flight::{
    Action, ActionError, CANCEL_FLIGHT_INFO, CancelFlightInfoRequest, CancelFlightInfoResult,
    CancelStatus, FlightAction, FlightEndpoint, FlightInfo, RENEW_FLIGHT_ENDPOINT,
    RenewFlightEndpointRequest, Result as FlightResult, Ticket, cancellation_action_types,
};
use cancelwire::wkt::Timestamp;
use prost::Message;

fn cancel_request() -> CancelFlightInfoRequest {
    CancelFlightInfoRequest {
        info: Some(FlightInfo {
            endpoint: vec![FlightEndpoint {
                ticket: Some(Ticket {
                    ticket: Bytes::from_static(b"query-17"),
                    ..Default::default()
                }),
                ..Default::default()
            }],
            total_records: -1,
            total_bytes: -1,
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn renew_request() -> RenewFlightEndpointRequest {
    RenewFlightEndpointRequest {
        endpoint: Some(FlightEndpoint {
            ticket: Some(Ticket {
                ticket: Bytes::from_static(b"t"),
                ..Default::default()
            }),
            expiration_time: Some(Timestamp {
                seconds: 1_700_000_000,
                nanos: 0,
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[test]
fn the_action_names_are_the_spec_strings() {
    assert_eq!(CANCEL_FLIGHT_INFO, "CancelFlightInfo");
    assert_eq!(RENEW_FLIGHT_ENDPOINT, "RenewFlightEndpoint");
    assert_eq!(CancelFlightInfoRequest::TYPE, CANCEL_FLIGHT_INFO);
    assert_eq!(RenewFlightEndpointRequest::TYPE, RENEW_FLIGHT_ENDPOINT);
}

#[test]
fn cancel_flight_info_action_round_trips_and_its_body_is_the_request() {
    let request = cancel_request();
    let action = request.to_action();
    assert_eq!(action.r#type, "CancelFlightInfo");
    assert_eq!(action.body, request.encode_to_vec());
    // The action itself survives the wire.
    let action: Action = cancelwire::decode(action.encode_to_vec().as_slice()).unwrap();
    assert_eq!(CancelFlightInfoRequest::from_action(&action), Ok(request));
}

#[test]
fn renew_flight_endpoint_action_round_trips() {
    let request = renew_request();
    let action = request.to_action();
    assert_eq!(action.r#type, "RenewFlightEndpoint");
    assert_eq!(
        RenewFlightEndpointRequest::from_action(&action),
        Ok(request)
    );
}

#[test]
fn the_request_shares_the_action_buffer() {
    let action = cancel_request().to_action();
    let request = CancelFlightInfoRequest::from_action(&action).unwrap();
    let info = request.info.unwrap();
    let ticket = &info.endpoint[0].ticket.as_ref().unwrap().ticket;
    let body = action.body.as_ptr_range();
    assert!(body.contains(&ticket.as_ptr()), "ticket was copied");
}

#[test]
fn a_wrong_action_type_is_a_typed_error() {
    let mut action = cancel_request().to_action();
    action.r#type = "RenewFlightEndpoint".into();
    assert_eq!(
        CancelFlightInfoRequest::from_action(&action),
        Err(ActionError::WrongType {
            expected: "CancelFlightInfo",
            found: "RenewFlightEndpoint".into()
        })
    );
    // Names are case-sensitive.
    action.r#type = "cancelflightinfo".into();
    assert!(matches!(
        CancelFlightInfoRequest::from_action(&action),
        Err(ActionError::WrongType { .. })
    ));
}

#[test]
fn a_malformed_action_body_is_a_typed_error_naming_the_message() {
    let action = Action {
        r#type: CANCEL_FLIGHT_INFO.into(),
        body: Bytes::from_static(&[0x0a, 0x10, 0x01]), // length 16, one byte
        ..Default::default()
    };
    let err = CancelFlightInfoRequest::from_action(&action).unwrap_err();
    match &err {
        ActionError::InvalidBody {
            field,
            action,
            source,
        } => {
            assert_eq!(*field, "Action.body");
            assert_eq!(*action, "CancelFlightInfo");
            assert_eq!(
                source.type_name(),
                "arrow.flight.protocol.CancelFlightInfoRequest"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("Action.body of `CancelFlightInfo`: ")
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn cancel_result_body_round_trips_and_keeps_unknown_statuses() {
    for status in [
        CancelStatus::UNSPECIFIED,
        CancelStatus::CANCELLED,
        CancelStatus::CANCELLING,
        CancelStatus::NOT_CANCELLABLE,
        CancelStatus::from_i32(99),
    ] {
        let mut response = CancelFlightInfoResult::default();
        response.set_status(status);
        let result = CancelFlightInfoRequest::response_to_result(&response);
        assert_eq!(result.body, response.encode_to_vec());
        let back = CancelFlightInfoRequest::response_from_result(&result).unwrap();
        assert_eq!(back.status(), status);
    }
}

#[test]
fn renew_result_body_is_the_endpoint() {
    let endpoint = renew_request().endpoint.unwrap();
    let result = RenewFlightEndpointRequest::response_to_result(&endpoint);
    assert_eq!(
        RenewFlightEndpointRequest::response_from_result(&result),
        Ok(endpoint)
    );
}

#[test]
fn a_malformed_result_body_is_a_typed_error() {
    let result = FlightResult {
        body: Bytes::from_static(&[0x08]),
        ..Default::default()
    };
    let err = CancelFlightInfoRequest::response_from_result(&result).unwrap_err();
    assert!(
        matches!(&err, ActionError::InvalidBody { field: "Result.body", action: "CancelFlightInfo", source } if source.type_name() == "arrow.flight.protocol.CancelFlightInfoResult"),
        "{err:?}"
    );
}

#[test]
fn list_actions_descriptors() {
    let types = cancellation_action_types();
    assert_eq!(types.len(), 2);
    assert_eq!(types[0].r#type, CANCEL_FLIGHT_INFO);
    assert_eq!(types[1].r#type, RENEW_FLIGHT_ENDPOINT);
    assert!(types.iter().all(|t| !t.description.is_empty()));
    assert_eq!(types[0], CancelFlightInfoRequest::action_type());
}

/// (status, final, may retry), from the comments of `CancelStatus` in
/// Flight.proto.
const SPEC: [(CancelStatus, bool, bool); 4] = [
    // "The cancellation status is unknown ... Clients can retry the request."
    (CancelStatus::UNSPECIFIED, false, true),
    // "The cancellation request is complete."
    (CancelStatus::CANCELLED, true, false),
    // "The cancellation request is in progress. The client may retry"
    (CancelStatus::CANCELLING, false, true),
    // "The query is not cancellable. The client should not retry"
    (CancelStatus::NOT_CANCELLABLE, true, false),
];

#[test]
fn cancel_status_semantics_follow_the_spec() {
    for (status, is_final, may_retry) in SPEC {
        assert_eq!(status.is_final(), is_final, "{status}");
        assert_eq!(status.may_retry(), may_retry, "{status}");
    }
}

#[test]
fn unknown_cancel_statuses_are_treated_like_unspecified() {
    for number in [4, -1, i32::MAX] {
        let status = CancelStatus::from_i32(number);
        assert!(!status.is_final());
        assert!(status.may_retry());
    }
}
