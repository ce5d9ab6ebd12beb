//! Builds, encodes and decodes the two cancellation exchanges this crate
//! exists for: a CancelFlightInfo action and a cancelled long-running
//! operation.
//!
//! Run it with `cargo run --example cancel_exchange`.

use bytes::Bytes;
use cancelwire::flight::{
    Action, CancelFlightInfoRequest, CancelFlightInfoResult, CancelStatus, FlightEndpoint,
    FlightInfo, Result as FlightResult, Ticket,
};
use cancelwire::longrunning::{Operation, operation};
use cancelwire::rpc::{Code, Status};
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
                }),
                ..Default::default()
            }],
            total_records: -1,
            total_bytes: -1,
            ..Default::default()
        }),
    };
    let action = Action {
        r#type: "CancelFlightInfo".into(),
        body: request.encode_to_vec().into(),
    };
    let wire = Bytes::from(action.encode_to_vec());
    println!("Action on the wire:          {}", hex(&wire));

    // ... the server decodes it (zero-copy from the gRPC buffer) ...
    let received: Action = cancelwire::decode(wire)?;
    let received_request: CancelFlightInfoRequest = cancelwire::decode(received.body)?;
    assert_eq!(received_request, request);

    // ... and answers with one Result carrying the status.
    let mut result = CancelFlightInfoResult::default();
    result.set_status(CancelStatus::CANCELLED);
    let reply = FlightResult {
        body: result.encode_to_vec().into(),
    };
    let reply_wire = reply.encode_to_vec();
    println!("Result on the wire:          {}", hex(&reply_wire));
    let status = cancelwire::decode::<CancelFlightInfoResult>(
        cancelwire::decode::<FlightResult>(reply_wire.as_slice())?.body,
    )?
    .status();
    println!("client reads status:         {status}");

    // google.longrunning: after CancelOperation, GetOperation reports the
    // operation done with a CANCELLED error.
    let operation = Operation {
        name: "projects/demo/operations/op-1".into(),
        done: true,
        result: Some(operation::Result::Error(Status {
            code: Code::CANCELLED.as_i32(),
            message: "cancelled by the caller".into(),
            details: vec![],
        })),
        ..Default::default()
    };
    let op_wire = operation.encode_to_vec();
    println!("cancelled Operation on wire: {}", hex(&op_wire));
    let polled: Operation = cancelwire::decode(op_wire.as_slice())?;
    if let Some(operation::Result::Error(error)) = &polled.result {
        println!(
            "client reads operation:      done={} code={}",
            polled.done,
            error.code()
        );
    }
    assert_eq!(polled, operation);
    Ok(())
}
