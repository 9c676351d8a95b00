//! The project's JWKS: fetched through the client's transport, cached with a TTL, refetched
//! (rate limited) when a token names an unknown key, one fetch at a time. It also holds the
//! verified-token cache, since a refetched JWKS decides which of its entries stay.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{AUTHORIZATION, USER_AGENT};
use http::Method;
use serde::Deserialize;

use super::error::{shorten, JwtError};
use super::rs256::RsaPublicKey;
use super::verified::VerifiedTokens;
use crate::config::Config;
use crate::error::{Error, ValidationError, ValidationProblem};
use crate::transport::{HttpRequest, HttpTransport, Operation};
use crate::wire::{parse_json, SentValues};

/// The operation name put on the JWKS request, as an [`Operation`] extension.
pub const JWKS_OPERATION: &str = "sessions.jwks";

/// How the JWKS cache behaves. Set on a client with
/// [`PasswordsClient::with_jwks_options`](crate::PasswordsClient::with_jwks_options).
///
/// ```
/// use std::time::Duration;
/// use stytch_b2b_passwords::jwt::JwksOptions;
///
/// let options = JwksOptions::default()
///     .ttl(Duration::from_secs(300))
///     .min_refetch_interval(Duration::from_secs(60))
///     .verified_token_capacity(10_000);
/// assert_eq!(options.ttl, Duration::from_secs(300));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JwksOptions {
    /// How long fetched keys are used before the JWKS is fetched again. Default 10 minutes.
    pub ttl: Duration,
    /// The least time between two fetches caused by a token whose `kid` is not in fresh keys, and
    /// between a failed fetch and the next attempt. This is what keeps a flood of forged tokens
    /// (or an outage) from turning into a flood of fetches. Default 30 seconds.
    pub min_refetch_interval: Duration,
    /// How many verified session JWTs are remembered, so that a token seen again is accepted
    /// after only the time checks (`exp`, `nbf`, `iat`, the maximum age, all re-run at each use)
    /// and costs a few microseconds instead of an RSA check. 0 turns this off. Default 1024
    /// (each entry holds a token's claims: about 1 to 2 KiB for a typical session).
    ///
    /// Tokens are stored under their SHA-256, never as text. An entry is used only while the JWKS
    /// cache still holds the key that verified it, so key rotation, the JWKS TTL and a revoked key
    /// (gone from a refetched JWKS, which evicts its tokens) apply exactly as without the cache.
    /// At capacity, expired entries go first, then the one that expires soonest.
    pub verified_token_capacity: usize,
}

impl Default for JwksOptions {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(600),
            min_refetch_interval: Duration::from_secs(30),
            verified_token_capacity: 1024,
        }
    }
}

impl JwksOptions {
    /// Sets [`JwksOptions::ttl`].
    #[must_use]
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Sets [`JwksOptions::min_refetch_interval`].
    #[must_use]
    pub fn min_refetch_interval(mut self, interval: Duration) -> Self {
        self.min_refetch_interval = interval;
        self
    }

    /// Sets [`JwksOptions::verified_token_capacity`] (0 turns the verified-token cache off).
    #[must_use]
    pub fn verified_token_capacity(mut self, capacity: usize) -> Self {
        self.verified_token_capacity = capacity;
        self
    }
}

/// The cached JWKS of one project. Every [`PasswordsClient`](crate::PasswordsClient) holds one
/// (clones share it); it starts empty and fetches on first use, never at construction.
///
/// The rules:
/// - keys are used for [`JwksOptions::ttl`] after a successful fetch, then fetched again;
/// - a token whose `kid` is not among fresh keys causes one refetch, and such refetches happen at
///   most once per [`JwksOptions::min_refetch_interval`];
/// - after a failed fetch, no fetch is tried again for `min_refetch_interval`; meanwhile keys
///   from the last successful fetch keep being used (stale-if-error) and, when there are none,
///   the failure is reported as [`JwtError::JwksFetch`];
/// - concurrent verifications that need a fetch share one (single flight): the first one fetches
///   while the others wait on an async lock (`async-lock`, runtime-agnostic) and then use its
///   outcome.
///
/// Time is the verification's clock ([`JwtVerifyOptions::clock`](crate::jwt::JwtVerifyOptions)),
/// so tests can move it.
///
/// It also remembers verified tokens, up to [`JwksOptions::verified_token_capacity`].
pub struct JwksCache {
    options: JwksOptions,
    state: Mutex<CacheState>,
    fetch_lock: async_lock::Mutex<()>,
    verified: VerifiedTokens,
}

