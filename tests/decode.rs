//! Decoding of every response body: the full-field fixtures in `tests/fixtures/`, bodies the
//! schemas allow but a strict decoder would reject (missing, null, unknown fields and values),
//! and a check, driven by the schema files, that the model types carry every schema field.

use std::fmt::Debug;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use stytch_b2b_passwords::*;

fn manifest_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn schema(name: &str) -> Value {
    read_json(manifest_path(&format!(
        "tests/reference/schemas/{name}.json"
    )))
}

fn fixture(name: &str) -> Value {
    read_json(manifest_path(&format!("tests/fixtures/{name}")))
}

/// Decodes `value` as `T`, re-encodes it and checks nothing was lost or added.
fn round_trip<T: Serialize + DeserializeOwned>(value: &Value, what: &str) -> T {
    let decoded: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{what} does not decode: {e}"));
    let again = serde_json::to_value(&decoded).unwrap();
    if &again != value {
        panic!(
            "{what} does not survive a round trip:\n{}",
            json_diff(value, &again, "$")
        );
    }
    decoded
}

/// Decodes `value` as `T` and checks that no field of it went unread, at any depth: every field
/// the body carries is modelled. (Responses hold secrets and are not serializable, so a round
/// trip cannot show this for them.)
fn decode_all<T: DeserializeOwned>(value: &Value, what: &str) -> T {
    let mut ignored = Vec::new();
    let decoded = serde_ignored::deserialize(value.clone(), |path| ignored.push(path.to_string()))
        .unwrap_or_else(|e| panic!("{what} does not decode: {e}"));
    assert!(ignored.is_empty(), "{what} ignores {ignored:?}");
    decoded
}

#[test]
#[should_panic(expected = "ignores [\"member.?.field_not_in_the_model\"]")]
fn decode_all_notices_a_field_that_is_not_modelled() {
    decode_all::<MigrateResponse>(
        &json!({"member": {"member_id": "m", "field_not_in_the_model": 1}}),
        "a body with an unknown field",
    );
}

/// The paths where two JSON values differ, for readable failures.
fn json_diff(expected: &Value, got: &Value, at: &str) -> String {
    match (expected, got) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = String::new();
            for (k, va) in a {
                match b.get(k) {
                    Some(vb) => out += &json_diff(va, vb, &format!("{at}.{k}")),
                    None => out += &format!("{at}.{k}: lost\n"),
                }
            }
            for k in b.keys().filter(|k| !a.contains_key(*k)) {
                out += &format!("{at}.{k}: added {}\n", b[k]);
            }
            out
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .map(|(i, (x, y))| json_diff(x, y, &format!("{at}[{i}]")))
            .collect(),
        _ if expected == got => String::new(),
        _ => format!("{at}: expected {expected}, got {got}\n"),
    }
}

// ---------------------------------------------------------------------------------------------
// Open enums against the schemas' `enum` arrays.
// ---------------------------------------------------------------------------------------------

