//! A typed, testable client for Stytch's B2B Passwords API.
//!
//! The crate is built around two ports:
//!
//! - [`PasswordsApi`]: the 11 operations, one async method each. [`PasswordsClient`] implements
//!   it over HTTP; your tests can implement it with `MockPasswordsApi` (feature `mock`) or a fake.
//! - [`HttpTransport`]: one method that sends an `http::Request` and
//!   returns an `http::Response`. Plug in the hyper transport, the in-memory emulator, a mock, or
//!   your own HTTP stack.
//!
//! Building a request and reading a response are pure functions ([`wire::build_request`],
//! [`wire::parse_response`]); the client only joins them through the transport.
//!
//! Secrets (passwords, hashes, tokens, JWTs, the project secret) are held in [`Secret`], whose
//! `Debug` is redacted and which has no `Display`.
//!
//! # With the default transport
//!
//! ```no_run
//! use stytch_b2b_passwords::{AuthenticateRequest, PasswordsApi, PasswordsClient};
//!
//! # async fn run() -> stytch_b2b_passwords::Result<()> {
//! // Or `ClientBuilder::from_env()?`, reading STYTCH_PROJECT_ID and STYTCH_SECRET.
//! let client = PasswordsClient::builder("project-test-123", "secret-test-456").build()?;
//! let response = client
//!     .authenticate(AuthenticateRequest::new("organization-test-1", "ada@example.com", "pw"))
//!     .await?;
//! println!("member {} logged in: {}", response.member_id, response.member_authenticated);
//! # Ok(()) }
//! ```
//!
//! # With your own transport
//!
//! ```
//! use stytch_b2b_passwords::transport::{HttpRequest, HttpResponse, HttpTransport};
//! use stytch_b2b_passwords::{PasswordsClient, TransportError};
//!
//! #[derive(Debug)]
//! struct MyHttpStack; // your pooled client, proxy, recorder, ...
//!
//! #[async_trait::async_trait]
//! impl HttpTransport for MyHttpStack {
//!     async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
//!         // Send `request` (method, URI, headers and body are all set) and return the
//!         // whole response, whatever its status.
//!         # let _ = request;
//!         Ok(http::Response::new(bytes::Bytes::from_static(b"{}")))
//!     }
//! }
//!
//! let client = PasswordsClient::builder("project-test-123", "secret-test-456")
//!     .transport(MyHttpStack)
//!     .build()
//!     .unwrap();
//! # let _ = client;
//! ```
//!
//! # Mocking the API in your tests (feature `mock`)
//!
//! ```
//! # #[cfg(feature = "mock")] {
//! use stytch_b2b_passwords::{MockPasswordsApi, PasswordsApi, StrengthCheckResponse};
//!
//! let mut api = MockPasswordsApi::new();
//! api.expect_strength_check()
//!     .withf(|request| request.password.expose() == "hunter2")
//!     .returning(|_| {
//!         let mut response = StrengthCheckResponse::default();
//!         response.score = 0;
//!         Ok(response)
//!     });
//! let api: &dyn PasswordsApi = &api; // what your application code takes
//! # let _ = api;
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests, so the page a user reads first stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod api;
mod call;
mod client;
mod config;
mod de;
mod endpoints;
mod error;
mod json_path;
#[cfg(feature = "jwt")]
pub mod jwt;
pub mod models;
mod open_enum;
mod options;
mod redact;
mod retry;
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
#[cfg(all(feature = "jwt", feature = "mock"))]
pub use jwt::MockSessionJwtVerifier;
#[cfg(feature = "jwt")]
pub use jwt::{
    JwksCache, JwksOptions, JwtError, JwtVerifyOptions, MalformedJwt, SessionJwtClaims,
    SessionJwtVerifier,
};
pub use models::*;
pub use options::CallOptions;
pub use retry::{RetryBudget, RetryPolicy};
pub use secret::Secret;
#[cfg(feature = "hyper")]
pub use transport::hyper::HyperTransport;
#[cfg(feature = "mock")]
pub use transport::MockHttpTransport;
pub use transport::{HttpTransport, TransportError, TransportErrorKind};
pub use wire::{EndpointResponse, MemberAuth};

/// Short name for [`PasswordsClient`].
pub type Client = PasswordsClient;
