//! The discovery flow: `discovery/authenticate`, `discovery/email/reset/start` and
//! `discovery/email/reset`, across every Organization an email belongs to.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::authenticate::member_reset_password;
use super::common::{
    check_email, check_pkce, mfa_required_json, obj, required, reset_token_index, send_reset,
    SendReset,
};
use crate::error::{ApiFailure, ApiResult};
use crate::outbox::EmailKind;
use crate::state::{ResetScope, State};
use crate::util::{email_domain, email_key};

/// The Organizations an email can see, with `member_authenticated` for the Members in
/// `authenticated`.
pub(super) fn discovered_organizations(
    state: &State,
    email: &str,
    authenticated: &[usize],
) -> Vec<Value> {
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
                json!({"type": kind, "member": member.to_json(state.now())}),
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

pub(super) fn members_with_email(state: &State, email: &str) -> Vec<usize> {
    let key = email_key(email);
    (0..state.members.len())
        .filter(|i| {
            email_key(&state.members[*i].email) == key && state.members[*i].status != "deleted"
        })
        .collect()
}

#[derive(Deserialize)]
pub(super) struct DiscoveryAuthenticateReq {
    email_address: String,
    password: String,
}

pub(super) fn discovery_authenticate(
    state: &mut State,
    req: DiscoveryAuthenticateReq,
) -> ApiResult<Map<String, Value>> {
    required(&req.email_address, "email_address")?;
    required(&req.password, "password")?;
    // Locked Members are left out; a wrong password counts toward each other Member's lockout.
    let now = state.now();
    let candidates = members_with_email(state, &req.email_address);
    let unlocked: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|i| state.members[*i].lock_at(now).is_none())
        .collect();
    let matched: Vec<usize> = unlocked
        .iter()
        .copied()
        .filter(|i| state.members[*i].password_matches(&req.password))
        .collect();
    if matched.is_empty() {
        let policy = state.lockout;
        for &i in &unlocked {
            state.members[i].record_failure(now, &policy);
        }
        let lock_ends = candidates
            .iter()
            .map(|i| state.members[*i].lock_at(now).map(|(_, expires)| expires))
            .collect::<Option<Vec<i64>>>();
        return Err(match lock_ends.and_then(|ends| ends.into_iter().min()) {
            Some(first_unlock) => ApiFailure::user_locked(first_unlock),
            None => ApiFailure::unauthorized_credentials(),
        });
    }
    for &i in &matched {
        state.members[i].clear_failures();
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
pub(super) struct DiscoveryResetStartReq {
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

pub(super) fn discovery_email_reset_start(
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
pub(super) struct DiscoveryResetReq {
    password_reset_token: String,
    password: String,
    pkce_code_verifier: Option<String>,
}

pub(super) fn discovery_email_reset(
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
