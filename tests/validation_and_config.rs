//! Requests the API would reject are refused before a byte is sent; bad configuration is refused
//! when the client is built.

use stytch_b2b_passwords::wire::build_request;
use stytch_b2b_passwords::*;

fn config() -> Config {
    Config::new("project-test-1", Secret::new("s"), None, None).unwrap()
}

fn refused<E: wire::Endpoint>(request: &E) -> ValidationError {
    match build_request(&config(), request) {
        Err(Error::Validation(v)) => v,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn session_duration_must_be_within_the_api_range() {
    for minutes in [5, 60, 527_040] {
        assert!(build_request(
            &config(),
            &AuthenticateRequest::new("o", "e", "p").session_duration_minutes(minutes)
        )
        .is_ok());
    }
    for (minutes, op) in [
        (4, "passwords.authenticate"),
        (527_041, "passwords.authenticate"),
        (-1, "passwords.authenticate"),
    ] {
        let v = refused(&AuthenticateRequest::new("o", "e", "p").session_duration_minutes(minutes));
        assert_eq!(v.operation, op);
        assert_eq!(v.field, "session_duration_minutes");
        assert_eq!(
            v.problem,
            ValidationProblem::OutOfRange {
                min: 5,
                max: 527_040,
                got: i64::from(minutes)
            }
        );
    }
    // Every endpoint that makes a session checks it.
    assert_eq!(
        refused(&EmailResetRequest::new("t", "p").session_duration_minutes(0)).field,
        "session_duration_minutes"
    );
    assert_eq!(
        refused(
            &SessionsResetRequest::new("o", "p")
                .session_token("t")
                .session_duration_minutes(600_000)
        )
        .field,
        "session_duration_minutes"
    );
    assert_eq!(
        refused(&ExistingPasswordResetRequest::new("e", "a", "b", "o").session_duration_minutes(1))
            .field,
        "session_duration_minutes"
    );
}

#[test]
fn email_reset_refuses_both_session_token_and_jwt() {
    let v = refused(
        &EmailResetRequest::new("t", "p")
            .session_token("tok")
            .session_jwt("jwt"),
    );
    assert_eq!(v.operation, "passwords.email.reset");
    assert_eq!(v.field, "session_token");
    assert_eq!(v.problem, ValidationProblem::Conflicts("session_jwt"));
    assert_eq!(
        v.to_string(),
        "invalid request for passwords.email.reset: field `session_token` cannot be set together with `session_jwt`"
    );
}

#[test]
fn sessions_reset_needs_a_session() {
    let v = refused(&SessionsResetRequest::new("o", "p"));
    assert_eq!(v.operation, "passwords.sessions.reset");
    assert_eq!(v.problem, ValidationProblem::MissingOneOf("session_jwt"));
    assert!(build_request(
        &config(),
        &SessionsResetRequest::new("o", "p").session_jwt("j")
    )
    .is_ok());
}

#[test]
fn empty_required_strings_are_refused() {
    assert_eq!(refused(&StrengthCheckRequest::new("")).field, "password");
    assert_eq!(
        refused(&MigrateRequest::new("", "h", HashType::Bcrypt, "o")).field,
        "email_address"
    );
    assert_eq!(
        refused(&MigrateRequest::new("e", "", HashType::Bcrypt, "o")).field,
        "hash"
    );
    assert_eq!(
        refused(&MigrateRequest::new(
            "e",
            "h",
            HashType::Other(String::new()),
            "o"
        ))
        .field,
        "hash_type"
    );
    assert_eq!(
        refused(&MigrateRequest::new("e", "h", HashType::Bcrypt, " ")).field,
        "organization_id"
    );
    assert_eq!(
        refused(&AuthenticateRequest::new("", "e", "p")).field,
        "organization_id"
    );
    assert_eq!(
        refused(&AuthenticateRequest::new("o", "", "p")).field,
        "email_address"
    );
    assert_eq!(
        refused(&AuthenticateRequest::new("o", "e", "")).field,
        "password"
    );
    assert_eq!(
        refused(&EmailResetStartRequest::new("o", "")).field,
        "email_address"
    );
    assert_eq!(
        refused(&EmailResetRequest::new("", "p")).field,
        "password_reset_token"
    );
    assert_eq!(
        refused(&EmailRequireResetRequest::new("")).field,
        "email_address"
    );
    assert_eq!(
        refused(&EmailRequireResetRequest::new("e").member_session_jwt("")).field,
        "member_session_jwt"
    );
    assert_eq!(
        refused(&ExistingPasswordResetRequest::new("e", "", "n", "o")).field,
        "existing_password"
    );
    assert_eq!(
        refused(&ExistingPasswordResetRequest::new("e", "x", "", "o")).field,
        "new_password"
    );
    assert_eq!(
        refused(&DiscoveryAuthenticateRequest::new("e", "")).field,
        "password"
    );
    assert_eq!(
        refused(&DiscoveryEmailResetStartRequest::new("")).field,
        "email_address"
    );
    assert_eq!(
        refused(&DiscoveryEmailResetRequest::new("t", "")).field,
        "password"
    );
    let v = refused(&StrengthCheckRequest::new(""));
    assert_eq!(v.problem, ValidationProblem::Empty);
}

#[test]
fn require_reset_takes_one_member_session_not_both() {
    // In either order, and however the pair was set: nothing is sent.
    for request in [
        EmailRequireResetRequest::new("e")
            .member_session_token("tok")
            .member_session_jwt("jwt"),
        EmailRequireResetRequest::new("e")
            .member_session_jwt("jwt")
            .member_session_token("tok"),
        {
            let mut r = EmailRequireResetRequest::new("e").member_session_token("tok");
            r.member_session_jwt = Some(Secret::new("jwt"));
            r
        },
    ] {
        let v = refused(&request);
        assert_eq!(v.operation, "passwords.email.require_reset");
        assert_eq!(v.field, "member_session_token");
        assert_eq!(
            v.problem,
            ValidationProblem::Conflicts("member_session_jwt")
        );
        assert_eq!(
            v.to_string(),
            "invalid request for passwords.email.require_reset: field `member_session_token` \
             cannot be set together with `member_session_jwt`"
        );
    }
    // One of them goes out as its header.
    for (request, header) in [
        (
            EmailRequireResetRequest::new("e").member_session_token("tok"),
            wire::MEMBER_SESSION_HEADER,
        ),
        (
            EmailRequireResetRequest::new("e").member_session_jwt("tok"),
            wire::MEMBER_SESSION_JWT_HEADER,
        ),
    ] {
        let http = build_request(&config(), &request).unwrap();
        assert_eq!(http.headers()[header], "tok");
        assert_eq!(http.headers().len(), 4);
    }
}

#[test]
fn a_header_value_with_control_characters_is_refused() {
    let v = refused(&EmailRequireResetRequest::new("e").member_session_token("tok\r\nX-Evil: 1"));
    assert_eq!(v.field, "x-stytch-member-session");
    assert_eq!(v.problem, ValidationProblem::NotAHeaderValue);
}

#[test]
fn configuration_errors_at_build_time() {
    let build = |id: &str, secret: &str, url: Option<&str>| {
        let mut b = PasswordsClient::builder(id, secret)
            .transport(transport::transport_fn(|_| async { unreachable!() }));
        if let Some(u) = url {
            b = b.base_url(u);
        }
        b.build()
    };
    assert_eq!(
        build("", "s", None).unwrap_err(),
        ConfigError::EmptyProjectId
    );
    assert_eq!(
        build("p", "  ", None).unwrap_err(),
        ConfigError::EmptySecret
    );
    for bad in [
        "not a url",
        "ftp://example.com",
        "example.com/path",
        "https://user:pw@example.com",
        "https://example.com/?q=1",
        "",
    ] {
        let err = build("project-test-1", "s", Some(bad)).unwrap_err();
        assert!(
            matches!(err, ConfigError::InvalidBaseUrl { .. }),
            "{bad}: {err:?}"
        );
        assert!(!err.to_string().contains("pw@"), "{err}");
    }
    let ok = build("project-test-1", "s", Some("http://localhost:4000/")).unwrap();
    assert_eq!(ok.config().base_url(), "http://localhost:4000");
    assert_eq!(
        build("project-test-1", "s", None)
            .unwrap()
            .config()
            .base_url(),
        TEST_BASE_URL
    );
    assert_eq!(
        build("project-live-1", "s", None)
            .unwrap()
            .config()
            .base_url(),
        LIVE_BASE_URL
    );
    let err = PasswordsClient::builder("p", "s")
        .transport(transport::transport_fn(|_| async { unreachable!() }))
        .user_agent_suffix("bad\nvalue")
        .build()
        .unwrap_err();
    assert_eq!(err, ConfigError::InvalidUserAgent);
}

#[test]
fn from_env_reads_the_two_variables() {
    // The only test in this binary that touches these variables.
    std::env::remove_var("STYTCH_PROJECT_ID");
    std::env::remove_var("STYTCH_SECRET");
    std::env::remove_var("STYTCH_BASE_URL");
    assert_eq!(
        ClientBuilder::from_env().unwrap_err(),
        ConfigError::MissingEnv("STYTCH_PROJECT_ID")
    );
    std::env::set_var("STYTCH_PROJECT_ID", "project-live-env");
    assert_eq!(
        ClientBuilder::from_env().unwrap_err(),
        ConfigError::MissingEnv("STYTCH_SECRET")
    );
    std::env::set_var("STYTCH_SECRET", "secret-env");
    let client = ClientBuilder::from_env()
        .unwrap()
        .transport(transport::transport_fn(|_| async { unreachable!() }))
        .build()
        .unwrap();
    assert_eq!(client.config().project_id(), "project-live-env");
    assert_eq!(client.config().base_url(), LIVE_BASE_URL);
    std::env::set_var("STYTCH_BASE_URL", "http://127.0.0.1:9");
    let client = ClientBuilder::from_env()
        .unwrap()
        .transport(transport::transport_fn(|_| async { unreachable!() }))
        .build()
        .unwrap();
    assert_eq!(client.config().base_url(), "http://127.0.0.1:9");
    std::env::remove_var("STYTCH_PROJECT_ID");
    std::env::remove_var("STYTCH_SECRET");
    std::env::remove_var("STYTCH_BASE_URL");
}

#[test]
fn building_a_client_needs_no_runtime_and_sends_nothing() {
    // A plain #[test]: no tokio runtime exists here. The transport panics if called.
    let client = PasswordsClient::builder("project-test-1", "secret")
        .transport(transport::transport_fn(|_| async {
            panic!("building must not send")
        }))
        .build()
        .unwrap();
    let clone = client.clone();
    assert!(std::sync::Arc::ptr_eq(
        client.transport(),
        clone.transport()
    ));
}
