//! A Member's session, and what a Member must still do before one can be made.

use serde::{Deserialize, Serialize};

use super::AuthenticationFactor;
use crate::de::nullable;
use crate::endpoints::JsonObject;

/// A Member's logged-in session in one Organization.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MemberSession {
    /// The session's id.
    #[serde(deserialize_with = "nullable")]
    pub member_session_id: String,
    /// The Member's id.
    #[serde(deserialize_with = "nullable")]
    pub member_id: String,
    /// When the session began (RFC 3339).
    #[serde(deserialize_with = "nullable")]
    pub started_at: String,
    /// When the session was last used (RFC 3339).
    #[serde(deserialize_with = "nullable")]
    pub last_accessed_at: String,
    /// When the session ends (RFC 3339).
    #[serde(deserialize_with = "nullable")]
    pub expires_at: String,
    /// The factors the Member has completed in this session.
    #[serde(deserialize_with = "nullable")]
    pub authentication_factors: Vec<AuthenticationFactor>,
    /// The Organization's id.
    #[serde(deserialize_with = "nullable")]
    pub organization_id: String,
    /// The role ids the session grants.
    #[serde(deserialize_with = "nullable")]
    pub roles: Vec<String>,
    /// The Organization's URL slug.
    #[serde(deserialize_with = "nullable")]
    pub organization_slug: String,
    /// Custom claims attached to the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_claims: Option<JsonObject>,
}

/// A primary factor the Member must still complete in this Organization before logging in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PrimaryRequired {
    /// The auth methods that would satisfy the requirement, e.g. `magic_link`.
    #[serde(deserialize_with = "nullable")]
    pub allowed_auth_methods: Vec<String>,
}
