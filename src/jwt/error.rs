//! Why a session JWT was rejected: one variant per check.

use std::sync::Arc;

/// Why [`authenticate_jwt_local`](crate::PasswordsClient::authenticate_jwt_local) rejected a
/// session JWT. Each variant names the check that failed.
///
/// Neither `Display` nor `Debug` ever contains the token or any of its segments: a session JWT is
/// a bearer credential. Values taken from the token's header or claims (a `kid`, an `iss`) are
/// shown only shortened and escaped, since they are attacker-chosen text.
///
/// Arrives wrapped in [`Error::Jwt`](crate::Error::Jwt); [`Error::as_jwt`](crate::Error::as_jwt)
/// gets it back.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// The token is not a well-formed JWT (size, structure, base64, JSON, a missing or mistyped
    /// claim).
    #[error("session JWT is malformed: {0}")]
    Malformed(MalformedJwt),
    /// The header names an algorithm other than RS256 (`none`, `HS256`, ...).
    #[error("session JWT uses the unsupported algorithm {alg:?}; only RS256 is accepted")]
    UnsupportedAlgorithm {
        /// The header's `alg`, shortened.
        alg: String,
    },
    /// The RS256 signature does not verify against the key named by the header's `kid`.
    #[error("session JWT signature does not verify against key {kid:?}")]
    BadSignature {
        /// The header's `kid`, shortened.
        kid: String,
    },
    /// `iss` is neither `stytch.com/{project_id}` nor the configured base URL.
    #[error("session JWT issuer {found:?} is not one of {expected:?}")]
    WrongIssuer {
        /// The token's `iss`, shortened.
        found: String,
        /// The issuers that are accepted.
        expected: Vec<String>,
    },
    /// `aud` does not contain the project id.
    #[error("session JWT audience does not contain the project id {expected:?}")]
    WrongAudience {
        /// The project id that `aud` must contain.
        expected: String,
    },
    /// `exp` has passed (allowing for the clock tolerance).
    #[error("session JWT expired at {expired_at} (Unix seconds); it is now {now}")]
    Expired {
        /// The token's `exp`, in Unix seconds.
        expired_at: i64,
        /// The verifier's clock, in Unix seconds.
        now: i64,
    },
    /// `nbf` or `iat` lies in the future (beyond the clock tolerance).
    #[error("session JWT is not valid before {valid_from} (from `{claim}`, Unix seconds); it is now {now}")]
    NotYetValid {
        /// The claim at fault: `nbf` or `iat`.
        claim: &'static str,
        /// That claim's value, in Unix seconds.
        valid_from: i64,
        /// The verifier's clock, in Unix seconds.
        now: i64,
    },
    /// The token was issued longer ago than the maximum age (`now - iat > max_age`).
    #[error(
        "session JWT was issued {age_secs} s ago, more than the maximum age of {max_age_secs} s"
    )]
    TooOld {
        /// How long ago the token was issued, in seconds.
        age_secs: i64,
        /// The maximum age that was asked for, in seconds.
        max_age_secs: u64,
    },
    /// The header's `kid` is not in the project's JWKS, even after refetching it; or a refetch
    /// was due but is rate limited (`refetched` is then `false`).
    #[error("key {kid:?} is not in the project's JWKS ({})", if *refetched { "after refetching it" } else { "refetch rate limited" })]
    UnknownKey {
        /// The header's `kid`, shortened.
        kid: String,
        /// Whether the JWKS was fetched for this verification (or for one running alongside it).
        refetched: bool,
    },
    /// The project's JWKS could not be fetched (transport failure, error status, bad body), and
    /// no usable cached key was at hand.
    #[error("could not fetch the project's JWKS: {0}")]
    JwksFetch(#[source] Arc<crate::Error>),
}

impl JwtError {
    /// A stable, short name of the failed check, for metrics labels and logs: `malformed`,
    /// `unsupported_algorithm`, `bad_signature`, `wrong_issuer`, `wrong_audience`, `expired`,
    /// `not_yet_valid`, `too_old`, `unknown_key` or `jwks_fetch`.
    pub fn code(&self) -> &'static str {
        match self {
            JwtError::Malformed(_) => "malformed",
            JwtError::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
            JwtError::BadSignature { .. } => "bad_signature",
            JwtError::WrongIssuer { .. } => "wrong_issuer",
            JwtError::WrongAudience { .. } => "wrong_audience",
            JwtError::Expired { .. } => "expired",
            JwtError::NotYetValid { .. } => "not_yet_valid",
            JwtError::TooOld { .. } => "too_old",
            JwtError::UnknownKey { .. } => "unknown_key",
            JwtError::JwksFetch(_) => "jwks_fetch",
        }
    }

    /// Whether the token itself is bad (forged, expired, for another project, ...), as opposed to
    /// the verifier being unable to decide because the JWKS could not be fetched. Answer 401 to
    /// the first kind, 503 to the second.
    pub fn is_token_rejected(&self) -> bool {
        !matches!(self, JwtError::JwksFetch(_))
    }
}

/// How a session JWT is malformed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MalformedJwt {
    /// Longer than the limit; rejected before any parsing.
    #[error("it is {len} bytes long, over the limit of {limit} bytes")]
    TooLarge {
        /// The token's length in bytes.
        len: usize,
        /// The limit, [`MAX_JWT_LEN`](crate::jwt::MAX_JWT_LEN).
        limit: usize,
    },
    /// Not three non-empty, dot-separated segments.
    #[error("it is not three dot-separated segments")]
    Structure,
    /// The header is not base64url-encoded JSON of a JWT header.
    #[error("its header is not a base64url-encoded JSON header")]
    Header,
    /// The header has no `kid`, so no key can be chosen.
    #[error("its header has no `kid`")]
    MissingKeyId,
    /// The signature segment is not base64url.
    #[error("its signature is not base64url")]
    Signature,
    /// The claims segment is not a base64url-encoded JSON object.
    #[error("its claims are not a base64url-encoded JSON object")]
    Claims,
    /// A required claim is absent.
    #[error("claim `{0}` is missing")]
    MissingClaim(&'static str),
    /// A claim has the wrong type or an out-of-range value.
    #[error("claim `{0}` has the wrong type or an invalid value")]
    InvalidClaim(&'static str),
}

impl From<MalformedJwt> for JwtError {
    fn from(m: MalformedJwt) -> Self {
        JwtError::Malformed(m)
    }
}

impl From<JwtError> for crate::Error {
    fn from(e: JwtError) -> Self {
        crate::Error::Jwt(Box::new(e))
    }
}

impl crate::Error {
    /// The session JWT verification failure, if this is one.
    pub fn as_jwt(&self) -> Option<&JwtError> {
        match self {
            crate::Error::Jwt(e) => Some(e),
            _ => None,
        }
    }
}

/// At most this many characters of attacker-chosen text go into an error.
const SHOWN_CHARS: usize = 64;

/// Shortens untrusted text for an error message: at most [`SHOWN_CHARS`] characters, control
/// characters replaced, and an ellipsis when cut.
pub(crate) fn shorten(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(SHOWN_CHARS)
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if text.chars().nth(SHOWN_CHARS).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_and_escapes() {
        assert_eq!(shorten("kid-1"), "kid-1");
        assert_eq!(shorten("a\nb"), "a\u{FFFD}b");
        let long = "x".repeat(100);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), SHOWN_CHARS + 1);
        assert!(short.ends_with('…'));
    }
}
