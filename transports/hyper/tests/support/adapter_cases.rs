//! The loopback checks every adapter must pass, against servers on 127.0.0.1 (ephemeral ports),
//! each bounded in time: the same failures give the same error kinds and words whatever sends.
//!
//! The including test file declares `mod support` and provides
//! `fn transport_with(settings: Settings) -> T`, where `T` is its transport (an `HttpTransport`
//! whose clones share one connection pool), built with the adapter's defaults where a setting is
//! `None`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use stytch_b2b_passwords_transport::{HttpTransport, Operation, TransportErrorKind as ErrorKind};

use super::support::*;
use super::transport_with;

/// What a case sets on the transport it sends through; `None` keeps the adapter's default.
#[derive(Default)]
pub struct Settings {
    /// The limit for one exchange, from sending to the body's last byte.
    pub timeout: Option<Duration>,
    /// The largest response body read, in bytes.
    pub max_response_body_size: Option<usize>,
    /// A certificate (DER) to trust as a root: the test server's self-signed one.
    pub trusted_root: Option<Vec<u8>>,
}

/// The adapter's transport with its default settings.
fn default_transport() -> impl HttpTransport + Clone {
    transport_with(Settings::default())
}

#[tokio::test]
async fn round_trip_keeps_method_path_headers_and_body() {
    bounded(async {
        let (addr, counters) = serve(|seen, _| async move {
            assert_eq!(seen.method, "POST");
            assert_eq!(seen.path, "/v1/b2b/passwords/strength_check");
            assert_eq!(seen.headers["content-type"], "application/json");
            assert!(seen.headers.contains_key("authorization"));
            assert_eq!(&seen.body[..], br#"{"password":"hunter2-secret"}"#);
            respond(200, r#"{"ok":true}"#, &[("request-id", "req-123")])
        })
        .await;
        let mut request = post(&format!("http://{addr}/v1/b2b/passwords/strength_check"));
        request
            .extensions_mut()
            .insert(Operation("passwords.strength_check"));
        let response = default_transport().send(request).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["request-id"], "req-123");
        assert_eq!(&response.body()[..], br#"{"ok":true}"#);
        assert_eq!(counters.requests(), 1);
    })
    .await;
}

#[tokio::test]
async fn error_statuses_are_answers_sent_once() {
    bounded(async {
        for (status, headers) in [
            (503, &[][..]),
            (429, &[("retry-after", "1")][..]),
            (500, &[][..]),
        ] {
            let (addr, counters) =
                serve(move |_, _| async move { respond(status, "busy", headers) }).await;
            let response = send_to(&default_transport(), addr).await.unwrap();
            assert_eq!(response.status(), status);
            if status == 429 {
                assert_eq!(response.headers()["retry-after"], "1");
            }
            assert_eq!(&response.body()[..], b"busy");
            assert_eq!(counters.requests(), 1, "retries are the client's");
        }
    })
    .await;
}

/// A transport whose exchanges must end within 300 ms.
fn timing_out() -> impl HttpTransport {
    transport_with(Settings {
        timeout: Some(Duration::from_millis(300)),
        ..Settings::default()
    })
}

#[tokio::test]
async fn slow_server_times_out_within_the_limit() {
    bounded(async {
        let (addr, _) = serve(|_, _| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            respond(200, "late", &[])
        })
        .await;
        let transport = timing_out();
        let started = Instant::now();
        let err = transport
            .send(post(&format!("http://{addr}/slow")))
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
        assert!(err.is_timeout());
        assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    })
    .await;
}

#[tokio::test]
async fn stalled_body_times_out() {
    bounded(async {
        let (addr, _) = serve_raw(|mut s| async move {
            write(
                &mut s,
                b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"partial\":",
            )
            .await;
            tokio::time::sleep(Duration::from_secs(30)).await;
        })
        .await;
        let transport = timing_out();
        let started = Instant::now();
        let err = send_to(&transport, addr).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
        assert!(started.elapsed() < Duration::from_millis(1500));
    })
    .await;
}

#[tokio::test]
async fn connection_dropped_mid_body_is_io() {
    bounded(async {
        let (addr, counters) = serve_cut_mid_body().await;
        let err = send_to(&default_transport(), addr).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io, "{err}");
        assert!(err.message().contains("response body"), "{err}");
        assert_eq!(counters.requests(), 1);
    })
    .await;
}

/// A transport that reads at most `bytes` of a response body.
fn capped_at(bytes: usize) -> impl HttpTransport {
    transport_with(Settings {
        max_response_body_size: Some(bytes),
        ..Settings::default()
    })
}

