//! The transport against real servers on 127.0.0.1 (ephemeral ports), each test bounded in time:
//! the checks every adapter passes (`support/adapter_cases.rs`), then the hyper transport's own
//! (HTTP/2 by ALPN, pool idle limits, connect time limits, its builder's settings).

mod support;

use std::time::{Duration, Instant};

use stytch_b2b_passwords_hyper::HyperTransport;
use stytch_b2b_passwords_transport::{HttpTransport, TransportErrorKind as ErrorKind};
use support::*;

#[path = "support/adapter_cases.rs"]
mod adapter_cases;
use adapter_cases::Settings;

fn transport_with(settings: Settings) -> HyperTransport {
    let mut builder = HyperTransport::builder();
    if let Some(limit) = settings.timeout {
        builder = builder.timeout(limit);
    }
    if let Some(bytes) = settings.max_response_body_size {
        builder = builder.max_response_body_size(bytes);
    }
    if let Some(der) = settings.trusted_root {
        builder = builder.add_root_certificate_der(der);
    }
    builder.build().unwrap()
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
