//! Packing messages into [`Any`] and back, through `prost::Name`.

use super::Any;
use prost::Name;

/// Why [`Any::to_msg`] could not produce the requested message.
///
/// ```
/// use cancelwire::wkt::{Any, Duration, Timestamp, UnpackError};
///
/// let any = Any::from_msg(&Duration { seconds: 1, nanos: 0, ..Default::default() })?;
/// match any.to_msg::<Timestamp>() {
///     Err(UnpackError::TypeMismatch { expected, found }) => {
///         assert_eq!(expected, "google.protobuf.Timestamp");
///         assert_eq!(found, "type.googleapis.com/google.protobuf.Duration");
///     }
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok::<(), prost::EncodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnpackError {
    /// The type URL names another message.
    TypeMismatch {
        /// Full name of the message asked for.
        expected: String,
        /// The type URL the `Any` carries.
        found: String,
    },
    /// The type matched but `value` is not a valid encoding of it.
    Decode {
        /// Full name of the message asked for.
        type_name: String,
        /// What the decoder said.
        source: prost::DecodeError,
    },
}

impl std::fmt::Display for UnpackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TypeMismatch { expected, found } => {
                write!(f, "Any holds `{found}`, not {expected}")
            }
            Self::Decode { type_name, source } => {
                write!(f, "Any.value is not a valid {type_name}: {source}")
            }
        }
    }
}

impl std::error::Error for UnpackError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::TypeMismatch { .. } => None,
            Self::Decode { source, .. } => Some(source),
        }
    }
}

impl Any {
    /// Packs a message, with the type URL `type.googleapis.com/<full name>`.
    ///
    /// ```
    /// use cancelwire::flight::Ticket;
    /// use cancelwire::wkt::Any;
    ///
    /// let any = Any::from_msg(&Ticket { ticket: "t1".into(), ..Default::default() })?;
    /// assert_eq!(any.type_url, "type.googleapis.com/arrow.flight.protocol.Ticket");
    /// assert_eq!(&any.value[..], b"\x0a\x02t1");
    /// # Ok::<(), prost::EncodeError>(())
    /// ```
    pub fn from_msg<M: Name>(message: &M) -> Result<Self, prost::EncodeError> {
        let mut value = Vec::with_capacity(message.encoded_len());
        message.encode(&mut value)?;
        Ok(Self {
            type_url: M::type_url(),
            value: value.into(),
            unknown_fields: crate::UnknownFields::new(),
        })
    }

    /// The full message name in the type URL: the part after the last `/`.
    ///
    /// ```
    /// use cancelwire::wkt::Any;
    ///
    /// let any = Any { type_url: "example.com/types/google.rpc.Status".into(), value: Default::default(), ..Default::default() };
    /// assert_eq!(any.type_name(), "google.rpc.Status");
    /// ```
    pub fn type_name(&self) -> &str {
        type_name_of_url(&self.type_url)
    }

    /// Whether this `Any` holds an `M`, whatever the URL's prefix.
    ///
    /// ```
    /// use cancelwire::rpc::ErrorInfo;
    /// use cancelwire::wkt::Any;
    ///
    /// let any = Any::from_msg(&ErrorInfo::default())?;
    /// assert!(any.is::<ErrorInfo>());
    /// # Ok::<(), prost::EncodeError>(())
    /// ```
    pub fn is<M: Name>(&self) -> bool {
        self.type_name() == M::full_name()
    }

    /// Unpacks the message, checking that the type URL names `M`.
    ///
    /// ```
    /// use cancelwire::flight::Ticket;
    /// use cancelwire::wkt::Any;
    ///
    /// let ticket = Ticket { ticket: "t1".into(), ..Default::default() };
    /// let any = Any::from_msg(&ticket)?;
    /// assert_eq!(any.to_msg::<Ticket>()?, ticket);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_msg<M: Name + Default>(&self) -> Result<M, UnpackError> {
        if !self.is::<M>() {
            return Err(UnpackError::TypeMismatch {
                expected: M::full_name(),
                found: self.type_url.clone(),
            });
        }
        // Cloning `Bytes` is a reference count, so bytes fields of the result
        // still point into this Any's buffer, and so do its unknown fields.
        let _source = crate::unknown_fields::Source::start(&self.value);
        crate::decode::merge_whole(self.value.clone()).map_err(|source| UnpackError::Decode {
            type_name: M::full_name(),
            source,
        })
    }
}

/// The message name of a type URL: the part after the last `/`.
pub(crate) fn type_name_of_url(url: &str) -> &str {
    // memchr's vectorised search: `rsplit_once` took about 300
    // instructions for a usual URL, a byte loop 190, and this runs for
    // every Any printed or parsed.
    match memchr::memrchr(b'/', url.as_bytes()) {
        Some(slash) => url.get(slash + 1..).unwrap_or(url),
        None => url,
    }
}
