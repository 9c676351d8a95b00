//! Fault injection: make the next calls fail, slow down, or (served mode) drop the connection.

use std::time::Duration;

use bytes::Bytes;

use crate::error::error_body;

/// What an injected fault does.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Answer with this status and body instead of handling the call. A Stytch-shaped JSON body
    /// gets the call's `request_id` filled in.
    Respond {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: Bytes,
        /// The `Content-Type`.
        content_type: String,
    },
    /// Wait this long, then handle the call normally.
    Latency(Duration),
    /// Close the connection without an answer. In-process, [`EmulatorTransport`] returns a
    /// transport error of kind `Io` instead.
    ///
    /// [`EmulatorTransport`]: crate::EmulatorTransport
    DropConnection,
}

/// A fault for the next `times` calls (to `path`, if set).
///
/// ```
/// use std::time::Duration;
/// use stytch_b2b_passwords_emulator::{Emulator, Fault};
///
/// let emulator = Emulator::new();
/// emulator.inject_fault(Fault::error(429, "too_many_requests", "Too many requests have been made.").times(2));
/// emulator.inject_fault(Fault::latency(Duration::from_millis(50)).on_path("/v1/b2b/passwords/authenticate"));
/// emulator.inject_fault(Fault::drop_connection());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) remaining: u32,
    pub(crate) path: Option<String>,
}

impl Fault {
    /// A Stytch-shaped error: `{status_code, request_id, error_type, error_message, error_url}`.
    pub fn error(status: u16, error_type: &str, message: &str) -> Self {
        let body = error_body(status, "", error_type, message).to_string();
        Self::new(FaultKind::Respond {
            status,
            body: Bytes::from(body),
            content_type: "application/json".to_owned(),
        })
    }

    /// Any status and body, such as an HTML page from a proxy.
    pub fn respond(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self::new(FaultKind::Respond {
            status,
            body: body.into(),
            content_type: content_type.to_owned(),
        })
    }

    /// Added latency before the call is handled normally.
    pub fn latency(delay: Duration) -> Self {
        Self::new(FaultKind::Latency(delay))
    }

    /// A dropped connection (a transport error in-process).
    pub fn drop_connection() -> Self {
        Self::new(FaultKind::DropConnection)
    }

    /// A fault of any kind, once.
    pub fn new(kind: FaultKind) -> Self {
        Self {
            kind,
            remaining: 1,
            path: None,
        }
    }

    /// Applies to the next `n` matching calls instead of one.
    #[must_use]
    pub fn times(mut self, n: u32) -> Self {
        self.remaining = n;
        self
    }

    /// Applies only to calls to this path, such as `/v1/b2b/passwords/authenticate`.
    #[must_use]
    pub fn on_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// What it does.
    pub fn kind(&self) -> &FaultKind {
        &self.kind
    }
}
