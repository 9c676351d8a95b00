//! When a call is sent again, how long it waits first, and the budget all of a client's calls
//! share. The one rule of what is safe to send again ([`retry_safe`]) is here, and
//! `Error::is_retryable` asks it too.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, StatusCode};

use crate::transport::TransportErrorKind;

/// How the client retries: how many attempts, how long it waits, and how much it may retry in
/// all. What is retried is not a setting: it is decided per operation and failure (see
/// [`Error::is_retryable`](crate::Error::is_retryable)):
///
/// - a connection that failed before the request was written: always;
/// - `429 Too Many Requests` and `503 Service Unavailable`: always, waiting at least the
///   `Retry-After` seconds the server asks for; when it asks for more than
///   [`max_retry_after`](Self::with_max_retry_after), the response is returned at once instead;
/// - a failure after the request may have been acted on (a timeout, a connection reset, a
///   `500`, `502` or `504`): only for operations that change nothing (`strength_check`),
///   because a reset email or a password change must not happen twice;
/// - anything else (a TLS certificate failure, a `4xx`): never.
///
/// Waits grow exponentially from [`initial_backoff`](Self::with_initial_backoff) up to
/// [`max_backoff`](Self::with_max_backoff) with full jitter (each wait is anywhere between zero
/// and its step), and no retry starts past [`max_elapsed`](Self::with_max_elapsed) from the start
/// of the call. Retries draw on a budget shared by all the client's calls (and its clones):
/// each retry costs tokens that only successful calls give back, so a full outage costs Stytch
/// little more than one request per call.
///
/// Waiting needs a [`Timer`](crate::transport::Timer): with the default hyper transport it is
/// Tokio's. A client without one, or outside a Tokio runtime, makes one attempt per call.
///
/// ```
/// use std::time::Duration;
/// use stytch_b2b_passwords::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_initial_backoff(Duration::from_millis(50))
///     .with_max_elapsed(Duration::from_secs(5));
/// assert_eq!(policy.max_attempts(), 5);
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    max_elapsed: Duration,
    budget: u32,
}

impl Default for RetryPolicy {
    /// Three attempts in all, waits from 200 ms up to 5 s, `Retry-After` honoured up to 10 s, no
    /// retry started after 15 s, and a budget of 500 tokens (100 retries with nothing
    /// succeeding).
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(10),
            max_elapsed: Duration::from_secs(15),
            budget: RetryBudget::DEFAULT_TOKENS,
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is one attempt.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The most attempts per call, the first included (so `1` means no retry). `0` counts as `1`.
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The step of the first wait; each further step doubles, up to `max_backoff`.
    #[must_use]
    pub fn with_initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// The largest step of a backoff wait.
    #[must_use]
    pub fn with_max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// The longest `Retry-After` waited for: a server asking for more gets its response
    /// returned instead of a retry.
    #[must_use]
    pub fn with_max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// No retry starts (or waits) past this time from the start of the call.
    #[must_use]
    pub fn with_max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// The retry budget's size in tokens, shared by all the client's calls: a retry costs
    /// [`RetryBudget::RETRY_COST`] (twice that after a timeout), a call that succeeds at once
    /// gives one back, and one that succeeds after retries gives back what it took.
    #[must_use]
    pub fn with_retry_budget(mut self, tokens: u32) -> Self {
        self.budget = tokens;
        self
    }

    /// The most attempts per call.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The step of the first wait.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest step of a backoff wait.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest `Retry-After` waited for.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The time after which no retry starts, from the start of the call.
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// The retry budget's size in tokens.
    pub fn retry_budget(&self) -> u32 {
        self.budget
    }

    /// The wait before retry number `retry` (1 for the first): full jitter over the step.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        let step = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        step.mul_f64(random_fraction())
    }

    /// The wait before sending again after `response`: the backoff, or at least what the server
    /// asks for in `Retry-After`; `None` when it asks for more than the policy waits.
    pub(crate) fn wait_after(&self, retry: u32, headers: Option<&HeaderMap>) -> Option<Duration> {
        let backoff = self.backoff(retry);
        match headers.and_then(retry_after) {
            Some(asked) if asked > self.max_retry_after => None,
            Some(asked) => Some(asked.max(backoff)),
            None => Some(backoff),
        }
    }
}

/// What a retry would answer: the failure of one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// A complete response with this status.
    Status(StatusCode),
    /// No complete response.
    Transport(TransportErrorKind),
}

/// The one rule: whether sending the request again is safe and may succeed, for an operation
/// that changes nothing (`read_only`) or one that may.
pub(crate) fn retry_safe(failure: Failure, read_only: bool) -> bool {
    match failure {
        // The server says it did not process the request.
        Failure::Status(StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE) => true,
        Failure::Status(
            StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::BAD_GATEWAY
            | StatusCode::GATEWAY_TIMEOUT,
        ) => read_only,
        Failure::Status(_) => false,
        // Never sent.
        Failure::Transport(TransportErrorKind::Connect) => true,
        // Sent, perhaps acted on, and perhaps to succeed next time.
        Failure::Transport(TransportErrorKind::Timeout | TransportErrorKind::Io) => read_only,
        // A certificate, a refusal, a size cap: the same next time.
        Failure::Transport(_) => false,
    }
}

