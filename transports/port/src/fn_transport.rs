//! A transport made from a closure.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;

use crate::error::TransportError;
use crate::transport::{HttpRequest, HttpResponse, HttpTransport};

type BoxFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send>>;

/// A transport made from a closure, for tests and small in-process fakes.
///
/// ```
/// use stytch_b2b_passwords_transport::transport_fn;
///
/// let transport = transport_fn(|request| async move {
///     assert_eq!(request.uri().path(), "/v1/b2b/passwords/strength_check");
///     Ok(http::Response::builder()
///         .status(200)
///         .body(bytes::Bytes::from_static(b"{}"))
///         .unwrap())
/// });
/// # let _ = transport;
/// ```
pub fn transport_fn<F, Fut>(f: F) -> FnTransport
where
    F: Fn(HttpRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<HttpResponse, TransportError>> + Send + 'static,
{
    FnTransport(Box::new(move |req| Box::pin(f(req))))
}

/// The transport returned by [`transport_fn`].
pub struct FnTransport(Box<dyn Fn(HttpRequest) -> BoxFuture + Send + Sync>);

impl fmt::Debug for FnTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnTransport")
    }
}

#[async_trait]
impl HttpTransport for FnTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        (self.0)(request).await
    }
}