fn schema_enum(name: &str) -> Vec<String> {
    schema(name)["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{name} has no enum array"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

macro_rules! check_open_enum {
    ($ty:ident, $schema:literal) => {{
        let wire = schema_enum($schema);
        let known: Vec<String> = $ty::KNOWN.iter().map(|v| v.as_str().to_owned()).collect();
        assert_eq!(
            known,
            wire,
            "{} must list the schema's values in order",
            stringify!($ty)
        );
        for (value, spelling) in $ty::KNOWN.iter().zip(&wire) {
            assert!(
                !matches!(value, $ty::Other(_)),
                "{spelling} decoded as Other"
            );
            let encoded = serde_json::to_value(value).unwrap();
            assert_eq!(encoded, Value::String(spelling.clone()));
            let decoded: $ty = serde_json::from_value(encoded).unwrap();
            assert_eq!(&decoded, value);
            assert_eq!(value.to_string(), *spelling);
            assert_eq!(spelling.parse::<$ty>().unwrap(), *value);
        }
        let unknown: $ty = serde_json::from_str("\"not_a_known_value\"").unwrap();
        assert_eq!(unknown, $ty::Other("not_a_known_value".to_owned()));
        assert_eq!(
            serde_json::to_string(&unknown).unwrap(),
            "\"not_a_known_value\""
        );
    }};
}

#[test]
fn authentication_factor_type_matches_schema() {
    check_open_enum!(
        AuthenticationFactorType,
        "api_session_v1_AuthenticationFactorType"
    );
}

#[test]
fn authentication_factor_delivery_method_matches_schema() {
    check_open_enum!(
        AuthenticationFactorDeliveryMethod,
        "api_session_v1_AuthenticationFactorDeliveryMethod"
    );
}

#[test]
fn hash_type_matches_schema() {
    check_open_enum!(HashType, "api_b2b_password_v1_MigrateRequestHashType");
}

#[test]
fn locale_matches_every_locale_schema() {
    check_open_enum!(Locale, "api_b2b_password_v1_AuthenticateRequestLocale");
    check_open_enum!(Locale, "api_b2b_password_v1_ResetRequestLocale");
    check_open_enum!(Locale, "api_b2b_password_v1_ResetStartRequestLocale");
}

// ---------------------------------------------------------------------------------------------
// Fixtures: every field filled; each decodes, keeps every field, and holds the exact values.
// ---------------------------------------------------------------------------------------------

const ORG_ID: &str = "organization-test-07971b06-ac8b-4cdb-9c15-63b17e653931";
const MEMBER_ID: &str = "member-test-32fc5024-9c09-4da3-bd2e-c9ce4da9375f";
const REQUEST_ID: &str = "request-id-test-b05c992f-ebdc-489d-a754-c7e70ba13141";
const EMAIL: &str = "ada.lovelace@acme.example";
const SESSION_TOKEN: &str = "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q";
const IST: &str = "SeiGwdj5lKkrEVgcEY3QNJXt6srxS3IK2Nwkar6mXD4=";

fn decode_fixture<T: DeserializeOwned>(name: &str) -> T {
    decode_all(&fixture(name), name)
}

/// Deep checks on the Member every fixture carries.
fn check_member(m: &Member) {
    assert_eq!(m.member_id, MEMBER_ID);
    assert_eq!(m.organization_id, ORG_ID);
    assert_eq!(m.email_address, EMAIL);
    assert_eq!(m.status, "active");
    assert!(m.is_admin && m.mfa_enrolled && !m.is_locked && !m.is_breakglass);
    assert_eq!(m.default_mfa_method, "sms_otp");
    assert_eq!(m.roles.len(), 2);
    assert_eq!(m.roles[1].role_id, "engineer");
    assert_eq!(m.roles[1].sources[0].r#type, "email_assignment");
    assert_eq!(
        m.roles[1].sources[0].details.as_ref().unwrap()["email_domain"],
        "acme.example"
    );
    assert_eq!(m.roles[1].sources[1].r#type, "sso_connection");
    assert_eq!(
        m.sso_registrations[0].sso_attributes.as_ref().unwrap()["groups"],
        json!(["engineering"])
    );
    assert_eq!(m.oauth_registrations[0].provider_type, "Google");
    assert_eq!(m.oauth_registrations[0].locale.as_deref(), Some("en"));
    assert_eq!(
        m.retired_email_addresses[0].email_address,
        "ada@oldmail.example"
    );
    assert_eq!(m.trusted_metadata.as_ref().unwrap()["seat"], 42);
    assert_eq!(m.lock_expires_at.as_deref(), Some("2025-01-10T09:00:00Z"));
    let scim = m.scim_registration.as_ref().unwrap();
    assert_eq!(scim.external_id.as_deref(), Some("00u1abcd2EFGH3ijk4l5"));
    let attrs = scim.scim_attributes.as_ref().unwrap();
    assert!(attrs.active);
    assert_eq!(attrs.groups[0].display, "Engineering");
    assert_eq!(attrs.addresses[0].postal_code, "SW1Y 4JH");
    assert_eq!(attrs.addresses[0].r#type, "work");
    assert!(!attrs.ims[0].primary);
    assert_eq!(attrs.name.as_ref().unwrap().middle_name, "Ada");
    let manager = attrs
        .enterprise_extension
        .as_ref()
        .unwrap()
        .manager
        .as_ref()
        .unwrap();
    assert_eq!(manager.display_name, "Charles Babbage");
    assert!(manager
        .r#ref
        .ends_with("/Users/26118915-6090-4610-87e4-49d8ca9f808d"));
}

/// Deep checks on the Organization every fixture carries.
fn check_organization(o: &Organization) {
    assert_eq!(o.organization_id, ORG_ID);
    assert_eq!(o.organization_slug, "acme-corp");
    assert_eq!(o.mfa_policy, "REQUIRED_FOR_ALL");
    assert_eq!(o.allowed_mfa_methods, ["sms_otp", "totp"]);
    assert_eq!(o.sso_active_connections[0].identity_provider, "okta");
    assert_eq!(
        o.rbac_email_implicit_role_assignments[0].role_id,
        "engineer"
    );
    assert_eq!(o.custom_roles[0].permissions[0].actions, ["read", "write"]);
    assert!(o.allowed_first_party_connected_apps.is_empty());
    let scim = o.scim_active_connection.as_ref().unwrap();
    assert_eq!(scim.bearer_token_last_four, "9f3a");
    assert_eq!(
        scim.bearer_token_expires_at.as_deref(),
        Some("2026-01-01T00:00:00Z")
    );
    assert_eq!(
        o.allowed_oauth_tenants.as_ref().unwrap()["github"],
        json!(["acme-corp"])
    );
}

/// Deep checks on the session, MFA and device parts of the session-issuing responses.
fn check_session_parts(
    session: Option<&MemberSession>,
    mfa: Option<&MfaRequired>,
    device: Option<&DeviceInfo>,
) {
    let s = session.expect("member_session");
    assert_eq!(s.expires_at, "2025-01-17T10:30:45Z");
    assert_eq!(s.roles, ["stytch_member", "engineer"]);
    assert_eq!(s.custom_claims.as_ref().unwrap()["clearance"], 2);
    let factors = &s.authentication_factors;
    assert_eq!(factors.len(), 3);
    assert_eq!(factors[0].r#type, AuthenticationFactorType::Password);
    assert_eq!(
        factors[0].delivery_method,
        AuthenticationFactorDeliveryMethod::Knowledge
    );
    assert_eq!(factors[0], {
        let mut f = AuthenticationFactor::default();
        f.r#type = AuthenticationFactorType::Password;
        f.delivery_method = AuthenticationFactorDeliveryMethod::Knowledge;
        f.last_authenticated_at = Some("2025-01-17T09:30:45Z".into());
        f.created_at = Some("2025-01-17T09:30:45Z".into());
        f.updated_at = Some("2025-01-17T09:30:45Z".into());
        f
    });
    assert_eq!(factors[1].r#type, AuthenticationFactorType::OAuth);
    assert_eq!(
        factors[1].delivery_method,
        AuthenticationFactorDeliveryMethod::OAuthGoogle
    );
    let google = factors[1].google_oauth_factor.as_ref().unwrap();
    assert_eq!(google.provider_subject, "104729345281023756431");
    assert_eq!(
        google.email_id.as_deref(),
        Some("member-email-test-9f2b1e4c-5a3d-4b7e-8c21-0d6f3a9e7b12")
    );
    assert_eq!(
        factors[2]
            .phone_number_factor
            .as_ref()
            .unwrap()
            .phone_number,
        "+12025550162"
    );

    let mfa = mfa.expect("mfa_required");
    assert_eq!(mfa.secondary_auth_initiated.as_deref(), Some("sms_otp"));
    assert_eq!(
        mfa.member_options.as_ref().unwrap().totp_registration_id,
        "member-totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c"
    );

    let d = device.expect("member_device");
    assert_eq!(d.visitor_id, "HgKVN3xNA3Rh4nDkGYpr");
    assert_eq!(d.ip_geo_country.as_deref(), Some("GB"));
    assert!(d.ip_address_details.as_ref().unwrap().is_new);
    assert!(!d.visitor_id_details.as_ref().unwrap().is_new);
    assert_eq!(
        d.ip_geo_country_details
            .as_ref()
            .unwrap()
            .first_seen_at
            .as_deref(),
        Some("2024-03-02T14:05:11Z")
    );
}

fn check_discovered(orgs: &[DiscoveredOrganization]) {
    assert_eq!(orgs.len(), 2);
    assert!(orgs[0].member_authenticated);
    check_organization(orgs[0].organization.as_ref().unwrap());
    let membership = orgs[0].membership.as_ref().unwrap();
    assert_eq!(membership.r#type, "active_member");
    check_member(membership.member.as_ref().unwrap());
    assert!(!orgs[1].member_authenticated);
    assert_eq!(
        orgs[1].organization.as_ref().unwrap().organization_slug,
        "globex"
    );
    let joinable = orgs[1].membership.as_ref().unwrap();
    assert_eq!(joinable.r#type, "eligible_to_join_by_email_domain");
    assert_eq!(joinable.details.as_ref().unwrap()["domain"], "acme.example");
    assert_eq!(
        orgs[1]
            .primary_required
            .as_ref()
            .unwrap()
            .allowed_auth_methods,
        ["sso"]
    );
}

#[test]
fn strength_check_fixture() {
    let r: StrengthCheckResponse = decode_fixture("strength_check.json");
    assert_eq!(r.request_id, REQUEST_ID);
    assert!(!r.valid_password && r.breached_password && r.breach_detection_on_create);
    assert_eq!((r.score, r.status_code), (2, 200));
    assert_eq!(r.strength_policy, "zxcvbn");
    let luds = r.luds_feedback.unwrap();
    assert!(luds.has_lower_case && !luds.has_upper_case && luds.has_digit && !luds.has_symbol);
    assert_eq!((luds.missing_complexity, luds.missing_characters), (1, 4));
    let zxcvbn = r.zxcvbn_feedback.unwrap();
    assert_eq!(
        zxcvbn.warning,
        "This is similar to a commonly used password."
    );
    assert_eq!(zxcvbn.suggestions.len(), 2);
}

#[test]
fn migrate_fixture() {
    let r: MigrateResponse = decode_fixture("migrate.json");
    assert_eq!(r.request_id, REQUEST_ID);
    assert_eq!(r.member_id, MEMBER_ID);
    assert!(r.member_created);
    check_member(&r.member);
    check_organization(&r.organization);
}

#[test]
fn authenticate_fixture() {
    let r: AuthenticateResponse = decode_fixture("authenticate.json");
    assert_eq!(r.request_id, REQUEST_ID);
    assert_eq!(r.organization_id, ORG_ID);
    assert_eq!(r.session_token.expose(), SESSION_TOKEN);
    assert!(r.session_jwt.expose().starts_with("eyJhbGciOiJSUzI1NiIs"));
    assert_eq!(r.intermediate_session_token.expose(), IST);
    assert!(r.member_authenticated);
    check_member(&r.member);
    check_organization(&r.organization);
    check_session_parts(
        r.member_session.as_ref(),
        r.mfa_required.as_ref(),
        r.member_device.as_deref(),
    );
    assert_eq!(
        r.primary_required.unwrap().allowed_auth_methods,
        ["sso", "magic_link"]
    );
}

#[test]
fn email_reset_start_fixture() {
    let r: EmailResetStartResponse = decode_fixture("email_reset_start.json");
    assert_eq!(r.request_id, REQUEST_ID);
    assert_eq!(r.member_id, MEMBER_ID);
    assert_eq!(
        r.member_email_id,
        "member-email-test-9f2b1e4c-5a3d-4b7e-8c21-0d6f3a9e7b12"
    );
    assert_eq!(r.status_code, 200);
    check_member(&r.member);
}

#[test]
fn email_reset_fixture() {
    let r: EmailResetResponse = decode_fixture("email_reset.json");
    assert_eq!(r.organization_id, ORG_ID);
    assert_eq!(r.session_token.expose(), SESSION_TOKEN);
    check_member(&r.member);
    check_organization(&r.organization);
    check_session_parts(
        r.member_session.as_ref(),
        r.mfa_required.as_ref(),
        r.member_device.as_deref(),
    );
    assert_eq!(
        r.primary_required.unwrap().allowed_auth_methods,
        ["sso", "magic_link"]
    );
}

#[test]
fn email_require_reset_fixture() {
    let r: EmailRequireResetResponse = decode_fixture("email_require_reset.json");
    assert_eq!(r.request_id, REQUEST_ID);
    assert_eq!(r.status_code, 200);
    assert_eq!(r.member_id.as_deref(), Some(MEMBER_ID));
    check_member(r.member.as_ref().unwrap());
    check_organization(r.organization.as_ref().unwrap());
}

#[test]
fn sessions_reset_fixture() {
    let r: SessionsResetResponse = decode_fixture("sessions_reset.json");
    assert_eq!(r.member_id, MEMBER_ID);
    assert_eq!(r.intermediate_session_token.expose(), IST);
    check_member(&r.member);
    check_organization(&r.organization);
    check_session_parts(
        r.member_session.as_ref(),
        r.mfa_required.as_ref(),
        r.member_device.as_deref(),
    );
}

#[test]
fn existing_password_reset_fixture() {
    let r: ExistingPasswordResetResponse = decode_fixture("existing_password_reset.json");
    assert_eq!(r.member_id, MEMBER_ID);
    assert_eq!(r.session_token.expose(), SESSION_TOKEN);
    check_member(&r.member);
    check_organization(&r.organization);
    check_session_parts(
        r.member_session.as_ref(),
        r.mfa_required.as_ref(),
        r.member_device.as_deref(),
    );
    assert!(r.primary_required.is_some());
}

#[test]
fn discovery_authenticate_fixture() {
    let r: DiscoveryAuthenticateResponse = decode_fixture("discovery_authenticate.json");
    assert_eq!(r.email_address, EMAIL);
    assert_eq!(r.intermediate_session_token.expose(), IST);
    check_discovered(&r.discovered_organizations);
}

#[test]
fn discovery_email_reset_start_fixture() {
    let r: DiscoveryEmailResetStartResponse = decode_fixture("discovery_email_reset_start.json");
    assert_eq!(r.request_id, REQUEST_ID);
    assert_eq!(r.status_code, 200);
}

#[test]
fn discovery_email_reset_fixture() {
    let r: DiscoveryEmailResetResponse = decode_fixture("discovery_email_reset.json");
    assert_eq!(r.email_address, EMAIL);
    assert_eq!(r.intermediate_session_token.expose(), IST);
    check_discovered(&r.discovered_organizations);
}

#[test]
fn secrets_in_fixtures_stay_out_of_debug() {
    let r: AuthenticateResponse = serde_json::from_value(fixture("authenticate.json")).unwrap();
    let debug = format!("{r:?}");
    assert!(!debug.contains(SESSION_TOKEN));
    assert!(!debug.contains(IST));
    assert!(!debug.contains("eyJhbGciOiJSUzI1NiIs"));
    assert!(debug.contains(MEMBER_ID));
}

// ---------------------------------------------------------------------------------------------
// Lenient decoding.
// ---------------------------------------------------------------------------------------------

/// Adds an unknown field to the object at each JSON pointer.
fn add_unknown_fields(mut body: Value, pointers: &[&str]) -> Value {
    for (i, pointer) in pointers.iter().enumerate() {
        let target = body
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("no object at {pointer}"))
            .as_object_mut()
            .unwrap();
        target.insert(
            format!("field_added_later_{i}"),
            json!({"nested": [1, "two", null], "flag": true}),
        );
    }
    body
}

#[test]
fn unknown_fields_at_every_depth_are_ignored() {
    let original = fixture("authenticate.json");
    let expected: AuthenticateResponse = serde_json::from_value(original.clone()).unwrap();
    let body = add_unknown_fields(
        original,
        &[
            "",
            "/member",
            "/member/roles/1/sources/0",
            "/member/sso_registrations/0",
            "/member/oauth_registrations/0",
            "/member/retired_email_addresses/0",
            "/member/scim_registration",
            "/member/scim_registration/scim_attributes",
            "/member/scim_registration/scim_attributes/name",
            "/member/scim_registration/scim_attributes/emails/0",
            "/member/scim_registration/scim_attributes/enterprise_extension/manager",
            "/organization",
            "/organization/custom_roles/0/permissions/0",
            "/organization/scim_active_connection",
            "/organization/sso_active_connections/0",
            "/member_session",
            "/member_session/authentication_factors/1",
            "/member_session/authentication_factors/1/google_oauth_factor",
            "/mfa_required/member_options",
            "/primary_required",
            "/member_device/ip_address_details",
        ],
    );
    let decoded: AuthenticateResponse = serde_json::from_value(body).unwrap();
    assert_eq!(decoded, expected);

    let original = fixture("discovery_authenticate.json");
    let expected: DiscoveryAuthenticateResponse = serde_json::from_value(original.clone()).unwrap();
    let body = add_unknown_fields(
        original,
        &[
            "/discovered_organizations/0",
            "/discovered_organizations/0/membership",
            "/discovered_organizations/0/membership/member",
            "/discovered_organizations/1/organization",
        ],
    );
    let decoded: DiscoveryAuthenticateResponse = serde_json::from_value(body).unwrap();
    assert_eq!(decoded, expected);

    let original = fixture("strength_check.json");
    let expected: StrengthCheckResponse = serde_json::from_value(original.clone()).unwrap();
    let body = add_unknown_fields(original, &["", "/luds_feedback", "/zxcvbn_feedback"]);
    let decoded: StrengthCheckResponse = serde_json::from_value(body).unwrap();
    assert_eq!(decoded, expected);
}

#[test]
fn sparse_body_decodes_with_defaults() {
    let r: AuthenticateResponse = serde_json::from_str(
        r#"{"request_id":"r","member":{"member_id":"m","roles":null},"member_session":null}"#,
    )
    .unwrap();
    assert_eq!(r.request_id, "r");
    assert_eq!(r.member.member_id, "m");
    assert!(r.member.roles.is_empty());
    assert_eq!(r.member.email_address, "");
    assert!(r.member.scim_registration.is_none());
    assert!(r.member_session.is_none());
    assert_eq!(r.organization, Organization::default());
    assert!(r.session_token.is_empty());
    assert!(!r.member_authenticated);
    assert_eq!(r.status_code, 0);
}

#[test]
fn empty_objects_decode_to_defaults() {
    fn check<T: DeserializeOwned + Default + PartialEq + Debug>() {
        assert_eq!(serde_json::from_str::<T>("{}").unwrap(), T::default());
    }
    check::<StrengthCheckResponse>();
    check::<MigrateResponse>();
    check::<AuthenticateResponse>();
    check::<EmailResetStartResponse>();
    check::<EmailResetResponse>();
    check::<EmailRequireResetResponse>();
    check::<SessionsResetResponse>();
    check::<ExistingPasswordResetResponse>();
    check::<DiscoveryAuthenticateResponse>();
    check::<DiscoveryEmailResetStartResponse>();
    check::<DiscoveryEmailResetResponse>();
    check::<Member>();
    check::<Organization>();
    check::<MemberSession>();
    check::<AuthenticationFactor>();
    check::<ScimAttributes>();
    check::<DiscoveredOrganization>();
}

/// Sets every scalar object member in `value`, at any depth, to `null` (array elements that
/// are scalars are left alone: the API never sends `[null]`).
fn null_leaves(value: &mut Value) {
    match value {
        Value::Object(map) => map.values_mut().for_each(|v| {
            if v.is_object() || v.is_array() {
                null_leaves(v);
            } else {
                *v = Value::Null;
            }
        }),
        Value::Array(items) => items.iter_mut().for_each(null_leaves),
        _ => {}
    }
}

/// Replaces every object member's value with `null`, one level down only.
fn null_members(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.keys().map(|k| (k.clone(), Value::Null)).collect()),
        other => other.clone(),
    }
}

fn nulled(name: &str) -> Value {
    let mut body = fixture(name);
    null_leaves(&mut body);
    body
}

fn check_nulled_member(m: &Member) {
    assert_eq!(m.member_id, "");
    assert!(!m.is_admin);
    assert_eq!(m.roles[1].sources[0].r#type, "");
    assert!(m.roles[1].sources[0].details.as_ref().unwrap()["email_domain"].is_null());
    let attrs = m
        .scim_registration
        .as_ref()
        .unwrap()
        .scim_attributes
        .as_ref()
        .unwrap();
    assert!(!attrs.emails[0].primary);
    assert!(attrs.external_id.is_empty());
    assert!(m.created_at.is_none());
}

fn check_nulled_session(s: Option<&MemberSession>) {
    let f = &s.unwrap().authentication_factors[1];
    assert_eq!(f.r#type, AuthenticationFactorType::default());
    assert_eq!(
        f.delivery_method,
        AuthenticationFactorDeliveryMethod::default()
    );
    let google = f.google_oauth_factor.as_ref().unwrap();
    assert_eq!(google.id, "");
    assert!(google.email_id.is_none());
}

#[test]
fn null_scalars_everywhere_decode_with_defaults() {
    let r: AuthenticateResponse = serde_json::from_value(nulled("authenticate.json")).unwrap();
    check_nulled_member(&r.member);
    check_nulled_session(r.member_session.as_ref());
    assert!(r.session_token.is_empty());
    assert_eq!(r.status_code, 0);
    let r: EmailResetResponse = serde_json::from_value(nulled("email_reset.json")).unwrap();
    check_nulled_member(&r.member);
    check_nulled_session(r.member_session.as_ref());
    let r: ExistingPasswordResetResponse =
        serde_json::from_value(nulled("existing_password_reset.json")).unwrap();
    check_nulled_member(&r.member);
    let r: SessionsResetResponse = serde_json::from_value(nulled("sessions_reset.json")).unwrap();
    check_nulled_session(r.member_session.as_ref());
    let r: MigrateResponse = serde_json::from_value(nulled("migrate.json")).unwrap();
    assert!(!r.member_created);
    assert_eq!(r.organization.organization_slug, "");
    let r: StrengthCheckResponse = serde_json::from_value(nulled("strength_check.json")).unwrap();
    assert_eq!(r.luds_feedback.unwrap().missing_characters, 0);
    let r: DiscoveryAuthenticateResponse =
        serde_json::from_value(nulled("discovery_authenticate.json")).unwrap();
    let found = &r.discovered_organizations[0];
    assert!(!found.member_authenticated);
    assert!(found.organization.as_ref().unwrap().created_at.is_none());
    check_nulled_member(found.membership.as_ref().unwrap().member.as_ref().unwrap());
}

#[test]
fn null_objects_decode_with_defaults() {
    let r: AuthenticateResponse =
        serde_json::from_value(null_members(&fixture("authenticate.json"))).unwrap();
    assert_eq!(r, AuthenticateResponse::default());
    let migrate = fixture("migrate.json");
    let m: Member = serde_json::from_value(null_members(&migrate["member"])).unwrap();
    assert_eq!(m, Member::default());
    let o: Organization = serde_json::from_value(null_members(&migrate["organization"])).unwrap();
    assert_eq!(o, Organization::default());
    let attrs = &migrate["member"]["scim_registration"]["scim_attributes"];
    let a: ScimAttributes = serde_json::from_value(null_members(attrs)).unwrap();
    assert_eq!(a, ScimAttributes::default());
}

#[test]
fn unknown_enum_values_decode_into_other() {
    let r: AuthenticateResponse = serde_json::from_value(json!({
        "request_id": "r",
        "member_session": {
            "member_session_id": "s",
            "authentication_factors": [
                {
                    "type": "quantum_entanglement",
                    "delivery_method": "oauth_myspace",
                    "myspace_oauth_factor": {"id": "x", "provider_subject": "y"}
                },
                {"type": "password", "delivery_method": "knowledge"}
            ]
        }
    }))
    .unwrap();
    let factors = &r.member_session.unwrap().authentication_factors;
    assert_eq!(
        factors[0].r#type,
        AuthenticationFactorType::Other("quantum_entanglement".into())
    );
    assert_eq!(
        factors[0].delivery_method,
        AuthenticationFactorDeliveryMethod::Other("oauth_myspace".into())
    );
    assert_eq!(factors[1].r#type, AuthenticationFactorType::Password);
    // An unknown value is sent back as received.
    let again = serde_json::to_value(&factors[0]).unwrap();
    assert_eq!(
        again,
        json!({"type": "quantum_entanglement", "delivery_method": "oauth_myspace"})
    );
}

// ---------------------------------------------------------------------------------------------
// Field-completeness against the schemas: a body with every schema property set survives a
// round trip through the Rust types, so no schema field is missing from them.
// ---------------------------------------------------------------------------------------------

/// A value for every property of the schema `name`, recursively.
fn synthesize(name: &str) -> Value {
    let s = schema(name);
    synthesize_node(&s, name)
}

fn synthesize_node(node: &Value, path: &str) -> Value {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        return synthesize(reference.rsplit('/').next().unwrap());
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        return values[values.len() / 2].clone();
    }
    match node.get("type").and_then(Value::as_str) {
        Some("string") => Value::String(format!("{path}-value")),
        Some("boolean") => Value::Bool(true),
        Some("integer") => json!(7),
        Some("array") => Value::Array(vec![synthesize_node(&node["items"], path)]),
        Some("object") => match node.get("properties").and_then(Value::as_object) {
            Some(props) => Value::Object(
                props
                    .iter()
                    .map(|(k, v)| (k.clone(), synthesize_node(v, &format!("{path}.{k}"))))
                    .collect::<Map<_, _>>(),
            ),
            // A free-form object.
            None => json!({"free_form_key": [path, 1, false]}),
        },
        other => panic!("{path}: unexpected schema type {other:?}"),
    }
}

#[test]
fn every_schema_field_is_modelled() {
    let p = "api_b2b_password_v1_";
    decode_all::<StrengthCheckResponse>(
        &synthesize(&format!("{p}StrengthCheckResponse")),
        "StrengthCheckResponse",
    );
    decode_all::<MigrateResponse>(
        &synthesize(&format!("{p}MigrateResponse")),
        "MigrateResponse",
    );
    decode_all::<AuthenticateResponse>(
        &synthesize(&format!("{p}AuthenticateResponse")),
        "AuthenticateResponse",
    );
    decode_all::<EmailResetStartResponse>(
        &synthesize(&format!("{p}b2b_passwords_email_ResetStartResponse")),
        "EmailResetStartResponse",
    );
    decode_all::<EmailResetResponse>(
        &synthesize(&format!("{p}b2b_passwords_email_ResetResponse")),
        "EmailResetResponse",
    );
    decode_all::<EmailRequireResetResponse>(
        &synthesize(&format!("{p}b2b_passwords_email_RequireResetResponse")),
        "EmailRequireResetResponse",
    );
    decode_all::<SessionsResetResponse>(
        &synthesize(&format!("{p}b2b_passwords_session_ResetResponse")),
        "SessionsResetResponse",
    );
    decode_all::<ExistingPasswordResetResponse>(
        &synthesize(&format!("{p}b2b_passwords_existing_password_ResetResponse")),
        "ExistingPasswordResetResponse",
    );
    decode_all::<DiscoveryAuthenticateResponse>(
        &synthesize(&format!("{p}b2b_passwords_discovery_AuthenticateResponse")),
        "DiscoveryAuthenticateResponse",
    );
    decode_all::<DiscoveryEmailResetResponse>(
        &synthesize(&format!("{p}b2b_passwords_discovery_email_ResetResponse")),
        "DiscoveryEmailResetResponse",
    );
    // The objects the responses embed hold no secret, and survive a round trip: nothing lost,
    // nothing added.
    let authenticate = synthesize(&format!("{p}AuthenticateResponse"));
    round_trip::<Member>(&authenticate["member"], "Member");
    round_trip::<Organization>(&authenticate["organization"], "Organization");
    round_trip::<MemberSession>(&authenticate["member_session"], "MemberSession");
    round_trip::<MfaRequired>(&authenticate["mfa_required"], "MfaRequired");
    round_trip::<PrimaryRequired>(&authenticate["primary_required"], "PrimaryRequired");
    round_trip::<DeviceInfo>(&authenticate["member_device"], "DeviceInfo");
    let discovery = synthesize(&format!("{p}b2b_passwords_discovery_AuthenticateResponse"));
    round_trip::<DiscoveredOrganization>(
        &discovery["discovered_organizations"][0],
        "DiscoveredOrganization",
    );
    let strength = synthesize(&format!("{p}StrengthCheckResponse"));
    round_trip::<LudsFeedback>(&strength["luds_feedback"], "LudsFeedback");
    round_trip::<ZxcvbnFeedback>(&strength["zxcvbn_feedback"], "ZxcvbnFeedback");
}

#[test]
fn every_factor_kind_is_modelled() {
    // One factor carrying every `*_factor` object the schema defines.
    let factor = synthesize("api_session_v1_AuthenticationFactor");
    let detail_fields = factor
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.ends_with("_factor"))
        .count();
    assert_eq!(detail_fields, 41);
    let decoded: AuthenticationFactor = round_trip(&factor, "AuthenticationFactor");
    assert!(decoded.twitch_oauth_factor.is_some());
    assert!(decoded.oidc_sso_factor.is_some());
    assert!(decoded.trusted_auth_token_factor.is_some());
}

/// Walks a fixture alongside its schema and lists every schema property the fixture leaves
/// out or sets to null. Within a factor, only the detail object of its own kind is expected.
fn unfilled(value: &Value, node: &Value, path: &str, missing: &mut Vec<String>) {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap();
        return unfilled(value, &schema(name), path, missing);
    }
    match node.get("type").and_then(Value::as_str) {
        Some("array") => {
            for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                unfilled(item, &node["items"], &format!("{path}[{i}]"), missing);
            }
        }
        Some("object") => {
            let is_factor = node["title"] == "api_session_v1_AuthenticationFactor";
            for (key, child) in node["properties"].as_object().into_iter().flatten() {
                match value.get(key) {
                    Some(v) if !v.is_null() => {
                        unfilled(v, child, &format!("{path}.{key}"), missing)
                    }
                    _ if is_factor && key.ends_with("_factor") => {}
                    _ => missing.push(format!("{path}.{key}")),
                }
            }
        }
        _ => {}
    }
}

#[test]
fn fixtures_fill_every_schema_field() {
    let p = "api_b2b_password_v1_";
    let b = "api_b2b_password_v1_b2b_passwords_";
    for (file, response_schema) in [
        ("strength_check.json", format!("{p}StrengthCheckResponse")),
        ("migrate.json", format!("{p}MigrateResponse")),
        ("authenticate.json", format!("{p}AuthenticateResponse")),
        (
            "email_reset_start.json",
            format!("{b}email_ResetStartResponse"),
        ),
        ("email_reset.json", format!("{b}email_ResetResponse")),
        (
            "email_require_reset.json",
            format!("{b}email_RequireResetResponse"),
        ),
        ("sessions_reset.json", format!("{b}session_ResetResponse")),
        (
            "existing_password_reset.json",
            format!("{b}existing_password_ResetResponse"),
        ),
        (
            "discovery_authenticate.json",
            format!("{b}discovery_AuthenticateResponse"),
        ),
        (
            "discovery_email_reset.json",
            format!("{b}discovery_email_ResetResponse"),
        ),
    ] {
        let mut missing = Vec::new();
        unfilled(&fixture(file), &schema(&response_schema), "$", &mut missing);
        assert!(missing.is_empty(), "{file} leaves out {missing:?}");
    }
    // No schema file: the API documents only these two fields.
    let start = fixture("discovery_email_reset_start.json");
    assert_eq!(start, json!({"request_id": REQUEST_ID, "status_code": 200}));
}

// ---------------------------------------------------------------------------------------------
// Hash configurations (request side): `new` fills exactly the schema's properties, all required.
// ---------------------------------------------------------------------------------------------

fn check_config<T: Serialize + DeserializeOwned + PartialEq + Debug>(config: T, name: &str) {
    let s = schema(name);
    let encoded = serde_json::to_value(&config).unwrap();
    let keys: Vec<&String> = encoded.as_object().unwrap().keys().collect();
    let mut properties: Vec<&String> = s["properties"].as_object().unwrap().keys().collect();
    let mut required: Vec<&str> = s["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    properties.sort();
    required.sort();
    assert_eq!(keys, properties, "{name}: fields");
    assert_eq!(
        keys.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        required,
        "{name}: every field is required"
    );
    for (k, v) in encoded.as_object().unwrap() {
        let expected = s["properties"][k]["type"].as_str().unwrap();
        let got = match v {
            Value::String(_) => "string",
            Value::Number(_) => "integer",
            other => panic!("{name}.{k}: unexpected {other}"),
        };
        assert_eq!(got, expected, "{name}.{k}");
    }
    assert_eq!(serde_json::from_value::<T>(encoded).unwrap(), config);
}

#[test]
fn hash_configs_match_schemas() {
    check_config(Md5Config::new("pre", ""), "api_password_v1_MD5Config");
    check_config(Sha1Config::new("", "post"), "api_password_v1_SHA1Config");
    check_config(Sha512Config::new("a", "b"), "api_password_v1_SHA512Config");
    check_config(
        Argon2Config::new("c2FsdHNhbHQ", 3, 65536, 4, 32),
        "api_password_v1_Argon2Config",
    );
    check_config(
        ScryptConfig::new("c2FsdA==", 16384, 8, 1, 32),
        "api_password_v1_ScryptConfig",
    );
    check_config(
        Pbkdf2Config::new("c2FsdA==", 310_000, 32, "sha256"),
        "api_password_v1_PBKDF2Config",
    );
    let argon = Argon2Config::new("salt", 3, 65536, 4, 32);
    assert_eq!(
        serde_json::to_value(&argon).unwrap(),
        json!({"salt": "salt", "iteration_amount": 3, "memory": 65536, "threads": 4, "key_length": 32})
    );
}
