//! Record and replay for `stytch-b2b-passwords`: capture what real Stytch answers to your
//! test suite's calls once, with every secret scrubbed, then replay it offline.
//!
//! Mocks answer what a test's author guessed, and the emulator answers what we modelled; a
//! cassette answers what Stytch itself answered. Both halves are `HttpTransport`s, so the client
//! and your code run unchanged:
//!
//! - [`RecordingTransport`] wraps any transport (the hyper one, to reach Stytch) and writes each
//!   exchange to a cassette file;
//! - [`ReplayTransport`] answers from that file with no network;
//! - [`from_env`] picks one from the `STYTCH_CASSETTE` variable, the way VCR-style libraries do.
//!
//! ```
//! use stytch_b2b_passwords::{PasswordsApi, PasswordsClient, StrengthCheckRequest};
//! use stytch_b2b_passwords_cassette::{Mode, RecordingTransport, ReplayTransport};
//! use stytch_b2b_passwords_emulator::Emulator;
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let dir = std::env::temp_dir().join(format!("cassette-doc-{}", std::process::id()));
//! let path = dir.join("strength.json");
//!
//! // Record, here against the emulator (against Stytch, wrap the hyper transport).
//! let emulator = Emulator::new();
//! let recorder = RecordingTransport::create(&path, emulator.transport())?;
//! let client = PasswordsClient::builder(emulator.project_id(), emulator.secret())
//!     .transport(recorder)
//!     .build()?;
//! let live = client.strength_check(StrengthCheckRequest::new("quasar-Mauve-kettle-1987")).await?;
//! assert!(!std::fs::read_to_string(&path)?.contains("quasar-Mauve-kettle-1987"));
//!
//! // Replay with no emulator and no network; any credentials do.
//! drop(emulator);
//! let client = PasswordsClient::builder("project-test-any", "secret-any")
//!     .transport(ReplayTransport::open(&path)?)
//!     .build()?;
//! let replayed = client.strength_check(StrengthCheckRequest::new("another password")).await?;
//! assert_eq!(replayed.score, live.score);
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! # The cassette
//!
//! One pretty-printed JSON document per exchange, one after the other (`jq` reads the file as
//! it is): the operation, which attempt of its call the exchange was (a call the client retried
//! is several exchanges), the request's method, path, headers and body, and the response's
//! status, headers and body, or the transport error. JSON bodies are kept as
//! JSON, so a cassette diffs well in review.
//!
//! # What is scrubbed
//!
//! Before anything is written: the `Authorization` header (and the project secret inside it),
//! the Member session headers, cookies, and in every request and response body, at any depth,
//! the fields `password`, `existing_password`, `new_password`, `hash` and its salts,
//! `password_reset_token`, `session_token`, `session_jwt`, `intermediate_session_token`,
//! `code_verifier` and `pkce_code_verifier`. Each value becomes a placeholder such as
//! `<secret:session_token:1>`, the same one wherever the same value appears, so a token
//! returned by one call and sent in a later one keeps its name. A secret of 8 bytes or more is
//! also replaced where it is echoed inside other text (an error message, a proxy's page).
//!
//! # What a replaying test can rely on
//!
//! - Every response field that is not a secret, exactly as recorded: ids, emails, statuses,
//!   error types, the Member and Organization objects.
//! - Secret fields hold their placeholders: `session_token` is `<secret:session_token:1>`, not a
//!   token. A placeholder session JWT does not verify, so `authenticate_jwt_local` fails on it:
//!   test local verification with the emulator instead.
//! - Your requests are matched on their operation and JSON body; secret fields match any value,
//!   so a test passes the placeholder (or any string) where it passed a real reset token.
//!   Headers, credentials and the base URL are not compared.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests, so the page a user reads first stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod cassette;
mod record;
mod replay;
mod scrub;

use std::fmt;
use std::path::Path;

use stytch_b2b_passwords_transport::{HttpRequest, HttpResponse, HttpTransport, TransportError};

pub use cassette::CassetteError;
pub use record::RecordingTransport;
pub use replay::{ReplayOrder, ReplayTransport};

/// The environment variable [`Mode::from_env`] reads.
pub const MODE_VARIABLE: &str = "STYTCH_CASSETTE";

/// Whether to record or replay.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// Replay when the cassette exists, record it when it does not (the default).
    #[default]
    Auto,
    /// Always record, replacing the cassette.
    Record,
    /// Always replay; a missing cassette is an error.
    Replay,
}

impl Mode {
    /// The mode named by [`MODE_VARIABLE`] (`record`, `replay` or `auto`); `Auto` when it is
    /// unset or empty.
    pub fn from_env() -> Result<Self, CassetteError> {
        match std::env::var(MODE_VARIABLE) {
            Ok(value) => value.parse(),
            Err(std::env::VarError::NotPresent) => Ok(Mode::Auto),
            Err(std::env::VarError::NotUnicode(value)) => {
                Err(CassetteError::BadMode(value.to_string_lossy().into_owned()))
            }
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = CassetteError;

    fn from_str(value: &str) -> Result<Self, CassetteError> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => Ok(Mode::Auto),
            "record" => Ok(Mode::Record),
            "replay" => Ok(Mode::Replay),
            _ => Err(CassetteError::BadMode(value.to_owned())),
        }
    }
}

/// The transport [`open`] chose: a recorder or a player.
#[derive(Debug)]
#[non_exhaustive]
pub enum CassetteTransport {
    /// Recording through a live transport.
    Record(RecordingTransport),
    /// Replaying from the cassette.
    Replay(ReplayTransport),
}

impl CassetteTransport {
    /// Whether this replays (and so never touches the network).
    pub fn is_replay(&self) -> bool {
        matches!(self, CassetteTransport::Replay(_))
    }
}

#[async_trait::async_trait]
impl HttpTransport for CassetteTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        match self {
            CassetteTransport::Record(t) => t.send(request).await,
            CassetteTransport::Replay(t) => t.send(request).await,
        }
    }
}

/// Records or replays the cassette at `path` as `mode` says. `live` makes the transport to
/// record through, and is called only when recording, so a replaying run builds no client,
/// reads no credentials and opens no socket.
pub fn open<T, E>(
    path: impl AsRef<Path>,
    mode: Mode,
    live: impl FnOnce() -> Result<T, E>,
) -> Result<CassetteTransport, CassetteError>
where
    T: HttpTransport,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let path = path.as_ref();
    let record = match mode {
        Mode::Record => true,
        Mode::Replay => false,
        Mode::Auto => !path.exists(),
    };
    if record {
        let inner = live().map_err(|e| CassetteError::Live(e.into()))?;
        RecordingTransport::create(path, inner).map(CassetteTransport::Record)
    } else {
        ReplayTransport::open(path).map(CassetteTransport::Replay)
    }
}

/// [`open`] with the mode from the `STYTCH_CASSETTE` environment variable.
pub fn from_env<T, E>(
    path: impl AsRef<Path>,
    live: impl FnOnce() -> Result<T, E>,
) -> Result<CassetteTransport, CassetteError>
where
    T: HttpTransport,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    open(path, Mode::from_env()?, live)
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Auto => "auto",
            Mode::Record => "record",
            Mode::Replay => "replay",
        })
    }
}
