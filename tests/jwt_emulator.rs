//! Local session JWT verification end to end: the emulator issues the JWT on a password login and
//! serves the JWKS through the same transport; `authenticate_jwt_local` verifies against it,
//! follows a key rotation, and reads time from the emulator's clock.
#![cfg(feature = "jwt")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use stytch_b2b_passwords::jwt::{Clock, JwtError, JwtVerifyOptions, SessionJwtVerifier};
use stytch_b2b_passwords::transport::{transport_fn, HttpRequest, HttpTransport as _};
use stytch_b2b_passwords::{AuthenticateRequest, PasswordsClient};
use stytch_b2b_passwords_emulator::{
    serve, Emulator, LoopbackTransport, MemberSeed, OrganizationSeed,
};

const PASSWORD: &str = "quasar-Mauve-kettle-1987";

fn setup() -> (Emulator, PasswordsClient) {
    let emulator = Emulator::builder()
        .organization(
            OrganizationSeed::new("Acme", "acme").member(
                MemberSeed::new("ada@acme.com")
                    .password(PASSWORD)
                    .roles(["editor"]),
            ),
        )
        .build()
        .unwrap();
    let client = emulator.client().unwrap();
    (emulator, client)
}

/// Verification options that read the emulator's clock.
fn options(emulator: &Emulator) -> JwtVerifyOptions {
    let emulator = emulator.clone();
    JwtVerifyOptions::default().clock(Clock::from_fn(move || emulator.now()))
}

async fn log_in(client: &PasswordsClient) -> stytch_b2b_passwords::AuthenticateResponse {
    client
        .authenticate(
            AuthenticateRequest::new("acme", "ada@acme.com", PASSWORD).session_custom_claims(
                json!({"tenant": "blue", "plan": {"tier": 2}})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn an_emulator_issued_session_jwt_verifies_locally_with_the_served_jwks() {
    let (emulator, client) = setup();
    let login = log_in(&client).await;
    let verifier: &dyn SessionJwtVerifier = &client;
    let claims = verifier
        .authenticate_jwt_local(login.session_jwt.expose(), options(&emulator))
        .await
        .unwrap();

    let session = login.member_session.as_ref().unwrap();
    assert_eq!(claims.member_id, login.member_id);
    assert_eq!(claims.session_id, session.member_session_id);
    assert_eq!(claims.organization_id, login.organization_id);
    assert_eq!(claims.organization_slug, "acme");
    assert_eq!(claims.started_at, session.started_at);
    assert_eq!(claims.expires_at, session.expires_at);
    assert_eq!(claims.roles, session.roles);
    assert_eq!(
        claims.authentication_factors,
        session.authentication_factors
    );
    assert_eq!(claims.custom_claims["tenant"], "blue");
    assert_eq!(claims.custom_claims["plan"], json!({"tier": 2}));
    assert_eq!(
        claims.issuer,
        format!("stytch.com/{}", emulator.project_id())
    );
    assert_eq!(client.jwks_cache().fetch_count(), 1);
    assert_eq!(
        client.jwks_cache().key_ids(),
        vec![emulator.signing_key_id()]
    );

    // Again: from the cache, no call to the emulator.
    let calls = emulator.call_count();
    client
        .authenticate_jwt_local(login.session_jwt.expose(), options(&emulator))
        .await
        .unwrap();
    assert_eq!(emulator.call_count(), calls);
}

#[tokio::test]
async fn a_rotated_signing_key_is_fetched_once_and_the_retired_one_is_unknown() {
    let (emulator, client) = setup();
    emulator.freeze_clock();
    let before = log_in(&client).await;
    client
        .authenticate_jwt_local(before.session_jwt.expose(), options(&emulator))
        .await
        .unwrap();
    assert_eq!(client.jwks_cache().fetch_count(), 1);

    let new_kid = emulator.rotate_signing_key();
    emulator.advance_clock(Duration::from_secs(1));
    let after = log_in(&client).await;
    for _ in 0..3 {
        client
            .authenticate_jwt_local(after.session_jwt.expose(), options(&emulator))
            .await
            .unwrap();
    }
    assert_eq!(client.jwks_cache().fetch_count(), 2, "one refetch");
    assert_eq!(client.jwks_cache().key_ids(), vec![new_kid]);

    let err = client
        .authenticate_jwt_local(before.session_jwt.expose(), options(&emulator))
        .await
        .unwrap_err();
    assert!(
        matches!(err.as_jwt(), Some(JwtError::UnknownKey { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_emulator_clock_expires_the_jwt() {
    let (emulator, client) = setup();
    emulator.freeze_clock();
    let login = log_in(&client).await;
    let jwt = login.session_jwt.expose();
    emulator.advance_clock(Duration::from_secs(200));
    client
        .authenticate_jwt_local(jwt, options(&emulator))
        .await
        .unwrap();
    // A stricter maximum age than the JWT's lifetime.
    let err = client
        .authenticate_jwt_local(jwt, options(&emulator).max_age(Duration::from_secs(120)))
        .await
        .unwrap_err();
    assert_eq!(err.as_jwt().map(JwtError::code), Some("too_old"));
    // Past `exp` (five minutes) and the tolerance.
    emulator.advance_clock(Duration::from_secs(106));
    let err = client
        .authenticate_jwt_local(jwt, options(&emulator))
        .await
        .unwrap_err();
    assert_eq!(err.as_jwt().map(JwtError::code), Some("expired"));
}

#[tokio::test]
async fn the_jwks_is_fetched_over_http_from_the_served_emulator() {
    let (emulator, client) = setup();
    let server = serve(emulator.clone(), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let http_client = PasswordsClient::builder(emulator.project_id(), emulator.secret())
        .base_url(server.base_url())
        .transport(LoopbackTransport::new())
        .build()
        .unwrap();
    let login = log_in(&client).await;
    let claims = tokio::time::timeout(
        Duration::from_secs(30),
        http_client.authenticate_jwt_local(login.session_jwt.expose(), options(&emulator)),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(claims.member_id, login.member_id);
    server.shutdown().await;
}

#[tokio::test]
async fn the_served_jwks_needs_no_credentials_and_verifies_with_authenticate_jwt_local() {
    let (emulator, client) = setup();
    let server = serve(emulator.clone(), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    // A client with a wrong secret, whose transport also strips the Authorization header: only
    // a public JWKS lets it verify.
    let stripped = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&stripped);
    let loopback = LoopbackTransport::new().timeout(Duration::from_secs(20));
    let no_credentials = transport_fn(move |mut request: HttpRequest| {
        if request.headers_mut().remove("authorization").is_some() {
            count.fetch_add(1, Ordering::SeqCst);
        }
        let loopback = loopback.clone();
        async move { loopback.send(request).await }
    });
    let anonymous = PasswordsClient::builder(emulator.project_id(), "secret-test-wrong")
        .base_url(server.base_url())
        .transport(no_credentials)
        .build()
        .unwrap();
    let login = log_in(&client).await;
    let claims = tokio::time::timeout(
        Duration::from_secs(30),
        anonymous.authenticate_jwt_local(login.session_jwt.expose(), options(&emulator)),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(claims.member_id, login.member_id);
    assert_eq!(
        stripped.load(Ordering::SeqCst),
        1,
        "one JWKS fetch, sent bare"
    );
    // The API itself still wants the project's credentials.
    let err = anonymous
        .authenticate(AuthenticateRequest::new("acme", "ada@acme.com", PASSWORD))
        .await
        .unwrap_err();
    assert_eq!(
        err.error_type().map(|t| t.as_str()),
        Some("unauthorized_credentials")
    );
    server.shutdown().await;
}
