//! What the Flight specification says a client does with each
//! [`CancelStatus`].

use super::CancelStatus;

impl CancelStatus {
    /// Whether the answer settles the cancellation: `CANCELLED` (the query
    /// is cancelled, by this request or an earlier one) and
    /// `NOT_CANCELLABLE` (it never will be) are final. `CANCELLING` is in
    /// progress, `UNSPECIFIED` says nothing; a number this crate does not
    /// know is treated like `UNSPECIFIED`.
    ///
    /// ```
    /// use cancelwire::flight::CancelStatus;
    ///
    /// assert!(CancelStatus::CANCELLED.is_final());
    /// assert!(CancelStatus::NOT_CANCELLABLE.is_final());
    /// assert!(!CancelStatus::CANCELLING.is_final());
    /// assert!(!CancelStatus::from_i32(9).is_final());
    /// ```
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            CancelStatus::CANCELLED | CancelStatus::NOT_CANCELLABLE
        )
    }

    /// Whether the client may send the same `CancelFlightInfo` request
    /// again to learn more: yes after `CANCELLING` and `UNSPECIFIED` (and
    /// unknown numbers), which the spec lets clients retry; no after
    /// `NOT_CANCELLABLE`, which it tells clients not to retry, nor after
    /// `CANCELLED`, where a retry can only repeat the answer or say the
    /// query is gone (`NOT_FOUND`).
    ///
    /// ```
    /// use cancelwire::flight::CancelStatus;
    ///
    /// assert!(CancelStatus::CANCELLING.may_retry());
    /// assert!(CancelStatus::UNSPECIFIED.may_retry());
    /// assert!(!CancelStatus::NOT_CANCELLABLE.may_retry());
    /// ```
    pub const fn may_retry(self) -> bool {
        !self.is_final()
    }
}
