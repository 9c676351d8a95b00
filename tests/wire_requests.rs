//! Every endpoint's request on the wire, built by the pure `wire::build_request`: exact method,
//! URL, headers and JSON body, with only the required fields and with every optional field set.

use serde_json::{json, Value};
use stytch_b2b_passwords::wire::{build_request, Endpoint};
use stytch_b2b_passwords::*;

const BASIC: &str = "Basic cHJvamVjdC10ZXN0LTExMTpzZWNyZXQtdGVzdC0yMjI="; // project-test-111:secret-test-222

fn config() -> Config {
    Config::new(
        "project-test-111",
        Secret::new("secret-test-222"),
        None,
        Some("acme-app/2.0"),
    )
    .unwrap()
}

/// Builds the request and checks everything every call shares; returns the body as JSON.
fn sent<E: Endpoint>(request: &E, path: &str) -> (http::Request<bytes::Bytes>, Value) {
    let http = build_request(&config(), request).unwrap();
    assert_eq!(http.method(), http::Method::POST);
    assert_eq!(
        http.uri().to_string(),
        format!("https://test.stytch.com{path}")
    );
    assert_eq!(E::PATH, path);
    let h = http.headers();
    assert_eq!(h["content-type"], "application/json");
    assert_eq!(h["authorization"], BASIC);
    assert!(h["authorization"].is_sensitive());
    assert_eq!(
        h["user-agent"],
        format!(
            "stytch-b2b-passwords-rust/{} acme-app/2.0",
            env!("CARGO_PKG_VERSION")
        )
        .as_str()
    );
    assert_eq!(
        http.extensions().get::<transport::Operation>(),
        Some(&transport::Operation(E::OPERATION))
    );
    let body: Value = serde_json::from_slice(http.body()).unwrap();
    (http, body)
}

fn header_count(http: &http::Request<bytes::Bytes>) -> usize {
    http.headers().len()
}

fn claims() -> JsonObject {
    json!({"tier": "gold", "n": 3}).as_object().unwrap().clone()
}

#[test]
fn strength_check() {
    let (http, body) = sent(
        &StrengthCheckRequest::new("p4ssw0rd!"),
        "/v1/b2b/passwords/strength_check",
    );
    assert_eq!(body, json!({"password": "p4ssw0rd!"}));
    assert_eq!(header_count(&http), 3);

    let (_, body) = sent(
        &StrengthCheckRequest::new("p4ssw0rd!").email_address("ada@example.com"),
        "/v1/b2b/passwords/strength_check",
    );
    assert_eq!(
        body,
        json!({"password": "p4ssw0rd!", "email_address": "ada@example.com"})
    );
}

#[test]
fn migrate() {
    let (_, body) = sent(
        &MigrateRequest::new("ada@example.com", "$2a$10$abc", HashType::Bcrypt, "org-1"),
        "/v1/b2b/passwords/migrate",
    );
    assert_eq!(
        body,
        json!({
            "email_address": "ada@example.com",
            "hash": "$2a$10$abc",
            "hash_type": "bcrypt",
            "organization_id": "org-1"
        })
    );

    let full = MigrateRequest::new("ada@example.com", "deadbeef", HashType::Md5, "org-1")
        .md_5_config(Md5Config::new("pre", "post"))
        .argon_2_config(Argon2Config::new("salt-a", 3, 65536, 2, 32))
        .sha_1_config(Sha1Config::new("s1pre", "s1post"))
        .sha_512_config(Sha512Config::new("s5pre", "s5post"))
        .scrypt_config(ScryptConfig::new("c2FsdA==", 16384, 8, 1, 32))
        .pbkdf_2_config(Pbkdf2Config::new("pbsalt", 100000, 32, "sha256"))
        .name("Ada Lovelace")
        .trusted_metadata(claims())
        .untrusted_metadata(json!({"theme": "dark"}).as_object().unwrap().clone())
        .roles(vec!["admin".to_owned(), "billing".to_owned()])
        .preserve_existing_sessions(true)
        .mfa_phone_number("+12025550123")
        .set_phone_number_verified(false)
        .external_id("ext-42");
    let (_, body) = sent(&full, "/v1/b2b/passwords/migrate");
    assert_eq!(
        body,
        json!({
            "email_address": "ada@example.com",
            "hash": "deadbeef",
            "hash_type": "md_5",
            "organization_id": "org-1",
            "md_5_config": {"prepend_salt": "pre", "append_salt": "post"},
            "argon_2_config": {"salt": "salt-a", "iteration_amount": 3, "memory": 65536, "threads": 2, "key_length": 32},
            "sha_1_config": {"prepend_salt": "s1pre", "append_salt": "s1post"},
            "sha_512_config": {"prepend_salt": "s5pre", "append_salt": "s5post"},
            "scrypt_config": {"salt": "c2FsdA==", "n_parameter": 16384, "r_parameter": 8, "p_parameter": 1, "key_length": 32},
            "pbkdf_2_config": {"salt": "pbsalt", "iteration_amount": 100000, "key_length": 32, "algorithm": "sha256"},
            "name": "Ada Lovelace",
            "trusted_metadata": {"tier": "gold", "n": 3},
            "untrusted_metadata": {"theme": "dark"},
            "roles": ["admin", "billing"],
            "preserve_existing_sessions": true,
            "mfa_phone_number": "+12025550123",
            "set_phone_number_verified": false,
            "external_id": "ext-42"
        })
    );
}

