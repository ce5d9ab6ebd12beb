//! The policies a poller and a canceller follow: how long to wait between
//! polls and between retries, which errors to retry, when to give up.

use super::CallError;
use crate::rpc::Code;
use std::fmt;
use std::time::Duration;

/// A backoff setting that cannot work: a zero initial delay, a maximum
/// below the initial delay, or a scaling below 1 (or not a number).
///
/// ```
/// use cancelwire::client::PollingBackoff;
/// use std::time::Duration;
///
/// let err = PollingBackoff::new(Duration::from_secs(2), Duration::from_secs(1), 2.0).unwrap_err();
/// assert_eq!(err.to_string(), "backoff.maximum: 1s is below the initial delay 2s");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyError {
    field: &'static str,
    reason: String,
}

impl PolicyError {
    /// The setting at fault, like `backoff.scaling`.
    ///
    /// ```
    /// use cancelwire::client::PollingBackoff;
    /// use std::time::Duration;
    ///
    /// let err = PollingBackoff::new(Duration::from_secs(1), Duration::from_secs(1), 0.5).unwrap_err();
    /// assert_eq!(err.field(), "backoff.scaling");
    /// ```
    pub fn field(&self) -> &'static str {
        self.field
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for PolicyError {}

/// Truncated exponential growth: `initial * scaling^(n-1)`, capped at
/// `maximum`, for the n-th wait.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Exponential {
    initial: Duration,
    maximum: Duration,
    scaling: f64,
}

impl Exponential {
    const DEFAULT: Self = Self {
        initial: Duration::from_secs(1),
        maximum: Duration::from_secs(60),
        scaling: 2.0,
    };

    fn new(initial: Duration, maximum: Duration, scaling: f64) -> Result<Self, PolicyError> {
        if initial.is_zero() {
            return Err(PolicyError {
                field: "backoff.initial",
                reason: "must be more than zero".into(),
            });
        }
        if maximum < initial {
            return Err(PolicyError {
                field: "backoff.maximum",
                reason: format!("{maximum:?} is below the initial delay {initial:?}"),
            });
        }
        if !(scaling >= 1.0 && scaling.is_finite()) {
            return Err(PolicyError {
                field: "backoff.scaling",
                reason: format!("{scaling} is not a finite number of at least 1"),
            });
        }
        Ok(Self {
            initial,
            maximum,
            scaling,
        })
    }

    fn delay(&self, n: u32) -> Duration {
        let exponent = i32::try_from(n.saturating_sub(1)).unwrap_or(i32::MAX);
        let factor = self.scaling.powi(exponent);
        if factor >= self.maximum.div_duration_f64(self.initial) {
            self.maximum
        } else {
            // factor is finite, at least 1 and below maximum / initial.
            self.initial.mul_f64(factor)
        }
    }
}

/// How long a poller waits between two polls of work still in progress:
/// truncated exponential backoff without jitter (the schedule of polls is
/// predictable, and the server's answer, not chance, spreads the clients).
/// The default is google-cloud-rust's: 1 s, doubling, at most 60 s.
///
/// ```
/// use cancelwire::client::PollingBackoff;
/// use std::time::Duration;
///
/// let backoff = PollingBackoff::default();
/// let waits: Vec<u64> = (1..=8).map(|n| backoff.delay(n).as_secs()).collect();
/// assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollingBackoff(Exponential);

impl Default for PollingBackoff {
    fn default() -> Self {
        Self(Exponential::DEFAULT)
    }
}

impl PollingBackoff {
    /// `initial` before the second poll, multiplied by `scaling` before each
    /// further one, never more than `maximum`.
    ///
    /// ```
    /// use cancelwire::client::PollingBackoff;
    /// use std::time::Duration;
    ///
    /// let fast = PollingBackoff::new(Duration::from_millis(100), Duration::from_millis(250), 1.5)?;
    /// assert_eq!(fast.delay(2), Duration::from_millis(150));
    /// assert_eq!(fast.delay(4), Duration::from_millis(250));
    /// # Ok::<(), cancelwire::client::PolicyError>(())
    /// ```
    pub fn new(initial: Duration, maximum: Duration, scaling: f64) -> Result<Self, PolicyError> {
        Exponential::new(initial, maximum, scaling).map(Self)
    }

    /// The wait after the `n`-th answer in progress (from 1).
    ///
    /// ```
    /// use cancelwire::client::PollingBackoff;
    /// use std::time::Duration;
    ///
    /// assert_eq!(PollingBackoff::default().delay(3), Duration::from_secs(4));
    /// ```
    pub fn delay(&self, n: u32) -> Duration {
        self.0.delay(n)
    }
}

