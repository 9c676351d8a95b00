//! `passwords.existing_password.reset`: change a password given the current one.

use serde::{Deserialize, Serialize};

use super::{check_duration, missing_login_field, require, setters, JsonObject};
use crate::de::nullable;
use crate::error::ValidationError;
use crate::models::{
    DeviceInfo, Locale, Member, MemberSession, MfaRequired, Organization, PrimaryRequired,
};
use crate::secret::Secret;
use crate::wire::Endpoint;

/// Request of `POST /v1/b2b/passwords/existing_password/reset`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ExistingPasswordResetRequest {
    /// The Member's email address.
    pub email_address: String,
    /// The current password.
    pub existing_password: Secret,
    /// The password to set.
    pub new_password: Secret,
    /// The Member's Organization.
    pub organization_id: String,
    /// An existing session to extend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<Secret>,
    /// Lifetime of the session to create, 5 to 527040 minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_duration_minutes: Option<i32>,
    /// An existing session, as a JWT, to extend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_jwt: Option<Secret>,
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

impl ExistingPasswordResetRequest {
    /// A request with its required fields.
    pub fn new(
        email_address: impl Into<String>,
        existing_password: impl Into<Secret>,
        new_password: impl Into<Secret>,
        organization_id: impl Into<String>,
    ) -> Self {
        Self {
            email_address: email_address.into(),
            existing_password: existing_password.into(),
            new_password: new_password.into(),
            organization_id: organization_id.into(),
            session_token: None,
            session_duration_minutes: None,
            session_jwt: None,
            session_custom_claims: None,
            locale: None,
            telemetry_id: None,
        }
    }
}

setters!(ExistingPasswordResetRequest {
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
    /// Sets the device telemetry id.
    telemetry_id: String,
});

impl Endpoint for ExistingPasswordResetRequest {
    type Response = ExistingPasswordResetResponse;
    const OPERATION: &'static str = "passwords.existing_password.reset";
    const PATH: &'static str = "/v1/b2b/passwords/existing_password/reset";

    fn validate(&self) -> Result<(), ValidationError> {
        require(Self::OPERATION, "email_address", &self.email_address)?;
        require(
            Self::OPERATION,
            "existing_password",
            self.existing_password.expose(),
        )?;
        require(Self::OPERATION, "new_password", self.new_password.expose())?;
        require(Self::OPERATION, "organization_id", &self.organization_id)?;
        check_duration(Self::OPERATION, self.session_duration_minutes)
    }

    missing_login_field! {
        "request_id" => request_id,
        "member_id" => member_id,
        "organization.organization_id" => organization.organization_id,
    }
}

/// Response of `passwords.existing_password.reset`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ExistingPasswordResetResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// The Member's id.
    #[serde(deserialize_with = "nullable")]
    pub member_id: String,
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
    /// A token to finish authentication with a second factor, if one is required.
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
