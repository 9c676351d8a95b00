//! What counts as a secret in an exchange, and how it is replaced by a placeholder.
//!
//! A secret is replaced by a placeholder named after the field it was first seen in
//! (`<secret:session_token:1>`), and the same value gets the same placeholder everywhere in a
//! cassette: a session token returned by one call and sent in a later one (in a body or in the
//! Member session header) keeps one name, so a reader can follow it through the flow.

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::Value;

/// Body fields whose values are secrets, at any depth: passwords, password hashes and their
/// salts, reset tokens, session tokens and JWTs, intermediate session tokens, PKCE verifiers.
pub(crate) const SECRET_FIELDS: &[&str] = &[
    "password",
    "existing_password",
    "new_password",
    "hash",
    "salt",
    "prepend_salt",
    "append_salt",
    "password_reset_token",
    "session_token",
    "session_jwt",
    "intermediate_session_token",
    "code_verifier",
    "pkce_code_verifier",
];

/// Headers whose values are secrets: the project's Basic credentials, the Member session
/// headers, and cookies should a proxy add them.
pub(crate) const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-stytch-member-session",
    "x-stytch-member-sessionjwt",
    "cookie",
    "set-cookie",
];

/// Secrets at least this long are also replaced where they appear inside other text (an error
/// message or an HTML page that echoes the request). Shorter values are replaced only as whole
/// field values, so that a short password does not rewrite unrelated text.
const MIN_ECHO_LEN: usize = 8;

const PREFIX: &str = "<secret:";

pub(crate) fn is_secret_field(name: &str) -> bool {
    SECRET_FIELDS.contains(&name)
}

pub(crate) fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// Whether `s` is exactly one placeholder.
pub(crate) fn is_placeholder(s: &str) -> bool {
    s.starts_with(PREFIX) && s.ends_with('>') && s[PREFIX.len()..s.len() - 1].find('>').is_none()
}

/// The placeholders of one cassette: secret value to placeholder, kept across exchanges.
#[derive(Default)]
pub(crate) struct Scrubber {
    by_value: HashMap<String, String>,
    per_name: HashMap<String, u32>,
    /// The values long enough to look for inside other text, longest first.
    echoes: Vec<String>,
}

impl Scrubber {
    /// Records `value` as a secret first seen as `name`, and returns its placeholder: the one it
    /// already has if it was seen before, under whatever name.
    pub(crate) fn learn(&mut self, name: &str, value: &str) -> String {
        if value.is_empty() || is_placeholder(value) {
            return value.to_owned();
        }
        if let Some(p) = self.by_value.get(value) {
            return p.clone();
        }
        let n = self.per_name.entry(name.to_owned()).or_insert(0);
        *n += 1;
        let placeholder = format!("{PREFIX}{name}:{n}>");
        self.by_value.insert(value.to_owned(), placeholder.clone());
        if value.len() >= MIN_ECHO_LEN {
            let at = self.echoes.partition_point(|e| e.len() >= value.len());
            self.echoes.insert(at, value.to_owned());
        }
        placeholder
    }

    /// Learns every secret field's value in `value`, at any depth, without changing it.
    pub(crate) fn learn_json(&mut self, value: &Value) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        Value::String(s) if is_secret_field(k) => {
                            self.learn(k, s);
                        }
                        _ => self.learn_json(v),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.learn_json(v)),
            _ => {}
        }
    }

    /// Learns a secret header's value: the whole value, and for Basic credentials the secret
    /// part, so that an echo of the project secret alone is caught too.
    pub(crate) fn learn_header(&mut self, name: &str, value: &str) {
        let name = name.to_ascii_lowercase();
        if name == "authorization" {
            if let Some(b64) = value.strip_prefix("Basic ") {
                if let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
                    if let Some((_, secret)) = String::from_utf8_lossy(&decoded).split_once(':') {
                        self.learn("project_secret", secret);
                    }
                }
            }
        }
        self.learn(&name, value);
    }

    /// Replaces every secret field's value by its placeholder and every known secret inside
    /// other strings, at any depth.
    pub(crate) fn scrub_json(&mut self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    match v {
                        Value::String(s) if is_secret_field(k) => *s = self.learn(k, s),
                        _ => self.scrub_json(v),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_json(v)),
            Value::String(s) => *s = self.scrub_text(s),
            _ => {}
        }
    }

    /// `text` with every known secret of at least [`MIN_ECHO_LEN`] bytes replaced.
    pub(crate) fn scrub_text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.echoes {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), &self.by_value[secret]);
            }
        }
        out
    }
}

