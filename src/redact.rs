//! Keeps what a request carried out of the error made from its response.
//!
//! An error page can echo the request it answers (proxies and web application firewalls do), and
//! with it the password, the reset token or the `Authorization` header. So an error built from a
//! response is cleaned of every value the request carried before anyone can print it. The work
//! is done on the error path only; while the request is in flight, [`SentValues`] holds its body
//! and credential headers by reference count, without copying them.

use bytes::Bytes;
use http::header::HeaderValue;

use crate::error::{ApiError, ErrorType};
use crate::transport::HttpRequest;

/// What replaces a value the request carried.
pub(crate) const REDACTED: &str = "<redacted>";

/// Shorter values are left alone: they cannot be told apart from ordinary words (a locale such
/// as `en`), and no secret is that short.
const MIN_LEN: usize = 4;

/// The values a request carried: its JSON body and its credential headers, held by reference
/// count (no copy) while the request is in flight. Pass it to
/// [`wire::parse_response_for`](crate::wire::parse_response_for) so that an error made from the
/// response never shows them. `Debug` shows nothing of them.
#[derive(Clone, Default)]
pub struct SentValues {
    body: Bytes,
    /// The header values marked sensitive: `Authorization`, and the Member session header if
    /// any (`build_request` marks exactly these; a request has at most two).
    headers: [Option<HeaderValue>; 2],
}

impl SentValues {
    /// The values `request` carries. Costs reference counts, no copy; the headers are walked,
    /// not looked up by name, since a request has only a handful.
    pub fn of(request: &HttpRequest) -> Self {
        let mut headers: [Option<HeaderValue>; 2] = Default::default();
        let sensitive = request.headers().values().filter(|v| v.is_sensitive());
        for (slot, value) in headers.iter_mut().zip(sensitive) {
            *slot = Some(value.clone());
        }
        Self {
            body: request.body().clone(),
            headers,
        }
    }
}

impl std::fmt::Debug for SentValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SentValues(<redacted>)")
    }
}

