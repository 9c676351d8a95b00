//! What the emulator does with requests it does not model or cannot parse, and with injected
//! faults: always a Stytch-shaped answer (or a transport error for a dropped connection), never
//! a panic or a fake success.

mod support;
use support::*;

use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use stytch_b2b_passwords::transport::{HttpTransport, TransportErrorKind};
use stytch_b2b_passwords::{Error, StrengthCheckRequest};
use stytch_b2b_passwords_emulator::{Emulator, Fault, MemberSeed, OrganizationSeed};

fn emulator() -> Emulator {
    Emulator::builder()
        .organization(
            OrganizationSeed::new("Acme", "acme")
                .member(MemberSeed::new("ada@acme.com").password("quasar-Mauve-kettle-1987")),
        )
        .build()
        .unwrap()
}

fn raw(emulator: &Emulator, method: &str, path: &str, body: &'static [u8]) -> http::Request<Bytes> {
    let credentials = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        emulator.project_id(),
        emulator.secret().expose()
    ));
    http::Request::builder()
        .method(method)
        .uri(format!("https://test.stytch.com{path}"))
        .header("authorization", format!("Basic {credentials}"))
        .header("content-type", "application/json")
        .body(Bytes::from_static(body))
        .unwrap()
}

async fn send(emulator: &Emulator, request: http::Request<Bytes>) -> (u16, serde_json::Value) {
    let response = emulator.transport().send(request).await.unwrap();
    let status = response.status().as_u16();
    let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    (status, body)
}

fn assert_stytch_error(status: u16, body: &serde_json::Value, want_status: u16, want_type: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["status_code"], want_status);
    assert_eq!(body["error_type"], want_type, "{body}");
    assert!(body["request_id"]
        .as_str()
        .is_some_and(|r| r.starts_with("request-id-test-")));
    assert!(body["error_message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(
        body["error_url"],
        format!("https://stytch.com/docs/api/errors/{want_status}")
    );
}

