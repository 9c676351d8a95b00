//! RS256 session JWTs and the JWKS that verifies them, signed and checked with `ring`.
//!
//! The keys are fixed test keys shipped in `keys/` (see its README: they are public, not
//! secrets). ring cannot generate RSA keys, and generating them would be slow anyway: rotation
//! cycles through the shipped ones.

use std::sync::OnceLock;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{
    RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{ApiFailure, ApiResult};
use crate::util::b64url;

/// The shipped test keys (PKCS#8 PEM), in rotation order, with their `kid`s.
const KEY_PEMS: [(&str, &str); 4] = [
    (
        "jwk-test-emulator-key-1",
        include_str!("../keys/test-signing-key-1.pem"),
    ),
    (
        "jwk-test-emulator-key-2",
        include_str!("../keys/test-signing-key-2.pem"),
    ),
    (
        "jwk-test-emulator-key-3",
        include_str!("../keys/test-signing-key-3.pem"),
    ),
    (
        "jwk-test-emulator-key-4",
        include_str!("../keys/test-signing-key-4.pem"),
    ),
];

/// How long a session JWT lives, at most (capped at the session's expiry).
pub(crate) const JWT_LIFETIME_SECONDS: i64 = 300;

pub(crate) struct SigningKey {
    pub(crate) kid: &'static str,
    pair: RsaKeyPair,
    public: RsaPublicKeyComponents<Vec<u8>>,
    /// The PKCS#8 PEM, for the JWKS certificate (see `jwks.rs`).
    pem: &'static str,
    /// The public JWK, built on first use.
    jwk: OnceLock<Result<Value, String>>,
}

/// The DER inside a PEM file: the base64 between the `-----BEGIN` and `-----END` lines.
fn pem_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("-----"))
        .collect();
    STANDARD.decode(body).ok()
}

fn load(kid: &'static str, pem: &'static str) -> Result<SigningKey, String> {
    let der = pem_der(pem).ok_or_else(|| format!("{kid}: not a PEM file"))?;
    let pair = RsaKeyPair::from_pkcs8(&der).map_err(|e| format!("{kid}: {e}"))?;
    let public = RsaPublicKeyComponents::<Vec<u8>>::from(pair.public());
    Ok(SigningKey {
        kid,
        pair,
        public,
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
            n: &b64url(&key.public.n),
            e: &b64url(&key.public.e),
        })
    });
    match jwk {
        Ok(jwk) => Ok(json!({ "keys": [jwk] })),
        Err(e) => Err(ApiFailure::internal(format!("JWKS unavailable: {e}"))),
    }
}

/// Signs `claims` with `key`: header `{alg: RS256, typ: JWT, kid}`.
pub(crate) fn sign(key: &SigningKey, claims: &Value) -> ApiResult<String> {
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": key.kid});
    let message = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let mut signature = vec![0u8; key.pair.public().modulus_len()];
    key.pair
        .sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            message.as_bytes(),
            &mut signature,
        )
        .map_err(|_| ApiFailure::internal("JWT signing failed"))?;
    Ok(format!("{message}.{}", b64url(&signature)))
}

/// A base64url JWS segment, decoded.
fn b64url_decode(segment: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(segment).ok()
}

/// The header fields [`session_id_from_jwt`] reads.
#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

/// Checks a session JWT's signature (with the key in use only: a rotated-out key no longer
/// verifies), issuer and audience, and returns the session id it names. Expiry is not checked
/// here: the session itself must still be live, which the caller checks.
pub(crate) fn session_id_from_jwt(key: &SigningKey, jwt: &str, project_id: &str) -> Option<String> {
    let (signed, signature) = jwt.rsplit_once('.')?;
    let (header, payload) = signed.split_once('.')?;
    let header: Header = serde_json::from_slice(&b64url_decode(header)?).ok()?;
    if header.alg != "RS256" || header.kid.as_deref() != Some(key.kid) {
        return None;
    }
    key.public
        .verify(
            &RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &b64url_decode(signature)?,
        )
        .ok()?;
    let claims: Value = serde_json::from_slice(&b64url_decode(payload)?).ok()?;
    if claims.get("iss")?.as_str()? != format!("stytch.com/{project_id}") {
        return None;
    }
    let audience_ok = match claims.get("aud")? {
        Value::String(aud) => aud == project_id,
        Value::Array(auds) => auds.iter().any(|aud| aud.as_str() == Some(project_id)),
        _ => false,
    };
    if !audience_ok {
        return None;
    }
    claims
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

    #[test]
    fn the_four_shipped_keys_load_and_rotation_cycles_through_them() {
        let keys = keys().expect("the shipped keys load");
        let kids: Vec<&str> = keys.iter().map(|k| k.kid).collect();
        assert_eq!(
            kids,
            [
                "jwk-test-emulator-key-1",
                "jwk-test-emulator-key-2",
                "jwk-test-emulator-key-3",
                "jwk-test-emulator-key-4"
            ]
        );
        for k in keys {
            assert_eq!(k.public.n.len(), 256, "{}: 2048-bit modulus", k.kid);
            assert_eq!(k.public.e, [1, 0, 1], "{}: e = 65537", k.kid);
        }
        assert_ne!(keys[0].public.n, keys[1].public.n);
        assert_eq!(key(4).ok().map(|k| k.kid), Some("jwk-test-emulator-key-1"));
        assert_eq!(key(6).ok().map(|k| k.kid), Some("jwk-test-emulator-key-3"));
    }

    #[test]
    fn tampered_or_unsigned_jwts_name_no_session() {
        let key = key(0).expect("the shipped keys load");
        let claims = json!({
            "sub": "member-1", "iss": "stytch.com/p", "aud": "p", "iat": 1, "exp": 2,
            "https://stytch.com/session": {"id": "member-session-1"}
        });
        let jwt = sign(key, &claims).expect("signed");
        assert_eq!(
            session_id_from_jwt(key, &jwt, "p").as_deref(),
            Some("member-session-1"),
            "a string `aud` is accepted too"
        );
        let (header, rest) = jwt.split_once('.').expect("three segments");
        let (_, signature) = rest.split_once('.').expect("three segments");
        let mut other = claims.clone();
        other["https://stytch.com/session"]["id"] = json!("member-session-2");
        let forged = format!(
            "{header}.{}.{signature}",
            b64url(other.to_string().as_bytes())
        );
        assert_eq!(session_id_from_jwt(key, &forged, "p"), None);
        let none = format!(
            "{}.{}.",
            b64url(br#"{"alg":"none","kid":"jwk-test-emulator-key-1"}"#),
            b64url(claims.to_string().as_bytes())
        );
        assert_eq!(session_id_from_jwt(key, &none, "p"), None);
        assert_eq!(session_id_from_jwt(key, "garbage", "p"), None);
    }
}
