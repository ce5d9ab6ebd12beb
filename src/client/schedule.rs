//! The clock of one loop: counts attempts, picks the next wait from the
//! policies, and ends the loop at a limit or the deadline.

use super::{CallError, ClientError, Limit, PollOptions};
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

#[derive(Debug, Clone)]
pub(crate) struct Schedule {
    pub(crate) options: PollOptions,
    started: Instant,
    /// Calls made.
    pub(crate) attempts: u32,
    /// Answers in progress since the last restart, for the polling backoff.
    in_progress: u32,
    /// Failed calls in a row, for the retry backoff.
    failures: u32,
    /// The wait before the next call.
    next: Duration,
}

/// Why the loop must stop waiting.
pub(crate) enum Stop {
    Deadline(Duration),
}

impl Schedule {
    pub(crate) fn new(options: PollOptions) -> Self {
        Self {
            options,
            started: Instant::now(),
            attempts: 0,
            in_progress: 0,
            failures: 0,
            next: Duration::ZERO,
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    fn remaining(&self) -> Option<Duration> {
        self.options
            .deadline
            .map(|deadline| deadline.saturating_sub(self.elapsed()))
    }

    pub(crate) fn deadline_passed(&self) -> Option<Duration> {
        self.options
            .deadline
            .filter(|deadline| self.elapsed() >= *deadline)
    }

    /// The wait before the next call, as planned by the last answer.
    pub(crate) fn next_wait(&self) -> Duration {
        self.next
    }

    /// The next call comes at once, and the polling backoff starts over
    /// (after a cancel, say).
    pub(crate) fn restart(&mut self) {
        self.next = Duration::ZERO;
        self.in_progress = 0;
    }

    /// Sleeps `wait`, or until the deadline if that comes first.
    pub(crate) async fn sleep(&self, wait: Duration) -> Result<(), Stop> {
        match self.remaining() {
            Some(left) if left <= wait => {
                tokio::time::sleep(left).await;
                Err(Stop::Deadline(self.options.deadline.unwrap_or_default()))
            }
            _ => {
                tokio::time::sleep(wait).await;
                Ok(())
            }
        }
    }

    /// Makes one call bounded by the per-call timeout plus `extra` (a
    /// WaitOperation's own wait) and by the deadline.
    pub(crate) async fn call<T, F>(&mut self, extra: Duration, call: F) -> Result<T, CallError>
    where
        F: Future<Output = Result<T, CallError>>,
    {
        self.attempts = self.attempts.saturating_add(1);
        match self.call_bound(extra) {
            Some(after) => match tokio::time::timeout(after, call).await {
                Ok(answer) => answer,
                Err(_) => Err(CallError::Timeout { after }),
            },
            None => call.await,
        }
    }

    /// The per-call bound, for a gRPC `grpc-timeout` header.
    pub(crate) fn call_bound(&self, extra: Duration) -> Option<Duration> {
        match (self.options.call_timeout, self.remaining()) {
            (Some(timeout), Some(left)) => Some((timeout + extra).min(left)),
            (Some(timeout), None) => Some(timeout + extra),
            (None, left) => left,
        }
    }

    fn limit_reached(&self, default_attempts: Option<u32>) -> Option<Limit> {
        if let Some(max) = self.options.max_attempts.or(default_attempts)
            && self.attempts >= max
        {
            return Some(Limit::Attempts(max));
        }
        if let Some(max) = self.options.max_elapsed
            && self.elapsed() >= max
        {
            return Some(Limit::Elapsed(max));
        }
        None
    }

    fn exhausted(&self, limit: Limit, last: Option<CallError>) -> ClientError {
        ClientError::Exhausted {
            limit,
            attempts: self.attempts,
            elapsed: self.elapsed(),
            last,
        }
    }

    pub(crate) fn deadline_error(&self, deadline: Duration) -> ClientError {
        ClientError::DeadlineExceeded {
            deadline,
            attempts: self.attempts,
            cancel: None,
        }
    }

    /// After an answer in progress: plans the polling wait, or ends the
    /// loop at a limit.
    pub(crate) fn in_progress(&mut self, default_attempts: Option<u32>) -> Result<(), ClientError> {
        self.failures = 0;
        if let Some(deadline) = self.deadline_passed() {
            return Err(self.deadline_error(deadline));
        }
        if let Some(limit) = self.limit_reached(default_attempts) {
            return Err(self.exhausted(limit, None));
        }
        self.in_progress = self.in_progress.saturating_add(1);
        self.next = self.options.polling.delay(self.in_progress);
        Ok(())
    }

    /// After an answer that asks to be asked again (a canceller's
    /// `CANCELLING`): plans the retry wait, or ends the loop at a limit.
    pub(crate) fn retry_answer(
        &mut self,
        default_attempts: Option<u32>,
    ) -> Result<(), ClientError> {
        if let Some(deadline) = self.deadline_passed() {
            return Err(self.deadline_error(deadline));
        }
        if let Some(limit) = self.limit_reached(default_attempts) {
            return Err(self.exhausted(limit, None));
        }
        self.failures = self.failures.saturating_add(1);
        self.next = self.options.retry.next_delay(self.failures);
        Ok(())
    }

    /// After a failed call: `Ok(error)` when the loop goes on (the retry
    /// wait is planned), the error that ends it otherwise.
    pub(crate) fn failed(
        &mut self,
        rpc: &'static str,
        error: CallError,
        default_attempts: Option<u32>,
    ) -> Result<ClientError, ClientError> {
        if let Some(deadline) = self.deadline_passed() {
            return Err(self.deadline_error(deadline));
        }
        let call = ClientError::Call {
            rpc,
            attempt: self.attempts,
            error: error.clone(),
        };
        if !self.options.errors.continues(&error) {
            return Err(call);
        }
        if let Some(limit) = self.limit_reached(default_attempts) {
            return Err(self.exhausted(limit, Some(error)));
        }
        self.failures = self.failures.saturating_add(1);
        self.next = self.options.retry.next_delay(self.failures);
        Ok(call)
    }
}