/// Whether `live` fits `recorded`, where each placeholder inside `recorded` stands for any text.
pub(crate) fn text_matches(recorded: &str, live: &str) -> bool {
    let mut parts = Vec::new();
    let mut rest = recorded;
    while let Some(start) = rest.find(PREFIX) {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        parts.push(&rest[..start]);
        rest = &rest[start + len + 1..];
    }
    if parts.is_empty() {
        return recorded == live;
    }
    parts.push(rest);
    // The first part anchors the start, the last the end, the middle ones are found in order.
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    let Some(mut live_rest) = live.strip_prefix(first) else {
        return false;
    };
    for middle in &parts[1..parts.len() - 1] {
        match live_rest.find(middle) {
            Some(at) => live_rest = &live_rest[at + middle.len()..],
            None => return false,
        }
    }
    live_rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_value_one_placeholder_across_fields_and_headers() {
        let mut s = Scrubber::default();
        let mut response = json!({"session_token": "tok-AAAA-1111", "member": {"name": "Ada"}});
        s.learn_json(&response);
        s.scrub_json(&mut response);
        assert_eq!(response["session_token"], "<secret:session_token:1>");
        assert_eq!(response["member"]["name"], "Ada");

        let mut later = json!({"session_token": "tok-AAAA-1111", "password": "pw-BBBB-2222"});
        s.learn_json(&later);
        s.scrub_json(&mut later);
        assert_eq!(
            later,
            json!({"session_token": "<secret:session_token:1>", "password": "<secret:password:1>"})
        );
        // The same token sent as a header keeps the name it got in the body.
        s.learn_header("X-Stytch-Member-Session", "tok-AAAA-1111");
        assert_eq!(
            s.learn("x-stytch-member-session", "tok-AAAA-1111"),
            "<secret:session_token:1>"
        );
    }

    #[test]
    fn echoes_are_scrubbed_inside_text_and_basic_credentials_reveal_the_secret() {
        let mut s = Scrubber::default();
        let basic = base64::engine::general_purpose::STANDARD.encode("project-1:secret-CCCC-3333");
        s.learn_header("authorization", &format!("Basic {basic}"));
        s.learn("password", "pw-BBBB-2222");
        let mut body = json!({"error_message": "bad pw-BBBB-2222 for secret-CCCC-3333!"});
        s.scrub_json(&mut body);
        assert_eq!(
            body["error_message"],
            "bad <secret:password:1> for <secret:project_secret:1>!"
        );
        // Short values are whole-field only.
        s.learn("password", "abc");
        assert_eq!(s.scrub_text("abcdef"), "abcdef");
    }

    #[test]
    fn placeholders_are_wildcards_when_matching() {
        assert!(is_placeholder("<secret:password:1>"));
        assert!(!is_placeholder("<secret:a:1> and <secret:b:2>"));
        assert!(!is_placeholder("plain"));
        assert!(text_matches("plain", "plain"));
        assert!(!text_matches("plain", "plains"));
        assert!(text_matches("<secret:password:1>", "anything at all"));
        assert!(text_matches(
            "bad <secret:password:1> for <secret:project_secret:1>!",
            "bad hunter22 for s3cr3t!"
        ));
        assert!(!text_matches("bad <secret:password:1>!", "good hunter22!"));
        assert!(!text_matches("bad <secret:password:1>!", "bad hunter22?"));
    }
}
