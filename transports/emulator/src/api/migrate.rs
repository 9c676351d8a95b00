//! `POST /v1/b2b/passwords/migrate`: a Member's password hash from another system.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::common::{check_email, obj, required};
use crate::error::ApiResult;
use crate::hashing::{
    parse_migrated, Argon2Config, MigrateHash, Pbkdf2Config, SaltConfig, ScryptConfig,
};
use crate::seed::JsonObject;
use crate::state::{Member, State};

#[derive(Deserialize)]
pub(super) struct MigrateReq {
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

pub(super) fn migrate(state: &mut State, req: MigrateReq) -> ApiResult<Map<String, Value>> {
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
        "member": state.members[member_idx].to_json(state.now()),
        "organization": state.orgs[org_idx].to_json(),
    })))
}
