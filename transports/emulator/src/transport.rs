//! `EmulatorTransport`: the core's `HttpTransport` port, answered in-process.

use async_trait::async_trait;
use stytch_b2b_passwords::transport::{
    HttpRequest, HttpResponse, HttpTransport, TransportError, TransportErrorKind,
};

use crate::emulator::{Emulator, Outcome};

/// Answers `http::Request`s in-process, with no socket: plug it into
/// `PasswordsClient::builder(..).transport(..)`.
///
/// The host and scheme of the request URI are ignored; the path selects the endpoint. Injected
/// faults apply (a dropped connection becomes a [`TransportError`] of kind `Io`; latency needs a
/// tokio runtime with the time driver).
///
/// ```
/// use stytch_b2b_passwords::{PasswordsApi, PasswordsClient, StrengthCheckRequest};
/// use stytch_b2b_passwords_emulator::Emulator;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let emulator = Emulator::new();
/// let client = PasswordsClient::builder(emulator.project_id(), emulator.secret())
///     .transport(emulator.transport())
///     .build()?;
/// let strength = client.strength_check(StrengthCheckRequest::new("password")).await?;
/// assert!(!strength.valid_password);
/// # Ok::<_, Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct EmulatorTransport {
    emulator: Emulator,
}

impl EmulatorTransport {
    /// A transport answering from `emulator`'s state.
    pub fn new(emulator: Emulator) -> Self {
        Self { emulator }
    }

    /// The emulator behind it.
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }
}

#[async_trait]
impl HttpTransport for EmulatorTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        match self.emulator.process(request).await {
            Outcome::Response(response) => Ok(response),
            Outcome::Dropped => Err(TransportError::new(
                TransportErrorKind::Io,
                "emulator: connection dropped before a response (injected fault)",
            )),
        }
    }
}
