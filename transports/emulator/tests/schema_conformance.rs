//! Every success body the emulator sends has every field the API's JSON schemas mark required,
//! with the schema's type, recursively (Member, Organization, MemberSession,
//! AuthenticationFactor, DiscoveredOrganization, ...) and no field the schema lacks; every
//! error body has Stytch's error fields.
//!
//! The schemas are the repository's copy in `tests/reference/schemas` (see the README there); a
//! missing schema file fails the test.

use std::collections::HashMap;
use std::path::PathBuf;

use base64::Engine as _;
use bytes::Bytes;
use serde_json::{json, Value};
use stytch_b2b_passwords_emulator::{Emulator, MemberSeed, OrganizationSeed};

struct Schemas {
    dir: PathBuf,
    cache: HashMap<String, Value>,
}

impl Schemas {
    fn new() -> Self {
        Schemas {
            dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/reference/schemas"),
            cache: HashMap::new(),
        }
    }

    fn get(&mut self, name: &str) -> Value {
        if let Some(v) = self.cache.get(name) {
            return v.clone();
        }
        let text = std::fs::read_to_string(self.dir.join(format!("{name}.json")))
            .unwrap_or_else(|e| panic!("schema {name}: {e}"));
        let v: Value = serde_json::from_str(&text).unwrap();
        self.cache.insert(name.to_owned(), v.clone());
        v
    }

    /// Checks `value` against `schema`; returns the problems found, with their JSON paths.
    fn check(&mut self, schema: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let name = r.rsplit('/').next().unwrap_or(r).to_owned();
            let resolved = self.get(&name);
            return self.check(&resolved, value, path, problems);
        }
        if value.is_null() {
            return;
        }
        let ty = schema.get("type").and_then(Value::as_str);
        let ok = match ty {
            Some("string") => value.is_string(),
            Some("boolean") => value.is_boolean(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("array") => value.is_array(),
            Some("object") => value.is_object(),
            _ => true,
        };
        if !ok {
            problems.push(format!("{path}: expected {ty:?}, got {value}"));
            return;
        }
        if let (Some(allowed), Some(s)) =
            (schema.get("enum").and_then(Value::as_array), value.as_str())
        {
            if !allowed.iter().any(|a| a == s) {
                problems.push(format!("{path}: {s:?} is not one of the schema's values"));
            }
        }
        if let Some(items) = schema.get("items") {
            for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                self.check(items, item, &format!("{path}[{i}]"), problems);
            }
        }
        if let Some(map) = value.as_object() {
            for req in schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let key = req.as_str().unwrap_or_default();
                match map.get(key) {
                    None => problems.push(format!("{path}.{key}: required but missing")),
                    Some(Value::Null) => problems.push(format!("{path}.{key}: required but null")),
                    Some(_) => {}
                }
            }
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (key, sub) in props {
                    if let Some(v) = map.get(key) {
                        self.check(sub, v, &format!("{path}.{key}"), problems);
                    }
                }
                // No field the schema does not have: a strict client (or one whose models are
                // generated from these schemas) would not expect it. The official Python SDK
                // check found `organization_id` in existing_password/reset this way.
                for key in map.keys() {
                    if !props.contains_key(key) {
                        problems.push(format!("{path}.{key}: not in the schema"));
                    }
                }
            }
        }
    }
}

fn request(emulator: &Emulator, path: &str, body: Value, headers: &[(&str, &str)]) -> (u16, Value) {
    let credentials = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        emulator.project_id(),
        emulator.secret().expose()
    ));
    let mut builder = http::Request::builder()
        .method("POST")
        .uri(format!("https://test.stytch.com{path}"))
        .header("authorization", format!("Basic {credentials}"));
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let response = emulator.respond(&builder.body(Bytes::from(body.to_string())).unwrap());
    (
        response.status().as_u16(),
        serde_json::from_slice(response.body()).unwrap(),
    )
}

