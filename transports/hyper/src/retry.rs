//! When to send a request again, and how long to wait first.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, StatusCode};

/// How the transport retries: which failures, how many times, how long it waits.
///
/// The default retries only where the request **cannot have been acted on**:
///
/// - no connection could be made (refused, DNS failure, connect timeout), or the connection
///   closed before the request was written;
/// - the server answered `429 Too Many Requests` or `503 Service Unavailable`, which say the
///   request was not processed. A `Retry-After` given in seconds is honoured: the wait is at
///   least that long, and if it is longer than [`max_delay`](Self::with_max_delay) or would end past
///   the time budget, the response is returned at once instead of retried.
///
/// A request that may have reached the server is **not** retried by default: a timeout after
/// sending, a connection reset mid-response, a `500`, `502` or `504`. Password resets and reset
/// emails are not idempotent, so sending one twice could send two emails or change a password
/// twice. [`retry_after_send`](Self::with_retry_after_send) turns those retries on for callers who
/// know their calls are safe to repeat.
///
/// Waits grow exponentially from [`initial_delay`](Self::with_initial_delay), capped at
/// [`max_delay`](Self::with_max_delay), with jitter (each wait is between half and all of its step),
/// and no retry starts after [`max_elapsed`](Self::with_max_elapsed) from the start of the call or past
/// the transport's total timeout.
///
/// ```
/// use std::time::Duration;
/// use stytch_b2b_passwords_hyper::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(5)
///     .with_initial_delay(Duration::from_millis(50))
///     .with_max_elapsed(Duration::from_secs(5));
/// assert_eq!(policy.max_attempts(), 5);
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    max_elapsed: Duration,
    retry_after_send: bool,
}

impl Default for RetryPolicy {
    /// Three attempts in all, waits from 200 ms up to 5 s, at most 15 s spent, and only retries
    /// that are safe for any request.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(15),
            retry_after_send: false,
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

    /// The wait before the first retry; each further wait doubles it, up to `max_delay`.
    #[must_use]
    pub fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest single wait, `Retry-After` included: a server asking for a longer wait gets
    /// its response returned instead of a retry.
    #[must_use]
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// No retry starts (or waits) past this time from the start of the call.
    #[must_use]
    pub fn with_max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// Also retry where the request may have reached the server: a connection that failed after
    /// the request was sent, and `500`, `502` and `504` responses. Off by default; turn it on only
    /// for calls that are safe to repeat (a password reset or reset email is not).
    #[must_use]
    pub fn with_retry_after_send(mut self, enabled: bool) -> Self {
        self.retry_after_send = enabled;
        self
    }

    /// The most attempts per call.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before the first retry.
    pub fn initial_delay(&self) -> Duration {
        self.initial_delay
    }

    /// The longest single wait.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The time budget for retries, from the start of the call.
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// Whether requests that may have reached the server are retried.
    pub fn retry_after_send(&self) -> bool {
        self.retry_after_send
    }

    /// Whether a response with this status may be retried under this policy.
    pub(crate) fn retries_status(&self, status: StatusCode) -> bool {
        match status {
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => true,
            StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::BAD_GATEWAY
            | StatusCode::GATEWAY_TIMEOUT => self.retry_after_send,
            _ => false,
        }
    }

    /// The jittered exponential wait before attempt `next_attempt` (2 for the first retry).
    pub(crate) fn backoff(&self, next_attempt: u32) -> Duration {
        let exponent = next_attempt.saturating_sub(2).min(30);
        let step = self
            .initial_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        // Equal jitter: half the step for sure, the other half at random, so that many clients
        // failing together do not come back together.
        let half = step / 2;
        half + half.mul_f64(random_fraction())
    }
}

/// The `Retry-After` header, when it is a number of seconds (an HTTP date is ignored).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped_with_jitter() {
        let policy = RetryPolicy::default()
            .with_initial_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(350));
        for _ in 0..100 {
            let first = policy.backoff(2);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = policy.backoff(3);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            let capped = policy.backoff(20);
            assert!(capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350));
        }
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
    fn statuses() {
        let safe = RetryPolicy::default();
        assert!(safe.retries_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(safe.retries_status(StatusCode::SERVICE_UNAVAILABLE));
        assert!(!safe.retries_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(!safe.retries_status(StatusCode::BAD_GATEWAY));
        assert!(!safe.retries_status(StatusCode::OK));
        let unsafe_too = safe.with_retry_after_send(true);
        assert!(unsafe_too.retries_status(StatusCode::INTERNAL_SERVER_ERROR));
        assert!(unsafe_too.retries_status(StatusCode::GATEWAY_TIMEOUT));
        assert!(!unsafe_too.retries_status(StatusCode::BAD_REQUEST));
    }

    #[test]
    fn retry_after_seconds_only() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(http::header::RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(
            http::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
