//! Small servers on 127.0.0.1 with ephemeral ports, for the transport's tests.
#![allow(dead_code)]

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use stytch_b2b_passwords_transport::{HttpTransport, TransportError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// No test may run longer than this.
pub const TEST_LIMIT: Duration = Duration::from_secs(20);

/// Runs `f` under [`TEST_LIMIT`].
pub async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(TEST_LIMIT, f)
        .await
        .expect("the test ran out of time")
}

/// Counts of what a server saw.
#[derive(Default)]
pub struct Counters {
    pub connections: AtomicUsize,
    pub requests: AtomicUsize,
}

impl Counters {
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub version: http::Version,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

/// An HTTP/1.1 keep-alive server; `handler` gets the request (body read) and its 1-based index.
pub async fn serve<H, Fut>(handler: H) -> (SocketAddr, Arc<Counters>)
where
    H: Fn(Seen, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response<Full<Bytes>>> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let counters = Arc::new(Counters::default());
    let handler = Arc::new(handler);
    let c = counters.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            c.connections.fetch_add(1, Ordering::SeqCst);
            let handler = handler.clone();
            let c = c.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: Request<Incoming>| {
                    let handler = handler.clone();
                    let n = c.requests.fetch_add(1, Ordering::SeqCst) + 1;
                    async move { Ok::<_, Infallible>(handler(read(req).await, n).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (addr, counters)
}

/// Reads a request's body for the handler.
pub async fn read(req: Request<Incoming>) -> Seen {
    use http_body_util::BodyExt;
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        version: parts.version,
        headers: parts.headers,
        body,
    }
}

/// A response with a status, a body and headers.
pub fn respond(
    status: u16,
    body: impl Into<Bytes>,
    headers: &[(&str, &str)],
) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(Full::new(body.into())).expect("response")
}

/// A server that answers its first request with `status`, `body` and `headers`, and every
/// later one with `200 {}`: the shape of every retry test.
pub async fn serve_failing_once(
    status: u16,
    body: &'static str,
    headers: &'static [(&'static str, &'static str)],
) -> (SocketAddr, Arc<Counters>) {
    serve(move |_, n| async move {
        if n == 1 {
            respond(status, body, headers)
        } else {
            respond(200, "{}", &[])
        }
    })
    .await
}

/// A server that speaks raw bytes: for each connection it reads the request head and calls
/// `script` with the socket.
pub async fn serve_raw<S, Fut>(script: S) -> (SocketAddr, Arc<Counters>)
where
    S: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let counters = Arc::new(Counters::default());
    let script = Arc::new(script);
    let c = counters.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            c.connections.fetch_add(1, Ordering::SeqCst);
            let script = script.clone();
            let c = c.clone();
            tokio::spawn(async move {
                if read_head(&mut stream).await {
                    c.requests.fetch_add(1, Ordering::SeqCst);
                    script(stream).await;
                }
            });
        }
    });
    (addr, counters)
}

/// Reads up to the end of a request head; true if one came.
async fn read_head(stream: &mut TcpStream) -> bool {
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    true
}

/// Writes `bytes` and ignores errors (the client may be gone).
pub async fn write(stream: &mut TcpStream, bytes: &[u8]) -> bool {
    stream.write_all(bytes).await.is_ok() && stream.flush().await.is_ok()
}

/// A port with nothing listening: bound, then released.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}

/// A POST to `url` with a small JSON body and an Authorization header.
pub fn post(url: &str) -> http::Request<Bytes> {
    http::Request::post(url)
        .header("content-type", "application/json")
        .header(
            "authorization",
            "Basic c2VjcmV0LXVzZXI6c2VjcmV0LXBhc3N3b3Jk",
        )
        .body(Bytes::from_static(br#"{"password":"hunter2-secret"}"#))
        .expect("request")
}

/// The test request ([`post`]) sent through `transport` to `/x` on `addr`.
pub async fn send_to(
    transport: &impl HttpTransport,
    addr: SocketAddr,
) -> Result<http::Response<Bytes>, TransportError> {
    transport.send(post(&format!("http://{addr}/x"))).await
}

/// Serves TLS with `cert`/`key` (DER), offering `alpn`; answers 200 with the HTTP version used.
pub async fn serve_tls(cert: Vec<u8>, key: Vec<u8>, alpn: &[&[u8]]) -> (SocketAddr, Arc<Counters>) {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert)],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
        )
        .expect("server config");
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let counters = Arc::new(Counters::default());
    let c = counters.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            c.connections.fetch_add(1, Ordering::SeqCst);
            let acceptor = acceptor.clone();
            let c = c.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let service = service_fn(move |req: Request<Incoming>| {
                    c.requests.fetch_add(1, Ordering::SeqCst);
                    async move {
                        let seen = read(req).await;
                        let version = format!("{:?}", seen.version);
                        Ok::<_, Infallible>(respond(200, version, &[]))
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    (addr, counters)
}

/// A self-signed certificate for `localhost` and its key, DER-encoded.
pub fn self_signed() -> (Vec<u8>, Vec<u8>) {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    (
        certified.cert.der().to_vec(),
        certified.signing_key.serialize_der(),
    )
}

/// A server that announces a 1,000-byte body, sends a few bytes of it and closes the
/// connection: the response is cut after the request may have been acted on.
pub async fn serve_cut_mid_body() -> (SocketAddr, Arc<Counters>) {
    serve_raw(|mut s| async move {
        write(
            &mut s,
            b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"member\":",
        )
        .await;
        // Dropping the socket closes the connection mid-body.
    })
    .await
}
