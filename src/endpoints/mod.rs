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
use crate::wire::Endpoint;

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

/// A JSON object, as used for metadata and custom claims.
pub type JsonObject = serde_json::Map<String, serde_json::Value>;
