//! Session JWTs verify with the JWKS the emulator serves (the JWK's `n` and `e`, checked here
//! with ring), carry the documented claims, and follow key rotation.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use bytes::Bytes;
use ring::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use serde_json::{json, Value};
use stytch_b2b_passwords::transport::HttpTransport;
use stytch_b2b_passwords::{AuthenticateRequest, PasswordsClient, SessionsResetRequest};
use stytch_b2b_passwords_emulator::{
    serve, Emulator, EmulatorTransport, LoopbackTransport, MemberSeed, OrganizationSeed,
};

const PASSWORD: &str = "quasar-Mauve-kettle-1987";

fn setup() -> (Emulator, PasswordsClient) {
    let emulator = Emulator::builder()
        .organization(
            OrganizationSeed::new("Acme", "acme").member(
                MemberSeed::new("ada@acme.com")
                    .password(PASSWORD)
                    .roles(["editor"]),
            ),
        )
        .build()
        .unwrap();
    let client = emulator.client().unwrap();
    (emulator, client)
}

/// A JWKS request without credentials: the JWKS is public, as Stytch's is.
fn jwks_request(emulator: &Emulator, base: &str) -> http::Request<Bytes> {
    http::Request::builder()
        .method("GET")
        .uri(format!(
            "{base}/v1/b2b/sessions/jwks/{}",
            emulator.project_id()
        ))
        .body(Bytes::new())
        .unwrap()
}

async fn fetch_jwks(emulator: &Emulator, transport: &dyn HttpTransport, base: &str) -> Value {
    let response = transport.send(jwks_request(emulator, base)).await.unwrap();
    assert_eq!(response.status(), 200);
    serde_json::from_slice(response.body()).unwrap()
}

fn b64_json(segment: &str) -> Result<Value, String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segment)
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

/// A JWT's decoded header.
fn header(jwt: &str) -> Value {
    b64_json(jwt.split('.').next().unwrap()).unwrap()
}

/// Verifies an RS256 JWT against a JWKS as any relying party would: the key named by `kid`, the
/// signature, `iss`, `aud`, the registered claims present, `exp` and `nbf` against the system
/// clock (60 s leeway). Returns the claims.
fn verify(jwt: &str, jwks: &Value, project_id: &str) -> Result<Value, String> {
    let mut parts = jwt.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not three segments".into());
    };
    let header = b64_json(header_b64)?;
    if header["alg"] != "RS256" {
        return Err(format!("alg {}", header["alg"]));
    }
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .ok_or("no key for the kid")?;
    let component = |name: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(key[name].as_str().unwrap())
            .unwrap()
    };
    let public = RsaPublicKeyComponents {
        n: component("n"),
        e: component("e"),
    };
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature_b64)
        .map_err(|e| e.to_string())?;
    let signed = &jwt[..header_b64.len() + 1 + payload_b64.len()];
    public
        .verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature)
        .map_err(|_| "bad signature")?;
    let claims = b64_json(payload_b64)?;
    for claim in ["exp", "nbf", "iat", "sub", "iss", "aud"] {
        if claims.get(claim).is_none() {
            return Err(format!("missing {claim}"));
        }
    }
    if claims["iss"] != format!("stytch.com/{project_id}") {
        return Err("wrong issuer".into());
    }
    let audience_ok = match &claims["aud"] {
        Value::String(aud) => aud == project_id,
        Value::Array(auds) => auds.iter().any(|aud| aud == project_id),
        _ => false,
    };
    if !audience_ok {
        return Err("wrong audience".into());
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    if claims["exp"].as_i64().ok_or("exp")? + 60 <= now {
        return Err("expired".into());
    }
    if claims["nbf"].as_i64().ok_or("nbf")? > now + 60 {
        return Err("not yet valid".into());
    }
    Ok(claims)
}

#[tokio::test]
async fn session_jwt_verifies_with_the_served_jwks_and_has_the_documented_claims() {
    let (emulator, client) = setup();
    let jwks = fetch_jwks(
        &emulator,
        &EmulatorTransport::new(emulator.clone()),
        "https://test.stytch.com",
    )
    .await;
    assert_eq!(jwks["status_code"], 200);
    assert!(jwks["request_id"].as_str().is_some());
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kty"], "RSA");
    assert_eq!(keys[0]["alg"], "RS256");
    assert_eq!(keys[0]["use"], "sig");
    assert_eq!(keys[0]["kid"], emulator.signing_key_id());
    assert_eq!(keys[0]["e"], "AQAB");
    assert_eq!(keys[0]["key_ops"], json!(["verify"]));
    // x5c: one self-signed certificate (standard base64 DER) for this very key, and x5tS256
    // its SHA-256 thumbprint in base64url.
    let x5c = keys[0]["x5c"].as_array().unwrap();
    assert_eq!(x5c.len(), 1);
    let der = base64::engine::general_purpose::STANDARD
        .decode(x5c[0].as_str().unwrap())
        .unwrap();
    assert_eq!(der[0], 0x30, "a DER SEQUENCE");
    let thumbprint = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(<sha2::Sha256 as sha2::Digest>::digest(&der));
    assert_eq!(keys[0]["x5tS256"], thumbprint);
    let modulus = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(keys[0]["n"].as_str().unwrap())
        .unwrap();
    assert!(
        der.windows(modulus.len()).any(|w| w == modulus.as_slice()),
        "the certificate holds the key's modulus"
    );
    let again = fetch_jwks(
        &emulator,
        &EmulatorTransport::new(emulator.clone()),
        "https://test.stytch.com",
    )
    .await;
    assert_eq!(
        again["keys"], jwks["keys"],
        "the same certificate each time"
    );

    let claims_in = json!({"tenant": "blue", "plan": {"tier": 2}});
    let login = client
        .authenticate(
            AuthenticateRequest::new("acme", "ada@acme.com", PASSWORD)
                .session_custom_claims(claims_in.as_object().unwrap().clone()),
        )
        .await
        .unwrap();
    let jwt = login.session_jwt.expose();
    let header = header(jwt);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["kid"], emulator.signing_key_id());

    let project = emulator.project_id();
    let claims = verify(jwt, &jwks, &project).unwrap();
    let session = login.member_session.as_ref().unwrap();
    assert_eq!(claims["sub"], login.member_id);
    assert_eq!(claims["iss"], format!("stytch.com/{project}"));
    assert_eq!(claims["aud"], json!([project]));
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(claims["nbf"].as_i64(), Some(iat));
    assert_eq!(claims["exp"].as_i64(), Some(iat + 300));
    let s = &claims["https://stytch.com/session"];
    assert_eq!(s["id"], session.member_session_id);
    assert_eq!(s["started_at"], session.started_at);
    assert_eq!(s["last_accessed_at"], session.last_accessed_at);
    assert_eq!(s["expires_at"], session.expires_at);
    assert_eq!(s["attributes"], json!({"ip_address": "", "user_agent": ""}));
    assert_eq!(s["roles"], json!(["stytch_member", "editor"]));
    let factor = &s["authentication_factors"][0];
    assert_eq!(factor["type"], "password");
    assert_eq!(factor["delivery_method"], "knowledge");
    assert_eq!(factor["email_factor"]["email_address"], "ada@acme.com");
    assert_eq!(
        claims["https://stytch.com/organization"],
        json!({"organization_id": login.organization_id, "slug": "acme"})
    );
    assert_eq!(claims["tenant"], "blue");
    assert_eq!(claims["plan"], json!({"tier": 2}));
}