#[tokio::test]
async fn unmodelled_and_malformed_requests_get_stytch_errors() {
    bounded(async {
        let e = emulator();
        let (s, b) = send(&e, raw(&e, "POST", "/v1/b2b/passwords/nope", b"{}")).await;
        assert_stytch_error(s, &b, 404, "not_found");
        let (s, b) = send(&e, raw(&e, "POST", "/v1/b2b/magic_links/email/login_or_signup", b"{}")).await;
        assert_stytch_error(s, &b, 404, "not_found");
        let (s, b) = send(&e, raw(&e, "GET", "/v1/b2b/passwords/authenticate", b"")).await;
        assert_stytch_error(s, &b, 405, "method_not_allowed");
        let (s, b) = send(&e, raw(&e, "POST", "/v1/b2b/passwords/authenticate", b"{not json")).await;
        assert_stytch_error(s, &b, 400, "invalid_request");
        let (s, b) = send(&e, raw(&e, "POST", "/v1/b2b/passwords/authenticate", b"")).await;
        assert_stytch_error(s, &b, 400, "invalid_request");
        let (s, b) = send(
            &e,
            raw(&e, "POST", "/v1/b2b/passwords/authenticate", br#"{"organization_id":"acme","password":"hunter2-secret"}"#),
        )
        .await;
        assert_stytch_error(s, &b, 400, "invalid_request");
        assert!(b["error_message"].as_str().unwrap().contains("email_address"));
        // A wrong type: the value (a password) is not echoed back.
        let (s, b) = send(
            &e,
            raw(&e, "POST", "/v1/b2b/passwords/strength_check", br#"{"password":["hunter2-secret"]}"#),
        )
        .await;
        assert_stytch_error(s, &b, 400, "invalid_request");
        let (s, b) = send(
            &e,
            raw(&e, "POST", "/v1/b2b/passwords/authenticate", br#"{"organization_id":"acme","email_address":"ada@acme.com","password":1234}"#),
        )
        .await;
        assert_stytch_error(s, &b, 400, "invalid_request");
        assert!(!b.to_string().contains("1234"));
        // Empty required strings count as missing.
        let (s, b) = send(
            &e,
            raw(&e, "POST", "/v1/b2b/passwords/authenticate", br#"{"organization_id":"","email_address":"ada@acme.com","password":"x"}"#),
        )
        .await;
        assert_stytch_error(s, &b, 400, "invalid_request");
        let (s, b) = send(
            &e,
            raw(&e, "POST", "/v1/b2b/passwords/migrate", br#"{"organization_id":"acme","email_address":"ada@acme.com","hash":"x","hash_type":"rot13"}"#),
        )
        .await;
        assert_stytch_error(s, &b, 400, "invalid_hash_type");
        // Out-of-range numbers.
        let (s, b) = send(
            &e,
            raw(&e, "POST", "/v1/b2b/passwords/authenticate", br#"{"organization_id":"acme","email_address":"ada@acme.com","password":"quasar-Mauve-kettle-1987","session_duration_minutes":1}"#),
        )
        .await;
        assert_stytch_error(s, &b, 400, "invalid_request");
        // No credentials at all.
        let mut no_auth = raw(&e, "POST", "/v1/b2b/passwords/strength_check", br#"{"password":"x"}"#);
        no_auth.headers_mut().remove("authorization");
        let (s, b) = send(&e, no_auth).await;
        assert_stytch_error(s, &b, 401, "unauthorized_credentials");
        // JWKS of another project.
        let (s, b) = send(&e, raw(&e, "GET", "/v1/b2b/sessions/jwks/project-test-other", b"")).await;
        assert_stytch_error(s, &b, 404, "project_not_found");
        // Nothing above reached a handler that changed state.
        assert!(e.outbox().is_empty());
    })
    .await;
}

#[tokio::test]
async fn injected_errors_latency_and_drops() {
    bounded(async {
        let e = emulator();
        // No retries: each fault below is the answer the client must see.
        let client = stytch_b2b_passwords::PasswordsClient::builder(e.project_id(), e.secret())
            .transport(e.transport())
            .retry_policy(stytch_b2b_passwords::RetryPolicy::none())
            .build()
            .unwrap();
        let check = || client.strength_check(StrengthCheckRequest::new("quasar-Mauve-kettle-1987"));

        e.inject_fault(
            Fault::error(
                429,
                "too_many_requests",
                "Too many requests have been made.",
            )
            .times(2),
        );
        for _ in 0..2 {
            let err = check().await.unwrap_err();
            assert_eq!(
                err.error_type().map(|t| t.as_str()),
                Some("too_many_requests")
            );
            assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
            assert!(err.is_retryable());
            assert!(err
                .request_id()
                .is_some_and(|r| r.starts_with("request-id-test-")));
        }
        assert!(check().await.is_ok());

        e.inject_fault(Fault::error(500, "internal_server_error", "Oops."));
        let err = check().await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
        assert!(!err.is_retryable());

        e.inject_fault(Fault::respond(
            502,
            "text/html",
            "<html><body>Bad gateway</body></html>",
        ));
        let err = check().await.unwrap_err();
        assert!(matches!(err, Error::Http(_)), "{err:?}");

        e.inject_fault(Fault::latency(Duration::from_millis(300)));
        let started = Instant::now();
        check().await.unwrap();
        assert!(started.elapsed() >= Duration::from_millis(300));

        e.inject_fault(Fault::drop_connection());
        let err = check().await.unwrap_err();
        match &err {
            Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::Io),
            other => panic!("expected a transport error, got {other:?}"),
        }

        // A fault for one path leaves the others alone.
        e.inject_fault(
            Fault::error(503, "service_unavailable", "Down.")
                .on_path("/v1/b2b/passwords/authenticate"),
        );
        assert!(check().await.is_ok());
        let err = client
            .authenticate(stytch_b2b_passwords::AuthenticateRequest::new(
                "acme",
                "ada@acme.com",
                "quasar-Mauve-kettle-1987",
            ))
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        e.inject_fault(Fault::error(503, "service_unavailable", "Down.").times(5));
        e.clear_faults();
        assert!(check().await.is_ok());
    })
    .await;
}

#[tokio::test]
async fn debug_output_hides_secrets() {
    let e = Emulator::builder()
        .project("project-test-debug", "secret-test-very-secret")
        .breached_passwords(["breached-secret-pw"])
        .organization(
            OrganizationSeed::new("Acme", "acme")
                .member(MemberSeed::new("ada@acme.com").password("member-secret-pw")),
        )
        .build()
        .unwrap();
    let seed: stytch_b2b_passwords_emulator::Seed = serde_json::from_str(
        r#"{"project":{"project_id":"p","secret":"seed-secret"},"breached_passwords":["bp-secret"],
            "organizations":[{"name":"A","slug":"a","members":[{"email_address":"a@a.io","password":"pw-secret"}]}]}"#,
    )
    .unwrap();
    let shown = format!("{e:?} {:?} {seed:?} {:?}", e.transport(), e.secret());
    for secret in [
        "secret-test-very-secret",
        "breached-secret-pw",
        "member-secret-pw",
        "seed-secret",
        "bp-secret",
        "pw-secret",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked in {shown}");
    }
}
