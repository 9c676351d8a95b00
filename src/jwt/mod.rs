//! Local verification of session JWTs (feature `jwt`).
//!
//! Every password endpoint that logs a Member in returns a `session_jwt`. Checking it on each of
//! the application's own requests with [`PasswordsClient::authenticate_jwt_local`] costs tens of
//! microseconds instead of a round trip to Stytch. It checks:
//!
//! - the RS256 signature, against the project's JWKS (fetched from
//!   `GET {base_url}/v1/b2b/sessions/jwks/{project_id}` through the client's own
//!   [`HttpTransport`], lazily, cached; see [`JwksCache`]);
//! - `iss`: `stytch.com/{project_id}`, or the configured base URL (custom domains issue that);
//! - `aud`: a string or an array that contains the project id;
//! - `exp`, `nbf` and `iat` (not in the future), each with [`JwtVerifyOptions::clock_tolerance`];
//! - the age: `now - iat <= `[`JwtVerifyOptions::max_age`].
//!
//! Every failure is a [`JwtError`] naming the check. No input panics: tokens over
//! [`MAX_JWT_LEN`] bytes are refused before parsing, and times use saturating arithmetic.
//!
//! # Crate and backend
//!
//! Parsing the header and checking the signature use [`jsonwebtoken`] 10 with
//! `default-features = false, features = ["rust_crypto"]`: the RustCrypto backend (`rsa`,
//! `sha2`), pure Rust, so the `jwt` feature needs no C toolchain (unlike `aws-lc-rs`) and builds
//! anywhere the core does. The `rsa` crate's known timing side channel (RUSTSEC-2023-0071) is in
//! private-key operations; verification uses only the public key. The signature is checked with
//! `jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER` named explicitly, not the process-wide
//! default provider, so the verification cannot panic even if another crate in the build enables
//! jsonwebtoken's `aws_lc_rs` feature too (jsonwebtoken then has no default provider).
//!
//! The claim checks are done here rather than with `jsonwebtoken::Validation`: its time checks
//! read the system clock, while these read [`JwtVerifyOptions::clock`] (tests move it), and its
//! errors do not tell `iat`-in-the-future or too-old apart.
//!
//! ```no_run
//! use stytch_b2b_passwords::jwt::{JwtVerifyOptions, SessionJwtVerifier};
//!
//! async fn member_of(verifier: &dyn SessionJwtVerifier, jwt: &str) -> Option<String> {
//!     match verifier.authenticate_jwt_local(jwt, JwtVerifyOptions::default()).await {
//!         Ok(claims) => Some(claims.member_id),
//!         Err(_) => None, // answer 401 (or 503 if `err.as_jwt()` is a JWKS fetch failure)
//!     }
//! }
//! ```

mod claims;
mod error;
mod jwks;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

pub use self::claims::{
    SessionJwtClaims, ORGANIZATION_CLAIM, REGISTERED_CLAIMS, SESSION_CLAIM, STYTCH_CLAIM_PREFIX,
};
pub use self::error::{JwtError, MalformedJwt};
pub use self::jwks::{JwksCache, JwksOptions, JWKS_OPERATION};

use self::claims::{registered, session_claims, unix_secs};
use self::error::shorten;
use crate::client::PasswordsClient;
use crate::config::Config;
use crate::error::Result;
use crate::transport::HttpTransport;

/// Tokens longer than this many bytes are refused before any parsing. Stytch's session JWTs are
/// 1 to 3 KiB, more with large custom claims.
pub const MAX_JWT_LEN: usize = 16 * 1024;

/// Verifies a session JWT locally. [`PasswordsClient`] implements it; application code that takes
/// `&dyn SessionJwtVerifier` can be tested with `MockSessionJwtVerifier` (features `jwt` and
/// `mock`) or a fake.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait SessionJwtVerifier: Send + Sync {
    /// Checks `jwt` (signature, issuer, audience, times, age) and returns its claims. See
    /// [`PasswordsClient::authenticate_jwt_local`].
    async fn authenticate_jwt_local(
        &self,
        jwt: &str,
        options: JwtVerifyOptions,
    ) -> Result<SessionJwtClaims>;
}

/// Where a verification reads the time: the system clock, or a function the caller gives (tests
/// use it to move time).
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use stytch_b2b_passwords::jwt::Clock;
///
/// let frozen = Clock::fixed(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// assert_eq!(frozen.now(), UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// let _real = Clock::system();
/// ```
#[derive(Clone, Default)]
pub struct Clock(ClockKind);

#[derive(Clone, Default)]
enum ClockKind {
    #[default]
    System,
    Custom(Arc<dyn Fn() -> SystemTime + Send + Sync>),
}

impl Clock {
    /// [`SystemTime::now`].
    pub fn system() -> Self {
        Self(ClockKind::System)
    }

    /// Reads the time from `now`, called once per verification.
    pub fn from_fn(now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Self(ClockKind::Custom(Arc::new(now)))
    }

    /// Always `at`.
    pub fn fixed(at: SystemTime) -> Self {
        Self::from_fn(move || at)
    }

