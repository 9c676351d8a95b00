//! `PasswordsClient` over the mockall `MockHttpTransport`: each trait method sends its own
//! endpoint's request and returns what the transport answered, nothing more.
#![cfg(feature = "mock")]

use bytes::Bytes;
use stytch_b2b_passwords::*;

fn client_expecting(path: &'static str, response_body: &'static str) -> PasswordsClient {
    let mut transport = MockHttpTransport::new();
    transport
        .expect_send()
        .times(1)
        .withf(move |req| {
            req.method() == http::Method::POST
                && req.uri() == format!("http://127.0.0.1:1{path}").as_str()
                && req.headers()["content-type"] == "application/json"
                && req.headers()["authorization"] == "Basic cHJvamVjdC10ZXN0LTE6c2VjcmV0LTE="
        })
        .returning(move |_| {
            Ok(http::Response::builder()
                .status(200)
                .body(Bytes::from_static(response_body.as_bytes()))
                .unwrap())
        });
    PasswordsClient::builder("project-test-1", "secret-1")
        .base_url("http://127.0.0.1:1")
        .transport(transport)
        .build()
        .unwrap()
}

#[tokio::test]
async fn each_method_calls_its_endpoint() {
    let c = client_expecting(
        "/v1/b2b/passwords/strength_check",
        r#"{"request_id":"a","score":3}"#,
    );
    assert_eq!(
        c.strength_check(StrengthCheckRequest::new("p"))
            .await
            .unwrap()
            .score,
        3
    );

    let c = client_expecting(
        "/v1/b2b/passwords/migrate",
        r#"{"request_id":"b","member_id":"m","member_created":true,"organization":{"organization_id":"o"}}"#,
    );
    let r = c
        .migrate(MigrateRequest::new("e", "h", HashType::Scrypt, "o"))
        .await
        .unwrap();
    assert!(r.member_created);

    let c = client_expecting(
        "/v1/b2b/passwords/authenticate",
        r#"{"request_id":"c","member_id":"m","organization_id":"o","intermediate_session_token":"ist"}"#,
    );
    assert_eq!(
        c.authenticate(AuthenticateRequest::new("o", "e", "p"))
            .await
            .unwrap()
            .member_id,
        "m"
    );

    let c = client_expecting(
        "/v1/b2b/passwords/email/reset/start",
        r#"{"request_id":"d","member_id":"m","member_email_id":"me"}"#,
    );
    let r = c
        .email_reset_start(EmailResetStartRequest::new("o", "e"))
        .await
        .unwrap();
    assert_eq!(r.member_email_id, "me");

    let c = client_expecting(
        "/v1/b2b/passwords/email/reset",
        r#"{"request_id":"e","member_id":"m","organization_id":"o","intermediate_session_token":"ist"}"#,
    );
    assert_eq!(
        c.email_reset(EmailResetRequest::new("t", "p"))
            .await
            .unwrap()
            .organization_id,
        "o"
    );

    let c = client_expecting(
        "/v1/b2b/passwords/email/require_reset",
        r#"{"request_id":"f","member_id":"m"}"#,
    );
    let r = c
        .email_require_reset(EmailRequireResetRequest::new("e"))
        .await
        .unwrap();
    assert_eq!(r.member_id.as_deref(), Some("m"));

    let c = client_expecting(
        "/v1/b2b/passwords/session/reset",
        r#"{"request_id":"g","member_id":"m","organization":{"organization_id":"o"},"member_authenticated":true,"session_token":"st","session_jwt":"sj","member_session":{"member_session_id":"s"}}"#,
    );
    let r = c
        .sessions_reset(SessionsResetRequest::new("o", "p").session_token("t"))
        .await
        .unwrap();
    assert!(r.member_authenticated);

    let c = client_expecting(
        "/v1/b2b/passwords/existing_password/reset",
        r#"{"request_id":"h","member_id":"m","organization":{"organization_id":"o"},"intermediate_session_token":"ist","status_code":200}"#,
    );
    let r = c
        .existing_password_reset(ExistingPasswordResetRequest::new("e", "a", "b", "o"))
        .await
        .unwrap();
    assert_eq!(r.status_code, 200);

    let c = client_expecting(
        "/v1/b2b/passwords/discovery/authenticate",
        r#"{"request_id":"i","email_address":"e","intermediate_session_token":"ist"}"#,
    );
    let r = c
        .discovery_authenticate(DiscoveryAuthenticateRequest::new("e", "p"))
        .await
        .unwrap();
    assert_eq!(r.email_address, "e");

    let c = client_expecting(
        "/v1/b2b/passwords/discovery/email/reset/start",
        r#"{"request_id":"j"}"#,
    );
    let r = c
        .discovery_email_reset_start(DiscoveryEmailResetStartRequest::new("e"))
        .await
        .unwrap();
    assert_eq!(r.request_id, "j");

    let c = client_expecting(
        "/v1/b2b/passwords/discovery/email/reset",
        r#"{"request_id":"k","email_address":"e","intermediate_session_token":"ist"}"#,
    );
    let r = c
        .discovery_email_reset(DiscoveryEmailResetRequest::new("t", "p"))
        .await
        .unwrap();
    assert_eq!(r.request_id, "k");
}

#[tokio::test]
async fn invalid_requests_never_reach_the_transport() {
    let mut transport = MockHttpTransport::new();
    transport.expect_send().never();
    let client = PasswordsClient::builder("project-test-1", "secret-1")
        .transport(transport)
        .build()
        .unwrap();
    let err = client
        .sessions_reset(SessionsResetRequest::new("o", "p"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)));
    let err = client
        .authenticate(AuthenticateRequest::new("o", "e", "p").session_duration_minutes(2))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)));
}

#[tokio::test]
async fn transport_errors_keep_their_kind() {
    for kind in [
        TransportErrorKind::Connect,
        TransportErrorKind::Timeout,
        TransportErrorKind::Io,
        TransportErrorKind::BodyTooLarge,
    ] {
        let mut transport = MockHttpTransport::new();
        transport
            .expect_send()
            .returning(move |_| Err(TransportError::new(kind, "simulated")));
        let client = PasswordsClient::builder("project-test-1", "secret-1")
            .transport(transport)
            .build()
            .unwrap();
        let err = client
            .email_reset_start(EmailResetStartRequest::new("o", "e"))
            .await
            .unwrap_err();
        let Error::Transport(t) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(t.kind(), kind);
        assert_eq!(err.is_timeout(), kind == TransportErrorKind::Timeout);
        // Only a failure before sending is safe to retry: a reset email may have gone out.
        assert_eq!(err.is_retryable(), kind == TransportErrorKind::Connect);
        assert_eq!(err.status(), None);
    }
}
