//! The client's retry rules through the reqwest transport, against servers on 127.0.0.1: the
//! same cases as the hyper transport's, since the policy is the core's.

#[path = "../../hyper/tests/support/mod.rs"]
mod support;

use std::sync::Arc;

use stytch_b2b_passwords::transport::HttpTransport;
use stytch_b2b_passwords_reqwest::ReqwestTransport;

fn transport() -> Arc<dyn HttpTransport> {
    Arc::new(ReqwestTransport::new(
        ReqwestTransport::default_client().unwrap(),
    ))
}

#[path = "../../hyper/tests/support/retry_cases.rs"]
mod retry_cases;
