//! Session JWTs already verified, so that a token seen again costs a hash, a lookup and the time
//! checks instead of an RSA check and a JSON parse.
//!
//! Entries are keyed by the SHA-256 of the token, so the cache holds no bearer token. Each
//! remembers the key that verified it: the entry is used only while the JWKS cache still hands
//! out that very key for its `kid`, and a refetched JWKS that drops or changes the key evicts it.
//! The size is bounded by a capacity; entries whose `exp` has passed go first when it is reached,
//! and an entry found expired is removed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use ring::digest::{digest, SHA256};

use super::claims::{SessionJwtClaims, Times};
use super::rs256::RsaPublicKey;

/// The SHA-256 of a token.
pub(crate) type TokenHash = [u8; 32];

/// The hash a token is cached under.
pub(crate) fn token_hash(jwt: &str) -> TokenHash {
    let mut hash = [0u8; 32];
    hash.copy_from_slice(digest(&SHA256, jwt.as_bytes()).as_ref());
    hash
}

/// What a verified token left behind: enough to answer it again.
pub(crate) struct Verified {
    /// The header's `kid`.
    pub(crate) kid: String,
    /// The key its signature verified with.
    pub(crate) key: Arc<RsaPublicKey>,
    /// Its `exp`, `iat` and `nbf`, checked again at every use.
    pub(crate) times: Times,
    /// The claims returned at every use.
    pub(crate) claims: SessionJwtClaims,
}

/// The cache: a capacity (0 turns it off) and the entries.
pub(crate) struct VerifiedTokens {
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    entries: HashMap<TokenHash, Arc<Verified>>,
    hits: u64,
}

impl VerifiedTokens {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            state: Mutex::new(State::default()),
        }
    }

    /// Whether tokens are cached at all.
    pub(crate) fn is_enabled(&self) -> bool {
        self.capacity > 0
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update is a single map operation or counter bump: a panic elsewhere cannot leave
        // the state half-changed, so a poisoned lock is still usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn get(&self, hash: &TokenHash) -> Option<Arc<Verified>> {
        self.lock().entries.get(hash).map(Arc::clone)
    }

    /// Counts one verification answered from the cache.
    pub(crate) fn count_hit(&self) {
        let mut state = self.lock();
        state.hits = state.hits.saturating_add(1);
    }

    pub(crate) fn remove(&self, hash: &TokenHash) {
        self.lock().entries.remove(hash);
    }

    /// Adds a verified token. At capacity, first drops the entries expired at `now` (Unix
    /// seconds, `leeway` allowed), then, if none was, the one that expires first.
    pub(crate) fn insert(&self, hash: TokenHash, verified: Verified, now: i64, leeway: i64) {
        if !self.is_enabled() {
            return;
        }
        let mut state = self.lock();
        if state.entries.len() >= self.capacity && !state.entries.contains_key(&hash) {
            state
                .entries
                .retain(|_, v| now < v.times.exp.saturating_add(leeway));
            if state.entries.len() >= self.capacity {
                let soonest = state
                    .entries
                    .iter()
                    .min_by_key(|(_, v)| v.times.exp)
                    .map(|(hash, _)| *hash);
                if let Some(soonest) = soonest {
                    state.entries.remove(&soonest);
                }
            }
        }
        state.entries.insert(hash, Arc::new(verified));
    }

    /// Keeps only the entries whose key `still_valid(kid, key)` accepts: called with the keys of
    /// a newly fetched JWKS.
    pub(crate) fn retain_keys(&self, still_valid: impl Fn(&str, &Arc<RsaPublicKey>) -> bool) {
        self.lock()
            .entries
            .retain(|_, v| still_valid(&v.kid, &v.key));
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub(crate) fn hits(&self) -> u64 {
        self.lock().hits
    }
}