#[test]
fn authenticate() {
    let (_, body) = sent(
        &AuthenticateRequest::new("org-1", "ada@example.com", "pw-1"),
        "/v1/b2b/passwords/authenticate",
    );
    assert_eq!(
        body,
        json!({"organization_id": "org-1", "email_address": "ada@example.com", "password": "pw-1"})
    );

    let full = AuthenticateRequest::new("org-1", "ada@example.com", "pw-1")
        .session_token("tok-1")
        .session_duration_minutes(60)
        .session_jwt("jwt-1")
        .session_custom_claims(claims())
        .locale(Locale::PtBr)
        .intermediate_session_token("ist-1")
        .telemetry_id("tel-1");
    let (_, body) = sent(&full, "/v1/b2b/passwords/authenticate");
    assert_eq!(
        body,
        json!({
            "organization_id": "org-1",
            "email_address": "ada@example.com",
            "password": "pw-1",
            "session_token": "tok-1",
            "session_duration_minutes": 60,
            "session_jwt": "jwt-1",
            "session_custom_claims": {"tier": "gold", "n": 3},
            "locale": "pt-br",
            "intermediate_session_token": "ist-1",
            "telemetry_id": "tel-1"
        })
    );
}

#[test]
fn email_reset_start() {
    let (_, body) = sent(
        &EmailResetStartRequest::new("org-1", "ada@example.com"),
        "/v1/b2b/passwords/email/reset/start",
    );
    assert_eq!(
        body,
        json!({"organization_id": "org-1", "email_address": "ada@example.com"})
    );

    let full = EmailResetStartRequest::new("org-1", "ada@example.com")
        .reset_password_redirect_url("https://app.example.com/reset")
        .reset_password_expiration_minutes(45)
        .code_challenge("chal-1")
        .login_redirect_url("https://app.example.com/login")
        .locale(Locale::Fr)
        .reset_password_template_id("tpl-reset")
        .verify_email_template_id("tpl-verify");
    let (_, body) = sent(&full, "/v1/b2b/passwords/email/reset/start");
    assert_eq!(
        body,
        json!({
            "organization_id": "org-1",
            "email_address": "ada@example.com",
            "reset_password_redirect_url": "https://app.example.com/reset",
            "reset_password_expiration_minutes": 45,
            "code_challenge": "chal-1",
            "login_redirect_url": "https://app.example.com/login",
            "locale": "fr",
            "reset_password_template_id": "tpl-reset",
            "verify_email_template_id": "tpl-verify"
        })
    );
}

