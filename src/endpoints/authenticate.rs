//! `passwords.authenticate`: log a Member in with email and password.

use serde::{Deserialize, Serialize};

use super::{check_duration, missing_login_field, require, setters, JsonObject};
use crate::de::nullable;
use crate::error::ValidationError;
use crate::models::{
    DeviceInfo, Locale, Member, MemberSession, MfaRequired, Organization, PrimaryRequired,
};
use crate::secret::Secret;
use crate::wire::Endpoint;

/// Request of `POST /v1/b2b/passwords/authenticate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AuthenticateRequest {
    /// The Organization to log in to (id, slug or external id).
    pub organization_id: String,
    /// The Member's email address.
    pub email_address: String,
    /// The Member's password.
    pub password: Secret,
    /// An existing session to extend with this factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<Secret>,
    /// Lifetime of the session to create, 5 to 527040 minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_duration_minutes: Option<i32>,
    /// An existing session, as a JWT, to extend with this factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_jwt: Option<Secret>,
    /// Custom claims to put in the session and its JWT.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_custom_claims: Option<JsonObject>,
    /// Language of any one-time passcode message sent for MFA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// An intermediate session token from an earlier primary factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intermediate_session_token: Option<Secret>,
    /// A device fingerprinting telemetry id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telemetry_id: Option<String>,
}

impl AuthenticateRequest {
    /// A request with its required fields.
    pub fn new(
        organization_id: impl Into<String>,
        email_address: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        Self {
            organization_id: organization_id.into(),
            email_address: email_address.into(),
            password: password.into(),
            session_token: None,
            session_duration_minutes: None,
            session_jwt: None,
            session_custom_claims: None,
            locale: None,
            intermediate_session_token: None,
            telemetry_id: None,
        }
    }
}

setters!(AuthenticateRequest {
    /// Extends an existing session, given by its token.
    session_token: Secret,
    /// Sets the session lifetime in minutes (5 to 527040).
    session_duration_minutes: i32,
    /// Extends an existing session, given by its JWT.
    session_jwt: Secret,
    /// Sets custom claims for the session.
    session_custom_claims: JsonObject,
    /// Sets the language of MFA messages.
    locale: Locale,
    /// Completes an earlier primary authentication.
    intermediate_session_token: Secret,
    /// Sets the device telemetry id.
    telemetry_id: String,
});

impl Endpoint for AuthenticateRequest {
    type Response = AuthenticateResponse;
    const OPERATION: &'static str = "passwords.authenticate";
    const PATH: &'static str = "/v1/b2b/passwords/authenticate";

    fn validate(&self) -> Result<(), ValidationError> {
        require(Self::OPERATION, "organization_id", &self.organization_id)?;
        require(Self::OPERATION, "email_address", &self.email_address)?;
        require(Self::OPERATION, "password", self.password.expose())?;
        check_duration(Self::OPERATION, self.session_duration_minutes)
    }

    missing_login_field! {
        "request_id" => request_id,
        "member_id" => member_id,
        "organization_id" => organization_id,
    }
}

/// Response of `passwords.authenticate`.
///
/// When the Organization requires MFA, `member_authenticated` is `false`, the session fields are
/// empty, and `intermediate_session_token` and `mfa_required` say how to continue.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct AuthenticateResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// The Member's id.
    #[serde(deserialize_with = "nullable")]
    pub member_id: String,
    /// The Organization's id.
    #[serde(deserialize_with = "nullable")]
    pub organization_id: String,
    /// The Member.
    #[serde(deserialize_with = "nullable")]
    pub member: Member,
    /// The session token; empty when MFA is still required.
    pub session_token: Secret,
    /// The session JWT; empty when MFA is still required.
    pub session_jwt: Secret,
    /// The Organization.
    #[serde(deserialize_with = "nullable")]
    pub organization: Organization,
    /// A token to finish authentication with a second factor; empty when a session was made.
    pub intermediate_session_token: Secret,
    /// Whether the Member is fully logged in.
    #[serde(deserialize_with = "nullable")]
    pub member_authenticated: bool,
    /// The HTTP status the API reported.
    #[serde(deserialize_with = "nullable")]
    pub status_code: i32,
    /// The session, when one was made.
    pub member_session: Option<MemberSession>,
    /// What MFA step is still required, if any.
    pub mfa_required: Option<MfaRequired>,
    /// Which primary factor is still required, if any.
    pub primary_required: Option<PrimaryRequired>,
    /// The device the call came from, when device fingerprinting is on. Boxed, as it is rare
    /// and would add 288 bytes to every response.
    pub member_device: Option<Box<DeviceInfo>>,
    /// How many attempts the call made, the one answered included: more than 1 when the
    /// client retried. Set by the client, not part of the JSON (0 on a value made by hand).
    #[serde(skip)]
    pub attempts: u32,
}
