//! Response mapping by the pure `wire::parse_response`: success bodies, Stytch error bodies,
//! and everything a proxy or a broken server can send instead.

use bytes::Bytes;
use serde_json::json;
use stytch_b2b_passwords::wire::{parse_response, Endpoint};
use stytch_b2b_passwords::*;

fn response(status: u16, body: impl Into<Bytes>) -> http::Response<Bytes> {
    http::Response::builder()
        .status(status)
        .body(body.into())
        .unwrap()
}

fn parse<E: Endpoint>(status: u16, body: impl Into<Bytes>) -> Result<E::Response> {
    parse_response::<E>(response(status, body))
}

fn reference_error_bodies() -> Vec<(u16, serde_json::Value)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/examples");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("reference examples") {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        for ex in doc["responseExamples"].as_array().unwrap() {
            let status: u16 = ex["status"].as_str().unwrap().parse().unwrap();
            out.push((status, ex["example"].clone()));
        }
    }
    assert!(
        out.len() >= 33,
        "expected 3 examples for each of 11 endpoints"
    );
    out
}

#[test]
fn every_reference_example_maps_to_a_typed_api_error() {
    for (status, body) in reference_error_bodies() {
        let err = parse::<AuthenticateRequest>(status, body.to_string()).unwrap_err();
        let api = err.as_api().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.request_id.as_deref(), body["request_id"].as_str());
        assert_eq!(
            api.error_type.as_str(),
            body["error_type"].as_str().unwrap()
        );
        assert!(!matches!(api.error_type, ErrorType::Other(_)));
        assert_eq!(api.error_message.as_deref(), body["error_message"].as_str());
        assert_eq!(api.error_url.as_deref(), body["error_url"].as_str());
        let expected = match status {
            401 => ErrorType::UnauthorizedCredentials,
            429 => ErrorType::TooManyRequests,
            500 => ErrorType::InternalServerError,
            other => panic!("unexpected status {other}"),
        };
        assert_eq!(api.error_type, expected);
        assert_eq!(err.is_retryable(), status == 429);
    }
}

#[test]
fn stytch_error_body_with_details_and_unknown_type() {
    let body = json!({
        "status_code": 400,
        "request_id": "request-id-test-1",
        "error_type": "brand_new_error_kind",
        "error_message": "Something new.",
        "error_url": "https://stytch.com/docs/api/errors/400",
        "error_details": {"field": "password"}
    });
    let err = parse::<EmailResetRequest>(400, body.to_string()).unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status, http::StatusCode::BAD_REQUEST);
    assert_eq!(
        api.error_type,
        ErrorType::Other("brand_new_error_kind".into())
    );
    assert_eq!(api.error_details, Some(json!({"field": "password"})));
    assert_eq!(err.status(), Some(http::StatusCode::BAD_REQUEST));
    assert_eq!(err.request_id(), Some("request-id-test-1"));
    assert_eq!(
        err.to_string(),
        "Stytch API error 400 brand_new_error_kind: Something new. (request_id request-id-test-1)"
    );
}

#[test]
fn password_error_types_are_known() {
    for (wire, known) in [
        ("member_reset_password", ErrorType::MemberResetPassword),
        ("reset_password", ErrorType::ResetPassword),
        ("weak_password", ErrorType::WeakPassword),
        ("breached_password", ErrorType::BreachedPassword),
        (
            "unable_to_auth_password_reset_token",
            ErrorType::UnableToAuthPasswordResetToken,
        ),
        (
            "session_too_old_to_reset_password",
            ErrorType::SessionTooOldToResetPassword,
        ),
        ("pkce_mismatch", ErrorType::PkceMismatch),
        ("invalid_bcrypt_hash", ErrorType::InvalidBcryptHash),
        ("organization_not_found", ErrorType::OrganizationNotFound),
        ("member_not_found", ErrorType::MemberNotFound),
        ("invalid_email", ErrorType::InvalidEmail),
        ("user_lock_limit_reached", ErrorType::UserLockLimitReached),
    ] {
        let body = json!({"status_code": 400, "request_id": "r", "error_type": wire});
        let err = parse::<AuthenticateRequest>(400, body.to_string()).unwrap_err();
        assert_eq!(err.error_type(), Some(&known));
        assert_eq!(known.as_str(), wire);
    }
}

