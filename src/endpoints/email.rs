//! `passwords.email.*`: the emailed reset flow, and forcing a Member to reset.

use serde::{Deserialize, Serialize};

use super::{check_duration, first_empty, missing_login_field, require, setters, JsonObject};
use crate::de::nullable;
use crate::error::{ValidationError, ValidationProblem};
use crate::models::{
    DeviceInfo, Locale, Member, MemberSession, MfaRequired, Organization, PrimaryRequired,
};
use crate::secret::Secret;
use crate::wire::{Endpoint, MemberAuth};

/// Request of `POST /v1/b2b/passwords/email/reset/start`: email the Member a reset link.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EmailResetStartRequest {
    /// The Member's Organization.
    pub organization_id: String,
    /// The Member's email address.
    pub email_address: String,
    /// Where the reset link leads; the project's default if unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_password_redirect_url: Option<String>,
    /// How long the link stays valid, in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_password_expiration_minutes: Option<i32>,
    /// A PKCE code challenge; the reset must then present the matching verifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_challenge: Option<String>,
    /// Where to send a Member who has no password yet to log in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_redirect_url: Option<String>,
    /// Language of the email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// A custom email template for the reset email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_password_template_id: Option<String>,
    /// A custom email template for the verification email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_email_template_id: Option<String>,
}

impl EmailResetStartRequest {
    /// A request with its required fields.
    pub fn new(organization_id: impl Into<String>, email_address: impl Into<String>) -> Self {
        Self {
            organization_id: organization_id.into(),
            email_address: email_address.into(),
            reset_password_redirect_url: None,
            reset_password_expiration_minutes: None,
            code_challenge: None,
            login_redirect_url: None,
            locale: None,
            reset_password_template_id: None,
            verify_email_template_id: None,
        }
    }
}

setters!(EmailResetStartRequest {
    /// Sets where the reset link leads.
    reset_password_redirect_url: String,
    /// Sets the link's lifetime in minutes.
    reset_password_expiration_minutes: i32,
    /// Sets the PKCE code challenge.
    code_challenge: String,
    /// Sets the login redirect URL.
    login_redirect_url: String,
    /// Sets the email's language.
    locale: Locale,
    /// Sets the reset email template.
    reset_password_template_id: String,
    /// Sets the verification email template.
    verify_email_template_id: String,
});

impl Endpoint for EmailResetStartRequest {
    type Response = EmailResetStartResponse;
    const OPERATION: &'static str = "passwords.email.reset_start";
    const PATH: &'static str = "/v1/b2b/passwords/email/reset/start";

    fn validate(&self) -> Result<(), ValidationError> {
        require(Self::OPERATION, "organization_id", &self.organization_id)?;
        require(Self::OPERATION, "email_address", &self.email_address)
    }

    fn missing_field(r: &Self::Response) -> Option<&'static str> {
        first_empty(&[("request_id", &r.request_id), ("member_id", &r.member_id)])
    }
}

/// Response of `passwords.email.reset_start`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EmailResetStartResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// The Member's id.
    #[serde(deserialize_with = "nullable")]
    pub member_id: String,
    /// The id of the Member's email address.
    #[serde(deserialize_with = "nullable")]
    pub member_email_id: String,
    /// The Member.
    #[serde(deserialize_with = "nullable")]
    pub member: Member,
    /// The HTTP status the API reported.
    #[serde(deserialize_with = "nullable")]
    pub status_code: i32,
    /// How many attempts the call made, the one answered included: more than 1 when the
    /// client retried. Set by the client, not part of the JSON (0 on a value made by hand).
    #[serde(skip)]
    pub attempts: u32,
}

/// Request of `POST /v1/b2b/passwords/email/reset`: set a new password with an emailed token.
/// At most one of `session_token` and `session_jwt` may be set.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EmailResetRequest {
    /// The token from the reset link.
    pub password_reset_token: Secret,
    /// The new password.
    pub password: Secret,
    /// An existing session to extend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<Secret>,
    /// Lifetime of the session to create, 5 to 527040 minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_duration_minutes: Option<i32>,
    /// An existing session, as a JWT, to extend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_jwt: Option<Secret>,
    /// The PKCE verifier matching the `code_challenge` of the reset start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_verifier: Option<Secret>,
    /// Custom claims to put in the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_custom_claims: Option<JsonObject>,
    /// Language of any MFA message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// An intermediate session token from an earlier primary factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intermediate_session_token: Option<Secret>,
    /// A device fingerprinting telemetry id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telemetry_id: Option<String>,
}

impl EmailResetRequest {
    /// A request with its required fields.
    pub fn new(password_reset_token: impl Into<Secret>, password: impl Into<Secret>) -> Self {
        Self {
            password_reset_token: password_reset_token.into(),
            password: password.into(),
            session_token: None,
            session_duration_minutes: None,
            session_jwt: None,
            code_verifier: None,
            session_custom_claims: None,
            locale: None,
            intermediate_session_token: None,
            telemetry_id: None,
        }
    }
}

setters!(EmailResetRequest {
    /// Extends an existing session, given by its token.
    session_token: Secret,
    /// Sets the session lifetime in minutes (5 to 527040).
    session_duration_minutes: i32,
    /// Extends an existing session, given by its JWT.
    session_jwt: Secret,
    /// Sets the PKCE code verifier.
    code_verifier: Secret,
    /// Sets custom claims for the session.
    session_custom_claims: JsonObject,
    /// Sets the language of MFA messages.
    locale: Locale,
    /// Completes an earlier primary authentication.
    intermediate_session_token: Secret,
    /// Sets the device telemetry id.
    telemetry_id: String,
});

