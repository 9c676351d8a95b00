//! `passwords.sessions.reset`: set a new password for the Member of a recent session.

use serde::{Deserialize, Serialize};

use super::{check_duration, missing_login_field, require, setters, JsonObject};
use crate::de::nullable;
use crate::error::{ValidationError, ValidationProblem};
use crate::models::{DeviceInfo, Locale, Member, MemberSession, MfaRequired, Organization};
use crate::secret::Secret;
use crate::wire::Endpoint;

/// Request of `POST /v1/b2b/passwords/session/reset`. One of `session_token` or `session_jwt`
/// must be set; the session must hold a factor authenticated in the last 5 minutes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SessionsResetRequest {
    /// The Organization of the session.
    pub organization_id: String,
    /// The new password.
    pub password: Secret,
    /// The session, by token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<Secret>,
    /// The session, by JWT.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_jwt: Option<Secret>,
    /// Lifetime of the session to create, 5 to 527040 minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_duration_minutes: Option<i32>,
    /// Custom claims to put in the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_custom_claims: Option<JsonObject>,
    /// Language of any MFA message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// A device fingerprinting telemetry id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telemetry_id: Option<String>,
}

impl SessionsResetRequest {
    /// A request with its required fields; set [`session_token`](Self::session_token) or
    /// [`session_jwt`](Self::session_jwt) too.
    pub fn new(organization_id: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            organization_id: organization_id.into(),
            password: password.into(),
            session_token: None,
            session_jwt: None,
            session_duration_minutes: None,
            session_custom_claims: None,
            locale: None,
            telemetry_id: None,
        }
    }
}

setters!(SessionsResetRequest {
    /// Names the session by its token.
    session_token: Secret,
    /// Names the session by its JWT.
    session_jwt: Secret,
    /// Sets the session lifetime in minutes (5 to 527040).
    session_duration_minutes: i32,
    /// Sets custom claims for the session.
    session_custom_claims: JsonObject,
    /// Sets the language of MFA messages.
    locale: Locale,
    /// Sets the device telemetry id.
    telemetry_id: String,
});

impl Endpoint for SessionsResetRequest {
    type Response = SessionsResetResponse;
    const OPERATION: &'static str = "passwords.sessions.reset";
    const PATH: &'static str = "/v1/b2b/passwords/session/reset";

    fn validate(&self) -> Result<(), ValidationError> {
        require(Self::OPERATION, "organization_id", &self.organization_id)?;
        require(Self::OPERATION, "password", self.password.expose())?;
        if self.session_token.is_none() && self.session_jwt.is_none() {
            return Err(ValidationError {
                operation: Self::OPERATION,
                field: "session_token",
                problem: ValidationProblem::MissingOneOf("session_jwt"),
            });
        }
        check_duration(Self::OPERATION, self.session_duration_minutes)
    }

    missing_login_field! {
        "request_id" => request_id,
        "member_id" => member_id,
        "organization.organization_id" => organization.organization_id,
    }
}

/// Response of `passwords.sessions.reset`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SessionsResetResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// The Member's id.
    #[serde(deserialize_with = "nullable")]
    pub member_id: String,
    /// The Member.
    #[serde(deserialize_with = "nullable")]
    pub member: Member,
    /// The Organization.
    #[serde(deserialize_with = "nullable")]
    pub organization: Organization,
    /// The new session token.
    pub session_token: Secret,
    /// The new session JWT.
    pub session_jwt: Secret,
    /// A token to finish authentication with a second factor, if one is required.
    pub intermediate_session_token: Secret,
    /// Whether the Member is fully logged in.
    #[serde(deserialize_with = "nullable")]
    pub member_authenticated: bool,
    /// The HTTP status the API reported.
    #[serde(deserialize_with = "nullable")]
    pub status_code: i32,
    /// The session.
    pub member_session: Option<MemberSession>,
    /// What MFA step is still required, if any.
    pub mfa_required: Option<MfaRequired>,
    /// The device the call came from, when device fingerprinting is on. Boxed, as it is rare
    /// and would add 288 bytes to every response.
    pub member_device: Option<Box<DeviceInfo>>,
    /// How many attempts the call made, the one answered included: more than 1 when the
    /// client retried. Set by the client, not part of the JSON (0 on a value made by hand).
    #[serde(skip)]
    pub attempts: u32,
}
