//! Signing test JWTs with the committed PEM test keys, and their public JWKs, with `ring`.
//! Shared by tests/jwt_*.rs and benches/jwt.rs.
// Each user compiles this file on its own and uses only part of it.
#![allow(dead_code)]

use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_SHA256};
use serde_json::{json, Value};

/// Base64url without padding, as JWS segments are.
pub fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
}

/// The RSA key pair of a PEM file: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE
/// KEY`).
pub fn key_pair(pem: &[u8]) -> RsaKeyPair {
    let text = std::str::from_utf8(pem).expect("PEM is text");
    let body: String = text
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .expect("PEM body is base64");
    RsaKeyPair::from_pkcs8(&der)
        .or_else(|_| RsaKeyPair::from_der(&der))
        .expect("an RSA private key")
}

/// The public JWK of a PEM key: `kty`, `alg` RS256, `kid`, `n`, `e`.
pub fn jwk(pem: &[u8], kid: &str) -> Value {
    let public = RsaPublicKeyComponents::<Vec<u8>>::from(key_pair(pem).public());
    json!({"kty": "RSA", "alg": "RS256", "kid": kid, "n": b64(&public.n), "e": b64(&public.e)})
}

/// The RS256 signature of `message`, base64url.
pub fn signature(pem: &[u8], message: &str) -> String {
    let key = key_pair(pem);
    let mut signature = vec![0u8; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        message.as_bytes(),
        &mut signature,
    )
    .expect("RSA signing");
    b64(&signature)
}

/// A JWS header `{"typ":"JWT","alg":alg}` with `kid` if given.
pub fn header(alg: &str, kid: Option<&str>) -> Value {
    let mut header = json!({"typ": "JWT", "alg": alg});
    if let Some(kid) = kid {
        header["kid"] = json!(kid);
    }
    header
}

/// `header` and `claims` signed with RS256.
pub fn sign(pem: &[u8], header: &Value, claims: &Value) -> String {
    let message = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature = signature(pem, &message);
    format!("{message}.{signature}")
}

/// `header` and `claims` signed with HS256 under `secret`.
pub fn sign_hs256(secret: &[u8], header: &Value, claims: &Value) -> String {
    let message = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let tag = ring::hmac::sign(&key, message.as_bytes());
    format!("{message}.{}", b64(tag.as_ref()))
}
