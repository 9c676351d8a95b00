//! The endpoints: routing, Basic auth, request bodies, and each operation's behaviour.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::{HeaderMap, Method};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

use crate::error::{ApiFailure, ApiResult};
use crate::hashing::{
    parse_migrated, Argon2Config, MigrateHash, Pbkdf2Config, SaltConfig, ScryptConfig,
};
use crate::jwt;
use crate::outbox::{EmailKind, OutboxEmail};
use crate::seed::JsonObject;
use crate::state::{
    to_system_time, Member, ResetScope, ResetToken, SessionOptions, State,
    SESSION_RESET_WINDOW_SECONDS,
};
use crate::util::{
    b64url, ct_eq, email_domain, email_key, looks_like_email, new_token, trim_trailing_slashes,
};

/// The operations the emulator serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    StrengthCheck,
    Migrate,
    Authenticate,
    EmailResetStart,
    EmailReset,
    EmailRequireReset,
    SessionsReset,
    ExistingPasswordReset,
    DiscoveryAuthenticate,
    DiscoveryEmailResetStart,
    DiscoveryEmailReset,
}

const ROUTES: &[(&str, Op)] = &[
    ("/v1/b2b/passwords/strength_check", Op::StrengthCheck),
    ("/v1/b2b/passwords/migrate", Op::Migrate),
    ("/v1/b2b/passwords/authenticate", Op::Authenticate),
    ("/v1/b2b/passwords/email/reset/start", Op::EmailResetStart),
    ("/v1/b2b/passwords/email/reset", Op::EmailReset),
    (
        "/v1/b2b/passwords/email/require_reset",
        Op::EmailRequireReset,
    ),
    ("/v1/b2b/passwords/session/reset", Op::SessionsReset),
    (
        "/v1/b2b/passwords/existing_password/reset",
        Op::ExistingPasswordReset,
    ),
    (
        "/v1/b2b/passwords/discovery/authenticate",
        Op::DiscoveryAuthenticate,
    ),
    (
        "/v1/b2b/passwords/discovery/email/reset/start",
        Op::DiscoveryEmailResetStart,
    ),
    (
        "/v1/b2b/passwords/discovery/email/reset",
        Op::DiscoveryEmailReset,
    ),
];

const JWKS_PREFIX: &str = "/v1/b2b/sessions/jwks/";

/// Headers naming the Member a call runs as.
const MEMBER_SESSION_HEADER: &str = "x-stytch-member-session";
const MEMBER_SESSION_JWT_HEADER: &str = "x-stytch-member-sessionjwt";

enum Route {
    Op(Op),
    Jwks(String),
}

fn route(method: &Method, path: &str) -> ApiResult<Route> {
    let path = trim_trailing_slashes(path);
    if let Some((_, op)) = ROUTES.iter().find(|(p, _)| *p == path) {
        if method == Method::POST {
            return Ok(Route::Op(*op));
        }
        return Err(ApiFailure::method_not_allowed(path, "POST", method));
    }
    if let Some(project) = path.strip_prefix(JWKS_PREFIX).filter(|p| !p.contains('/')) {
        if method == Method::GET {
            return Ok(Route::Jwks(project.to_owned()));
        }
        return Err(ApiFailure::method_not_allowed(path, "GET", method));
    }
    Err(ApiFailure::new(
        404,
        "not_found",
        format!(
            "No route for {method} {path}: the emulator serves the B2B Passwords endpoints and \
             GET {JWKS_PREFIX}{{project_id}} only."
        ),
    ))
}

pub(crate) fn check_basic_auth(state: &State, headers: &HeaderMap) -> ApiResult<()> {
    let fail = || {
        ApiFailure::new(
            401,
            "unauthorized_credentials",
            "Unauthorized credentials: the project id or secret in HTTP Basic auth is missing or wrong.",
        )
    };
    let value = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(fail)?;
    let (scheme, encoded) = value.trim().split_once(' ').ok_or_else(fail)?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(fail());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| fail())?;
    let decoded = String::from_utf8(decoded).map_err(|_| fail())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(fail)?;
    let id_ok = ct_eq(id.as_bytes(), state.project_id.as_bytes());
    let secret_ok = ct_eq(secret.as_bytes(), state.secret.expose().as_bytes());
    if id_ok && secret_ok {
        Ok(())
    } else {
        Err(fail())
    }
}

/// Handles one request against the state and returns the status and JSON body (with
/// `request_id` and `status_code`).
pub(crate) fn handle(
    state: &mut State,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
) -> (u16, Value) {
    state.calls += 1;
    let result = route(method, path).and_then(|r| {
        check_basic_auth(state, headers)?;
        match r {
            Route::Jwks(project) => jwks(state, &project),
            Route::Op(op) => dispatch(state, op, headers, body),
        }
    });
    match result {
        Ok(mut map) => {
            map.insert("request_id".to_owned(), json!(request_id));
            map.insert("status_code".to_owned(), json!(200));
            (200, Value::Object(map))
        }
        Err(e) => (e.status, e.body(request_id)),
    }
}

