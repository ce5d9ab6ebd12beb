//! `rpc::Status` <-> `tonic::Status` through `grpc-status-details-bin`:
//! the code number and the details survive, and bad bytes are an error,
//! never a panic.
#![cfg(feature = "tonic")]

use cancelwire::integrations::tonic::status_from_metadata;
use cancelwire::rpc::{Code, ErrorInfo, RetryInfo, Status};
use cancelwire::wkt::Duration;
use proptest::prelude::*;
use prost::Message;

#[test]
fn every_known_code_keeps_its_tonic_variant() {
    for code in Code::KNOWN {
        let theirs = tonic::Status::from(Status::new(*code, "m"));
        assert_eq!(theirs.code() as i32, code.as_i32(), "{code}");
        assert_eq!(Code::from(theirs.code()), *code);
        assert_eq!(tonic::Code::from(*code) as i32, code.as_i32());
    }
}

#[test]
fn details_travel_in_grpc_status_details_bin() {
    let ours = Status::unavailable("overloaded")
        .with_detail(&RetryInfo {
            retry_delay: Some(Duration {
                seconds: 3,
                nanos: 0,
                ..Default::default()
            }),
            ..Default::default()
        })
        .with_detail(&ErrorInfo {
            reason: "LOAD".into(),
            ..Default::default()
        });
    let theirs = tonic::Status::from(ours.clone());
    assert_eq!(theirs.code(), tonic::Code::Unavailable);
    assert_eq!(theirs.message(), "overloaded");
    assert_eq!(theirs.details(), ours.encode_to_vec().as_slice());
    // The trailers that tonic sends carry the same bytes, base64-encoded.
    let mut headers = tonic::metadata::MetadataMap::new().into_headers();
    theirs.add_header(&mut headers).unwrap();
    let trailers = tonic::metadata::MetadataMap::from_headers(headers.clone());
    assert_eq!(status_from_metadata(&trailers), Ok(Some(ours.clone())));
    let reparsed = tonic::Status::from_header_map(&headers).unwrap();
    assert_eq!(Status::try_from(reparsed), Ok(ours));
}

#[test]
fn a_code_tonic_cannot_name_survives_the_round_trip() {
    let ours = Status::new(Code::from_i32(42), "newer server");
    let theirs = tonic::Status::from(ours.clone());
    assert_eq!(theirs.code(), tonic::Code::Unknown);
    assert_eq!(tonic::Code::from(Code::from_i32(42)), tonic::Code::Unknown);
    assert_eq!(Status::try_from(&theirs), Ok(ours));
}

#[test]
fn a_status_without_details_keeps_tonics_code_and_message() {
    let theirs = tonic::Status::new(tonic::Code::NotFound, "no such query");
    assert_eq!(
        Status::try_from(&theirs),
        Ok(Status::not_found("no such query"))
    );
}

#[test]
fn the_code_in_the_details_wins_over_tonics() {
    let details = Status::new(Code::from_i32(99), "inner").encode_to_vec();
    let theirs = tonic::Status::with_details(tonic::Code::Unknown, "outer", details.into());
    let ours = Status::try_from(&theirs).unwrap();
    assert_eq!(ours.code, 99);
    assert_eq!(ours.message, "inner");
}

#[test]
fn tonic_fills_what_the_details_leave_out() {
    let details = Status {
        details: vec![cancelwire::wkt::Any::from_msg(&ErrorInfo::default()).unwrap()],
        ..Status::default()
    }
    .encode_to_vec();
    let theirs = tonic::Status::with_details(tonic::Code::Aborted, "conflict", details.into());
    let ours = Status::try_from(&theirs).unwrap();
    assert_eq!(ours.code(), Code::ABORTED);
    assert_eq!(ours.message, "conflict");
    assert_eq!(ours.details.len(), 1);
}

#[test]
fn bad_details_bytes_are_a_typed_error() {
    for bad in [
        &[0xff][..],
        &[0x0a, 0x05, 0x01],
        &[0x08],
        &[0x1a, 0x02, 0x0a, 0x09],
    ] {
        let theirs = tonic::Status::with_details(tonic::Code::Internal, "x", bad.to_vec().into());
        let err = Status::try_from(&theirs).unwrap_err();
        assert_eq!(err.decode_error().unwrap().type_name(), "google.rpc.Status");
        assert!(std::error::Error::source(&err).is_some());
    }
}

#[test]
fn metadata_that_is_not_base64_is_an_error_not_a_panic() {
    let mut headers = tonic::metadata::MetadataMap::new().into_headers();
    headers.insert("grpc-status", "13".parse().unwrap());
    headers.insert("grpc-status-details-bin", "not*base64!".parse().unwrap());
    let trailers = tonic::metadata::MetadataMap::from_headers(headers);
    let err = status_from_metadata(&trailers).unwrap_err();
    assert_eq!(err.decode_error(), None);
    assert_eq!(
        err.to_string(),
        "grpc-status-details-bin is not valid base64"
    );
}

#[test]
fn metadata_with_base64_of_garbage_is_a_decode_error() {
    let mut trailers = tonic::metadata::MetadataMap::new();
    trailers.insert_bin(
        "grpc-status-details-bin",
        tonic::metadata::MetadataValue::from_bytes(&[0x0a, 0x7f]),
    );
    let err = status_from_metadata(&trailers).unwrap_err();
    assert!(err.decode_error().is_some());
}

proptest! {
    #[test]
    fn any_code_number_round_trips(code in any::<i32>(), message in ".{0,20}") {
        let ours = Status::new(Code::from_i32(code), message);
        let back = Status::try_from(tonic::Status::from(ours.clone()));
        // A status whose code is OK and message empty is all defaults, so
        // tonic's fields fill it back identically.
        prop_assert_eq!(back, Ok(ours));
    }

    #[test]
    fn arbitrary_details_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let theirs = tonic::Status::with_details(tonic::Code::Internal, "x", bytes.into());
        let _ = Status::try_from(&theirs);
    }
}
