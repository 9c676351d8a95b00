//! RS256 session JWTs and the JWKS that verifies them.
//!
//! The two keys are fixed test keys shipped in `keys/` (see its README: they are not secrets).
//! Parsing them is fast even in debug builds, unlike generating RSA keys.

use std::sync::OnceLock;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::traits::PublicKeyParts as _;
use serde_json::{json, Value};

use crate::error::{ApiFailure, ApiResult};
use crate::util::b64url;

const KEY_PEMS: [(&str, &str); 2] = [
    (
        "jwk-test-emulator-key-1",
        include_str!("../keys/test-signing-key-1.pem"),
    ),
    (
        "jwk-test-emulator-key-2",
        include_str!("../keys/test-signing-key-2.pem"),
    ),
];

/// How long a session JWT lives, at most (capped at the session's expiry).
pub(crate) const JWT_LIFETIME_SECONDS: i64 = 300;

pub(crate) struct SigningKey {
    pub(crate) kid: &'static str,
    encoding: EncodingKey,
    decoding: DecodingKey,
    n: String,
    e: String,
    /// The PKCS#8 PEM, for the JWKS certificate (see `jwks.rs`).
    pem: &'static str,
    /// The public JWK, built on first use.
    jwk: OnceLock<Result<Value, String>>,
}

fn load(kid: &'static str, pem: &'static str) -> Result<SigningKey, String> {
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| format!("{kid}: {e}"))?;
    let der = key.to_pkcs1_der().map_err(|e| format!("{kid}: {e}"))?;
    let n = b64url(&key.n().to_bytes_be());
    let e = b64url(&key.e().to_bytes_be());
    let decoding = DecodingKey::from_rsa_components(&n, &e).map_err(|e| format!("{kid}: {e}"))?;
    Ok(SigningKey {
        kid,
        encoding: EncodingKey::from_rsa_der(der.as_bytes()),
        decoding,
        n,
        e,
        pem,
        jwk: OnceLock::new(),
    })
}

static KEYS: OnceLock<Result<Vec<SigningKey>, String>> = OnceLock::new();

/// The shipped keys, parsed once per process.
pub(crate) fn keys() -> ApiResult<&'static [SigningKey]> {
    KEYS.get_or_init(|| KEY_PEMS.iter().map(|(kid, pem)| load(kid, pem)).collect())
        .as_deref()
        .map_err(|e| ApiFailure::internal(format!("emulator signing keys unusable: {e}")))
}

/// The key at `index` (modulo the number of shipped keys).
pub(crate) fn key(index: usize) -> ApiResult<&'static SigningKey> {
    let keys = keys()?;
    keys.get(index % keys.len().max(1))
        .ok_or_else(|| ApiFailure::internal("no signing key"))
}

/// The JWKS document for the key in use.
pub(crate) fn jwks(key: &SigningKey) -> ApiResult<Value> {
    let jwk = key.jwk.get_or_init(|| {
        crate::jwks::jwk(&crate::jwks::PublicJwk {
            kid: key.kid,
            pkcs8_pem: key.pem,
            n: &key.n,
            e: &key.e,
        })
    });
    match jwk {
        Ok(jwk) => Ok(json!({ "keys": [jwk] })),
        Err(e) => Err(ApiFailure::internal(format!("JWKS unavailable: {e}"))),
    }
}

/// Signs `claims` with `key`: header `{alg: RS256, typ: JWT, kid}`.
pub(crate) fn sign(key: &SigningKey, claims: &Value) -> ApiResult<String> {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid.to_owned());
    header.typ = Some("JWT".to_owned());
    jsonwebtoken::encode(&header, claims, &key.encoding)
        .map_err(|e| ApiFailure::internal(format!("JWT signing failed: {e}")))
}

/// Checks a session JWT's signature (with the key in use only: a rotated-out key no longer
/// verifies), issuer and audience, and returns the session id it names. Expiry is not checked
/// here: the session itself must still be live, which the caller checks.
pub(crate) fn session_id_from_jwt(key: &SigningKey, jwt: &str, project_id: &str) -> Option<String> {
    let header = jsonwebtoken::decode_header(jwt).ok()?;
    if header.kid.as_deref() != Some(key.kid) {
        return None;
    }
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    validation.set_audience(&[project_id]);
    validation.set_issuer(&[format!("stytch.com/{project_id}")]);
    let data = jsonwebtoken::decode::<Value>(jwt, &key.decoding, &validation).ok()?;
    data.claims
        .get("https://stytch.com/session")?
        .get("id")?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_keys_load_and_round_trip() {
        let k = key(0).ok();
        let k = k.as_ref().map(|k| k.kid);
        assert_eq!(k, Some("jwk-test-emulator-key-1"));
        let Ok(key) = key(0) else { return };
        let claims = json!({
            "sub": "member-1", "iss": "stytch.com/p", "aud": ["p"], "iat": 1, "nbf": 1, "exp": 2,
            "https://stytch.com/session": {"id": "member-session-1"}
        });
        let jwt = sign(key, &claims).unwrap_or_default();
        assert_eq!(
            session_id_from_jwt(key, &jwt, "p").as_deref(),
            Some("member-session-1")
        );
        assert_eq!(session_id_from_jwt(key, &jwt, "other"), None);
        if let Ok(other) = super::key(1) {
            assert_eq!(session_id_from_jwt(other, &jwt, "p"), None);
        }
    }
}
