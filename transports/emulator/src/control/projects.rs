//! Fresh projects for parallel test suites: `POST /_emulator/projects` makes one (answering its
//! credentials), `DELETE /_emulator/project` forgets the project the call authenticates as.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::parse;
use crate::emulator::Emulator;
use crate::error::ApiResult;
use crate::projects::Projects;
use crate::seed::Seed;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CreateReq {
    /// The fresh project's seed; the calling project's seed when unset. Its `project` is
    /// ignored: a fresh project always gets new credentials.
    seed: Option<Seed>,
}

/// Makes a fresh project: `{"project_id", "secret"}`.
pub(super) fn create(projects: &Projects, caller: &Emulator, body: &[u8]) -> ApiResult<Value> {
    let req: CreateReq = if body.iter().all(u8::is_ascii_whitespace) {
        CreateReq::default()
    } else {
        parse(body)?
    };
    let seed = match req.seed {
        Some(seed) => seed,
        None => caller.lock().seed.clone(),
    };
    let fresh = projects.create(seed)?;
    Ok(json!({
        "project_id": fresh.project_id(),
        "secret": fresh.secret().expose(),
    }))
}

/// Forgets the calling project, if it is a fresh one.
pub(super) fn delete(projects: &Projects, caller: &Emulator) -> ApiResult<Value> {
    let project_id = caller.project_id();
    projects.delete(&project_id)?;
    Ok(json!({ "deleted": project_id }))
}
