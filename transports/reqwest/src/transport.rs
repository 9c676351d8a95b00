//! `ReqwestTransport`: one exchange through a `reqwest::Client`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use stytch_b2b_passwords_transport::body::BodyCollector;
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

    /// Checks the target and hands the request to reqwest now, so the returned future (the
    /// exchange) holds no copy of it: the boxed `send` future stays in glibc's per-thread cache
    /// (docs/PERFORMANCE.md).
    fn exchange(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> + Send + '_ {
        // Kept for messages; a `Uri` clone shares its bytes.
        let uri = request.uri().clone();
        let pending = check_target(&uri, self.allow_insecure_http).and_then(|()| {
            let mut request = reqwest::Request::try_from(request).map_err(|e| {
                TransportError::new(TransportErrorKind::Other, "invalid request")
                    .with_source(e.without_url())
            })?;
            // reqwest's deadline runs to the body's last byte.
            *request.timeout_mut() = Some(self.timeout);
            Ok(self.client.execute(request))
        });
        async move {
            let mut response = pending?.await.map_err(|e| classify(e, &uri))?;
            self.read(&mut response, &uri).await
        }
    }

    /// The whole response, its body read up to the size limit.
    async fn read(
        &self,
        response: &mut reqwest::Response,
        uri: &http::Uri,
    ) -> Result<HttpResponse, TransportError> {
        let mut body = BodyCollector::new(self.max_response_body_size, response.content_length())?;
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
                    Target(uri),
                    root_cause(&e)
                ),
            )
            .with_source(e.without_url())
        })? {
            body.push(chunk)?;
        }
        let mut out = http::Response::new(body.finish());
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
        // `request` is only moved here, never borrowed: a borrowed local keeps its room in the
        // future across the await, beside the copy `#[async_trait]` already holds.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The boxed `send` future (the port is `#[async_trait]`) is allocated once per attempt:
    /// glibc serves blocks up to 1032 bytes from a per-thread cache, and larger ones many times
    /// slower when many calls are in flight (docs/PERFORMANCE.md).
    #[test]
    fn send_future_fits_the_allocator_fast_path() {
        let client = ReqwestTransport::default_client().expect("client");
        let transport = ReqwestTransport::new(client);
        let request = http::Request::new(bytes::Bytes::from_static(b"{}"));
        let future = HttpTransport::send(&transport, request);
        let size = std::mem::size_of_val(&*future);
        assert!(size <= 1024, "{size} bytes");
    }
}
