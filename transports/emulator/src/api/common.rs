//! Steps several endpoints share: body parsing and checks, sessions and their response
//! fields, PKCE, reset tokens and reset emails.

use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};
use stytch_b2b_passwords::wire::redact_values;

use crate::error::{ApiFailure, ApiResult};
use crate::outbox::{EmailKind, OutboxEmail};
use crate::seed::JsonObject;
use crate::state::{to_system_time, Member, ResetScope, ResetToken, SessionOptions, State};
use crate::util::{b64url, ct_eq, looks_like_email, new_token};

/// Parses a JSON body. Error messages name fields but never echo values (a body holds
/// passwords).
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
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

pub(super) fn required(value: &str, field: &str) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(ApiFailure::invalid_request(format!(
            "{field} is a required field and must not be empty."
        )));
    }
    Ok(())
}

pub(super) fn check_email(email: &str) -> ApiResult<()> {
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

pub(super) const RESERVED_CLAIMS: &[&str] = &["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

pub(super) fn check_custom_claims(claims: Option<&JsonObject>) -> ApiResult<()> {
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

pub(super) fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared steps

/// The live session a request names with `session_token` / `session_jwt`, which must belong to
/// the Member.
pub(super) fn existing_session(
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

pub(super) fn mfa_required_json(member: &Member) -> Value {
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
pub(super) fn session_fields(
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
pub(super) fn authenticated(
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
    body.insert("member".into(), member.to_json(state.now()));
    body.insert("organization".into(), state.orgs[org_idx].to_json());
    Ok(body)
}

pub(super) fn check_pkce(challenge: Option<&str>, verifier: Option<&str>) -> ApiResult<()> {
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

pub(super) fn reset_token_index(state: &State, token: &str, discovery: bool) -> ApiResult<usize> {
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

pub(super) fn expiration_minutes(minutes: Option<i64>) -> ApiResult<i64> {
    let minutes = minutes.unwrap_or(30);
    if !(5..=10_080).contains(&minutes) {
        return Err(ApiFailure::invalid_request(
            "reset_password_expiration_minutes must be between 5 and 10080.",
        ));
    }
    Ok(minutes)
}

pub(super) struct SendReset<'a> {
    pub(super) scope: ResetScope,
    pub(super) to: String,
    pub(super) organization_id: Option<String>,
    pub(super) redirect_url: Option<&'a str>,
    pub(super) expiration_minutes: Option<i64>,
    pub(super) code_challenge: Option<&'a str>,
    pub(super) locale: Option<&'a str>,
    pub(super) template_id: Option<&'a str>,
    pub(super) kind: EmailKind,
}

pub(super) fn send_reset(state: &mut State, send: SendReset<'_>) -> ApiResult<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
