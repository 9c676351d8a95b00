//! `ReqwestTransport`: one exchange through a `reqwest::Client`.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use stytch_b2b_passwords_transport::cause::{any_cause, root_cause};
use stytch_b2b_passwords_transport::target::{check_target, Target};
use stytch_b2b_passwords_transport::{
    HttpRequest, HttpResponse, HttpTransport, TransportError, TransportErrorKind,
};

/// An [`HttpTransport`] over a `reqwest::Client`. Cheap to clone; clones (and the application's
/// own uses of the client) share one connection pool.
#[derive(Clone, Debug)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    timeout: Duration,
    max_response_body_size: usize,
    allow_insecure_http: bool,
}

impl ReqwestTransport {
    /// Default [`timeout`](Self::timeout): 30 seconds.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default [`max_response_body_size`](Self::max_response_body_size): 4 MiB.
    pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: usize = 4 * 1024 * 1024;
    /// The connect limit of [`default_client`](Self::default_client) (TCP and TLS).
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

    /// Sends through `client`, sharing its pool and settings.
    pub fn new(client: reqwest::Client) -> Self {
        Self {
            client,
            timeout: Self::DEFAULT_TIMEOUT,
            max_response_body_size: Self::DEFAULT_MAX_RESPONSE_BODY_SIZE,
            allow_insecure_http: false,
        }
    }

    /// A client like the hyper transport's: rustls with the ring provider and the bundled
    /// Mozilla roots, a 5 s connect limit, at most 100 idle connections per host.
    pub fn default_client() -> Result<reqwest::Client, TransportError> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        Self::client_with_roots(roots)
    }

    /// [`default_client`](Self::default_client) trusting `roots` only (a private CA, a test
    /// server's certificate).
    pub fn client_with_roots(
        roots: rustls::RootCertStore,
    ) -> Result<reqwest::Client, TransportError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| {
                TransportError::new(TransportErrorKind::Other, "TLS configuration").with_source(e)
            })?
            .with_root_certificates(roots)
            .with_no_client_auth();
        reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(Self::DEFAULT_CONNECT_TIMEOUT)
            .pool_max_idle_per_host(100)
            .build()
            .map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Other,
                    "could not build the reqwest client",
                )
                .with_source(e.without_url())
            })
    }

    /// The limit for one exchange, from sending to the last byte of the body. One that runs out
    /// of time fails with [`TransportErrorKind::Timeout`].
    #[must_use]
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = limit;
        self
    }

    /// The largest response body read, in bytes; a larger one fails with
    /// [`TransportErrorKind::BodyTooLarge`], read no further.
    #[must_use]
    pub fn max_response_body_size(mut self, bytes: usize) -> Self {
        self.max_response_body_size = bytes;
        self
    }

    /// Allows plain `http://` to hosts that are not loopback (off by default: it would send the
    /// project secret in clear).
    #[must_use]
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The client requests go through.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    async fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        check_target(request.uri(), self.allow_insecure_http)?;
        let uri = request.uri().clone();
        let mut request = reqwest::Request::try_from(request).map_err(|e| {
            TransportError::new(TransportErrorKind::Other, "invalid request")
                .with_source(e.without_url())
        })?;
        // reqwest's deadline runs to the body's last byte.
        *request.timeout_mut() = Some(self.timeout);
        let mut response = self
            .client
            .execute(request)
            .await
            .map_err(|e| classify(e, &uri))?;
        let limit = self.max_response_body_size;
        let too_large = |what: String| {
            TransportError::new(
                TransportErrorKind::BodyTooLarge,
                format!("response body {what} is over the {limit}-byte limit"),
            )
        };
        if let Some(announced) = response.content_length() {
            if announced > limit as u64 {
                return Err(too_large(format!("of {announced} bytes")));
            }
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| {
            let kind = if e.is_timeout() {
                TransportErrorKind::Timeout
            } else {
                TransportErrorKind::Io
            };
            TransportError::new(
                kind,
                format!(
                    "connection to {} failed while reading the response body: {}",
                    Target(&uri),
                    root_cause(&e)
                ),
            )
            .with_source(e.without_url())
        })? {
            if body.len() + chunk.len() > limit {
                return Err(too_large(format!(
                    "of more than {} bytes",
                    body.len() + chunk.len()
                )));
            }
            body.extend_from_slice(&chunk);
        }
        let mut out = http::Response::new(Bytes::from(body));
        *out.status_mut() = response.status();
        *out.version_mut() = response.version();
        *out.headers_mut() = std::mem::take(response.headers_mut());
        Ok(out)
    }
}

#[async_trait]
impl HttpTransport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let limit = self.timeout;
        self.exchange(request).await.map_err(|error| {
            if error.is_timeout() {
                TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no complete response within {limit:?}"),
                )
                .with_source(error)
            } else {
                error
            }
        })
    }
}

/// Maps reqwest's error to how far the request got.
fn classify(error: reqwest::Error, uri: &http::Uri) -> TransportError {
    let target = Target(uri);
    let tls = any_cause(&error, &mut |e| e.is::<rustls::Error>());
    let (kind, message) = if tls {
        (
            TransportErrorKind::Tls,
            format!("TLS handshake with {target} failed: {}", root_cause(&error)),
        )
    } else if error.is_connect() {
        (
            TransportErrorKind::Connect,
            format!("could not connect to {target}: {}", root_cause(&error)),
        )
    } else if error.is_timeout() {
        (
            TransportErrorKind::Timeout,
            format!("no complete response from {target} in time"),
        )
    } else {
        (
            TransportErrorKind::Io,
            format!(
                "the connection to {target} failed after the request may have been sent: {}",
                root_cause(&error)
            ),
        )
    };
    // Without the URL: its query could hold a secret, and `Debug` would show it.
    TransportError::new(kind, message).with_source(error.without_url())
}
