//! Decoding from a `Bytes` buffer must not copy `bytes` fields: they are
//! slices of the input.

use bytes::Bytes;
use cancelwire::flight::{FlightEndpoint, FlightInfo, Ticket};
use prost::Message;

fn points_into(field: &Bytes, buffer: &Bytes) -> bool {
    let range = buffer.as_ptr_range();
    let inner = field.as_ptr_range();
    !field.is_empty() && range.start <= inner.start && inner.end <= range.end
}

#[test]
fn flight_info_bytes_fields_point_into_the_input_buffer() {
    let info = FlightInfo {
        schema: Bytes::from(vec![0xAB; 4096]),
        app_metadata: Bytes::from_static(b"app-metadata"),
        endpoint: vec![FlightEndpoint {
            ticket: Some(Ticket {
                ticket: Bytes::from_static(b"ticket-1"),
                ..Default::default()
            }),
            app_metadata: Bytes::from_static(b"endpoint-metadata"),
            ..Default::default()
        }],
        ..Default::default()
    };
    let wire = Bytes::from(info.encode_to_vec());

    let decoded: FlightInfo = cancelwire::decode(wire.clone()).expect("decodes");
    assert_eq!(decoded, info);
    let endpoint = &decoded.endpoint[0];
    let ticket = &endpoint.ticket.as_ref().expect("ticket").ticket;
    for (name, field) in [
        ("schema", &decoded.schema),
        ("app_metadata", &decoded.app_metadata),
        ("endpoint.ticket.ticket", ticket),
        ("endpoint.app_metadata", &endpoint.app_metadata),
    ] {
        assert!(points_into(field, &wire), "{name} was copied");
    }
}

#[test]
fn ticket_bytes_point_into_the_input_buffer() {
    let wire = Bytes::from(
        Ticket {
            ticket: Bytes::from(vec![7; 100]),
            ..Default::default()
        }
        .encode_to_vec(),
    );
    let decoded: Ticket = cancelwire::decode(wire.clone()).expect("decodes");
    assert!(points_into(&decoded.ticket, &wire));
    assert_eq!(decoded.ticket.as_ptr(), wire[2..].as_ptr());
}

#[test]
fn decoding_from_a_slice_copies_so_the_check_can_fail() {
    // The same check on a decode from `&[u8]` must report a copy; otherwise
    // the tests above would prove nothing.
    let wire = Bytes::from(
        Ticket {
            ticket: Bytes::from(vec![7; 100]),
            ..Default::default()
        }
        .encode_to_vec(),
    );
    let decoded: Ticket = cancelwire::decode(&wire[..]).expect("decodes");
    assert!(!points_into(&decoded.ticket, &wire));
}