/// The `Retry-After` header, when it is a number of seconds (an HTTP date is ignored).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// A number in `[0, 1)`, random enough for jitter: std's randomly keyed SipHash over the clock.
fn random_fraction() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    hasher.write_u32(nanos);
    // 53 random bits make an exact f64 in [0, 1).
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The token bucket all of a client's calls draw retries from (as the AWS SDKs' retry quota
/// does): retries stop when it is empty, and only successes fill it again.
#[derive(Debug)]
pub struct RetryBudget {
    capacity: u32,
    tokens: AtomicU32,
}

impl RetryBudget {
    /// Tokens in a new budget, unless the policy says otherwise.
    pub const DEFAULT_TOKENS: u32 = 500;
    /// What one retry costs (twice that after a timeout).
    pub const RETRY_COST: u32 = 5;

    pub(crate) fn new(capacity: u32) -> Self {
        Self {
            capacity,
            tokens: AtomicU32::new(capacity),
        }
    }

    /// The tokens left.
    pub fn available(&self) -> u32 {
        self.tokens.load(Ordering::Relaxed)
    }

    /// Takes the cost of a retry after `failure`, if there is enough; returns what it took.
    pub(crate) fn withdraw(&self, failure: Failure) -> Option<u32> {
        let cost = match failure {
            Failure::Transport(TransportErrorKind::Timeout) => 2 * Self::RETRY_COST,
            _ => Self::RETRY_COST,
        };
        self.tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                t.checked_sub(cost)
            })
            .ok()
            .map(|_| cost)
    }

    /// Gives back `tokens` after a success (at least one), up to the capacity.
    pub(crate) fn deposit(&self, tokens: u32) {
        // Full is the usual case: a plain load, no write to a shared cache line.
        if self.available() >= self.capacity {
            return;
        }
        let _ = self
            .tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                Some(t.saturating_add(tokens.max(1)).min(self.capacity))
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_full_jitter_capped() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        let mut seen_small = false;
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            let capped = policy.backoff(20);
            assert!(capped <= Duration::from_millis(350));
            seen_small |= capped < Duration::from_millis(175);
        }
        // Full jitter reaches below half the step, unlike "equal" jitter.
        assert!(seen_small);
        assert!(policy.backoff(u32::MAX) <= Duration::from_millis(350));
    }

    #[test]
    fn jitter_varies() {
        let values: std::collections::HashSet<u64> =
            (0..20).map(|_| random_fraction().to_bits()).collect();
        assert!(values.len() > 10);
        assert!((0..1000)
            .map(|_| random_fraction())
            .all(|f| (0.0..1.0).contains(&f)));
    }

    #[test]
    fn the_rule() {
        use Failure::{Status, Transport};
        use TransportErrorKind as K;
        for read_only in [false, true] {
            assert!(retry_safe(Status(StatusCode::TOO_MANY_REQUESTS), read_only));
            assert!(retry_safe(
                Status(StatusCode::SERVICE_UNAVAILABLE),
                read_only
            ));
            assert!(retry_safe(Transport(K::Connect), read_only));
            assert!(!retry_safe(Transport(K::Tls), read_only));
            assert!(!retry_safe(Transport(K::Refused), read_only));
            assert!(!retry_safe(Transport(K::BodyTooLarge), read_only));
            assert!(!retry_safe(Status(StatusCode::BAD_REQUEST), read_only));
            assert!(!retry_safe(Status(StatusCode::OK), read_only));
            assert_eq!(retry_safe(Transport(K::Timeout), read_only), read_only);
            assert_eq!(retry_safe(Transport(K::Io), read_only), read_only);
            for status in [500, 502, 504] {
                let status = StatusCode::from_u16(status).unwrap();
                assert_eq!(retry_safe(Status(status), read_only), read_only);
            }
        }
    }

    #[test]
    fn retry_after_seconds_only_and_capped() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_retry_after(Duration::from_secs(3));
        let mut headers = HeaderMap::new();
        assert!(policy.wait_after(1, Some(&headers)).unwrap() <= Duration::from_millis(1));
        headers.insert(http::header::RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(
            policy.wait_after(1, Some(&headers)),
            Some(Duration::from_secs(2))
        );
        headers.insert(http::header::RETRY_AFTER, "4".parse().unwrap());
        assert_eq!(policy.wait_after(1, Some(&headers)), None);
        headers.insert(
            http::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert!(policy.wait_after(1, Some(&headers)).unwrap() <= Duration::from_millis(1));
    }

    #[test]
    fn budget_drains_and_refills_to_capacity() {
        let budget = RetryBudget::new(12);
        let busy = Failure::Status(StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(budget.withdraw(busy), Some(5));
        assert_eq!(
            budget.withdraw(Failure::Transport(TransportErrorKind::Timeout)),
            None
        );
        assert_eq!(budget.withdraw(busy), Some(5));
        assert_eq!(budget.withdraw(busy), None);
        assert_eq!(budget.available(), 2);
        budget.deposit(0);
        assert_eq!(budget.available(), 3);
        budget.deposit(100);
        assert_eq!(budget.available(), 12);
    }
}