#[test]
fn email_reset() {
    let (_, body) = sent(
        &EmailResetRequest::new("rst-1", "new-pw"),
        "/v1/b2b/passwords/email/reset",
    );
    assert_eq!(
        body,
        json!({"password_reset_token": "rst-1", "password": "new-pw"})
    );

    let full = EmailResetRequest::new("rst-1", "new-pw")
        .session_token("tok-1")
        .session_duration_minutes(5)
        .code_verifier("ver-1")
        .session_custom_claims(claims())
        .locale(Locale::Es)
        .intermediate_session_token("ist-1")
        .telemetry_id("tel-1");
    let (_, body) = sent(&full, "/v1/b2b/passwords/email/reset");
    assert_eq!(
        body,
        json!({
            "password_reset_token": "rst-1",
            "password": "new-pw",
            "session_token": "tok-1",
            "session_duration_minutes": 5,
            "code_verifier": "ver-1",
            "session_custom_claims": {"tier": "gold", "n": 3},
            "locale": "es",
            "intermediate_session_token": "ist-1",
            "telemetry_id": "tel-1"
        })
    );
    // The JWT variant of the session (token and JWT together are refused, see validation tests).
    let (_, body) = sent(
        &EmailResetRequest::new("rst-1", "new-pw").session_jwt("jwt-1"),
        "/v1/b2b/passwords/email/reset",
    );
    assert_eq!(
        body,
        json!({"password_reset_token": "rst-1", "password": "new-pw", "session_jwt": "jwt-1"})
    );
}

#[test]
fn email_require_reset() {
    let (http, body) = sent(
        &EmailRequireResetRequest::new("ada@example.com"),
        "/v1/b2b/passwords/email/require_reset",
    );
    assert_eq!(body, json!({"email_address": "ada@example.com"}));
    assert_eq!(header_count(&http), 3);

    let full = EmailRequireResetRequest::new("ada@example.com")
        .organization_id("org-1")
        .member_id("member-1")
        .member_session_token("tok-1");
    let (http, body) = sent(&full, "/v1/b2b/passwords/email/require_reset");
    assert_eq!(
        body,
        json!({"email_address": "ada@example.com", "organization_id": "org-1", "member_id": "member-1"})
    );
    assert_eq!(http.headers()["x-stytch-member-session"], "tok-1");
    assert!(http.headers()["x-stytch-member-session"].is_sensitive());
    assert!(!http.headers().contains_key("x-stytch-member-sessionjwt"));
    assert_eq!(header_count(&http), 4);

    let with_jwt = EmailRequireResetRequest::new("ada@example.com").member_session_jwt("jwt-1");
    let (http, body) = sent(&with_jwt, "/v1/b2b/passwords/email/require_reset");
    assert_eq!(body, json!({"email_address": "ada@example.com"}));
    assert_eq!(http.headers()["x-stytch-member-sessionjwt"], "jwt-1");
    assert!(!http.headers().contains_key("x-stytch-member-session"));
}

#[test]
fn sessions_reset() {
    let (_, body) = sent(
        &SessionsResetRequest::new("org-1", "new-pw").session_token("tok-1"),
        "/v1/b2b/passwords/session/reset",
    );
    assert_eq!(
        body,
        json!({"organization_id": "org-1", "password": "new-pw", "session_token": "tok-1"})
    );

    let full = SessionsResetRequest::new("org-1", "new-pw")
        .session_jwt("jwt-1")
        .session_duration_minutes(527_040)
        .session_custom_claims(claims())
        .locale(Locale::En)
        .telemetry_id("tel-1");
    let (_, body) = sent(&full, "/v1/b2b/passwords/session/reset");
    assert_eq!(
        body,
        json!({
            "organization_id": "org-1",
            "password": "new-pw",
            "session_jwt": "jwt-1",
            "session_duration_minutes": 527040,
            "session_custom_claims": {"tier": "gold", "n": 3},
            "locale": "en",
            "telemetry_id": "tel-1"
        })
    );
}

#[test]
fn existing_password_reset() {
    let (_, body) = sent(
        &ExistingPasswordResetRequest::new("ada@example.com", "old-pw", "new-pw", "org-1"),
        "/v1/b2b/passwords/existing_password/reset",
    );
    assert_eq!(
        body,
        json!({
            "email_address": "ada@example.com",
            "existing_password": "old-pw",
            "new_password": "new-pw",
            "organization_id": "org-1"
        })
    );

    let full = ExistingPasswordResetRequest::new("ada@example.com", "old-pw", "new-pw", "org-1")
        .session_token("tok-1")
        .session_duration_minutes(30)
        .session_jwt("jwt-1")
        .session_custom_claims(claims())
        .locale(Locale::Other("de".to_owned()))
        .telemetry_id("tel-1");
    let (_, body) = sent(&full, "/v1/b2b/passwords/existing_password/reset");
    assert_eq!(
        body,
        json!({
            "email_address": "ada@example.com",
            "existing_password": "old-pw",
            "new_password": "new-pw",
            "organization_id": "org-1",
            "session_token": "tok-1",
            "session_duration_minutes": 30,
            "session_jwt": "jwt-1",
            "session_custom_claims": {"tier": "gold", "n": 3},
            "locale": "de",
            "telemetry_id": "tel-1"
        })
    );
}

