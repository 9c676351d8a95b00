//! No secret value ever shows in `Debug`, `Display` or an error: requests, responses, builders,
//! the client, and the errors made from bodies that carry secrets, whatever the server sends.

use std::future::Future;
use std::pin::Pin;

use base64::Engine as _;
use bytes::Bytes;
use serde_json::json;
use stytch_b2b_passwords::wire::{build_request, parse_response, Endpoint};
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
        &MemberAuth::SessionJwt(&Secret::new("SESSION-JWT-SECRET")),
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
        "organization_id": "o",
        "organization": {"organization_id": "o"},
        "member_session": {"member_session_id": "s"},
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
    // Both Member sessions of email_require_reset: refused, neither shown.
    let err = build_request(
        &config,
        &EmailRequireResetRequest::new("a")
            .member_session_token("SESSION-TOKEN-SECRET")
            .member_session_jwt("SESSION-JWT-SECRET"),
    )
    .unwrap_err();
    assert!(matches!(&err, Error::Validation(v) if v.field == "member_session_token"));
    assert_error_hidden("member session pair", &err);
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

// ---------------------------------------------------------------------------------------------
// Errors made from what the server sends: a broken JSON path, a base URL, an echoed request.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_decode_error_path_is_never_a_value_of_the_body() {
    // The `:` after a key is lost, so the token stands where the next key would.
    let body = r#"{"request_id":"r","session_token" "SESSION-TOKEN-SECRET"}"#;
    let err = parse_response::<AuthenticateRequest>(ok_bytes(body)).unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert_error_hidden("decode error", &err);
    // A string after a value, and a key in a nested object, are no keys either.
    for body in [
        r#"{"request_id":"r" "SESSION-TOKEN-SECRET":{"a":tr"#,
        r#"{"member":{"member_id":"m" "SESSION-JWT-SECRET"}}"#,
        r#"{"session_jwt":"x","SESSION-JWT-SECRET":[1,}"#,
    ] {
        let err = parse_response::<AuthenticateRequest>(ok_bytes(body)).unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{body}: {err:?}");
        assert_error_hidden("decode error", &err);
    }
}

#[test]
fn a_decode_error_stays_small_whatever_the_body() {
    // A 10 MB key before a syntax error, and 120 levels of keys.
    let body = format!(r#"{{"request_id":"r","{}":[1,}}"#, "k".repeat(10 << 20));
    let err = parse_response::<AuthenticateRequest>(ok_bytes(body)).unwrap_err();
    let Error::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.path, "?");
    assert!(err.to_string().len() < 512, "{}", err.to_string().len());
    let body = format!("{}tr", r#"{"member_session":"#.repeat(120));
    let err = parse_response::<AuthenticateRequest>(ok_bytes(body)).unwrap_err();
    assert!(err.to_string().len() < 512, "{err}");
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

/// One request of every type, each carrying a recognisable secret in every secret field.
fn every_request() -> Vec<(&'static str, Box<dyn AnyRequest>)> {
    vec![
        (
            "strength_check",
            Box::new(StrengthCheckRequest::new("PW-hunter2-SECRET")),
        ),
        (
            "migrate",
            Box::new(MigrateRequest::new(
                "a@b.c",
                "HASH-SECRET",
                HashType::Bcrypt,
                "o",
            )),
        ),
        (
            "authenticate",
            Box::new(
                AuthenticateRequest::new("o", "a@b.c", "PW-hunter2-SECRET")
                    .session_token("SESSION-TOKEN-SECRET")
                    .intermediate_session_token("IST-SECRET"),
            ),
        ),
        (
            "email_reset_start",
            Box::new(EmailResetStartRequest::new("o", "a@b.c")),
        ),
        (
            "email_reset",
            Box::new(
                EmailResetRequest::new("RESET-TOKEN-SECRET", "PW-new-SECRET")
                    .session_jwt("SESSION-JWT-SECRET")
                    .code_verifier("PKCE-VERIFIER-SECRET")
                    .intermediate_session_token("IST-SECRET"),
            ),
        ),
        (
            "email_require_reset token",
            Box::new(
                EmailRequireResetRequest::new("a@b.c").member_session_token("SESSION-TOKEN-SECRET"),
            ),
        ),
        (
            "email_require_reset jwt",
            Box::new(
                EmailRequireResetRequest::new("a@b.c").member_session_jwt("SESSION-JWT-SECRET"),
            ),
        ),
        (
            "sessions_reset",
            Box::new(
                SessionsResetRequest::new("o", "PW-new-SECRET")
                    .session_token("SESSION-TOKEN-SECRET"),
            ),
        ),
        (
            "existing_password_reset",
            Box::new(
                ExistingPasswordResetRequest::new(
                    "a@b.c",
                    "PW-hunter2-SECRET",
                    "PW-new-SECRET",
                    "o",
                )
                .session_jwt("SESSION-JWT-SECRET"),
            ),
        ),
        (
            "discovery_authenticate",
            Box::new(DiscoveryAuthenticateRequest::new(
                "a@b.c",
                "PW-hunter2-SECRET",
            )),
        ),
        (
            "discovery_email_reset_start",
            Box::new(DiscoveryEmailResetStartRequest::new("a@b.c")),
        ),
        (
            "discovery_email_reset",
            Box::new(
                DiscoveryEmailResetRequest::new("RESET-TOKEN-SECRET", "PW-new-SECRET")
                    .pkce_code_verifier("PKCE-VERIFIER-SECRET"),
            ),
        ),
    ]
}

/// Any request type, sent through a client; the error it gets back.
trait AnyRequest {
    fn error_from<'a>(
        &'a self,
        client: &'a PasswordsClient,
    ) -> Pin<Box<dyn Future<Output = Error> + 'a>>;
}

impl<E: Endpoint + Sync> AnyRequest for E {
    fn error_from<'a>(
        &'a self,
        client: &'a PasswordsClient,
    ) -> Pin<Box<dyn Future<Output = Error> + 'a>> {
        Box::pin(async move {
            client
                .call(self)
                .await
                .err()
                .expect("the server answers with an error")
        })
    }
}

