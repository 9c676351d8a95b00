//! `POST /v1/b2b/passwords/authenticate`, and the credential check the resets share.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::common::{authenticated, check_custom_claims, existing_session, required};
use crate::error::{ApiFailure, ApiResult};
use crate::state::{SessionOptions, State};

#[derive(Deserialize)]
pub(super) struct AuthenticateReq {
    #[serde(flatten)]
    session: SessionOptions,
    organization_id: String,
    email_address: String,
    password: String,
    #[allow(dead_code)]
    locale: Option<String>,
    intermediate_session_token: Option<String>,
    #[allow(dead_code)]
    telemetry_id: Option<String>,
}

pub(super) fn authenticate(
    state: &mut State,
    req: AuthenticateReq,
) -> ApiResult<Map<String, Value>> {
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
        intermediate_session_token: req.intermediate_session_token,
        ..req.session
    };
    let existing = existing_session(state, member_idx, &opts)?;
    check_custom_claims(opts.custom_claims.as_ref())?;
    authenticated(state, member_idx, existing, opts)
}

/// The Member of the Organization `org` (404 if unknown) with this email address and
/// password: 401 `unauthorized_credentials` for an unknown email or a wrong or missing password.
/// A wrong password counts toward the Member's lockout; while locked, every attempt is refused
/// with `user_lock_limit_reached` before the password is looked at.
pub(super) fn member_by_credentials(
    state: &mut State,
    org: &str,
    email: &str,
    password: &str,
) -> ApiResult<usize> {
    let org_idx = state.org_or_404(org)?;
    let member_idx = state
        .find_member(&state.orgs[org_idx].id, email)
        .ok_or_else(ApiFailure::unauthorized_credentials)?;
    let (now, policy) = (state.now(), state.lockout);
    let member = &mut state.members[member_idx];
    if let Some((_, expires)) = member.lock_at(now) {
        return Err(ApiFailure::user_locked(expires));
    }
    if !member.password_matches(password) {
        if member.record_failure(now, &policy) {
            return Err(ApiFailure::user_locked(
                now + i64::from(policy.lock_seconds),
            ));
        }
        return Err(ApiFailure::unauthorized_credentials());
    }
    member.clear_failures();
    Ok(member_idx)
}

pub(super) fn member_reset_password() -> ApiFailure {
    ApiFailure::new(
        400,
        "member_reset_password",
        "The Member must reset their password before logging in with one: start a reset by email.",
    )
}