#[derive(Default)]
struct CacheState {
    /// The keys of the last successful fetch.
    keys: Option<Arc<KeySet>>,
    /// When the last successful fetch completed.
    fetched_at: Option<SystemTime>,
    /// When the last fetch attempt, successful or not, started.
    last_attempt: Option<SystemTime>,
    /// When the last fetch caused by an unknown `kid` started.
    last_refetch: Option<SystemTime>,
    /// The failure of the last attempt, if it failed.
    last_error: Option<Arc<Error>>,
    /// How many fetch attempts have completed: lets a waiter tell that a fetch ran meanwhile.
    generation: u64,
    /// How many fetches were sent, for [`JwksCache::fetch_count`].
    fetches: u64,
}

/// The usable keys of one JWKS, by `kid`.
#[derive(Default)]
struct KeySet {
    keys: HashMap<String, Arc<RsaPublicKey>>,
}

impl fmt::Debug for JwksCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock_state();
        let mut kids: Vec<&str> = state
            .keys
            .as_ref()
            .map(|k| k.keys.keys().map(String::as_str).collect())
            .unwrap_or_default();
        kids.sort_unstable();
        f.debug_struct("JwksCache")
            .field("options", &self.options)
            .field("kids", &kids)
            .field("fetched_at", &state.fetched_at)
            .field("fetches", &state.fetches)
            .field("verified_tokens", &self.verified.len())
            .finish()
    }
}

impl Default for JwksCache {
    fn default() -> Self {
        Self::new(JwksOptions::default())
    }
}

/// Time from `earlier` to `now`. If the clock went backwards, as long as can be: the keys then
/// count as stale and a refetch as allowed, rather than the cache freezing until the clock
/// catches up with the time it went back from.
fn since(now: SystemTime, earlier: SystemTime) -> Duration {
    now.duration_since(earlier).unwrap_or(Duration::MAX)
}

impl JwksCache {
    /// An empty cache. Makes no network call.
    pub fn new(options: JwksOptions) -> Self {
        Self {
            verified: VerifiedTokens::new(options.verified_token_capacity),
            options,
            state: Mutex::new(CacheState::default()),
            fetch_lock: async_lock::Mutex::new(()),
        }
    }

    /// The options this cache was made with.
    pub fn options(&self) -> &JwksOptions {
        &self.options
    }

    /// How many JWKS fetches this cache has sent, successful or not.
    pub fn fetch_count(&self) -> u64 {
        self.lock_state().fetches
    }

    /// The key ids of the last successful fetch, sorted; empty before the first.
    pub fn key_ids(&self) -> Vec<String> {
        let state = self.lock_state();
        let mut kids: Vec<String> = state
            .keys
            .as_ref()
            .map(|k| k.keys.keys().cloned().collect())
            .unwrap_or_default();
        kids.sort_unstable();
        kids
    }

    /// How many verified tokens are remembered now.
    pub fn verified_token_count(&self) -> usize {
        self.verified.len()
    }

    /// How many verifications were answered from the remembered tokens (each still had its time
    /// checks run).
    pub fn verified_token_hits(&self) -> u64 {
        self.verified.hits()
    }

    pub(crate) fn verified(&self) -> &VerifiedTokens {
        &self.verified
    }

