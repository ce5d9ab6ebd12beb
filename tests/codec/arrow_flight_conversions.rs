//! Our Flight messages <-> the `arrow-flight` crate's: lossless both ways
//! and the same bytes on the wire.
#![cfg(feature = "arrow-flight")]

use bytes::Bytes;
use cancelwire::flight::{
    Action, ActionType, CancelFlightInfoRequest, CancelFlightInfoResult, CancelStatus,
    DescriptorType, FlightAction, FlightDescriptor, FlightEndpoint, FlightInfo, Location, PollInfo,
    RenewFlightEndpointRequest, Result as FlightResult, Ticket,
};
use cancelwire::wkt::Timestamp;
use prost::Message;

fn info() -> FlightInfo {
    FlightInfo {
        schema: Bytes::from_static(b"\xff\xff\xff\xff schema"),
        flight_descriptor: Some(FlightDescriptor {
            r#type: DescriptorType::CMD.as_i32(),
            cmd: Bytes::from_static(b"SELECT 1"),
            path: vec![],
            ..Default::default()
        }),
        endpoint: vec![FlightEndpoint {
            ticket: Some(Ticket {
                ticket: Bytes::from_static(b"t-1"),
                ..Default::default()
            }),
            location: vec![
                Location {
                    uri: "grpc+tls://a:1".into(),
                    ..Default::default()
                },
                Location {
                    uri: String::new(),
                    ..Default::default()
                },
            ],
            expiration_time: Some(Timestamp {
                seconds: 1_700_000_000,
                nanos: 7,
                ..Default::default()
            }),
            app_metadata: Bytes::from_static(b"meta"),
            ..Default::default()
        }],
        total_records: 10,
        total_bytes: -1,
        ordered: true,
        app_metadata: Bytes::from_static(b"info-meta"),
        ..Default::default()
    }
}

/// Converts to arrow-flight and back, and checks both encode identically.
fn round_trip<Ours, Theirs>(ours: Ours)
where
    Ours: Message + Clone + PartialEq + std::fmt::Debug + Into<Theirs> + From<Theirs>,
    Theirs: Message,
{
    let theirs: Theirs = ours.clone().into();
    assert_eq!(theirs.encode_to_vec(), ours.encode_to_vec());
    assert_eq!(Ours::from(theirs), ours);
}

#[test]
fn every_message_converts_both_ways_with_the_same_encoding() {
    round_trip::<_, arrow_flight::FlightInfo>(info());
    round_trip::<_, arrow_flight::PollInfo>(PollInfo {
        info: Some(info()),
        flight_descriptor: Some(FlightDescriptor {
            r#type: DescriptorType::PATH.as_i32(),
            cmd: Bytes::new(),
            path: vec!["a".into(), "b".into()],
            ..Default::default()
        }),
        progress: Some(0.25),
        expiration_time: Some(Timestamp {
            seconds: 5,
            nanos: 0,
            ..Default::default()
        }),
        ..Default::default()
    });
    round_trip::<_, arrow_flight::CancelFlightInfoRequest>(CancelFlightInfoRequest {
        info: Some(info()),
        ..Default::default()
    });
    round_trip::<_, arrow_flight::CancelFlightInfoResult>(CancelFlightInfoResult {
        status: 2,
        ..Default::default()
    });
    round_trip::<_, arrow_flight::RenewFlightEndpointRequest>(RenewFlightEndpointRequest {
        endpoint: info().endpoint.pop(),
        ..Default::default()
    });
    round_trip::<_, arrow_flight::Action>(Action {
        r#type: "CancelFlightInfo".into(),
        body: Bytes::from_static(b"\x0a\x00"),
        ..Default::default()
    });
    round_trip::<_, arrow_flight::ActionType>(ActionType {
        r#type: "X".into(),
        description: "does x".into(),
        ..Default::default()
    });
    round_trip::<_, arrow_flight::Result>(FlightResult {
        body: Bytes::from_static(b"\x08\x01"),
        ..Default::default()
    });
}

#[test]
fn unknown_enum_numbers_survive_in_messages() {
    round_trip::<_, arrow_flight::CancelFlightInfoResult>(CancelFlightInfoResult {
        status: 77,
        ..Default::default()
    });
    round_trip::<_, arrow_flight::FlightDescriptor>(FlightDescriptor {
        r#type: 9,
        ..Default::default()
    });
}

#[test]
fn payloads_are_not_copied() {
    let ours = info();
    let schema_ptr = ours.schema.as_ptr();
    let theirs: arrow_flight::FlightInfo = ours.into();
    assert_eq!(theirs.schema.as_ptr(), schema_ptr);
}

#[test]
fn enums_convert_and_unknown_numbers_are_refused_by_arrow_flight() {
    for (ours, theirs) in [
        (
            CancelStatus::UNSPECIFIED,
            arrow_flight::CancelStatus::Unspecified,
        ),
        (
            CancelStatus::CANCELLED,
            arrow_flight::CancelStatus::Cancelled,
        ),
        (
            CancelStatus::CANCELLING,
            arrow_flight::CancelStatus::Cancelling,
        ),
        (
            CancelStatus::NOT_CANCELLABLE,
            arrow_flight::CancelStatus::NotCancellable,
        ),
    ] {
        assert_eq!(CancelStatus::from(theirs), ours);
        assert_eq!(arrow_flight::CancelStatus::try_from(ours), Ok(theirs));
    }
    assert_eq!(
        arrow_flight::CancelStatus::try_from(CancelStatus::from_i32(5)),
        Err(prost::UnknownEnumValue(5))
    );

    use arrow_flight::flight_descriptor::DescriptorType as Theirs;
    for (ours, theirs) in [
        (DescriptorType::UNKNOWN, Theirs::Unknown),
        (DescriptorType::PATH, Theirs::Path),
        (DescriptorType::CMD, Theirs::Cmd),
    ] {
        assert_eq!(DescriptorType::from(theirs), ours);
        assert_eq!(Theirs::try_from(ours), Ok(theirs));
    }
    assert_eq!(
        Theirs::try_from(DescriptorType::from_i32(-2)),
        Err(prost::UnknownEnumValue(-2))
    );
}

#[test]
fn a_server_on_arrow_flight_can_parse_actions_with_cancelwire() {
    let request = CancelFlightInfoRequest {
        info: Some(info()),
        ..Default::default()
    };
    // What arrow-flight's server trait hands to do_action.
    let received: arrow_flight::Action = request.to_action().into();
    let parsed = CancelFlightInfoRequest::from_action(&received.into()).unwrap();
    assert_eq!(parsed, request);
    // And the answer goes back as arrow-flight's Result.
    let mut answer = CancelFlightInfoResult::default();
    answer.set_status(CancelStatus::CANCELLED);
    let sent: arrow_flight::Result = CancelFlightInfoRequest::response_to_result(&answer).into();
    assert_eq!(&sent.body[..], [0x08, 0x01]);
}
