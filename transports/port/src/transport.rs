//! The `HttpTransport` trait and the extensions a request and a response carry.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;

use crate::error::TransportError;

/// A request as the client hands it to a transport: fully built, body buffered.
pub type HttpRequest = http::Request<Bytes>;
/// A response as a transport hands it back: body fully read.
pub type HttpResponse = http::Response<Bytes>;

/// Sends one HTTP request, once, and returns the response, whatever its status.
///
/// Implementations must not interpret the status or body, and must not retry: a 500 or a 429 is
/// an `Ok` response here, and the client decides whether to send again. Return `Err` only when
/// no complete response was received, with the [`TransportErrorKind`](crate::TransportErrorKind)
/// that says how far the request got.
///
/// The request carries the operation name (for example `passwords.authenticate`) as an
/// [`Operation`] in its extensions, for tracing and metrics without parsing URLs.
///
/// Implement it with `#[async_trait]`:
///
/// ```
/// use stytch_b2b_passwords_transport::{HttpRequest, HttpResponse, HttpTransport, TransportError};
///
/// #[derive(Debug)]
/// struct AlwaysOk;
///
/// #[async_trait::async_trait]
/// impl HttpTransport for AlwaysOk {
///     async fn send(&self, _request: HttpRequest) -> Result<HttpResponse, TransportError> {
///         Ok(http::Response::new(bytes::Bytes::from_static(b"{}")))
///     }
/// }
/// ```
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait HttpTransport: fmt::Debug + Send + Sync + 'static {
    /// Sends `request` and returns the complete response.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

#[async_trait]
impl<T: HttpTransport + ?Sized> HttpTransport for Arc<T> {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        (**self).send(request).await
    }
}

#[async_trait]
impl<T: HttpTransport + ?Sized> HttpTransport for Box<T> {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        (**self).send(request).await
    }
}

/// The name of the API operation a request belongs to, such as `passwords.authenticate`.
///
/// The client puts it in every request's [`http::Extensions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operation(pub &'static str);

/// Which attempt of one call a request is (the first is 1), or how many attempts a call made.
///
/// The client puts the attempt's number in each request's extensions, so a transport can log
/// or record it, and the count on every error ([`TransportError::attempts`]) and every typed
/// response. The core's `wire::parse_response` takes a response's count from this extension
/// (1 when there is none), for callers that run the sans-IO functions over their own loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Attempts(pub u32);