/// The password part of a Basic credential (`base64(id:secret)`), if it decodes.
fn basic_secret(credential: &str) -> Option<String> {
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(credential.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.split_once(':').map(|(_, secret)| secret.to_owned())
}

/// The texts to remove, longest first (so a value that contains another goes whole).
pub(crate) struct Needles(Vec<String>);

impl Needles {
    /// Every string in the request body (as sent, and JSON-escaped as it appears in the body),
    /// and every credential header (whole, the credential after `Basic `, and the secret that
    /// credential encodes).
    pub(crate) fn of(sent: &SentValues) -> Self {
        let mut needles = Vec::new();
        if let Ok(body) = serde_json::from_slice::<serde_json::Value>(&sent.body) {
            collect_strings(&body, &mut needles);
        }
        for value in sent.headers.iter().flatten() {
            if let Ok(text) = value.to_str() {
                needles.push(text.to_owned());
                if let Some(credential) = text.strip_prefix("Basic ") {
                    needles.push(credential.to_owned());
                    // And the project secret itself, which a page may echo decoded.
                    if let Some(secret) = basic_secret(credential) {
                        needles.push(secret);
                    }
                }
            }
        }
        let escaped: Vec<String> = needles
            .iter()
            .filter_map(|n| {
                let quoted = serde_json::to_string(n).ok()?;
                let inner = quoted.get(1..quoted.len().saturating_sub(1))?;
                (inner != n.as_str()).then(|| inner.to_owned())
            })
            .collect();
        needles.extend(escaped);
        needles.retain(|n| n.len() >= MIN_LEN);
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Self(needles)
    }

    /// Replaces every needle in `text`.
    pub(crate) fn clean(&self, text: &mut String) {
        for needle in &self.0 {
            if text.contains(needle.as_str()) {
                *text = text.replace(needle.as_str(), REDACTED);
            }
        }
    }

    /// The first `limit` bytes of `body` as text, cut on a character boundary and before any
    /// needle that the cut would split (half a token is still a secret), then cleaned.
    pub(crate) fn excerpt(&self, body: &[u8], limit: usize) -> String {
        let mut cut = body.len().min(limit);
        for needle in &self.0 {
            let needle = needle.as_bytes();
            let first = cut.saturating_sub(needle.len() - 1);
            if let Some(at) = (first..cut).find(|&at| body[at..].starts_with(needle)) {
                cut = cut.min(at);
            }
        }
        let mut text = excerpt(&body[..cut], limit);
        self.clean(&mut text);
        text
    }

    /// Cleans every text of an API error: its message, request id, URL, unknown error type and
    /// the strings (keys too) of its details.
    pub(crate) fn clean_api_error(&self, api: &mut ApiError) {
        for text in [
            &mut api.request_id,
            &mut api.error_message,
            &mut api.error_url,
        ]
        .into_iter()
        .flatten()
        {
            self.clean(text);
        }
        if let ErrorType::Other(text) = &mut api.error_type {
            self.clean(text);
        }
        if let Some(details) = &mut api.error_details {
            self.clean_json(details);
        }
    }

    fn clean_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) => self.clean(text),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.clean_json(v)),
            serde_json::Value::Object(map) => {
                let entries = std::mem::take(map);
                for (mut key, mut item) in entries {
                    self.clean(&mut key);
                    self.clean_json(&mut item);
                    map.insert(key, item);
                }
            }
            _ => {}
        }
    }
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => out.push(text.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

/// The first `limit` bytes of `body` as text, cut on a character boundary.
pub(crate) fn excerpt(body: &[u8], limit: usize) -> String {
    let cut = &body[..body.len().min(limit)];
    let text = String::from_utf8_lossy(cut);
    // A multi-byte character split at the cut shows as U+FFFD at the end; drop it.
    text.trim_end_matches('\u{FFFD}').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(body: &str, headers: &[(&str, &str)]) -> SentValues {
        let mut request = http::Request::new(Bytes::from(body.to_owned()));
        for (name, value) in headers {
            let mut value = HeaderValue::from_str(value).unwrap();
            value.set_sensitive(name != &"user-agent");
            request.headers_mut().insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value,
            );
        }
        SentValues::of(&request)
    }

    #[test]
    fn removes_body_strings_and_credential_headers() {
        let needles = Needles::of(&sent(
            r#"{"password":"pa\"ss-word","nested":{"list":["tok-123456"]},"n":12345,"locale":"en"}"#,
            &[
                ("authorization", "Basic cHJvamVjdC0xOnMzY3IzdC12YWx1ZQ=="),
                ("x-stytch-member-session", "member-tok-1"),
                ("user-agent", "ua-not-a-secret"),
            ],
        ));
        let mut text = String::from(
            r#"echo: pa"ss-word / "pa\"ss-word" / tok-123456 / cHJvamVjdC0xOnMzY3IzdC12YWx1ZQ== / member-tok-1 / 12345 / en / ua-not-a-secret / s3cr3t-value"#,
        );
        needles.clean(&mut text);
        assert_eq!(
            text,
            "echo: <redacted> / \"<redacted>\" / <redacted> / <redacted> / <redacted> / 12345 / en / ua-not-a-secret / <redacted>"
        );
    }

    #[test]
    fn an_excerpt_never_ends_in_part_of_a_value() {
        let needles = Needles::of(&sent(r#"{"password":"SECRET-PASSWORD"}"#, &[]));
        let body = format!("{}SECRET-PASSWORD and more", "x".repeat(20));
        for limit in 0..body.len() {
            let text = needles.excerpt(body.as_bytes(), limit);
            assert!(!text.contains("SECRET-"), "{limit}: {text}");
        }
        assert_eq!(
            needles.excerpt(body.as_bytes(), 1000),
            format!("{}<redacted> and more", "x".repeat(20))
        );
    }

    #[test]
    fn excerpt_cuts_on_char_boundary() {
        let body = "é".repeat(300);
        assert_eq!(excerpt(body.as_bytes(), 5), "éé");
        assert_eq!(excerpt(b"", 10), "");
    }
}
