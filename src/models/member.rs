//! A Member of an Organization, with its roles and linked identities.

use serde::{Deserialize, Serialize};

use super::ScimAttributes;
use crate::de::nullable;
use crate::endpoints::JsonObject;

/// A Member: one person's account in one Organization.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Member {
    /// The Organization's id.
    #[serde(deserialize_with = "nullable")]
    pub organization_id: String,
    /// The Member's id.
    #[serde(deserialize_with = "nullable")]
    pub member_id: String,
    /// The Member's email address.
    #[serde(deserialize_with = "nullable")]
    pub email_address: String,
    /// The account status, e.g. `active`, `invited`, `pending` or `deleted`.
    #[serde(deserialize_with = "nullable")]
    pub status: String,
    /// The Member's name.
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    /// The SAML and OIDC connections the Member has logged in with.
    #[serde(deserialize_with = "nullable")]
    pub sso_registrations: Vec<SsoRegistration>,
    /// Whether the Member may log in around the Organization's auth restrictions.
    #[serde(deserialize_with = "nullable")]
    pub is_breakglass: bool,
    /// The id of the Member's password; empty when none is set.
    #[serde(deserialize_with = "nullable")]
    pub member_password_id: String,
    /// The OAuth providers the Member has logged in with.
    #[serde(deserialize_with = "nullable")]
    pub oauth_registrations: Vec<OAuthRegistration>,
    /// Whether the email address has been verified.
    #[serde(deserialize_with = "nullable")]
    pub email_address_verified: bool,
    /// Whether the MFA phone number has been verified.
    #[serde(deserialize_with = "nullable")]
    pub mfa_phone_number_verified: bool,
    /// Whether the Member holds the `stytch_admin` role.
    #[serde(deserialize_with = "nullable")]
    pub is_admin: bool,
    /// The id of the Member's TOTP registration; empty when none.
    #[serde(deserialize_with = "nullable")]
    pub totp_registration_id: String,
    /// Email addresses the Member used to have.
    #[serde(deserialize_with = "nullable")]
    pub retired_email_addresses: Vec<RetiredEmail>,
    /// Whether the Member is locked out for too many failed attempts.
    #[serde(deserialize_with = "nullable")]
    pub is_locked: bool,
    /// Whether the Member must do MFA at every login.
    #[serde(deserialize_with = "nullable")]
    pub mfa_enrolled: bool,
    /// The Member's MFA phone number, in E.164 form.
    #[serde(deserialize_with = "nullable")]
    pub mfa_phone_number: String,
    /// The preferred second factor, e.g. `sms_otp` or `totp`.
    #[serde(deserialize_with = "nullable")]
    pub default_mfa_method: String,
    /// The Member's roles, each with where it comes from.
    #[serde(deserialize_with = "nullable")]
    pub roles: Vec<MemberRole>,
    /// Data only your backend may change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_metadata: Option<JsonObject>,
    /// Data the frontend SDKs may change too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub untrusted_metadata: Option<JsonObject>,
    /// When the Member was created (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When the Member last changed (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// The Member's SCIM provisioning record, if provisioned by SCIM. Boxed: inline it would
    /// be most of a `Member`'s size (900 bytes), which every response carrying one moves around.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scim_registration: Option<Box<ScimRegistration>>,
    /// Your own id for the Member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// When the current lockout began (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock_created_at: Option<String>,
    /// When the current lockout ends (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock_expires_at: Option<String>,
}

/// A role a Member holds, and every reason they hold it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MemberRole {
    /// The role's id, e.g. `stytch_member` or one of your own.
    #[serde(deserialize_with = "nullable")]
    pub role_id: String,
    /// Where the assignment comes from; one role can have several sources.
    #[serde(deserialize_with = "nullable")]
    pub sources: Vec<MemberRoleSource>,
}

/// One reason a Member holds a role.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MemberRoleSource {
    /// The kind of assignment, e.g. `direct_assignment`, `email_assignment`, `sso_connection`,
    /// `sso_connection_group` or `scim_connection_group`.
    #[serde(deserialize_with = "nullable")]
    pub r#type: String,
    /// Details that depend on the kind, e.g. the connection id or group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<JsonObject>,
}

/// A SAML or OIDC connection a Member has logged in with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SsoRegistration {
    /// The connection's id.
    #[serde(deserialize_with = "nullable")]
    pub connection_id: String,
    /// The Member's id at the identity provider.
    #[serde(deserialize_with = "nullable")]
    pub external_id: String,
    /// The registration's id.
    #[serde(deserialize_with = "nullable")]
    pub registration_id: String,
    /// Attributes the identity provider sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sso_attributes: Option<JsonObject>,
}

/// An OAuth provider a Member has logged in with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct OAuthRegistration {
    /// The provider, e.g. `Google` or `Microsoft`.
    #[serde(deserialize_with = "nullable")]
    pub provider_type: String,
    /// The user's id at the provider (its `sub` claim).
    #[serde(deserialize_with = "nullable")]
    pub provider_subject: String,
    /// The registration's id.
    #[serde(deserialize_with = "nullable")]
    pub member_oauth_registration_id: String,
    /// The profile picture URL the provider gave, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_picture_url: Option<String>,
    /// The locale the provider gave, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// An email address a Member no longer uses.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct RetiredEmail {
    /// The email's id.
    #[serde(deserialize_with = "nullable")]
    pub email_id: String,
    /// The retired address.
    #[serde(deserialize_with = "nullable")]
    pub email_address: String,
}

/// How a SCIM connection provisioned a Member.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ScimRegistration {
    /// The SCIM connection's id.
    #[serde(deserialize_with = "nullable")]
    pub connection_id: String,
    /// The registration's id.
    #[serde(deserialize_with = "nullable")]
    pub registration_id: String,
    /// The Member's id at the identity provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// The SCIM user attributes the identity provider sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scim_attributes: Option<ScimAttributes>,
}
