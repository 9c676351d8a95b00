//! `GET /v1/b2b/sessions/jwks/{project_id}`: the public keys that verify session JWTs.

use serde_json::{Map, Value};

use super::common::obj;
use crate::error::{ApiFailure, ApiResult};
use crate::jwt;
use crate::state::State;

pub(super) fn jwks(state: &State, project: &str) -> ApiResult<Map<String, Value>> {
    if project != state.project_id {
        return Err(ApiFailure::new(
            404,
            "project_not_found",
            "No JWKS for this project id: it is not the emulator's project.",
        ));
    }
    Ok(obj(jwt::jwks(jwt::key(state.key_index)?)?))
}
