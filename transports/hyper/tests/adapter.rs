//! The transport against real servers on 127.0.0.1 (ephemeral ports), each test bounded in time.

mod support;

use std::time::{Duration, Instant};

use bytes::Bytes;
use stytch_b2b_passwords_hyper::HyperTransport;
use stytch_b2b_passwords_transport::{
    HttpTransport, Operation, TransportError, TransportErrorKind as ErrorKind,
};
use support::*;

/// The test request, sent to `addr`.
async fn send_to(
    transport: &HyperTransport,
    addr: std::net::SocketAddr,
) -> Result<http::Response<Bytes>, TransportError> {
    transport.send(post(&format!("http://{addr}/x"))).await
}

#[tokio::test]
async fn round_trip_keeps_headers() {
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
        let transport = HyperTransport::new().unwrap();
        let mut request = post(&format!("http://{addr}/v1/b2b/passwords/strength_check"));
        request
            .extensions_mut()
            .insert(Operation("passwords.strength_check"));
        let response = transport.send(request).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["request-id"], "req-123");
        assert_eq!(&response.body()[..], br#"{"ok":true}"#);
        assert_eq!(counters.requests(), 1);
    })
    .await;
}

#[tokio::test]
async fn slow_server_times_out_within_the_limit() {
    bounded(async {
        let (addr, _) = serve(|_, _| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            respond(200, "late", &[])
        })
        .await;
        let transport = HyperTransport::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
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
        let transport = HyperTransport::builder()
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
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
        let transport = HyperTransport::new().unwrap();
        let err = send_to(&transport, addr).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io, "{err}");
        assert!(err.message().contains("response body"), "{err}");
        assert_eq!(counters.requests(), 1);
    })
    .await;
}