#[tokio::test]
async fn oversized_body_rejected_by_content_length() {
    bounded(async {
        let (addr, _) = serve(|_, _| async { respond(200, vec![b'x'; 4096], &[]) }).await;
        let err = capped_at(1024)
            .send(post(&format!("http://{addr}/big")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
        assert!(err.message().contains("4096"), "{err}");
        assert!(err.message().contains("1024"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn oversized_streamed_body_rejected_without_reading_on() {
    bounded(async {
        let written = Arc::new(AtomicUsize::new(0));
        let w = written.clone();
        let (addr, _) = serve_raw(move |mut s| {
            let w = w.clone();
            async move {
                if !write(
                    &mut s,
                    b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
                )
                .await
                {
                    return;
                }
                let chunk = format!("400\r\n{}\r\n", "y".repeat(0x400));
                // Up to 64 MiB, unless the client stops reading first.
                for _ in 0..65_536 {
                    if !write(&mut s, chunk.as_bytes()).await {
                        return;
                    }
                    w.fetch_add(0x400, Ordering::SeqCst);
                }
            }
        })
        .await;
        let err = capped_at(16 * 1024)
            .send(post(&format!("http://{addr}/stream")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
        // Give the server a moment to notice the closed connection.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let sent = written.load(Ordering::SeqCst);
        assert!(
            sent < 16 * 1024 * 1024,
            "the client kept reading: {sent} bytes"
        );
    })
    .await;
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    bounded(async {
        let port = closed_port();
        let err = default_transport()
            .send(post(&format!("http://127.0.0.1:{port}/x")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
        assert!(
            err.message().contains(&format!("127.0.0.1:{port}")),
            "{err}"
        );
    })
    .await;
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_before_any_lookup() {
    bounded(async {
        let transport = default_transport();
        let started = Instant::now();
        // If this reached DNS or a socket the error would be Connect (there is no network here)
        // or the call would take time; Refused comes only from the check before sending.
        let err = transport
            .send(post("http://example.com/v1/b2b/passwords/authenticate"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
        assert!(started.elapsed() < Duration::from_secs(1));
        assert!(err.message().contains("http://example.com"), "{err}");
        assert!(err.message().contains("allow_insecure_http"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn clones_share_the_pool_and_serve_many_tasks() {
    bounded(async {
        let (addr, counters) = serve(|seen, _| async move { respond(200, seen.body, &[]) }).await;
        let transport = default_transport();
        let url = format!("http://{addr}/echo");
        for i in 0..20 {
            // Every call through a fresh clone: they all share one pooled connection.
            let clone = transport.clone();
            let response = clone.send(post(&url)).await.unwrap();
            assert_eq!(response.status(), 200, "call {i}");
        }
        assert_eq!(
            counters.connections(),
            1,
            "sequential calls reuse one connection"
        );

        let mut tasks = Vec::new();
        for _ in 0..64 {
            let clone = transport.clone();
            let url = url.clone();
            tasks.push(tokio::spawn(async move { clone.send(post(&url)).await }));
        }
        for task in tasks {
            let response = task.await.unwrap().unwrap();
            assert_eq!(&response.body()[..], br#"{"password":"hunter2-secret"}"#);
        }
        assert_eq!(counters.requests(), 84);
        assert!(counters.connections() <= 65);
    })
    .await;
}

#[tokio::test]
async fn untrusted_certificate_is_a_tls_error() {
    bounded(async {
        let (cert, key) = self_signed();
        let (addr, counters) = serve_tls(cert, key, &[b"http/1.1"]).await;
        let err = default_transport()
            .send(post(&format!("https://localhost:{}/x", addr.port())))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
        assert!(err.message().contains("TLS"), "{err}");
        assert!(
            err.message().to_lowercase().contains("certificate"),
            "{err}"
        );
        assert_eq!(counters.requests(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_custom_root_is_trusted_over_http1_with_keep_alive() {
    bounded(async {
        let (cert, key) = self_signed();
        let (addr, counters) = serve_tls(cert.clone(), key, &[b"http/1.1"]).await;
        let transport = transport_with(Settings {
            trusted_root: Some(cert),
            ..Settings::default()
        });
        let url = format!("https://localhost:{}/x", addr.port());
        for _ in 0..5 {
            let response = transport.send(post(&url)).await.unwrap();
            assert_eq!(response.status(), 200);
            assert_eq!(response.version(), http::Version::HTTP_11);
            assert_eq!(&response.body()[..], b"HTTP/1.1");
        }
        assert_eq!(counters.requests(), 5);
        assert_eq!(counters.connections(), 1);
    })
    .await;
}

#[tokio::test]
async fn idle_connections_per_host_are_capped_by_default() {
    bounded(async {
        // Every call of a burst waits for all 150 to arrive: each holds its own connection.
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(150));
        let (addr, counters) = serve(move |_, _| {
            let barrier = barrier.clone();
            async move {
                barrier.wait().await;
                respond(200, "{}", &[])
            }
        })
        .await;
        let transport = default_transport();
        // 150 calls at once open 150 connections; only the cap (100) stays pooled, so a
        // second burst of 150 must open at least 50 new ones.
        for _ in 0..2 {
            let calls: Vec<_> = (0..150)
                .map(|_| {
                    let transport = transport.clone();
                    tokio::spawn(async move { send_to(&transport, addr).await.map(|_| ()) })
                })
                .collect();
            for call in calls {
                call.await.unwrap().unwrap();
            }
        }
        assert_eq!(counters.requests(), 300);
        assert!(
            counters.connections() >= 150 + 150 - 100,
            "{} connections",
            counters.connections()
        );
    })
    .await;
}

#[tokio::test]
async fn error_messages_and_debug_never_show_secrets() {
    bounded(async {
        let (addr, _) = serve_raw(|mut s| async move {
            write(&mut s, b"HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n{").await;
        })
        .await;
        let transport = default_transport();
        let port = closed_port();
        let urls = [
            format!("http://{addr}/x?token=query-secret"),
            format!("http://127.0.0.1:{port}/x?token=query-secret"),
            "http://example.com/x?token=query-secret".to_owned(),
        ];
        for url in urls {
            let err = transport.send(post(&url)).await.unwrap_err();
            let shown = format!("{err} {err:?}");
            for secret in ["hunter2-secret", "c2VjcmV0", "query-secret"] {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
        }
    })
    .await;
}