impl Endpoint for EmailResetRequest {
    type Response = EmailResetResponse;
    const OPERATION: &'static str = "passwords.email.reset";
    const PATH: &'static str = "/v1/b2b/passwords/email/reset";

    fn validate(&self) -> Result<(), ValidationError> {
        require(
            Self::OPERATION,
            "password_reset_token",
            self.password_reset_token.expose(),
        )?;
        require(Self::OPERATION, "password", self.password.expose())?;
        if self.session_token.is_some() && self.session_jwt.is_some() {
            return Err(ValidationError {
                operation: Self::OPERATION,
                field: "session_token",
                problem: ValidationProblem::Conflicts("session_jwt"),
            });
        }
        check_duration(Self::OPERATION, self.session_duration_minutes)
    }

    missing_login_field! {
        "request_id" => request_id,
        "member_id" => member_id,
        "organization_id" => organization_id,
    }
}

/// Response of `passwords.email.reset`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EmailResetResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// The Member's id.
    #[serde(deserialize_with = "nullable")]
    pub member_id: String,
    /// The id of the Member's email address.
    #[serde(deserialize_with = "nullable")]
    pub member_email_id: String,
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

/// Request of `POST /v1/b2b/passwords/email/require_reset`: make a Member reset their password
/// before they can log in with one again.
///
/// To run the call with a Member's permissions rather than the project's, attach their session
/// with [`member_session_token`](Self::member_session_token) or
/// [`member_session_jwt`](Self::member_session_jwt); it travels as a header, not in the body.
/// Setting both is refused before sending (a [`ValidationProblem::Conflicts`] error), like the
/// `session_token` / `session_jwt` pair of the other calls: the API takes one.
///
/// ```
/// use stytch_b2b_passwords::{wire, Config, EmailRequireResetRequest, Error, Secret};
///
/// let config = Config::new("project-test-1", Secret::new("s"), None, None).unwrap();
/// let both = EmailRequireResetRequest::new("ada@example.com")
///     .member_session_token("token")
///     .member_session_jwt("jwt");
/// let err = wire::build_request(&config, &both).unwrap_err();
/// assert!(matches!(err, Error::Validation(v) if v.field == "member_session_token"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EmailRequireResetRequest {
    /// The Member's email address.
    pub email_address: String,
    /// The Member's Organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The Member's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    /// A Member session token to run the call as, sent as the `X-Stytch-Member-Session`
    /// header; never part of the body. At most one of this and `member_session_jwt`.
    #[serde(skip)]
    pub member_session_token: Option<Secret>,
    /// A Member session JWT to run the call as, sent as the `X-Stytch-Member-SessionJWT`
    /// header; never part of the body. At most one of this and `member_session_token`.
    #[serde(skip)]
    pub member_session_jwt: Option<Secret>,
}

impl EmailRequireResetRequest {
    /// A request with its required field.
    pub fn new(email_address: impl Into<String>) -> Self {
        Self {
            email_address: email_address.into(),
            organization_id: None,
            member_id: None,
            member_session_token: None,
            member_session_jwt: None,
        }
    }
}

setters!(EmailRequireResetRequest {
    /// Sets the Organization.
    organization_id: String,
    /// Sets the Member's id.
    member_id: String,
    /// Runs the call as the Member of this session token (`X-Stytch-Member-Session`); not
    /// together with [`member_session_jwt`](Self::member_session_jwt).
    member_session_token: Secret,
    /// Runs the call as the Member of this session JWT (`X-Stytch-Member-SessionJWT`); not
    /// together with [`member_session_token`](Self::member_session_token).
    member_session_jwt: Secret,
});

impl Endpoint for EmailRequireResetRequest {
    type Response = EmailRequireResetResponse;
    const OPERATION: &'static str = "passwords.email.require_reset";
    const PATH: &'static str = "/v1/b2b/passwords/email/require_reset";

    fn validate(&self) -> Result<(), ValidationError> {
        require(Self::OPERATION, "email_address", &self.email_address)?;
        match (&self.member_session_token, &self.member_session_jwt) {
            (Some(_), Some(_)) => Err(ValidationError {
                operation: Self::OPERATION,
                field: "member_session_token",
                problem: ValidationProblem::Conflicts("member_session_jwt"),
            }),
            (Some(token), None) => require(Self::OPERATION, "member_session_token", token.expose()),
            (None, Some(jwt)) => require(Self::OPERATION, "member_session_jwt", jwt.expose()),
            (None, None) => Ok(()),
        }
    }

    fn member_auth(&self) -> Option<MemberAuth<'_>> {
        self.member_session_token
            .as_ref()
            .map(MemberAuth::SessionToken)
            .or_else(|| self.member_session_jwt.as_ref().map(MemberAuth::SessionJwt))
    }

    fn missing_field(r: &Self::Response) -> Option<&'static str> {
        first_empty(&[("request_id", &r.request_id)])
    }
}

/// Response of `passwords.email.require_reset`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EmailRequireResetResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// The HTTP status the API reported.
    #[serde(deserialize_with = "nullable")]
    pub status_code: i32,
    /// The Member's id.
    pub member_id: Option<String>,
    /// The Member.
    pub member: Option<Member>,
    /// The Organization.
    pub organization: Option<Organization>,
    /// How many attempts the call made, the one answered included: more than 1 when the
    /// client retried. Set by the client, not part of the JSON (0 on a value made by hand).
    #[serde(skip)]
    pub attempts: u32,
}
