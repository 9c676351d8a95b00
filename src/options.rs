//! `CallOptions`: what one call (or one handle on the client) may change.

use std::time::Duration;

use http::HeaderMap;

use crate::retry::RetryPolicy;

/// Options for the calls made through one handle on the client, set with
/// [`PasswordsClient::with_options`](crate::PasswordsClient::with_options).
///
/// ```
/// use std::time::Duration;
/// use stytch_b2b_passwords::{CallOptions, PasswordsClient, RetryPolicy};
///
/// # let client = PasswordsClient::builder("project-test-1", "secret-1")
/// #     .transport(stytch_b2b_passwords::transport::transport_fn(|_| async { unreachable!() }))
/// #     .build()?;
/// let mut options = CallOptions::default();
/// options.timeout = Some(Duration::from_secs(2));
/// options.retry = Some(RetryPolicy::none());
/// options.headers.insert("x-trace-id", http::HeaderValue::from_static("abc123"));
/// let quick = client.with_options(options); // a cheap clone: same pool, same retry budget
/// # let _ = quick;
/// # Ok::<_, stytch_b2b_passwords::ConfigError>(())
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// A limit for the whole call: every attempt and every wait between them. A call that runs
    /// out of time fails with a `Timeout` transport error. Needs a timer (see
    /// [`RetryPolicy`]); without one, the transport's own limits apply. `None`: no limit other
    /// than the transport's and the retry policy's.
    pub timeout: Option<Duration>,
    /// The retry policy for these calls, instead of the client's. The retry budget stays the
    /// client's.
    pub retry: Option<RetryPolicy>,
    /// Headers added to every request (replacing one of the same name).
    pub headers: HeaderMap,
}
