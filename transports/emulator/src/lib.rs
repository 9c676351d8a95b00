//! A stateful emulator of Stytch's B2B Passwords API, for tests and local development.
//!
//! It behaves like Stytch for the 11 password endpoints (and the B2B sessions JWKS): it keeps
//! Organizations, Members, sessions and reset tokens, verifies migrated hashes with the real
//! algorithms, scores passwords with the real zxcvbn, signs RS256 session JWTs, and answers with
//! Stytch-shaped bodies and errors. A test can seed it, move its clock, read the reset emails it
//! "sent", rotate its signing key and inject faults.
//!
//! Use it two ways:
//!
//! - in-process: [`EmulatorTransport`] implements the core's `HttpTransport`, with no socket;
//! - over HTTP: [`serve`] (or the `stytch-emulator` binary) listens on a loopback port, for the
//!   hyper transport or an app using another Stytch SDK.
//!
//! ```
//! use stytch_b2b_passwords::{
//!     AuthenticateRequest, EmailResetRequest, EmailResetStartRequest, PasswordsApi,
//! };
//! use stytch_b2b_passwords_emulator::{Emulator, MemberSeed, OrganizationSeed};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let emulator = Emulator::builder()
//!     .organization(OrganizationSeed::new("Acme", "acme").member(MemberSeed::new("ada@acme.com")))
//!     .build()?;
//! let client = emulator.client()?;
//!
//! client.email_reset_start(EmailResetStartRequest::new("acme", "ada@acme.com")).await?;
//! let email = emulator.last_email_to("ada@acme.com").ok_or("no email")?;
//! let reset = client
//!     .email_reset(EmailResetRequest::new(email.token.expose(), "quasar-Mauve-kettle-1987"))
//!     .await?;
//! assert!(reset.member_authenticated);
//!
//! let login = client
//!     .authenticate(AuthenticateRequest::new("acme", "ada@acme.com", "quasar-Mauve-kettle-1987"))
//!     .await?;
//! assert!(!login.session_jwt.is_empty());
//! # Ok::<_, Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! See `docs/EMULATOR.md` for what it models, what it does not, and the seed file format.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests, so the page a user reads first stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod api;
mod control;
mod emulator;
mod error;
mod faults;
mod hashing;
mod jwks;
mod jwt;
mod outbox;
mod policy;
mod projects;
mod seed;
mod server;
mod state;
mod transport;
mod util;

pub use emulator::{Emulator, EmulatorBuilder};
pub use faults::{Fault, FaultKind};
pub use outbox::{EmailKind, OutboxEmail};
pub use seed::{
    JsonObject, LockoutPolicy, MemberSeed, OrganizationSeed, PasswordHashSeed, PasswordHashing,
    PasswordPolicy, ProjectSeed, Seed, SeedError, DEFAULT_PROJECT_ID, DEFAULT_RESET_REDIRECT_URL,
    DEFAULT_SECRET,
};
pub use server::{serve, LoopbackTransport, ServerHandle};
pub use transport::EmulatorTransport;
