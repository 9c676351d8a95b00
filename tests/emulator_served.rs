//! The same flows against the emulator served over HTTP on 127.0.0.1 (port 0), started
//! in-process from the emulator's library API: through the emulator's small loopback client and,
//! when the `hyper` feature is on, through the production hyper transport.

mod support;
use support::*;

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use stytch_b2b_passwords::transport::{HttpTransport, TransportErrorKind};
use stytch_b2b_passwords::{
    AuthenticateRequest, DiscoveryAuthenticateRequest, EmailResetRequest, EmailResetStartRequest,
    Error, ExistingPasswordResetRequest, HashType, MigrateRequest, PasswordsClient,
    SessionsResetRequest, StrengthCheckRequest,
};
use stytch_b2b_passwords_emulator::{
    serve, Emulator, Fault, LoopbackTransport, OrganizationSeed, ServerHandle,
};

async fn start() -> (Emulator, ServerHandle) {
    let emulator = Emulator::builder()
        .organization(OrganizationSeed::new("Acme", "acme"))
        .build()
        .unwrap();
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let server = serve(emulator.clone(), addr).await.unwrap();
    assert!(server.local_addr().ip().is_loopback());
    assert_ne!(server.local_addr().port(), 0);
    (emulator, server)
}

/// No retries: the injected faults are one-shot, and each is the answer a test must see.
fn loopback_client(emulator: &Emulator, server: &ServerHandle) -> PasswordsClient {
    PasswordsClient::builder(emulator.project_id(), emulator.secret())
        .base_url(server.base_url())
        .transport(LoopbackTransport::new().timeout(Duration::from_secs(10)))
        .retry_policy(stytch_b2b_passwords::RetryPolicy::none())
        .build()
        .unwrap()
}

/// The whole story over HTTP: migrate, log in, reset by email, log in again, change the
/// password, reset from a session, discover.
async fn story(emulator: &Emulator, client: &PasswordsClient) {
    let strength = client
        .strength_check(StrengthCheckRequest::new("password"))
        .await
        .unwrap();
    assert!(!strength.valid_password);
    let migrated = client
        .migrate(MigrateRequest::new(
            "ada@acme.com",
            LEGACY_HASH,
            HashType::Bcrypt,
            "acme",
        ))
        .await
        .unwrap();
    let login = client
        .authenticate(AuthenticateRequest::new(
            "acme",
            "ada@acme.com",
            LEGACY_PASSWORD,
        ))
        .await
        .unwrap();
    assert!(login.member_authenticated);
    client
        .email_reset_start(EmailResetStartRequest::new("acme", "ada@acme.com"))
        .await
        .unwrap();
    let token = emulator.last_email_to("ada@acme.com").unwrap().token;
    let reset = client
        .email_reset(EmailResetRequest::new(token, STRONG_1))
        .await
        .unwrap();
    assert!(reset.member_authenticated);
    assert_eq!(emulator.live_session_count(&migrated.member_id), 1);
    let wrong = client
        .authenticate(AuthenticateRequest::new(
            "acme",
            "ada@acme.com",
            LEGACY_PASSWORD,
        ))
        .await
        .unwrap_err();
    assert_eq!(
        wrong.error_type().map(|t| t.as_str()),
        Some("unauthorized_credentials")
    );
    let changed = client
        .existing_password_reset(ExistingPasswordResetRequest::new(
            "ada@acme.com",
            STRONG_1,
            STRONG_2,
            "acme",
        ))
        .await
        .unwrap();
    let again = client
        .sessions_reset(
            SessionsResetRequest::new("acme", STRONG_1).session_jwt(changed.session_jwt.clone()),
        )
        .await
        .unwrap();
    assert_eq!(again.session_token, changed.session_token);
    let found = client
        .discovery_authenticate(DiscoveryAuthenticateRequest::new("ada@acme.com", STRONG_1))
        .await
        .unwrap();
    assert_eq!(found.discovered_organizations.len(), 1);
    assert!(found.discovered_organizations[0].member_authenticated);
}

#[tokio::test]
async fn story_over_http_with_the_loopback_client() {
    bounded(async {
        let (emulator, server) = start().await;
        let client = loopback_client(&emulator, &server);
        story(&emulator, &client).await;
        server.shutdown().await;
    })
    .await;
}