#[tokio::test]
async fn oversized_body_rejected_by_content_length() {
    bounded(async {
        let (addr, _) = serve(|_, _| async { respond(200, vec![b'x'; 4096], &[]) }).await;
        let transport = HyperTransport::builder()
            .max_response_body_size(1024)
            .build()
            .unwrap();
        let err = transport
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
        let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
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
                    w.fetch_add(0x400, std::sync::atomic::Ordering::SeqCst);
                }
            }
        })
        .await;
        let transport = HyperTransport::builder()
            .max_response_body_size(16 * 1024)
            .build()
            .unwrap();
        let err = transport
            .send(post(&format!("http://{addr}/stream")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
        // Give the server a moment to notice the closed connection.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let sent = written.load(std::sync::atomic::Ordering::SeqCst);
        assert!(
            sent < 16 * 1024 * 1024,
            "the client kept reading: {sent} bytes"
        );
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
            let transport = HyperTransport::new().unwrap();
            let response = send_to(&transport, addr).await.unwrap();
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

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    bounded(async {
        let port = closed_port();
        let transport = HyperTransport::new().unwrap();
        let err = transport
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
        let transport = HyperTransport::new().unwrap();
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
        let transport = HyperTransport::new().unwrap();
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
async fn idle_connections_are_closed_after_the_pool_idle_timeout() {
    bounded(async {
        let (addr, counters) = serve(|_, _| async { respond(200, "{}", &[]) }).await;
        let transport = HyperTransport::builder()
            .pool_idle_timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let url = format!("http://{addr}/x");
        transport.send(post(&url)).await.unwrap();
        transport.send(post(&url)).await.unwrap();
        assert_eq!(counters.connections(), 1);
        tokio::time::sleep(Duration::from_millis(700)).await;
        transport.send(post(&url)).await.unwrap();
        assert_eq!(counters.connections(), 2, "the idle connection was dropped");
    })
    .await;
}

#[tokio::test]
async fn connect_timeout_is_a_connect_error() {
    bounded(async {
        // A listener that never accepts, its one-slot backlog filled: further SYNs get no answer.
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let listener = socket.listen(0).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut fillers = Vec::new();
        for _ in 0..4 {
            if let Ok(Ok(s)) = tokio::time::timeout(
                Duration::from_millis(200),
                tokio::net::TcpStream::connect(addr),
            )
            .await
            {
                fillers.push(s);
            }
        }
        let transport = HyperTransport::builder()
            .connect_timeout(Duration::from_millis(200))
            .build()
            .unwrap();
        let started = Instant::now();
        let result = send_to(&transport, addr).await;
        let elapsed = started.elapsed();
        drop(listener);
        match result {
            Err(err) => {
                assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
                assert!(err.message().contains("timed out"), "{err}");
                assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
            }
            Ok(_) => panic!("a listener that never accepts answered"),
        }
    })
    .await;
}

#[tokio::test]
async fn tls_round_trip_with_a_custom_root_uses_http2_when_offered() {
    bounded(async {
        let (cert, key) = self_signed();
        let (addr, counters) = serve_tls(cert.clone(), key, &[b"h2", b"http/1.1"]).await;
        let transport = HyperTransport::builder()
            .add_root_certificate_der(cert)
            .build()
            .unwrap();
        for host in ["localhost", "127.0.0.1"] {
            let url = format!(
                "https://{host}:{}/v1/b2b/passwords/authenticate",
                addr.port()
            );
            let response = transport.send(post(&url)).await.unwrap();
            assert_eq!(response.status(), 200);
            let expected = if cfg!(feature = "http2") {
                http::Version::HTTP_2
            } else {
                http::Version::HTTP_11
            };
            assert_eq!(response.version(), expected);
            assert_eq!(&response.body()[..], format!("{expected:?}").as_bytes());
        }
        assert_eq!(counters.requests(), 2);
    })
    .await;
}

#[tokio::test]
async fn tls_http1_server_gets_http1_with_keep_alive() {
    bounded(async {
        let (cert, key) = self_signed();
        let (addr, counters) = serve_tls(cert.clone(), key, &[b"http/1.1"]).await;
        let transport = HyperTransport::builder()
            .add_root_certificate_der(cert)
            .build()
            .unwrap();
        let url = format!("https://localhost:{}/x", addr.port());
        for _ in 0..5 {
            let response = transport.send(post(&url)).await.unwrap();
            assert_eq!(response.version(), http::Version::HTTP_11);
        }
        assert_eq!(counters.connections(), 1);
    })
    .await;
}

#[tokio::test]
async fn untrusted_certificate_is_a_tls_error() {
    bounded(async {
        let (cert, key) = self_signed();
        let (addr, counters) = serve_tls(cert, key, &[b"http/1.1"]).await;
        let transport = HyperTransport::new().unwrap();
        let err = transport
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
async fn error_messages_and_debug_never_show_secrets() {
    bounded(async {
        let (addr, _) = serve_raw(|mut s| async move {
            write(&mut s, b"HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n{").await;
        })
        .await;
        let transport = HyperTransport::new().unwrap();
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

#[tokio::test]
async fn huge_settings_do_not_overflow() {
    bounded(async {
        let (addr, counters) = serve_failing_once(503, "", &[]).await;
        let transport = HyperTransport::builder()
            .timeout(Duration::MAX)
            .connect_timeout(Duration::MAX)
            .pool_idle_timeout(Duration::MAX)
            .build()
            .unwrap();
        let response = send_to(&transport, addr).await.unwrap();
        assert_eq!(response.status(), 503);
        let response = send_to(&transport, addr).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(counters.requests(), 2);
    })
    .await;
}

#[test]
fn building_needs_no_runtime() {
    // No Tokio runtime exists in a plain #[test]: building must not need one.
    let transport = HyperTransport::new().unwrap();
    let _clone = transport.clone();
    let debug = format!("{transport:?}");
    assert!(debug.contains("HyperTransport"));
    let _ = Bytes::new();
}

#[tokio::test]
async fn connect_timeout_covers_a_tls_handshake_that_never_answers() {
    bounded(async {
        // Accepts TCP connections and never says a word.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                held.push(socket);
            }
        });
        let transport = HyperTransport::builder()
            .connect_timeout(Duration::from_millis(300))
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = transport
            .send(post(&format!("https://localhost:{}/x", addr.port())))
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
        assert!(err.message().contains("timed out"), "{err}");
        assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
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
        let transport = HyperTransport::new().unwrap();
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