fn dispatch(
    state: &mut State,
    op: Op,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<Map<String, Value>> {
    match op {
        Op::StrengthCheck => strength_check(state, parse(body)?),
        Op::Migrate => migrate(state, parse(body)?),
        Op::Authenticate => authenticate(state, parse(body)?),
        Op::EmailResetStart => email_reset_start(state, parse(body)?),
        Op::EmailReset => email_reset(state, parse(body)?),
        Op::EmailRequireReset => email_require_reset(state, headers, parse(body)?),
        Op::SessionsReset => sessions_reset(state, parse(body)?),
        Op::ExistingPasswordReset => existing_password_reset(state, parse(body)?),
        Op::DiscoveryAuthenticate => discovery_authenticate(state, parse(body)?),
        Op::DiscoveryEmailResetStart => discovery_email_reset_start(state, parse(body)?),
        Op::DiscoveryEmailReset => discovery_email_reset(state, parse(body)?),
    }
}

/// Parses a JSON body. Error messages name fields but never echo values (a body holds
/// passwords).
fn parse<T: DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|e| {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => {
                let msg = e.to_string();
                let msg = if msg.starts_with("missing field") || msg.starts_with("unknown field") {
                    msg
                } else {
                    redact_values(&msg)
                };
                ApiFailure::invalid_request(format!(
                    "The request body does not match the endpoint's schema: {msg}."
                ))
            }
            _ => ApiFailure::invalid_request(format!(
                "The request body is not valid JSON (line {}, column {}).",
                e.line(),
                e.column()
            )),
        }
    })
}

fn redact_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quote: Option<char> = None;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => {
                out.push(c);
                quote = None;
            }
            Some(_) => {}
            None if c == '"' || c == '`' => {
                out.push(c);
                out.push('…');
                quote = Some(c);
            }
            None => out.push(c),
        }
    }
    out
}

fn required(value: &str, field: &str) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(ApiFailure::invalid_request(format!(
            "{field} is a required field and must not be empty."
        )));
    }
    Ok(())
}

fn check_email(email: &str) -> ApiResult<()> {
    required(email, "email_address")?;
    if !looks_like_email(email) {
        return Err(ApiFailure::new(
            400,
            "invalid_email",
            "email_address is not a valid email address.",
        ));
    }
    Ok(())
}

