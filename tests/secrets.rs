//! No secret value ever shows in `Debug`, `Display` or an error: requests, responses, builders,
//! the client, and the errors made from bodies that carry secrets.

use bytes::Bytes;
use serde_json::json;
use stytch_b2b_passwords::wire::{build_request, parse_response};
use stytch_b2b_passwords::*;

const SECRETS: &[&str] = &[
    "PW-hunter2-SECRET",
    "PW-new-SECRET",
    "HASH-SECRET",
    "PROJECT-SECRET",
    "SESSION-TOKEN-SECRET",
    "SESSION-JWT-SECRET",
    "IST-SECRET",
    "RESET-TOKEN-SECRET",
    "PKCE-VERIFIER-SECRET",
];

fn assert_hidden(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} leaks {s}: {text}");
    }
}

fn assert_debug_hidden<T: std::fmt::Debug>(what: &str, value: &T) {
    assert_hidden(what, &format!("{value:?}"));
    assert_hidden(what, &format!("{value:#?}"));
}

/// Display, Debug and every error in the source chain are free of every secret.
fn assert_error_hidden(what: &str, err: &(dyn std::error::Error + 'static)) {
    let mut next = Some(err);
    while let Some(e) = next {
        assert_hidden(what, &e.to_string());
        assert_debug_hidden(what, &e);
        next = e.source();
    }
}

#[test]
fn requests_hide_their_secrets() {
    assert_debug_hidden(
        "strength_check",
        &StrengthCheckRequest::new("PW-hunter2-SECRET"),
    );
    assert_debug_hidden(
        "migrate",
        &MigrateRequest::new("a@b.c", "HASH-SECRET", HashType::Bcrypt, "o"),
    );
    assert_debug_hidden(
        "authenticate",
        &AuthenticateRequest::new("o", "a@b.c", "PW-hunter2-SECRET")
            .session_token("SESSION-TOKEN-SECRET")
            .session_jwt("SESSION-JWT-SECRET")
            .intermediate_session_token("IST-SECRET"),
    );
    assert_debug_hidden(
        "email_reset",
        &EmailResetRequest::new("RESET-TOKEN-SECRET", "PW-new-SECRET")
            .session_token("SESSION-TOKEN-SECRET")
            .code_verifier("PKCE-VERIFIER-SECRET")
            .intermediate_session_token("IST-SECRET"),
    );
    assert_debug_hidden(
        "email_require_reset",
        &EmailRequireResetRequest::new("a@b.c").member_session_token("SESSION-TOKEN-SECRET"),
    );
    assert_debug_hidden(
        "email_require_reset jwt",
        &EmailRequireResetRequest::new("a@b.c").member_session_jwt("SESSION-JWT-SECRET"),
    );
    assert_debug_hidden(
        "sessions_reset",
        &SessionsResetRequest::new("o", "PW-new-SECRET")
            .session_token("SESSION-TOKEN-SECRET")
            .session_jwt("SESSION-JWT-SECRET"),
    );
    assert_debug_hidden(
        "existing_password_reset",
        &ExistingPasswordResetRequest::new("a@b.c", "PW-hunter2-SECRET", "PW-new-SECRET", "o")
            .session_token("SESSION-TOKEN-SECRET")
            .session_jwt("SESSION-JWT-SECRET"),
    );
    assert_debug_hidden(
        "discovery_authenticate",
        &DiscoveryAuthenticateRequest::new("a@b.c", "PW-hunter2-SECRET"),
    );
    assert_debug_hidden(
        "discovery_email_reset",
        &DiscoveryEmailResetRequest::new("RESET-TOKEN-SECRET", "PW-new-SECRET")
            .pkce_code_verifier("PKCE-VERIFIER-SECRET"),
    );
    assert_debug_hidden(
        "member auth",
        &MemberAuth::SessionJwt(Secret::new("SESSION-JWT-SECRET")),
    );
}

#[test]
fn built_http_requests_mark_credentials_sensitive() {
    let config = Config::new("project-test-1", Secret::new("PROJECT-SECRET"), None, None).unwrap();
    assert_debug_hidden("config", &config);
    let http = build_request(
        &config,
        &EmailRequireResetRequest::new("a@b.c").member_session_token("SESSION-TOKEN-SECRET"),
    )
    .unwrap();
    // http's own Debug prints sensitive header values as `Sensitive`.
    assert_hidden("http headers", &format!("{:?}", http.headers()));
}

#[test]
fn builders_and_clients_hide_the_project_secret() {
    let builder = PasswordsClient::builder("project-test-1", "PROJECT-SECRET");
    assert_debug_hidden("builder", &builder);
    let client = builder
        .transport(transport::transport_fn(|_| async { unreachable!() }))
        .build()
        .unwrap();
    assert_debug_hidden("client", &client);
}

fn ok(body: serde_json::Value) -> http::Response<Bytes> {
    http::Response::new(Bytes::from(body.to_string()))
}

fn session_body() -> serde_json::Value {
    json!({
        "request_id": "r",
        "member_id": "m",
        "session_token": "SESSION-TOKEN-SECRET",
        "session_jwt": "SESSION-JWT-SECRET",
        "intermediate_session_token": "IST-SECRET",
        "member_authenticated": true,
        "email_address": "a@b.c"
    })
}

#[test]
fn responses_hide_tokens() {
    let r = parse_response::<AuthenticateRequest>(ok(session_body())).unwrap();
    assert_eq!(r.session_token.expose(), "SESSION-TOKEN-SECRET");
    assert_debug_hidden("authenticate response", &r);
    assert_debug_hidden(
        "email reset response",
        &parse_response::<EmailResetRequest>(ok(session_body())).unwrap(),
    );
    assert_debug_hidden(
        "sessions reset response",
        &parse_response::<SessionsResetRequest>(ok(session_body())).unwrap(),
    );
    assert_debug_hidden(
        "existing password reset response",
        &parse_response::<ExistingPasswordResetRequest>(ok(session_body())).unwrap(),
    );
    let r = parse_response::<DiscoveryAuthenticateRequest>(ok(session_body())).unwrap();
    assert_eq!(r.intermediate_session_token.expose(), "IST-SECRET");
    assert_debug_hidden("discovery authenticate response", &r);
    assert_debug_hidden(
        "discovery reset response",
        &parse_response::<DiscoveryEmailResetRequest>(ok(session_body())).unwrap(),
    );
}

#[test]
fn errors_never_echo_secrets_from_bodies() {
    // A malformed success body with a secret in the failing field.
    let body =
        json!({"request_id": "r", "session_token": 0, "session_jwt": ["SESSION-JWT-SECRET"]});
    let err = parse_response::<AuthenticateRequest>(ok(body)).unwrap_err();
    assert!(matches!(err, Error::Decode(_)));
    assert_hidden("decode error", &err.to_string());
    assert_debug_hidden("decode error", &err);

    let body = json!({"request_id": "r", "member_authenticated": "SESSION-TOKEN-SECRET"});
    let err = parse_response::<AuthenticateRequest>(ok(body)).unwrap_err();
    assert!(matches!(&err, Error::Decode(e) if e.path == "member_authenticated"));
    assert_hidden("decode error", &err.to_string());
    assert_debug_hidden("decode error", &err);

    // Validation errors name fields, never values.
    let config = Config::new("p", Secret::new("PROJECT-SECRET"), None, None).unwrap();
    let err = build_request(
        &config,
        &EmailResetRequest::new("RESET-TOKEN-SECRET", "PW-new-SECRET")
            .session_token("SESSION-TOKEN-SECRET")
            .session_jwt("SESSION-JWT-SECRET"),
    )
    .unwrap_err();
    assert_hidden("validation error", &err.to_string());
    assert_debug_hidden("validation error", &err);
    let err = build_request(
        &config,
        &EmailRequireResetRequest::new("a").member_session_token("SESSION-TOKEN-SECRET\n"),
    )
    .unwrap_err();
    assert_hidden("header validation error", &err.to_string());
    assert_debug_hidden("header validation error", &err);

    // Config errors never echo a secret embedded in a URL.
    let err = Config::new(
        "p",
        Secret::new("x"),
        Some("https://user:PROJECT-SECRET@example.com"),
        None,
    )
    .unwrap_err();
    assert_hidden("config error", &err.to_string());
    assert_debug_hidden("config error", &err);
}

#[test]
fn base_url_errors_keep_scheme_host_and_port_only() {
    for (url, shown) in [
        (
            "https://api.example.com/?key=PROJECT-SECRET",
            "https://api.example.com",
        ),
        (
            "https://user:PROJECT-SECRET@example.com:8443/x",
            "https://example.com:8443",
        ),
        ("ftp://example.com/PROJECT-SECRET", "ftp://example.com"),
        ("PROJECT-SECRET", ""),
        ("not a url PROJECT-SECRET", ""),
    ] {
        let err = Config::new("p", Secret::new("x"), Some(url), None).unwrap_err();
        let ConfigError::InvalidBaseUrl { url: origin, .. } = &err else {
            panic!("{url}: {err:?}")
        };
        assert_eq!(origin, shown, "{url}");
        assert_error_hidden("config error", &err);
        let err = Error::from(err);
        assert_error_hidden("config error", &err);
    }
    let err = Config::new(
        "p",
        Secret::new("x"),
        Some("https://api.example.com/?key=PROJECT-SECRET"),
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid base URL `https://api.example.com`: must not have a query"
    );
}
