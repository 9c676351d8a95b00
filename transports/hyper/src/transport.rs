//! The transport itself: settings, the pooled client, and one call with its retries.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt as _;
use http::{Request, Response, Uri};
use hyper_rustls::HttpsConnectorBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument as _;

use async_trait::async_trait;
use stytch_b2b_passwords_transport::target::{check_target, Target};
use stytch_b2b_passwords_transport::{
    Attempts, HttpRequest, HttpResponse, HttpTransport, Operation, TransportError,
    TransportErrorKind,
};

use crate::body::{read_body, Full};
use crate::connect::TimedConnector;
use stytch_b2b_passwords_transport::cause::{any_cause, root_cause};

/// The span name used when a request carries no [`OperationName`].
const UNNAMED_OPERATION: &str = "http.request";

type HyperClient = Client<TimedConnector, Full>;

/// An HTTPS client for one service: pooled keep-alive connections (HTTP/2 when the server offers
/// it), rustls with the ring provider, time limits, a response size cap and safe retries.
///
/// Cloning is cheap and clones share the connection pool; the transport is `Send + Sync` and
/// serves many tasks at once. Building it makes no network call and needs no runtime; sending
/// needs a Tokio runtime with time and I/O enabled (`#[tokio::main]` has both).
///
/// ```no_run
/// # async fn run() -> Result<(), stytch_b2b_passwords_transport::TransportError> {
/// use std::time::Duration;
/// use stytch_b2b_passwords_hyper::HyperTransport;
/// use stytch_b2b_passwords_transport::{HttpTransport, Operation};
///
/// let transport = HyperTransport::builder()
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// let request = http::Request::post("https://test.stytch.com/v1/b2b/passwords/strength_check")
///     .header("content-type", "application/json")
///     .extension(Operation("passwords.strength_check"))
///     .body(bytes::Bytes::from_static(br#"{"password":"x"}"#))
///     .expect("a valid request");
/// let response = transport.send(request).await?;
/// println!("{}", response.status());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HyperTransport {
    inner: Arc<Inner>,
}

struct Inner {
    client: HyperClient,
    settings: Settings,
}

#[derive(Clone, Debug)]
struct Settings {
    connect_timeout: Duration,
    timeout: Duration,
    pool_idle_timeout: Duration,
    pool_max_idle_per_host: usize,
    max_response_body_size: usize,
    allow_insecure_http: bool,
    http2: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            connect_timeout: HyperTransportBuilder::DEFAULT_CONNECT_TIMEOUT,
            timeout: HyperTransportBuilder::DEFAULT_TIMEOUT,
            pool_idle_timeout: HyperTransportBuilder::DEFAULT_POOL_IDLE_TIMEOUT,
            pool_max_idle_per_host: HyperTransportBuilder::DEFAULT_POOL_MAX_IDLE_PER_HOST,
            max_response_body_size: HyperTransportBuilder::DEFAULT_MAX_RESPONSE_BODY_SIZE,
            allow_insecure_http: false,
            http2: true,
        }
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.inner.settings;
        f.debug_struct("HyperTransport")
            .field("connect_timeout", &s.connect_timeout)
            .field("timeout", &s.timeout)
            .field("pool_idle_timeout", &s.pool_idle_timeout)
            .field("pool_max_idle_per_host", &s.pool_max_idle_per_host)
            .field("max_response_body_size", &s.max_response_body_size)
            .field("allow_insecure_http", &s.allow_insecure_http)
            .field("http2", &s.http2)
            .finish()
    }
}

/// Settings for a [`HyperTransport`]. Every one has a default; see each method.
#[must_use]
pub struct HyperTransportBuilder {
    settings: Settings,
    built_in_roots: bool,
    platform_roots: bool,
    extra_roots: Vec<Vec<u8>>,
}

impl fmt::Debug for HyperTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransportBuilder")
            .field("settings", &self.settings)
            .field("built_in_roots", &self.built_in_roots)
            .field("platform_roots", &self.platform_roots)
            .field("extra_roots", &self.extra_roots.len())
            .finish()
    }
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        Self {
            settings: Settings::default(),
            built_in_roots: true,
            platform_roots: true,
            extra_roots: Vec::new(),
        }
    }
}

