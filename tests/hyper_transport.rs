//! The default (hyper) transport through the public API, against real servers on 127.0.0.1 with
//! ephemeral ports. Every test is bounded in time; none touches the network beyond loopback.
#![cfg(feature = "hyper")]

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ::hyper::body::Incoming;
use ::hyper::service::service_fn;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use stytch_b2b_passwords::transport::hyper::HyperTransport;
use stytch_b2b_passwords::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PROJECT: &str = "project-test-11111111-2222-3333-4444-555555555555";
const SECRET: &str = "secret-test-abcdefghijklmnop";
const LIMIT: Duration = Duration::from_secs(20);

async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(LIMIT, f)
        .await
        .expect("the test ran out of time")
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    headers: http::HeaderMap,
    body: Bytes,
}

#[derive(Default)]
struct Log {
    connections: AtomicUsize,
    requests: Mutex<Vec<Seen>>,
}

/// An HTTP/1.1 keep-alive server answering each request with `answer(&seen, index)`.
async fn serve<F>(answer: F) -> (SocketAddr, Arc<Log>)
where
    F: Fn(&Seen, usize) -> (u16, Vec<(&'static str, String)>, Bytes) + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let log = Arc::new(Log::default());
    let answer = Arc::new(answer);
    let server_log = log.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            server_log.connections.fetch_add(1, Ordering::SeqCst);
            let log = server_log.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: ::hyper::Request<Incoming>| {
                    let log = log.clone();
                    let answer = answer.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = body
                            .collect()
                            .await
                            .map(|c| c.to_bytes())
                            .unwrap_or_default();
                        let seen = Seen {
                            method: parts.method.to_string(),
                            path: parts.uri.path().to_owned(),
                            headers: parts.headers,
                            body,
                        };
                        let index = {
                            let mut requests = log.requests.lock().unwrap();
                            requests.push(seen.clone());
                            requests.len()
                        };
                        let (status, headers, body) = answer(&seen, index);
                        let mut response = ::hyper::Response::builder().status(status);
                        for (name, value) in headers {
                            response = response.header(name, value);
                        }
                        Ok::<_, Infallible>(response.body(Full::new(body)).unwrap())
                    }
                });
                let _ = ::hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (addr, log)
}

fn json_ok(body: Bytes) -> (u16, Vec<(&'static str, String)>, Bytes) {
    (
        200,
        vec![("content-type", "application/json".to_owned())],
        body,
    )
}

/// The recorded full response for an endpoint (tests/fixtures), or a minimal one.
fn fixture(name: &str) -> Bytes {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    match std::fs::read(&path) {
        Ok(bytes) => Bytes::from(bytes),
        Err(_) => Bytes::from(format!(
            r#"{{"request_id":"request-id-fallback-{name}","status_code":200}}"#
        )),
    }
}

fn request_id_of(body: &Bytes) -> String {
    let value: Value = serde_json::from_slice(body).expect("fixture is JSON");
    value["request_id"].as_str().expect("request_id").to_owned()
}

fn client(addr: SocketAddr) -> PasswordsClient {
    PasswordsClient::builder(PROJECT, SECRET)
        .base_url(format!("http://127.0.0.1:{}", addr.port()))
        .build()
        .expect("client")
}

fn client_with(addr: SocketAddr, transport: HyperTransport) -> PasswordsClient {
    PasswordsClient::builder(PROJECT, SECRET)
        .base_url(format!("http://127.0.0.1:{}", addr.port()))
        .transport(transport)
        .build()
        .expect("client")
}

/// The default transport, and the default retry policy with 10 ms backoff steps.
fn fast_retrying(addr: SocketAddr) -> PasswordsClient {
    PasswordsClient::builder(PROJECT, SECRET)
        .base_url(format!("http://127.0.0.1:{}", addr.port()))
        .retry_policy(RetryPolicy::default().with_initial_backoff(Duration::from_millis(10)))
        .build()
        .expect("client")
}

/// Endpoint path -> fixture name.
fn fixture_for(path: &str) -> &'static str {
    match path {
        "/v1/b2b/passwords/strength_check" => "strength_check",
        "/v1/b2b/passwords/migrate" => "migrate",
        "/v1/b2b/passwords/authenticate" => "authenticate",
        "/v1/b2b/passwords/email/reset/start" => "email_reset_start",
        "/v1/b2b/passwords/email/reset" => "email_reset",
        "/v1/b2b/passwords/email/require_reset" => "email_require_reset",
        "/v1/b2b/passwords/session/reset" => "sessions_reset",
        "/v1/b2b/passwords/existing_password/reset" => "existing_password_reset",
        "/v1/b2b/passwords/discovery/authenticate" => "discovery_authenticate",
        "/v1/b2b/passwords/discovery/email/reset/start" => "discovery_email_reset_start",
        "/v1/b2b/passwords/discovery/email/reset" => "discovery_email_reset",
        _ => "unknown",
    }
}