/// How long to wait before retrying a call that failed (or, for a
/// canceller, a request answered `CANCELLING`): truncated exponential
/// backoff with full jitter by default, a wait drawn uniformly from zero to
/// the exponential delay, so that clients that failed together do not
/// retry together. Without jitter the wait is the exponential delay itself.
/// The default is google-cloud-rust's: 1 s, doubling, at most 60 s, jitter.
///
/// ```
/// use cancelwire::client::RetryBackoff;
/// use std::time::Duration;
///
/// let exact = RetryBackoff::default().without_jitter();
/// assert_eq!(exact.cap(3), Duration::from_secs(4));
///
/// let mut jittered = RetryBackoff::default().with_seed(7);
/// let wait = jittered.next_delay(3);
/// assert!(wait <= Duration::from_secs(4));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryBackoff {
    exponential: Exponential,
    jitter: bool,
    rng: SplitMix64,
}

impl Default for RetryBackoff {
    fn default() -> Self {
        Self {
            exponential: Exponential::DEFAULT,
            jitter: true,
            rng: SplitMix64::from_entropy(),
        }
    }
}

impl RetryBackoff {
    /// `initial` before the first retry, multiplied by `scaling` before each
    /// further one, never more than `maximum`; with jitter.
    ///
    /// ```
    /// use cancelwire::client::RetryBackoff;
    /// use std::time::Duration;
    ///
    /// let quick = RetryBackoff::new(Duration::from_millis(50), Duration::from_secs(1), 2.0)?;
    /// assert_eq!(quick.cap(2), Duration::from_millis(100));
    /// # Ok::<(), cancelwire::client::PolicyError>(())
    /// ```
    pub fn new(initial: Duration, maximum: Duration, scaling: f64) -> Result<Self, PolicyError> {
        Ok(Self {
            exponential: Exponential::new(initial, maximum, scaling)?,
            ..Self::default()
        })
    }

    /// The same delays without jitter: every wait is [`cap`](Self::cap).
    ///
    /// ```
    /// use cancelwire::client::RetryBackoff;
    /// use std::time::Duration;
    ///
    /// assert_eq!(RetryBackoff::default().without_jitter().next_delay(2), Duration::from_secs(2));
    /// ```
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// Draws the jitter from a generator seeded with `seed`, so that a run
    /// can be repeated (the default seed differs from run to run).
    ///
    /// ```
    /// use cancelwire::client::RetryBackoff;
    ///
    /// let mut a = RetryBackoff::default().with_seed(42);
    /// let mut b = RetryBackoff::default().with_seed(42);
    /// assert_eq!(a.next_delay(5), b.next_delay(5));
    /// ```
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.rng = SplitMix64(seed);
        self
    }

    /// Whether the waits are jittered.
    ///
    /// ```
    /// use cancelwire::client::RetryBackoff;
    ///
    /// assert!(RetryBackoff::default().has_jitter());
    /// ```
    pub fn has_jitter(&self) -> bool {
        self.jitter
    }

    /// The longest wait before retry `n` (from 1).
    ///
    /// ```
    /// use cancelwire::client::RetryBackoff;
    /// use std::time::Duration;
    ///
    /// assert_eq!(RetryBackoff::default().cap(7), Duration::from_secs(60));
    /// ```
    pub fn cap(&self, n: u32) -> Duration {
        self.exponential.delay(n)
    }

    /// The wait before retry `n` (from 1): [`cap`](Self::cap) scaled by a
    /// draw in [0, 1] with jitter, the cap itself without.
    ///
    /// ```
    /// use cancelwire::client::RetryBackoff;
    /// use std::time::Duration;
    ///
    /// let mut backoff = RetryBackoff::default().with_seed(1);
    /// assert!((1..=10).all(|n| backoff.next_delay(n) <= backoff.cap(n)));
    /// ```
    pub fn next_delay(&mut self, n: u32) -> Duration {
        let cap = self.cap(n);
        if self.jitter {
            cap.mul_f64(self.rng.unit())
        } else {
            cap
        }
    }
}

/// A small, fast generator for jitter (SplitMix64); not for secrets.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

