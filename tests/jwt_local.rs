//! Local session JWT verification: every check, the JWKS cache (lazy fetch, TTL, rotation,
//! refetch rate limit, single flight, failures), the verified-token cache (hit, expiry, rotation
//! and revocation, capacity), and secrecy of the token in errors.
//!
//! Tokens are signed here with the committed test keys in `tests/fixtures/jwt/`; the JWKS is
//! served by a `transport_fn` fake that counts fetches. Nothing touches the network.
#![cfg(feature = "jwt")]

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use bytes::Bytes;
use serde_json::{json, Value};
use stytch_b2b_passwords::jwt::{
    Clock, JwksOptions, JwtError, JwtVerifyOptions, MalformedJwt, SessionJwtVerifier, MAX_JWT_LEN,
};
use stytch_b2b_passwords::transport::{
    transport_fn, Operation, TransportError, TransportErrorKind,
};
use stytch_b2b_passwords::{Error, PasswordsClient};

#[path = "support/rs256.rs"]
mod rs256;
use rs256::b64;

const PROJECT: &str = "project-test-6c2f3d0e-1b1a-4d4e-9a3f-000000000001";
const SECRET: &str = "secret-test-jwt-verification";
const KEY_1: &[u8] = include_bytes!("fixtures/jwt/test-key-1.pem");
const KEY_2: &[u8] = include_bytes!("fixtures/jwt/test-key-2.pem");
const KID_1: &str = "jwk-test-00000000-0000-0000-0000-000000000001";
const KID_2: &str = "jwk-test-00000000-0000-0000-0000-000000000002";
/// The fake clock starts here (2023-11-14).
const T0: u64 = 1_700_000_000;

// ---------------------------------------------------------------------------------------------
// Fixture: a client whose transport serves a JWKS, counts fetches, and a clock the test moves.
// ---------------------------------------------------------------------------------------------

/// What the fake JWKS endpoint answers.
#[derive(Clone)]
enum Reply {
    Keys(Vec<Value>),
    Status(u16, &'static str),
    TransportFailure,
}

struct Fixture {
    client: PasswordsClient,
    fetches: Arc<AtomicUsize>,
    reply: Arc<Mutex<Reply>>,
    now: Arc<AtomicU64>,
}

impl Fixture {
    fn new() -> Self {
        Self::with(None, Duration::ZERO, JwksOptions::default())
    }

    fn with(base_url: Option<&str>, delay: Duration, jwks: JwksOptions) -> Self {
        let fetches = Arc::new(AtomicUsize::new(0));
        let reply = Arc::new(Mutex::new(Reply::Keys(vec![jwk(KEY_1, KID_1)])));
        let (f, r) = (Arc::clone(&fetches), Arc::clone(&reply));
        let expected_uri = format!(
            "{}/v1/b2b/sessions/jwks/{PROJECT}",
            base_url.unwrap_or("https://test.stytch.com")
        );
        let transport = transport_fn(move |request| {
            let f = Arc::clone(&f);
            let r = Arc::clone(&r);
            let expected_uri = expected_uri.clone();
            async move {
                f.fetch_add(1, Ordering::SeqCst);
                assert_eq!(request.method(), http::Method::GET);
                assert_eq!(request.uri().to_string(), expected_uri);
                let basic =
                    base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT}:{SECRET}"));
                assert_eq!(request.headers()["authorization"], format!("Basic {basic}"));
                assert!(request.headers()["user-agent"]
                    .to_str()
                    .unwrap()
                    .starts_with("stytch-b2b-passwords-rust/"));
                assert_eq!(
                    request.extensions().get::<Operation>(),
                    Some(&Operation("sessions.jwks"))
                );
                if !delay.is_zero() {
                    // A slow endpoint, without needing tokio's timer.
                    tokio::task::spawn_blocking(move || std::thread::sleep(delay))
                        .await
                        .unwrap();
                }
                let reply = r.lock().unwrap().clone();
                match reply {
                    Reply::Keys(keys) => Ok(response(
                        200,
                        json!({"keys": keys, "request_id": "req-jwks", "status_code": 200})
                            .to_string(),
                    )),
                    Reply::Status(status, body) => Ok(response(status, body.to_owned())),
                    Reply::TransportFailure => Err(TransportError::new(
                        TransportErrorKind::Connect,
                        "connection refused",
                    )),
                }
            }
        });
        let mut builder = PasswordsClient::builder(PROJECT, SECRET).transport(transport);
        if let Some(url) = base_url {
            builder = builder.base_url(url);
        }
        let client = builder.build().unwrap().with_jwks_options(jwks);
        Self {
            client,
            fetches,
            reply,
            now: Arc::new(AtomicU64::new(T0)),
        }
    }

    fn serve(&self, reply: Reply) {
        *self.reply.lock().unwrap() = reply;
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }

    fn now(&self) -> u64 {
        self.now.load(Ordering::SeqCst)
    }

    fn set_now(&self, secs: u64) {
        self.now.store(secs, Ordering::SeqCst);
    }

    fn advance(&self, secs: u64) {
        self.now.fetch_add(secs, Ordering::SeqCst);
    }

    fn options(&self) -> JwtVerifyOptions {
        let now = Arc::clone(&self.now);
        JwtVerifyOptions::default().clock(Clock::from_fn(move || {
            UNIX_EPOCH + Duration::from_secs(now.load(Ordering::SeqCst))
        }))
    }

    async fn verify(&self, jwt: &str) -> Result<stytch_b2b_passwords::SessionJwtClaims, Error> {
        self.client
            .authenticate_jwt_local(jwt, self.options())
            .await
    }

    /// Verifies and returns the `JwtError`, checking on the way that no part of the token leaks
    /// into the error's `Display` or `Debug`.
    async fn reject(&self, jwt: &str) -> JwtError {
        let err = self
            .verify(jwt)
            .await
            .expect_err("the token should be rejected");
        assert_no_leak(jwt, &err);
        err.as_jwt().expect("a JWT error").clone()
    }
}

fn response(status: u16, body: String) -> http::Response<Bytes> {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Bytes::from(body))
        .unwrap()
}

/// The public JWK of a PEM key, as the JWKS endpoint serves it.
fn jwk(pem: &[u8], kid: &str) -> Value {
    let mut value = rs256::jwk(pem, kid);
    value["use"] = json!("sig");
    value
}