#[cfg(feature = "hyper")]
#[tokio::test]
async fn story_over_http_with_the_hyper_transport() {
    use stytch_b2b_passwords::transport::hyper::HyperTransport;
    bounded(async {
        let (emulator, server) = start().await;
        let transport = HyperTransport::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        // No retries: the faults below are one-shot, and `strength_check` is safe to retry.
        let client = PasswordsClient::builder(emulator.project_id(), emulator.secret())
            .base_url(server.base_url())
            .transport(transport)
            .retry_policy(stytch_b2b_passwords::RetryPolicy::none())
            .build()
            .unwrap();
        story(&emulator, &client).await;

        // A dropped connection and a timeout, as the hyper transport reports them.
        emulator.inject_fault(Fault::drop_connection());
        let err = client
            .strength_check(StrengthCheckRequest::new(STRONG_1))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        server.shutdown().await;
    })
    .await;
}

#[tokio::test]
async fn served_errors_faults_and_shutdown() {
    bounded(async {
        let (emulator, server) = start().await;
        let client = loopback_client(&emulator, &server);

        // Unknown route, over the wire.
        let request = http::Request::builder()
            .method("POST")
            .uri(format!("{}/v1/b2b/passwords/nope", server.base_url()))
            .body(Bytes::from_static(b"{}"))
            .unwrap();
        let response = LoopbackTransport::new().send(request).await.unwrap();
        assert_eq!(response.status().as_u16(), 404);
        let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(body["error_type"], "not_found");

        // Wrong secret.
        let bad = PasswordsClient::builder(emulator.project_id(), "wrong")
            .base_url(server.base_url())
            .transport(LoopbackTransport::new())
            .build()
            .unwrap();
        let err = bad
            .strength_check(StrengthCheckRequest::new(STRONG_1))
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401));

        // An injected error body.
        emulator.inject_fault(Fault::error(429, "too_many_requests", "Slow down."));
        let err = client
            .strength_check(StrengthCheckRequest::new(STRONG_1))
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(429));

        // A dropped connection: the client sees the connection close with no response.
        emulator.inject_fault(Fault::drop_connection());
        let err = client
            .strength_check(StrengthCheckRequest::new(STRONG_1))
            .await
            .unwrap_err();
        match &err {
            Error::Transport(t) => assert_eq!(t.kind(), TransportErrorKind::Io, "{t}"),
            other => panic!("expected a transport error, got {other:?}"),
        }
        // The server is still up.
        assert!(client
            .strength_check(StrengthCheckRequest::new(STRONG_1))
            .await
            .is_ok());

        // Added latency longer than the client's time limit.
        emulator.inject_fault(Fault::latency(Duration::from_secs(2)));
        let impatient = PasswordsClient::builder(emulator.project_id(), emulator.secret())
            .base_url(server.base_url())
            .transport(LoopbackTransport::new().timeout(Duration::from_millis(200)))
            .retry_policy(stytch_b2b_passwords::RetryPolicy::none())
            .build()
            .unwrap();
        let err = impatient
            .strength_check(StrengthCheckRequest::new(STRONG_1))
            .await
            .unwrap_err();
        assert!(err.is_timeout(), "{err:?}");

        // The loopback client refuses anything but loopback.
        let far = http::Request::builder()
            .method("POST")
            .uri("http://192.0.2.1/v1/b2b/passwords/strength_check")
            .body(Bytes::new())
            .unwrap();
        let refused = LoopbackTransport::new().send(far).await.unwrap_err();
        assert_eq!(refused.kind(), TransportErrorKind::Refused);

        // After shutdown, nothing listens.
        let base_url = server.base_url();
        server.shutdown().await;
        let gone = PasswordsClient::builder(emulator.project_id(), emulator.secret())
            .base_url(base_url)
            .transport(LoopbackTransport::new().timeout(Duration::from_secs(5)))
            .build()
            .unwrap();
        let err = gone
            .strength_check(StrengthCheckRequest::new(STRONG_1))
            .await
            .unwrap_err();
        assert!(
            err.is_retryable(),
            "a refused connection is safe to retry: {err:?}"
        );
    })
    .await;
}
