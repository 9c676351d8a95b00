//! The port between `stytch-b2b-passwords` and the network.
//!
//! Every transport (the hyper and reqwest adapters, the emulator, a recorder, a test fake)
//! implements [`HttpTransport`]: one fully built `http::Request<Bytes>` in, the whole
//! `http::Response<Bytes>` out, whatever its status. The client decides everything else
//! (authentication, JSON, error mapping, retries, deadlines), so every transport behaves the
//! same.
//!
//! The client waits between retries on a [`Timer`], the second, smaller port: `TokioTimer`
//! (feature `tokio`, which the hyper and reqwest adapters turn on) is Tokio's, and [`FakeTimer`]
//! lets tests run retries without sleeping.
//!
//! The client crate re-exports this one as `stytch_b2b_passwords::transport`, so applications
//! rarely name it.
//!
//! ```
//! use stytch_b2b_passwords_transport::{HttpRequest, HttpResponse, HttpTransport, TransportError};
//!
//! #[derive(Debug)]
//! struct AlwaysOk;
//!
//! #[async_trait::async_trait]
//! impl HttpTransport for AlwaysOk {
//!     async fn send(&self, _request: HttpRequest) -> Result<HttpResponse, TransportError> {
//!         Ok(http::Response::new(bytes::Bytes::from_static(b"{}")))
//!     }
//! }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests, so the page a user reads first stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod body;
pub mod cause;
mod error;
mod fn_transport;
pub mod target;
mod timer;
#[cfg(feature = "tokio")]
mod tokio_timer;
mod transport;

pub use error::{TransportError, TransportErrorKind};
pub use fn_transport::{transport_fn, FnTransport};
pub use timer::{FakeTimer, SleepFuture, Timer};
#[cfg(feature = "tokio")]
pub use tokio_timer::TokioTimer;
#[cfg(feature = "mock")]
pub use transport::MockHttpTransport;
pub use transport::{Attempts, HttpRequest, HttpResponse, HttpTransport, Operation};