#[tokio::test]
async fn every_endpoint_round_trips_over_the_default_transport() {
    bounded(async {
        let (addr, log) = serve(|seen, _| json_ok(fixture(fixture_for(&seen.path)))).await;
        // No `.transport(...)`: the default one, the hyper transport.
        let client = client(addr);
        let org = "organization-test-1";
        let email = "ada@example.com";

        // (path, expected JSON body, the request_id the response decoded to, extra header)
        type Check = (
            &'static str,
            Value,
            String,
            Option<(&'static str, &'static str)>,
        );
        let mut checks: Vec<Check> = Vec::new();

        let r = client
            .strength_check(StrengthCheckRequest::new("correct horse battery").email_address(email))
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/strength_check",
            json!({"password": "correct horse battery", "email_address": email}),
            r.request_id.clone(),
            None,
        ));

        let r = client
            .migrate(
                MigrateRequest::new(
                    email,
                    "$2a$10$abcdefghijklmnopqrstuv",
                    HashType::Bcrypt,
                    org,
                )
                .name("Ada Lovelace"),
            )
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/migrate",
            json!({"email_address": email, "hash": "$2a$10$abcdefghijklmnopqrstuv",
                   "hash_type": "bcrypt", "organization_id": org, "name": "Ada Lovelace"}),
            r.request_id.clone(),
            None,
        ));

        let r = client
            .authenticate(AuthenticateRequest::new(org, email, "pw-1").session_duration_minutes(60))
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/authenticate",
            json!({"organization_id": org, "email_address": email, "password": "pw-1",
                   "session_duration_minutes": 60}),
            r.request_id.clone(),
            None,
        ));

        let r = client
            .email_reset_start(
                EmailResetStartRequest::new(org, email)
                    .reset_password_redirect_url("https://app.example.com/reset"),
            )
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/email/reset/start",
            json!({"organization_id": org, "email_address": email,
                   "reset_password_redirect_url": "https://app.example.com/reset"}),
            r.request_id.clone(),
            None,
        ));

        let r = client
            .email_reset(EmailResetRequest::new("reset-token-1", "new-pw-1"))
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/email/reset",
            json!({"password_reset_token": "reset-token-1", "password": "new-pw-1"}),
            r.request_id.clone(),
            None,
        ));

        let r = client
            .email_require_reset(
                EmailRequireResetRequest::new(email)
                    .organization_id(org)
                    .member_session_token("member-session-1"),
            )
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/email/require_reset",
            json!({"email_address": email, "organization_id": org}),
            r.request_id.clone(),
            Some(("x-stytch-member-session", "member-session-1")),
        ));

        let r = client
            .sessions_reset(SessionsResetRequest::new(org, "new-pw-2").session_token("session-1"))
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/session/reset",
            json!({"organization_id": org, "password": "new-pw-2", "session_token": "session-1"}),
            r.request_id.clone(),
            None,
        ));

        let r = client
            .existing_password_reset(ExistingPasswordResetRequest::new(
                email, "old-pw", "new-pw-3", org,
            ))
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/existing_password/reset",
            json!({"email_address": email, "existing_password": "old-pw",
                   "new_password": "new-pw-3", "organization_id": org}),
            r.request_id.clone(),
            None,
        ));

        let r = client
            .discovery_authenticate(DiscoveryAuthenticateRequest::new(email, "pw-4"))
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/discovery/authenticate",
            json!({"email_address": email, "password": "pw-4"}),
            r.request_id.clone(),
            None,
        ));

        let r = client
            .discovery_email_reset_start(
                DiscoveryEmailResetStartRequest::new(email)
                    .discovery_redirect_url("https://app.example.com/discover"),
            )
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/discovery/email/reset/start",
            json!({"email_address": email,
                   "discovery_redirect_url": "https://app.example.com/discover"}),
            r.request_id.clone(),
            None,
        ));

        let r = client
            .discovery_email_reset(DiscoveryEmailResetRequest::new("reset-token-2", "new-pw-5"))
            .await
            .unwrap();
        checks.push((
            "/v1/b2b/passwords/discovery/email/reset",
            json!({"password_reset_token": "reset-token-2", "password": "new-pw-5"}),
            r.request_id.clone(),
            None,
        ));

        let seen = log.requests.lock().unwrap().clone();
        assert_eq!(seen.len(), 11);
        assert_eq!(checks.len(), 11);
        use base64::Engine as _;
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT}:{SECRET}"))
        );
        for (seen, (path, body, request_id, header)) in seen.iter().zip(&checks) {
            assert_eq!(seen.method, "POST", "{path}");
            assert_eq!(seen.path, *path);
            assert_eq!(seen.headers["content-type"], "application/json", "{path}");
            assert_eq!(seen.headers["authorization"], basic.as_str(), "{path}");
            assert!(
                seen.headers["user-agent"]
                    .to_str()
                    .unwrap()
                    .starts_with("stytch-b2b-passwords-rust/"),
                "{path}"
            );
            assert_eq!(
                seen.headers["host"],
                format!("127.0.0.1:{}", addr.port()),
                "{path}"
            );
            let sent: Value = serde_json::from_slice(&seen.body).expect("JSON body");
            assert_eq!(&sent, body, "{path}");
            assert_eq!(
                seen.headers.contains_key("x-stytch-member-session"),
                header.is_some(),
                "{path}"
            );
            if let Some((name, value)) = header {
                assert_eq!(seen.headers[*name], *value, "{path}");
            }
            // The decoded response is the fixture's.
            assert_eq!(
                *request_id,
                request_id_of(&fixture(fixture_for(path))),
                "{path}"
            );
        }
        assert_eq!(
            log.connections.load(Ordering::SeqCst),
            1,
            "one keep-alive connection"
        );
    })
    .await;
}