/// Stytch's session JWT claims, issued at `now`, valid five minutes.
fn claims(now: u64) -> Value {
    json!({
        "sub": "member-test-0001",
        "iss": format!("stytch.com/{PROJECT}"),
        "aud": [PROJECT],
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "https://stytch.com/session": {
            "id": "member-session-test-0001",
            "started_at": "2023-11-14T22:13:20Z",
            "last_accessed_at": "2023-11-14T22:13:20Z",
            "expires_at": "2023-11-15T22:13:20Z",
            "attributes": {"ip_address": "203.0.113.7", "user_agent": "curl/8"},
            "authentication_factors": [{
                "type": "password",
                "delivery_method": "knowledge",
                "last_authenticated_at": "2023-11-14T22:13:20Z",
                "email_factor": {"email_id": "email-test-1", "email_address": "ada@example.com"}
            }],
            "roles": ["stytch_member", "admin"]
        },
        "https://stytch.com/organization": {
            "organization_id": "organization-test-0001",
            "slug": "acme"
        },
        "https://stytch.com/other": {"ignored": true},
        "plan": "enterprise",
        "seats": 42
    })
}

fn sign_with(pem: &[u8], kid: Option<&str>, claims: &Value) -> String {
    rs256::sign(pem, &rs256::header("RS256", kid), claims)
}

fn sign(claims: &Value) -> String {
    sign_with(KEY_1, Some(KID_1), claims)
}

/// A token with any header and claims, and a signature of junk: for checks that fail before the
/// signature (or to prove the signature fails).
fn unsigned(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes()),
        b64(&[7u8; 256])
    )
}