impl HyperTransportBuilder {
    /// Default [`connect_timeout`](Self::connect_timeout): 5 seconds.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    /// Default [`timeout`](Self::timeout): 30 seconds.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default [`pool_idle_timeout`](Self::pool_idle_timeout): 50 seconds, under the 60 seconds
    /// after which common load balancers close idle connections.
    pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);
    /// Default [`pool_max_idle_per_host`](Self::pool_max_idle_per_host): 100. Connections past
    /// it are closed when their call ends instead of idling, so a burst of callers does not
    /// leave a socket each open; up to 100 calls in flight keep reusing theirs (a lower cap
    /// made 64 calls in flight reconnect all the time: +9 % instructions per call).
    pub const DEFAULT_POOL_MAX_IDLE_PER_HOST: usize = 100;
    /// Default [`max_response_body_size`](Self::max_response_body_size): 4 MiB.
    pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: usize = 4 * 1024 * 1024;

    /// The limit for setting up a connection: the TCP connect and the TLS handshake together.
    /// A set-up that times out is an error of kind [`TransportErrorKind::Connect`]: the request
    /// was not sent.
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.settings.connect_timeout = limit;
        self
    }

    /// The limit for one exchange: connecting, TLS, sending, the response head and body. One
    /// that runs out of time fails with [`TransportErrorKind::Timeout`]. (Retries and their
    /// waits are the client's; `CallOptions::timeout` limits a whole call.)
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.settings.timeout = limit;
        self
    }

    /// How long an unused pooled connection is kept before it is closed.
    pub fn pool_idle_timeout(mut self, limit: Duration) -> Self {
        self.settings.pool_idle_timeout = limit;
        self
    }

    /// The most idle connections kept per host (default:
    /// [`DEFAULT_POOL_MAX_IDLE_PER_HOST`](Self::DEFAULT_POOL_MAX_IDLE_PER_HOST)). `0` disables
    /// pooling.
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.settings.pool_max_idle_per_host = max;
        self
    }

    /// The largest response body read, in bytes. A larger one fails with
    /// [`TransportErrorKind::BodyTooLarge`]: rejected up front when its `Content-Length` says so, and
    /// otherwise as soon as the limit is passed, without reading further.
    pub fn max_response_body_size(mut self, bytes: usize) -> Self {
        self.settings.max_response_body_size = bytes;
        self
    }

    /// Allows plain `http://` to hosts that are not loopback. Off by default: such a request is
    /// refused with [`TransportErrorKind::Refused`] before any DNS lookup or connection, because it would
    /// send the project secret in clear. `http://` to `localhost`, `127.0.0.0/8` or `[::1]` (an
    /// emulator, a test server) is always allowed.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.settings.allow_insecure_http = allow;
        self
    }

    /// Whether to offer HTTP/2 by ALPN in TLS handshakes (default `true`; needs the `http2`
    /// feature, without which only HTTP/1.1 is offered). Servers that do not choose it get
    /// HTTP/1.1; plain `http://` always uses HTTP/1.1.
    pub fn http2(mut self, enabled: bool) -> Self {
        self.settings.http2 = enabled;
        self
    }

    /// Whether to trust the Mozilla root certificates bundled in the binary (default `true`;
    /// needs the `webpki-roots` feature, on by default).
    pub fn built_in_roots(mut self, enabled: bool) -> Self {
        self.built_in_roots = enabled;
        self
    }

    /// Whether to trust the operating system's root certificates, read when the transport is
    /// built (default `true`; needs the `platform-roots` feature, off by default).
    pub fn platform_roots(mut self, enabled: bool) -> Self {
        self.platform_roots = enabled;
        self
    }

    /// Also trusts this root certificate, DER-encoded (a private CA, a test server's
    /// self-signed certificate). Checked in [`build`](Self::build).
    pub fn add_root_certificate_der(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.extra_roots.push(der.into());
        self
    }

    /// Builds the transport. Makes no network call and needs no runtime.
    ///
    /// Fails with [`TransportErrorKind::Other`] on a zero time limit, a root certificate that does not
    /// parse, or no root certificate at all.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        let settings = self.settings;
        if settings.timeout.is_zero() || settings.connect_timeout.is_zero() {
            return Err(TransportError::new(
                TransportErrorKind::Other,
                "invalid configuration: time limits must be more than zero",
            ));
        }

        let mut roots = rustls::RootCertStore::empty();
        #[cfg(feature = "webpki-roots")]
        if self.built_in_roots {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        #[cfg(feature = "platform-roots")]
        if self.platform_roots {
            let loaded = rustls_native_certs::load_native_certs();
            for error in &loaded.errors {
                tracing::warn!(%error, "could not load a platform root certificate");
            }
            roots.add_parsable_certificates(loaded.certs);
        }
        #[cfg(not(feature = "webpki-roots"))]
        let _ = self.built_in_roots;
        #[cfg(not(feature = "platform-roots"))]
        let _ = self.platform_roots;
        for der in self.extra_roots {
            roots
                .add(rustls::pki_types::CertificateDer::from(der))
                .map_err(|e| {
                    TransportError::new(TransportErrorKind::Other, "invalid root certificate")
                        .with_source(e)
                })?;
        }
        if roots.is_empty() {
            return Err(TransportError::new(
                TransportErrorKind::Other,
                "no root certificates: enable the `webpki-roots` or `platform-roots` feature, or \
                 add one with `add_root_certificate_der`",
            ));
        }

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| {
                TransportError::new(TransportErrorKind::Other, "TLS configuration").with_source(e)
            })?
            .with_root_certificates(roots)
            .with_no_client_auth();

        let mut http = HttpConnector::new();
        // The HTTPS connector wraps this one and handles the scheme itself.
        http.enforce_http(false);
        http.set_connect_timeout(Some(settings.connect_timeout));
        http.set_nodelay(true);

        let https = HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1();
        #[cfg(feature = "http2")]
        let https = if settings.http2 {
            https.enable_http2().wrap_connector(http)
        } else {
            https.wrap_connector(http)
        };
        #[cfg(not(feature = "http2"))]
        let https = https.wrap_connector(http);

        let https = TimedConnector {
            inner: https,
            limit: settings.connect_timeout,
        };
        let client = Client::builder(TokioExecutor::new())
            .timer(TokioTimer::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(settings.pool_idle_timeout)
            .pool_max_idle_per_host(settings.pool_max_idle_per_host)
            .build(https);

        Ok(HyperTransport {
            inner: Arc::new(Inner { client, settings }),
        })
    }
}

