//! The client's retry rules through the hyper transport, against servers on 127.0.0.1.

mod support;

use std::sync::Arc;

use stytch_b2b_passwords::transport::HttpTransport;
use stytch_b2b_passwords_hyper::HyperTransport;

fn transport() -> Arc<dyn HttpTransport> {
    Arc::new(HyperTransport::new().unwrap())
}

#[path = "support/retry_cases.rs"]
mod retry_cases;
