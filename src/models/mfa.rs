//! What a Member still needs for multi-factor authentication.

use serde::{Deserialize, Serialize};

use crate::de::nullable;

/// The MFA step still to be done, and the Member's ways to do it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MfaRequired {
    /// The second factors the Member has set up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member_options: Option<MemberOptions>,
    /// The second factor already started for the Member (`sms_otp` when a code was texted);
    /// `None` when none was started.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_auth_initiated: Option<String>,
}

/// The second factors a Member has set up.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MemberOptions {
    /// The Member's MFA phone number.
    #[serde(deserialize_with = "nullable")]
    pub mfa_phone_number: String,
    /// The id of the Member's TOTP registration.
    #[serde(deserialize_with = "nullable")]
    pub totp_registration_id: String,
}