impl HyperTransport {
    /// A transport with the default settings.
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// Starts from the default settings.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }

    /// The limit for one exchange.
    pub fn timeout(&self) -> Duration {
        self.inner.settings.timeout
    }

    /// The largest response body read, in bytes.
    pub fn max_response_body_size(&self) -> usize {
        self.inner.settings.max_response_body_size
    }

    /// Records an exchange's outcome in its span; `start` is `None` when the span records
    /// nothing (its clock was not read).
    fn record(
        span: &tracing::Span,
        start: Option<Instant>,
        result: &Result<HttpResponse, TransportError>,
    ) {
        let Some(start) = start else {
            return;
        };
        span.record("latency_ms", start.elapsed().as_secs_f64() * 1000.0);
        match result {
            Ok(response) => {
                span.record("status", response.status().as_u16());
                if let Some(id) = request_id(response.headers()) {
                    span.record("request_id", id);
                }
            }
            Err(error) => {
                span.record("error", tracing::field::display(error.kind()));
            }
        }
    }

    /// Checks the target and hands the request to hyper now, so the returned future (reading
    /// the response) holds no copy of it.
    fn exchange(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send + '_ {
        let settings = &self.inner.settings;
        // Kept for messages; a `Uri` clone shares its bytes.
        let uri = request.uri().clone();
        let sent = check_target(&uri, settings.allow_insecure_http).map(|()| {
            let (parts, body) = request.into_parts();
            self.inner
                .client
                .request(Request::from_parts(parts, Full::new(body)))
        });
        async move {
            let response = match sent?.await {
                Ok(response) => response,
                Err(e) => return Err(classify_send(e, &uri, settings)),
            };
            let (parts, mut body) = response.into_parts();
            let bytes = read_body(&mut body, settings.max_response_body_size)
                .await
                .map_err(|error| match error.kind() {
                    TransportErrorKind::BodyTooLarge => error,
                    _ => TransportError::new(
                        error.kind(),
                        format!(
                            "connection to {} failed while reading the response body: {}",
                            Target(&uri),
                            error.message()
                        ),
                    )
                    .with_source(error),
                })?;
            Ok(Response::from_parts(parts, bytes))
        }
    }
}

/// One attempt: the request is sent once, and any status is a success here (a `500` is `Ok`);
/// retries are the client's. The exchange runs in a tracing span `stytch.http` with the fields
/// `operation` (from the request's [`Operation`] extension), `attempt` (from its [`Attempts`]
/// extension, which the client sets), `status`, `request_id` (from a `request-id` or
/// `x-request-id` response header), `latency_ms` and `error` (the error kind); no header or body
/// is ever recorded.
#[async_trait]
impl HttpTransport for HyperTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        // `request` is only moved here, never borrowed: a borrowed local keeps its room in the
        // future across the await, beside the copy `#[async_trait]` already holds.
        self.timed_exchange(request).await
    }
}

