//! The testee of the protobuf conformance suite: reads `ConformanceRequest`s
//! from stdin and writes `ConformanceResponse`s to stdout, each preceded by
//! its length as a little-endian `u32`, until stdin ends.
//!
//! It answers proto3 binary and JSON with cancelwire's runtime on the types
//! `cancelwire-build` generates from the suite's `test_messages_proto3.proto`,
//! and `skipped` for everything else (text format, JSPB, proto2, editions).

use bytes::Bytes;
use cancelwire::json::JsonOptions;
use cancelwire::registry::Registry;
use conformance::conformance_request::Payload;
use conformance::conformance_response::Result as Outcome;
use conformance::{ConformanceRequest, ConformanceResponse, TestCategory, WireFormat};
use prost::Message;
use protobuf_test_messages::proto3::TestAllTypesProto3;
use std::io::{self, Read, Write};

// Generated: the suite's control messages, of which the testee uses two.
#[allow(dead_code, clippy::all, clippy::indexing_slicing)]
mod conformance {
    include!(concat!(env!("OUT_DIR"), "/conformance.rs"));
}

#[allow(dead_code, clippy::all, clippy::indexing_slicing)]
mod protobuf_test_messages {
    pub mod proto3 {
        include!(concat!(
            env!("OUT_DIR"),
            "/protobuf_test_messages.proto3.rs"
        ));
    }
}

const PROTO3_MESSAGE: &str = "protobuf_test_messages.proto3.TestAllTypesProto3";

fn main() -> io::Result<()> {
    let mut registry = Registry::default();
    protobuf_test_messages::proto3::register_types(&mut registry);
    let strict = JsonOptions::new().registry(registry);
    let lenient = strict.clone().ignore_unknown_fields(true);

    let mut stdin = io::stdin().lock();
    let mut stdout = io::stdout().lock();
    loop {
        let mut length = [0u8; 4];
        match stdin.read_exact(&mut length) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
        let mut request = vec![0u8; u32::from_le_bytes(length) as usize];
        stdin.read_exact(&mut request)?;
        let outcome = match ConformanceRequest::decode(Bytes::from(request)) {
            Ok(request) => answer(&request, &strict, &lenient),
            Err(e) => Outcome::RuntimeError(format!("cannot decode the request: {e}")),
        };
        let response = ConformanceResponse {
            result: Some(outcome),
            ..Default::default()
        }
        .encode_to_vec();
        let length = u32::try_from(response.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "response too long"))?;
        stdout.write_all(&length.to_le_bytes())?;
        stdout.write_all(&response)?;
        stdout.flush()?;
    }
}

/// The outcome of one request.
fn answer(request: &ConformanceRequest, strict: &JsonOptions, lenient: &JsonOptions) -> Outcome {
    if request.message_type != PROTO3_MESSAGE {
        return Outcome::Skipped(format!("{} is not a proto3 message", request.message_type));
    }
    let message: TestAllTypesProto3 = match &request.payload {
        Some(Payload::ProtobufPayload(bytes)) => match cancelwire::decode(bytes.clone()) {
            Ok(message) => message,
            Err(e) => return Outcome::ParseError(e.to_string()),
        },
        Some(Payload::JsonPayload(text)) => {
            let options = if TestCategory::from_i32(request.test_category)
                == TestCategory::JSON_IGNORE_UNKNOWN_PARSING_TEST
            {
                lenient
            } else {
                strict
            };
            match options.from_str(text) {
                Ok(message) => message,
                Err(e) => return Outcome::ParseError(e.to_string()),
            }
        }
        Some(Payload::JspbPayload(_)) => return Outcome::Skipped("JSPB is not supported".into()),
        Some(Payload::TextPayload(_)) => {
            return Outcome::Skipped("text format is not supported".into());
        }
        None => return Outcome::RuntimeError("the request has no payload".into()),
    };
    match WireFormat::from_i32(request.requested_output_format) {
        WireFormat::PROTOBUF => Outcome::ProtobufPayload(message.encode_to_vec().into()),
        WireFormat::JSON => match strict.to_string(&message) {
            Ok(json) => Outcome::JsonPayload(json),
            Err(e) => Outcome::SerializeError(e.to_string()),
        },
        other => Outcome::Skipped(format!("output format {other} is not supported")),
    }
}
