//! The email reset flow: `email/reset/start`, `email/reset` and `email/require_reset`.

use http::HeaderMap;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::common::{
    authenticated, check_custom_claims, check_email, check_pkce, existing_session, obj, required,
    reset_token_index, send_reset, SendReset,
};
use super::{MEMBER_SESSION_HEADER, MEMBER_SESSION_JWT_HEADER};
use crate::error::{ApiFailure, ApiResult};
use crate::outbox::EmailKind;
use crate::state::{Member, ResetScope, SessionOptions, State};

#[derive(Deserialize)]
pub(super) struct EmailResetStartReq {
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

pub(super) fn email_reset_start(
    state: &mut State,
    req: EmailResetStartReq,
) -> ApiResult<Map<String, Value>> {
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
        "member": state.members[member_idx].to_json(state.now()),
    })))
}

#[derive(Deserialize)]
pub(super) struct EmailResetReq {
    #[serde(flatten)]
    session: SessionOptions,
    password_reset_token: String,
    password: String,
    code_verifier: Option<String>,
    #[allow(dead_code)]
    locale: Option<String>,
    intermediate_session_token: Option<String>,
    #[allow(dead_code)]
    telemetry_id: Option<String>,
}

pub(super) fn email_reset(state: &mut State, req: EmailResetReq) -> ApiResult<Map<String, Value>> {
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
        intermediate_session_token: req.intermediate_session_token,
        ..req.session
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
pub(super) struct RequireResetReq {
    email_address: String,
    organization_id: Option<String>,
    member_id: Option<String>,
}

pub(super) fn email_require_reset(
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
        "member": state.members[member_idx].to_json(state.now()),
        "organization": state.orgs[org_idx].to_json(),
    })))
}
