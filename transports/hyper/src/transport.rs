//! The transport itself: settings, the pooled client, and one call with its retries.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, Uri};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::{Client, ResponseFuture};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument as _;

use crate::body::{read_body, Full};
use crate::error::{any_cause, root_cause, Error, ErrorKind};
use crate::retry::{retry_after, RetryPolicy};

/// The operation name (such as `passwords.authenticate`) for a request sent with
/// [`HyperTransport::send`], put in the request's extensions; it names the call's tracing span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OperationName(pub &'static str);

/// How many attempts the transport made for a call, put in every response's extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Attempts(pub u32);

/// The span name used when a request carries no [`OperationName`].
const UNNAMED_OPERATION: &str = "http.request";

type HyperClient = Client<HttpsConnector<HttpConnector>, Full>;

/// An HTTPS client for one service: pooled keep-alive connections (HTTP/2 when the server offers
/// it), rustls with the ring provider, time limits, a response size cap and safe retries.
///
/// Cloning is cheap and clones share the connection pool; the transport is `Send + Sync` and
/// serves many tasks at once. Building it makes no network call and needs no runtime; sending
/// needs a Tokio runtime with time and I/O enabled (`#[tokio::main]` has both).
///
/// ```no_run
/// # async fn run() -> Result<(), stytch_b2b_passwords_hyper::Error> {
/// use std::time::Duration;
/// use stytch_b2b_passwords_hyper::{HyperTransport, RetryPolicy};
///
/// let transport = HyperTransport::builder()
///     .timeout(Duration::from_secs(10))
///     .retry_policy(RetryPolicy::default().with_max_attempts(2))
///     .build()?;
/// let request = http::Request::post("https://test.stytch.com/v1/b2b/passwords/strength_check")
///     .header("content-type", "application/json")
///     .body(bytes::Bytes::from_static(br#"{"password":"x"}"#))
///     .expect("a valid request");
/// let response = transport.send_as("passwords.strength_check", request).await?;
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
    retry: RetryPolicy,
    allow_insecure_http: bool,
    http2: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            connect_timeout: HyperTransportBuilder::DEFAULT_CONNECT_TIMEOUT,
            timeout: HyperTransportBuilder::DEFAULT_TIMEOUT,
            pool_idle_timeout: HyperTransportBuilder::DEFAULT_POOL_IDLE_TIMEOUT,
            pool_max_idle_per_host: usize::MAX,
            max_response_body_size: HyperTransportBuilder::DEFAULT_MAX_RESPONSE_BODY_SIZE,
            retry: RetryPolicy::default(),
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
            .field("retry", &s.retry)
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
    /// Default [`max_response_body_size`](Self::max_response_body_size): 4 MiB.
    pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: usize = 4 * 1024 * 1024;

    /// The limit for opening a TCP connection. A connect that times out is an error of kind
    /// [`ErrorKind::Connect`]: the request was not sent.
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.settings.connect_timeout = limit;
        self
    }

    /// The limit for a whole call: connecting, TLS, sending, the response head and body, and any
    /// retries and their waits. A call that runs out of time fails with [`ErrorKind::Timeout`].
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.settings.timeout = limit;
        self
    }

    /// How long an unused pooled connection is kept before it is closed.
    pub fn pool_idle_timeout(mut self, limit: Duration) -> Self {
        self.settings.pool_idle_timeout = limit;
        self
    }

    /// The most idle connections kept per host (default: no limit). `0` disables pooling.
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.settings.pool_max_idle_per_host = max;
        self
    }

    /// The largest response body read, in bytes. A larger one fails with
    /// [`ErrorKind::BodyTooLarge`]: rejected up front when its `Content-Length` says so, and
    /// otherwise as soon as the limit is passed, without reading further.
    pub fn max_response_body_size(mut self, bytes: usize) -> Self {
        self.settings.max_response_body_size = bytes;
        self
    }

    /// When to retry; see [`RetryPolicy`]. [`RetryPolicy::none()`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.settings.retry = policy;
        self
    }

    /// Allows plain `http://` to hosts that are not loopback. Off by default: such a request is
    /// refused with [`ErrorKind::Refused`] before any DNS lookup or connection, because it would
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
    /// Fails with [`ErrorKind::Other`] on a zero time limit, a root certificate that does not
    /// parse, or no root certificate at all.
    pub fn build(self) -> Result<HyperTransport, Error> {
        let settings = self.settings;
        if settings.timeout.is_zero() || settings.connect_timeout.is_zero() {
            return Err(Error::new(
                ErrorKind::Other,
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
                    Error::new(ErrorKind::Other, "invalid root certificate").with_source(e)
                })?;
        }
        if roots.is_empty() {
            return Err(Error::new(
                ErrorKind::Other,
                "no root certificates: enable the `webpki-roots` or `platform-roots` feature, or \
                 add one with `add_root_certificate_der`",
            ));
        }

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::new(ErrorKind::Other, "TLS configuration").with_source(e))?
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