const RESERVED_CLAIMS: &[&str] = &["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

fn check_custom_claims(claims: Option<&JsonObject>) -> ApiResult<()> {
    if let Some(claims) = claims {
        if let Some(bad) = claims
            .keys()
            .find(|k| RESERVED_CLAIMS.contains(&k.as_str()) || k.starts_with("https://stytch.com/"))
        {
            return Err(ApiFailure::new(
                400,
                "invalid_session_custom_claims",
                format!("session_custom_claims must not use the reserved claim {bad:?}."),
            ));
        }
    }
    Ok(())
}

fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared steps

/// The live session a request names with `session_token` / `session_jwt`, which must belong to
/// the Member.
fn existing_session(
    state: &State,
    member_idx: usize,
    opts: &SessionOptions,
) -> ApiResult<Option<usize>> {
    if opts.session_token.as_deref().is_none_or(str::is_empty)
        && opts.session_jwt.as_deref().is_none_or(str::is_empty)
    {
        return Ok(None);
    }
    let idx = state.live_session(opts.session_token.as_deref(), opts.session_jwt.as_deref())?;
    if state.sessions[idx].member_id != state.members[member_idx].id {
        return Err(ApiFailure::session_not_found());
    }
    Ok(Some(idx))
}

fn mfa_required_json(member: &Member) -> Value {
    json!({
        "member_options": {
            "mfa_phone_number": member.mfa_phone_number,
            "totp_registration_id": "",
        },
        "secondary_auth_initiated": if member.mfa_phone_number_verified {
            Value::from("sms_otp")
        } else {
            Value::Null
        },
    })
}

/// The session keys every session-bearing response has (authenticate and the resets), built
/// in one place so the endpoints cannot drift apart. `session` is the session made or extended;
/// without one, the intermediate session token `ist` stands in for it.
fn session_fields(
    state: &State,
    session: Option<usize>,
    ist: &str,
    mfa_required: Value,
) -> ApiResult<Map<String, Value>> {
    let mut body = Map::new();
    match session {
        Some(idx) => {
            body.insert("session_token".into(), json!(state.sessions[idx].token));
            body.insert("session_jwt".into(), json!(state.session_jwt(idx)?));
            body.insert("member_session".into(), state.session_json(idx));
        }
        None => {
            body.insert("session_token".into(), json!(""));
            body.insert("session_jwt".into(), json!(""));
            body.insert("member_session".into(), Value::Null);
        }
    }
    body.insert("intermediate_session_token".into(), json!(ist));
    body.insert("member_authenticated".into(), json!(session.is_some()));
    body.insert("mfa_required".into(), mfa_required);
    Ok(body)
}

/// The end of every primary authentication: a session (made or extended), or an intermediate
/// session token with `mfa_required` / `primary_required` when the Organization asks for more.
///
/// Callers check `session_custom_claims` themselves, before any state change of their own
/// (the resets must not change a password for a request they then reject).
fn authenticated(
    state: &mut State,
    member_idx: usize,
    existing: Option<usize>,
    opts: SessionOptions,
) -> ApiResult<Map<String, Value>> {
    if let Some(ist) = opts
        .intermediate_session_token
        .as_deref()
        .filter(|t| !t.is_empty())
    {
        state.consume_intermediate(ist)?;
    }
    let org_idx = state.org_of(member_idx)?;
    let org = &state.orgs[org_idx];
    let member = &state.members[member_idx];
    let (mut body, primary_required) = if existing.is_none() && !org.allows_password() {
        let primary = json!({"allowed_auth_methods": org.allowed_auth_methods});
        let ist = state.new_intermediate();
        (session_fields(state, None, &ist, Value::Null)?, primary)
    } else if existing.is_none() && (org.requires_mfa() || member.mfa_enrolled) {
        let mfa = mfa_required_json(member);
        let ist = state.new_intermediate();
        (session_fields(state, None, &ist, mfa)?, Value::Null)
    } else {
        let idx = state.start_session(
            member_idx,
            existing,
            opts.duration_minutes,
            opts.custom_claims,
        )?;
        (
            session_fields(state, Some(idx), "", Value::Null)?,
            Value::Null,
        )
    };
    body.insert("primary_required".into(), primary_required);
    let member = &state.members[member_idx];
    body.insert("member_id".into(), json!(member.id));
    body.insert("organization_id".into(), json!(member.org_id));
    body.insert("member".into(), member.to_json());
    body.insert("organization".into(), state.orgs[org_idx].to_json());
    Ok(body)
}

fn check_pkce(challenge: Option<&str>, verifier: Option<&str>) -> ApiResult<()> {
    let verifier = verifier.filter(|v| !v.is_empty());
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(ApiFailure::new(
            400,
            "pkce_unexpected_code_verifier",
            "A code verifier was given, but the reset was started without a code challenge.",
        )),
        (Some(_), None) => Err(ApiFailure::new(
            400,
            "pkce_expected_code_verifier",
            "The reset was started with a code challenge: the code verifier is required.",
        )),
        (Some(challenge), Some(verifier)) => {
            let computed = b64url(&Sha256::digest(verifier.as_bytes()));
            if ct_eq(computed.as_bytes(), challenge.as_bytes()) {
                Ok(())
            } else {
                Err(ApiFailure::new(
                    400,
                    "pkce_mismatch",
                    "The code verifier does not match the code challenge.",
                ))
            }
        }
    }
}

fn reset_token_index(state: &State, token: &str, discovery: bool) -> ApiResult<usize> {
    let now = state.now();
    state
        .reset_tokens
        .iter()
        .position(|t| {
            ct_eq(t.token.as_bytes(), token.as_bytes())
                && !t.used
                && t.expires_at > now
                && matches!(t.scope, ResetScope::Discovery(_)) == discovery
        })
        .ok_or_else(ApiFailure::reset_token)
}

fn expiration_minutes(minutes: Option<i64>) -> ApiResult<i64> {
    let minutes = minutes.unwrap_or(30);
    if !(5..=10_080).contains(&minutes) {
        return Err(ApiFailure::invalid_request(
            "reset_password_expiration_minutes must be between 5 and 10080.",
        ));
    }
    Ok(minutes)
}

struct SendReset<'a> {
    scope: ResetScope,
    to: String,
    organization_id: Option<String>,
    redirect_url: Option<&'a str>,
    expiration_minutes: Option<i64>,
    code_challenge: Option<&'a str>,
    locale: Option<&'a str>,
    template_id: Option<&'a str>,
    kind: EmailKind,
}

