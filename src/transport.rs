//! The `HttpTransport` port: the only way the client reaches the network.
//!
//! A transport is deliberately dumb: it sends one fully built request and hands back status,
//! headers and body. Authentication, JSON, error mapping and the choice of what to retry belong to
//! the core, so every adapter (hyper, the emulator, a test fake) behaves the same.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;

/// A request as the client hands it to a transport: fully built, body buffered.
pub type HttpRequest = http::Request<Bytes>;
/// A response as a transport hands it back: body fully read.
pub type HttpResponse = http::Response<Bytes>;

/// Sends one HTTP request and returns the response, whatever its status.
///
/// Implementations must not interpret the status or body: a 500 is an `Ok` response here. Return
/// `Err` only when no complete response was received.
///
/// The request carries the operation name (for example `passwords.authenticate`) as an
/// [`Operation`] in its extensions, for tracing and metrics without parsing URLs.
///
/// ```
/// use stytch_b2b_passwords::transport::{HttpRequest, HttpResponse, HttpTransport, TransportError};
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

/// The future `HttpTransport::send` returns, as `#[async_trait]` spells it.
pub(crate) type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

// The forwarding impls hand back the inner transport's future as it is: through
// `#[async_trait]` each would box it once more, on every call.
impl<T: HttpTransport + ?Sized> HttpTransport for Arc<T> {
    fn send<'life0, 'async_trait>(&'life0 self, request: HttpRequest) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        (**self).send(request)
    }
}

impl<T: HttpTransport + ?Sized> HttpTransport for Box<T> {
    fn send<'life0, 'async_trait>(&'life0 self, request: HttpRequest) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        (**self).send(request)
    }
}

/// The name of the API operation a request belongs to, such as `passwords.authenticate`.
///
/// The client puts it in every request's [`http::Extensions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operation(pub &'static str);

/// How many attempts a transport made for one call. A transport that retries may put it in the
/// response's extensions, for whoever reads raw responses (the default hyper transport does;
/// its tracing span also records the count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempts(pub u32);

/// What went wrong in a transport, in terms that decide whether a retry is safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS failure, TLS handshake failure). The request was
    /// never sent, so it is safe to send again.
    Connect,
    /// A time limit ran out. The request may have reached the server.
    Timeout,
    /// The connection failed after the request may have been sent (reset, closed mid-body).
    Io,
    /// The response body was larger than the transport's limit.
    BodyTooLarge,
    /// The transport refused the request before sending it (for example plain `http://` to a
    /// host that is not loopback).
    Refused,
    /// Anything else.
    Other,
}

impl TransportErrorKind {
    /// Whether a retry is safe: only when the request provably never left this process.
    pub fn is_retryable(self) -> bool {
        matches!(self, TransportErrorKind::Connect)
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Io => "i/o",
            TransportErrorKind::BodyTooLarge => "body too large",
            TransportErrorKind::Refused => "refused",
            TransportErrorKind::Other => "other",
        })
    }
}

/// A failure to get a complete response from the transport.
///
/// The message must never contain a secret: transports build it from URLs without credentials,
/// socket errors and limits, never from request headers or bodies.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl TransportError {
    /// A new error of `kind` with a short description.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying cause, kept for [`std::error::Error::source`]: any error, or one
    /// already boxed (as adapters often hold them).
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The short description given when the error was made.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the request provably was not sent, so sending it again is safe.
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }

    /// Whether a time limit ran out.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error ({}): {}", self.kind, self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(feature = "hyper")]
pub use crate::hyper_transport::hyper;

type BoxFuture = SendFuture<'static>;

/// A transport made from a closure, for tests and small in-process fakes.
///
/// ```
/// use stytch_b2b_passwords::transport::transport_fn;
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

impl HttpTransport for FnTransport {
    fn send<'life0, 'async_trait>(&'life0 self, request: HttpRequest) -> SendFuture<'async_trait>
    where
        'life0: 'async_trait,
        Self: 'async_trait,
    {
        (self.0)(request)
    }
}
