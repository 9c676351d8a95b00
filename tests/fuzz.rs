//! Fuzzing that stays in the project: property tests over every response decoder and the local
//! JWT verifier, from real bodies and a real token mutated byte by byte. Whatever comes back, no
//! call panics and no error (Display, Debug, source chain) holds a secret: not the response's
//! tokens, not the request's password, reset token or credentials, not a part of the JWT.
//!
//! A fixed seed and a bounded number of cases make every run the same, and quick enough for
//! `cargo test` (a few seconds in a debug build).

use base64::Engine as _;
use bytes::Bytes;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Value};
use stytch_b2b_passwords::wire::{build_request, parse_response_for, Endpoint, SentValues};
use stytch_b2b_passwords::*;

/// The seed of every run (XorShift takes 16 bytes).
const SEED: [u8; 16] = *b"stytch-fuzz-12-a";

// Recognisable secrets, in the response bodies and in the requests.
const SESSION_TOKEN: &str = "tok-SECRET-1234567890";
const SESSION_JWT: &str = "eyJSECRETjwt.eyJSECRETclaims.SECRETsignature";
/// Only letters and digits: it passes for a field name, so only the JSON grammar keeps it out of
/// a path.
const IST: &str = "SECRETist0123456789abcdef";
const PASSWORD: &str = "pw-SECRET-correct-horse";
const RESET_TOKEN: &str = "reset-SECRET-token-42";
const PKCE_VERIFIER: &str = "pkce-SECRET-verifier-7";
const MEMBER_SESSION: &str = "member-SECRET-session-9";
const HASH: &str = "$2a$10$SECREThashSECREThashSECRETha";
const PROJECT_SECRET: &str = "project-SECRET-5678";

fn credentials() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("project-test-1:{PROJECT_SECRET}"))
}

fn secrets() -> Vec<String> {
    let mut all: Vec<String> = [
        SESSION_TOKEN,
        SESSION_JWT,
        IST,
        PASSWORD,
        RESET_TOKEN,
        PKCE_VERIFIER,
        MEMBER_SESSION,
        HASH,
        PROJECT_SECRET,
    ]
    .map(str::to_owned)
    .to_vec();
    all.push(credentials());
    all
}

fn runner(cases: u32) -> TestRunner {
    let config = RunnerConfig {
        cases,
        max_shrink_iters: 512,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::XorShift, &SEED))
}

/// Checks Display, Debug and the source chain of `err` for each of `secrets`.
fn check_error(
    err: &(dyn std::error::Error + 'static),
    secrets: &[String],
) -> Result<(), TestCaseError> {
    let mut next = Some(err);
    while let Some(e) = next {
        let shown = format!("{e} {e:?} {e:#?}");
        for secret in secrets {
            prop_assert!(!shown.contains(secret.as_str()), "{secret} in {shown}");
        }
        next = e.source();
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Mutations.
// ---------------------------------------------------------------------------------------------

/// Where a mutation applies: anywhere, or a few bytes around a secret, where a broken body
/// could turn the secret into something an error names (a key, a path, a message).
#[derive(Clone, Debug)]
enum At {
    Anywhere(Index),
    NearSecret(Index, i8),
}

impl At {
    /// The position in a string of `len` bytes (`0..len`, or `0..=len` when `inclusive`).
    /// `anchors` are where the secrets start in the unmutated text: close enough after a few
    /// earlier mutations.
    fn position(&self, len: usize, anchors: &[usize], inclusive: bool) -> usize {
        let len = len + usize::from(inclusive);
        match self {
            At::NearSecret(which, offset) if !anchors.is_empty() => anchors
                [which.index(anchors.len())]
            .saturating_add_signed(isize::from(*offset))
            .min(len - 1),
            At::Anywhere(at) | At::NearSecret(at, _) => at.index(len),
        }
    }
}

/// Where each of `targets` starts in `bytes`.
fn anchors(bytes: &[u8], targets: &[&str]) -> Vec<usize> {
    let text = String::from_utf8_lossy(bytes);
    targets
        .iter()
        .flat_map(|t| text.match_indices(t).map(|(i, _)| i).collect::<Vec<_>>())
        .collect()
}

/// One change to a byte string.
#[derive(Clone, Debug)]
enum Mutation {
    Delete(At),
    Insert(At, u8),
    Replace(At, u8),
    Truncate(At),
    DeleteRange(At, usize),
    Duplicate(At, usize),
}

fn at() -> impl Strategy<Value = At> {
    prop_oneof![
        any::<Index>().prop_map(At::Anywhere),
        (any::<Index>(), -8i8..8).prop_map(|(which, offset)| At::NearSecret(which, offset)),
    ]
}

/// Bytes that steer a JSON parser somewhere else, and any byte at all.
fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => prop::sample::select(b"{}[]\":,\\ 0-.etnfu".to_vec()),
        1 => any::<u8>(),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        at().prop_map(Mutation::Delete),
        (at(), byte()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (at(), byte()).prop_map(|(at, b)| Mutation::Replace(at, b)),
        at().prop_map(Mutation::Truncate),
        (at(), 1..64usize).prop_map(|(at, n)| Mutation::DeleteRange(at, n)),
        (at(), 1..64usize).prop_map(|(at, n)| Mutation::Duplicate(at, n)),
    ]
}

/// Applies `mutations` in turn; `anchors` are the positions a mutation may aim next to.
fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation], anchors: &[usize]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len();
        if len == 0 {
            break;
        }
        match m {
            Mutation::Delete(at) => {
                bytes.remove(at.position(len, anchors, false));
            }
            Mutation::Insert(at, b) => bytes.insert(at.position(len, anchors, true), *b),
            Mutation::Replace(at, b) => bytes[at.position(len, anchors, false)] = *b,
            Mutation::Truncate(at) => bytes.truncate(at.position(len, anchors, false)),
            Mutation::DeleteRange(at, n) => {
                let start = at.position(len, anchors, false);
                bytes.drain(start..(start + n).min(len));
            }
            Mutation::Duplicate(at, n) => {
                let start = at.position(len, anchors, false);
                let copy = bytes[start..(start + n).min(len)].to_vec();
                bytes.splice(start..start, copy);
            }
        }
    }
    bytes
}

