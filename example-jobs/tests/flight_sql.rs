//! Flight SQL (`arrow.flight.protocol.sql`, a sub-package of cancelwire's
//! `arrow.flight.protocol`) generated in a user's crate: its commands ride in
//! cancelwire's `FlightDescriptor.cmd` as an `Any`, and print and parse as
//! ProtoJSON through the registry.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cancelwire::flight::{DescriptorType, FlightDescriptor};
use cancelwire::json::JsonOptions;
use cancelwire::registry::Registry;
use cancelwire::wkt::Any;
use example_jobs::arrow::flight::protocol::sql::{
    ActionCancelQueryRequest, CommandStatementQuery, TicketStatementQuery, register_types,
};
use prost::Message;

fn options() -> JsonOptions {
    let mut registry = Registry::default();
    register_types(&mut registry);
    JsonOptions::new().registry(registry)
}

#[test]
fn a_statement_query_rides_in_a_flight_descriptor_as_an_any() {
    let query = CommandStatementQuery {
        query: "SELECT 1".into(),
        transaction_id: Some(bytes::Bytes::from_static(b"tx-1")),
        ..Default::default()
    };
    let descriptor = FlightDescriptor {
        r#type: DescriptorType::CMD.into(),
        cmd: Any::from_msg(&query).unwrap().encode_to_vec().into(),
        ..Default::default()
    };
    let any = cancelwire::decode::<Any>(descriptor.cmd.clone()).unwrap();
    assert_eq!(
        any.type_url,
        "type.googleapis.com/arrow.flight.protocol.sql.CommandStatementQuery"
    );
    assert_eq!(any.to_msg::<CommandStatementQuery>().unwrap(), query);

    let options = options();
    let json = options.to_string(&any).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&json).unwrap(),
        serde_json::json!({
            "@type": "type.googleapis.com/arrow.flight.protocol.sql.CommandStatementQuery",
            "query": "SELECT 1",
            "transactionId": "dHgtMQ=="
        })
    );
    assert_eq!(options.from_str::<Any>(&json).unwrap(), any);
}

#[test]
fn a_ticket_and_the_cancel_action_round_trip() {
    let options = options();
    let ticket = TicketStatementQuery {
        statement_handle: bytes::Bytes::from_static(&[1, 2, 3]),
        ..Default::default()
    };
    let any = Any::from_msg(&ticket).unwrap();
    let json = options.to_string(&any).unwrap();
    assert!(json.contains(r#""statementHandle":"AQID""#), "{json}");
    assert_eq!(
        options
            .from_str::<Any>(&json)
            .unwrap()
            .to_msg::<TicketStatementQuery>()
            .unwrap(),
        ticket
    );

    let cancel = ActionCancelQueryRequest {
        info: bytes::Bytes::from_static(b"info"),
        ..Default::default()
    };
    let back =
        cancelwire::decode::<ActionCancelQueryRequest>(cancel.encode_to_vec().as_slice()).unwrap();
    assert_eq!(back, cancel);
}
