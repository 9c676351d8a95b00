//! The public JWKS: each signing key as a JWK shaped like Stytch's, with `key_ops`, a
//! self-signed certificate for the key (`x5c`) and that certificate's SHA-256 thumbprint
//! (`x5tS256`). Official SDKs require those fields (Python's JWKS model does).
//!
//! It needs only the key's PKCS#8 PEM and public components, so it does not depend on the
//! crate that signs the JWTs. The certificate is built once per key and is deterministic
//! (fixed serial number, name and validity; RSA PKCS#1 v1.5 signatures are deterministic too).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rcgen::{
    date_time_ymd, CertificateParams, DistinguishedName, DnType, KeyPair, SerialNumber,
    PKCS_RSA_SHA256,
};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};

use crate::util::b64url;

/// The public JWK of one RSA signing key.
pub(crate) struct PublicJwk<'a> {
    /// The key id.
    pub(crate) kid: &'a str,
    /// The private key as PKCS#8 PEM: signs the self-signed certificate, nothing else.
    pub(crate) pkcs8_pem: &'a str,
    /// The modulus, base64url.
    pub(crate) n: &'a str,
    /// The public exponent, base64url.
    pub(crate) e: &'a str,
}

/// The JWK object for `key`, or why the certificate could not be made.
pub(crate) fn jwk(key: &PublicJwk<'_>) -> Result<Value, String> {
    let der = self_signed_certificate(key.kid, key.pkcs8_pem)?;
    Ok(json!({
        "alg": "RS256",
        "kid": key.kid,
        "kty": "RSA",
        "use": "sig",
        "key_ops": ["verify"],
        "n": key.n,
        "e": key.e,
        // x5c holds standard base64 (RFC 7517 §4.7), x5t#S256 base64url (§4.9).
        "x5c": [STANDARD.encode(&der)],
        "x5tS256": b64url(&Sha256::digest(&der)),
    }))
}

/// A DER X.509 certificate for the key, self-signed with it, valid 2025 to 2125.
fn self_signed_certificate(kid: &str, pkcs8_pem: &str) -> Result<Vec<u8>, String> {
    let fail = |e: rcgen::Error| format!("{kid}: self-signed certificate: {e}");
    let key_pair = KeyPair::from_pem_and_sign_algo(pkcs8_pem, &PKCS_RSA_SHA256).map_err(fail)?;
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, kid);
    name.push(DnType::OrganizationName, "stytch-emulator");
    params.distinguished_name = name;
    params.serial_number = Some(SerialNumber::from(vec![1]));
    params.not_before = date_time_ymd(2025, 1, 1);
    params.not_after = date_time_ymd(2125, 1, 1);
    let certificate = params.self_signed(&key_pair).map_err(fail)?;
    Ok(certificate.der().to_vec())
}
