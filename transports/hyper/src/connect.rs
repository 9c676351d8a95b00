//! The connector with one time limit over the whole connection set-up: TCP and TLS together.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Stream = MaybeHttpsStream<TokioIo<TcpStream>>;

/// The HTTPS connector, cut off after `limit`: a TLS handshake that never answers fails as a
/// connect timeout, like a TCP connect that never does. Runs once per new connection, not per
/// call.
#[derive(Clone, Debug)]
pub(crate) struct TimedConnector {
    pub(crate) inner: HttpsConnector<HttpConnector>,
    pub(crate) limit: Duration,
}

impl Service<Uri> for TimedConnector {
    type Response = Stream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Stream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let connecting = self.inner.call(uri);
        let limit = self.limit;
        Box::pin(async move {
            match tokio::time::timeout(limit, connecting).await {
                Ok(result) => result,
                // An `io::Error` of kind `TimedOut`, as the TCP connector's own limit gives.
                Err(_) => Err(Box::new(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "connection set-up (TCP and TLS) timed out",
                )) as BoxError),
            }
        })
    }
}