#[tokio::test]
async fn sequential_calls_reuse_one_connection() {
    bounded(async {
        let (addr, log) = serve(|_, _| json_ok(fixture("authenticate"))).await;
        let client = client(addr);
        for _ in 0..25 {
            let response = client
                .authenticate(AuthenticateRequest::new("org-1", "ada@example.com", "pw"))
                .await
                .unwrap();
            assert!(!response.request_id.is_empty());
        }
        // Clones of the client share the transport and so its pool.
        let clone = client.clone();
        clone
            .authenticate(AuthenticateRequest::new("org-1", "ada@example.com", "pw"))
            .await
            .unwrap();
        assert_eq!(log.requests.lock().unwrap().len(), 26);
        assert_eq!(log.connections.load(Ordering::SeqCst), 1);
    })
    .await;
}

#[tokio::test]
async fn html_502_from_a_proxy_is_an_http_error() {
    bounded(async {
        let (addr, log) = serve(|_, _| {
            (
                502,
                vec![("content-type", "text/html".to_owned())],
                Bytes::from_static(b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
            )
        })
        .await;
        let err = client(addr)
            .authenticate(AuthenticateRequest::new("org-1", "ada@example.com", "pw"))
            .await
            .unwrap_err();
        match &err {
            Error::Http(http) => {
                assert_eq!(http.status, 502);
                assert!(http.body_excerpt().contains("502 Bad Gateway"));
            }
            other => panic!("expected Error::Http, got {other:?}"),
        }
        assert_eq!(err.status(), Some(http::StatusCode::BAD_GATEWAY));
        assert!(!err.is_retryable());
        assert_eq!(
            log.requests.lock().unwrap().len(),
            1,
            "a 502 is not retried"
        );
    })
    .await;
}

#[tokio::test]
async fn rate_limited_call_is_retried_after_the_server_asked_wait() {
    bounded(async {
        let (addr, log) = serve(|_, n| {
            if n == 1 {
                (
                    429,
                    vec![("retry-after", "1".to_owned())],
                    Bytes::from_static(
                        br#"{"status_code":429,"request_id":"r-429","error_type":"too_many_requests","error_message":"slow down"}"#,
                    ),
                )
            } else {
                json_ok(fixture("authenticate"))
            }
        })
        .await;
        let started = Instant::now();
        let response = client(addr)
            .authenticate(AuthenticateRequest::new("org-1", "ada@example.com", "pw"))
            .await
            .unwrap();
        assert_eq!(response.request_id, request_id_of(&fixture("authenticate")));
        assert!(started.elapsed() >= Duration::from_secs(1));
        assert_eq!(log.requests.lock().unwrap().len(), 2);
    })
    .await;
}

fn transport_kind(err: &Error) -> TransportErrorKind {
    match err {
        Error::Transport(e) => e.kind(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn transport_failures_map_to_the_core_kinds() {
    bounded(async {
        let request = || AuthenticateRequest::new("org-1", "ada@example.com", "pw");

        // A server that accepts and never answers: Timeout, within the limit.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hanging = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                held.push(stream); // accept, never answer
            }
        });
        let transport = HyperTransport::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = client_with(hanging, transport)
            .authenticate(request())
            .await
            .unwrap_err();
        assert_eq!(transport_kind(&err), TransportErrorKind::Timeout, "{err}");
        assert!(err.is_timeout());
        assert!(!err.is_retryable());
        assert!(started.elapsed() < Duration::from_millis(1500));

        // Nothing listening: Connect, retried by the client, retryable for the caller.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let closed: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let err = fast_retrying(closed)
            .authenticate(request())
            .await
            .unwrap_err();
        assert_eq!(transport_kind(&err), TransportErrorKind::Connect, "{err}");
        assert!(err.is_retryable());
        assert!(std::error::Error::source(&err).is_some());

        // Cut mid-body: Io.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let cutting = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf).await;
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n{\"request_id\":")
                    .await;
            }
        });
        let err = client(cutting).authenticate(request()).await.unwrap_err();
        assert_eq!(transport_kind(&err), TransportErrorKind::Io, "{err}");

        // Too large: BodyTooLarge.
        let (big, _) = serve(|_, _| json_ok(Bytes::from(vec![b' '; 64 * 1024]))).await;
        let transport = HyperTransport::builder()
            .max_response_body_size(16 * 1024)
            .build()
            .unwrap();
        let err = client_with(big, transport)
            .authenticate(request())
            .await
            .unwrap_err();
        assert_eq!(
            transport_kind(&err),
            TransportErrorKind::BodyTooLarge,
            "{err}"
        );

        // Plain http:// to a host that is not loopback: Refused, nothing sent.
        let err = PasswordsClient::builder(PROJECT, SECRET)
            .base_url("http://example.com")
            .build()
            .unwrap()
            .authenticate(request())
            .await
            .unwrap_err();
        assert_eq!(transport_kind(&err), TransportErrorKind::Refused, "{err}");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains(SECRET) && !shown.contains("pw\""),
            "{shown}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_client_retries_a_503_and_reports_the_attempts() {
    bounded(async {
        let (addr, log) = serve(|_, n| {
            if n == 1 {
                (503, vec![], Bytes::new())
            } else {
                json_ok(fixture("strength_check"))
            }
        })
        .await;
        let response = fast_retrying(addr)
            .strength_check(StrengthCheckRequest::new("pw"))
            .await
            .unwrap();
        assert_eq!(
            response.request_id,
            request_id_of(&fixture("strength_check"))
        );
        assert_eq!(log.requests.lock().unwrap().len(), 2);
    })
    .await;
}

#[test]
fn the_default_client_builds_without_a_runtime_or_a_network_call() {
    // A plain #[test]: no Tokio runtime. Building must neither need one nor connect anywhere.
    let client = PasswordsClient::builder(PROJECT, SECRET).build().unwrap();
    let debug = format!("{client:?}");
    assert!(debug.contains("HyperTransport"), "{debug}");
    assert!(!debug.contains(SECRET));
    let live = PasswordsClient::builder("project-live-1", SECRET)
        .build()
        .unwrap();
    assert_eq!(live.config().base_url(), LIVE_BASE_URL);
}
