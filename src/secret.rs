//! A wrapper that keeps secret strings out of logs.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret string: a password, a password hash, a session token or JWT, a reset token, a PKCE
/// verifier or the project secret.
///
/// `Debug` prints `Secret(<redacted>)` and there is deliberately no `Display`, so a secret cannot
/// reach a log line, an error message or a tracing field by accident. Read the value with
/// [`Secret::expose`] where it is really needed.
///
/// ```
/// use stytch_b2b_passwords::Secret;
///
/// let token = Secret::new("session-token-abc");
/// assert_eq!(format!("{token:?}"), "Secret(<redacted>)");
/// assert_eq!(token.expose(), "session-token-abc");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself. Call this only where the value must leave the program.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> String {
        self.0
    }

    /// Whether the value is the empty string (the API sends `""` where no token was issued).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The API sends `null` for tokens it did not issue; treat that as empty.
        Option::<String>::deserialize(deserializer).map(|v| Self(v.unwrap_or_default()))
    }
}