/// Why an attempt failed, and whether the policy allows another.
struct Failure {
    error: Error,
    retryable: bool,
}

impl HyperTransport {
    /// A transport with the default settings.
    pub fn new() -> Result<Self, Error> {
        Self::builder().build()
    }

    /// Starts from the default settings.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.settings.retry
    }

    /// The limit for a whole call.
    pub fn timeout(&self) -> Duration {
        self.inner.settings.timeout
    }

    /// The largest response body read, in bytes.
    pub fn max_response_body_size(&self) -> usize {
        self.inner.settings.max_response_body_size
    }

    /// Sends `request` (its operation name taken from an [`OperationName`] extension, if any)
    /// and reads the whole response. See [`send_as`](Self::send_as).
    pub fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, Error>> + Send + '_ {
        let operation = request
            .extensions()
            .get::<OperationName>()
            .map_or(UNNAMED_OPERATION, |o| o.0);
        self.send_as(operation, request)
    }

    /// Sends `request` as the operation `operation` and reads the whole response, retrying as
    /// the [`RetryPolicy`] allows.
    ///
    /// Any status is a success here: a `500` is `Ok`. The response carries an [`Attempts`]
    /// extension. The call runs in a tracing span `stytch.http` with the fields `operation`,
    /// `status`, `request_id` (from a `request-id` or `x-request-id` response header), `attempts`,
    /// `latency_ms` and `error` (the error kind); no header or body is ever recorded.
    pub fn send_as(
        &self,
        operation: &'static str,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, Error>> + Send + '_ {
        // Split here, outside any future, and held once: by the block below, which lends the
        // parts to the nested futures. An `async fn` taking them by value would hold them twice
        // in its state (argument and local); smaller futures are fewer bytes moved per call.
        let (parts, body) = request.into_parts();
        let span = tracing::info_span!(
            target: "stytch_b2b_passwords_hyper",
            "stytch.http",
            operation,
            status = Empty,
            request_id = Empty,
            attempts = Empty,
            latency_ms = Empty,
            error = Empty,
        );
        async move { self.send_parts(&parts, &body, &span).await }
    }

    /// The body of [`send_as`](Self::send_as): the attempts run inside `span`, which gets the
    /// call's fields at the end.
    async fn send_parts(
        &self,
        parts: &http::request::Parts,
        body: &Bytes,
        span: &tracing::Span,
    ) -> Result<Response<Bytes>, Error> {
        let start = Instant::now();
        let attempts = AtomicU32::new(0);
        let timeout = self.inner.settings.timeout;
        let result = tokio::time::timeout(timeout, self.call(parts, body, start, &attempts))
            .instrument(span.clone())
            .await
            .unwrap_or_else(|_| {
                Err(Error::new(
                    ErrorKind::Timeout,
                    format!("no complete response within {timeout:?}"),
                ))
            });
        let attempts = attempts.load(Ordering::Relaxed);
        if !span.is_disabled() {
            span.record("attempts", attempts);
            span.record("latency_ms", start.elapsed().as_secs_f64() * 1000.0);
            match &result {
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
        match result {
            Ok(mut response) => {
                response.extensions_mut().insert(Attempts(attempts));
                Ok(response)
            }
            Err(error) => Err(error.with_attempts(attempts)),
        }
    }

    /// Every attempt of one call, with the waits between them.
    async fn call(
        &self,
        parts: &http::request::Parts,
        body: &Bytes,
        start: Instant,
        attempts: &AtomicU32,
    ) -> Result<Response<Bytes>, Error> {
        let settings = &self.inner.settings;
        check_target(&parts.uri, settings.allow_insecure_http)?;
        let policy = &settings.retry;
        // `None`: so far ahead that it cannot be reached (a huge setting must not overflow).
        let budget_end = start.checked_add(policy.max_elapsed().min(settings.timeout));
        let mut attempt = 0;
        loop {
            attempt += 1;
            attempts.store(attempt, Ordering::Relaxed);
            let last = attempt >= policy.max_attempts();
            // hyper consumes the request it sends, so each attempt sends a copy.
            let sent = self.inner.client.request(copy_request(parts, body));
            // `outcome` lives in this block only, so the future does not keep room for it
            // during the wait below (a borrowed local otherwise stays in the state).
            let wait = {
                let outcome = self.attempt(sent, &parts.uri).await;
                let wait = match &outcome {
                    Ok(response) if policy.retries_status(response.status()) => {
                        let backoff = policy.backoff(attempt + 1);
                        match retry_after(response.headers()) {
                            // The server asks for a longer wait than the policy allows: return
                            // its answer now rather than retrying early.
                            Some(asked) if asked > policy.max_delay() => None,
                            Some(asked) => Some(asked.max(backoff)),
                            None => Some(backoff),
                        }
                    }
                    Ok(_) => None,
                    Err(failure) if failure.retryable => Some(policy.backoff(attempt + 1)),
                    Err(_) => None,
                };
                match wait {
                    Some(wait) if !last && within(budget_end, wait) => {
                        tracing::debug!(
                            attempt,
                            wait_ms = wait.as_millis() as u64,
                            reason = %Reason(&outcome),
                            "retrying",
                        );
                        wait
                    }
                    _ => return outcome.map_err(|f| f.error),
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// One request, already handed to hyper, and its whole response.
    async fn attempt(&self, sent: ResponseFuture, uri: &Uri) -> Result<Response<Bytes>, Failure> {
        let settings = &self.inner.settings;
        let response = match sent.await {
            Ok(response) => response,
            Err(e) => return Err(classify_send(e, uri, settings)),
        };
        let (parts, mut body) = response.into_parts();
        let bytes = read_body(&mut body, settings.max_response_body_size)
            .await
            .map_err(|error| {
                let error = match error.kind() {
                    ErrorKind::BodyTooLarge => error,
                    _ => Error::new(
                        error.kind(),
                        format!(
                            "connection to {} failed while reading the response body: {}",
                            Target(uri),
                            error.message()
                        ),
                    )
                    .with_source(error),
                };
                let retryable = error.kind() == ErrorKind::Io && settings.retry.retry_after_send();
                Failure { error, retryable }
            })?;
        Ok(Response::from_parts(parts, bytes))
    }
}

/// Whether a wait of `wait` from now ends by `end` (`None`: no end).
fn within(end: Option<Instant>, wait: Duration) -> bool {
    match (end, Instant::now().checked_add(wait)) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(end), Some(done)) => done <= end,
    }
}

/// A copy of the request for one attempt. Extensions are not copied: hyper does not read them.
fn copy_request(parts: &http::request::Parts, body: &Bytes) -> Request<Full> {
    let mut request = Request::new(Full::new(body.clone()));
    *request.method_mut() = parts.method.clone();
    *request.uri_mut() = parts.uri.clone();
    *request.version_mut() = parts.version;
    *request.headers_mut() = parts.headers.clone();
    request
}

/// Maps a failure to send or to receive the response head.
fn classify_send(
    err: hyper_util::client::legacy::Error,
    uri: &Uri,
    settings: &Settings,
) -> Failure {
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
        return Failure {
            error: Error::new(ErrorKind::Connect, message).with_source(err),
            // A certificate that fails today fails on the next attempt too.
            retryable: !tls,
        };
    }
    let hyper_error = |f: fn(&hyper::Error) -> bool| {
        any_cause(err_ref, &mut |e| {
            e.downcast_ref::<hyper::Error>().is_some_and(f)
        })
    };
    if hyper_error(hyper::Error::is_canceled) {
        // hyper cancels a request only when it never started writing it.
        return Failure {
            error: Error::new(
                ErrorKind::Connect,
                format!("the connection to {target} closed before the request was sent"),
            )
            .with_source(err),
            retryable: true,
        };
    }
    if hyper_error(hyper::Error::is_parse) || hyper_error(hyper::Error::is_user) {
        return Failure {
            error: Error::new(
                ErrorKind::Other,
                format!("invalid exchange with {target}: {}", root_cause(err_ref)),
            )
            .with_source(err),
            retryable: false,
        };
    }
    Failure {
        error: Error::new(
            ErrorKind::Io,
            format!(
                "the connection to {target} failed after the request may have been sent: {}",
                root_cause(err_ref)
            ),
        )
        .with_source(err),
        retryable: settings.retry.retry_after_send(),
    }
}

/// Refuses what must not be sent: a scheme other than `http`/`https`, a URL without a host, and
/// plain `http` to a host that is not loopback (unless allowed).
fn check_target(uri: &Uri, allow_insecure_http: bool) -> Result<(), Error> {
    let Some(host) = uri.host() else {
        return Err(Error::new(
            ErrorKind::Refused,
            "the URL has no host: an absolute https:// URL is required",
        ));
    };
    let scheme = uri.scheme();
    if scheme == Some(&http::uri::Scheme::HTTPS) {
        return Ok(());
    }
    if scheme != Some(&http::uri::Scheme::HTTP) {
        return Err(Error::new(
            ErrorKind::Refused,
            format!("unsupported URL scheme for {}: use https://", Target(uri)),
        ));
    }
    if allow_insecure_http || is_loopback(host) {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Refused,
        format!(
            "plain http:// to {} refused: it would send credentials in clear; use https://, \
             or allow it with `HyperTransportBuilder::allow_insecure_http(true)`",
            Target(uri)
        ),
    ))
}

/// Whether `host` is certainly this machine: `localhost`, `127.0.0.0/8`, `::1`.
fn is_loopback(host: &str) -> bool {
    // The usual spelling first: this runs on every plain-http call (the emulator, local tests).
    if host == "127.0.0.1" {
        return true;
    }
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// Stytch's request id, from the response headers.
fn request_id(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get("request-id")
        .or_else(|| headers.get("x-request-id"))
        .and_then(|v| v.to_str().ok())
}

/// `scheme://host:port` of a URI, for messages: never its path, query or user info.
struct Target<'a>(&'a Uri);

impl fmt::Display for Target<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.0.scheme_str().unwrap_or("?");
        let host = self.0.host().unwrap_or("?");
        match self.0.port_u16() {
            Some(port) => write!(f, "{scheme}://{host}:{port}"),
            None => write!(f, "{scheme}://{host}"),
        }
    }
}

