//! The compact JWS form of a session JWT: its three segments and its header.

use base64::Engine as _;
use serde::Deserialize;

use super::error::{shorten, JwtError, MalformedJwt};

/// The segments of a compact JWS, all non-empty.
pub(crate) struct Segments<'a> {
    /// `header.payload`, the bytes the signature covers.
    pub(crate) signed: &'a str,
    pub(crate) header: &'a str,
    pub(crate) payload: &'a str,
    pub(crate) signature: &'a str,
}

/// Splits a compact JWS into the signed part and its three segments, all non-empty.
pub(crate) fn split(jwt: &str) -> Result<Segments<'_>, MalformedJwt> {
    let (signed, signature) = jwt.rsplit_once('.').ok_or(MalformedJwt::Structure)?;
    let (header, payload) = signed.split_once('.').ok_or(MalformedJwt::Structure)?;
    if header.is_empty() || payload.is_empty() || signature.is_empty() || payload.contains('.') {
        return Err(MalformedJwt::Structure);
    }
    Ok(Segments {
        signed,
        header,
        payload,
        signature,
    })
}

/// The header fields the verification reads; others are ignored.
#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

/// Decodes the header, requires RS256, and returns the `kid`.
pub(crate) fn key_id(header_b64: &str) -> Result<String, JwtError> {
    let header: Header = decode_json(header_b64).ok_or(MalformedJwt::Header)?;
    if header.alg != "RS256" {
        return Err(JwtError::UnsupportedAlgorithm {
            alg: shorten(&header.alg),
        });
    }
    match header.kid {
        Some(kid) if !kid.is_empty() => Ok(kid),
        _ => Err(MalformedJwt::MissingKeyId.into()),
    }
}

/// A base64url segment decoded as JSON into `T`.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(segment: &str) -> Option<T> {
    let bytes = decode_b64(segment)?;
    serde_json::from_slice(&bytes).ok()
}

/// A base64url segment (no padding, as JWS requires) decoded.
pub(crate) fn decode_b64(segment: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(text: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    #[test]
    fn split_requires_three_non_empty_segments() {
        let parts = split("a.b.c").unwrap();
        assert_eq!(
            (parts.signed, parts.header, parts.payload, parts.signature),
            ("a.b", "a", "b", "c")
        );
        for bad in [
            "", ".", "..", "a.b", "a.b.", ".b.c", "a..c", "a.b.c.d", "abc",
        ] {
            assert_eq!(split(bad).err(), Some(MalformedJwt::Structure), "{bad:?}");
        }
    }

    #[test]
    fn the_header_must_name_rs256_and_a_kid() {
        assert_eq!(
            key_id(&b64(r#"{"alg":"RS256","typ":"JWT","kid":"k1"}"#)).ok(),
            Some("k1".to_owned())
        );
        let code = |header: &str| key_id(header).err().map(|e| e.code());
        assert_eq!(
            code(&b64(r#"{"alg":"none","kid":"k1"}"#)),
            Some("unsupported_algorithm")
        );
        assert_eq!(code(&b64(r#"{"alg":"RS256"}"#)), Some("malformed"));
        assert_eq!(code(&b64(r#"{"kid":"k1"}"#)), Some("malformed"));
        assert_eq!(code(&b64(r#"{"alg":5,"kid":"k1"}"#)), Some("malformed"));
        assert_eq!(code(&b64("[1,2]")), Some("malformed"));
        assert_eq!(code("!!"), Some("malformed"));
    }
}
