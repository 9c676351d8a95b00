//! The projects one served emulator holds: the one it started with, and the fresh ones test
//! suites ask for over the control API (`POST /_emulator/projects`), each with its own
//! credentials, Organizations, outbox, clock, faults and keys, so that suites running in
//! parallel against one process never see each other's data.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use http::HeaderMap;

use crate::api::{basic_credentials, jwks_project};
use crate::emulator::Emulator;
use crate::error::{ApiFailure, ApiResult};
use crate::seed::{ProjectSeed, Seed};
use crate::util::{new_token, uuid_v4};

/// How many fresh projects one process keeps at most, so that a suite that never deletes its
/// projects cannot grow the process without bound.
pub(crate) const MAX_FRESH_PROJECTS: usize = 1000;

/// The started project and the fresh ones, by project id.
pub(crate) struct Projects {
    primary: Emulator,
    fresh: Mutex<HashMap<String, Emulator>>,
}

impl Projects {
    pub(crate) fn new(primary: Emulator) -> Self {
        Self {
            primary,
            fresh: Mutex::new(HashMap::new()),
        }
    }

    fn fresh(&self) -> MutexGuard<'_, HashMap<String, Emulator>> {
        self.fresh.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The project a request is for: the fresh project its Basic credentials (or its JWKS path)
    /// name, else the started one (which then checks the credentials as usual).
    pub(crate) fn for_request(&self, path: &str, headers: &HeaderMap) -> Emulator {
        let named = basic_credentials(headers)
            .map(|(id, _)| id)
            .or_else(|| jwks_project(path).map(str::to_owned));
        named
            .and_then(|id| self.fresh().get(&id).cloned())
            .unwrap_or_else(|| self.primary.clone())
    }

    /// Makes a fresh project from `seed` (its `project` is replaced by new credentials).
    pub(crate) fn create(&self, mut seed: Seed) -> ApiResult<Emulator> {
        seed.project = ProjectSeed::new(
            format!("project-test-{}", uuid_v4()),
            format!("secret-test-{}", new_token()),
        );
        let emulator = Emulator::from_seed(seed)
            .map_err(|e| ApiFailure::invalid_request(format!("The seed is not usable: {e}.")))?;
        let mut fresh = self.fresh();
        if fresh.len() >= MAX_FRESH_PROJECTS {
            return Err(ApiFailure::new(
                429,
                "too_many_projects",
                format!(
                    "The emulator holds {MAX_FRESH_PROJECTS} fresh projects already: delete some \
                     with DELETE /_emulator/project."
                ),
            ));
        }
        fresh.insert(emulator.project_id(), emulator.clone());
        Ok(emulator)
    }

    /// Forgets a fresh project; the started one cannot go.
    pub(crate) fn delete(&self, project_id: &str) -> ApiResult<()> {
        match self.fresh().remove(project_id) {
            Some(_) => Ok(()),
            None => Err(ApiFailure::invalid_request(
                "The started project cannot be deleted: only fresh projects can.",
            )),
        }
    }
}