/// A client whose server answers `status` with a page that echoes the whole request: every
/// header value as sent, then the body, as some proxies and firewalls do.
fn echoing_client(status: u16, json: bool) -> PasswordsClient {
    let transport = transport::transport_fn(move |request| async move {
        let mut echo = String::new();
        for (name, value) in request.headers() {
            echo += &format!("{name}: {} ", value.to_str().unwrap_or_default());
        }
        echo += std::str::from_utf8(request.body()).unwrap_or_default();
        let body = if json {
            json!({"error": "request_blocked", "error_description": echo, "error_details": {"echo": echo}})
                .to_string()
        } else {
            format!("<html><body><h1>Request blocked</h1><pre>{echo}</pre></body></html>")
        };
        Ok(http::Response::builder()
            .status(status)
            .body(Bytes::from(body))
            .unwrap())
    });
    PasswordsClient::builder("project-test-1", "PROJECT-SECRET")
        .transport(transport)
        .build()
        .unwrap()
}

#[tokio::test]
async fn error_pages_that_echo_the_request_show_none_of_its_values() {
    let basic = base64::engine::general_purpose::STANDARD.encode("project-test-1:PROJECT-SECRET");
    for (status, json) in [(403, false), (502, false), (400, true)] {
        let client = echoing_client(status, json);
        for (what, request) in every_request() {
            let err = request.error_from(&client).await;
            assert_error_hidden(what, &err);
            let shown = format!("{err} {err:?}");
            assert!(
                !shown.contains(&basic),
                "{what} leaks the credentials: {shown}"
            );
            match &err {
                Error::Http(http) => {
                    assert!(!json, "{what}: {err:?}");
                    // The page stays out of Display and Debug; the excerpt is redacted.
                    assert!(!shown.contains("Request blocked"), "{what}: {shown}");
                    let excerpt = http.body_excerpt();
                    assert!(excerpt.starts_with("<html><body><h1>Request blocked"));
                    assert!(excerpt.contains("<redacted>"), "{what}: {excerpt}");
                    assert!(!excerpt.contains(&basic), "{what}: {excerpt}");
                    assert_hidden(what, excerpt);
                    // Cut before a value, never inside one.
                    for secret in SECRETS {
                        assert!(!excerpt.contains(&secret[..6]), "{what}: {excerpt}");
                    }
                }
                Error::Api(api) => {
                    assert!(json, "{what}: {err:?}");
                    let details = api.error_details.as_ref().unwrap().to_string();
                    assert_hidden(what, &details);
                    assert!(!details.contains(&basic), "{what}: {details}");
                }
                other => panic!("{what}: {other:?}"),
            }
        }
    }
}

