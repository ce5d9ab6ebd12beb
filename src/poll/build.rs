//! The helpers a Flight server uses to answer `PollFlightInfo`: each
//! `PollInfo` of a query is the previous one plus new endpoints, so the
//! sequence keeps Flight's promises by construction.

use super::empty_info;
use crate::flight::{DescriptorType, FlightDescriptor, FlightEndpoint, FlightInfo, PollInfo};
use crate::validate::{FieldPath, Rule, Violation};
use crate::wkt::Timestamp;
use bytes::Bytes;

impl FlightDescriptor {
    /// A `CMD` descriptor with this command, such as the descriptor a
    /// server hands out to poll a query again.
    ///
    /// ```
    /// use cancelwire::flight::{DescriptorType, FlightDescriptor};
    ///
    /// let descriptor = FlightDescriptor::command("poll/query-7");
    /// assert_eq!(descriptor.descriptor_type(), DescriptorType::CMD);
    /// assert_eq!(&descriptor.cmd[..], b"poll/query-7");
    /// assert!(descriptor.path.is_empty());
    /// ```
    pub fn command(cmd: impl Into<Bytes>) -> Self {
        Self {
            r#type: DescriptorType::CMD.as_i32(),
            cmd: cmd.into(),
            path: Vec::new(),
            unknown_fields: crate::UnknownFields::new(),
        }
    }
}

impl PollInfo {
    /// The first `PollInfo` of a query: `info` as known so far, and `retry`,
    /// the descriptor the client polls again with.
    ///
    /// ```
    /// use cancelwire::flight::{FlightDescriptor, FlightInfo, PollInfo};
    ///
    /// let poll = PollInfo::started(FlightInfo::default(), FlightDescriptor::command("again"));
    /// assert!(!poll.is_complete());
    /// assert_eq!(poll.progress, None);
    /// ```
    pub fn started(info: FlightInfo, retry: FlightDescriptor) -> Self {
        Self {
            info: Some(info),
            flight_descriptor: Some(retry),
            progress: None,
            expiration_time: None,
            unknown_fields: crate::UnknownFields::new(),
        }
    }

    /// Whether the query is complete: `flight_descriptor` is unset.
    ///
    /// ```
    /// use cancelwire::flight::PollInfo;
    ///
    /// assert!(PollInfo::default().is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        self.flight_descriptor.is_none()
    }

    /// The next `PollInfo` of the query: this one with `new_endpoints`
    /// appended to `info.endpoint`, everything else (descriptor, progress,
    /// expiration, the rest of `info`) as it was. Flight lets later
    /// responses only append, so this is the one way to grow the result.
    ///
    /// ```
    /// use cancelwire::flight::{FlightDescriptor, FlightEndpoint, FlightInfo, PollInfo, Ticket};
    ///
    /// let endpoint = |t: &'static str| FlightEndpoint { ticket: Some(Ticket { ticket: t.into(), ..Default::default() }), ..Default::default() };
    /// let first = PollInfo::started(FlightInfo::default(), FlightDescriptor::command("again"));
    /// let second = first.next([endpoint("a")]);
    /// let third = second.next([endpoint("b"), endpoint("c")]);
    /// assert_eq!(third.info.as_ref().unwrap().endpoint.len(), 3);
    /// assert_eq!(third.flight_descriptor, first.flight_descriptor);
    /// ```
    pub fn next(&self, new_endpoints: impl IntoIterator<Item = FlightEndpoint>) -> Self {
        let mut next = self.clone();
        next.info
            .get_or_insert_with(empty_info)
            .endpoint
            .extend(new_endpoints);
        next
    }

    /// This `PollInfo` with `progress` set; a value outside [0, 1] (or NaN)
    /// is a [`Rule::Range`] violation at `poll_info.progress`, as Flight
    /// allows only [0, 1].
    ///
    /// ```
    /// use cancelwire::flight::PollInfo;
    ///
    /// assert_eq!(PollInfo::default().with_progress(0.5)?.progress, Some(0.5));
    /// let err = PollInfo::default().with_progress(1.5).unwrap_err();
    /// assert_eq!(err.to_string(), "poll_info.progress: 1.5 is outside [0.0, 1.0] (range)");
    /// # Ok::<(), cancelwire::validate::Violation>(())
    /// ```
    pub fn with_progress(mut self, progress: f64) -> Result<Self, Violation> {
        if !(0.0..=1.0).contains(&progress) {
            return Err(Violation::new(
                FieldPath::of::<PollInfo>().field("progress"),
                Rule::Range,
                format!("{progress} is outside [0.0, 1.0]"),
            ));
        }
        self.progress = Some(progress);
        Ok(self)
    }

    /// This `PollInfo` with `expiration_time` set: when the server may stop
    /// accepting the descriptor to poll again.
    ///
    /// ```
    /// use cancelwire::flight::PollInfo;
    /// use cancelwire::wkt::Timestamp;
    ///
    /// let at = Timestamp { seconds: 1_800_000_000, nanos: 0, ..Default::default() };
    /// assert_eq!(PollInfo::default().with_expiration_time(at.clone()).expiration_time, Some(at));
    /// ```
    pub fn with_expiration_time(mut self, expiration_time: Timestamp) -> Self {
        self.expiration_time = Some(expiration_time);
        self
    }

    /// The last `PollInfo` of the query: this one without the descriptor to
    /// poll again, so `info` holds all results.
    ///
    /// ```
    /// use cancelwire::flight::{FlightDescriptor, FlightInfo, PollInfo};
    ///
    /// let running = PollInfo::started(FlightInfo::default(), FlightDescriptor::command("again"));
    /// let done = running.completed();
    /// assert!(done.is_complete());
    /// assert_eq!(done.info, running.info);
    /// ```
    pub fn completed(&self) -> Self {
        Self {
            flight_descriptor: None,
            ..self.clone()
        }
    }
}
