//! `POST /v1/b2b/passwords/existing_password/reset`.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::authenticate::member_by_credentials;
use super::common::{authenticated, check_custom_claims, existing_session, required};
use crate::error::ApiResult;
use crate::state::{SessionOptions, State};

#[derive(Deserialize)]
pub(super) struct ExistingPasswordReq {
    #[serde(flatten)]
    session: SessionOptions,
    email_address: String,
    existing_password: String,
    new_password: String,
    organization_id: String,
    #[allow(dead_code)]
    locale: Option<String>,
    #[allow(dead_code)]
    telemetry_id: Option<String>,
}

pub(super) fn existing_password_reset(
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
    let opts = req.session;
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
