//! The production HTTP transport of `stytch-b2b-passwords`: hyper 1 and hyper-util's pooled
//! client over rustls (ring provider).
//!
//! This crate knows nothing of Stytch: it sends a fully built `http::Request<Bytes>` and returns
//! the whole `http::Response<Bytes>`, whatever its status. The core crate plugs it into its
//! `HttpTransport` port (feature `hyper`, on by default) and re-exports it as
//! `stytch_b2b_passwords::transport::hyper`, so most applications never name this crate.
//!
//! What it does:
//!
//! - **HTTPS** with rustls and the ring crypto provider, trusting the Mozilla roots bundled by
//!   the `webpki-roots` feature (default), the platform's roots with `platform-roots`, and any
//!   root you add with [`HyperTransportBuilder::add_root_certificate_der`]. HTTP/1.1
//!   keep-alive pooling; with the `http2` feature, HTTP/2 when the server chooses it by ALPN.
//! - **Plain `http://` only to loopback hosts** (an emulator, a test server) unless
//!   [`HyperTransportBuilder::allow_insecure_http`] says otherwise; anything else is refused
//!   with [`ErrorKind::Refused`] before any DNS lookup or connection.
//! - **Time limits**: connect, the whole call, pooled connections' idle time. A call that runs
//!   out of time fails with [`ErrorKind::Timeout`]; it never hangs.
//! - **A response size cap**: a larger body fails with [`ErrorKind::BodyTooLarge`] and is read no
//!   further.
//! - **Safe retries** ([`RetryPolicy`]): by default only where the request cannot have been acted
//!   on (no connection, or `429`/`503`, honouring `Retry-After`). A request that may have reached
//!   the server (a timeout after sending, a reset mid-response, a `500`) is not retried unless
//!   you opt in, because password resets and reset emails are not idempotent.
//! - **Tracing**: one `stytch.http` span per call with the operation, status, request id,
//!   attempts and latency, and never a header or body.
//!
//! ```no_run
//! # async fn run() -> Result<(), stytch_b2b_passwords_hyper::Error> {
//! use stytch_b2b_passwords_hyper::HyperTransport;
//!
//! let transport = HyperTransport::new()?;
//! let request = http::Request::post("https://test.stytch.com/v1/b2b/passwords/strength_check")
//!     .body(bytes::Bytes::from_static(br#"{"password":"x"}"#))
//!     .expect("a valid request");
//! let response = transport.send_as("passwords.strength_check", request).await?;
//! # let _ = response;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests, so the page a user reads first stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod body;
mod error;
mod retry;
mod transport;

pub use error::{Error, ErrorKind};
pub use retry::RetryPolicy;
pub use transport::{Attempts, HyperTransport, HyperTransportBuilder, OperationName};
