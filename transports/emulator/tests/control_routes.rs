//! Every control route over HTTP (hyper client, 127.0.0.1, port 0): what it does, and that bad
//! input (wrong types, unknown fields, missing credentials) gets a Stytch-shaped error and
//! changes nothing. Also fresh projects, kept apart when used in parallel.

use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};
use stytch_b2b_passwords_emulator::{serve, Emulator, MemberSeed, OrganizationSeed, ServerHandle};

mod support;
use support::{basic, send};

const PASSWORD: &str = "quasar-Mauve-kettle-1987";

/// A served emulator and the project a test speaks as.
struct Served {
    emulator: Emulator,
    /// The server, held by the handle that started it (a fresh project's handle shares it).
    _server: Option<ServerHandle>,
    url: String,
    auth: String,
}

async fn served() -> Served {
    let emulator = Emulator::builder()
        .organization(
            OrganizationSeed::new("Acme", "acme")
                .id("organization-test-acme")
                .member(MemberSeed::new("ada@acme.com").password(PASSWORD)),
        )
        .build()
        .unwrap();
    let server = serve(emulator.clone(), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    Served {
        url: server.base_url(),
        auth: basic(&emulator.project_id(), emulator.secret().expose()),
        emulator,
        _server: Some(server),
    }
}

impl Served {
    async fn call(&self, method: &str, path: &str, body: Value) -> (u16, Value) {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        send(&self.url, method, path, &body, Some(&self.auth)).await
    }

    /// Sends each bad body and checks the Stytch-shaped 400 it gets.
    async fn refuses(&self, method: &str, path: &str, bodies: &[&str]) {
        for bad in bodies {
            let (status, body) = send(&self.url, method, path, bad, Some(&self.auth)).await;
            assert_eq!(status, 400, "{method} {path} {bad}: {body}");
            assert_stytch_error(&body, 400, "invalid_request");
        }
    }

    /// Without credentials and with wrong ones: 401, Stytch-shaped.
    async fn needs_credentials(&self, method: &str, path: &str, body: &str) {
        for auth in [None, Some(basic(&self.emulator.project_id(), "wrong"))] {
            let (status, b) = send(&self.url, method, path, body, auth.as_deref()).await;
            assert_eq!(status, 401, "{method} {path}");
            assert_stytch_error(&b, 401, "unauthorized_credentials");
        }
    }
}

fn assert_stytch_error(body: &Value, status: u16, error_type: &str) {
    assert_eq!(body["status_code"], status, "{body}");
    assert_eq!(body["error_type"], error_type, "{body}");
    assert!(body["error_message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert!(body["request_id"].as_str().is_some());
    assert_eq!(
        body["error_url"],
        format!("https://stytch.com/docs/api/errors/{status}")
    );
}

async fn log_in(s: &Served, org: &str, email: &str, password: &str) -> (u16, Value) {
    s.call(
        "POST",
        "/v1/b2b/passwords/authenticate",
        json!({"organization_id": org, "email_address": email, "password": password}),
    )
    .await
}

#[tokio::test]
async fn organizations_and_members_are_created_and_read_over_http() {
    let s = served().await;
    let org = json!({
        "name": "Globex", "slug": "globex", "mfa_policy": "OPTIONAL",
        "email_allowed_domains": ["globex.com"], "email_jit_provisioning": "RESTRICTED",
        "members": [{"email_address": "hank@globex.com", "password": PASSWORD}],
    });
    s.needs_credentials("POST", "/_emulator/organizations", &org.to_string())
        .await;
    s.refuses(
        "POST",
        "/_emulator/organizations",
        &[
            "",
            "{",
            r#"{"name": "Globex", "slug": 5}"#,
            r#"{"name": "Globex", "slug": "globex", "colour": "blue"}"#,
            r#"{"name": "Globex", "slug": "acme"}"#,
            r#"{"name": "", "slug": "globex"}"#,
            // A bad Member refuses the whole Organization.
            r#"{"name": "Globex", "slug": "globex", "members": [{"email_address": "hank@globex.com"}, {"email_address": "not-an-email"}]}"#,
        ],
    )
    .await;
    let (status, _) = s
        .call("GET", "/_emulator/organizations/globex", Value::Null)
        .await;
    assert_eq!(status, 404, "nothing was created by a refused call");
    assert_eq!(s.emulator.member_id("globex", "hank@globex.com"), None);

    let (status, created) = s.call("POST", "/_emulator/organizations", org).await;
    assert_eq!(status, 200, "{created}");
    let org_id = created["organization_id"].as_str().unwrap().to_owned();
    assert_eq!(created["organization"]["organization_slug"], "globex");
    assert_eq!(
        created["organization"]["email_jit_provisioning"],
        "RESTRICTED"
    );
    assert_eq!(created["members"][0]["email_address"], "hank@globex.com");
    assert_eq!(
        s.emulator.organization_id("globex").as_deref(),
        Some(org_id.as_str())
    );
    let (status, login) = log_in(&s, "globex", "hank@globex.com", PASSWORD).await;
    assert_eq!(status, 200, "{login}");

    let (status, read) = s
        .call(
            "GET",
            &format!("/_emulator/organizations/{org_id}"),
            Value::Null,
        )
        .await;
    assert_eq!((status, &read["organization_id"]), (200, &json!(org_id)));

    // PATCH an Organization's MFA policy.
    s.refuses(
        "PATCH",
        "/_emulator/organizations/globex",
        &[
            r#"{"mfa_policy": "SOMETIMES"}"#,
            r#"{"mfa_policy": 1}"#,
            r#"{"mfa": "OPTIONAL"}"#,
        ],
    )
    .await;
    let (status, patched) = s
        .call(
            "PATCH",
            "/_emulator/organizations/globex",
            json!({"mfa_policy": "REQUIRED_FOR_ALL"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(patched["organization"]["mfa_policy"], "REQUIRED_FOR_ALL");
    let (_, login) = log_in(&s, "globex", "hank@globex.com", PASSWORD).await;
    assert_eq!(login["member_authenticated"], false, "MFA is now required");

    // Members: with a password, with a hash to migrate, flagged to reset.
    let path = "/_emulator/organizations/acme/members";
    s.needs_credentials("POST", path, r#"{"email_address": "bo@acme.com"}"#)
        .await;
    s.refuses(
        "POST",
        path,
        &[
            r#"{"email_address": 5}"#,
            r#"{"email_address": "bo@acme.com", "nickname": "bo"}"#,
            r#"{"email_address": "bo"}"#,
            r#"{"email_address": "ada@acme.com"}"#,
            r#"{"email_address": "bo@acme.com", "password_hash": {"hash_type": "bcrypt", "hash": "not-a-hash"}}"#,
            r#"{"email_address": "bo@acme.com", "password": "x", "password_hash": {"hash_type": "phpass", "hash": "y"}}"#,
        ],
    )
    .await;
    assert_eq!(s.emulator.member_id("acme", "bo@acme.com"), None);
    let (status, body) = s
        .call(
            "POST",
            "/_emulator/organizations/nope/members",
            json!({"email_address": "bo@nope.com"}),
        )
        .await;
    assert_eq!(status, 404);
    assert_stytch_error(&body, 404, "organization_not_found");

    let hash = bcrypt::hash("Migrated-Heron-Lantern-77", 4).unwrap();
    let (status, bo) = s
        .call(
            "POST",
            path,
            json!({"email_address": "bo@acme.com", "name": "Bo",
                   "password_hash": {"hash_type": "bcrypt", "hash": hash}}),
        )
        .await;
    assert_eq!(status, 200, "{bo}");
    assert_eq!(bo["member"]["name"], "Bo");
    let (status, _) = log_in(&s, "acme", "bo@acme.com", "Migrated-Heron-Lantern-77").await;
    assert_eq!(status, 200);

    let (status, cy) = s
        .call(
            "POST",
            path,
            json!({"email_address": "cy@acme.com", "password": PASSWORD, "require_reset": true}),
        )
        .await;
    assert_eq!(status, 200);
    let cy_id = cy["member_id"].as_str().unwrap();
    let (status, read) = s
        .call("GET", &format!("/_emulator/members/{cy_id}"), Value::Null)
        .await;
    assert_eq!(status, 200);
    assert_eq!(read["requires_reset"], true);
    assert_eq!(read["live_sessions"], 0);
    assert_eq!(read["locked_until"], Value::Null);
    let (_, login) = log_in(&s, "acme", "cy@acme.com", PASSWORD).await;
    assert_eq!(login["error_type"], "member_reset_password");
    let (status, body) = s
        .call("GET", "/_emulator/members/member-test-nope", Value::Null)
        .await;
    assert_eq!(status, 404);
    assert_stytch_error(&body, 404, "member_not_found");
}

#[tokio::test]
async fn reset_goes_back_to_the_seed() {
    let s = served().await;
    s.call(
        "POST",
        "/_emulator/organizations",
        json!({"name": "Globex", "slug": "globex"}),
    )
    .await;
    s.call(
        "POST",
        "/v1/b2b/passwords/email/reset/start",
        json!({"organization_id": "acme", "email_address": "ada@acme.com"}),
    )
    .await;
    s.call("POST", "/_emulator/keys/rotate", Value::Null).await;
    s.call("POST", "/_emulator/clock/advance", json!({"seconds": 3600}))
        .await;
    s.call(
        "PATCH",
        "/_emulator/settings",
        json!({"lockout": {"max_failed_attempts": 0}}),
    )
    .await;
    s.needs_credentials("POST", "/_emulator/reset", "").await;
    s.refuses(
        "POST",
        "/_emulator/reset",
        &[r#"{"keep": true}"#, "[]", "{"],
    )
    .await;
    assert!(
        s.emulator.organization_id("globex").is_some(),
        "refused resets changed nothing"
    );
    let kid = s.emulator.signing_key_id();

    let (status, body) = s.call("POST", "/_emulator/reset", json!({})).await;
    assert_eq!((status, body), (200, json!({"reset": true})));
    assert_eq!(s.emulator.organization_id("globex"), None);
    assert_eq!(
        s.emulator.organization_id("acme").as_deref(),
        Some("organization-test-acme")
    );
    assert!(s.emulator.outbox().is_empty());
    assert_ne!(s.emulator.signing_key_id(), kid, "back to the first key");
    assert_eq!(s.emulator.call_count(), 0);
    let (_, settings) = s.call("GET", "/_emulator/settings", Value::Null).await;
    assert_eq!(
        settings["lockout"]["max_failed_attempts"], 10,
        "settings are the seed's again"
    );
    let (status, _) = log_in(&s, "acme", "ada@acme.com", PASSWORD).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn faults_are_injected_listed_and_cleared() {
    let s = served().await;
    let fault = json!({"kind": "error", "status": 429, "error_type": "too_many_requests",
                       "error_message": "Slow down.", "times": 2,
                       "on_path": "/v1/b2b/passwords/authenticate"});
    s.needs_credentials("POST", "/_emulator/faults", &fault.to_string())
        .await;
    s.needs_credentials("DELETE", "/_emulator/faults", "").await;
    s.refuses(
        "POST",
        "/_emulator/faults",
        &[
            r#"{"kind": "explode"}"#,
            r#"{"kind": "error", "status": 429}"#,
            r#"{"kind": "error", "status": 700, "error_type": "x", "error_message": "y"}"#,
            r#"{"kind": "error", "status": "429", "error_type": "x", "error_message": "y"}"#,
            r#"{"kind": "latency", "latency_ms": 600000}"#,
            r#"{"kind": "drop_connection", "times": 0}"#,
            r#"{"kind": "drop_connection", "on_path": "v1/no-slash"}"#,
            r#"{"kind": "drop_connection", "when": "now"}"#,
        ],
    )
    .await;
    let (status, list) = s.call("GET", "/_emulator/faults", Value::Null).await;
    assert_eq!(
        (status, list),
        (200, json!([])),
        "refused faults were not queued"
    );

    let (status, body) = s.call("POST", "/_emulator/faults", fault).await;
    assert_eq!((status, body), (200, json!({"queued": 1})));
    let (_, body) = s
        .call(
            "POST",
            "/_emulator/faults",
            json!({"kind": "latency", "latency_ms": 10}),
        )
        .await;
    assert_eq!(body, json!({"queued": 2}));
    let (_, list) = s.call("GET", "/_emulator/faults", Value::Null).await;
    assert_eq!(
        list,
        json!([
            {"kind": "respond", "status": 429, "content_type": "application/json", "times": 2,
             "on_path": "/v1/b2b/passwords/authenticate"},
            {"kind": "latency", "latency_ms": 10, "times": 1, "on_path": null},
        ])
    );
    for _ in 0..2 {
        let (status, body) = log_in(&s, "acme", "ada@acme.com", PASSWORD).await;
        assert_eq!(status, 429);
        assert_stytch_error(&body, 429, "too_many_requests");
    }
    let (status, _) = log_in(&s, "acme", "ada@acme.com", PASSWORD).await;
    assert_eq!(status, 200, "the latency fault slowed this one only");

    s.call(
        "POST",
        "/_emulator/faults",
        json!({"kind": "respond", "status": 502,
        "content_type": "text/html", "body": "<h1>Bad gateway</h1>"}),
    )
    .await;
    let (status, body) = s.call("DELETE", "/_emulator/faults", Value::Null).await;
    assert_eq!((status, body), (200, json!({"cleared": 1})));
    let (status, _) = log_in(&s, "acme", "ada@acme.com", PASSWORD).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_clock_is_read_frozen_and_advanced() {
    let s = served().await;
    s.needs_credentials("GET", "/_emulator/clock", "").await;
    s.needs_credentials("POST", "/_emulator/clock/freeze", "")
        .await;
    let (status, clock) = s.call("GET", "/_emulator/clock", Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!(clock["frozen"], false);
    s.refuses("POST", "/_emulator/clock/freeze", &[r#"{"at": 5}"#])
        .await;
    let (_, clock) = s.call("GET", "/_emulator/clock", Value::Null).await;
    assert_eq!(clock["frozen"], false, "a refused freeze changed nothing");

    let (status, frozen) = s.call("POST", "/_emulator/clock/freeze", Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!(frozen["frozen"], true);
    let unix = frozen["unix"].as_i64().unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (_, clock) = s.call("GET", "/_emulator/clock", Value::Null).await;
    assert_eq!(clock["unix"], unix, "frozen");
    let (_, clock) = s
        .call("POST", "/_emulator/clock/advance", json!({"seconds": 90}))
        .await;
    assert_eq!(clock["unix"], unix + 90);
    assert_eq!(clock["now"].as_str().map(str::len), Some(20));
}

#[tokio::test]
async fn keys_calls_and_settings() {
    let s = served().await;
    s.needs_credentials("GET", "/_emulator/keys", "").await;
    s.needs_credentials("POST", "/_emulator/keys/rotate", "")
        .await;
    s.needs_credentials("GET", "/_emulator/calls", "").await;
    s.needs_credentials("PATCH", "/_emulator/settings", "{}")
        .await;
    let (_, keys) = s.call("GET", "/_emulator/keys", Value::Null).await;
    assert_eq!(keys["kid"], s.emulator.signing_key_id());
    s.refuses("POST", "/_emulator/keys/rotate", &[r#"{"kid": "mine"}"#])
        .await;
    assert_eq!(keys["kid"], s.emulator.signing_key_id(), "not rotated");
    let (status, rotated) = s.call("POST", "/_emulator/keys/rotate", Value::Null).await;
    assert_eq!(status, 200);
    assert_ne!(rotated["kid"], keys["kid"]);
    let jwks_path = format!("/v1/b2b/sessions/jwks/{}", s.emulator.project_id());
    let (status, jwks) = send(&s.url, "GET", &jwks_path, "", None).await;
    assert_eq!(status, 200);
    assert_eq!(jwks["keys"][0]["kid"], rotated["kid"]);

    let (_, calls) = s.call("GET", "/_emulator/calls", Value::Null).await;
    assert_eq!(
        calls,
        json!({"count": 1}),
        "the JWKS fetch; control calls do not count"
    );

    let (status, settings) = s.call("GET", "/_emulator/settings", Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!(
        settings["lockout"],
        json!({"max_failed_attempts": 10, "window_seconds": 3600, "lock_seconds": 3600})
    );
    assert_eq!(settings["password_policy"], json!({"type": "zxcvbn"}));
    s.refuses(
        "PATCH",
        "/_emulator/settings",
        &[
            r#"{"lockout": {"max_failed_attempts": "3"}}"#,
            r#"{"lockout": {"max_failed_attempts": 3, "forever": true}}"#,
            r#"{"password_hashing": {"algorithm": "bcrypt", "cost": 31}}"#,
            r#"{"password_policy": {"type": "luds", "min_length": 8, "min_complexity": 9}}"#,
            r#"{"password_policy": {"type": "luds"}, "theme": "dark"}"#,
            r#"{"breach_detection_on_create": "yes"}"#,
        ],
    )
    .await;
    let (_, unchanged) = s.call("GET", "/_emulator/settings", Value::Null).await;
    assert_eq!(unchanged, settings, "refused settings changed nothing");

    let (status, updated) = s
        .call(
            "PATCH",
            "/_emulator/settings",
            json!({"lockout": {"max_failed_attempts": 2, "window_seconds": 600, "lock_seconds": 120},
                   "password_policy": {"type": "luds", "min_length": 10, "min_complexity": 3},
                   "add_breached_passwords": ["Summer2024!"],
                   "breach_detection_on_create": true,
                   "password_hashing": {"algorithm": "bcrypt", "cost": 4}}),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["lockout"]["lock_seconds"], 120);
    assert_eq!(updated["breached_passwords_count"], 1);
    let (_, strength) = s
        .call(
            "POST",
            "/v1/b2b/passwords/strength_check",
            json!({"password": "Summer2024!"}),
        )
        .await;
    assert_eq!(strength["strength_policy"], "luds");
    assert_eq!(strength["breached_password"], true);

    // Lockout through HTTP, lifted by the clock.
    s.call("POST", "/_emulator/clock/freeze", Value::Null).await;
    for expected in ["unauthorized_credentials", "user_lock_limit_reached"] {
        let (status, body) = log_in(&s, "acme", "ada@acme.com", "wrong-password").await;
        assert_eq!(status, 401);
        assert_stytch_error(&body, 401, expected);
    }
    let (_, body) = log_in(&s, "acme", "ada@acme.com", PASSWORD).await;
    assert_eq!(body["error_type"], "user_lock_limit_reached");
    let member = s.emulator.member_id("acme", "ada@acme.com").unwrap();
    let (_, read) = s
        .call("GET", &format!("/_emulator/members/{member}"), Value::Null)
        .await;
    assert_eq!(read["member"]["is_locked"], true);
    assert_eq!(read["locked_until"], read["member"]["lock_expires_at"]);
    s.call("POST", "/_emulator/clock/advance", json!({"seconds": 120}))
        .await;
    let (status, login) = log_in(&s, "acme", "ada@acme.com", PASSWORD).await;
    assert_eq!(status, 200);
    assert_eq!(login["member"]["is_locked"], false);
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let s = served().await;
    for (method, path, status) in [
        ("GET", "/_emulator/reset", 405),
        ("POST", "/_emulator/clock", 405),
        ("PUT", "/_emulator/settings", 405),
        ("GET", "/_emulator/projects", 405),
        ("GET", "/_emulator/project", 405),
        ("GET", "/_emulator/organizations/acme/members/x", 404),
        ("GET", "/_emulator", 404),
    ] {
        let (got, body) = s.call(method, path, Value::Null).await;
        assert_eq!(got, status, "{method} {path}");
        let error_type = if status == 405 {
            "method_not_allowed"
        } else {
            "not_found"
        };
        assert_stytch_error(&body, status, error_type);
    }
}

/// A fresh project's handle: its URL and credentials.
async fn fresh_project(s: &Served, body: Value) -> Served {
    let (status, created) = s.call("POST", "/_emulator/projects", body).await;
    assert_eq!(status, 200, "{created}");
    let project_id = created["project_id"].as_str().unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert!(project_id.starts_with("project-test-"));
    assert_ne!(project_id, s.emulator.project_id());
    Served {
        emulator: s.emulator.clone(),
        _server: None,
        url: s.url.clone(),
        auth: basic(project_id, secret),
    }
}

/// One suite's run in its own project: its Organization, login, reset email and clock.
async fn suite(p: &Served, email: &str) -> (String, i64) {
    let (status, _) = p
        .call(
            "POST",
            "/_emulator/organizations",
            json!({"name": "Shared", "slug": "shared",
            "members": [{"email_address": email, "password": PASSWORD}]}),
        )
        .await;
    assert_eq!(status, 200, "the same slug in each project");
    let (status, _) = log_in(p, "shared", email, PASSWORD).await;
    assert_eq!(status, 200);
    let (status, _) = p
        .call(
            "POST",
            "/v1/b2b/passwords/email/reset/start",
            json!({"organization_id": "shared", "email_address": email}),
        )
        .await;
    assert_eq!(status, 200);
    p.call("POST", "/_emulator/clock/freeze", Value::Null).await;
    let (_, clock) = p
        .call(
            "POST",
            "/_emulator/clock/advance",
            json!({"seconds": 86400}),
        )
        .await;
    let (_, outbox) = p.call("GET", "/_emulator/outbox", Value::Null).await;
    let to: Vec<&str> = outbox
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["to"].as_str())
        .collect();
    assert_eq!(to, vec![email], "only this project's email");
    (p.auth.clone(), clock["unix"].as_i64().unwrap())
}

#[tokio::test]
async fn fresh_projects_used_in_parallel_are_kept_apart() {
    let s = served().await;
    s.needs_credentials("POST", "/_emulator/projects", "{}")
        .await;
    s.refuses(
        "POST",
        "/_emulator/projects",
        &[
            r#"{"seed": 5}"#,
            r#"{"name": "mine"}"#,
            r#"{"seed": {"organizations": [{"name": "x"}]}}"#,
        ],
    )
    .await;

    let a = fresh_project(&s, Value::Null).await;
    let b = fresh_project(&s, json!({"seed": {"organizations": []}})).await;
    let (one, two) = tokio::join!(suite(&a, "ann@shared.com"), suite(&b, "ben@shared.com"));
    assert_ne!(one.0, two.0);

    // A copies the started project's seed; B started empty.
    let (status, _) = log_in(&a, "acme", "ada@acme.com", PASSWORD).await;
    assert_eq!(status, 200);
    let (status, body) = log_in(&b, "acme", "ada@acme.com", PASSWORD).await;
    assert_eq!(status, 404, "{body}");
    // The started project saw none of it.
    assert_eq!(s.emulator.organization_id("shared"), None);
    assert!(s.emulator.outbox().is_empty());
    let (_, clock) = s.call("GET", "/_emulator/clock", Value::Null).await;
    assert_eq!(clock["frozen"], false);
    // Credentials do not cross: A's id with B's secret is refused.
    let mixed = Served {
        emulator: s.emulator.clone(),
        _server: None,
        url: s.url.clone(),
        auth: basic(&project_of(&a.auth), &secret_of(&b.auth)),
    };
    let (status, _) = mixed.call("GET", "/_emulator/outbox", Value::Null).await;
    assert_eq!(status, 401);

    // Each project's JWKS is public and its own.
    let (status, jwks) = send(
        &a.url,
        "GET",
        &format!("/v1/b2b/sessions/jwks/{}", project_of(&a.auth)),
        "",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(jwks["keys"][0]["kid"].as_str().is_some());

    // A fresh project can be deleted; the started one cannot.
    let (status, body) = a.call("DELETE", "/_emulator/project", Value::Null).await;
    assert_eq!(
        (status, &body["deleted"]),
        (200, &json!(project_of(&a.auth)))
    );
    let (status, _) = a.call("GET", "/_emulator/outbox", Value::Null).await;
    assert_eq!(status, 401, "gone");
    let (status, body) = s.call("DELETE", "/_emulator/project", Value::Null).await;
    assert_eq!(status, 400);
    assert_stytch_error(&body, 400, "invalid_request");
}

fn decoded(auth: &str) -> String {
    let encoded = auth.trim_start_matches("Basic ");
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap(),
    )
    .unwrap()
}

fn project_of(auth: &str) -> String {
    decoded(auth).split_once(':').unwrap().0.to_owned()
}

fn secret_of(auth: &str) -> String {
    decoded(auth).split_once(':').unwrap().1.to_owned()
}
