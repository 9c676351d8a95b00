//! Plugs a hand-written, in-process transport into the client: no network, no runtime tricks.
//!
//! Run it with `cargo run --example custom_transport`.
//!
//! Anything that can turn an `http::Request<Bytes>` into an `http::Response<Bytes>` can carry
//! the client: your company's HTTP stack, a recording proxy, or, as here, a tiny fake server.

use async_trait::async_trait;
use bytes::Bytes;
use stytch_b2b_passwords::transport::{HttpRequest, HttpResponse, HttpTransport, Operation};
use stytch_b2b_passwords::{Error, PasswordsClient, StrengthCheckRequest, TransportError};

/// Scores passwords by length and answers every other call with a Stytch-shaped 404.
#[derive(Debug)]
struct LengthScorer;

#[async_trait]
impl HttpTransport for LengthScorer {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let operation = request.extensions().get::<Operation>().map(|o| o.0);
        let (status, body) = match operation {
            Some("passwords.strength_check") => {
                let body: serde_json::Value =
                    serde_json::from_slice(request.body()).unwrap_or_default();
                let length = body["password"].as_str().map_or(0, str::len);
                let score = (length / 4).min(4);
                let reply = serde_json::json!({
                    "request_id": "request-id-local-1",
                    "valid_password": score >= 3,
                    "score": score,
                    "breached_password": false,
                    "strength_policy": "zxcvbn",
                    "breach_detection_on_create": true,
                    "status_code": 200
                });
                (200, reply.to_string())
            }
            _ => (
                404,
                r#"{"status_code":404,"request_id":"request-id-local-2","error_type":"not_found","error_message":"Not modelled here."}"#.to_owned(),
            ),
        };
        Ok(http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(Bytes::from(body))
            .expect("static response parts are valid"))
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let client = PasswordsClient::builder("project-test-local", "secret-local")
        .transport(LengthScorer)
        .build()?;

    for password in ["short", "a much longer passphrase"] {
        let response = client
            .strength_check(StrengthCheckRequest::new(password))
            .await?;
        println!(
            "a password of {} characters: score {}, valid {}",
            password.len(),
            response.score,
            response.valid_password
        );
    }

    let err = client
        .discovery_email_reset_start(stytch_b2b_passwords::DiscoveryEmailResetStartRequest::new(
            "ada@example.com",
        ))
        .await
        .unwrap_err();
    println!("unmodelled call: {err}");
    Ok(())
}
