//! RS256 public keys from a JWKS, and signature checks with `ring`.

use base64::Engine as _;
use ring::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};

/// An RSA public key as a JWK gives it: modulus and exponent, big-endian, leading zeros removed
/// (some JWKS pad `n` with one; ring wants the minimal encoding).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RsaPublicKey {
    n: Vec<u8>,
    e: Vec<u8>,
}

impl RsaPublicKey {
    /// From a JWK's base64url `n` and `e`; `None` if either is not base64url or is zero. The key
    /// itself (size, exponent) is judged by ring at verification: a key it refuses verifies
    /// nothing.
    pub(crate) fn from_jwk_components(n: &str, e: &str) -> Option<Self> {
        let decode = |text: &str| {
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(text.trim_end_matches('='))
                .ok()?;
            let first = bytes.iter().position(|b| *b != 0)?;
            Some(bytes[first..].to_vec())
        };
        Some(Self {
            n: decode(n)?,
            e: decode(e)?,
        })
    }

    /// Whether `signature` is an RSASSA-PKCS1-v1_5 SHA-256 signature of `message` by this key
    /// (2048 to 8192 bits, ring's accepted range).
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        RsaPublicKeyComponents {
            n: &self.n,
            e: &self.e,
        }
        .verify(&RSA_PKCS1_2048_8192_SHA256, message, signature)
        .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_must_be_base64url_and_non_zero() {
        let key = RsaPublicKey::from_jwk_components("AAEC", "AQAB").unwrap();
        assert_eq!(key.n, vec![1, 2], "leading zero removed");
        assert_eq!(key.e, vec![1, 0, 1]);
        assert!(RsaPublicKey::from_jwk_components("!!!", "AQAB").is_none());
        assert!(RsaPublicKey::from_jwk_components("AQAB", "AAA").is_none());
        assert!(RsaPublicKey::from_jwk_components("", "AQAB").is_none());
    }

    #[test]
    fn a_key_ring_refuses_verifies_nothing() {
        let tiny = RsaPublicKey::from_jwk_components("AQAB", "AQAB").unwrap();
        assert!(!tiny.verifies(b"message", &[0u8; 256]));
    }
}