#[test]
fn every_response_matches_its_schema() {
    let mut schemas = Schemas::new();
    let pw = "quasar-Mauve-kettle-1987";
    let pw2 = "orbit-Saffron-lantern-2042";
    let e = Emulator::builder()
        .organization(
            OrganizationSeed::new("Acme", "acme")
                .jit_for_domains(["acme.com"])
                .member(
                    MemberSeed::new("ada@acme.com")
                        .password(pw)
                        .roles(["editor"]),
                ),
        )
        .organization(
            OrganizationSeed::new("Vault", "vault")
                .mfa_required()
                .member(
                    MemberSeed::new("ada@acme.com")
                        .password(pw)
                        .mfa_phone("+15555550100"),
                ),
        )
        .build()
        .unwrap();
    let mut bodies: Vec<(&str, u16, Value)> = Vec::new();
    let mut call = |schema: &'static str, path: &str, body: Value, headers: &[(&str, &str)]| {
        let (status, value) = request(&e, path, body, headers);
        bodies.push((schema, status, value.clone()));
        value
    };

    call(
        "api_b2b_password_v1_StrengthCheckResponse",
        "/v1/b2b/passwords/strength_check",
        json!({"password": "password", "email_address": "ada@acme.com"}),
        &[],
    );
    call(
        "api_b2b_password_v1_MigrateResponse",
        "/v1/b2b/passwords/migrate",
        json!({"email_address": "bob@acme.com", "organization_id": "acme", "hash_type": "md_5",
               "hash": "5f4dcc3b5aa765d61d8327deb882cf99", "name": "Bob",
               "trusted_metadata": {"a": 1}, "external_id": "ext-bob"}),
        &[],
    );
    call(
        "api_b2b_password_v1_AuthenticateResponse",
        "/v1/b2b/passwords/authenticate",
        json!({"organization_id": "acme", "email_address": "ada@acme.com", "password": pw,
               "session_custom_claims": {"k": "v"}}),
        &[],
    );
    call(
        "api_b2b_password_v1_AuthenticateResponse",
        "/v1/b2b/passwords/authenticate",
        json!({"organization_id": "vault", "email_address": "ada@acme.com", "password": pw}),
        &[],
    );
    call(
        "api_b2b_password_v1_b2b_passwords_email_ResetStartResponse",
        "/v1/b2b/passwords/email/reset/start",
        json!({"organization_id": "acme", "email_address": "ada@acme.com"}),
        &[],
    );
    let token = e
        .last_email_to("ada@acme.com")
        .unwrap()
        .token
        .expose()
        .to_owned();
    call(
        "api_b2b_password_v1_b2b_passwords_email_ResetResponse",
        "/v1/b2b/passwords/email/reset",
        json!({"password_reset_token": token, "password": pw2}),
        &[],
    );
    let login = call(
        "api_b2b_password_v1_AuthenticateResponse",
        "/v1/b2b/passwords/authenticate",
        json!({"organization_id": "acme", "email_address": "ada@acme.com", "password": pw2}),
        &[],
    );
    let session_token = login["session_token"].as_str().unwrap().to_owned();
    call(
        "api_b2b_password_v1_b2b_passwords_email_RequireResetResponse",
        "/v1/b2b/passwords/email/require_reset",
        json!({"email_address": "bob@acme.com", "organization_id": "acme"}),
        &[("x-stytch-member-session", &session_token)],
    );
    call(
        "api_b2b_password_v1_b2b_passwords_session_ResetResponse",
        "/v1/b2b/passwords/session/reset",
        json!({"organization_id": "acme", "password": pw, "session_token": session_token}),
        &[],
    );
    call(
        "api_b2b_password_v1_b2b_passwords_existing_password_ResetResponse",
        "/v1/b2b/passwords/existing_password/reset",
        json!({"organization_id": "acme", "email_address": "ada@acme.com", "existing_password": pw, "new_password": pw2}),
        &[],
    );
    call(
        "api_b2b_password_v1_b2b_passwords_discovery_AuthenticateResponse",
        "/v1/b2b/passwords/discovery/authenticate",
        json!({"email_address": "ada@acme.com", "password": pw2}),
        &[],
    );
    call(
        "discovery_reset_start",
        "/v1/b2b/passwords/discovery/email/reset/start",
        json!({"email_address": "ada@acme.com"}),
        &[],
    );
    let token = e
        .last_email_to("ada@acme.com")
        .unwrap()
        .token
        .expose()
        .to_owned();
    call(
        "api_b2b_password_v1_b2b_passwords_discovery_email_ResetResponse",
        "/v1/b2b/passwords/discovery/email/reset",
        json!({"password_reset_token": token, "password": pw}),
        &[],
    );
    // Errors.
    call(
        "error",
        "/v1/b2b/passwords/authenticate",
        json!({"organization_id": "acme", "email_address": "ada@acme.com", "password": "nope"}),
        &[],
    );
    call(
        "error",
        "/v1/b2b/passwords/email/reset",
        json!({"password_reset_token": "x", "password": pw}),
        &[],
    );

    let mut problems = Vec::new();
    for (schema_name, status, body) in &bodies {
        match *schema_name {
            "error" => {
                assert!(*status >= 400, "{body}");
                for key in [
                    "status_code",
                    "request_id",
                    "error_type",
                    "error_message",
                    "error_url",
                ] {
                    if body.get(key).is_none() {
                        problems.push(format!("error body: {key} missing in {body}"));
                    }
                }
            }
            "discovery_reset_start" => {
                // No schema file: the API returns only these two.
                assert_eq!(*status, 200, "{body}");
                assert!(body["request_id"].is_string() && body["status_code"] == 200);
            }
            name => {
                assert_eq!(*status, 200, "{name}: {body}");
                let schema = schemas.get(name);
                schemas.check(&schema, body, name, &mut problems);
            }
        }
    }
    // The session-bearing responses really carried a session, so the nested checks ran.
    assert!(bodies
        .iter()
        .any(|(_, _, b)| b["member_session"]["authentication_factors"].is_array()));
    assert!(bodies
        .iter()
        .any(|(_, _, b)| b["mfa_required"]["member_options"].is_object()));
    assert!(
        problems.is_empty(),
        "schema problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_catches_missing_and_mistyped_fields() {
    let mut schemas = Schemas::new();
    let schema = schemas.get("api_b2b_password_v1_MigrateResponse");
    let body = json!({
        "request_id": "r", "member_id": "m", "member_created": "yes", "status_code": 200,
        "member": {"member_id": "m"}, "organization": {}
    });
    let mut problems = Vec::new();
    schemas.check(&schema, &body, "migrate", &mut problems);
    assert!(problems
        .iter()
        .any(|p| p.contains("member_created: expected")));
    assert!(problems
        .iter()
        .any(|p| p.contains("member.roles: required but missing")));
    assert!(problems
        .iter()
        .any(|p| p.contains("organization.organization_slug: required")));
}