/// Where the draws are is not part of the policy: two backoffs with the
/// same delays and jitter setting are equal.
impl PartialEq for SplitMix64 {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl SplitMix64 {
    fn from_entropy() -> Self {
        use std::hash::{BuildHasher, Hasher};
        // std seeds each RandomState from the operating system's randomness.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(0x9e37_79b9_7f4a_7c15);
        Self(hasher.finish())
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1]: the top 53 bits over 2^53 - 1.
    fn unit(&mut self) -> f64 {
        const MAX: u64 = (1 << 53) - 1;
        (self.next_u64() >> 11) as f64 / MAX as f64
    }
}

/// Which failed calls a poller or canceller retries. Whatever the policy,
/// the attempt and time limits of [`PollOptions`] still apply.
///
/// ```
/// use cancelwire::client::{CallError, ErrorPolicy};
/// use cancelwire::rpc::{Code, Status};
///
/// let strict = ErrorPolicy::default();
/// assert!(strict.continues(&CallError::Status(Status::new(Code::UNAVAILABLE, "restarting"))));
/// assert!(!strict.continues(&CallError::Status(Status::new(Code::INTERNAL, "bug"))));
/// assert!(strict.continues(&CallError::Transport { message: "connection reset".into() }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ErrorPolicy {
    /// AIP-194, read strictly: retry only `UNAVAILABLE` and failures of the
    /// transport (no answer arrived: connection refused or reset, or the
    /// per-call timeout passed). Polling calls are idempotent, so a call
    /// that got no answer is safe to repeat.
    #[default]
    Aip194Strict,
    /// As [`Aip194Strict`](Self::Aip194Strict), and these codes too.
    ContinueOn(Vec<Code>),
    /// Retry every error, until a limit is reached.
    AlwaysContinue,
}

impl ErrorPolicy {
    /// Whether a call that failed with `error` may be retried.
    ///
    /// ```
    /// use cancelwire::client::{CallError, ErrorPolicy};
    /// use cancelwire::rpc::{Code, Status};
    /// use std::time::Duration;
    ///
    /// let lenient = ErrorPolicy::ContinueOn(vec![Code::RESOURCE_EXHAUSTED]);
    /// assert!(lenient.continues(&CallError::Status(Status::new(Code::RESOURCE_EXHAUSTED, "quota"))));
    /// assert!(lenient.continues(&CallError::Timeout { after: Duration::from_secs(1) }));
    /// assert!(ErrorPolicy::AlwaysContinue.continues(&CallError::Status(Status::internal("bug"))));
    /// ```
    pub fn continues(&self, error: &CallError) -> bool {
        let code = match error {
            CallError::Transport { .. } | CallError::Timeout { .. } => return true,
            CallError::Status(status) => status.code(),
        };
        match self {
            ErrorPolicy::Aip194Strict => code == Code::UNAVAILABLE,
            ErrorPolicy::ContinueOn(codes) => code == Code::UNAVAILABLE || codes.contains(&code),
            ErrorPolicy::AlwaysContinue => true,
        }
    }
}

/// The attempts a canceller makes when [`PollOptions::max_attempts`] is
/// unset: a server that answers `CANCELLING` forever must not keep the
/// caller forever.
pub const DEFAULT_CANCEL_ATTEMPTS: u32 = 10;

/// Everything that shapes a polling or cancelling loop. Set on a client
/// for every poller it makes, and replaced for one poller with its
/// `with_options`.
///
/// | field | default | what |
/// |---|---|---|
/// | `polling` | 1 s, x2, 60 s | the wait between answers in progress |
/// | `retry` | 1 s, x2, 60 s, full jitter | the wait before retrying a failed call |
/// | `errors` | AIP-194 strict | which failed calls are retried |
/// | `max_attempts` | none (a canceller: [`DEFAULT_CANCEL_ATTEMPTS`]) | calls before giving up |
/// | `max_elapsed` | none | time before giving up |
/// | `call_timeout` | 30 s | the bound of one call (a `WaitOperation` gets its wait on top) |
/// | `deadline` | none | the caller's deadline for the whole loop; a Flight poller then sends a best-effort cancel |
/// | `cancel_timeout` | 5 s | the bound of that best-effort cancel |
/// | `use_wait` | true | `WaitOperation` instead of sleeping and `GetOperation` |
/// | `cancel_on_drop` | true | a Flight poller dropped before the end sends a best-effort cancel |
///
/// ```
/// use cancelwire::client::{ErrorPolicy, PollOptions, PollingBackoff};
/// use std::time::Duration;
///
/// let options = PollOptions::default()
///     .with_polling(PollingBackoff::new(Duration::from_millis(200), Duration::from_secs(5), 2.0)?)
///     .with_max_attempts(20)
///     .with_deadline(Duration::from_secs(30));
/// assert_eq!(options.max_attempts, Some(20));
/// assert_eq!(options.errors, ErrorPolicy::Aip194Strict);
/// # Ok::<(), cancelwire::client::PolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PollOptions {
    /// The wait between answers in progress.
    pub polling: PollingBackoff,
    /// The wait before retrying a failed call.
    pub retry: RetryBackoff,
    /// Which failed calls are retried.
    pub errors: ErrorPolicy,
    /// Give up after this many calls.
    pub max_attempts: Option<u32>,
    /// Give up once this much time has passed since the loop started.
    pub max_elapsed: Option<Duration>,
    /// The bound of one call.
    pub call_timeout: Option<Duration>,
    /// The caller's deadline, from the start of the loop.
    pub deadline: Option<Duration>,
    /// The bound of a best-effort cancel.
    pub cancel_timeout: Duration,
    /// Whether to use `WaitOperation` where the server has it.
    pub use_wait: bool,
    /// Whether a Flight poller dropped early sends a best-effort cancel.
    pub cancel_on_drop: bool,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self {
            polling: PollingBackoff::default(),
            retry: RetryBackoff::default(),
            errors: ErrorPolicy::default(),
            max_attempts: None,
            max_elapsed: None,
            call_timeout: Some(Duration::from_secs(30)),
            deadline: None,
            cancel_timeout: Duration::from_secs(5),
            use_wait: true,
            cancel_on_drop: true,
        }
    }
}