    fn lock_state(&self) -> MutexGuard<'_, CacheState> {
        // Nothing panics while the lock is held; if something ever did, the state is still
        // consistent (every update is a set of plain assignments), so keep using it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn is_fresh(&self, state: &CacheState, now: SystemTime) -> bool {
        state
            .fetched_at
            .is_some_and(|at| since(now, at) < self.options.ttl)
    }

    fn is_backing_off(&self, state: &CacheState, now: SystemTime) -> bool {
        state.last_error.is_some()
            && state
                .last_attempt
                .is_some_and(|at| since(now, at) < self.options.min_refetch_interval)
    }

    /// The key for `kid`, fetching the JWKS if the rules above call for it.
    pub(crate) async fn key(
        &self,
        kid: &str,
        now: SystemTime,
        config: &Config,
        transport: &dyn HttpTransport,
    ) -> Result<Arc<RsaPublicKey>, JwtError> {
        // Fast path: fresh keys that hold `kid` (or stale ones while a failed fetch backs off).
        // The std lock is held for a lookup only.
        let seen_generation = {
            let state = self.lock_state();
            if self.is_fresh(&state, now) || self.is_backing_off(&state, now) {
                if let Some(key) = state.keys.as_ref().and_then(|k| k.keys.get(kid)) {
                    return Ok(Arc::clone(key));
                }
            }
            state.generation
        };

        // Slow path: one fetch at a time. Every guard of the std lock is dropped before an await.
        let _fetching = self.fetch_lock.lock().await;
        {
            let mut state = self.lock_state();
            let stale_key = state
                .keys
                .as_ref()
                .and_then(|k| k.keys.get(kid))
                .map(Arc::clone);
            if state.generation != seen_generation {
                // A fetch completed while this call waited: use its outcome, do not fetch again.
                return previous_outcome(stale_key, state.last_error.as_ref(), kid, true);
            }
            let fresh = self.is_fresh(&state, now);
            if fresh {
                if let Some(key) = stale_key {
                    return Ok(key);
                }
            }
            let interval = self.options.min_refetch_interval;
            // Back off after a failure.
            if self.is_backing_off(&state, now) {
                return previous_outcome(stale_key, state.last_error.as_ref(), kid, false);
            }
            // Fresh keys without `kid`: this is a refetch for an unknown key id; rate-limit those.
            if fresh {
                if let Some(at) = state.last_refetch {
                    if since(now, at) < interval {
                        return Err(unknown_key(kid, false));
                    }
                }
                state.last_refetch = Some(now);
            }
            state.last_attempt = Some(now);
            state.fetches = state.fetches.saturating_add(1);
        }

        let outcome = fetch_jwks(config, transport).await;

        let mut state = self.lock_state();
        state.generation = state.generation.wrapping_add(1);
        match outcome {
            Ok(mut keys) => {
                if let Some(old) = &state.keys {
                    keys.keep_unchanged(old);
                }
                // Remembered tokens stay only if the key that verified them is still served.
                self.verified.retain_keys(|kid, key| {
                    keys.keys.get(kid).is_some_and(|now| Arc::ptr_eq(now, key))
                });
                let key = keys.keys.get(kid).map(Arc::clone);
                state.keys = Some(Arc::new(keys));
                state.fetched_at = Some(now);
                state.last_error = None;
                key.ok_or_else(|| unknown_key(kid, true))
            }
            Err(error) => {
                let error = Arc::new(error);
                state.last_error = Some(Arc::clone(&error));
                // Stale-if-error: a key from the last good fetch still verifies.
                let stale_key = state.keys.as_ref().and_then(|k| k.keys.get(kid));
                match stale_key {
                    Some(key) => Ok(Arc::clone(key)),
                    None => Err(JwtError::JwksFetch(error)),
                }
            }
        }
    }
}

/// The answer without a new fetch: the (possibly stale) key if there is one, else the last fetch's
/// error, else an unknown key.
fn previous_outcome(
    stale_key: Option<Arc<RsaPublicKey>>,
    last_error: Option<&Arc<Error>>,
    kid: &str,
    refetched: bool,
) -> Result<Arc<RsaPublicKey>, JwtError> {
    match (stale_key, last_error) {
        (Some(key), _) => Ok(key),
        (None, Some(error)) => Err(JwtError::JwksFetch(Arc::clone(error))),
        (None, None) => Err(unknown_key(kid, refetched)),
    }
}

fn unknown_key(kid: &str, refetched: bool) -> JwtError {
    JwtError::UnknownKey {
        kid: shorten(kid),
        refetched,
    }
}

/// The JWKS response: each key is read leniently, and one that is not a usable RS256 signing key
/// is skipped rather than failing the whole set.
#[derive(Deserialize)]
struct JwksBody {
    #[serde(default)]
    keys: Vec<serde_json::Value>,
}

/// The most keys kept from one JWKS; a real one has one or two.
const MAX_KEYS: usize = 64;

/// Builds the JWKS request: same base URL, `Authorization` and `User-Agent` as every other call.
pub(crate) fn jwks_request(config: &Config) -> Result<HttpRequest, Error> {
    let uri = format!(
        "{}/v1/b2b/sessions/jwks/{}",
        config.base_url(),
        percent_encode_segment(config.project_id())
    );
    http::Request::builder()
        .method(Method::GET)
        .uri(uri)
        .header(AUTHORIZATION, config.authorization().clone())
        .header(USER_AGENT, config.user_agent().clone())
        .extension(Operation(JWKS_OPERATION))
        .body(Bytes::new())
        .map_err(|_| {
            Error::Validation(ValidationError {
                operation: JWKS_OPERATION,
                field: "project_id",
                problem: ValidationProblem::NotAHeaderValue,
            })
        })
}

