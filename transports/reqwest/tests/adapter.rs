//! The reqwest transport against real servers on 127.0.0.1 (ephemeral ports), each test bounded
//! in time: the checks every adapter passes (the hyper transport's `support/adapter_cases.rs`),
//! then what only this one does, sharing an application's client.

#[path = "../../hyper/tests/support/mod.rs"]
mod support;

use stytch_b2b_passwords_reqwest::{HttpTransport, ReqwestTransport};
use support::*;

#[path = "../../hyper/tests/support/adapter_cases.rs"]
mod adapter_cases;
use adapter_cases::Settings;

fn transport_with(settings: Settings) -> ReqwestTransport {
    let client = match settings.trusted_root {
        Some(der) => {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(der.into()).unwrap();
            ReqwestTransport::client_with_roots(roots)
        }
        None => ReqwestTransport::default_client(),
    };
    let mut transport = ReqwestTransport::new(client.unwrap());
    if let Some(limit) = settings.timeout {
        transport = transport.timeout(limit);
    }
    if let Some(bytes) = settings.max_response_body_size {
        transport = transport.max_response_body_size(bytes);
    }
    transport
}

#[tokio::test]
async fn a_shared_client_keeps_one_pool() {
    bounded(async {
        let (addr, counters) = serve(|_, _| async { respond(200, "{}", &[]) }).await;
        let shared = ReqwestTransport::default_client().unwrap();
        let a = ReqwestTransport::new(shared.clone());
        let b = ReqwestTransport::new(shared);
        for transport in [&a, &b, &a] {
            transport
                .send(post(&format!("http://{addr}/x")))
                .await
                .unwrap();
        }
        assert_eq!(counters.requests(), 3);
        assert_eq!(counters.connections(), 1);
    })
    .await;
}
