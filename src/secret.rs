//! A wrapper that keeps secret strings out of logs, serialized output and freed memory.

use std::cell::Cell;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// A secret string: a password, a password hash, a session token or JWT, a reset token, a PKCE
/// verifier or the project secret.
///
/// - `Debug` prints `Secret(<redacted>)` and there is deliberately no `Display`, so a secret
///   cannot reach a log line, an error message or a tracing field by accident. Read the value
///   with [`Secret::expose`] where it is really needed.
/// - Serializing a `Secret` fails instead of writing the value, so a request or a struct of your
///   own that holds one cannot carry it into a log or a cache by accident. Where the value must
///   be written (your own API answering a browser, say), opt in with
///   [`Secret::serialize_exposed`] or serialize [`Secret::expose`]. The one place the crate
///   itself writes secrets is the body of the request it sends (`wire::build_request`).
/// - Two secrets compare in constant time (for equal lengths), so a comparison does not tell how
///   many leading bytes matched.
/// - The memory holding the value is wiped (zeroed) when the `Secret` is dropped. Copies the
///   program made itself, such as the [`expose`](Secret::expose)d text it formatted elsewhere,
///   are its own to care for.
///
/// ```
/// use stytch_b2b_passwords::Secret;
///
/// let token = Secret::new("session-token-abc");
/// assert_eq!(format!("{token:?}"), "Secret(<redacted>)");
/// assert_eq!(token.expose(), "session-token-abc");
/// assert!(serde_json::to_string(&token).is_err());
///
/// #[derive(serde::Serialize)]
/// struct LoginAnswer<'a> {
///     #[serde(serialize_with = "Secret::serialize_exposed")]
///     session_token: &'a Secret,
/// }
/// let answer = LoginAnswer { session_token: &token };
/// assert_eq!(
///     serde_json::to_string(&answer).unwrap(),
///     r#"{"session_token":"session-token-abc"}"#
/// );
/// ```
///
/// A response holds secrets too, so responses are not `Serialize` at all (the objects they embed,
/// such as [`Member`](crate::Member), hold none and are):
///
/// ```compile_fail
/// fn log_as_json<T: serde::Serialize>(_: &T) {}
/// log_as_json(&stytch_b2b_passwords::AuthenticateResponse::default());
/// ```
#[derive(Clone, Default)]
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

    /// Unwraps the value. The returned `String` is no longer wiped on drop.
    pub fn into_inner(mut self) -> String {
        std::mem::take(&mut self.0)
    }

    /// Whether the value is the empty string (the API sends `""` where no token was issued).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Writes the value itself with `serializer`: the explicit opt-in for a field that must
    /// carry the secret, as `#[serde(serialize_with = "Secret::serialize_exposed")]` on a
    /// `Secret` or `&Secret` field (see the type's example).
    pub fn serialize_exposed<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

thread_local! {
    /// Set while [`exposing`] runs: only then does a `Secret` serialize as its value.
    static EXPOSING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with every `Secret` serializing as its value: how a request's JSON body is written
/// (`wire::build_request`), and nowhere else. Serializing is synchronous, so a flag of this
/// thread scopes the opt-in to exactly that call; the previous state is restored on the way out,
/// even by a panic.
pub(crate) fn exposing<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            EXPOSING.with(|exposing| exposing.set(self.0));
        }
    }
    let _restore = Restore(EXPOSING.with(|exposing| exposing.replace(true)));
    f()
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl PartialEq for Secret {
    /// Constant time in the contents; only the lengths may show.
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl Hash for Secret {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for Secret {}

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

/// Refuses, so that no secret is written by serializing a value that happens to hold one: a
/// secret is written through [`Secret::serialize_exposed`] or [`Secret::expose`], or as part of
/// a request body by `wire::build_request`.
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if EXPOSING.with(Cell::get) {
            serializer.serialize_str(self.expose())
        } else {
            Err(serde::ser::Error::custom(
                "a Secret is not serialized; opt in with Secret::serialize_exposed",
            ))
        }
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The API sends `null` for tokens it did not issue; treat that as empty.
        Option::<String>::deserialize(deserializer).map(|v| Self(v.unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_is_by_value() {
        assert_eq!(Secret::new("abc"), Secret::new("abc"));
        assert_ne!(Secret::new("abc"), Secret::new("abd"));
        assert_ne!(Secret::new("abc"), Secret::new("abcd"));
        assert_eq!(Secret::default(), Secret::new(""));
    }

    #[test]
    fn exposing_ends_with_its_call_even_by_a_panic() {
        let secret = Secret::new("abc");
        assert!(serde_json::to_string(&secret).is_err());
        assert_eq!(
            exposing(|| serde_json::to_string(&secret)).ok().as_deref(),
            Some("\"abc\"")
        );
        assert!(serde_json::to_string(&secret).is_err());
        let panicked = std::panic::catch_unwind(|| exposing(|| panic!("in the middle")));
        assert!(panicked.is_err());
        assert!(serde_json::to_string(&secret).is_err());
    }

    #[test]
    fn into_inner_keeps_the_value() {
        assert_eq!(Secret::new("abc").into_inner(), "abc");
    }
}
