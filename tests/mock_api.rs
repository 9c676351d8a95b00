//! An application function that depends only on `&dyn PasswordsApi`, driven by the generated
//! `MockPasswordsApi`: how downstream crates test their login code without any network.
#![cfg(feature = "mock")]

use std::sync::Arc;

use stytch_b2b_passwords::*;

/// What the application decides after a login attempt.
#[derive(Debug, PartialEq)]
enum Login {
    LoggedIn { member_id: String, session: String },
    NeedsMfa,
    MustReset,
    WrongPassword,
    TryLater,
}

/// The code under test: application logic over the port, no HTTP in sight.
async fn log_in(api: &dyn PasswordsApi, org: &str, email: &str, password: &str) -> Login {
    let request = AuthenticateRequest::new(org, email, password).session_duration_minutes(60);
    match api.authenticate(request).await {
        Ok(r) if r.member_authenticated => Login::LoggedIn {
            member_id: r.member_id,
            session: r.session_token.expose().to_owned(),
        },
        Ok(_) => Login::NeedsMfa,
        Err(e) => match e.error_type() {
            Some(ErrorType::MemberResetPassword | ErrorType::ResetPassword) => Login::MustReset,
            Some(ErrorType::UnauthorizedCredentials) => Login::WrongPassword,
            _ if e.is_retryable() => Login::TryLater,
            _ => panic!("unexpected error {e}"),
        },
    }
}

#[tokio::test]
async fn logs_in_and_maps_every_outcome() {
    let mut api = MockPasswordsApi::new();
    api.expect_authenticate()
        .withf(|r| {
            r.organization_id == "org-1"
                && r.email_address == "ada@example.com"
                && r.password.expose() == "right"
                && r.session_duration_minutes == Some(60)
        })
        .times(1)
        .returning(|_| {
            let mut r = AuthenticateResponse::default();
            r.member_id = "member-1".into();
            r.member_authenticated = true;
            r.session_token = Secret::new("tok-1");
            Ok(r)
        });
    api.expect_authenticate()
        .withf(|r| r.password.expose() == "mfa")
        .returning(|_| {
            let mut r = AuthenticateResponse::default();
            r.intermediate_session_token = Secret::new("ist");
            Ok(r)
        });
    api.expect_authenticate()
        .withf(|r| r.password.expose() == "old")
        .returning(|_| {
            Err(ApiError::new(
                http::StatusCode::UNAUTHORIZED,
                ErrorType::MemberResetPassword,
            )
            .into())
        });
    api.expect_authenticate()
        .withf(|r| r.password.expose() == "wrong")
        .returning(|_| {
            Err(ApiError::new(
                http::StatusCode::UNAUTHORIZED,
                ErrorType::UnauthorizedCredentials,
            )
            .into())
        });
    api.expect_authenticate()
        .withf(|r| r.password.expose() == "busy")
        .returning(|_| {
            Err(ApiError::new(
                http::StatusCode::TOO_MANY_REQUESTS,
                ErrorType::TooManyRequests,
            )
            .into())
        });

    let api: Arc<dyn PasswordsApi> = Arc::new(api);
    let api = api.as_ref();
    assert_eq!(
        log_in(api, "org-1", "ada@example.com", "right").await,
        Login::LoggedIn {
            member_id: "member-1".into(),
            session: "tok-1".into()
        }
    );
    assert_eq!(
        log_in(api, "org-1", "ada@example.com", "mfa").await,
        Login::NeedsMfa
    );
    assert_eq!(
        log_in(api, "org-1", "ada@example.com", "old").await,
        Login::MustReset
    );
    assert_eq!(
        log_in(api, "org-1", "ada@example.com", "wrong").await,
        Login::WrongPassword
    );
    assert_eq!(
        log_in(api, "org-1", "ada@example.com", "busy").await,
        Login::TryLater
    );
}
