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
//! A token verified once is remembered (by its SHA-256, up to
//! [`JwksOptions::verified_token_capacity`]): seen again, it gets only the time checks, as long
//! as the JWKS cache still holds the key that verified it.
//!
//! # Crate and backend
//!
//! The RS256 signature is checked with [`ring`] (`RSA_PKCS1_2048_8192_SHA256` over the JWK's
//! `n` and `e`): about ten times faster than the pure-Rust `rsa` crate, which also carries a
//! RustSec advisory. ring is already built for rustls in every build with the `hyper` feature.
//! Nothing is installed process-wide, so an application using `jsonwebtoken` or ring with other
//! settings is unaffected. The header and claims are base64url + `serde_json`, read here: the
//! two header fields needed (`alg`, `kid`) do not justify a JWT crate, and the claim checks read
//! [`JwtVerifyOptions::clock`] (tests move it) and tell every failure apart, which a generic
//! validator does not.
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
mod rs256;
mod token;
mod verified;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use serde_json::{Map, Value};

pub use self::claims::{
    SessionJwtClaims, ORGANIZATION_CLAIM, REGISTERED_CLAIMS, SESSION_CLAIM, STYTCH_CLAIM_PREFIX,
};
pub use self::error::{JwtError, MalformedJwt};
pub use self::jwks::{JwksCache, JwksOptions, JWKS_OPERATION};

use self::claims::{registered, session_claims, unix_secs, Times};
use self::error::shorten;
use self::token::{decode_b64, key_id, split};
use self::verified::{token_hash, TokenHash, Verified};
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
    /// A token this client verified before (see [`JwksOptions::verified_token_capacity`]) is
    /// answered from memory after the same key lookup and the time checks, with the same result.
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
    let now_time = options.clock.now();
    let hash = cache.verified().is_enabled().then(|| token_hash(jwt));
    if let Some(hash) = &hash {
        if let Some(answer) = remembered(config, transport, cache, hash, now_time, options).await {
            return answer;
        }
    }

    let segments = split(jwt)?;
    let kid = key_id(segments.header)?;
    let signature = decode_b64(segments.signature).ok_or(MalformedJwt::Signature)?;

    let key = cache.key(&kid, now_time, config, transport).await?;
    if !key.verifies(segments.signed.as_bytes(), &signature) {
        return Err(JwtError::BadSignature { kid: shorten(&kid) });
    }

    let payload = decode_b64(segments.payload).ok_or(MalformedJwt::Claims)?;
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
    let times = claims.times;
    check_times(times, now_time, options)?;

    let claims = session_claims(map, claims)?;
    if let Some(hash) = hash {
        let verified = Verified {
            kid,
            key,
            times,
            claims: claims.clone(),
        };
        let leeway = secs_i64(options.clock_tolerance);
        cache
            .verified()
            .insert(hash, verified, unix_secs(now_time), leeway);
    }
    Ok(claims)
}

/// The answer for a token verified before, if it is remembered and the JWKS cache still gives
/// the key that verified it (looked up as for a new token, so the TTL, refetches and fetch errors
/// apply); `None` to verify it in full. The signature, issuer and audience checks are not run
/// again: they depend only on the token, the key and the client's configuration, and a JWKS cache
/// belongs to one configuration (clones of a client share both).
async fn remembered(
    config: &Config,
    transport: &dyn HttpTransport,
    cache: &JwksCache,
    hash: &TokenHash,
    now: SystemTime,
    options: &JwtVerifyOptions,
) -> Option<std::result::Result<SessionJwtClaims, JwtError>> {
    let verified = cache.verified().get(hash)?;
    let key = match cache.key(&verified.kid, now, config, transport).await {
        Ok(key) => key,
        Err(error) => return Some(Err(error)),
    };
    if !Arc::ptr_eq(&key, &verified.key) {
        // The key for that `kid` changed since: check the token against the new one.
        cache.verified().remove(hash);
        return None;
    }
    cache.verified().count_hit();
    Some(match check_times(verified.times, now, options) {
        Ok(()) => Ok(verified.claims.clone()),
        Err(error) => {
            if matches!(error, JwtError::Expired { .. }) {
                cache.verified().remove(hash);
            }
            Err(error)
        }
    })
}

/// `exp`, `nbf`, `iat` (not in the future) and the maximum age, at `now`.
fn check_times(
    times: Times,
    now: SystemTime,
    options: &JwtVerifyOptions,
) -> std::result::Result<(), JwtError> {
    let now = unix_secs(now);
    let leeway = secs_i64(options.clock_tolerance);
    if now >= times.exp.saturating_add(leeway) {
        return Err(JwtError::Expired {
            expired_at: times.exp,
            now,
        });
    }
    if let Some(nbf) = times.nbf {
        if nbf > now.saturating_add(leeway) {
            return Err(JwtError::NotYetValid {
                claim: "nbf",
                valid_from: nbf,
                now,
            });
        }
    }
    if times.iat > now.saturating_add(leeway) {
        return Err(JwtError::NotYetValid {
            claim: "iat",
            valid_from: times.iat,
            now,
        });
    }
    let age = now.saturating_sub(times.iat);
    if age > secs_i64(options.max_age) {
        return Err(JwtError::TooOld {
            age_secs: age,
            max_age_secs: options.max_age.as_secs(),
        });
    }
    Ok(())
}
