//! Checks every transport makes before sending, and how messages name a target.
//!
//! Shared by the adapters so that each refuses the same things with the same words.

use std::fmt;

use http::Uri;

use crate::error::{TransportError, TransportErrorKind};

/// Refuses what must not be sent: a scheme other than `http`/`https`, a URL without a host, and
/// plain `http` to a host that is not loopback (unless allowed).
pub fn check_target(uri: &Uri, allow_insecure_http: bool) -> Result<(), TransportError> {
    let Some(host) = uri.host() else {
        return Err(TransportError::new(
            TransportErrorKind::Refused,
            "the URL has no host: an absolute https:// URL is required",
        ));
    };
    let scheme = uri.scheme();
    if scheme == Some(&http::uri::Scheme::HTTPS) {
        return Ok(());
    }
    if scheme != Some(&http::uri::Scheme::HTTP) {
        return Err(TransportError::new(
            TransportErrorKind::Refused,
            format!("unsupported URL scheme for {}: use https://", Target(uri)),
        ));
    }
    if allow_insecure_http || is_loopback(host) {
        return Ok(());
    }
    Err(TransportError::new(
        TransportErrorKind::Refused,
        format!(
            "plain http:// to {} refused: it would send credentials in clear; use https://, \
             or allow it in the transport's settings (`allow_insecure_http`)",
            Target(uri)
        ),
    ))
}

/// Whether `host` is certainly this machine: `localhost`, `127.0.0.0/8`, `::1`.
pub fn is_loopback(host: &str) -> bool {
    // The usual spelling first: this runs on every plain-http call (the emulator, local tests).
    if host == "127.0.0.1" {
        return true;
    }
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if host.eq_ignore_ascii_case("localhost") || host.eq_ignore_ascii_case("localhost.") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// `scheme://host:port` of a URI, for messages: never its path, query or user info.
pub struct Target<'a>(pub &'a Uri);

impl fmt::Display for Target<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = self.0.scheme_str().unwrap_or("?");
        let host = self.0.host().unwrap_or("?");
        match self.0.port_u16() {
            Some(port) => write!(f, "{scheme}://{host}:{port}"),
            None => write!(f, "{scheme}://{host}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for host in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.8.9.10",
            "[::1]",
            "::1",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "example.com",
            "localhost.example.com",
            "10.0.0.1",
            "[::2]",
            "0.0.0.0",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
        assert!(is_loopback("[::ffff:127.0.0.1]"));
    }

    #[test]
    fn targets_checked_before_sending() {
        let check = |url: &str, allow| check_target(&url.parse().unwrap(), allow);
        assert!(check("https://api.stytch.com/v1", false).is_ok());
        assert!(check("http://127.0.0.1:8080/v1", false).is_ok());
        assert!(check("http://localhost/v1", false).is_ok());
        let err = check("http://example.com/v1", false).unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Refused);
        assert!(err.message().contains("http://example.com"), "{err}");
        assert!(check("http://example.com/v1", true).is_ok());
        assert_eq!(
            check("ftp://example.com/x", true).unwrap_err().kind(),
            TransportErrorKind::Refused
        );
        assert_eq!(
            check("/relative", true).unwrap_err().kind(),
            TransportErrorKind::Refused
        );
    }

    #[test]
    fn target_never_shows_user_info_or_path() {
        let uri: Uri = "https://user:pw@example.com:8443/secret/path?token=x"
            .parse()
            .unwrap();
        assert_eq!(Target(&uri).to_string(), "https://example.com:8443");
    }
}