async fn fetch_jwks(config: &Config, transport: &dyn HttpTransport) -> Result<KeySet, Error> {
    let request = jwks_request(config)?;
    // It carries the project's credentials: an error page that echoes them must not show them.
    let sent = SentValues::of(&request);
    let response = transport.send(request).await?;
    // Read like every other call's response, so error statuses map exactly the same way.
    let body = parse_json::<JwksBody>(JWKS_OPERATION, &sent, response)?;
    Ok(key_set(body))
}

fn key_set(body: JwksBody) -> KeySet {
    let mut keys = HashMap::new();
    for jwk in body.keys.iter().take(MAX_KEYS) {
        if let Some((kid, key)) = usable_key(jwk) {
            keys.insert(kid, Arc::new(key));
        }
    }
    KeySet { keys }
}

impl KeySet {
    /// Takes `old`'s `Arc` for every key that did not change, so that a refetch which serves the
    /// same key keeps the tokens it verified (they are matched by `Arc` identity).
    fn keep_unchanged(&mut self, old: &KeySet) {
        for (kid, key) in &mut self.keys {
            if let Some(previous) = old
                .keys
                .get(kid)
                .filter(|previous| previous.as_ref() == key.as_ref())
            {
                *key = Arc::clone(previous);
            }
        }
    }
}

/// An RSA signing key with a `kid`, whose `alg` (if given) is RS256.
fn usable_key(jwk: &serde_json::Value) -> Option<(String, RsaPublicKey)> {
    let field = |name: &str| jwk.get(name).and_then(serde_json::Value::as_str);
    if field("kty")? != "RSA" {
        return None;
    }
    if field("alg").is_some_and(|alg| alg != "RS256") {
        return None;
    }
    if field("use").is_some_and(|u| u != "sig") {
        return None;
    }
    let kid = field("kid")?;
    let key = RsaPublicKey::from_jwk_components(field("n")?, field("e")?)?;
    Some((kid.to_owned(), key))
}

/// Percent-encodes everything but RFC 3986 unreserved characters, for one path segment.
fn percent_encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn request_has_the_usual_headers_and_operation() {
        let config = Config::new("project-test-1", Secret::new("s"), None, Some("app/1")).unwrap();
        let request = jwks_request(&config).unwrap();
        assert_eq!(request.method(), Method::GET);
        assert_eq!(
            request.uri(),
            "https://test.stytch.com/v1/b2b/sessions/jwks/project-test-1"
        );
        assert!(request.headers()[AUTHORIZATION].is_sensitive());
        assert_eq!(
            request.headers()[USER_AGENT],
            config.user_agent().to_str().unwrap()
        );
        assert_eq!(
            request.extensions().get::<Operation>(),
            Some(&Operation(JWKS_OPERATION))
        );
    }

    #[test]
    fn project_id_is_percent_encoded() {
        assert_eq!(percent_encode_segment("project-test-1"), "project-test-1");
        assert_eq!(percent_encode_segment("a/b c?"), "a%2Fb%20c%3F");
    }

    #[test]
    fn unusable_keys_are_skipped() {
        let body: JwksBody = serde_json::from_str(
            r#"{"keys":[
                {"kty":"EC","kid":"ec","crv":"P-256","x":"AA","y":"AA"},
                {"kty":"RSA","kid":"hs","alg":"HS256","n":"AQAB","e":"AQAB"},
                {"kty":"RSA","kid":"enc","use":"enc","n":"AQAB","e":"AQAB"},
                {"kty":"RSA","n":"AQAB","e":"AQAB"},
                {"kty":"RSA","kid":"bad-b64","n":"!!!","e":"AQAB"},
                "not an object",
                {"kty":"RSA","kid":"ok","alg":"RS256","use":"sig","n":"AQAB","e":"AQAB"}
            ]}"#,
        )
        .unwrap();
        let set = key_set(body);
        let kids: Vec<&String> = set.keys.keys().collect();
        assert_eq!(kids, vec!["ok"]);
    }
}