#[test]
fn discovery_authenticate() {
    let (_, body) = sent(
        &DiscoveryAuthenticateRequest::new("ada@example.com", "pw-1"),
        "/v1/b2b/passwords/discovery/authenticate",
    );
    assert_eq!(
        body,
        json!({"email_address": "ada@example.com", "password": "pw-1"})
    );
}

#[test]
fn discovery_email_reset_start() {
    let (_, body) = sent(
        &DiscoveryEmailResetStartRequest::new("ada@example.com"),
        "/v1/b2b/passwords/discovery/email/reset/start",
    );
    assert_eq!(body, json!({"email_address": "ada@example.com"}));

    let full = DiscoveryEmailResetStartRequest::new("ada@example.com")
        .reset_password_redirect_url("https://app.example.com/reset")
        .discovery_redirect_url("https://app.example.com/discover")
        .reset_password_template_id("tpl-reset")
        .reset_password_expiration_minutes(20)
        .pkce_code_challenge("chal-1")
        .locale(Locale::PtBr)
        .verify_email_template_id("tpl-verify");
    let (_, body) = sent(&full, "/v1/b2b/passwords/discovery/email/reset/start");
    assert_eq!(
        body,
        json!({
            "email_address": "ada@example.com",
            "reset_password_redirect_url": "https://app.example.com/reset",
            "discovery_redirect_url": "https://app.example.com/discover",
            "reset_password_template_id": "tpl-reset",
            "reset_password_expiration_minutes": 20,
            "pkce_code_challenge": "chal-1",
            "locale": "pt-br",
            "verify_email_template_id": "tpl-verify"
        })
    );
}

#[test]
fn discovery_email_reset() {
    let (_, body) = sent(
        &DiscoveryEmailResetRequest::new("rst-1", "new-pw"),
        "/v1/b2b/passwords/discovery/email/reset",
    );
    assert_eq!(
        body,
        json!({"password_reset_token": "rst-1", "password": "new-pw"})
    );

    let (_, body) = sent(
        &DiscoveryEmailResetRequest::new("rst-1", "new-pw").pkce_code_verifier("ver-1"),
        "/v1/b2b/passwords/discovery/email/reset",
    );
    assert_eq!(
        body,
        json!({"password_reset_token": "rst-1", "password": "new-pw", "pkce_code_verifier": "ver-1"})
    );
}

#[test]
fn live_projects_go_to_the_live_host_and_prefixes_are_kept() {
    let live = Config::new("project-live-9", Secret::new("s"), None, None).unwrap();
    let http = build_request(&live, &StrengthCheckRequest::new("x")).unwrap();
    assert_eq!(
        http.uri().to_string(),
        "https://api.stytch.com/v1/b2b/passwords/strength_check"
    );
    assert_eq!(
        http.headers()["user-agent"],
        format!("stytch-b2b-passwords-rust/{}", env!("CARGO_PKG_VERSION")).as_str()
    );

    let custom = Config::new(
        "project-live-9",
        Secret::new("s"),
        Some("https://login.example.com/stytch/"),
        None,
    )
    .unwrap();
    let http = build_request(&custom, &StrengthCheckRequest::new("x")).unwrap();
    assert_eq!(
        http.uri().to_string(),
        "https://login.example.com/stytch/v1/b2b/passwords/strength_check"
    );

    let local = Config::new(
        "project-test-1",
        Secret::new("s"),
        Some("http://127.0.0.1:8080"),
        None,
    )
    .unwrap();
    let http = build_request(&local, &StrengthCheckRequest::new("x")).unwrap();
    assert_eq!(
        http.uri().to_string(),
        "http://127.0.0.1:8080/v1/b2b/passwords/strength_check"
    );
}