#[test]
fn partial_and_oauth_style_error_bodies_are_api_errors() {
    let err = parse::<MigrateRequest>(404, r#"{"error_type":"member_not_found"}"#).unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.error_type, ErrorType::MemberNotFound);
    assert_eq!(api.request_id, None);
    assert_eq!(api.error_message, None);

    let err = parse::<MigrateRequest>(
        401,
        r#"{"error":"unauthorized_credentials","error_description":"Bad creds.","error_uri":"https://stytch.com/docs"}"#,
    )
    .unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.error_type, ErrorType::UnauthorizedCredentials);
    assert_eq!(api.error_message.as_deref(), Some("Bad creds."));
    assert_eq!(api.error_url.as_deref(), Some("https://stytch.com/docs"));

    // Only a request id and nulls: still Stytch's answer.
    let err = parse::<MigrateRequest>(
        503,
        r#"{"request_id":"req-9","error_type":null,"error_message":null}"#,
    )
    .unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.request_id.as_deref(), Some("req-9"));
    assert_eq!(api.error_type, ErrorType::Other(String::new()));
    assert!(err.is_retryable());
}

#[test]
fn html_502_from_a_proxy_keeps_status_and_excerpt() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let err = parse::<AuthenticateRequest>(502, html).unwrap_err();
    let Error::Http(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status, http::StatusCode::BAD_GATEWAY);
    assert_eq!(e.body_excerpt(), html);
    assert_eq!(e.body_len, html.len());
    assert_eq!(err.status(), Some(http::StatusCode::BAD_GATEWAY));
    assert!(!err.is_retryable());
}

