//! `POST /v1/b2b/passwords/strength_check`.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::common::{obj, required};
use crate::error::ApiResult;
use crate::state::State;

#[derive(Deserialize)]
pub(super) struct StrengthCheckReq {
    password: String,
    email_address: Option<String>,
}

pub(super) fn strength_check(
    state: &mut State,
    req: StrengthCheckReq,
) -> ApiResult<Map<String, Value>> {
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
