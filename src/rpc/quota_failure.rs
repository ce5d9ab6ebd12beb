//! `google.rpc.QuotaFailure`, written by hand so that the map entries of its
//! violations are encoded as the reference encodes them (see
//! `crate::map_fields`).

use crate::decode::in_field as at;
use crate::map_fields::{self, ValueCodec};
use bytes::{Buf, BufMut};
use prost::encoding::{self, DecodeContext, WireType};
use prost::{DecodeError, Message, Name};
use std::collections::BTreeMap;

fn strings<B: BufMut, D: Buf>() -> ValueCodec<String, B, D> {
    map_fields::strings()
}

/// Which quotas were exceeded (`google.rpc.QuotaFailure`).
///
/// ```
/// use cancelwire::rpc::{QuotaFailure, quota_failure::Violation};
/// use prost::Message;
///
/// let failure = QuotaFailure {
///     violations: vec![Violation { subject: "project:demo".into(), ..Default::default() }],
///     ..Default::default()
/// };
/// assert_eq!(QuotaFailure::decode(failure.encode_to_vec().as_slice())?, failure);
/// # Ok::<(), prost::DecodeError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
pub struct QuotaFailure {
    /// Every quota that was exceeded.
    pub violations: Vec<quota_failure::Violation>,
    /// Fields this version of the schema does not know, kept as they arrived.
    pub unknown_fields: crate::UnknownFields,
}

impl QuotaFailure {
    /// Forgets the unknown fields of this message and of every message in
    /// it, as if they had never arrived.
    pub fn discard_unknown_fields(&mut self) {
        self.unknown_fields.clear();
        for violation in &mut self.violations {
            violation.discard_unknown_fields();
        }
    }
}

impl Message for QuotaFailure {
    fn encode_raw(&self, buf: &mut impl BufMut) {
        encoding::message::encode_repeated(1, &self.violations, buf);
        self.unknown_fields.encode_raw(buf);
    }

    fn merge_field(
        &mut self,
        tag: u32,
        wire_type: WireType,
        buf: &mut impl Buf,
        ctx: DecodeContext,
    ) -> Result<(), DecodeError> {
        match tag {
            1 => crate::wire::merge_repeated_message(wire_type, &mut self.violations, buf, ctx)
                .map_err(|e| at(e, "QuotaFailure", "violations")),
            _ => self.unknown_fields.merge_field(tag, wire_type, buf, ctx),
        }
    }

    fn merge(&mut self, mut buf: impl Buf) -> Result<(), DecodeError> {
        crate::wire::merge_top(self, &mut buf)
    }

    fn encoded_len(&self) -> usize {
        encoding::message::encoded_len_repeated(1, &self.violations)
            + self.unknown_fields.encoded_len()
    }

    fn clear(&mut self) {
        *self = Self::default();
    }
}

impl Name for QuotaFailure {
    const NAME: &'static str = "QuotaFailure";
    const PACKAGE: &'static str = "google.rpc";

    fn type_url() -> String {
        "type.googleapis.com/google.rpc.QuotaFailure".into()
    }
}

/// Nested message types of [`QuotaFailure`].
pub mod quota_failure {
    use super::*;

    /// One quota that was exceeded (`google.rpc.QuotaFailure.Violation`).
    ///
    /// ```
    /// use cancelwire::rpc::quota_failure::Violation;
    /// use prost::Message;
    ///
    /// let violation = Violation {
    ///     quota_metric: "requests".into(),
    ///     quota_dimensions: [("region".to_string(), "eu".to_string())].into_iter().collect(),
    ///     quota_value: 100,
    ///     future_quota_value: Some(0),
    ///     ..Default::default()
    /// };
    /// let back = Violation::decode(violation.encode_to_vec().as_slice())?;
    /// assert_eq!(back, violation);
    /// assert_eq!(back.future_quota_value, Some(0)); // explicit presence survives
    /// # Ok::<(), prost::DecodeError>(())
    /// ```
    #[derive(Clone, PartialEq, Eq, Hash, Default, Debug)]
    pub struct Violation {
        /// The subject the quota applies to, e.g. "project:demo".
        pub subject: String,
        /// What was exceeded, for humans.
        pub description: String,
        /// The API service the quota belongs to.
        pub api_service: String,
        /// The metric that went over its limit.
        pub quota_metric: String,
        /// Identifier of the quota limit.
        pub quota_id: String,
        /// The dimensions the quota applies to.
        pub quota_dimensions: BTreeMap<String, String>,
        /// The limit in force when the error happened.
        pub quota_value: i64,
        /// A limit change under way, when there is one.
        pub future_quota_value: Option<i64>,
        /// Fields this version of the schema does not know, kept as they arrived.
        pub unknown_fields: crate::UnknownFields,
    }

