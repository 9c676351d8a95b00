//! Served mode: the same API over HTTP/1.1 on a loopback port (hyper 1 + tokio), plus the
//! control API under `/_emulator/` (see `control.rs`), and a small loopback-only client
//! transport to reach it.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use stytch_b2b_passwords::transport::{
    HttpRequest, HttpResponse, HttpTransport, TransportError, TransportErrorKind,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use std::sync::Arc;

use crate::control;
use crate::emulator::{json_response, Emulator, Outcome};
use crate::error::error_body;
use crate::projects::Projects;

/// The largest request body the server reads.
const MAX_BODY: usize = 1 << 20;

/// Serves `emulator` over HTTP/1.1 on `addr` (use port 0 for any free port) until the handle is
/// shut down or dropped. Needs a tokio runtime.
///
/// Besides the API, it serves the control API under `/_emulator/` (with the project's Basic
/// credentials): Organizations and Members, reset, faults, the clock, signing keys, the outbox,
/// call counts, settings, and fresh projects for parallel suites (each request then goes to the
/// project its credentials name); see `docs/EMULATOR.md`.
///
/// ```
/// use stytch_b2b_passwords_emulator::{serve, Emulator};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let server = serve(Emulator::new(), ([127, 0, 0, 1], 0).into()).await?;
/// println!("listening on {}", server.base_url());
/// server.shutdown().await;
/// # Ok::<_, std::io::Error>(())
/// # }).unwrap();
/// ```
pub async fn serve(emulator: Emulator, addr: SocketAddr) -> std::io::Result<ServerHandle> {
    let listener = TcpListener::bind(addr).await?;
    let local_addr = listener.local_addr()?;
    let (shutdown, mut shutdown_rx) = oneshot::channel::<()>();
    let projects = Arc::new(Projects::new(emulator));
    let task = tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                _ = &mut shutdown_rx => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else {
                        // Out of file descriptors and the like: back off briefly.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    };
                    connections.spawn(serve_connection(Arc::clone(&projects), stream));
                }
                // Reap finished connections so the set does not grow without bound.
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        connections.abort_all();
    });
    Ok(ServerHandle {
        addr: local_addr,
        shutdown: Some(shutdown),
        task: Some(task),
    })
}

async fn serve_connection(projects: Arc<Projects>, stream: TcpStream) {
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        let projects = Arc::clone(&projects);
        async move { handle(&projects, request).await }
    });
    // Errors here are the client's (a reset, a malformed request) or an injected drop.
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// An injected dropped connection: returning it from the service makes hyper close the
/// connection without a response.
#[derive(Debug)]
struct DroppedOnPurpose;

impl fmt::Display for DroppedOnPurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose (injected fault)")
    }
}

impl std::error::Error for DroppedOnPurpose {}

async fn handle(
    projects: &Projects,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, DroppedOnPurpose> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let body = error_body(
                413,
                "",
                "request_too_large",
                "The request body is larger than the emulator accepts (1 MiB) or was cut off.",
            );
            return Ok(to_hyper(json_response(413, &body)));
        }
    };
    // The project the credentials (or the JWKS path) name: the started one or a fresh one.
    let emulator: Emulator = projects.for_request(parts.uri.path(), &parts.headers);
    if control::is_control_path(parts.uri.path()) {
        return Ok(to_hyper(control::handle(
            projects,
            &emulator,
            &parts.method,
            parts.uri.path(),
            &parts.headers,
            &body,
        )));
    }
    let request = http::Request::from_parts(parts, body);
    match emulator.process(request).await {
        Outcome::Response(response) => Ok(to_hyper(response)),
        Outcome::Dropped => Err(DroppedOnPurpose),
    }
}

fn to_hyper(response: HttpResponse) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = response.into_parts();
    hyper::Response::from_parts(parts, Full::new(body))
}

/// A running server. Dropping it stops the server too.
pub struct ServerHandle {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl ServerHandle {
    /// The address the server is bound to (with the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://{addr}`: the base URL to give a client.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, closes every connection, and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// A minimal HTTP/1.1 client transport for `http://` URLs on loopback addresses only, one
/// connection per request: enough to test the served emulator without another transport. Use
/// the hyper transport for anything else.
#[derive(Clone, Debug)]
pub struct LoopbackTransport {
    timeout: Duration,
}

impl Default for LoopbackTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl LoopbackTransport {
    /// A transport with a 10-second time limit per request.
    pub fn new() -> Self {
        Self {
            timeout: Duration::from_secs(10),
        }
    }

    /// Sets the time limit for one whole request (connect, send, read).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

fn transport_error(
    kind: TransportErrorKind,
    message: &str,
    e: impl fmt::Display,
) -> TransportError {
    TransportError::new(kind, format!("{message}: {e}"))
}

/// The loopback socket address of an `http://` URI, or why not.
fn loopback_addr(uri: &http::Uri) -> Result<SocketAddr, TransportError> {
    if uri.scheme_str() != Some("http") {
        return Err(TransportError::new(
            TransportErrorKind::Refused,
            "LoopbackTransport sends plain http:// only",
        ));
    }
    let host = uri.host().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let ip: IpAddr = if host.eq_ignore_ascii_case("localhost") {
        IpAddr::from([127, 0, 0, 1])
    } else {
        host.parse().map_err(|_| {
            TransportError::new(
                TransportErrorKind::Refused,
                "LoopbackTransport sends to loopback IP addresses or localhost only",
            )
        })?
    };
    if !ip.is_loopback() {
        return Err(TransportError::new(
            TransportErrorKind::Refused,
            "LoopbackTransport sends to loopback addresses only",
        ));
    }
    Ok(SocketAddr::new(ip, uri.port_u16().unwrap_or(80)))
}

#[async_trait]
impl HttpTransport for LoopbackTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let addr = loopback_addr(request.uri())?;
        let exchange = async move {
            let stream = TcpStream::connect(addr)
                .await
                .map_err(|e| transport_error(TransportErrorKind::Connect, "connect", e))?;
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake::<_, Full<Bytes>>(TokioIo::new(stream))
                    .await
                    .map_err(|e| transport_error(TransportErrorKind::Connect, "handshake", e))?;
            let driver = tokio::spawn(connection);
            let (mut parts, body) = request.into_parts();
            // Origin-form request target, and a Host header, as HTTP/1.1 wants.
            let target = parts
                .uri
                .path_and_query()
                .map(|pq| pq.as_str().to_owned())
                .unwrap_or_else(|| "/".to_owned());
            parts.uri = target
                .parse()
                .map_err(|e| transport_error(TransportErrorKind::Other, "request target", e))?;
            if let Ok(host) = http::HeaderValue::from_str(&addr.to_string()) {
                parts.headers.insert(http::header::HOST, host);
            }
            let response = sender
                .send_request(hyper::Request::from_parts(parts, Full::new(body)))
                .await
                .map_err(|e| transport_error(TransportErrorKind::Io, "exchange", e))?;
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| transport_error(TransportErrorKind::Io, "reading the body", e))?
                .to_bytes();
            driver.abort();
            Ok::<_, TransportError>(http::Response::from_parts(parts, body))
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::new(
                TransportErrorKind::Timeout,
                format!("no response from {addr} within {:?}", self.timeout),
            )),
        }
    }
}
