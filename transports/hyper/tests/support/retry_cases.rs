//! The client's retry rules against servers on 127.0.0.1, through whichever transport the
//! including test file's `transport()` makes: the policy is the core's, so every adapter must
//! pass the same cases.

use std::time::{Duration, Instant};

use stytch_b2b_passwords::transport::{TokioTimer, TransportErrorKind};
use stytch_b2b_passwords::{
    AuthenticateRequest, CallOptions, Error, PasswordsClient, RetryPolicy, StrengthCheckRequest,
};

use super::support::*;
use super::transport;

const STRENGTH_OK: &str = r#"{"request_id":"r-1","score":4,"valid_password":true}"#;

fn client(base: String, policy: RetryPolicy) -> PasswordsClient {
    PasswordsClient::builder("project-test-1", "secret-1")
        .base_url(base)
        .shared_transport(transport())
        .timer(TokioTimer)
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn fast() -> RetryPolicy {
    RetryPolicy::default().with_initial_backoff(Duration::from_millis(20))
}

fn local(addr: std::net::SocketAddr) -> String {
    format!("http://{addr}")
}

fn authenticate() -> AuthenticateRequest {
    AuthenticateRequest::new("org", "ada@example.com", "pw")
}

fn transport_kind(err: &Error) -> (TransportErrorKind, u32) {
    match err {
        Error::Transport(e) => (e.kind(), e.attempts()),
        other => panic!("not a transport error: {other:?}"),
    }
}

#[tokio::test]
async fn too_many_requests_waits_for_retry_after_then_succeeds() {
    bounded(async {
        let (addr, counters) = serve(|_, n| async move {
            if n == 1 {
                respond(429, "", &[("retry-after", "1")])
            } else {
                respond(200, STRENGTH_OK, &[])
            }
        })
        .await;
        let started = Instant::now();
        let response = client(local(addr), fast())
            .strength_check(StrengthCheckRequest::new("pw"))
            .await
            .unwrap();
        assert_eq!(response.score, 4);
        assert_eq!(counters.requests(), 2);
        assert!(started.elapsed() >= Duration::from_secs(1));
    })
    .await;
}

#[tokio::test]
async fn retry_after_beyond_the_cap_returns_the_answer_at_once() {
    bounded(async {
        let (addr, counters) =
            serve(|_, _| async { respond(429, "slow down", &[("retry-after", "120")]) }).await;
        let started = Instant::now();
        let err = client(local(addr), fast())
            .authenticate(authenticate())
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
        assert_eq!(counters.requests(), 1);
        assert!(started.elapsed() < Duration::from_secs(1));
    })
    .await;
}

#[tokio::test]
async fn service_unavailable_until_attempts_run_out() {
    bounded(async {
        let (addr, counters) = serve(|_, _| async { respond(503, "<html>down</html>", &[]) }).await;
        let err = client(local(addr), fast().with_max_attempts(3))
            .authenticate(authenticate())
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(counters.requests(), 3);
    })
    .await;
}

#[tokio::test]
async fn connection_refused_is_retried_then_fails_with_connect() {
    bounded(async {
        let port = closed_port();
        let err = client(format!("http://127.0.0.1:{port}"), fast())
            .authenticate(authenticate())
            .await
            .unwrap_err();
        assert_eq!(transport_kind(&err), (TransportErrorKind::Connect, 3));
        assert!(err.is_retryable());
    })
    .await;
}

#[tokio::test]
async fn a_dropped_response_is_retried_only_when_the_operation_changes_nothing() {
    bounded(async {
        let (addr, counters) = serve_cut_mid_body().await;
        let client = client(local(addr), fast());
        let err = client.authenticate(authenticate()).await.unwrap_err();
        assert_eq!(transport_kind(&err), (TransportErrorKind::Io, 1));
        assert_eq!(counters.requests(), 1, "a login may have been recorded");
        let err = client
            .strength_check(StrengthCheckRequest::new("pw"))
            .await
            .unwrap_err();
        assert_eq!(transport_kind(&err), (TransportErrorKind::Io, 3));
        assert_eq!(counters.requests(), 4);
    })
    .await;
}

#[tokio::test]
async fn internal_server_error_is_retried_only_when_the_operation_changes_nothing() {
    bounded(async {
        let (addr, counters) = serve(|_, n| async move {
            if n % 2 == 1 {
                respond(500, "oops", &[])
            } else {
                respond(200, STRENGTH_OK, &[])
            }
        })
        .await;
        let client = client(local(addr), fast());
        let err = client.authenticate(authenticate()).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
        assert_eq!(counters.requests(), 1);
        // Request 2 is answered 200, so send one more to line up a 500 first.
        client
            .strength_check(StrengthCheckRequest::new("pw"))
            .await
            .unwrap();
        assert_eq!(counters.requests(), 2);
        client
            .strength_check(StrengthCheckRequest::new("pw"))
            .await
            .unwrap();
        assert_eq!(counters.requests(), 4, "the 500 was retried");
    })
    .await;
}

#[tokio::test]
async fn an_untrusted_certificate_is_not_retried() {
    bounded(async {
        let (cert, key) = self_signed();
        let (addr, counters) = serve_tls(cert, key, &[b"http/1.1"]).await;
        let err = client(format!("https://localhost:{}", addr.port()), fast())
            .strength_check(StrengthCheckRequest::new("pw"))
            .await
            .unwrap_err();
        assert_eq!(transport_kind(&err), (TransportErrorKind::Tls, 1));
        assert!(!err.is_retryable());
        assert_eq!(counters.connections(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_call_deadline_covers_attempts_and_waits() {
    bounded(async {
        let (addr, counters) = serve(|_, n| async move {
            if n == 1 {
                respond(503, "", &[("retry-after", "1")])
            } else {
                tokio::time::sleep(Duration::from_secs(10)).await;
                respond(200, STRENGTH_OK, &[])
            }
        })
        .await;
        let mut options = CallOptions::default();
        options.timeout = Some(Duration::from_millis(1500));
        let started = Instant::now();
        let err = client(local(addr), fast())
            .with_options(options)
            .strength_check(StrengthCheckRequest::new("pw"))
            .await
            .unwrap_err();
        let elapsed = started.elapsed();
        assert!(err.is_timeout(), "{err:?}");
        assert_eq!(transport_kind(&err), (TransportErrorKind::Timeout, 2));
        assert_eq!(counters.requests(), 2);
        assert!(elapsed >= Duration::from_millis(1500), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(3000), "{elapsed:?}");
    })
    .await;
}

#[tokio::test]
async fn the_retry_budget_holds_under_a_sustained_429() {
    bounded(async {
        let (addr, counters) = serve(|_, _| async { respond(429, "", &[]) }).await;
        // 10 tokens: two retries in all, whatever the number of calls.
        let client = client(
            local(addr),
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_retry_budget(10),
        );
        for _ in 0..20 {
            assert!(client.authenticate(authenticate()).await.is_err());
        }
        assert_eq!(counters.requests(), 22);
    })
    .await;
}
