//! `rpc::Status` <-> `tonic::Status` (feature `tonic`).
//!
//! gRPC carries the rich error model in the `grpc-status-details-bin`
//! trailer: a binary `google.rpc.Status` with the code, the message and
//! the details. `tonic::Status::with_details` and `details` give access to
//! those bytes. `tonic::Code` only names the 17 canonical codes and turns
//! any other number into `Unknown`, so the conversion to tonic always puts
//! the whole status in the details, where the original number survives,
//! and the conversion back prefers the code found there.
//!
//! ```
//! use cancelwire::rpc::{Code, ErrorInfo, Status};
//!
//! let ours = Status::new(Code::from_i32(42), "from a newer server")
//!     .with_detail(&ErrorInfo { reason: "NEW".into(), ..Default::default() });
//! let theirs = tonic::Status::from(ours.clone());
//! assert_eq!(theirs.code(), tonic::Code::Unknown); // tonic cannot name 42
//! let back = Status::try_from(&theirs)?;
//! assert_eq!(back, ours); // but the number came through
//! # Ok::<(), cancelwire::integrations::tonic::InvalidStatusDetails>(())
//! ```

use crate::DecodeError;
use crate::rpc::{Code, Status};
use prost::Message;

/// `grpc-status-details-bin` held bytes that are not a `google.rpc.Status`,
/// or (read from metadata) text that is not base64.
///
/// ```
/// use cancelwire::integrations::tonic::InvalidStatusDetails;
/// use cancelwire::rpc::Status;
///
/// let theirs = tonic::Status::with_details(tonic::Code::Internal, "oops", vec![0x0a, 0x09].into());
/// let err: InvalidStatusDetails = Status::try_from(&theirs).unwrap_err();
/// assert!(err.to_string().starts_with("grpc-status-details-bin: invalid binary google.rpc.Status"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidStatusDetails {
    decode_error: Option<DecodeError>,
}

impl InvalidStatusDetails {
    /// Why the bytes did not decode as a `google.rpc.Status`; `None` when
    /// the metadata value was not even base64.
    ///
    /// ```
    /// let theirs = tonic::Status::with_details(tonic::Code::Aborted, "", vec![0xff].into());
    /// let err = cancelwire::rpc::Status::try_from(&theirs).unwrap_err();
    /// assert_eq!(err.decode_error().unwrap().type_name(), "google.rpc.Status");
    /// ```
    pub fn decode_error(&self) -> Option<&DecodeError> {
        self.decode_error.as_ref()
    }
}

impl std::fmt::Display for InvalidStatusDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.decode_error {
            Some(source) => write!(f, "grpc-status-details-bin: {source}"),
            None => f.write_str("grpc-status-details-bin is not valid base64"),
        }
    }
}

impl std::error::Error for InvalidStatusDetails {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.decode_error
            .as_ref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// The rich status in the `grpc-status-details-bin` entry of response
/// metadata or trailers: `Ok(None)` when there is no such entry. Bad base64
/// or bad protobuf is an error; unlike `tonic::Status::from_header_map`,
/// this never panics on what a peer sent.
///
/// ```
/// use cancelwire::integrations::tonic::status_from_metadata;
/// use cancelwire::rpc::Status;
/// use prost::Message;
/// use tonic::metadata::{MetadataMap, MetadataValue};
///
/// let mut trailers = MetadataMap::new();
/// assert_eq!(status_from_metadata(&trailers), Ok(None));
///
/// let sent = Status::not_found("no such query");
/// trailers.insert_bin("grpc-status-details-bin", MetadataValue::from_bytes(&sent.encode_to_vec()));
/// assert_eq!(status_from_metadata(&trailers), Ok(Some(sent)));
/// ```
pub fn status_from_metadata(
    metadata: &::tonic::metadata::MetadataMap,
) -> Result<Option<Status>, InvalidStatusDetails> {
    let Some(value) = metadata.get_bin("grpc-status-details-bin") else {
        return Ok(None);
    };
    let bytes = value
        .to_bytes()
        .map_err(|_| InvalidStatusDetails { decode_error: None })?;
    crate::decode(bytes)
        .map(Some)
        .map_err(|source| InvalidStatusDetails {
            decode_error: Some(source),
        })
}

/// The same number; tonic has a variant for each of the 17 codes.
impl From<::tonic::Code> for Code {
    fn from(code: ::tonic::Code) -> Self {
        Code::from_i32(code as i32)
    }
}

/// Lossy for numbers outside `google.rpc.Code`: tonic turns them into
/// `Unknown`. Convert the whole `Status` to keep them.
impl From<Code> for ::tonic::Code {
    fn from(code: Code) -> Self {
        ::tonic::Code::from_i32(code.as_i32())
    }
}

/// Code and message in tonic's own fields, and the whole status, encoded,
/// in the details: the code number and every detail survive.
impl From<Status> for ::tonic::Status {
    fn from(status: Status) -> Self {
        let details = status.encode_to_vec();
        ::tonic::Status::with_details(status.code().into(), status.message, details.into())
    }
}

/// Decodes the details when there are any and prefers what they say
/// (tonic's code and message fill in a code of 0 or an empty message); a
/// status without details keeps tonic's code and message. Never panics:
/// bytes that do not decode are an [`InvalidStatusDetails`].
impl TryFrom<&::tonic::Status> for Status {
    type Error = InvalidStatusDetails;

    fn try_from(status: &::tonic::Status) -> Result<Self, Self::Error> {
        if status.details().is_empty() {
            return Ok(Status::new(status.code().into(), status.message()));
        }
        let mut decoded: Status =
            crate::decode(status.details()).map_err(|source| InvalidStatusDetails {
                decode_error: Some(source),
            })?;
        // Fill what the details left out from tonic's own fields; an OK code
        // there means "not set", as an error status is never OK.
        if decoded.code().is_ok() {
            decoded.code = status.code() as i32;
        }
        if decoded.message.is_empty() {
            decoded.message = status.message().to_owned();
        }
        Ok(decoded)
    }
}

/// As for `&tonic::Status`.
impl TryFrom<::tonic::Status> for Status {
    type Error = InvalidStatusDetails;

    fn try_from(status: ::tonic::Status) -> Result<Self, Self::Error> {
        Status::try_from(&status)
    }
}