#[test]
fn empty_500_and_json_that_is_not_an_error() {
    let err = parse::<AuthenticateRequest>(500, "").unwrap_err();
    let Error::Http(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status, http::StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(e.body_excerpt(), "");
    assert_eq!(e.body_len, 0);

    for body in ["{}", "[1,2]", "null", r#"{"message":"upstream timeout"}"#] {
        let err = parse::<AuthenticateRequest>(504, body).unwrap_err();
        assert!(
            matches!(&err, Error::Http(e) if e.body_excerpt() == body),
            "{body}: {err:?}"
        );
    }
}

#[test]
fn huge_error_body_is_capped() {
    let body = "x".repeat(5 * 1024 * 1024);
    let err = parse::<AuthenticateRequest>(502, body.clone()).unwrap_err();
    let Error::Http(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.body_excerpt().len(), HttpError::EXCERPT_LIMIT);
    assert_eq!(e.body_len, body.len());
    assert!(err.to_string().len() < 1024);
}

#[test]
fn truncated_success_body_is_a_decode_error() {
    let err =
        parse::<StrengthCheckRequest>(200, r#"{"request_id":"r","valid_password":tr"#).unwrap_err();
    let Error::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.operation, "passwords.strength_check");
    assert_eq!(e.status, http::StatusCode::OK);
    assert_eq!(e.path, "valid_password");

    let err = parse::<StrengthCheckRequest>(200, "").unwrap_err();
    assert!(matches!(&err, Error::Decode(e) if e.path == "."), "{err:?}");
    let err = parse::<StrengthCheckRequest>(200, "<html>ok</html>").unwrap_err();
    assert!(matches!(&err, Error::Decode(_)), "{err:?}");
}

#[test]
fn wrong_typed_field_names_its_json_path_without_its_value() {
    let body = json!({
        "request_id": "r",
        "member": {"member_id": "m", "email_address": 12345678},
        "session_token": "tok"
    });
    let err = parse::<AuthenticateRequest>(200, body.to_string()).unwrap_err();
    let Error::Decode(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.path, "member.email_address");
    assert!(!e.message.contains("12345678"), "{}", e.message);
    assert!(err.to_string().contains("member.email_address"));

    let body = json!({"request_id": "r", "session_token": ["secret-in-array"]});
    let err = parse::<AuthenticateRequest>(200, body.to_string()).unwrap_err();
    assert!(matches!(&err, Error::Decode(e) if e.path == "session_token"));
}

#[test]
fn minimal_success_bodies_decode_for_every_endpoint() {
    let r = parse::<StrengthCheckRequest>(
        200,
        r#"{"request_id":"r1","valid_password":false,"score":1,"breached_password":true,"strength_policy":"luds","breach_detection_on_create":true,"status_code":200,"luds_feedback":null,"zxcvbn_feedback":null}"#,
    )
    .unwrap();
    assert_eq!(
        (r.request_id.as_str(), r.score, r.breached_password),
        ("r1", 1, true)
    );
    assert_eq!(r.strength_policy, "luds");

    let r = parse::<MigrateRequest>(
        200,
        r#"{"request_id":"r2","member_id":"m2","member_created":true,"organization":{"organization_id":"o2"}}"#,
    )
    .unwrap();
    assert_eq!((r.member_id.as_str(), r.member_created), ("m2", true));

    let r = parse::<AuthenticateRequest>(
        200,
        r#"{"request_id":"r3","member_id":"m3","organization_id":"o3","session_token":"st","session_jwt":"sj","intermediate_session_token":"","member_authenticated":true,"status_code":200,"member_session":{"member_session_id":"s3"},"mfa_required":null}"#,
    )
    .unwrap();
    assert_eq!(r.session_token.expose(), "st");
    assert_eq!(r.session_jwt.expose(), "sj");
    assert!(r.intermediate_session_token.is_empty());
    assert_eq!(r.member_session.unwrap().member_session_id, "s3");

    let r = parse::<EmailResetStartRequest>(
        200,
        r#"{"request_id":"r4","member_id":"m4","member_email_id":"e4","status_code":200}"#,
    )
    .unwrap();
    assert_eq!(r.member_email_id, "e4");

    let r = parse::<EmailResetRequest>(
        200,
        r#"{"request_id":"r5","member_id":"m5","organization_id":"o5","member_email_id":"e5","session_token":null,"intermediate_session_token":"ist5"}"#,
    )
    .unwrap();
    assert_eq!(r.member_email_id, "e5");
    assert!(r.session_token.is_empty());

    let r =
        parse::<EmailRequireResetRequest>(200, r#"{"request_id":"r6","status_code":200}"#).unwrap();
    assert_eq!(r.request_id, "r6");
    assert!(r.member.is_none());

    let r = parse::<SessionsResetRequest>(200, r#"{"request_id":"r7","member_id":"m7","organization":{"organization_id":"o7"},"intermediate_session_token":"ist7"}"#).unwrap();
    assert_eq!(r.member_id, "m7");

    let r = parse::<ExistingPasswordResetRequest>(
        200,
        r#"{"request_id":"r8","member_id":"m8","organization":{"organization_id":"o8"},"member_authenticated":false,"intermediate_session_token":"ist8"}"#,
    )
    .unwrap();
    assert_eq!(r.intermediate_session_token.expose(), "ist8");

    let r = parse::<DiscoveryAuthenticateRequest>(200, r#"{"request_id":"r9","email_address":"a@b.c","intermediate_session_token":"ist9","discovered_organizations":[],"status_code":200}"#).unwrap();
    assert_eq!(r.email_address, "a@b.c");

    let r =
        parse::<DiscoveryEmailResetStartRequest>(200, r#"{"request_id":"r10","status_code":200}"#)
            .unwrap();
    assert_eq!(r.status_code, 200);

    let r = parse::<DiscoveryEmailResetRequest>(
        200,
        r#"{"request_id":"r11","discovered_organizations":null,"email_address":"a@b.c","intermediate_session_token":"ist11"}"#,
    )
    .unwrap();
    assert!(r.discovered_organizations.is_empty());
}

/// Takes out (drops, nulls, empties, or gives the wrong type) each of `required` in turn from
/// `body`, a minimal success body that decodes, and expects a decode error naming it.
fn check_required<E: Endpoint>(body: serde_json::Value, required: &[&str]) {
    parse::<E>(200, body.to_string()).unwrap_or_else(|e| panic!("{}: {e}", E::OPERATION));
    for field in required {
        let pointer = format!("/{}", field.replace('.', "/"));
        for broken in [None, Some(json!(null)), Some(json!("")), Some(json!(7))] {
            let mut body = body.clone();
            match &broken {
                Some(value) => *body.pointer_mut(&pointer).unwrap() = value.clone(),
                None => {
                    let (parent, key) = pointer.rsplit_once('/').unwrap();
                    body.pointer_mut(parent)
                        .and_then(|p| p.as_object_mut())
                        .unwrap()
                        .remove(key);
                }
            }
            let what = format!("{} with {field} = {broken:?}", E::OPERATION);
            let Err(err) = parse::<E>(200, body.to_string()) else {
                panic!("{what} decodes")
            };
            let Error::Decode(e) = &err else {
                panic!("{what}: {err:?}")
            };
            // A wrong type fails in serde; a missing, null or empty value in the check after.
            assert_eq!(e.path, *field, "{what}");
            assert_eq!(e.operation, E::OPERATION);
            assert_eq!(e.status, http::StatusCode::OK);
            assert!(err.to_string().contains(&format!("`{field}`")), "{err}");
        }
    }
}

/// The fields of a session made by a Member's login, as a success body carries them.
fn logged_in(mut ids: serde_json::Value) -> serde_json::Value {
    let fields = json!({
        "member_authenticated": true,
        "session_token": "st",
        "session_jwt": "sj",
        "member_session": {"member_session_id": "s"},
        "intermediate_session_token": ""
    });
    ids.as_object_mut()
        .unwrap()
        .extend(fields.as_object().unwrap().clone());
    ids
}

#[test]
fn success_bodies_must_identify_who_and_what_was_authenticated() {
    // The body from the issue: only a request id and a status code.
    let err =
        parse::<AuthenticateRequest>(200, r#"{"request_id":"r","status_code":200}"#).unwrap_err();
    assert!(
        matches!(&err, Error::Decode(e) if e.path == "member_id"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "could not decode the passwords.authenticate response at `member_id`: \
         required in a success body, but missing, null or empty"
    );

    let ids = || json!({"request_id": "r", "member_id": "m", "organization_id": "o"});
    let org_ids =
        || json!({"request_id": "r", "member_id": "m", "organization": {"organization_id": "o"}});
    let session = [
        "session_token",
        "session_jwt",
        "member_session",
        "member_session.member_session_id",
    ];
    let with = |base: &[&'static str], more: &[&'static str]| [base, more].concat();
    let top = ["request_id", "member_id", "organization_id"];
    let nested = ["request_id", "member_id", "organization.organization_id"];

    check_required::<StrengthCheckRequest>(json!({"request_id": "r"}), &["request_id"]);
    check_required::<MigrateRequest>(org_ids(), &nested);
    check_required::<AuthenticateRequest>(logged_in(ids()), &with(&top, &session));
    check_required::<EmailResetStartRequest>(
        json!({"request_id": "r", "member_id": "m"}),
        &["request_id", "member_id"],
    );
    check_required::<EmailResetRequest>(logged_in(ids()), &with(&top, &session));
    check_required::<EmailRequireResetRequest>(json!({"request_id": "r"}), &["request_id"]);
    check_required::<SessionsResetRequest>(logged_in(org_ids()), &with(&nested, &session));
    check_required::<ExistingPasswordResetRequest>(logged_in(org_ids()), &with(&nested, &session));
    let discovered =
        json!({"request_id": "r", "email_address": "a@b.c", "intermediate_session_token": "ist"});
    let discovery = ["request_id", "email_address", "intermediate_session_token"];
    check_required::<DiscoveryAuthenticateRequest>(discovered.clone(), &discovery);
    check_required::<DiscoveryEmailResetStartRequest>(json!({"request_id": "r"}), &["request_id"]);
    check_required::<DiscoveryEmailResetRequest>(discovered, &discovery);

    // Not logged in yet (MFA or another primary factor is required): no session, but the
    // intermediate session token to finish with.
    let mut mfa = ids();
    mfa["intermediate_session_token"] = json!("ist");
    check_required::<AuthenticateRequest>(
        mfa.clone(),
        &with(&top, &["intermediate_session_token"]),
    );
    check_required::<EmailResetRequest>(mfa, &with(&top, &["intermediate_session_token"]));
    let mut mfa = org_ids();
    mfa["intermediate_session_token"] = json!("ist");
    mfa["member_authenticated"] = json!(false);
    check_required::<SessionsResetRequest>(mfa.clone(), &["intermediate_session_token"]);
    check_required::<ExistingPasswordResetRequest>(mfa, &["intermediate_session_token"]);
}

#[test]
fn descriptive_fields_stay_lenient() {
    // Everything but the identifying fields may be missing, null or of a new kind.
    let body = json!({
        "request_id": "r",
        "member_id": "m",
        "organization_id": "o",
        "member_authenticated": true,
        "session_token": "st",
        "session_jwt": "sj",
        "member_session": {
            "member_session_id": "s",
            "authentication_factors": [{"type": "brand_new_factor", "delivery_method": null}]
        },
        "member": null,
        "organization": {"organization_name": null},
        "status_code": null,
        "field_added_later": {"x": 1}
    });
    let r = parse::<AuthenticateRequest>(200, body.to_string()).unwrap();
    assert_eq!(r.member, Member::default());
    assert_eq!(r.status_code, 0);
    let factor = &r.member_session.unwrap().authentication_factors[0];
    assert_eq!(
        factor.r#type,
        AuthenticationFactorType::Other("brand_new_factor".into())
    );
}

#[test]
fn unknown_fields_are_ignored_at_the_top() {
    let r = parse::<DiscoveryEmailResetStartRequest>(
        200,
        r#"{"request_id":"r","status_code":200,"new_field":{"deep":[1,2,3]},"another":null}"#,
    )
    .unwrap();
    assert_eq!(r.request_id, "r");
}

#[test]
fn no_input_panics() {
    // A small corpus of hostile bodies, each under every status class.
    let bodies: Vec<Vec<u8>> = vec![
        vec![],
        b"{".to_vec(),
        b"\xff\xfe\x00garbage".to_vec(),
        b"{\"request_id\":".to_vec(),
        "[".repeat(10_000).into_bytes(),
        b"{\"error_type\":{\"nested\":true}}".to_vec(),
        b"{\"member\":{\"roles\":[{\"role_id\":1}]}}".to_vec(),
        "\u{1F600}".repeat(1000).into_bytes(),
    ];
    for status in [200u16, 201, 204, 400, 401, 429, 500, 502] {
        for body in &bodies {
            let _ = parse::<AuthenticateRequest>(status, body.clone());
            let _ = parse::<DiscoveryEmailResetRequest>(status, body.clone());
        }
    }
}
