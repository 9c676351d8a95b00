//! What a project holds: `POST /_emulator/reset` (back to the seed), Organizations
//! (`POST /_emulator/organizations`, `GET` / `PATCH /_emulator/organizations/{org}`) and Members
//! (`POST /_emulator/organizations/{org}/members`, `GET /_emulator/members/{member_id}`).
//!
//! Organization and Member bodies are the seed file's objects ([`OrganizationSeed`],
//! [`MemberSeed`]), so the two stay one format.

use serde::Deserialize;
use serde_json::{json, Value};

use super::no_body;
use crate::api::parse;
use crate::emulator::Emulator;
use crate::error::{ApiFailure, ApiResult};
use crate::seed::{MemberSeed, OrganizationSeed, SeedError};
use crate::state::State;
use crate::util::rfc3339;

fn refused(e: SeedError) -> ApiFailure {
    let message = match e {
        SeedError::Invalid(m) | SeedError::Json(m) | SeedError::Io(m) => m,
    };
    ApiFailure::invalid_request(format!("Refused: {message}."))
}

/// Back to the seed: `{"reset": true}`.
pub(super) fn reset(emulator: &Emulator, body: &[u8]) -> ApiResult<Value> {
    no_body(body)?;
    emulator.reset().map_err(refused)?;
    Ok(json!({ "reset": true }))
}

fn organization_json(state: &State, org_idx: usize) -> Value {
    let org = &state.orgs[org_idx];
    let now = state.now();
    let members: Vec<Value> = state
        .members
        .iter()
        .filter(|m| m.org_id == org.id)
        .map(|m| m.to_json(now))
        .collect();
    json!({
        "organization_id": org.id,
        "organization": org.to_json(),
        "members": members,
    })
}

/// Creates an Organization (an [`OrganizationSeed`], with its Members): answers it as
/// [`read_organization`] does.
pub(super) fn create_organization(emulator: &Emulator, body: &[u8]) -> ApiResult<Value> {
    let seed: OrganizationSeed = parse(body)?;
    let mut state = emulator.lock();
    let id = state.add_organization(seed).map_err(refused)?;
    let idx = state.org_or_404(&id)?;
    Ok(organization_json(&state, idx))
}

/// An Organization (by id, slug or external id) and its Members.
pub(super) fn read_organization(emulator: &Emulator, org: &str) -> ApiResult<Value> {
    let state = emulator.lock();
    let idx = state.org_or_404(org)?;
    Ok(organization_json(&state, idx))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganizationPatch {
    mfa_policy: Option<String>,
}

/// Changes an Organization's settings (now `mfa_policy`).
pub(super) fn update_organization(emulator: &Emulator, org: &str, body: &[u8]) -> ApiResult<Value> {
    let patch: OrganizationPatch = parse(body)?;
    let mut state = emulator.lock();
    let idx = state.org_or_404(org)?;
    if let Some(policy) = patch.mfa_policy {
        if policy != "OPTIONAL" && policy != "REQUIRED_FOR_ALL" {
            return Err(ApiFailure::invalid_request(
                "mfa_policy must be OPTIONAL or REQUIRED_FOR_ALL.",
            ));
        }
        let now = state.now();
        state.orgs[idx].mfa_policy = policy;
        state.orgs[idx].updated_at = now;
    }
    Ok(organization_json(&state, idx))
}

/// Creates a Member (a [`MemberSeed`]: a password, or a `password_hash` to migrate, flags such
/// as `require_reset`) in an Organization: answers it as [`read_member`] does.
pub(super) fn create_member(emulator: &Emulator, org: &str, body: &[u8]) -> ApiResult<Value> {
    let seed: MemberSeed = parse(body)?;
    let mut state = emulator.lock();
    state.org_or_404(org)?;
    let id = state.add_member(org, seed).map_err(refused)?;
    member_json(&state, &id)
}

/// A Member and what tests check on it: `{"member", "requires_reset", "live_sessions",
/// "locked_until"}`.
pub(super) fn read_member(emulator: &Emulator, member_id: &str) -> ApiResult<Value> {
    member_json(&emulator.lock(), member_id)
}

fn member_json(state: &State, member_id: &str) -> ApiResult<Value> {
    let idx = state.member_or_404(member_id)?;
    let member = &state.members[idx];
    let now = state.now();
    Ok(json!({
        "member_id": member.id,
        "member": member.to_json(now),
        "requires_reset": member.require_reset,
        "live_sessions": state.live_sessions_of(&member.id),
        "locked_until": member.lock_at(now).map(|(_, expires)| rfc3339(expires)),
    }))
}