    /// The current time by this clock.
    pub fn now(&self) -> SystemTime {
        match &self.0 {
            ClockKind::System => SystemTime::now(),
            ClockKind::Custom(now) => now(),
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            ClockKind::System => "Clock::System",
            ClockKind::Custom(_) => "Clock::Custom",
        })
    }
}

/// How strict a verification is, and where it reads the time.
///
/// ```
/// use std::time::Duration;
/// use stytch_b2b_passwords::jwt::JwtVerifyOptions;
///
/// let options = JwtVerifyOptions::default()
///     .max_age(Duration::from_secs(60))
///     .clock_tolerance(Duration::from_secs(2));
/// assert_eq!(options.max_age, Duration::from_secs(60));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct JwtVerifyOptions {
    /// The oldest token accepted: `now - iat` must not exceed it. Default 300 s, the lifetime
    /// Stytch gives session JWTs.
    pub max_age: Duration,
    /// How far the verifier's clock may be off from Stytch's, allowed on `exp`, `nbf` and `iat`.
    /// Default 5 s.
    pub clock_tolerance: Duration,
    /// Where the time is read, for the claim checks and the JWKS cache's TTL. Default the system
    /// clock.
    pub clock: Clock,
}

impl Default for JwtVerifyOptions {
    fn default() -> Self {
        Self {
            max_age: Duration::from_secs(300),
            clock_tolerance: Duration::from_secs(5),
            clock: Clock::system(),
        }
    }
}

impl JwtVerifyOptions {
    /// Sets [`JwtVerifyOptions::max_age`].
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// Sets [`JwtVerifyOptions::clock_tolerance`].
    #[must_use]
    pub fn clock_tolerance(mut self, tolerance: Duration) -> Self {
        self.clock_tolerance = tolerance;
        self
    }

    /// Sets [`JwtVerifyOptions::clock`].
    #[must_use]
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

impl PasswordsClient {
    /// Verifies a session JWT locally against the project's cached JWKS and returns its claims.
    ///
    /// Makes no network call while the cached keys are fresh and hold the token's `kid`; see
    /// [`JwksCache`] for when it fetches. Checks, in order: size and structure, `alg` (RS256
    /// only), the signature, `iss`, `aud`, `exp`, `nbf`, `iat` (not in the future), the age, then
    /// decodes the Stytch claims. Fails with [`Error::Jwt`](crate::Error::Jwt).
    ///
    /// ```no_run
    /// # async fn example(client: stytch_b2b_passwords::PasswordsClient, jwt: &str)
    /// # -> stytch_b2b_passwords::Result<()> {
    /// use stytch_b2b_passwords::jwt::JwtVerifyOptions;
    ///
    /// let claims = client.authenticate_jwt_local(jwt, JwtVerifyOptions::default()).await?;
    /// println!("member {} of {}", claims.member_id, claims.organization_id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn authenticate_jwt_local(
        &self,
        jwt: &str,
        options: JwtVerifyOptions,
    ) -> Result<SessionJwtClaims> {
        verify_session_jwt(
            self.config(),
            self.transport().as_ref(),
            &self.jwks,
            jwt,
            &options,
        )
        .await
        .map_err(crate::Error::from)
    }

    /// This client with a new, empty JWKS cache that behaves as `options` say. Clones made after
    /// this call share the new cache.
    #[must_use]
    pub fn with_jwks_options(mut self, options: JwksOptions) -> Self {
        self.jwks = Arc::new(JwksCache::new(options));
        self
    }

    /// The JWKS cache this client (and its clones) verify session JWTs with.
    pub fn jwks_cache(&self) -> &JwksCache {
        &self.jwks
    }
}

#[async_trait]
impl SessionJwtVerifier for PasswordsClient {
    async fn authenticate_jwt_local(
        &self,
        jwt: &str,
        options: JwtVerifyOptions,
    ) -> Result<SessionJwtClaims> {
        PasswordsClient::authenticate_jwt_local(self, jwt, options).await
    }
}

