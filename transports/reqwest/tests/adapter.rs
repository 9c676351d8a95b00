//! The reqwest transport against real servers on 127.0.0.1 (ephemeral ports), each test bounded
//! in time: the hyper transport's loopback checks, passed by this adapter too.

#[path = "../../hyper/tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use stytch_b2b_passwords_reqwest::{HttpTransport, ReqwestTransport};
use stytch_b2b_passwords_transport::TransportErrorKind as ErrorKind;
use support::*;

fn transport() -> ReqwestTransport {
    ReqwestTransport::new(ReqwestTransport::default_client().unwrap())
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
        let response = transport()
            .send(post(&format!(
                "http://{addr}/v1/b2b/passwords/strength_check"
            )))
            .await
            .unwrap();
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
        let (addr, counters) = serve(|_, _| async { respond(503, "busy", &[]) }).await;
        let response = transport()
            .send(post(&format!("http://{addr}/x")))
            .await
            .unwrap();
        assert_eq!(response.status(), 503);
        assert_eq!(&response.body()[..], b"busy");
        assert_eq!(counters.requests(), 1);
    })
    .await;
}

#[tokio::test]
async fn slow_server_times_out_within_the_limit() {
    bounded(async {
        let (addr, _) = serve(|_, _| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            respond(200, "{}", &[])
        })
        .await;
        let started = Instant::now();
        let err = transport()
            .timeout(Duration::from_millis(300))
            .send(post(&format!("http://{addr}/slow")))
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
        assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    })
    .await;
}

#[tokio::test]
async fn stalled_body_times_out() {
    bounded(async {
        let (addr, _) = serve_raw(|mut s| async move {
            write(&mut s, b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{").await;
            tokio::time::sleep(Duration::from_secs(5)).await;
        })
        .await;
        let err = transport()
            .timeout(Duration::from_millis(300))
            .send(post(&format!("http://{addr}/x")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    })
    .await;
}

#[tokio::test]
async fn connection_dropped_mid_body_is_io() {
    bounded(async {
        let (addr, counters) = serve_cut_mid_body().await;
        let err = transport()
            .send(post(&format!("http://{addr}/x")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Io, "{err}");
        assert!(err.message().contains("response body"), "{err}");
        assert_eq!(counters.requests(), 1);
    })
    .await;
}

#[tokio::test]
async fn oversized_bodies_are_rejected() {
    bounded(async {
        let (addr, _) = serve(|_, _| async { respond(200, vec![b'x'; 2048], &[]) }).await;
        let err = transport()
            .max_response_body_size(1024)
            .send(post(&format!("http://{addr}/big")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");

        // No length announced: stopped once past the limit.
        let (addr, _) = serve_raw(|mut s| async move {
            write(
                &mut s,
                b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n",
            )
            .await;
            for _ in 0..64 {
                if !write(&mut s, b"100\r\n").await {
                    return;
                }
                write(&mut s, &[b'x'; 256]).await;
                write(&mut s, b"\r\n").await;
            }
            write(&mut s, b"0\r\n\r\n").await;
        })
        .await;
        let err = transport()
            .max_response_body_size(1024)
            .send(post(&format!("http://{addr}/stream")))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BodyTooLarge, "{err}");
    })
    .await;
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_before_any_lookup() {
    bounded(async {
        let started = Instant::now();
        let err = transport()
            .send(post("http://example.com/v1/b2b/passwords/authenticate"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Refused, "{err}");
        assert!(started.elapsed() < Duration::from_secs(1));
        assert!(err.message().contains("allow_insecure_http"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    bounded(async {
        let port = closed_port();
        let err = transport()
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
async fn untrusted_certificate_is_a_tls_error_and_a_custom_root_is_trusted() {
    bounded(async {
        let (cert, key) = self_signed();
        let (addr, counters) = serve_tls(cert.clone(), key, &[b"http/1.1"]).await;
        let url = format!("https://localhost:{}/x", addr.port());
        let err = transport().send(post(&url)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Tls, "{err}");
        assert!(
            err.message().to_lowercase().contains("certificate"),
            "{err}"
        );
        assert_eq!(counters.requests(), 0);

        let mut roots = rustls::RootCertStore::empty();
        roots.add(cert.into()).unwrap();
        let trusting = ReqwestTransport::new(ReqwestTransport::client_with_roots(roots).unwrap());
        let response = trusting.send(post(&url)).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(counters.requests(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_shared_client_keeps_one_pool() {
    bounded(async {
        let (addr, counters) = serve(|_, _| async { respond(200, "{}", &[]) }).await;
        let shared = ReqwestTransport::default_client().unwrap();
        let a = ReqwestTransport::new(shared.clone());
        let b = ReqwestTransport::new(shared);
        for transport in [&a, &b, &a] {
            transport
                .send(post(&format!("http://{addr}/x")))
                .await
                .unwrap();
        }
        assert_eq!(counters.requests(), 3);
        assert_eq!(counters.connections(), 1);
    })
    .await;
}
