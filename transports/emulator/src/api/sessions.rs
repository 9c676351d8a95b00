//! `POST /v1/b2b/passwords/session/reset`: a new password for the Member of a recent session.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::common::{check_custom_claims, required, session_fields};
use crate::error::{ApiFailure, ApiResult};
use crate::state::{SessionOptions, State, SESSION_RESET_WINDOW_SECONDS};

#[derive(Deserialize)]
pub(super) struct SessionsResetReq {
    organization_id: String,
    password: String,
    #[serde(flatten)]
    session: SessionOptions,
    #[allow(dead_code)]
    locale: Option<String>,
    #[allow(dead_code)]
    telemetry_id: Option<String>,
}

pub(super) fn sessions_reset(
    state: &mut State,
    req: SessionsResetReq,
) -> ApiResult<Map<String, Value>> {
    required(&req.organization_id, "organization_id")?;
    required(&req.password, "password")?;
    check_custom_claims(req.session.custom_claims.as_ref())?;
    let token = req
        .session
        .session_token
        .as_deref()
        .filter(|s| !s.is_empty());
    let jwt = req.session.session_jwt.as_deref().filter(|s| !s.is_empty());
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
        req.session.duration_minutes,
        req.session.custom_claims,
    )?;
    // Unlike authenticate, no `organization_id` or `primary_required` here.
    let mut body = session_fields(state, Some(idx), "", Value::Null)?;
    body.insert("member_id".into(), json!(member_id));
    body.insert(
        "member".into(),
        state.members[member_idx].to_json(state.now()),
    );
    body.insert("organization".into(), state.orgs[org_idx].to_json());
    Ok(body)
}
