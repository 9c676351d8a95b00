//! Organizations found for an email address before one is chosen.

use serde::{Deserialize, Serialize};

use super::{Member, MfaRequired, Organization, PrimaryRequired};
use crate::de::nullable;
use crate::endpoints::JsonObject;

/// An Organization the email address can log in to or join.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DiscoveredOrganization {
    /// Whether the Member already has every factor this Organization needs.
    #[serde(deserialize_with = "nullable")]
    pub member_authenticated: bool,
    /// The Organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
    /// How the email address relates to the Organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub membership: Option<Membership>,
    /// A primary factor still needed for this Organization, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_required: Option<PrimaryRequired>,
    /// An MFA step still needed for this Organization, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_required: Option<MfaRequired>,
}

/// How an email address relates to a discovered Organization.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Membership {
    /// The relation, e.g. `active_member`, `invited_member` or `eligible_to_join_by_email_domain`.
    #[serde(deserialize_with = "nullable")]
    pub r#type: String,
    /// Extra facts about the relation, when the API has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<JsonObject>,
    /// The Member, when one already exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<Member>,
}