fn send_reset(state: &mut State, send: SendReset<'_>) -> ApiResult<()> {
    let minutes = expiration_minutes(send.expiration_minutes)?;
    let now = state.now();
    let token = new_token();
    let redirect = send
        .redirect_url
        .filter(|u| !u.is_empty())
        .unwrap_or(&state.default_redirect)
        .to_owned();
    let sep = if redirect.contains('?') { '&' } else { '?' };
    let link = format!("{redirect}{sep}stytch_token_type=multi_tenant_passwords&token={token}");
    let member_id = match &send.scope {
        ResetScope::Member(id) => Some(id.clone()),
        ResetScope::Discovery(_) => None,
    };
    state.reset_tokens.push(ResetToken {
        token: token.clone(),
        scope: send.scope,
        expires_at: now + minutes * 60,
        used: false,
        code_challenge: send
            .code_challenge
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
    });
    state.outbox.push(OutboxEmail {
        to: send.to,
        kind: send.kind,
        organization_id: send.organization_id,
        member_id,
        token: token.into(),
        link: link.into(),
        redirect_url: redirect,
        sent_at: to_system_time(now),
        expires_at: to_system_time(now + minutes * 60),
        locale: send.locale.map(str::to_owned),
        template_id: send.template_id.map(str::to_owned),
    });
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Endpoints

fn jwks(state: &State, project: &str) -> ApiResult<Map<String, Value>> {
    if project != state.project_id {
        return Err(ApiFailure::new(
            404,
            "project_not_found",
            "No JWKS for this project id: it is not the emulator's project.",
        ));
    }
    Ok(obj(jwt::jwks(jwt::key(state.key_index)?)))
}

#[derive(Deserialize)]
struct StrengthCheckReq {
    password: String,
    email_address: Option<String>,
}

fn strength_check(state: &mut State, req: StrengthCheckReq) -> ApiResult<Map<String, Value>> {
    required(&req.password, "password")?;
    let s = state
        .policy_settings()
        .evaluate(&req.password, req.email_address.as_deref());
    Ok(obj(json!({
        "valid_password": s.valid,
        "score": s.score,
        "breached_password": s.breached,
        "strength_policy": s.policy,
        "breach_detection_on_create": state.breach_detection_on_create,
        "luds_feedback": s.luds,
        "zxcvbn_feedback": s.zxcvbn,
    })))
}

#[derive(Deserialize)]
struct MigrateReq {
    email_address: String,
    hash: String,
    hash_type: String,
    organization_id: String,
    md_5_config: Option<SaltConfig>,
    argon_2_config: Option<Argon2Config>,
    sha_1_config: Option<SaltConfig>,
    sha_512_config: Option<SaltConfig>,
    scrypt_config: Option<ScryptConfig>,
    pbkdf_2_config: Option<Pbkdf2Config>,
    name: Option<String>,
    trusted_metadata: Option<JsonObject>,
    untrusted_metadata: Option<JsonObject>,
    roles: Option<Vec<String>>,
    preserve_existing_sessions: Option<bool>,
    mfa_phone_number: Option<String>,
    set_phone_number_verified: Option<bool>,
    external_id: Option<String>,
}

fn migrate(state: &mut State, req: MigrateReq) -> ApiResult<Map<String, Value>> {
    required(&req.organization_id, "organization_id")?;
    required(&req.hash, "hash")?;
    required(&req.hash_type, "hash_type")?;
    check_email(&req.email_address)?;
    let org_idx = state.org_or_404(&req.organization_id)?;
    let hash = parse_migrated(&MigrateHash {
        hash_type: &req.hash_type,
        hash: &req.hash,
        md_5_config: req.md_5_config.as_ref(),
        sha_1_config: req.sha_1_config.as_ref(),
        sha_512_config: req.sha_512_config.as_ref(),
        argon_2_config: req.argon_2_config.as_ref(),
        scrypt_config: req.scrypt_config.as_ref(),
        pbkdf_2_config: req.pbkdf_2_config.as_ref(),
    })?;
    let org_id = state.orgs[org_idx].id.clone();
    let now = state.now();
    let (member_idx, created) = match state.find_member(&org_id, &req.email_address) {
        Some(idx) => (idx, false),
        None => {
            state
                .members
                .push(Member::new(org_id, &req.email_address, None, now));
            (state.members.len() - 1, true)
        }
    };
    let m = &mut state.members[member_idx];
    m.store_hash(hash, now);
    if let Some(name) = req.name {
        m.name = name;
    }
    if let Some(meta) = req.trusted_metadata {
        m.trusted_metadata = meta;
    }
    if let Some(meta) = req.untrusted_metadata {
        m.untrusted_metadata = meta;
    }
    if let Some(roles) = req.roles {
        m.roles = roles;
    }
    if let Some(phone) = req.mfa_phone_number {
        m.mfa_phone_number = phone;
        m.mfa_phone_number_verified = false;
    }
    if req.set_phone_number_verified == Some(true) && !m.mfa_phone_number.is_empty() {
        m.mfa_phone_number_verified = true;
    }
    if let Some(ext) = req.external_id {
        m.external_id = Some(ext);
    }
    let member_id = m.id.clone();
    if !created && req.preserve_existing_sessions != Some(true) {
        state.revoke_sessions(&member_id, None);
    }
    Ok(obj(json!({
        "member_id": member_id,
        "member_created": created,
        "member": state.members[member_idx].to_json(),
        "organization": state.orgs[org_idx].to_json(),
    })))
}

#[derive(Deserialize)]
struct AuthenticateReq {
    organization_id: String,
    email_address: String,
    password: String,
    session_token: Option<String>,
    session_duration_minutes: Option<i64>,
    session_jwt: Option<String>,
    session_custom_claims: Option<JsonObject>,
    #[allow(dead_code)]
    locale: Option<String>,
    intermediate_session_token: Option<String>,
    #[allow(dead_code)]
    telemetry_id: Option<String>,
}

fn authenticate(state: &mut State, req: AuthenticateReq) -> ApiResult<Map<String, Value>> {
    required(&req.organization_id, "organization_id")?;
    required(&req.email_address, "email_address")?;
    required(&req.password, "password")?;
    let member_idx = member_by_credentials(
        state,
        &req.organization_id,
        &req.email_address,
        &req.password,
    )?;
    if state.members[member_idx].require_reset {
        return Err(member_reset_password());
    }
    let opts = SessionOptions {
        session_token: req.session_token,
        session_jwt: req.session_jwt,
        duration_minutes: req.session_duration_minutes,
        custom_claims: req.session_custom_claims,
        intermediate_session_token: req.intermediate_session_token,
    };
    let existing = existing_session(state, member_idx, &opts)?;
    check_custom_claims(opts.custom_claims.as_ref())?;
    authenticated(state, member_idx, existing, opts)
}

/// The Member of the Organization `org` (404 if unknown) with this email address and
/// password: 401 `unauthorized_credentials` for an unknown email or a wrong or missing password.
fn member_by_credentials(
    state: &State,
    org: &str,
    email: &str,
    password: &str,
) -> ApiResult<usize> {
    let org_idx = state.org_or_404(org)?;
    let member_idx = state
        .find_member(&state.orgs[org_idx].id, email)
        .ok_or_else(ApiFailure::unauthorized_credentials)?;
    if !state.members[member_idx].password_matches(password) {
        return Err(ApiFailure::unauthorized_credentials());
    }
    Ok(member_idx)
}

fn member_reset_password() -> ApiFailure {
    ApiFailure::new(
        400,
        "member_reset_password",
        "The Member must reset their password before logging in with one: start a reset by email.",
    )
}

#[derive(Deserialize)]
struct EmailResetStartReq {
    organization_id: String,
    email_address: String,
    reset_password_redirect_url: Option<String>,
    reset_password_expiration_minutes: Option<i64>,
    code_challenge: Option<String>,
    #[allow(dead_code)]
    login_redirect_url: Option<String>,
    locale: Option<String>,
    reset_password_template_id: Option<String>,
    #[allow(dead_code)]
    verify_email_template_id: Option<String>,
}

fn email_reset_start(state: &mut State, req: EmailResetStartReq) -> ApiResult<Map<String, Value>> {
    required(&req.organization_id, "organization_id")?;
    check_email(&req.email_address)?;
    let org_idx = state.org_or_404(&req.organization_id)?;
    let org_id = state.orgs[org_idx].id.clone();
    let member_idx = match state.find_member(&org_id, &req.email_address) {
        Some(idx) => idx,
        None if state.orgs[org_idx].jit_allows(&req.email_address) => {
            // JIT provisioning by email domain: the Member is created, without a password.
            let now = state.now();
            state
                .members
                .push(Member::new(org_id.clone(), &req.email_address, None, now));
            state.members.len() - 1
        }
        None => return Err(ApiFailure::member_not_found()),
    };
    let member = &state.members[member_idx];
    let (member_id, email, email_id) = (
        member.id.clone(),
        member.email.clone(),
        member.email_id.clone(),
    );
    send_reset(
        state,
        SendReset {
            scope: ResetScope::Member(member_id.clone()),
            to: email,
            organization_id: Some(org_id),
            redirect_url: req.reset_password_redirect_url.as_deref(),
            expiration_minutes: req.reset_password_expiration_minutes,
            code_challenge: req.code_challenge.as_deref(),
            locale: req.locale.as_deref(),
            template_id: req.reset_password_template_id.as_deref(),
            kind: EmailKind::PasswordReset,
        },
    )?;
    Ok(obj(json!({
        "member_id": member_id,
        "member_email_id": email_id,
        "member": state.members[member_idx].to_json(),
    })))
}

#[derive(Deserialize)]
struct EmailResetReq {
    password_reset_token: String,
    password: String,
    session_token: Option<String>,
    session_duration_minutes: Option<i64>,
    session_jwt: Option<String>,
    code_verifier: Option<String>,
    session_custom_claims: Option<JsonObject>,
    #[allow(dead_code)]
    locale: Option<String>,
    intermediate_session_token: Option<String>,
    #[allow(dead_code)]
    telemetry_id: Option<String>,
}

fn email_reset(state: &mut State, req: EmailResetReq) -> ApiResult<Map<String, Value>> {
    required(&req.password_reset_token, "password_reset_token")?;
    required(&req.password, "password")?;
    let token_idx = reset_token_index(state, &req.password_reset_token, false)?;
    check_pkce(
        state.reset_tokens[token_idx].code_challenge.as_deref(),
        req.code_verifier.as_deref(),
    )?;
    let ResetScope::Member(member_id) = state.reset_tokens[token_idx].scope.clone() else {
        return Err(ApiFailure::reset_token());
    };
    let member_idx = state.member_or_404(&member_id)?;
    state.check_member_password(member_idx, &req.password)?;
    let opts = SessionOptions {
        session_token: req.session_token,
        session_jwt: req.session_jwt,
        duration_minutes: req.session_duration_minutes,
        custom_claims: req.session_custom_claims,
        intermediate_session_token: req.intermediate_session_token,
    };
    check_custom_claims(opts.custom_claims.as_ref())?;
    let existing = existing_session(state, member_idx, &opts)?;
    state.set_password(member_idx, &req.password)?;
    state.members[member_idx].email_verified = true;
    state.reset_tokens[token_idx].used = true;
    let keep = existing.map(|i| state.sessions[i].id.clone());
    state.revoke_sessions(&member_id, keep.as_deref());
    let email_id = state.members[member_idx].email_id.clone();
    let mut body = authenticated(state, member_idx, existing, opts)?;
    body.insert("member_email_id".into(), json!(email_id));
    Ok(body)
}

#[derive(Deserialize)]
struct RequireResetReq {
    email_address: String,
    organization_id: Option<String>,
    member_id: Option<String>,
}

fn email_require_reset(
    state: &mut State,
    headers: &HeaderMap,
    req: RequireResetReq,
) -> ApiResult<Map<String, Value>> {
    required(&req.email_address, "email_address")?;
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let session_token = header(MEMBER_SESSION_HEADER);
    let session_jwt = header(MEMBER_SESSION_JWT_HEADER);
    let session = if session_token.is_some() || session_jwt.is_some() {
        Some(state.live_session(session_token.as_deref(), session_jwt.as_deref())?)
    } else {
        None
    };
    let org_id_given = req.organization_id.as_deref().filter(|s| !s.is_empty());
    let member_id_given = req.member_id.as_deref().filter(|s| !s.is_empty());
    let org_idx = if let Some(org) = org_id_given {
        state.org_or_404(org)?
    } else if let Some(member_id) = member_id_given {
        let m = state.member_or_404(member_id)?;
        state.org_of(m)?
    } else if let Some(s) = session {
        let org_id = state.sessions[s].org_id.clone();
        state.org_or_404(&org_id)?
    } else {
        return Err(ApiFailure::invalid_request(
            "organization_id or member_id is required.",
        ));
    };
    let org_id = state.orgs[org_idx].id.clone();
    if let Some(s) = session {
        if state.sessions[s].org_id != org_id {
            return Err(ApiFailure::new(
                403,
                "unauthorized_action",
                "The Member session in the authorization header belongs to another Organization.",
            ));
        }
    }
    let member_idx = state
        .find_member(&org_id, &req.email_address)
        .filter(|i| member_id_given.is_none_or(|id| state.members[*i].id == id))
        .ok_or_else(ApiFailure::member_not_found)?;
    let now = state.now();
    let m = &mut state.members[member_idx];
    m.require_reset = true;
    m.updated_at = now;
    Ok(obj(json!({
        "member_id": state.members[member_idx].id,
        "member": state.members[member_idx].to_json(),
        "organization": state.orgs[org_idx].to_json(),
    })))
}

#[derive(Deserialize)]
struct SessionsResetReq {
    organization_id: String,
    password: String,
    session_token: Option<String>,
    session_jwt: Option<String>,
    session_duration_minutes: Option<i64>,
    session_custom_claims: Option<JsonObject>,
    #[allow(dead_code)]
    locale: Option<String>,
    #[allow(dead_code)]
    telemetry_id: Option<String>,
}

fn sessions_reset(state: &mut State, req: SessionsResetReq) -> ApiResult<Map<String, Value>> {
    required(&req.organization_id, "organization_id")?;
    required(&req.password, "password")?;
    check_custom_claims(req.session_custom_claims.as_ref())?;
    let token = req.session_token.as_deref().filter(|s| !s.is_empty());
    let jwt = req.session_jwt.as_deref().filter(|s| !s.is_empty());
    if token.is_none() && jwt.is_none() {
        return Err(ApiFailure::invalid_request(
            "session_token or session_jwt is required.",
        ));
    }
    let org_idx = state.org_or_404(&req.organization_id)?;
    let session_idx = state.live_session(token, jwt)?;
    if state.sessions[session_idx].org_id != state.orgs[org_idx].id {
        return Err(ApiFailure::session_not_found());
    }
    let now = state.now();
    let recent = state.sessions[session_idx]
        .factors
        .iter()
        .any(|f| f.last_authenticated_at >= now - SESSION_RESET_WINDOW_SECONDS);
    if !recent {
        return Err(ApiFailure::new(
            400,
            "session_too_old_to_reset_password",
            "The session has no factor authenticated in the last 5 minutes: authenticate again first.",
        ));
    }
    let member_id = state.sessions[session_idx].member_id.clone();
    let member_idx = state.member_or_404(&member_id)?;
    state.check_member_password(member_idx, &req.password)?;
    state.set_password(member_idx, &req.password)?;
    let keep = state.sessions[session_idx].id.clone();
    state.revoke_sessions(&member_id, Some(&keep));
    let idx = state.start_session(
        member_idx,
        Some(session_idx),
        req.session_duration_minutes,
        req.session_custom_claims,
    )?;
    // Unlike authenticate, no `organization_id` or `primary_required` here.
    let mut body = session_fields(state, Some(idx), "", Value::Null)?;
    body.insert("member_id".into(), json!(member_id));
    body.insert("member".into(), state.members[member_idx].to_json());
    body.insert("organization".into(), state.orgs[org_idx].to_json());
    Ok(body)
}

#[derive(Deserialize)]
struct ExistingPasswordReq {
    email_address: String,
    existing_password: String,
    new_password: String,
    organization_id: String,
    session_token: Option<String>,
    session_duration_minutes: Option<i64>,
    session_jwt: Option<String>,
    session_custom_claims: Option<JsonObject>,
    #[allow(dead_code)]
    locale: Option<String>,
    #[allow(dead_code)]
    telemetry_id: Option<String>,
}

fn existing_password_reset(
    state: &mut State,
    req: ExistingPasswordReq,
) -> ApiResult<Map<String, Value>> {
    required(&req.organization_id, "organization_id")?;
    required(&req.email_address, "email_address")?;
    required(&req.existing_password, "existing_password")?;
    required(&req.new_password, "new_password")?;
    let member_idx = member_by_credentials(
        state,
        &req.organization_id,
        &req.email_address,
        &req.existing_password,
    )?;
    state.check_member_password(member_idx, &req.new_password)?;
    let opts = SessionOptions {
        session_token: req.session_token,
        session_jwt: req.session_jwt,
        duration_minutes: req.session_duration_minutes,
        custom_claims: req.session_custom_claims,
        intermediate_session_token: None,
    };
    check_custom_claims(opts.custom_claims.as_ref())?;
    let existing = existing_session(state, member_idx, &opts)?;
    state.set_password(member_idx, &req.new_password)?;
    let member_id = state.members[member_idx].id.clone();
    let keep = existing.map(|i| state.sessions[i].id.clone());
    state.revoke_sessions(&member_id, keep.as_deref());
    let mut body = authenticated(state, member_idx, existing, opts)?;
    // Stytch's existing_password/reset response has no `organization_id` (the Organization is
    // in `organization`), unlike authenticate and email/reset.
    body.remove("organization_id");
    Ok(body)
}

/// The Organizations an email can see, with `member_authenticated` for the Members in
/// `authenticated`.
fn discovered_organizations(state: &State, email: &str, authenticated: &[usize]) -> Vec<Value> {
    let mut out = Vec::new();
    for org in &state.orgs {
        if let Some(idx) = state.find_member(&org.id, email) {
            let member = &state.members[idx];
            let kind = match member.status.as_str() {
                "pending" => "pending_member",
                "invited" => "invited_member",
                _ => "active_member",
            };
            let authed = authenticated.contains(&idx) && org.allows_password();
            let mfa = org.requires_mfa() || member.mfa_enrolled;
            let mut entry = Map::new();
            entry.insert("member_authenticated".into(), json!(authed && !mfa));
            entry.insert("organization".into(), org.to_json());
            entry.insert(
                "membership".into(),
                json!({"type": kind, "member": member.to_json()}),
            );
            if !authed {
                let methods = if org.auth_methods == "RESTRICTED" {
                    org.allowed_auth_methods.clone()
                } else {
                    vec!["password".to_owned()]
                };
                entry.insert(
                    "primary_required".into(),
                    json!({"allowed_auth_methods": methods}),
                );
            } else if mfa {
                entry.insert("mfa_required".into(), mfa_required_json(member));
            }
            out.push(Value::Object(entry));
        } else if org.jit_allows(email) {
            out.push(json!({
                "member_authenticated": false,
                "organization": org.to_json(),
                "membership": {
                    "type": "eligible_to_join_by_email_domain",
                    "details": {"domain": email_domain(email).unwrap_or_default()},
                },
            }));
        }
    }
    out
}

fn members_with_email(state: &State, email: &str) -> Vec<usize> {
    let key = email_key(email);
    (0..state.members.len())
        .filter(|i| {
            email_key(&state.members[*i].email) == key && state.members[*i].status != "deleted"
        })
        .collect()
}

#[derive(Deserialize)]
struct DiscoveryAuthenticateReq {
    email_address: String,
    password: String,
}

fn discovery_authenticate(
    state: &mut State,
    req: DiscoveryAuthenticateReq,
) -> ApiResult<Map<String, Value>> {
    required(&req.email_address, "email_address")?;
    required(&req.password, "password")?;
    let matched: Vec<usize> = members_with_email(state, &req.email_address)
        .into_iter()
        .filter(|i| state.members[*i].password_matches(&req.password))
        .collect();
    if matched.is_empty() {
        return Err(ApiFailure::unauthorized_credentials());
    }
    let authed: Vec<usize> = matched
        .iter()
        .copied()
        .filter(|i| !state.members[*i].require_reset)
        .collect();
    if authed.is_empty() {
        return Err(member_reset_password());
    }
    let ist = state.new_intermediate();
    Ok(obj(json!({
        "email_address": req.email_address.trim(),
        "intermediate_session_token": ist,
        "discovered_organizations": discovered_organizations(state, &req.email_address, &authed),
    })))
}

#[derive(Deserialize)]
struct DiscoveryResetStartReq {
    email_address: String,
    reset_password_redirect_url: Option<String>,
    #[allow(dead_code)]
    discovery_redirect_url: Option<String>,
    reset_password_template_id: Option<String>,
    reset_password_expiration_minutes: Option<i64>,
    pkce_code_challenge: Option<String>,
    locale: Option<String>,
    #[allow(dead_code)]
    verify_email_template_id: Option<String>,
}

fn discovery_email_reset_start(
    state: &mut State,
    req: DiscoveryResetStartReq,
) -> ApiResult<Map<String, Value>> {
    check_email(&req.email_address)?;
    if members_with_email(state, &req.email_address).is_empty() {
        return Err(ApiFailure::member_not_found());
    }
    send_reset(
        state,
        SendReset {
            scope: ResetScope::Discovery(email_key(&req.email_address)),
            to: req.email_address.trim().to_owned(),
            organization_id: None,
            redirect_url: req.reset_password_redirect_url.as_deref(),
            expiration_minutes: req.reset_password_expiration_minutes,
            code_challenge: req.pkce_code_challenge.as_deref(),
            locale: req.locale.as_deref(),
            template_id: req.reset_password_template_id.as_deref(),
            kind: EmailKind::DiscoveryPasswordReset,
        },
    )?;
    Ok(Map::new())
}

#[derive(Deserialize)]
struct DiscoveryResetReq {
    password_reset_token: String,
    password: String,
    pkce_code_verifier: Option<String>,
}

fn discovery_email_reset(
    state: &mut State,
    req: DiscoveryResetReq,
) -> ApiResult<Map<String, Value>> {
    required(&req.password_reset_token, "password_reset_token")?;
    required(&req.password, "password")?;
    let token_idx = reset_token_index(state, &req.password_reset_token, true)?;
    check_pkce(
        state.reset_tokens[token_idx].code_challenge.as_deref(),
        req.pkce_code_verifier.as_deref(),
    )?;
    let ResetScope::Discovery(email) = state.reset_tokens[token_idx].scope.clone() else {
        return Err(ApiFailure::reset_token());
    };
    state
        .policy_settings()
        .check_new_password(&req.password, Some(&email))?;
    let members = members_with_email(state, &email);
    if members.is_empty() {
        return Err(ApiFailure::member_not_found());
    }
    for &idx in &members {
        state.set_password(idx, &req.password)?;
        state.members[idx].email_verified = true;
        let id = state.members[idx].id.clone();
        state.revoke_sessions(&id, None);
    }
    state.reset_tokens[token_idx].used = true;
    let display_email = state.members[members[0]].email.clone();
    let ist = state.new_intermediate();
    Ok(obj(json!({
        "intermediate_session_token": ist,
        "email_address": display_email,
        "discovered_organizations": discovered_organizations(state, &email, &members),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert!(matches!(
            route(&Method::POST, "/v1/b2b/passwords/authenticate"),
            Ok(Route::Op(Op::Authenticate))
        ));
        assert!(matches!(
            route(&Method::POST, "/v1/b2b/passwords/email/reset/"),
            Ok(Route::Op(Op::EmailReset))
        ));
        assert_eq!(
            route(&Method::GET, "/v1/b2b/passwords/authenticate")
                .err()
                .map(|e| e.status),
            Some(405)
        );
        assert_eq!(
            route(&Method::POST, "/v1/b2b/nope").err().map(|e| e.status),
            Some(404)
        );
        assert!(matches!(
            route(&Method::GET, "/v1/b2b/sessions/jwks/project-test-1"),
            Ok(Route::Jwks(p)) if p == "project-test-1"
        ));
    }

    #[test]
    fn pkce() {
        // RFC 7636 appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(check_pkce(Some(challenge), Some(verifier)).is_ok());
        assert_eq!(
            check_pkce(Some(challenge), Some("other"))
                .err()
                .map(|e| e.error_type),
            Some("pkce_mismatch".to_owned())
        );
        assert_eq!(
            check_pkce(Some(challenge), None)
                .err()
                .map(|e| e.error_type),
            Some("pkce_expected_code_verifier".to_owned())
        );
        assert!(check_pkce(None, None).is_ok());
    }

    #[test]
    fn redaction_keeps_shape() {
        assert_eq!(
            redact_values(r#"invalid type: string "hunter2", expected i64"#),
            r#"invalid type: string "…", expected i64"#
        );
    }
}
