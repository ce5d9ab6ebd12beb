//! The two cancellation exchanges this crate exists for, built with its
//! typed helpers and checked through the wire: a CancelFlightInfo action,
//! and a long-running operation cancelled per AIP-151.
//!
//! Run it with `cargo run --example cancel_exchange`.

use bytes::Bytes;
use cancelwire::flight::{
    Action, CancelFlightInfoRequest, CancelStatus, FlightAction, FlightEndpoint, FlightInfo,
    Result as FlightResult, Ticket,
};
use cancelwire::longrunning::{Operation, OperationState};
use prost::Message;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Arrow Flight: the client sends DoAction("CancelFlightInfo", request) ...
    let request = CancelFlightInfoRequest {
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
    };
    let wire = Bytes::from(request.to_action().encode_to_vec());
    println!("Action on the wire:     {}", hex(&wire));

    // ... the server decodes it (zero-copy from the gRPC buffer) ...
    let action: Action = cancelwire::decode(wire)?;
    let received = CancelFlightInfoRequest::from_action(&action)?;
    assert_eq!(received, request);

    // ... and answers with one Result carrying the status.
    let mut answer = cancelwire::flight::CancelFlightInfoResult::default();
    answer.set_status(CancelStatus::CANCELLED);
    let reply = CancelFlightInfoRequest::response_to_result(&answer).encode_to_vec();
    println!("Result on the wire:     {}", hex(&reply));
    let status = CancelFlightInfoRequest::response_from_result(
        &cancelwire::decode::<FlightResult>(reply.as_slice())?,
    )?
    .status();
    println!(
        "client reads:           {status} (final: {})",
        status.is_final()
    );

    // google.longrunning: the server cancels the operation; it stays, done,
    // with error code CANCELLED, and a poller sees that.
    let mut operation = Operation::running("projects/demo/operations/op-1");
    operation.cancel("cancelled by the caller")?;
    let op_wire = operation.encode_to_vec();
    println!("Operation on the wire:  {}", hex(&op_wire));
    let polled: Operation = cancelwire::decode(op_wire.as_slice())?;
    match polled.state()? {
        OperationState::Cancelled(status) => {
            println!("poller reads:           cancelled ({status})")
        }
        other => return Err(format!("expected a cancelled operation, got {other:?}").into()),
    }
    println!(
        "as JSON:                {}",
        cancelwire::json::to_string(&polled)?
    );
    Ok(())
}
