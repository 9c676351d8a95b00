//! An Organization and the settings it carries.

use serde::{Deserialize, Serialize};

use crate::de::nullable;
use crate::endpoints::JsonObject;

/// An Organization: a tenant with its own Members and authentication settings.
///
/// The policy fields (`sso_jit_provisioning`, `mfa_policy`, ...) are kept as the strings the API
/// sends, e.g. `ALL_ALLOWED`, `RESTRICTED`, `NOT_ALLOWED`, `REQUIRED_FOR_ALL`, `OPTIONAL`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Organization {
    /// The Organization's id.
    #[serde(deserialize_with = "nullable")]
    pub organization_id: String,
    /// The display name.
    #[serde(deserialize_with = "nullable")]
    pub organization_name: String,
    /// The logo's URL.
    #[serde(deserialize_with = "nullable")]
    pub organization_logo_url: String,
    /// The URL slug.
    #[serde(deserialize_with = "nullable")]
    pub organization_slug: String,
    /// Who may be created on first SSO login.
    #[serde(deserialize_with = "nullable")]
    pub sso_jit_provisioning: String,
    /// The connections that may create Members when `sso_jit_provisioning` is `RESTRICTED`.
    #[serde(deserialize_with = "nullable")]
    pub sso_jit_provisioning_allowed_connections: Vec<String>,
    /// The active SAML and OIDC connections.
    #[serde(deserialize_with = "nullable")]
    pub sso_active_connections: Vec<ActiveSsoConnection>,
    /// Email domains allowed for invites and JIT provisioning.
    #[serde(deserialize_with = "nullable")]
    pub email_allowed_domains: Vec<String>,
    /// Who may be created on first email login.
    #[serde(deserialize_with = "nullable")]
    pub email_jit_provisioning: String,
    /// Who may be invited by email.
    #[serde(deserialize_with = "nullable")]
    pub email_invites: String,
    /// Whether login methods are restricted.
    #[serde(deserialize_with = "nullable")]
    pub auth_methods: String,
    /// The login methods allowed when `auth_methods` is `RESTRICTED`.
    #[serde(deserialize_with = "nullable")]
    pub allowed_auth_methods: Vec<String>,
    /// Whether every Member must do MFA.
    #[serde(deserialize_with = "nullable")]
    pub mfa_policy: String,
    /// Roles granted to Members by their email domain.
    #[serde(deserialize_with = "nullable")]
    pub rbac_email_implicit_role_assignments: Vec<EmailImplicitRoleAssignment>,
    /// Whether second factors are restricted.
    #[serde(deserialize_with = "nullable")]
    pub mfa_methods: String,
    /// The second factors allowed when `mfa_methods` is `RESTRICTED`.
    #[serde(deserialize_with = "nullable")]
    pub allowed_mfa_methods: Vec<String>,
    /// Who may be created on first login through an OAuth tenant.
    #[serde(deserialize_with = "nullable")]
    pub oauth_tenant_jit_provisioning: String,
    /// Email domains the Organization has claimed.
    #[serde(deserialize_with = "nullable")]
    pub claimed_email_domains: Vec<String>,
    /// The policy for first-party Connected Apps.
    #[serde(deserialize_with = "nullable")]
    pub first_party_connected_apps_allowed_type: String,
    /// First-party Connected Apps allowed under a restricted policy.
    #[serde(deserialize_with = "nullable")]
    pub allowed_first_party_connected_apps: Vec<String>,
    /// The policy for third-party Connected Apps.
    #[serde(deserialize_with = "nullable")]
    pub third_party_connected_apps_allowed_type: String,
    /// Third-party Connected Apps allowed under a restricted policy.
    #[serde(deserialize_with = "nullable")]
    pub allowed_third_party_connected_apps: Vec<String>,
    /// Roles defined for this Organization only.
    #[serde(deserialize_with = "nullable")]
    pub custom_roles: Vec<CustomRole>,
    /// Data only your backend may change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_metadata: Option<JsonObject>,
    /// When the Organization was created (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When the Organization last changed (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Your own id for the Organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_external_id: Option<String>,
    /// The SSO connection used when several are active.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sso_default_connection_id: Option<String>,
    /// The active SCIM connection, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scim_active_connection: Option<ActiveScimConnection>,
    /// OAuth tenants allowed to JIT provision, keyed by provider (`slack`, `hubspot`, `github`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_oauth_tenants: Option<JsonObject>,
}

/// An active SAML or OIDC connection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ActiveSsoConnection {
    /// The connection's id.
    #[serde(deserialize_with = "nullable")]
    pub connection_id: String,
    /// The connection's display name.
    #[serde(deserialize_with = "nullable")]
    pub display_name: String,
    /// The identity provider, e.g. `okta` or `microsoft-entra`.
    #[serde(deserialize_with = "nullable")]
    pub identity_provider: String,
}

/// The active SCIM connection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ActiveScimConnection {
    /// The connection's id.
    #[serde(deserialize_with = "nullable")]
    pub connection_id: String,
    /// The connection's display name.
    #[serde(deserialize_with = "nullable")]
    pub display_name: String,
    /// The last four characters of the connection's bearer token (not the token itself).
    #[serde(deserialize_with = "nullable")]
    pub bearer_token_last_four: String,
    /// When the bearer token expires (RFC 3339), if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bearer_token_expires_at: Option<String>,
}

/// A role defined for one Organization.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CustomRole {
    /// The role's id.
    #[serde(deserialize_with = "nullable")]
    pub role_id: String,
    /// What the role is for.
    #[serde(deserialize_with = "nullable")]
    pub description: String,
    /// What the role may do.
    #[serde(deserialize_with = "nullable")]
    pub permissions: Vec<CustomRolePermission>,
}

/// The actions a custom role may take on one resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CustomRolePermission {
    /// The resource's id.
    #[serde(deserialize_with = "nullable")]
    pub resource_id: String,
    /// The allowed actions, e.g. `read` or `*`.
    #[serde(deserialize_with = "nullable")]
    pub actions: Vec<String>,
}

/// A role every Member with an email in a domain gets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct EmailImplicitRoleAssignment {
    /// The email domain.
    #[serde(deserialize_with = "nullable")]
    pub domain: String,
    /// The role granted.
    #[serde(deserialize_with = "nullable")]
    pub role_id: String,
}