#[test]
fn http_error_display_and_debug_show_no_body() {
    let page = "<html>password=PW-hunter2-SECRET</html>";
    let response = http::Response::builder()
        .status(502)
        .body(Bytes::from(page))
        .unwrap();
    let err = parse_response::<StrengthCheckRequest>(response).unwrap_err();
    assert_error_hidden("http error", &err);
    assert_eq!(
        err.to_string(),
        format!(
            "HTTP 502 from Stytch with a body that is not a Stytch error ({} bytes)",
            page.len()
        )
    );
    // Without the request, the excerpt is the page as received, behind an explicit accessor.
    let Error::Http(http) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(http.body_excerpt(), page);
}

fn ok_bytes(body: impl Into<Bytes>) -> http::Response<Bytes> {
    http::Response::new(body.into())
}

// ---------------------------------------------------------------------------------------------
// Serialized output, comparison, memory.
// ---------------------------------------------------------------------------------------------

#[test]
fn serializing_a_secret_or_a_request_writes_no_secret() {
    let secret = Secret::new("SESSION-TOKEN-SECRET");
    let err = serde_json::to_string(&secret).unwrap_err();
    assert_hidden("secret serialization", &err.to_string());
    assert!(serde_json::to_value(Some(&secret)).is_err());
    // A request is written only as the body `build_request` sends.
    let request = AuthenticateRequest::new("o", "a@b.c", "PW-hunter2-SECRET")
        .session_token("SESSION-TOKEN-SECRET");
    let err = serde_json::to_string(&request).unwrap_err();
    assert_hidden("request serialization", &err.to_string());
    let config = Config::new("p", Secret::new("PROJECT-SECRET"), None, None).unwrap();
    let body = build_request(&config, &request).unwrap().into_body();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
        json!({
            "organization_id": "o",
            "email_address": "a@b.c",
            "password": "PW-hunter2-SECRET",
            "session_token": "SESSION-TOKEN-SECRET"
        })
    );
    // ... and only there: after it, a secret refuses to serialize again.
    assert!(serde_json::to_string(&secret).is_err());
}

#[test]
fn a_secret_is_written_only_where_the_caller_opts_in() {
    #[derive(serde::Serialize)]
    struct Answer<'a> {
        member_id: &'a str,
        #[serde(serialize_with = "Secret::serialize_exposed")]
        session_token: &'a Secret,
    }
    let response = parse_response::<AuthenticateRequest>(ok(session_body())).unwrap();
    let answer = Answer {
        member_id: &response.member_id,
        session_token: &response.session_token,
    };
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        json!({"member_id": "m", "session_token": "SESSION-TOKEN-SECRET"})
    );
    // The parts of a response that hold no secret still serialize.
    let member = serde_json::to_string(&response.member).unwrap();
    assert_hidden("member", &member);
}

#[test]
fn secrets_compare_by_value_and_are_wiped_on_drop() {
    fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wiped_on_drop::<Secret>();
    assert_eq!(
        Secret::new("SESSION-TOKEN-SECRET"),
        Secret::new("SESSION-TOKEN-SECRET")
    );
    assert_ne!(
        Secret::new("SESSION-TOKEN-SECRET"),
        Secret::new("SESSION-TOKEN-SECRET2")
    );
    assert_ne!(
        Secret::new("SESSION-TOKEN-SECRET"),
        Secret::new("SESSION-TOKEN-SECREX")
    );
}

#[test]
fn a_broken_success_body_is_a_decode_error_that_shows_no_token() {
    // Logged in, with a JWT, but the session token is missing: not a success, and the error
    // names the field without showing what the body did carry.
    let mut body = session_body();
    body["session_token"] = json!("");
    let err = parse_response::<AuthenticateRequest>(ok(body)).unwrap_err();
    assert!(
        matches!(&err, Error::Decode(e) if e.path == "session_token"),
        "{err:?}"
    );
    assert_error_hidden("missing session token", &err);
    let mut body = session_body();
    body["member_id"] = json!(null);
    let err = parse_response::<SessionsResetRequest>(ok(body)).unwrap_err();
    assert!(
        matches!(&err, Error::Decode(e) if e.path == "member_id"),
        "{err:?}"
    );
    assert_error_hidden("missing member id", &err);
}
