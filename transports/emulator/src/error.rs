//! Stytch-shaped error bodies.

use serde_json::{json, Value};

/// An API error the emulator answers with: HTTP status, `error_type` and `error_message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiFailure {
    pub(crate) status: u16,
    pub(crate) error_type: String,
    pub(crate) message: String,
}

pub(crate) type ApiResult<T> = Result<T, ApiFailure>;

impl ApiFailure {
    pub(crate) fn new(status: u16, error_type: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            error_type: error_type.to_owned(),
            message: message.into(),
        }
    }

    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(400, "invalid_request", message)
    }

    pub(crate) fn unauthorized_credentials() -> Self {
        Self::new(401, "unauthorized_credentials", "Unauthorized credentials.")
    }

    /// 401 `user_lock_limit_reached`: password log-in is locked until `expires` (Unix seconds).
    pub(crate) fn user_locked(expires: i64) -> Self {
        Self::new(
            401,
            "user_lock_limit_reached",
            format!(
                "The Member is locked out after too many failed log-in attempts, until {} or a \
                 password reset.",
                crate::util::rfc3339(expires)
            ),
        )
    }

    pub(crate) fn organization_not_found() -> Self {
        Self::new(
            404,
            "organization_not_found",
            "Organization could not be found.",
        )
    }

    pub(crate) fn member_not_found() -> Self {
        Self::new(404, "member_not_found", "Member could not be found.")
    }

    pub(crate) fn session_not_found() -> Self {
        Self::new(
            404,
            "session_not_found",
            "Session could not be found: it is unknown, expired or revoked.",
        )
    }

    pub(crate) fn reset_token() -> Self {
        Self::new(
            401,
            "unable_to_auth_password_reset_token",
            "The password reset token is unknown, already used or expired.",
        )
    }

    /// 405 `method_not_allowed`: `path` accepts only the `allowed` method(s).
    pub(crate) fn method_not_allowed(path: &str, allowed: &str, method: &http::Method) -> Self {
        Self::new(
            405,
            "method_not_allowed",
            format!("{path} accepts {allowed} only, not {method}."),
        )
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "internal_server_error", message)
    }

    /// The JSON body, as Stytch sends it.
    pub(crate) fn body(&self, request_id: &str) -> Value {
        error_body(self.status, request_id, &self.error_type, &self.message)
    }
}

/// `{status_code, request_id, error_type, error_message, error_url}`.
pub(crate) fn error_body(status: u16, request_id: &str, error_type: &str, message: &str) -> Value {
    json!({
        "status_code": status,
        "request_id": request_id,
        "error_type": error_type,
        "error_message": message,
        "error_url": format!("https://stytch.com/docs/api/errors/{status}"),
    })
}
