//! The API endpoints: routing, Basic auth and dispatch here; one module per endpoint group (as
//! the core's `src/endpoints/` has), and the steps they share in `common`.

mod authenticate;
mod common;
mod discovery;
mod email;
mod existing_password;
mod jwks;
mod migrate;
mod sessions;
mod strength_check;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http::{HeaderMap, Method};
use serde_json::{json, Map, Value};

use crate::error::{ApiFailure, ApiResult};
use crate::state::State;
use crate::util::{ct_eq, trim_trailing_slashes};
use authenticate::authenticate;
pub(crate) use common::parse;
use discovery::{discovery_authenticate, discovery_email_reset, discovery_email_reset_start};
use email::{email_require_reset, email_reset, email_reset_start};
use existing_password::existing_password_reset;
use jwks::jwks;
use migrate::migrate;
use sessions::sessions_reset;
use strength_check::strength_check;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    StrengthCheck,
    Migrate,
    Authenticate,
    EmailResetStart,
    EmailReset,
    EmailRequireReset,
    SessionsReset,
    ExistingPasswordReset,
    DiscoveryAuthenticate,
    DiscoveryEmailResetStart,
    DiscoveryEmailReset,
}

const ROUTES: &[(&str, Op)] = &[
    ("/v1/b2b/passwords/strength_check", Op::StrengthCheck),
    ("/v1/b2b/passwords/migrate", Op::Migrate),
    ("/v1/b2b/passwords/authenticate", Op::Authenticate),
    ("/v1/b2b/passwords/email/reset/start", Op::EmailResetStart),
    ("/v1/b2b/passwords/email/reset", Op::EmailReset),
    (
        "/v1/b2b/passwords/email/require_reset",
        Op::EmailRequireReset,
    ),
    ("/v1/b2b/passwords/session/reset", Op::SessionsReset),
    (
        "/v1/b2b/passwords/existing_password/reset",
        Op::ExistingPasswordReset,
    ),
    (
        "/v1/b2b/passwords/discovery/authenticate",
        Op::DiscoveryAuthenticate,
    ),
    (
        "/v1/b2b/passwords/discovery/email/reset/start",
        Op::DiscoveryEmailResetStart,
    ),
    (
        "/v1/b2b/passwords/discovery/email/reset",
        Op::DiscoveryEmailReset,
    ),
];

const JWKS_PREFIX: &str = "/v1/b2b/sessions/jwks/";

/// Headers naming the Member a call runs as.
pub(super) const MEMBER_SESSION_HEADER: &str = "x-stytch-member-session";
pub(super) const MEMBER_SESSION_JWT_HEADER: &str = "x-stytch-member-sessionjwt";

enum Route {
    Op(Op),
    Jwks(String),
}

fn route(method: &Method, path: &str) -> ApiResult<Route> {
    let path = trim_trailing_slashes(path);
    if let Some((_, op)) = ROUTES.iter().find(|(p, _)| *p == path) {
        if method == Method::POST {
            return Ok(Route::Op(*op));
        }
        return Err(ApiFailure::method_not_allowed(path, "POST", method));
    }
    if let Some(project) = jwks_project(path) {
        if method == Method::GET {
            return Ok(Route::Jwks(project.to_owned()));
        }
        return Err(ApiFailure::method_not_allowed(path, "GET", method));
    }
    Err(ApiFailure::new(
        404,
        "not_found",
        format!(
            "No route for {method} {path}: the emulator serves the B2B Passwords endpoints and \
             GET {JWKS_PREFIX}{{project_id}} only."
        ),
    ))
}

/// The project id and secret of an HTTP Basic `Authorization` header, if it has one.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// The project id a JWKS path names, such as `/v1/b2b/sessions/jwks/{project_id}`.
pub(crate) fn jwks_project(path: &str) -> Option<&str> {
    trim_trailing_slashes(path)
        .strip_prefix(JWKS_PREFIX)
        .filter(|p| !p.contains('/'))
}

pub(crate) fn check_basic_auth(state: &State, headers: &HeaderMap) -> ApiResult<()> {
    let (id, secret) = basic_credentials(headers).ok_or_else(unauthorized_project)?;
    let id_ok = ct_eq(id.as_bytes(), state.project_id.as_bytes());
    let secret_ok = ct_eq(secret.as_bytes(), state.secret.expose().as_bytes());
    if id_ok && secret_ok {
        Ok(())
    } else {
        Err(unauthorized_project())
    }
}

fn unauthorized_project() -> ApiFailure {
    ApiFailure::new(
        401,
        "unauthorized_credentials",
        "Unauthorized credentials: the project id or secret in HTTP Basic auth is missing or wrong.",
    )
}

/// Handles one request against the state and returns the status and JSON body (with
/// `request_id` and `status_code`).
pub(crate) fn handle(
    state: &mut State,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
) -> (u16, Value) {
    state.calls += 1;
    let result = route(method, path).and_then(|r| match r {
        // Public, as Stytch's: the official SDKs fetch it without credentials.
        Route::Jwks(project) => jwks(state, &project),
        Route::Op(op) => {
            check_basic_auth(state, headers)?;
            dispatch(state, op, headers, body)
        }
    });
    match result {
        Ok(mut map) => {
            map.insert("request_id".to_owned(), json!(request_id));
            map.insert("status_code".to_owned(), json!(200));
            (200, Value::Object(map))
        }
        Err(e) => (e.status, e.body(request_id)),
    }
}

fn dispatch(
    state: &mut State,
    op: Op,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<Map<String, Value>> {
    match op {
        Op::StrengthCheck => strength_check(state, parse(body)?),
        Op::Migrate => migrate(state, parse(body)?),
        Op::Authenticate => authenticate(state, parse(body)?),
        Op::EmailResetStart => email_reset_start(state, parse(body)?),
        Op::EmailReset => email_reset(state, parse(body)?),
        Op::EmailRequireReset => email_require_reset(state, headers, parse(body)?),
        Op::SessionsReset => sessions_reset(state, parse(body)?),
        Op::ExistingPasswordReset => existing_password_reset(state, parse(body)?),
        Op::DiscoveryAuthenticate => discovery_authenticate(state, parse(body)?),
        Op::DiscoveryEmailResetStart => discovery_email_reset_start(state, parse(body)?),
        Op::DiscoveryEmailReset => discovery_email_reset(state, parse(body)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert!(matches!(
            route(&Method::POST, "/v1/b2b/passwords/authenticate"),
            Ok(Route::Op(Op::Authenticate))
        ));
        assert!(matches!(
            route(&Method::POST, "/v1/b2b/passwords/email/reset/"),
            Ok(Route::Op(Op::EmailReset))
        ));
        assert_eq!(
            route(&Method::GET, "/v1/b2b/passwords/authenticate")
                .err()
                .map(|e| e.status),
            Some(405)
        );
        assert_eq!(
            route(&Method::POST, "/v1/b2b/nope").err().map(|e| e.status),
            Some(404)
        );
        assert!(matches!(
            route(&Method::GET, "/v1/b2b/sessions/jwks/project-test-1"),
            Ok(Route::Jwks(p)) if p == "project-test-1"
        ));
    }
}
