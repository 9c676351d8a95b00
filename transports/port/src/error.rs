//! `TransportError` and its kinds: how far a request got before the exchange failed.

use std::fmt;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong in a transport, told as how far the request got: the client decides from it
/// whether sending again is safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS failure, connect timeout), or the connection
    /// closed before the request was written. The request was never sent.
    Connect,
    /// The TLS handshake failed (for example an untrusted certificate). The request was never
    /// sent, and sending it again fails the same way.
    Tls,
    /// A time limit ran out. The request may have reached the server.
    Timeout,
    /// The connection failed after the request may have been sent (reset, closed mid-body).
    Io,
    /// The response body was larger than the transport's limit.
    BodyTooLarge,
    /// The transport refused the request before sending it (for example plain `http://` to a
    /// host that is not loopback).
    Refused,
    /// Anything else: an invalid setting, a malformed response.
    Other,
}

impl TransportErrorKind {
    /// Whether the request may have reached the server before the failure.
    pub fn may_have_been_sent(self) -> bool {
        matches!(
            self,
            TransportErrorKind::Timeout
                | TransportErrorKind::Io
                | TransportErrorKind::BodyTooLarge
                | TransportErrorKind::Other
        )
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Tls => "tls",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Io => "i/o",
            TransportErrorKind::BodyTooLarge => "body too large",
            TransportErrorKind::Refused => "refused",
            TransportErrorKind::Other => "other",
        })
    }
}

/// A failure to get a complete response from the transport.
///
/// The message must never contain a secret: transports build it from URLs without credentials,
/// socket errors and limits, never from request headers or bodies.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    attempts: u32,
    source: Option<BoxError>,
}

impl TransportError {
    /// A new error of `kind` with a short description.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            attempts: 1,
            source: None,
        }
    }

    /// Attaches the underlying cause, kept for [`std::error::Error::source`]: any error, or one
    /// already boxed (as adapters often hold them).
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Sets how many attempts the call made (the client does, when it gives up).
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The short description given when the error was made.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// How many attempts the call made before failing, this one included (1 until the client
    /// says otherwise).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether a time limit ran out.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "transport error ({}): {}", self.kind, self.message)?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
