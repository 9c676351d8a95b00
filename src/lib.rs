//! A typed, testable client for Stytch's B2B Passwords API.
//!
//! The crate is built around two ports:
//!
//! - [`PasswordsApi`]: the 11 operations, one async method each. [`PasswordsClient`] implements
//!   it over HTTP; your tests can implement it with `MockPasswordsApi` (feature `mock`) or a fake.
//! - [`HttpTransport`](transport::HttpTransport): one method that sends an `http::Request` and
//!   returns an `http::Response`. Plug in the hyper transport, the in-memory emulator, a mock, or
//!   your own HTTP stack.
//!
//! Building a request and reading a response are pure functions ([`wire::build_request`],
//! [`wire::parse_response`]); the client only joins them through the transport.
//!
//! Secrets (passwords, hashes, tokens, JWTs, the project secret) are held in [`Secret`], whose
//! `Debug` is redacted and which has no `Display`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

mod api;
mod client;
mod config;
mod de;
mod endpoints;
mod error;
pub mod models;
mod open_enum;
mod secret;
pub mod transport;
pub mod wire;

#[cfg(feature = "mock")]
pub use api::MockPasswordsApi;
pub use api::PasswordsApi;
pub use client::PasswordsClient;
pub use config::{ClientBuilder, Config, LIVE_BASE_URL, TEST_BASE_URL};
pub use endpoints::*;
pub use error::{
    ApiError, ConfigError, DecodeError, Error, ErrorType, HttpError, Result, ValidationError,
    ValidationProblem,
};
pub use models::*;
pub use secret::Secret;
#[cfg(feature = "mock")]
pub use transport::MockHttpTransport;
pub use transport::{HttpTransport, TransportError, TransportErrorKind};
pub use wire::MemberAuth;

/// Short name for [`PasswordsClient`].
pub type Client = PasswordsClient;