/// Why an attempt is retried, for the debug event.
struct Reason<'a>(&'a Result<Response<Bytes>, Failure>);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Ok(response) => write!(f, "status {}", response.status().as_u16()),
            Err(failure) => write!(f, "{} error", failure.error.kind()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A caller that boxes the call's future (the core does, behind its `dyn` port) should get
    /// a block from glibc's per-thread cache (at most 1032 bytes): a larger block is many times
    /// slower to allocate with many calls in flight (docs/PERFORMANCE.md).
    #[test]
    fn call_future_fits_the_allocator_fast_path() {
        let transport = HyperTransport::new().expect("transport");
        let request = Request::new(Bytes::from_static(b"{}"));
        let future = transport.send_as("passwords.authenticate", request);
        assert!(std::mem::size_of_val(&future) <= 1024);
    }

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.8.9.10",
            "[::1]",
            "::1",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "example.com",
            "localhost.example.com",
            "10.0.0.1",
            "[::2]",
            "0.0.0.0",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
        assert!(is_loopback("[::ffff:127.0.0.1]"));
    }

    #[test]
    fn targets_checked_before_sending() {
        let check = |url: &str, allow| check_target(&url.parse().unwrap(), allow);
        assert!(check("https://api.stytch.com/v1", false).is_ok());
        assert!(check("http://127.0.0.1:8080/v1", false).is_ok());
        assert!(check("http://localhost/v1", false).is_ok());
        let err = check("http://example.com/v1", false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Refused);
        assert!(err.message().contains("http://example.com"), "{err}");
        assert!(check("http://example.com/v1", true).is_ok());
        assert_eq!(
            check("ftp://example.com/x", true).unwrap_err().kind(),
            ErrorKind::Refused
        );
        assert_eq!(
            check("/relative", true).unwrap_err().kind(),
            ErrorKind::Refused
        );
    }

    #[test]
    fn target_never_shows_user_info_or_path() {
        let uri: Uri = "https://user:pw@example.com:8443/secret/path?token=x"
            .parse()
            .unwrap();
        assert_eq!(Target(&uri).to_string(), "https://example.com:8443");
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
        assert_eq!(err.kind(), ErrorKind::Other);
        let err = HyperTransport::builder()
            .add_root_certificate_der(b"not a certificate".to_vec())
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Other);
        let err = HyperTransport::builder()
            .built_in_roots(false)
            .platform_roots(false)
            .build()
            .unwrap_err();
        assert!(err.message().contains("no root certificates"), "{err}");
    }
}