/// Seconds of a `Duration` as `i64`, saturating.
fn secs_i64(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// The whole verification; see [`PasswordsClient::authenticate_jwt_local`].
async fn verify_session_jwt(
    config: &Config,
    transport: &dyn HttpTransport,
    cache: &JwksCache,
    jwt: &str,
    options: &JwtVerifyOptions,
) -> std::result::Result<SessionJwtClaims, JwtError> {
    if jwt.len() > MAX_JWT_LEN {
        return Err(MalformedJwt::TooLarge {
            len: jwt.len(),
            limit: MAX_JWT_LEN,
        }
        .into());
    }
    let (signed, header_b64, payload_b64, signature_b64) = split(jwt)?;
    let kid = key_id(jwt, header_b64)?;
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature_b64)
        .map_err(|_| MalformedJwt::Signature)?;

    let now_time = options.clock.now();
    let key = cache.key(&kid, now_time, config, transport).await?;
    verify_signature(&key, signed, &signature, &kid)?;

    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| MalformedJwt::Claims)?;
    let map: Map<String, Value> =
        serde_json::from_slice(&payload).map_err(|_| MalformedJwt::Claims)?;
    let claims = registered(&map)?;

    let project_id = config.project_id();
    let issuer = claims.iss.trim_end_matches('/');
    // `issuer == format!("stytch.com/{project_id}")`, without allocating on the success path.
    let is_stytch_issuer = issuer.strip_prefix("stytch.com/") == Some(project_id);
    if !is_stytch_issuer && issuer != config.base_url() {
        return Err(JwtError::WrongIssuer {
            found: shorten(&claims.iss),
            expected: vec![
                format!("stytch.com/{project_id}"),
                config.base_url().to_owned(),
            ],
        });
    }
    if !claims.aud.iter().any(|aud| aud == project_id) {
        return Err(JwtError::WrongAudience {
            expected: project_id.to_owned(),
        });
    }

    let now = unix_secs(now_time);
    let leeway = secs_i64(options.clock_tolerance);
    if now >= claims.exp.saturating_add(leeway) {
        return Err(JwtError::Expired {
            expired_at: claims.exp,
            now,
        });
    }
    if let Some(nbf) = claims.nbf {
        if nbf > now.saturating_add(leeway) {
            return Err(JwtError::NotYetValid {
                claim: "nbf",
                valid_from: nbf,
                now,
            });
        }
    }
    if claims.iat > now.saturating_add(leeway) {
        return Err(JwtError::NotYetValid {
            claim: "iat",
            valid_from: claims.iat,
            now,
        });
    }
    let age = now.saturating_sub(claims.iat);
    if age > secs_i64(options.max_age) {
        return Err(JwtError::TooOld {
            age_secs: age,
            max_age_secs: options.max_age.as_secs(),
        });
    }

    Ok(session_claims(map, claims)?)
}

/// Splits a compact JWS into the signed part and its three segments, all non-empty.
fn split(jwt: &str) -> std::result::Result<(&str, &str, &str, &str), MalformedJwt> {
    let (signed, signature) = jwt.rsplit_once('.').ok_or(MalformedJwt::Structure)?;
    let (header, payload) = signed.split_once('.').ok_or(MalformedJwt::Structure)?;
    if header.is_empty() || payload.is_empty() || signature.is_empty() || payload.contains('.') {
        return Err(MalformedJwt::Structure);
    }
    Ok((signed, header, payload, signature))
}

/// Parses the header with jsonwebtoken, requires RS256, and returns the `kid`.
fn key_id(jwt: &str, header_b64: &str) -> std::result::Result<String, JwtError> {
    match jsonwebtoken::decode_header(jwt) {
        Ok(header) if header.alg != Algorithm::RS256 => Err(JwtError::UnsupportedAlgorithm {
            alg: format!("{:?}", header.alg),
        }),
        Ok(header) => match header.kid {
            Some(kid) if !kid.is_empty() => Ok(kid),
            _ => Err(MalformedJwt::MissingKeyId.into()),
        },
        // jsonwebtoken knows no `alg` such as `none`: say so rather than "malformed".
        Err(_) => match unknown_alg(header_b64) {
            Some(alg) => Err(JwtError::UnsupportedAlgorithm { alg: shorten(&alg) }),
            None => Err(MalformedJwt::Header.into()),
        },
    }
}

/// The `alg` of a header that jsonwebtoken could not parse, if it is a string other than RS256.
fn unknown_alg(header_b64: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header_b64)
        .ok()?;
    let header: Map<String, Value> = serde_json::from_slice(&bytes).ok()?;
    match header.get("alg") {
        Some(Value::String(alg)) if alg != "RS256" => Some(alg.clone()),
        _ => None,
    }
}

/// Checks an RS256 signature with jsonwebtoken's RustCrypto provider, named explicitly.
// `&Vec<u8>` because that is the signature type of jsonwebtoken's `Verifier` impls.
#[allow(clippy::ptr_arg)]
fn verify_signature(
    key: &DecodingKey,
    signed: &str,
    signature: &Vec<u8>,
    kid: &str,
) -> std::result::Result<(), JwtError> {
    let bad = || JwtError::BadSignature { kid: shorten(kid) };
    let provider = &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER;
    let verifier = (provider.verifier_factory)(&Algorithm::RS256, key).map_err(|_| bad())?;
    verifier
        .verify(signed.as_bytes(), signature)
        .map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_requires_three_non_empty_segments() {
        assert_eq!(split("a.b.c"), Ok(("a.b", "a", "b", "c")));
        for bad in [
            "", ".", "..", "a.b", "a.b.", ".b.c", "a..c", "a.b.c.d", "abc",
        ] {
            assert_eq!(split(bad), Err(MalformedJwt::Structure), "{bad:?}");
        }
    }

    #[test]
    fn unknown_alg_reads_the_raw_header() {
        let none = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#);
        assert_eq!(unknown_alg(&none).as_deref(), Some("none"));
        let rs = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#);
        assert_eq!(unknown_alg(&rs), None);
        assert_eq!(unknown_alg("!!"), None);
    }
}