impl PollOptions {
    /// Replaces the polling backoff.
    ///
    /// ```
    /// use cancelwire::client::{PollOptions, PollingBackoff};
    ///
    /// assert_eq!(PollOptions::default().with_polling(PollingBackoff::default()).polling, PollingBackoff::default());
    /// ```
    pub fn with_polling(mut self, polling: PollingBackoff) -> Self {
        self.polling = polling;
        self
    }

    /// Replaces the retry backoff.
    ///
    /// ```
    /// use cancelwire::client::{PollOptions, RetryBackoff};
    ///
    /// assert!(!PollOptions::default().with_retry(RetryBackoff::default().without_jitter()).retry.has_jitter());
    /// ```
    pub fn with_retry(mut self, retry: RetryBackoff) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the error policy.
    ///
    /// ```
    /// use cancelwire::client::{ErrorPolicy, PollOptions};
    ///
    /// let options = PollOptions::default().with_errors(ErrorPolicy::AlwaysContinue);
    /// assert_eq!(options.errors, ErrorPolicy::AlwaysContinue);
    /// ```
    pub fn with_errors(mut self, errors: ErrorPolicy) -> Self {
        self.errors = errors;
        self
    }

    /// Gives up after `attempts` calls.
    ///
    /// ```
    /// assert_eq!(cancelwire::client::PollOptions::default().with_max_attempts(3).max_attempts, Some(3));
    /// ```
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Gives up once `elapsed` has passed since the loop started.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let options = cancelwire::client::PollOptions::default().with_max_elapsed(Duration::from_secs(600));
    /// assert_eq!(options.max_elapsed, Some(Duration::from_secs(600)));
    /// ```
    pub fn with_max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = Some(elapsed);
        self
    }

    /// Bounds each call (`None`: unbounded).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let options = cancelwire::client::PollOptions::default().with_call_timeout(Some(Duration::from_secs(2)));
    /// assert_eq!(options.call_timeout, Some(Duration::from_secs(2)));
    /// ```
    pub fn with_call_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.call_timeout = timeout;
        self
    }

    /// The caller's deadline for the whole loop.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let options = cancelwire::client::PollOptions::default().with_deadline(Duration::from_secs(10));
    /// assert_eq!(options.deadline, Some(Duration::from_secs(10)));
    /// ```
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Bounds the best-effort cancel of a Flight poller.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let options = cancelwire::client::PollOptions::default().with_cancel_timeout(Duration::from_secs(1));
    /// assert_eq!(options.cancel_timeout, Duration::from_secs(1));
    /// ```
    pub fn with_cancel_timeout(mut self, timeout: Duration) -> Self {
        self.cancel_timeout = timeout;
        self
    }

    /// Whether to use `WaitOperation` where the server has it.
    ///
    /// ```
    /// assert!(!cancelwire::client::PollOptions::default().with_wait(false).use_wait);
    /// ```
    pub fn with_wait(mut self, use_wait: bool) -> Self {
        self.use_wait = use_wait;
        self
    }

    /// Whether a Flight poller dropped early sends a best-effort cancel.
    ///
    /// ```
    /// assert!(!cancelwire::client::PollOptions::default().with_cancel_on_drop(false).cancel_on_drop);
    /// ```
    pub fn with_cancel_on_drop(mut self, cancel: bool) -> Self {
        self.cancel_on_drop = cancel;
        self
    }
}
