//! One module per endpoint group; each holds its request and response types side by side, and
//! the [`Endpoint`](crate::wire::Endpoint) impl that ties them to a path.

mod authenticate;
mod discovery;
mod email;
mod existing_password;
mod migrate;
mod sessions;
mod strength_check;

pub use authenticate::*;
pub use discovery::*;
pub use email::*;
pub use existing_password::*;
pub use migrate::*;
pub use sessions::*;
pub use strength_check::*;

use crate::error::{ValidationError, ValidationProblem};
use crate::models::MemberSession;
use crate::secret::Secret;
use crate::wire::{Endpoint, EndpointResponse};

/// The path of every endpoint, for [`Config`](crate::Config) to build each URI once.
pub(crate) const PATHS: [&str; 11] = [
    AuthenticateRequest::PATH,
    StrengthCheckRequest::PATH,
    MigrateRequest::PATH,
    EmailResetStartRequest::PATH,
    EmailResetRequest::PATH,
    EmailRequireResetRequest::PATH,
    ExistingPasswordResetRequest::PATH,
    SessionsResetRequest::PATH,
    DiscoveryAuthenticateRequest::PATH,
    DiscoveryEmailResetStartRequest::PATH,
    DiscoveryEmailResetRequest::PATH,
];

/// Generates chained setters for optional request fields: `request.field(value)` sets
/// `Some(value.into())`.
macro_rules! setters {
    ($ty:ident { $( $(#[$doc:meta])* $field:ident: $fty:ty, )+ }) => {
        impl $ty {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $field(mut self, value: impl Into<$fty>) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )+
        }
    };
}
pub(crate) use setters;

/// The session lifetime the API accepts, in minutes: 5 minutes to 366 days.
pub const SESSION_DURATION_MINUTES: std::ops::RangeInclusive<i32> = 5..=527_040;

pub(crate) fn require(
    op: &'static str,
    field: &'static str,
    value: &str,
) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError {
            operation: op,
            field,
            problem: ValidationProblem::Empty,
        });
    }
    Ok(())
}

pub(crate) fn check_duration(
    op: &'static str,
    minutes: Option<i32>,
) -> Result<(), ValidationError> {
    match minutes {
        Some(m) if !SESSION_DURATION_MINUTES.contains(&m) => Err(ValidationError {
            operation: op,
            field: "session_duration_minutes",
            problem: ValidationProblem::OutOfRange {
                min: i64::from(*SESSION_DURATION_MINUTES.start()),
                max: i64::from(*SESSION_DURATION_MINUTES.end()),
                got: i64::from(m),
            },
        }),
        _ => Ok(()),
    }
}

/// The first of `fields` (name, value) whose value is empty: `null` and a missing field decode
/// as empty too. For [`Endpoint::missing_field`].
pub(crate) fn first_empty(fields: &[(&'static str, &str)]) -> Option<&'static str> {
    fields
        .iter()
        .find(|(_, value)| value.is_empty())
        .map(|(name, _)| *name)
}

/// What a success body of a call that logs a Member in must carry besides the ids: the session
/// (token, JWT and object) when `member_authenticated`, else the intermediate session token to
/// finish with.
pub(crate) fn missing_session_field(
    member_authenticated: bool,
    session_token: &Secret,
    session_jwt: &Secret,
    member_session: Option<&MemberSession>,
    intermediate_session_token: &Secret,
) -> Option<&'static str> {
    if !member_authenticated {
        return first_empty(&[(
            "intermediate_session_token",
            intermediate_session_token.expose(),
        )]);
    }
    first_empty(&[
        ("session_token", session_token.expose()),
        ("session_jwt", session_jwt.expose()),
    ])
    .or_else(|| match member_session {
        None => Some("member_session"),
        Some(session) => first_empty(&[(
            "member_session.member_session_id",
            &session.member_session_id,
        )]),
    })
}

/// The [`Endpoint::missing_field`] of a call that logs a Member in: the id fields listed, as
/// `"name" => field.path`, then the session or the intermediate session token of the response
/// (see [`missing_session_field`]).
macro_rules! missing_login_field {
    ($($name:literal => $($field:ident).+),+ $(,)?) => {
        fn missing_field(r: &Self::Response) -> Option<&'static str> {
            super::first_empty(&[$(($name, &r.$($field).+)),+]).or_else(|| {
                super::missing_session_field(
                    r.member_authenticated,
                    &r.session_token,
                    &r.session_jwt,
                    r.member_session.as_ref(),
                    &r.intermediate_session_token,
                )
            })
        }
    };
}
pub(crate) use missing_login_field;

/// A JSON object, as used for metadata and custom claims.
pub type JsonObject = serde_json::Map<String, serde_json::Value>;

// The attempt count is the client's, kept beside the JSON's fields; the request id is the JSON's.
macro_rules! endpoint_responses {
    ($($response:ty),+ $(,)?) => {
        $(
            impl EndpointResponse for $response {
                fn request_id(&self) -> &str {
                    &self.request_id
                }
                fn attempts(&self) -> u32 {
                    self.attempts
                }
                fn set_attempts(&mut self, attempts: u32) {
                    self.attempts = attempts;
                }
            }
        )+
    };
}

endpoint_responses!(
    AuthenticateResponse,
    DiscoveryAuthenticateResponse,
    DiscoveryEmailResetResponse,
    DiscoveryEmailResetStartResponse,
    EmailRequireResetResponse,
    EmailResetResponse,
    EmailResetStartResponse,
    ExistingPasswordResetResponse,
    MigrateResponse,
    SessionsResetResponse,
    StrengthCheckResponse,
);