impl HyperTransport {
    /// One exchange under the time limit, in its span. Built from combinators rather than an
    /// `async` block, which would hold a second copy of what it awaits: the boxed `send` future
    /// stays in glibc's per-thread cache (docs/PERFORMANCE.md).
    fn timed_exchange(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send + '_ {
        let operation = request
            .extensions()
            .get::<Operation>()
            .map_or(UNNAMED_OPERATION, |o| o.0);
        let attempt = request.extensions().get::<Attempts>().map_or(1, |a| a.0);
        let span = tracing::info_span!(
            target: "stytch_b2b_passwords_hyper",
            "stytch.http",
            operation,
            attempt,
            status = Empty,
            request_id = Empty,
            latency_ms = Empty,
            error = Empty,
        );
        // The clock is read only for a span that records.
        let start = (!span.is_disabled()).then(Instant::now);
        let limit = self.inner.settings.timeout;
        let recorded = span.clone();
        tokio::time::timeout(limit, self.exchange(request))
            .map(move |outcome| {
                let result = outcome.unwrap_or_else(|_| {
                    Err(TransportError::new(
                        TransportErrorKind::Timeout,
                        format!("no complete response within {limit:?}"),
                    ))
                });
                Self::record(&recorded, start, &result);
                result
            })
            .instrument(span)
    }
}

/// Maps a failure to send or to receive the response head.
fn classify_send(
    err: hyper_util::client::legacy::Error,
    uri: &Uri,
    settings: &Settings,
) -> TransportError {
    let target = Target(uri);
    let err_ref: &(dyn std::error::Error + 'static) = &err;
    if err.is_connect() {
        let tls = any_cause(err_ref, &mut |e| e.is::<rustls::Error>());
        let timed_out = any_cause(err_ref, &mut |e| {
            e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        });
        let message = if tls {
            format!(
                "TLS handshake with {target} failed: {}",
                root_cause(err_ref)
            )
        } else if timed_out {
            format!(
                "connecting to {target} timed out after {:?}",
                settings.connect_timeout
            )
        } else {
            format!("could not connect to {target}: {}", root_cause(err_ref))
        };
        let kind = if tls {
            TransportErrorKind::Tls
        } else {
            TransportErrorKind::Connect
        };
        return TransportError::new(kind, message).with_source(err);
    }
    let hyper_error = |f: fn(&hyper::Error) -> bool| {
        any_cause(err_ref, &mut |e| {
            e.downcast_ref::<hyper::Error>().is_some_and(f)
        })
    };
    if hyper_error(hyper::Error::is_canceled) {
        // hyper cancels a request only when it never started writing it.
        return TransportError::new(
            TransportErrorKind::Connect,
            format!("the connection to {target} closed before the request was sent"),
        )
        .with_source(err);
    }
    if hyper_error(hyper::Error::is_parse) || hyper_error(hyper::Error::is_user) {
        return TransportError::new(
            TransportErrorKind::Other,
            format!("invalid exchange with {target}: {}", root_cause(err_ref)),
        )
        .with_source(err);
    }
    TransportError::new(
        TransportErrorKind::Io,
        format!(
            "the connection to {target} failed after the request may have been sent: {}",
            root_cause(err_ref)
        ),
    )
    .with_source(err)
}

/// Stytch's request id, from the response headers.
fn request_id(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get("request-id")
        .or_else(|| headers.get("x-request-id"))
        .and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    /// The boxed `send` future (the port is `#[async_trait]`) is allocated once per attempt:
    /// glibc serves blocks up to 1032 bytes from a per-thread cache, and larger ones many times
    /// slower when many calls are in flight (docs/PERFORMANCE.md).
    #[test]
    fn call_future_fits_the_allocator_fast_path() {
        let transport = HyperTransport::new().expect("transport");
        let request = Request::new(Bytes::from_static(b"{}"));
        let future = HttpTransport::send(&transport, request);
        let size = std::mem::size_of_val(&*future);
        assert!(size <= 1024, "{size} bytes");
    }

    #[test]
    fn builds_without_a_runtime() {
        let transport = HyperTransport::new().unwrap();
        let clone = transport.clone();
        assert!(Arc::ptr_eq(&transport.inner, &clone.inner));
        let debug = format!("{transport:?}");
        assert!(debug.contains("timeout"), "{debug}");
        fn assert_send_sync<T: Send + Sync + Clone + fmt::Debug + 'static>() {}
        assert_send_sync::<HyperTransport>();
    }

    #[test]
    fn invalid_settings_are_errors() {
        let err = HyperTransport::builder()
            .timeout(Duration::ZERO)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other);
        let err = HyperTransport::builder()
            .add_root_certificate_der(b"not a certificate".to_vec())
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other);
        let err = HyperTransport::builder()
            .built_in_roots(false)
            .platform_roots(false)
            .build()
            .unwrap_err();
        assert!(err.message().contains("no root certificates"), "{err}");
    }
}
