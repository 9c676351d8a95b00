//! The adapter's error type: a kind that says whether a retry is safe, a short message without
//! secrets, and the underlying cause.

use std::error::Error as StdError;
use std::fmt;

/// A boxed error, as hyper and rustls hand them out.
pub(crate) type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// What went wrong, in terms that decide whether a retry is safe.
///
/// The kinds mirror `stytch_b2b_passwords::TransportErrorKind` one to one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No connection could be made (refused, DNS failure, connect timeout, TLS handshake
    /// failure), or the connection closed before the request was written. The request was never
    /// sent.
    Connect,
    /// The call's time limit ran out. The request may have reached the server.
    Timeout,
    /// The connection failed after the request may have been sent (reset, closed mid-body).
    Io,
    /// The response body was larger than the transport's limit.
    BodyTooLarge,
    /// The transport refused the request before sending anything (for example plain `http://` to
    /// a host that is not loopback).
    Refused,
    /// Anything else: an invalid setting, a malformed response.
    Other,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Connect => "connect",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Io => "i/o",
            ErrorKind::BodyTooLarge => "body too large",
            ErrorKind::Refused => "refused",
            ErrorKind::Other => "other",
        })
    }
}

/// A failure to get a complete response.
///
/// The message never contains a secret: it is built from the target's scheme, host and port,
/// socket and TLS errors, and limits, never from request headers or bodies.
pub struct Error {
    kind: ErrorKind,
    message: String,
    attempts: u32,
    source: Option<BoxError>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            attempts: 0,
            source: None,
        }
    }

    pub(crate) fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The short description, without the kind.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How many attempts were started before the call failed: 0 when the request was refused
    /// before any, more than 1 when it was retried.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the request provably was not sent, so sending it again is safe.
    pub fn is_connect(&self) -> bool {
        self.kind == ErrorKind::Connect
    }

    /// Whether the call's time limit ran out.
    pub fn is_timeout(&self) -> bool {
        self.kind == ErrorKind::Timeout
    }

    /// Splits the error into its kind, message and underlying cause.
    pub fn into_parts(self) -> (ErrorKind, String, Option<Box<dyn StdError + Send + Sync>>) {
        (self.kind, self.message, self.source)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("attempts", &self.attempts)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} error: {}", self.kind, self.message)
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// Walks an error's causes, looking also inside `io::Error`s (whose `source` skips the error
/// they wrap).
pub(crate) fn any_cause(
    err: &(dyn StdError + 'static),
    f: &mut dyn FnMut(&(dyn StdError + 'static)) -> bool,
) -> bool {
    let mut current = Some(err);
    let mut depth = 0;
    while let Some(e) = current {
        if f(e) {
            return true;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(inner) = io.get_ref() {
                if any_cause(inner, f) {
                    return true;
                }
            }
        }
        depth += 1;
        if depth > 16 {
            break;
        }
        current = e.source();
    }
    false
}

/// The innermost cause's message, where the useful words usually are ("Connection refused",
/// "invalid peer certificate: UnknownIssuer").
pub(crate) fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut last = err.to_string();
    any_cause(err, &mut |e| {
        last = e.to_string();
        false
    });
    last
}
