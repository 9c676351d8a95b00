//! The served emulator's HTTP control API under `/_emulator/`: the outbox and the clock, for
//! apps in other languages. Served mode only.

use std::time::Duration;

use bytes::Bytes;
use serde_json::json;
use stytch_b2b_passwords_emulator::{
    serve, Emulator, Fault, MemberSeed, OrganizationSeed, ServerHandle,
};

mod support;
use support::send;

const PASSWORD: &str = "quasar-Mauve-kettle-1987";
const NEW_PASSWORD: &str = "orbit-Saffron-lantern-2042";

fn emulator() -> Emulator {
    Emulator::builder()
        .organization(
            OrganizationSeed::new("Acme", "acme")
                .member(MemberSeed::new("ada@acme.com").password(PASSWORD)),
        )
        .build()
        .unwrap()
}

fn basic(emulator: &Emulator) -> String {
    support::basic(&emulator.project_id(), emulator.secret().expose())
}

/// The emulator served on 127.0.0.1 (port 0): the handle, its base URL and the project's
/// Basic authorization.
async fn served() -> (Emulator, ServerHandle, String, String) {
    let emulator = emulator();
    let server = serve(emulator.clone(), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let url = server.base_url();
    let auth = basic(&emulator);
    (emulator, server, url, auth)
}

#[tokio::test]
async fn outbox_and_clock_over_http() {
    let (emulator, server, url, auth) = served().await;
    let auth = Some(auth.as_str());

    let (status, outbox) = send(&url, "GET", "/_emulator/outbox", "", auth).await;
    assert_eq!((status, outbox), (200, json!([])));

    let start = json!({"organization_id": "acme", "email_address": "ada@acme.com"}).to_string();
    let (status, _) = send(
        &url,
        "POST",
        "/v1/b2b/passwords/email/reset/start",
        &start,
        auth,
    )
    .await;
    assert_eq!(status, 200);
    let calls = emulator.call_count();

    let (status, outbox) = send(&url, "GET", "/_emulator/outbox/", "", auth).await;
    assert_eq!(status, 200);
    let emails = outbox.as_array().unwrap();
    assert_eq!(emails.len(), 1);
    let email = &emails[0];
    let sent = emulator.last_email_to("ada@acme.com").unwrap();
    assert_eq!(email["to"], "ada@acme.com");
    assert_eq!(email["kind"], "password_reset");
    assert_eq!(email["token"], sent.token.expose());
    assert_eq!(email["link"], sent.link.expose());
    assert_eq!(email["member_id"], sent.member_id.clone().unwrap());
    assert!(email["expires_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        emulator.call_count(),
        calls,
        "control calls are not counted"
    );

    // The clock moves past the token's 30 minutes: the emailed token no longer works.
    let before = emulator.now();
    let (status, body) = send(
        &url,
        "POST",
        "/_emulator/clock/advance",
        r#"{"seconds": 1860}"#,
        auth,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["now"].as_str().unwrap().ends_with('Z'));
    let moved = emulator.now().duration_since(before).unwrap();
    assert!(moved >= Duration::from_secs(1860), "{moved:?}");
    let reset = json!({"password_reset_token": sent.token.expose(), "password": NEW_PASSWORD});
    let (status, body) = send(
        &url,
        "POST",
        "/v1/b2b/passwords/email/reset",
        &reset.to_string(),
        auth,
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["error_type"], "unable_to_auth_password_reset_token");

    let (status, body) = send(&url, "DELETE", "/_emulator/outbox", "", auth).await;
    assert_eq!((status, body), (200, json!({"cleared": 1})));
    assert!(emulator.outbox().is_empty());

    server.shutdown().await;
}

#[tokio::test]
async fn control_calls_are_checked() {
    let (emulator, server, url, auth) = served().await;
    let auth = Some(auth.as_str());

    // The project's credentials are required, as for the API.
    let (status, body) = send(&url, "GET", "/_emulator/outbox", "", None).await;
    assert_eq!(status, 401);
    assert_eq!(body["error_type"], "unauthorized_credentials");
    let (status, _) = send(
        &url,
        "GET",
        "/_emulator/outbox",
        "",
        Some("Basic bm9wZTpub3Bl"),
    )
    .await;
    assert_eq!(status, 401);

    let (status, body) = send(&url, "POST", "/_emulator/outbox", "", auth).await;
    assert_eq!(status, 405);
    assert_eq!(body["error_type"], "method_not_allowed");
    let (status, _) = send(&url, "GET", "/_emulator/clock/advance", "", auth).await;
    assert_eq!(status, 405);
    let (status, body) = send(&url, "GET", "/_emulator/nope", "", auth).await;
    assert_eq!(status, 404);
    assert_eq!(body["error_type"], "not_found");
    assert!(body["request_id"].as_str().is_some());

    let before = emulator.now();
    for bad in [
        "",
        "{",
        r#"{"seconds": -5}"#,
        r#"{"seconds": 1.5}"#,
        r#"{"seconds": "60"}"#,
        r#"{"secs": 60}"#,
        r#"{"seconds": 60, "extra": 1}"#,
        r#"{"seconds": 18446744073709551615}"#,
        r#"{"seconds": 9223372036854775807}"#,
        r#"{"seconds": 99999999999}"#,
    ] {
        let (status, body) = send(&url, "POST", "/_emulator/clock/advance", bad, auth).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert_eq!(body["error_type"], "invalid_request", "{bad}");
    }
    let drift = emulator.now().duration_since(before).unwrap_or_default();
    assert!(
        drift < Duration::from_secs(60),
        "a refused advance moved the clock"
    );

    // Repeated advances stop at the 100-year bound instead of overflowing.
    let mut refused = false;
    for _ in 0..5 {
        let (status, _) = send(
            &url,
            "POST",
            "/_emulator/clock/advance",
            r#"{"seconds": 1000000000}"#,
            auth,
        )
        .await;
        refused |= status == 400;
    }
    assert!(refused);
    let (status, _) = send(
        &url,
        "POST",
        "/v1/b2b/passwords/email/reset/start",
        &json!({"organization_id": "acme", "email_address": "ada@acme.com"}).to_string(),
        auth,
    )
    .await;
    assert_eq!(status, 200, "the API still works with the clock far ahead");

    server.shutdown().await;
}

#[tokio::test]
async fn control_calls_skip_faults() {
    let (emulator, server, url, auth) = served().await;
    let auth = Some(auth.as_str());

    emulator.inject_fault(Fault::error(503, "service_unavailable", "Down."));
    let (status, _) = send(&url, "GET", "/_emulator/outbox", "", auth).await;
    assert_eq!(status, 200);
    // The fault is still there for the next API call.
    let (status, body) = send(
        &url,
        "POST",
        "/v1/b2b/passwords/strength_check",
        r#"{"password": "x"}"#,
        auth,
    )
    .await;
    assert_eq!(status, 503);
    assert_eq!(body["error_type"], "service_unavailable");

    server.shutdown().await;
}

#[test]
fn control_api_is_not_served_in_process() {
    let emulator = emulator();
    let request = http::Request::builder()
        .method("GET")
        .uri("https://test.stytch.com/_emulator/outbox")
        .header("authorization", basic(&emulator))
        .body(Bytes::new())
        .unwrap();
    let response = emulator.respond(&request);
    assert_eq!(response.status().as_u16(), 404);
}
