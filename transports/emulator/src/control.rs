//! The served emulator's HTTP control API, under `/_emulator/` (a prefix no Stytch route uses),
//! for apps and test suites written in other languages:
//!
//! - `GET /_emulator/outbox`: the reset emails "sent" so far, oldest first, with their tokens
//!   and links;
//! - `DELETE /_emulator/outbox`: empties the outbox;
//! - `POST /_emulator/clock/advance` with `{"seconds": N}`: moves the emulated clock forward.
//!
//! Only [`crate::serve`] routes here; `EmulatorTransport` and `Emulator::respond` answer these
//! paths with a 404 like any other unknown route. Calls need the project's HTTP Basic
//! credentials, like the API, skip injected faults, and do not count in `call_count`.

use std::time::{SystemTime, UNIX_EPOCH};

use http::{HeaderMap, Method};
use serde::Deserialize;
use serde_json::{json, Value};
use stytch_b2b_passwords::transport::HttpResponse;

use crate::api::check_basic_auth;
use crate::emulator::{json_response, new_request_id, Emulator};
use crate::error::{ApiFailure, ApiResult};
use crate::outbox::{EmailKind, OutboxEmail};
use crate::util::{rfc3339, trim_trailing_slashes};

/// The path prefix of the control API.
pub(crate) const PREFIX: &str = "/_emulator";

/// The furthest the control API moves the clock ahead of real time, in total: 100 years, so
/// that emulated timestamps and expiry arithmetic stay far from `i64` overflow.
const MAX_CLOCK_OFFSET_SECONDS: i64 = 100 * 366 * 24 * 60 * 60;

/// Whether `path` belongs to the control API.
pub(crate) fn is_control_path(path: &str) -> bool {
    path == PREFIX
        || path
            .strip_prefix(PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Answers one control request.
pub(crate) fn handle(
    emulator: &Emulator,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> HttpResponse {
    let request_id = new_request_id();
    match dispatch(emulator, method, path, headers, body) {
        Ok(value) => json_response(200, &value),
        Err(e) => json_response(e.status, &e.body(&request_id)),
    }
}

fn dispatch(
    emulator: &Emulator,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<Value> {
    check_basic_auth(&emulator.lock(), headers)?;
    let path = trim_trailing_slashes(path);
    match (path.strip_prefix(PREFIX).unwrap_or(path), method) {
        ("/outbox", &Method::GET) => Ok(Value::Array(
            emulator.outbox().iter().map(email_json).collect(),
        )),
        ("/outbox", &Method::DELETE) => {
            let mut state = emulator.lock();
            let cleared = state.outbox.len();
            state.outbox.clear();
            Ok(json!({ "cleared": cleared }))
        }
        ("/clock/advance", &Method::POST) => advance_clock(emulator, body),
        ("/outbox", _) => Err(ApiFailure::method_not_allowed(
            path,
            "GET or DELETE",
            method,
        )),
        ("/clock/advance", _) => Err(ApiFailure::method_not_allowed(path, "POST", method)),
        _ => Err(ApiFailure::new(
            404,
            "not_found",
            format!(
                "No control route for {method} {path}: the emulator serves GET and DELETE \
                 {PREFIX}/outbox and POST {PREFIX}/clock/advance."
            ),
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceReq {
    seconds: u64,
}

fn advance_clock(emulator: &Emulator, body: &[u8]) -> ApiResult<Value> {
    let req: AdvanceReq = serde_json::from_slice(body).map_err(|_| {
        ApiFailure::invalid_request(
            "The body must be {\"seconds\": N} with N a whole number of seconds, 0 or more.",
        )
    })?;
    let mut state = emulator.lock();
    let offset = i64::try_from(req.seconds)
        .ok()
        .and_then(|s| state.clock.offset.checked_add(s))
        .filter(|o| *o <= MAX_CLOCK_OFFSET_SECONDS)
        .ok_or_else(|| {
            ApiFailure::invalid_request(format!(
                "seconds is too large: the control API moves the clock at most \
                 {MAX_CLOCK_OFFSET_SECONDS} seconds ahead in total."
            ))
        })?;
    state.clock.offset = offset;
    Ok(json!({ "now": rfc3339(state.now()) }))
}

fn unix_seconds(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0)
}

fn email_json(email: &OutboxEmail) -> Value {
    let kind = match email.kind {
        EmailKind::PasswordReset => "password_reset",
        EmailKind::DiscoveryPasswordReset => "discovery_password_reset",
    };
    json!({
        "to": email.to,
        "kind": kind,
        "organization_id": email.organization_id,
        "member_id": email.member_id,
        "token": email.token.expose(),
        "link": email.link.expose(),
        "redirect_url": email.redirect_url,
        "sent_at": rfc3339(unix_seconds(email.sent_at)),
        "expires_at": rfc3339(unix_seconds(email.expires_at)),
        "locale": email.locale,
        "template_id": email.template_id,
    })
}