fn assert_no_leak(jwt: &str, err: &Error) {
    let shown = format!("{err} {err:?}");
    let mut parts: Vec<&str> = jwt.split('.').filter(|p| p.len() >= 16).collect();
    if jwt.len() >= 16 {
        parts.push(jwt);
    }
    for part in parts {
        assert!(
            !shown.contains(part),
            "a token segment leaked into the error: {shown}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The happy path and the JWKS request.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_valid_token_verifies_and_returns_typed_claims() {
    let fx = Fixture::new();
    let jwt = sign(&claims(fx.now()));
    let claims = fx.verify(&jwt).await.unwrap();

    assert_eq!(claims.session_id, "member-session-test-0001");
    assert_eq!(claims.member_id, "member-test-0001");
    assert_eq!(claims.organization_id, "organization-test-0001");
    assert_eq!(claims.organization_slug, "acme");
    assert_eq!(claims.started_at, "2023-11-14T22:13:20Z");
    assert_eq!(claims.last_accessed_at, "2023-11-14T22:13:20Z");
    assert_eq!(claims.expires_at, "2023-11-15T22:13:20Z");
    assert_eq!(claims.roles, vec!["stytch_member", "admin"]);
    assert_eq!(claims.attributes["ip_address"], "203.0.113.7");
    assert_eq!(claims.authentication_factors.len(), 1);
    let factor = serde_json::to_value(&claims.authentication_factors[0]).unwrap();
    assert_eq!(factor["type"], "password");
    assert_eq!(claims.issuer, format!("stytch.com/{PROJECT}"));
    assert_eq!(claims.issued_at, UNIX_EPOCH + Duration::from_secs(T0));
    assert_eq!(
        claims.not_before,
        Some(UNIX_EPOCH + Duration::from_secs(T0))
    );
    assert_eq!(
        claims.token_expires_at,
        UNIX_EPOCH + Duration::from_secs(T0 + 300)
    );
    // Custom claims: everything but registered and https://stytch.com/... claims.
    let custom: Vec<&String> = claims.custom_claims.keys().collect();
    assert_eq!(custom, vec!["plan", "seats"]);
    assert_eq!(claims.custom_claims["seats"], 42);
    // The claims hold no part of the token.
    assert!(!format!("{claims:?}").contains(jwt.split('.').nth(2).unwrap()));
    assert_eq!(fx.fetches(), 1);
}

#[tokio::test]
async fn the_jwks_is_fetched_lazily_once_and_then_served_from_the_cache() {
    let fx = Fixture::new();
    assert_eq!(fx.fetches(), 0, "building the client fetches nothing");
    assert_eq!(fx.client.jwks_cache().fetch_count(), 0);
    for i in 0..20 {
        fx.advance(1);
        let jwt = sign(&claims(fx.now() - i % 3));
        fx.verify(&jwt).await.unwrap();
    }
    assert_eq!(fx.fetches(), 1);
    assert_eq!(fx.client.jwks_cache().fetch_count(), 1);
    assert_eq!(fx.client.jwks_cache().key_ids(), vec![KID_1.to_owned()]);
    // Clones share the cache.
    let clone = fx.client.clone();
    let jwt = sign(&claims(fx.now()));
    clone
        .authenticate_jwt_local(&jwt, fx.options())
        .await
        .unwrap();
    assert_eq!(fx.fetches(), 1);
}

#[tokio::test]
async fn the_client_is_usable_as_a_session_jwt_verifier() {
    let fx = Fixture::new();
    let verifier: &dyn SessionJwtVerifier = &fx.client;
    let jwt = sign(&claims(fx.now()));
    let claims = verifier
        .authenticate_jwt_local(&jwt, fx.options())
        .await
        .unwrap();
    assert_eq!(claims.member_id, "member-test-0001");
}

#[cfg(feature = "mock")]
#[tokio::test]
async fn application_code_can_mock_the_verifier() {
    use stytch_b2b_passwords::jwt::MockSessionJwtVerifier;

    let mut mock = MockSessionJwtVerifier::new();
    mock.expect_authenticate_jwt_local()
        .withf(|jwt, _| jwt == "forged")
        .returning(|_, _| {
            Err(JwtError::BadSignature {
                kid: "k".to_owned(),
            }
            .into())
        });
    let verifier: &dyn SessionJwtVerifier = &mock;
    let err = verifier
        .authenticate_jwt_local("forged", JwtVerifyOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.as_jwt().map(JwtError::code), Some("bad_signature"));
}

// ---------------------------------------------------------------------------------------------
// Each check.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_signature_by_another_key_or_over_other_claims_is_rejected() {
    let fx = Fixture::new();
    // Signed by key 2 but claiming key 1's kid.
    let jwt = sign_with(KEY_2, Some(KID_1), &claims(fx.now()));
    let err = fx.reject(&jwt).await;
    assert!(
        matches!(&err, JwtError::BadSignature { kid } if kid == KID_1),
        "{err:?}"
    );
    assert_eq!(err.code(), "bad_signature");
    assert!(err.is_token_rejected());

    // Claims swapped after signing.
    let good = sign(&claims(fx.now()));
    let mut forged_claims = claims(fx.now());
    forged_claims["sub"] = json!("member-test-admin");
    let forged = sign_with(KEY_2, Some(KID_1), &forged_claims);
    let mut parts: Vec<&str> = good.split('.').collect();
    parts[1] = forged.split('.').nth(1).unwrap();
    let spliced = parts.join(".");
    assert!(matches!(
        fx.reject(&spliced).await,
        JwtError::BadSignature { .. }
    ));

    // A junk signature of the right length.
    let junk = unsigned(
        &json!({"alg": "RS256", "typ": "JWT", "kid": KID_1}),
        &claims(fx.now()),
    );
    assert!(matches!(
        fx.reject(&junk).await,
        JwtError::BadSignature { .. }
    ));
    // A signature of the wrong length.
    let mut short = good.clone();
    short.truncate(good.len() - 10);
    assert!(matches!(
        fx.reject(&short).await,
        JwtError::BadSignature { .. } | JwtError::Malformed(MalformedJwt::Signature)
    ));
}

#[tokio::test]
async fn the_issuer_must_be_stytch_for_the_project_or_the_base_url() {
    let fx = Fixture::new();
    let mut c = claims(fx.now());
    c["iss"] = json!("stytch.com/project-test-someone-else");
    let err = fx.reject(&sign(&c)).await;
    match &err {
        JwtError::WrongIssuer { found, expected } => {
            assert_eq!(found, "stytch.com/project-test-someone-else");
            assert_eq!(
                expected,
                &vec![
                    format!("stytch.com/{PROJECT}"),
                    "https://test.stytch.com".to_owned()
                ]
            );
        }
        other => panic!("expected WrongIssuer, got {other:?}"),
    }
    assert_eq!(err.code(), "wrong_issuer");

    c["iss"] = json!(42);
    assert_eq!(
        fx.reject(&sign(&c)).await.code(),
        "malformed",
        "a non-string iss"
    );

    // A custom domain issues its own URL.
    let custom = Fixture::with(
        Some("https://auth.example.com"),
        Duration::ZERO,
        JwksOptions::default(),
    );
    let mut c = claims(custom.now());
    c["iss"] = json!("https://auth.example.com");
    custom.verify(&sign(&c)).await.unwrap();
    c["iss"] = json!("https://auth.example.com/");
    custom.verify(&sign(&c)).await.unwrap();
    c["iss"] = json!(format!("stytch.com/{PROJECT}"));
    custom.verify(&sign(&c)).await.unwrap();
    c["iss"] = json!("https://evil.example.com");
    assert_eq!(custom.reject(&sign(&c)).await.code(), "wrong_issuer");
}

#[tokio::test]
async fn the_audience_must_contain_the_project_id_as_a_string_or_in_an_array() {
    let fx = Fixture::new();
    let mut c = claims(fx.now());
    c["aud"] = json!(PROJECT);
    fx.verify(&sign(&c)).await.unwrap();
    c["aud"] = json!(["another-audience", PROJECT]);
    fx.verify(&sign(&c)).await.unwrap();

    for bad in [
        json!("project-test-other"),
        json!([]),
        json!(["project-test-other"]),
    ] {
        c["aud"] = bad;
        let err = fx.reject(&sign(&c)).await;
        assert!(
            matches!(&err, JwtError::WrongAudience { expected } if expected == PROJECT),
            "{err:?}"
        );
    }
    c.as_object_mut().unwrap().remove("aud");
    assert!(matches!(
        fx.reject(&sign(&c)).await,
        JwtError::Malformed(MalformedJwt::MissingClaim("aud"))
    ));
}

#[tokio::test]
async fn an_expired_token_is_rejected_beyond_the_clock_tolerance() {
    let fx = Fixture::new();
    let now = fx.now();
    let mut c = claims(now - 200);
    c["exp"] = json!(now - 3);
    fx.verify(&sign(&c)).await.unwrap(); // within the default 5 s tolerance
    c["exp"] = json!(now - 10);
    let err = fx.reject(&sign(&c)).await;
    assert!(
        matches!(err, JwtError::Expired { expired_at, now: n } if expired_at == (now - 10) as i64 && n == now as i64),
        "{err:?}"
    );
    // No tolerance: expiring now means expired.
    c["exp"] = json!(now);
    let strict = fx.options().clock_tolerance(Duration::ZERO);
    let err = fx
        .client
        .authenticate_jwt_local(&sign(&c), strict)
        .await
        .unwrap_err();
    assert_eq!(err.as_jwt().map(JwtError::code), Some("expired"));
}

#[tokio::test]
async fn nbf_and_iat_in_the_future_are_not_yet_valid() {
    let fx = Fixture::new();
    let now = fx.now();

    let mut c = claims(now);
    c["nbf"] = json!(now + 60);
    let err = fx.reject(&sign(&c)).await;
    assert!(
        matches!(err, JwtError::NotYetValid { claim: "nbf", valid_from, .. } if valid_from == (now + 60) as i64),
        "{err:?}"
    );
    c["nbf"] = json!(now + 4); // within tolerance
    fx.verify(&sign(&c)).await.unwrap();

    let mut c = claims(now + 60);
    c.as_object_mut().unwrap().remove("nbf");
    let err = fx.reject(&sign(&c)).await;
    assert!(
        matches!(err, JwtError::NotYetValid { claim: "iat", .. }),
        "{err:?}"
    );
    let mut c = claims(now + 3); // within tolerance
    c["nbf"] = json!(now);
    fx.verify(&sign(&c)).await.unwrap();

    // Absurd future times do not panic (the official SDK's helper can).
    for iat in [
        json!(i64::MAX),
        json!(u64::MAX),
        json!(1e300),
        json!(-1e300),
        json!(i64::MIN),
    ] {
        let mut c = claims(now);
        c["iat"] = iat.clone();
        c["exp"] = json!(i64::MAX);
        c.as_object_mut().unwrap().remove("nbf");
        let err = fx.reject(&sign(&c)).await;
        assert!(
            matches!(
                err,
                JwtError::NotYetValid { claim: "iat", .. } | JwtError::TooOld { .. }
            ),
            "iat {iat}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_token_older_than_the_maximum_age_is_too_old() {
    let fx = Fixture::new();
    let now = fx.now();
    let mut c = claims(now - 301);
    c["exp"] = json!(now + 100);
    let err = fx.reject(&sign(&c)).await;
    assert!(
        matches!(
            err,
            JwtError::TooOld {
                age_secs: 301,
                max_age_secs: 300
            }
        ),
        "{err:?}"
    );
    c["iat"] = json!(now - 300);
    fx.verify(&sign(&c)).await.unwrap(); // exactly the maximum age

    let stricter = fx.options().max_age(Duration::from_secs(60));
    c["iat"] = json!(now - 61);
    let err = fx
        .client
        .authenticate_jwt_local(&sign(&c), stricter)
        .await
        .unwrap_err();
    assert_eq!(err.as_jwt().map(JwtError::code), Some("too_old"));
}

#[tokio::test]
async fn algorithms_other_than_rs256_are_unsupported() {
    let fx = Fixture::new();
    // HS256 with the public key's modulus as the secret: the classic confusion attack.
    let hs = rs256::sign_hs256(
        b"public key bytes",
        &rs256::header("HS256", Some(KID_1)),
        &claims(fx.now()),
    );
    let err = fx.reject(&hs).await;
    assert!(
        matches!(&err, JwtError::UnsupportedAlgorithm { alg } if alg == "HS256"),
        "{err:?}"
    );

    let none = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims(fx.now()).to_string().as_bytes())
    );
    // An empty signature segment is malformed before anything else is read.
    assert!(matches!(
        fx.reject(&none).await,
        JwtError::Malformed(MalformedJwt::Structure)
    ));
    let none = unsigned(&json!({"alg": "none", "kid": KID_1}), &claims(fx.now()));
    assert!(matches!(
        fx.reject(&none).await,
        JwtError::UnsupportedAlgorithm { alg } if alg == "none"
    ));
    let ps = unsigned(&json!({"alg": "PS256", "kid": KID_1}), &claims(fx.now()));
    assert_eq!(fx.reject(&ps).await.code(), "unsupported_algorithm");
    assert_eq!(
        fx.fetches(),
        0,
        "no JWKS fetch for a token refused by its header"
    );
}

#[tokio::test]
async fn malformed_tokens_are_rejected_without_a_fetch() {
    let fx = Fixture::new();
    let good = sign(&claims(fx.now()));
    let parts: Vec<&str> = good.split('.').collect();
    let header_ok = parts[0];
    let cases: Vec<(String, MalformedJwt)> = vec![
        (String::new(), MalformedJwt::Structure),
        ("not a jwt".to_owned(), MalformedJwt::Structure),
        (
            format!("{}.{}", parts[0], parts[1]),
            MalformedJwt::Structure,
        ),
        (format!("{good}.extra"), MalformedJwt::Structure),
        (
            format!("!!!.{}.{}", parts[1], parts[2]),
            MalformedJwt::Header,
        ),
        (
            format!("{}.{}.{}", b64(b"[1,2]"), parts[1], parts[2]),
            MalformedJwt::Header,
        ),
        (
            format!("{header_ok}.{}.$$$", parts[1]),
            MalformedJwt::Signature,
        ),
        (
            format!("{}.{}.{}", b64(br#"{"alg":"RS256"}"#), parts[1], parts[2]),
            MalformedJwt::MissingKeyId,
        ),
        (
            format!(
                "{}.{}.{}",
                b64(br#"{"alg":"RS256","kid":""}"#),
                parts[1],
                parts[2]
            ),
            MalformedJwt::MissingKeyId,
        ),
        (format!("Bearer {good}"), MalformedJwt::Header),
        (
            "x".repeat(MAX_JWT_LEN + 1),
            MalformedJwt::TooLarge {
                len: MAX_JWT_LEN + 1,
                limit: MAX_JWT_LEN,
            },
        ),
    ];
    for (jwt, expected) in cases {
        let err = fx.reject(&jwt).await;
        assert_eq!(
            err.code(),
            "malformed",
            "{:?}: {err:?}",
            &jwt[..jwt.len().min(40)]
        );
        match err {
            JwtError::Malformed(m) => assert_eq!(m, expected, "{:?}", &jwt[..jwt.len().min(40)]),
            other => panic!("{other:?}"),
        }
    }
    // A huge token that is otherwise valid is refused before parsing.
    let mut c = claims(fx.now());
    c["padding"] = json!("p".repeat(MAX_JWT_LEN));
    let huge = sign(&c);
    assert!(matches!(
        fx.reject(&huge).await,
        JwtError::Malformed(MalformedJwt::TooLarge { .. })
    ));
    assert_eq!(fx.fetches(), 0);
}

#[tokio::test]
async fn a_payload_that_is_not_a_json_object_is_malformed() {
    let fx = Fixture::new();
    // Signed properly, so the payload is reached.
    let header = b64(format!(r#"{{"alg":"RS256","typ":"JWT","kid":"{KID_1}"}}"#).as_bytes());
    for payload in [
        b64(b"[]"),
        b64(b"not json"),
        b64(b"\"string\""),
        "%%%".to_owned(),
    ] {
        let message = format!("{header}.{payload}");
        let signature = rs256::signature(KEY_1, &message);
        let jwt = format!("{message}.{signature}");
        assert!(
            matches!(
                fx.reject(&jwt).await,
                JwtError::Malformed(MalformedJwt::Claims)
            ),
            "{payload}"
        );
    }
}

#[tokio::test]
async fn missing_or_mistyped_claims_are_malformed_and_name_the_claim() {
    let fx = Fixture::new();
    let now = fx.now();
    let removed = |path: &[&str]| {
        let mut c = claims(now);
        let mut v = &mut c;
        for p in &path[..path.len() - 1] {
            v = v.get_mut(*p).unwrap();
        }
        v.as_object_mut().unwrap().remove(path[path.len() - 1]);
        c
    };
    let set = |path: &[&str], value: Value| {
        let mut c = claims(now);
        let mut v = &mut c;
        for p in path {
            v = v.get_mut(*p).unwrap();
        }
        *v = value;
        c
    };
    let cases = vec![
        (removed(&["iss"]), MalformedJwt::MissingClaim("iss")),
        (removed(&["exp"]), MalformedJwt::MissingClaim("exp")),
        (removed(&["iat"]), MalformedJwt::MissingClaim("iat")),
        (removed(&["sub"]), MalformedJwt::MissingClaim("sub")),
        (
            set(&["exp"], json!("soon")),
            MalformedJwt::InvalidClaim("exp"),
        ),
        (set(&["nbf"], json!({})), MalformedJwt::InvalidClaim("nbf")),
        (set(&["aud"], json!(7)), MalformedJwt::InvalidClaim("aud")),
        (set(&["sub"], json!(1)), MalformedJwt::InvalidClaim("sub")),
        (
            removed(&["https://stytch.com/session"]),
            MalformedJwt::MissingClaim("https://stytch.com/session"),
        ),
        (
            set(&["https://stytch.com/session"], json!("s")),
            MalformedJwt::InvalidClaim("https://stytch.com/session"),
        ),
        (
            removed(&["https://stytch.com/session", "id"]),
            MalformedJwt::MissingClaim("https://stytch.com/session.id"),
        ),
        (
            set(&["https://stytch.com/session", "roles"], json!([1])),
            MalformedJwt::InvalidClaim("https://stytch.com/session.roles"),
        ),
        (
            set(
                &["https://stytch.com/session", "authentication_factors"],
                json!(5),
            ),
            MalformedJwt::InvalidClaim("https://stytch.com/session.authentication_factors"),
        ),
        (
            set(&["https://stytch.com/session", "started_at"], json!(5)),
            MalformedJwt::InvalidClaim("https://stytch.com/session.started_at"),
        ),
        (
            removed(&["https://stytch.com/organization"]),
            MalformedJwt::MissingClaim("https://stytch.com/organization"),
        ),
        (
            removed(&["https://stytch.com/organization", "organization_id"]),
            MalformedJwt::MissingClaim("https://stytch.com/organization.organization_id"),
        ),
    ];
    for (c, expected) in cases {
        match fx.reject(&sign(&c)).await {
            JwtError::Malformed(m) => assert_eq!(m, expected),
            other => panic!("expected {expected:?}, got {other:?}"),
        }
    }
    // Optional parts may be absent or null.
    let mut c = claims(now);
    let session = c["https://stytch.com/session"].as_object_mut().unwrap();
    session.remove("roles");
    session.remove("attributes");
    session.insert("authentication_factors".into(), Value::Null);
    session.remove("started_at");
    c["https://stytch.com/organization"]
        .as_object_mut()
        .unwrap()
        .remove("slug");
    c.as_object_mut().unwrap().remove("nbf");
    let claims = fx.verify(&sign(&c)).await.unwrap();
    assert!(claims.roles.is_empty() && claims.authentication_factors.is_empty());
    assert_eq!(claims.started_at, "");
    assert_eq!(claims.not_before, None);
}

#[tokio::test]
async fn nothing_panics_on_garbage_or_damaged_tokens() {
    let fx = Fixture::new();
    let good = sign(&claims(fx.now()));
    // Every prefix of a valid token.
    for len in 0..good.len() {
        let _ = fx.reject(&good[..len]).await;
    }
    // Characters replaced in the header and payload (the signature then fails, or earlier).
    let bytes = good.as_bytes();
    let payload_end = good.rfind('.').unwrap();
    for (i, replacement) in (0..payload_end)
        .step_by(7)
        .zip(['A', '.', '-', '_', '=', 'é', ' '].iter().cycle())
    {
        let mut damaged = String::from_utf8_lossy(&bytes[..i]).into_owned();
        damaged.push(*replacement);
        damaged.push_str(&good[i + 1..]);
        if damaged != good {
            let _ = fx.reject(&damaged).await;
        }
    }
    // Junk.
    let junk = [
        "....",
        "a.b.c",
        "é.é.é",
        "\0.\0.\0",
        "eyJ.eyJ.eyJ",
        "=.=.=",
        "e30.e30.e30",
        "eyJhbGciOiJSUzI1NiJ9.e30.AA",
        "null.null.null",
    ];
    for jwt in junk {
        let _ = fx.reject(jwt).await;
    }
    // A header with a kid that is enormous, or not a string.
    let header = json!({"alg": "RS256", "kid": "k".repeat(4000)});
    let err = fx.reject(&unsigned(&header, &claims(fx.now()))).await;
    assert!(
        err.to_string().len() < 300,
        "attacker text is shortened: {err}"
    );
    let header = json!({"alg": "RS256", "kid": 5});
    let _ = fx.reject(&unsigned(&header, &claims(fx.now()))).await;
}

// ---------------------------------------------------------------------------------------------
// The JWKS cache.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_kid_triggers_one_refetch_then_is_unknown() {
    let fx = Fixture::new();
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 1);
    let err = fx
        .reject(&sign_with(
            KEY_2,
            Some("kid-nobody-knows"),
            &claims(fx.now()),
        ))
        .await;
    assert!(
        matches!(&err, JwtError::UnknownKey { kid, refetched: true } if kid == "kid-nobody-knows"),
        "{err:?}"
    );
    assert_eq!(err.code(), "unknown_key");
    assert_eq!(fx.fetches(), 2);
}

#[tokio::test]
async fn key_rotation_fetches_the_new_key_once() {
    let fx = Fixture::new();
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 1);

    // Stytch rotates: key 1 is gone, key 2 signs new tokens.
    fx.serve(Reply::Keys(vec![jwk(KEY_2, KID_2)]));
    fx.advance(2);
    for _ in 0..10 {
        let jwt = sign_with(KEY_2, Some(KID_2), &claims(fx.now()));
        fx.verify(&jwt).await.unwrap();
    }
    assert_eq!(fx.fetches(), 2, "the new kid was fetched once");
    assert_eq!(fx.client.jwks_cache().key_ids(), vec![KID_2.to_owned()]);

    // Old tokens now name a key that is gone; the refetch that would look for it is rate
    // limited (the last one was just now).
    let err = fx.reject(&sign(&claims(fx.now()))).await;
    assert!(
        matches!(
            err,
            JwtError::UnknownKey {
                refetched: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(fx.fetches(), 2);
}

#[tokio::test]
async fn refetches_for_unknown_kids_are_rate_limited() {
    let fx = Fixture::new();
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    let forged = |i: usize| {
        unsigned(
            &json!({"alg": "RS256", "typ": "JWT", "kid": format!("forged-{i}")}),
            &claims(T0),
        )
    };
    let mut refetched = 0;
    for i in 0..200 {
        if let JwtError::UnknownKey {
            refetched: true, ..
        } = fx.reject(&forged(i)).await
        {
            refetched += 1;
        }
    }
    assert_eq!(refetched, 1);
    assert_eq!(fx.fetches(), 2, "200 forged kids, one refetch");

    fx.advance(29);
    let _ = fx.reject(&forged(1000)).await;
    assert_eq!(fx.fetches(), 2, "still inside the 30 s interval");
    fx.advance(1);
    let _ = fx.reject(&forged(1001)).await;
    assert_eq!(fx.fetches(), 3, "one more refetch after 30 s");
    // Valid tokens keep verifying from the cache meanwhile.
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 3);
}

#[tokio::test]
async fn keys_are_refetched_after_the_ttl() {
    let fx = Fixture::with(
        None,
        Duration::ZERO,
        JwksOptions::default().ttl(Duration::from_secs(120)),
    );
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    fx.advance(119);
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 1);
    fx.advance(1);
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 2);

    // Default TTL: 10 minutes.
    let fx = Fixture::new();
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    fx.advance(599);
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 1);
    fx.advance(1);
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 2);
}

#[tokio::test]
async fn a_clock_that_jumps_backwards_does_not_freeze_the_cache() {
    let fx = Fixture::new();
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    // A refetch for an unknown kid, so the rate limit has a start time.
    let _ = fx
        .reject(&sign_with(KEY_2, Some("unknown"), &claims(fx.now())))
        .await;
    assert_eq!(fx.fetches(), 2);
    fx.serve(Reply::Keys(vec![jwk(KEY_1, KID_1), jwk(KEY_2, KID_2)]));
    fx.set_now(T0 - 3600);
    // Keys fetched "in the future" count as stale: one refetch, and the new key is found.
    fx.verify(&sign_with(KEY_2, Some(KID_2), &claims(fx.now())))
        .await
        .unwrap();
    assert_eq!(fx.fetches(), 3);
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 3, "then the cache works from the new time on");
}

