//! What the served-emulator tests share: HTTP Basic credentials and one request over
//! `LoopbackTransport` (a hyper client) to 127.0.0.1.
#![allow(dead_code)] // each test file uses what it needs

use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use serde_json::Value;
use stytch_b2b_passwords::transport::HttpTransport as _;
use stytch_b2b_passwords_emulator::LoopbackTransport;

/// The `Authorization` header value for these credentials.
pub fn basic(project_id: &str, secret: &str) -> String {
    let credentials =
        base64::engine::general_purpose::STANDARD.encode(format!("{project_id}:{secret}"));
    format!("Basic {credentials}")
}

/// Sends one request to the served emulator; `auth` is the Authorization header, if any.
/// Returns the status and the JSON body (`Null` if it is not JSON).
pub async fn send(
    base_url: &str,
    method: &str,
    path: &str,
    body: &str,
    auth: Option<&str>,
) -> (u16, Value) {
    let mut builder = http::Request::builder()
        .method(method)
        .uri(format!("{base_url}{path}"))
        .header("content-type", "application/json");
    if let Some(auth) = auth {
        builder = builder.header("authorization", auth);
    }
    let request = builder.body(Bytes::from(body.to_owned())).unwrap();
    let response = LoopbackTransport::new()
        .timeout(Duration::from_secs(20))
        .send(request)
        .await
        .unwrap();
    let status = response.status().as_u16();
    let value = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
    (status, value)
}
