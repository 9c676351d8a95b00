//! The served emulator's HTTP control API, under `/_emulator/` (a prefix no Stytch route uses):
//! everything a Rust test does through [`Emulator`], for test suites in any language. Each
//! route acts on the project whose HTTP Basic credentials the call carries; bodies are JSON
//! with no unknown fields; errors are Stytch-shaped; a refused call changes nothing.
//! `docs/EMULATOR.md` lists the routes with examples.
//!
//! Only [`crate::serve`] routes here; `EmulatorTransport` and `Emulator::respond` answer these
//! paths with a 404 like any other unknown route. Control calls skip injected faults and do not
//! count in `call_count`.

mod clock;
mod data;
mod faults;
mod outbox;
mod projects;
mod settings;

use http::{HeaderMap, Method};
use serde_json::Value;
use stytch_b2b_passwords::transport::HttpResponse;

use crate::api::check_basic_auth;
use crate::emulator::{json_response, new_request_id, Emulator};
use crate::error::{ApiFailure, ApiResult};
use crate::projects::Projects;
use crate::util::trim_trailing_slashes;

/// The path prefix of the control API.
pub(crate) const PREFIX: &str = "/_emulator";

/// Whether `path` belongs to the control API.
pub(crate) fn is_control_path(path: &str) -> bool {
    path == PREFIX
        || path
            .strip_prefix(PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Answers one control request for `emulator`, the project the request's credentials name.
pub(crate) fn handle(
    projects: &Projects,
    emulator: &Emulator,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> HttpResponse {
    let request_id = new_request_id();
    // The state lock is taken for the check alone: the routes take it again themselves.
    let authorized = check_basic_auth(&emulator.lock(), headers);
    let result = authorized.and_then(|()| dispatch(projects, emulator, method, path, body));
    match result {
        Ok(value) => json_response(200, &value),
        Err(e) => json_response(e.status, &e.body(&request_id)),
    }
}

fn dispatch(
    projects: &Projects,
    emulator: &Emulator,
    method: &Method,
    path: &str,
    body: &[u8],
) -> ApiResult<Value> {
    let path = trim_trailing_slashes(path);
    let route = path.strip_prefix(PREFIX).unwrap_or(path);
    let segments: Vec<&str> = route.trim_start_matches('/').split('/').collect();
    match (segments.as_slice(), method.as_str()) {
        (["outbox"], "GET") => Ok(outbox::list(emulator)),
        (["outbox"], "DELETE") => Ok(outbox::clear(emulator)),
        (["clock"], "GET") => Ok(clock::read(emulator)),
        (["clock", "freeze"], "POST") => clock::freeze(emulator, body),
        (["clock", "advance"], "POST") => clock::advance(emulator, body),
        (["faults"], "GET") => Ok(faults::list(emulator)),
        (["faults"], "POST") => faults::inject(emulator, body),
        (["faults"], "DELETE") => Ok(faults::clear(emulator)),
        (["keys"], "GET") => Ok(settings::keys(emulator)),
        (["keys", "rotate"], "POST") => settings::rotate_key(emulator, body),
        (["calls"], "GET") => Ok(settings::calls(emulator)),
        (["settings"], "GET") => Ok(settings::read(emulator)),
        (["settings"], "PATCH") => settings::update(emulator, body),
        (["reset"], "POST") => data::reset(emulator, body),
        (["organizations"], "POST") => data::create_organization(emulator, body),
        (["organizations", org], "GET") => data::read_organization(emulator, org),
        (["organizations", org], "PATCH") => data::update_organization(emulator, org, body),
        (["organizations", org, "members"], "POST") => data::create_member(emulator, org, body),
        (["members", member], "GET") => data::read_member(emulator, member),
        (["projects"], "POST") => projects::create(projects, emulator, body),
        (["project"], "DELETE") => projects::delete(projects, emulator),
        (known, _) => Err(match allowed_methods(known) {
            Some(allowed) => ApiFailure::method_not_allowed(path, allowed, method),
            None => ApiFailure::new(
                404,
                "not_found",
                format!(
                    "No control route for {method} {path}: see docs/EMULATOR.md for the routes \
                     under {PREFIX}/."
                ),
            ),
        }),
    }
}

/// The methods a known control path accepts, for a 405 that says which.
fn allowed_methods(segments: &[&str]) -> Option<&'static str> {
    Some(match segments {
        ["outbox"] => "GET or DELETE",
        ["faults"] => "GET, POST or DELETE",
        ["clock"] | ["keys"] | ["calls"] | ["members", _] => "GET",
        ["clock", "freeze"]
        | ["clock", "advance"]
        | ["keys", "rotate"]
        | ["reset"]
        | ["organizations"]
        | ["organizations", _, "members"]
        | ["projects"] => "POST",
        ["settings"] | ["organizations", _] => "GET or PATCH",
        ["project"] => "DELETE",
        _ => return None,
    })
}

/// Checks that a route that takes no parameters got none: an empty body or `{}`.
fn no_body(body: &[u8]) -> ApiResult<()> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) if map.is_empty() => Ok(()),
        _ => Err(ApiFailure::invalid_request(
            "This route takes no parameters: send no body or {}.",
        )),
    }
}