#[tokio::test]
async fn a_jwks_fetch_failure_is_its_own_error_and_is_not_retried_at_once() {
    let fx = Fixture::new();
    fx.serve(Reply::Status(500, r#"{"status_code":500,"request_id":"req-1","error_type":"internal_server_error","error_message":"boom"}"#));
    let jwt = sign(&claims(fx.now()));
    let err = fx.reject(&jwt).await;
    match &err {
        JwtError::JwksFetch(inner) => {
            assert_eq!(
                inner.status(),
                Some(http::StatusCode::INTERNAL_SERVER_ERROR)
            );
            assert_eq!(inner.request_id(), Some("req-1"));
        }
        other => panic!("expected JwksFetch, got {other:?}"),
    }
    assert_eq!(err.code(), "jwks_fetch");
    assert!(!err.is_token_rejected());
    assert!(std::error::Error::source(&err).is_some());

    // Backing off: the same failure, no new fetch.
    fx.serve(Reply::Keys(vec![jwk(KEY_1, KID_1)]));
    fx.advance(10);
    assert_eq!(fx.reject(&jwt).await.code(), "jwks_fetch");
    assert_eq!(fx.fetches(), 1);
    // After the interval the fetch is tried again and succeeds.
    fx.advance(20);
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 2);
}

#[tokio::test]
async fn transport_failures_and_bad_bodies_are_jwks_fetch_errors() {
    let fx = Fixture::new();
    fx.serve(Reply::TransportFailure);
    let err = fx.reject(&sign(&claims(fx.now()))).await;
    assert!(
        matches!(&err, JwtError::JwksFetch(inner) if matches!(**inner, Error::Transport(_))),
        "{err:?}"
    );

    let fx = Fixture::new();
    fx.serve(Reply::Status(200, r#"{"keys": "not a list"}"#));
    let err = fx.reject(&sign(&claims(fx.now()))).await;
    assert!(
        matches!(&err, JwtError::JwksFetch(inner) if matches!(**inner, Error::Decode(_))),
        "{err:?}"
    );

    let fx = Fixture::new();
    fx.serve(Reply::Status(502, "<html>bad gateway</html>"));
    let err = fx.reject(&sign(&claims(fx.now()))).await;
    assert!(
        matches!(&err, JwtError::JwksFetch(inner) if matches!(**inner, Error::Http(_))),
        "{err:?}"
    );

    // A JWKS without usable keys: the kid is unknown.
    let fx = Fixture::new();
    fx.serve(Reply::Keys(vec![json!({"kty": "EC", "kid": KID_1})]));
    let err = fx.reject(&sign(&claims(fx.now()))).await;
    assert!(matches!(err, JwtError::UnknownKey { .. }), "{err:?}");
}

#[tokio::test]
async fn a_jwks_error_page_that_echoes_the_credentials_does_not_show_them() {
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{PROJECT}:{SECRET}"));
    // A proxy's page that echoes the request's headers, as some do.
    let page: &'static str =
        format!("<pre>Authorization: Basic {basic}\nsecret={SECRET}</pre>").leak();
    let fx = Fixture::new();
    fx.serve(Reply::Status(502, page));
    let err = fx.reject(&sign(&claims(fx.now()))).await;
    let JwtError::JwksFetch(inner) = &err else {
        panic!("{err:?}");
    };
    let Error::Http(http) = &**inner else {
        panic!("{inner:?}");
    };
    assert!(
        !http.body_excerpt().contains(SECRET),
        "{}",
        http.body_excerpt()
    );
    assert!(!http.body_excerpt().contains(&basic));
    assert!(http.body_excerpt().contains("<redacted>"));
}

#[tokio::test]
async fn stale_keys_keep_working_while_a_refresh_fails() {
    let fx = Fixture::new();
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    fx.serve(Reply::Status(503, "unavailable"));
    fx.advance(600); // the TTL has run out
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 2, "the refresh was tried");
    fx.advance(5);
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    assert_eq!(fx.fetches(), 2, "and is not retried inside the interval");
    // An unknown kid meanwhile: the JWKS cannot be checked, so it is a fetch failure.
    let err = fx
        .reject(&sign_with(KEY_2, Some(KID_2), &claims(fx.now())))
        .await;
    assert_eq!(err.code(), "jwks_fetch");
    // Once the endpoint is back, the next attempt refreshes.
    fx.serve(Reply::Keys(vec![jwk(KEY_1, KID_1), jwk(KEY_2, KID_2)]));
    fx.advance(30);
    fx.verify(&sign_with(KEY_2, Some(KID_2), &claims(fx.now())))
        .await
        .unwrap();
    assert_eq!(fx.fetches(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_verifications_share_one_fetch() {
    let fx = Arc::new(Fixture::with(
        None,
        Duration::from_millis(150),
        JwksOptions::default(),
    ));
    let jwt = Arc::new(sign(&claims(fx.now())));
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let fx = Arc::clone(&fx);
            let jwt = Arc::clone(&jwt);
            tokio::spawn(async move { fx.verify(&jwt).await.map(|c| c.member_id) })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "member-test-0001");
    }
    assert_eq!(fx.fetches(), 1, "64 concurrent verifications, one fetch");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_verifications_share_one_failed_fetch() {
    // No back-off interval, so only the single flight keeps waiters from fetching again.
    let fx = Arc::new(Fixture::with(
        None,
        Duration::from_millis(150),
        JwksOptions::default().min_refetch_interval(Duration::ZERO),
    ));
    fx.serve(Reply::Status(500, "oops"));
    let jwt = Arc::new(sign(&claims(fx.now())));
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let fx = Arc::clone(&fx);
            let jwt = Arc::clone(&jwt);
            tokio::spawn(async move { fx.verify(&jwt).await })
        })
        .collect();
    for task in tasks {
        let err = task.await.unwrap().unwrap_err();
        assert_eq!(err.as_jwt().map(JwtError::code), Some("jwks_fetch"));
    }
    assert_eq!(fx.fetches(), 1, "one failed fetch, shared");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_unknown_kids_share_one_refetch() {
    // No rate limit, so only the single flight keeps waiters from refetching again.
    let fx = Arc::new(Fixture::with(
        None,
        Duration::from_millis(150),
        JwksOptions::default().min_refetch_interval(Duration::ZERO),
    ));
    fx.verify(&sign(&claims(fx.now()))).await.unwrap();
    fx.serve(Reply::Keys(vec![jwk(KEY_1, KID_1), jwk(KEY_2, KID_2)]));
    let rotated = Arc::new(sign_with(KEY_2, Some(KID_2), &claims(fx.now())));
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let fx = Arc::clone(&fx);
            let jwt = Arc::clone(&rotated);
            tokio::spawn(async move { fx.verify(&jwt).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(fx.fetches(), 2, "the initial fetch and one shared refetch");
}

// ---------------------------------------------------------------------------------------------
// The error's shape.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn errors_name_the_check_and_never_show_the_token() {
    let fx = Fixture::new();
    let now = fx.now();
    let mut expired = claims(now - 400);
    expired["exp"] = json!(now - 100);
    let jwt = sign(&expired);
    let err = fx.verify(&jwt).await.unwrap_err();
    assert_no_leak(&jwt, &err);
    assert!(err.to_string().contains("expired"), "{err}");
    assert!(matches!(&err, Error::Jwt(_)));
    assert!(!err.is_retryable());
    assert_eq!(err.status(), None);
    // The options' Debug shows no secret either, just the settings.
    let shown = format!("{:?}", fx.options());
    assert!(
        shown.contains("max_age") && shown.contains("Clock::Custom"),
        "{shown}"
    );
    // Nor does the client's or the cache's Debug show keys' material.
    let _ = format!("{:?} {:?}", fx.client, fx.client.jwks_cache());
}

#[test]
fn defaults_are_as_documented() {
    let options = JwtVerifyOptions::default();
    assert_eq!(options.max_age, Duration::from_secs(300));
    assert_eq!(options.clock_tolerance, Duration::from_secs(5));
    let now = SystemTime::now();
    assert!(options.clock.now() >= now);
    let jwks = JwksOptions::default();
    assert_eq!(jwks.ttl, Duration::from_secs(600));
    assert_eq!(jwks.min_refetch_interval, Duration::from_secs(30));
}

// ---------------------------------------------------------------------------------------------
// The verified-token cache.
// ---------------------------------------------------------------------------------------------

/// How many tokens the verified-token cache holds, and how many calls it answered.
fn remembered(cache: &stytch_b2b_passwords::JwksCache) -> (usize, u64) {
    (cache.verified_token_count(), cache.verified_token_hits())
}

/// A client remembering at most `capacity` verified tokens, with the given JWKS TTL.
fn token_cache_fixture(capacity: usize, ttl: Duration) -> Fixture {
    Fixture::with(
        None,
        Duration::ZERO,
        JwksOptions::default()
            .verified_token_capacity(capacity)
            .ttl(ttl),
    )
}

#[test]
fn the_verified_token_cache_is_bounded_by_default() {
    assert_eq!(JwksOptions::default().verified_token_capacity, 1024);
    assert_eq!(
        JwksOptions::default()
            .verified_token_capacity(0)
            .verified_token_capacity,
        0
    );
}

#[tokio::test]
async fn a_token_seen_again_is_answered_from_the_cache_after_the_time_checks() {
    let fx = Fixture::new();
    let cache = fx.client.jwks_cache();
    let jwt = sign(&claims(fx.now()));
    let first = fx.verify(&jwt).await.unwrap();
    assert_eq!(remembered(cache), (1, 0));

    fx.advance(10);
    let second = fx.verify(&jwt).await.unwrap();
    assert_eq!(second, first, "the same claims");
    assert_eq!(remembered(cache), (1, 1));
    assert_eq!(fx.fetches(), 1);

    // The maximum age applies to a remembered token as to a new one, per call.
    let strict = fx.options().max_age(Duration::from_secs(5));
    let err = fx
        .client
        .authenticate_jwt_local(&jwt, strict)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.as_jwt(),
            Some(JwtError::TooOld {
                age_secs: 10,
                max_age_secs: 5
            })
        ),
        "{err:?}"
    );
    assert_eq!(cache.verified_token_hits(), 2);
    fx.verify(&jwt).await.unwrap();
    assert_eq!(remembered(cache), (1, 3));

    // Rejected tokens are not remembered.
    let forged = sign_with(KEY_2, Some(KID_1), &claims(fx.now()));
    for _ in 0..2 {
        assert_eq!(fx.reject(&forged).await.code(), "bad_signature");
    }
    assert_eq!(remembered(cache), (1, 3));
}

#[tokio::test]
async fn a_cached_token_expires_with_its_exp_and_is_evicted() {
    let fx = Fixture::new();
    let cache = fx.client.jwks_cache();
    let jwt = sign(&claims(fx.now()));
    fx.verify(&jwt).await.unwrap();
    // exp is T0 + 300, the clock tolerance 5 s (and the maximum age 300 s).
    fx.advance(299);
    fx.verify(&jwt).await.unwrap();
    assert_eq!(cache.verified_token_hits(), 1);
    fx.advance(6);
    let err = fx.reject(&jwt).await;
    assert!(
        matches!(err, JwtError::Expired { expired_at, now } if expired_at == T0 as i64 + 300 && now == T0 as i64 + 305),
        "{err:?}"
    );
    assert_eq!(cache.verified_token_count(), 0, "the expired entry is gone");
    // Verified in full again, it fails the same way and is not remembered.
    assert_eq!(fx.reject(&jwt).await.code(), "expired");
    assert_eq!(remembered(cache), (0, 2));
}

#[tokio::test]
async fn a_key_gone_from_a_refetched_jwks_evicts_its_tokens() {
    let fx = Fixture::new();
    let cache = fx.client.jwks_cache();
    let old = sign(&claims(fx.now()));
    fx.verify(&old).await.unwrap();
    assert_eq!(cache.verified_token_count(), 1);

    // Stytch rotates: key 1 is revoked, key 2 signs. A key-2 token makes the cache refetch.
    fx.serve(Reply::Keys(vec![jwk(KEY_2, KID_2)]));
    let new = sign_with(KEY_2, Some(KID_2), &claims(fx.now()));
    fx.verify(&new).await.unwrap();
    assert_eq!(fx.fetches(), 2);
    assert_eq!(
        cache.verified_token_count(),
        1,
        "only the key-2 token is left"
    );

    // The old token is refused as without the cache: its key is unknown (refetch rate limited).
    let err = fx.reject(&old).await;
    assert!(
        matches!(
            &err,
            JwtError::UnknownKey {
                refetched: false,
                ..
            }
        ),
        "{err:?}"
    );
    fx.verify(&new).await.unwrap();
    assert_eq!(cache.verified_token_hits(), 1);
}

#[tokio::test]
async fn a_key_replaced_under_the_same_kid_is_checked_again_and_an_unchanged_one_is_not() {
    // The JWKS is refetched after 60 s; the token lives 300 s.
    let fx = token_cache_fixture(16, Duration::from_secs(60));
    let cache = fx.client.jwks_cache();
    let jwt = sign(&claims(fx.now()));
    fx.verify(&jwt).await.unwrap();

    // A refetch that serves the same key keeps the token remembered.
    fx.advance(61);
    fx.verify(&jwt).await.unwrap();
    assert_eq!(fx.fetches(), 2);
    assert_eq!(remembered(cache), (1, 1));

    // Key 1's kid now names key 2's material: the remembered token is checked against it.
    fx.serve(Reply::Keys(vec![jwk(KEY_2, KID_1)]));
    fx.advance(61);
    let err = fx.reject(&jwt).await;
    assert!(
        matches!(&err, JwtError::BadSignature { kid } if kid == KID_1),
        "{err:?}"
    );
    assert_eq!(fx.fetches(), 3);
    assert_eq!(remembered(cache), (0, 1));
}

#[tokio::test]
async fn the_cache_holds_at_most_its_capacity_dropping_expired_then_soonest_to_expire() {
    let fx = token_cache_fixture(2, Duration::from_secs(600));
    let cache = fx.client.jwks_cache();
    let token = |sub: &str, lifetime: u64| {
        let mut c = claims(fx.now());
        c["sub"] = json!(sub);
        c["exp"] = json!(fx.now() + lifetime);
        sign(&c)
    };
    let long = token("member-test-long", 300);
    let short = token("member-test-short", 100);
    let middle = token("member-test-middle", 200);
    fx.verify(&long).await.unwrap();
    fx.verify(&short).await.unwrap();
    assert_eq!(cache.verified_token_count(), 2);
    // Full: the entry that expires soonest (`short`) makes room.
    fx.verify(&middle).await.unwrap();
    assert_eq!(cache.verified_token_count(), 2);
    fx.verify(&long).await.unwrap();
    fx.verify(&middle).await.unwrap();
    assert_eq!(cache.verified_token_hits(), 2);
    fx.verify(&short).await.unwrap();
    assert_eq!(
        cache.verified_token_hits(),
        2,
        "`short` was verified in full again"
    );
    assert_eq!(cache.verified_token_count(), 2);

    // Expired entries go first: at T0 + 250, `short` has expired and makes room for `fresh`.
    fx.advance(250);
    let fresh = token("member-test-fresh", 300);
    fx.verify(&fresh).await.unwrap();
    assert_eq!(cache.verified_token_count(), 2);
    fx.verify(&long).await.unwrap();
    fx.verify(&fresh).await.unwrap();
    assert_eq!(
        cache.verified_token_hits(),
        4,
        "`long` and `fresh` are both remembered"
    );
}

#[tokio::test]
async fn a_capacity_of_zero_turns_the_cache_off() {
    let fx = token_cache_fixture(0, Duration::from_secs(600));
    let cache = fx.client.jwks_cache();
    let jwt = sign(&claims(fx.now()));
    for _ in 0..3 {
        fx.verify(&jwt).await.unwrap();
    }
    assert_eq!(remembered(cache), (0, 0));
    assert_eq!(fx.fetches(), 1);
}

#[tokio::test]
async fn concurrent_verifications_of_one_token_remember_it_once() {
    let fx = Arc::new(Fixture::new());
    let jwt = sign(&claims(fx.now()));
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let fx = Arc::clone(&fx);
            let jwt = jwt.clone();
            tokio::spawn(async move { fx.verify(&jwt).await.map(|c| c.member_id) })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), "member-test-0001");
    }
    let cache = fx.client.jwks_cache();
    assert_eq!(cache.verified_token_count(), 1);
    assert_eq!(fx.fetches(), 1);
    fx.verify(&jwt).await.unwrap();
    assert!(cache.verified_token_hits() >= 1);
}
