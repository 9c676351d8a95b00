//! A transport for `stytch-b2b-passwords` over reqwest, for applications that already own a
//! `reqwest::Client`: the SDK's calls share its connection pool, proxy and TLS settings.
//!
//! [`ReqwestTransport`] implements the [`HttpTransport`] port: each request is sent once, with a
//! time limit and a response size cap, and plain `http://` only to loopback hosts unless
//! allowed. Retries, backoff and deadlines are the SDK client's, the same as for every
//! transport.
//!
//! ```no_run
//! use std::time::Duration;
//! use stytch_b2b_passwords_reqwest::ReqwestTransport;
//!
//! # fn run(app_client: reqwest::Client) {
//! // Your application's client, shared:
//! let transport = ReqwestTransport::new(app_client).timeout(Duration::from_secs(10));
//! // Or one of our own: rustls with ring and the bundled Mozilla roots.
//! let own = ReqwestTransport::new(ReqwestTransport::default_client().expect("a client"));
//! # let _ = (transport, own); }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The README's examples run as doc tests, so the page a user reads first stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod transport;

pub use stytch_b2b_passwords_transport::{HttpTransport, TokioTimer};
pub use transport::ReqwestTransport;