#[tokio::test]
async fn jwt_exp_is_capped_at_the_session_expiry() {
    let (emulator, client) = setup();
    emulator.freeze_clock();
    let login = client
        .authenticate(
            AuthenticateRequest::new("acme", "ada@acme.com", PASSWORD).session_duration_minutes(5),
        )
        .await
        .unwrap();
    emulator.advance_clock(Duration::from_secs(180));
    let extended = client
        .authenticate(
            AuthenticateRequest::new("acme", "ada@acme.com", PASSWORD)
                .session_token(login.session_token.clone()),
        )
        .await
        .unwrap();
    let payload = extended.session_jwt.expose().split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    let iat = claims["iat"].as_i64().unwrap();
    assert_eq!(
        claims["exp"].as_i64(),
        Some(iat + 120),
        "2 minutes of session left"
    );
}

#[tokio::test]
async fn key_rotation_changes_the_kid_and_retires_the_old_key() {
    let (emulator, client) = setup();
    let project = emulator.project_id();
    let transport = EmulatorTransport::new(emulator.clone());
    let old_jwks = fetch_jwks(&emulator, &transport, "https://test.stytch.com").await;
    let old_kid = emulator.signing_key_id();
    let before = client
        .authenticate(AuthenticateRequest::new("acme", "ada@acme.com", PASSWORD))
        .await
        .unwrap();
    assert!(verify(before.session_jwt.expose(), &old_jwks, &project).is_ok());

    let new_kid = emulator.rotate_signing_key();
    assert_ne!(new_kid, old_kid);
    let new_jwks = fetch_jwks(&emulator, &transport, "https://test.stytch.com").await;
    let kids: Vec<&str> = new_jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["kid"].as_str())
        .collect();
    assert_eq!(kids, vec![new_kid.as_str()], "the old kid left the JWKS");
    assert!(verify(before.session_jwt.expose(), &new_jwks, &project).is_err());

    let after = client
        .authenticate(AuthenticateRequest::new("acme", "ada@acme.com", PASSWORD))
        .await
        .unwrap();
    assert_eq!(header(after.session_jwt.expose())["kid"], new_kid);
    assert!(verify(after.session_jwt.expose(), &new_jwks, &project).is_ok());
    assert!(verify(after.session_jwt.expose(), &old_jwks, &project).is_err());

    // A JWT signed with the retired key no longer names a session; the token still does.
    let err = client
        .sessions_reset(
            SessionsResetRequest::new("acme", "orbit-Saffron-lantern-2042")
                .session_jwt(before.session_jwt.clone()),
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.error_type().map(|t| t.as_str()),
        Some("session_not_found")
    );
    client
        .sessions_reset(
            SessionsResetRequest::new("acme", "orbit-Saffron-lantern-2042")
                .session_token(before.session_token.clone()),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn jwks_over_http() {
    let (emulator, client) = setup();
    let server = serve(emulator.clone(), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let jwks = tokio::time::timeout(
        Duration::from_secs(30),
        fetch_jwks(&emulator, &LoopbackTransport::new(), &server.base_url()),
    )
    .await
    .unwrap();
    let login = client
        .authenticate(AuthenticateRequest::new("acme", "ada@acme.com", PASSWORD))
        .await
        .unwrap();
    assert!(verify(login.session_jwt.expose(), &jwks, &emulator.project_id()).is_ok());
    server.shutdown().await;
}

#[tokio::test]
async fn rotation_cycles_through_four_distinct_shipped_keys() {
    let (emulator, _client) = setup();
    let first = emulator.signing_key_id();
    let mut kids = vec![first.clone()];
    for _ in 0..3 {
        kids.push(emulator.rotate_signing_key());
        assert_eq!(
            emulator.jwks()["keys"][0]["kid"],
            *kids.last().unwrap(),
            "the JWKS serves the key in use"
        );
    }
    let mut distinct = kids.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{kids:?}");
    assert_eq!(
        emulator.rotate_signing_key(),
        first,
        "then the cycle restarts"
    );
}
