//! Glue between the port and the hyper adapter (crate `stytch-b2b-passwords-hyper`), which does
//! not depend on this crate: the operation name goes in, the attempt count comes out, and error
//! kinds map one to one.

use futures_util::FutureExt as _;
use stytch_b2b_passwords_hyper as adapter;

use crate::transport::{
    Attempts, HttpRequest, HttpResponse, HttpTransport, Operation, SendFuture, TransportError,
    TransportErrorKind,
};

/// The production transport (feature `hyper`, on by default): hyper 1 and hyper-util's pooled
/// client over rustls. [`ClientBuilder::build`](crate::ClientBuilder::build) uses it with its
/// default settings when no transport is given; build one with
/// [`HyperTransport::builder`](hyper::HyperTransport::builder) to change them.
///
/// ```
/// use std::time::Duration;
/// use stytch_b2b_passwords::transport::hyper::{HyperTransport, RetryPolicy};
/// use stytch_b2b_passwords::PasswordsClient;
///
/// let transport = HyperTransport::builder()
///     .timeout(Duration::from_secs(10))
///     .retry_policy(RetryPolicy::none())
///     .build()?;
/// let client = PasswordsClient::builder("project-test-123", "secret-test-456")
///     .transport(transport)
///     .build()?;
/// # let _ = client;
/// # Ok::<_, Box<dyn std::error::Error>>(())
/// ```
pub mod hyper {
    pub use stytch_b2b_passwords_hyper::{
        Error, ErrorKind, HyperTransport, HyperTransportBuilder, RetryPolicy,
    };
}

/// The transport `ClientBuilder::build` uses when none is given. No network call, no runtime.
pub(crate) fn default_transport() -> Result<adapter::HyperTransport, adapter::Error> {
    adapter::HyperTransport::new()
}

// Written out rather than through `#[async_trait]`: its `async` block would keep the request and
// then a second copy of the adapter's future in its state. Here the adapter splits the request
// before its future exists, and `map` adds no copy: the box holds the adapter's future and
// nothing else, small enough for the allocator's fast per-thread cache (under ~1 KiB; a larger
// block costs many times more to allocate with many calls in flight, see docs/PERFORMANCE.md).
impl HttpTransport for adapter::HyperTransport {
    fn send<'life0, 'async_trait>(&'life0 self, request: HttpRequest) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        let operation = request
            .extensions()
            .get::<Operation>()
            .map_or("http.request", |o| o.0);
        Box::pin(self.send_as(operation, request).map(to_port))
    }
}

/// The adapter's outcome in the port's terms: its `Attempts` extension becomes the port's.
fn to_port(outcome: Result<HttpResponse, adapter::Error>) -> Result<HttpResponse, TransportError> {
    match outcome {
        Ok(mut response) => {
            if let Some(adapter::Attempts(n)) = response.extensions_mut().remove() {
                response.extensions_mut().insert(Attempts(n));
            }
            Ok(response)
        }
        Err(error) => Err(map_error(error)),
    }
}

fn map_error(error: adapter::Error) -> TransportError {
    let (kind, message, source) = error.into_parts();
    let kind = match kind {
        adapter::ErrorKind::Connect => TransportErrorKind::Connect,
        adapter::ErrorKind::Timeout => TransportErrorKind::Timeout,
        adapter::ErrorKind::Io => TransportErrorKind::Io,
        adapter::ErrorKind::BodyTooLarge => TransportErrorKind::BodyTooLarge,
        adapter::ErrorKind::Refused => TransportErrorKind::Refused,
        _ => TransportErrorKind::Other,
    };
    let error = TransportError::new(kind, message);
    match source {
        Some(source) => error.with_source(source),
        None => error,
    }
}
