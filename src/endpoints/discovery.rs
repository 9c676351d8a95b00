//! `passwords.discovery.*`: log in or reset by email alone, before an Organization is chosen.

use serde::{Deserialize, Serialize};

use super::{first_empty, require, setters};
use crate::de::nullable;
use crate::error::ValidationError;
use crate::models::{DiscoveredOrganization, Locale};
use crate::secret::Secret;
use crate::wire::Endpoint;

/// The [`Endpoint::missing_field`] of both discovery calls that authenticate an email: who (the
/// address) and what to continue with (the intermediate session token).
macro_rules! missing_discovery_field {
    () => {
        fn missing_field(r: &Self::Response) -> Option<&'static str> {
            first_empty(&[
                ("request_id", &r.request_id),
                ("email_address", &r.email_address),
                (
                    "intermediate_session_token",
                    r.intermediate_session_token.expose(),
                ),
            ])
        }
    };
}

/// Request of `POST /v1/b2b/passwords/discovery/authenticate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DiscoveryAuthenticateRequest {
    /// The email address.
    pub email_address: String,
    /// The password.
    pub password: Secret,
}

impl DiscoveryAuthenticateRequest {
    /// A request with its required fields.
    pub fn new(email_address: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            email_address: email_address.into(),
            password: password.into(),
        }
    }
}

impl Endpoint for DiscoveryAuthenticateRequest {
    type Response = DiscoveryAuthenticateResponse;
    const OPERATION: &'static str = "passwords.discovery.authenticate";
    const PATH: &'static str = "/v1/b2b/passwords/discovery/authenticate";

    fn validate(&self) -> Result<(), ValidationError> {
        require(Self::OPERATION, "email_address", &self.email_address)?;
        require(Self::OPERATION, "password", self.password.expose())
    }

    missing_discovery_field!();
}

/// Response of `passwords.discovery.authenticate`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DiscoveryAuthenticateResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// The email address that authenticated.
    #[serde(deserialize_with = "nullable")]
    pub email_address: String,
    /// A token to exchange for a session in one of the discovered Organizations.
    pub intermediate_session_token: Secret,
    /// The Organizations this email can log in to or join.
    #[serde(deserialize_with = "nullable")]
    pub discovered_organizations: Vec<DiscoveredOrganization>,
    /// The HTTP status the API reported.
    #[serde(deserialize_with = "nullable")]
    pub status_code: i32,
    /// How many attempts the call made, the one answered included: more than 1 when the
    /// client retried. Set by the client, not part of the JSON (0 on a value made by hand).
    #[serde(skip)]
    pub attempts: u32,
}

/// Request of `POST /v1/b2b/passwords/discovery/email/reset/start`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DiscoveryEmailResetStartRequest {
    /// The email address.
    pub email_address: String,
    /// Where the reset link leads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_password_redirect_url: Option<String>,
    /// Where to send the Member after discovery.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery_redirect_url: Option<String>,
    /// A custom email template for the reset email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_password_template_id: Option<String>,
    /// How long the link stays valid, in minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reset_password_expiration_minutes: Option<i32>,
    /// A PKCE code challenge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pkce_code_challenge: Option<String>,
    /// Language of the email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// A custom email template for the verification email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_email_template_id: Option<String>,
}

impl DiscoveryEmailResetStartRequest {
    /// A request with its required field.
    pub fn new(email_address: impl Into<String>) -> Self {
        Self {
            email_address: email_address.into(),
            reset_password_redirect_url: None,
            discovery_redirect_url: None,
            reset_password_template_id: None,
            reset_password_expiration_minutes: None,
            pkce_code_challenge: None,
            locale: None,
            verify_email_template_id: None,
        }
    }
}

setters!(DiscoveryEmailResetStartRequest {
    /// Sets where the reset link leads.
    reset_password_redirect_url: String,
    /// Sets where to go after discovery.
    discovery_redirect_url: String,
    /// Sets the reset email template.
    reset_password_template_id: String,
    /// Sets the link's lifetime in minutes.
    reset_password_expiration_minutes: i32,
    /// Sets the PKCE code challenge.
    pkce_code_challenge: String,
    /// Sets the email's language.
    locale: Locale,
    /// Sets the verification email template.
    verify_email_template_id: String,
});

impl Endpoint for DiscoveryEmailResetStartRequest {
    type Response = DiscoveryEmailResetStartResponse;
    const OPERATION: &'static str = "passwords.discovery.email.reset_start";
    const PATH: &'static str = "/v1/b2b/passwords/discovery/email/reset/start";

    fn validate(&self) -> Result<(), ValidationError> {
        require(Self::OPERATION, "email_address", &self.email_address)
    }

    fn missing_field(r: &Self::Response) -> Option<&'static str> {
        first_empty(&[("request_id", &r.request_id)])
    }
}

/// Response of `passwords.discovery.email.reset_start`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DiscoveryEmailResetStartResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// The HTTP status the API reported.
    #[serde(deserialize_with = "nullable")]
    pub status_code: i32,
    /// How many attempts the call made, the one answered included: more than 1 when the
    /// client retried. Set by the client, not part of the JSON (0 on a value made by hand).
    #[serde(skip)]
    pub attempts: u32,
}

/// Request of `POST /v1/b2b/passwords/discovery/email/reset`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DiscoveryEmailResetRequest {
    /// The token from the reset link.
    pub password_reset_token: Secret,
    /// The new password.
    pub password: Secret,
    /// The PKCE verifier matching the reset start's challenge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pkce_code_verifier: Option<Secret>,
}

impl DiscoveryEmailResetRequest {
    /// A request with its required fields.
    pub fn new(password_reset_token: impl Into<Secret>, password: impl Into<Secret>) -> Self {
        Self {
            password_reset_token: password_reset_token.into(),
            password: password.into(),
            pkce_code_verifier: None,
        }
    }
}

setters!(DiscoveryEmailResetRequest {
    /// Sets the PKCE code verifier.
    pkce_code_verifier: Secret,
});

impl Endpoint for DiscoveryEmailResetRequest {
    type Response = DiscoveryEmailResetResponse;
    const OPERATION: &'static str = "passwords.discovery.email.reset";
    const PATH: &'static str = "/v1/b2b/passwords/discovery/email/reset";

    fn validate(&self) -> Result<(), ValidationError> {
        require(
            Self::OPERATION,
            "password_reset_token",
            self.password_reset_token.expose(),
        )?;
        require(Self::OPERATION, "password", self.password.expose())
    }

    missing_discovery_field!();
}

/// Response of `passwords.discovery.email.reset`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DiscoveryEmailResetResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// A token to exchange for a session in one of the discovered Organizations.
    pub intermediate_session_token: Secret,
    /// The email address whose password was reset.
    #[serde(deserialize_with = "nullable")]
    pub email_address: String,
    /// The Organizations this email can log in to or join.
    #[serde(deserialize_with = "nullable")]
    pub discovered_organizations: Vec<DiscoveredOrganization>,
    /// The HTTP status the API reported.
    #[serde(deserialize_with = "nullable")]
    pub status_code: i32,
    /// How many attempts the call made, the one answered included: more than 1 when the
    /// client retried. Set by the client, not part of the JSON (0 on a value made by hand).
    #[serde(skip)]
    pub attempts: u32,
}
