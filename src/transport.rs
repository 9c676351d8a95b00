//! The `HttpTransport` port: the only way the client reaches the network, and the `Timer` it
//! waits on between retries.
//!
//! Everything here lives in the small `stytch-b2b-passwords-transport` crate, which every
//! adapter depends on; this module re-exports it. A transport is deliberately dumb: it sends one
//! fully built request, once, and hands back status, headers and body. Authentication, JSON,
//! error mapping, retries and deadlines belong to the client, so every adapter (hyper, the
//! emulator, a test fake) behaves the same.

pub use stytch_b2b_passwords_transport::*;

/// The production transport (feature `hyper`, on by default): hyper 1 and hyper-util's pooled
/// client over rustls, from the crate `stytch-b2b-passwords-hyper`.
/// [`ClientBuilder::build`](crate::ClientBuilder::build) uses it with its default settings when
/// no transport is given; build one with [`HyperTransport::builder`](hyper::HyperTransport::builder)
/// to change them.
///
/// ```
/// use std::time::Duration;
/// use stytch_b2b_passwords::transport::hyper::{HyperTransport, TokioTimer};
/// use stytch_b2b_passwords::{PasswordsClient, RetryPolicy};
///
/// let transport = HyperTransport::builder()
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// let client = PasswordsClient::builder("project-test-123", "secret-test-456")
///     .transport(transport)
///     .timer(TokioTimer) // the default with this feature
///     .retry_policy(RetryPolicy::default().with_max_attempts(2))
///     .build()?;
/// # let _ = client;
/// # Ok::<_, Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "hyper")]
pub mod hyper {
    pub use stytch_b2b_passwords_hyper::{HyperTransport, HyperTransportBuilder, TokioTimer};
}