// ---------------------------------------------------------------------------------------------
// Every response decoder.
// ---------------------------------------------------------------------------------------------

/// A full success body of every endpoint (the fixtures), with the tokens swapped for the
/// recognisable secrets above, at any depth.
fn success_body(fixture: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    swap_tokens(&mut body);
    body.to_string().into_bytes()
}

/// The same body with its nested objects and arrays left out: small, so a mutation lands on an
/// identifying field or a token more often.
fn small_body(full: &[u8]) -> Vec<u8> {
    let mut body: Value = serde_json::from_slice(full).unwrap_or_default();
    if let Some(map) = body.as_object_mut() {
        map.retain(|_, v| !v.is_object() && !v.is_array());
    }
    body.to_string().into_bytes()
}

fn swap_tokens(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match key.as_str() {
                    "session_token" => *v = json!(SESSION_TOKEN),
                    "session_jwt" => *v = json!(SESSION_JWT),
                    "intermediate_session_token" => *v = json!(IST),
                    _ => swap_tokens(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(swap_tokens),
        _ => {}
    }
}

/// What one request sent, a page that echoes it, and the secrets it carried.
struct Sent {
    values: SentValues,
    echo: Vec<u8>,
    carried: Vec<String>,
}

/// Three requests: between them, every kind of request secret.
fn sent_values() -> Vec<Sent> {
    let config =
        Config::new("project-test-1", Secret::new(PROJECT_SECRET), None, None).expect("config");
    let requests = [
        (
            build_request(
                &config,
                &EmailResetRequest::new(RESET_TOKEN, PASSWORD)
                    .session_jwt(SESSION_JWT)
                    .code_verifier(PKCE_VERIFIER)
                    .intermediate_session_token(IST),
            ),
            vec![RESET_TOKEN, PASSWORD, SESSION_JWT, PKCE_VERIFIER, IST],
        ),
        (
            build_request(
                &config,
                &EmailRequireResetRequest::new("ada@example.com")
                    .member_session_token(MEMBER_SESSION),
            ),
            vec![MEMBER_SESSION],
        ),
        (
            build_request(
                &config,
                &MigrateRequest::new("ada@example.com", HASH, HashType::Bcrypt, "org-1"),
            ),
            vec![HASH],
        ),
    ];
    requests
        .into_iter()
        .map(|(request, carried)| {
            let request = request.expect("request");
            let mut carried: Vec<String> = carried.into_iter().map(str::to_owned).collect();
            carried.push(credentials());
            // A page that echoes the whole request, as some proxies and firewalls do.
            let mut echo = String::from("<html><pre>");
            for (name, value) in request.headers() {
                echo += &format!("{name}: {}\n", value.to_str().unwrap_or_default());
            }
            echo += &String::from_utf8_lossy(request.body());
            echo += "</pre></html>";
            Sent {
                values: SentValues::of(&request),
                echo: echo.into_bytes(),
                carried,
            }
        })
        .collect()
}

/// Parses `body` with status `status` as the response of `E` to the request `sent`, checks the
/// error if there is one, and says whether the body decoded.
///
/// A decode error (2xx) must show no secret at all: it is built from the body's structure only.
/// An error from another status shows the server's own texts (an API error's message, an HTTP
/// error's excerpt behind its accessor), but never a value the request carried.
fn decode_as<E: Endpoint>(
    sent: &Sent,
    status: u16,
    body: Vec<u8>,
    secrets: &[String],
) -> Result<bool, TestCaseError> {
    let response = http::Response::builder()
        .status(status)
        .body(Bytes::from(body))
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let Err(err) = parse_response_for::<E>(&sent.values, response) else {
        return Ok(true);
    };
    if (200..300).contains(&status) {
        prop_assert!(matches!(err, Error::Decode(_)), "{err:?}");
        check_error(&err, secrets)?;
    } else {
        check_error(&err, &sent.carried)?;
    }
    if let Error::Http(http) = &err {
        for secret in &sent.carried {
            prop_assert!(!http.body_excerpt().contains(secret.as_str()));
        }
    }
    Ok(false)
}

type Decoder = fn(&Sent, u16, Vec<u8>, &[String]) -> Result<bool, TestCaseError>;

/// Every endpoint's decoder, with the fixture of its full success body.
const DECODERS: [(&str, Decoder); 11] = [
    ("strength_check.json", decode_as::<StrengthCheckRequest>),
    ("migrate.json", decode_as::<MigrateRequest>),
    ("authenticate.json", decode_as::<AuthenticateRequest>),
    (
        "email_reset_start.json",
        decode_as::<EmailResetStartRequest>,
    ),
    ("email_reset.json", decode_as::<EmailResetRequest>),
    (
        "email_require_reset.json",
        decode_as::<EmailRequireResetRequest>,
    ),
    ("sessions_reset.json", decode_as::<SessionsResetRequest>),
    (
        "existing_password_reset.json",
        decode_as::<ExistingPasswordResetRequest>,
    ),
    (
        "discovery_authenticate.json",
        decode_as::<DiscoveryAuthenticateRequest>,
    ),
    (
        "discovery_email_reset_start.json",
        decode_as::<DiscoveryEmailResetStartRequest>,
    ),
    (
        "discovery_email_reset.json",
        decode_as::<DiscoveryEmailResetRequest>,
    ),
];

#[test]
fn no_response_body_panics_a_decoder_or_puts_a_secret_in_an_error() {
    let sent = sent_values();
    let secrets = secrets();
    let targets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    // Each body to start from, with where its secrets are.
    let with_anchors = |body: Vec<u8>| {
        let at = anchors(&body, &targets);
        (body, at)
    };
    let successes: Vec<_> = DECODERS
        .iter()
        .map(|(f, _)| with_anchors(success_body(f)))
        .collect();
    let small: Vec<_> = successes
        .iter()
        .map(|(b, _)| with_anchors(small_body(b)))
        .collect();
    let echoes: Vec<_> = sent.iter().map(|s| with_anchors(s.echo.clone())).collect();
    let stytch_error = json!({
        "status_code": 401,
        "request_id": "request-id-test-1",
        "error_type": "unauthorized_credentials",
        "error_message": "Unauthorized credentials.",
        "error_url": "https://stytch.com/docs/api/errors/401"
    })
    .to_string()
    .into_bytes();
    let stytch_error = with_anchors(stytch_error);

    let case = (
        0..DECODERS.len(),
        0..sent.len(),
        // The success body (full or small), the echo page or a Stytch error, under a 2xx or
        // another status.
        prop_oneof![3 => Just(0usize), 3 => Just(1usize), 1 => Just(2usize), 1 => Just(3usize)],
        prop::sample::select(vec![
            200u16, 200, 200, 201, 400, 401, 403, 429, 500, 502, 503,
        ]),
        prop::collection::vec(mutation(), 0..5),
    );
    let result = runner(10_000).run(&case, |(decoder, request, body, status, mutations)| {
        let (body, at) = match body {
            0 => &successes[decoder],
            1 => &small[decoder],
            2 => &echoes[request],
            _ => &stytch_error,
        };
        let body = mutate(body.clone(), &mutations, at);
        DECODERS[decoder].1(&sent[request], status, body, &secrets).map(|_| ())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

#[test]
fn the_unmutated_bodies_decode_so_the_fuzzing_starts_from_valid_input() {
    let sent = &sent_values()[0];
    for (fixture, decode) in DECODERS {
        let decoded = decode(sent, 200, success_body(fixture), &secrets());
        assert!(matches!(decoded, Ok(true)), "{fixture}: {decoded:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The JWT verifier, through the public API only.
// ---------------------------------------------------------------------------------------------

/// Black-box, through `PasswordsClient::authenticate_jwt_local` and a JWKS served by a fake
/// transport, so it holds whatever crypto backend verifies the signature.
#[cfg(feature = "jwt")]
mod jwt_verifier {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    /// `tests/fixtures/jwt/fuzz_seed.json`: a signed token, the JWKS that verifies it, and when.
    struct JwtSeed {
        project_id: String,
        now: u64,
        token: String,
        jwks: Value,
    }

    fn jwt_seed() -> JwtSeed {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/jwt/fuzz_seed.json"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let seed: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        JwtSeed {
            project_id: seed["project_id"].as_str().expect("project_id").to_owned(),
            now: seed["now"].as_u64().expect("now"),
            token: seed["token"].as_str().expect("token").to_owned(),
            jwks: seed["jwks"].clone(),
        }
    }

    /// The seed, and a runtime to verify on.
    fn seed_and_runtime() -> (JwtSeed, tokio::runtime::Runtime) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        (jwt_seed(), runtime)
    }

    /// A client whose transport answers the JWKS request with `jwks` (status 200).
    fn jwks_client(project_id: &str, jwks: Bytes) -> PasswordsClient {
        let transport = transport::transport_fn(move |_request| {
            let jwks = jwks.clone();
            async move {
                http::Response::builder()
                    .status(200)
                    .body(jwks)
                    .map_err(|e| TransportError::new(TransportErrorKind::Io, e.to_string()))
            }
        });
        PasswordsClient::builder(project_id, PROJECT_SECRET)
            .transport(transport)
            .build()
            .expect("client")
    }

    /// The parts of a token that must not show in an error: the whole, and every long segment.
    fn token_parts(token: &str) -> Vec<String> {
        let mut parts: Vec<String> = token
            .split('.')
            .filter(|p| p.len() >= 16)
            .map(str::to_owned)
            .collect();
        if token.len() >= 16 {
            parts.push(token.to_owned());
        }
        parts
    }

    fn options(now: u64) -> jwt::JwtVerifyOptions {
        jwt::JwtVerifyOptions::default()
            .clock(jwt::Clock::fixed(UNIX_EPOCH + Duration::from_secs(now)))
    }

    #[test]
    fn no_token_panics_the_jwt_verifier_or_shows_in_its_error() {
        let (seed, runtime) = seed_and_runtime();
        let jwks = Bytes::from(seed.jwks.to_string());
        let client = jwks_client(&seed.project_id, jwks);
        // The seed verifies: the mutations start from a token that passes every check.
        let claims = runtime
            .block_on(client.authenticate_jwt_local(&seed.token, options(seed.now)))
            .expect("the seed token verifies");
        assert_eq!(claims.member_id, "member-test-0001");

        // Mutate the token as text, or its header or claims as JSON (then encoded again).
        let segment = prop_oneof![Just(None), Just(Some(0usize)), Just(Some(1usize))];
        let case = (segment, prop::collection::vec(mutation(), 1..5));
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let text = seed.token.clone().into_bytes();
        let text_anchors = anchors(&text, &["."]);
        let parts: Vec<String> = seed.token.split('.').map(str::to_owned).collect();
        let keys = ["\"alg\"", "\"kid\"", "\"iss\"", "\"aud\"", "\"exp\""];
        let segments: Vec<(Vec<u8>, Vec<usize>)> = parts[..2]
            .iter()
            .map(|part| {
                let json = b64.decode(part).unwrap_or_default();
                let at = anchors(&json, &keys);
                (json, at)
            })
            .collect();
        let result = runner(1000).run(&case, |(segment, mutations)| {
            let token = match segment {
                None => String::from_utf8_lossy(&mutate(text.clone(), &mutations, &text_anchors))
                    .into_owned(),
                Some(i) => {
                    let mut parts = parts.clone();
                    let (json, at) = &segments[i];
                    parts[i] = b64.encode(mutate(json.clone(), &mutations, at));
                    parts.join(".")
                }
            };
            let result = runtime.block_on(client.authenticate_jwt_local(&token, options(seed.now)));
            if let Err(err) = result {
                check_error(&err, &token_parts(&token))?;
                check_error(&err, &token_parts(&seed.token))?;
            }
            Ok(())
        });
        if let Err(failure) = result {
            panic!("{failure}");
        }
    }

    #[test]
    fn no_jwks_body_panics_the_verifier_or_shows_the_token() {
        let (seed, runtime) = seed_and_runtime();
        let jwks = seed.jwks.to_string().into_bytes();
        let at = anchors(
            &jwks,
            &["\"keys\"", "\"kid\"", "\"kty\"", "\"n\"", "\"alg\""],
        );
        let case = prop::collection::vec(mutation(), 1..5);
        let result = runner(500).run(&case, |mutations| {
            let body = Bytes::from(mutate(jwks.clone(), &mutations, &at));
            let client = jwks_client(&seed.project_id, body);
            let result =
                runtime.block_on(client.authenticate_jwt_local(&seed.token, options(seed.now)));
            if let Err(err) = result {
                check_error(&err, &token_parts(&seed.token))?;
            }
            Ok(())
        });
        if let Err(failure) = result {
            panic!("{failure}");
        }
    }
}
