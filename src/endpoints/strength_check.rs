//! `passwords.strength_check`: score a password against the project's policy.

use serde::{Deserialize, Serialize};

use super::{first_empty, require, setters};
use crate::de::nullable;
use crate::error::ValidationError;
use crate::models::{LudsFeedback, ZxcvbnFeedback};
use crate::secret::Secret;
use crate::wire::Endpoint;

/// Request of `POST /v1/b2b/passwords/strength_check`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StrengthCheckRequest {
    /// The password to score.
    pub password: Secret,
    /// The Member's email, so a password built from it scores lower.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
}

impl StrengthCheckRequest {
    /// A request with its one required field.
    pub fn new(password: impl Into<Secret>) -> Self {
        Self {
            password: password.into(),
            email_address: None,
        }
    }
}

setters!(StrengthCheckRequest {
    /// Sets the Member's email address.
    email_address: String,
});

impl Endpoint for StrengthCheckRequest {
    type Response = StrengthCheckResponse;
    const OPERATION: &'static str = "passwords.strength_check";
    const PATH: &'static str = "/v1/b2b/passwords/strength_check";
    // It scores a password and changes nothing: safe to send twice.
    const READ_ONLY: bool = true;

    fn validate(&self) -> Result<(), ValidationError> {
        require(Self::OPERATION, "password", self.password.expose())
    }

    fn missing_field(r: &Self::Response) -> Option<&'static str> {
        first_empty(&[("request_id", &r.request_id)])
    }
}

/// Response of `passwords.strength_check`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct StrengthCheckResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// Whether the password passes the project's policy.
    #[serde(deserialize_with = "nullable")]
    pub valid_password: bool,
    /// The zxcvbn score, 0 to 4.
    #[serde(deserialize_with = "nullable")]
    pub score: i32,
    /// Whether the password appears in a breach corpus.
    #[serde(deserialize_with = "nullable")]
    pub breached_password: bool,
    /// The policy in force: `zxcvbn` or `luds`.
    #[serde(deserialize_with = "nullable")]
    pub strength_policy: String,
    /// Whether breached passwords are refused when a password is set.
    #[serde(deserialize_with = "nullable")]
    pub breach_detection_on_create: bool,
    /// The HTTP status the API reported.
    #[serde(deserialize_with = "nullable")]
    pub status_code: i32,
    /// Feedback under the LUDS policy.
    pub luds_feedback: Option<LudsFeedback>,
    /// Feedback under the zxcvbn policy.
    pub zxcvbn_feedback: Option<ZxcvbnFeedback>,
    /// How many attempts the call made, the one answered included: more than 1 when the
    /// client retried. Set by the client, not part of the JSON (0 on a value made by hand).
    #[serde(skip)]
    pub attempts: u32,
}
