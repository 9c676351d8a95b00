//! The production HTTP transport of `stytch-b2b-passwords`: hyper 1 and hyper-util's pooled
//! client over rustls (ring provider).
//!
//! This crate knows nothing of Stytch: it sends a fully built `http::Request<Bytes>` and returns
//! the whole `http::Response<Bytes>`, whatever its status: it implements the
//! [`HttpTransport`](stytch_b2b_passwords_transport::HttpTransport) port. The core crate uses it
//! by default (feature `hyper`) and re-exports it as `stytch_b2b_passwords::transport::hyper`, so
//! most applications never name this crate.
//!
//! What it does:
//!
//! - **HTTPS** with rustls and the ring crypto provider, trusting the Mozilla roots bundled by
//!   the `webpki-roots` feature (default), the platform's roots with `platform-roots`, and any
//!   root you add with [`HyperTransportBuilder::add_root_certificate_der`]. HTTP/1.1
//!   keep-alive pooling; with the `http2` feature, HTTP/2 when the server chooses it by ALPN.
//! - **Plain `http://` only to loopback hosts** (an emulator, a test server) unless
//!   [`HyperTransportBuilder::allow_insecure_http`] says otherwise; anything else is refused
//!   with [`TransportErrorKind::Refused`](stytch_b2b_passwords_transport::TransportErrorKind::Refused) before any DNS lookup or connection.
//! - **Time limits**: connect, one whole exchange, pooled connections' idle time. An exchange
//!   that runs out of time fails with
//!   [`TransportErrorKind::Timeout`](stytch_b2b_passwords_transport::TransportErrorKind::Timeout);
//!   it never hangs.
//! - **A response size cap**: a larger body fails with
//!   [`TransportErrorKind::BodyTooLarge`](stytch_b2b_passwords_transport::TransportErrorKind::BodyTooLarge)
//!   and is read no further.
//! - **Failures told as how far the request got**: `Connect` (never sent), `Tls` (handshake
//!   refused), `Timeout` and `Io` (may have been sent), so the client's retry policy can decide.
//!   The transport itself sends each request once: retries, backoff and `Retry-After` are the
//!   client's, the same for every transport. [`TokioTimer`] is what the client waits on.
//! - **Tracing**: one `stytch.http` span per exchange with the operation, attempt number,
//!   status, request id and latency, and never a header or body.
//!
//! ```no_run
//! # async fn run() -> Result<(), stytch_b2b_passwords_transport::TransportError> {
//! use stytch_b2b_passwords_hyper::HyperTransport;
//! use stytch_b2b_passwords_transport::{HttpTransport, Operation};
//!
//! let transport = HyperTransport::new()?;
//! let request = http::Request::post("https://test.stytch.com/v1/b2b/passwords/strength_check")
//!     .extension(Operation("passwords.strength_check"))
//!     .body(bytes::Bytes::from_static(br#"{"password":"x"}"#))
//!     .expect("a valid request");
//! let response = transport.send(request).await?;
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
mod connect;
mod transport;

pub use stytch_b2b_passwords_transport::TokioTimer;
pub use transport::{HyperTransport, HyperTransportBuilder};