    impl Violation {
        /// Forgets the unknown fields of this message and of every message in
        /// it, as if they had never arrived.
        pub fn discard_unknown_fields(&mut self) {
            self.unknown_fields.clear();
        }

        fn strings(&self) -> [(u32, &String); 5] {
            [
                (1, &self.subject),
                (2, &self.description),
                (3, &self.api_service),
                (4, &self.quota_metric),
                (5, &self.quota_id),
            ]
        }
    }

    impl Message for Violation {
        fn encode_raw(&self, buf: &mut impl BufMut) {
            for (tag, value) in self.strings() {
                if !value.is_empty() {
                    encoding::string::encode(tag, value, buf);
                }
            }
            map_fields::encode(6, &self.quota_dimensions, &strings::<_, &[u8]>(), buf);
            if self.quota_value != 0 {
                encoding::int64::encode(7, &self.quota_value, buf);
            }
            if let Some(value) = &self.future_quota_value {
                encoding::int64::encode(8, value, buf);
            }
            self.unknown_fields.encode_raw(buf);
        }

        fn merge_field(
            &mut self,
            tag: u32,
            wire_type: WireType,
            buf: &mut impl Buf,
            ctx: DecodeContext,
        ) -> Result<(), DecodeError> {
            const NAME: &str = "Violation";
            let (field, result) = match tag {
                1 => (
                    "subject",
                    encoding::string::merge(wire_type, &mut self.subject, buf, ctx),
                ),
                2 => (
                    "description",
                    encoding::string::merge(wire_type, &mut self.description, buf, ctx),
                ),
                3 => (
                    "api_service",
                    encoding::string::merge(wire_type, &mut self.api_service, buf, ctx),
                ),
                4 => (
                    "quota_metric",
                    encoding::string::merge(wire_type, &mut self.quota_metric, buf, ctx),
                ),
                5 => (
                    "quota_id",
                    encoding::string::merge(wire_type, &mut self.quota_id, buf, ctx),
                ),
                6 => (
                    "quota_dimensions",
                    map_fields::merge(
                        &mut self.quota_dimensions,
                        &strings::<Vec<u8>, _>(),
                        buf,
                        ctx,
                    ),
                ),
                7 => (
                    "quota_value",
                    encoding::int64::merge(wire_type, &mut self.quota_value, buf, ctx),
                ),
                8 => (
                    "future_quota_value",
                    encoding::int64::merge(
                        wire_type,
                        self.future_quota_value.get_or_insert(0),
                        buf,
                        ctx,
                    ),
                ),
                _ => return self.unknown_fields.merge_field(tag, wire_type, buf, ctx),
            };
            result.map_err(|e| at(e, NAME, field))
        }

        fn encoded_len(&self) -> usize {
            let strings_len: usize = self
                .strings()
                .iter()
                .filter(|(_, value)| !value.is_empty())
                .map(|(tag, value)| encoding::string::encoded_len(*tag, value))
                .sum();
            let mut len = strings_len
                + map_fields::encoded_len(6, &self.quota_dimensions, &strings::<Vec<u8>, &[u8]>());
            if self.quota_value != 0 {
                len += encoding::int64::encoded_len(7, &self.quota_value);
            }
            if let Some(value) = &self.future_quota_value {
                len += encoding::int64::encoded_len(8, value);
            }
            len + self.unknown_fields.encoded_len()
        }

        fn clear(&mut self) {
            *self = Self::default();
        }
    }

    impl Name for Violation {
        const NAME: &'static str = "Violation";
        const PACKAGE: &'static str = "google.rpc";

        fn full_name() -> String {
            "google.rpc.QuotaFailure.Violation".into()
        }

        fn type_url() -> String {
            "type.googleapis.com/google.rpc.QuotaFailure.Violation".into()
        }
    }
}
