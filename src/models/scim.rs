//! The SCIM user attributes an identity provider sent for a Member.

use serde::{Deserialize, Serialize};

use crate::de::nullable;

/// A SCIM user record, as the identity provider sent it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ScimAttributes {
    /// The user name at the identity provider.
    #[serde(deserialize_with = "nullable")]
    pub user_name: String,
    /// The SCIM resource id.
    #[serde(deserialize_with = "nullable")]
    pub id: String,
    /// The identity provider's own id for the user.
    #[serde(deserialize_with = "nullable")]
    pub external_id: String,
    /// Whether the user is active.
    #[serde(deserialize_with = "nullable")]
    pub active: bool,
    /// The groups the user belongs to.
    #[serde(deserialize_with = "nullable")]
    pub groups: Vec<ScimGroup>,
    /// The name to display.
    #[serde(deserialize_with = "nullable")]
    pub display_name: String,
    /// A casual name.
    #[serde(deserialize_with = "nullable")]
    pub nick_name: String,
    /// A URL of the user's profile.
    #[serde(deserialize_with = "nullable")]
    pub profile_url: String,
    /// The kind of user, e.g. `Employee`.
    #[serde(deserialize_with = "nullable")]
    pub user_type: String,
    /// The job title.
    #[serde(deserialize_with = "nullable")]
    pub title: String,
    /// The preferred language, e.g. `en-US`.
    #[serde(deserialize_with = "nullable")]
    pub preferred_language: String,
    /// The locale, e.g. `en-US`.
    #[serde(deserialize_with = "nullable")]
    pub locale: String,
    /// The time zone, e.g. `America/Los_Angeles`.
    #[serde(deserialize_with = "nullable")]
    pub timezone: String,
    /// Email addresses.
    #[serde(deserialize_with = "nullable")]
    pub emails: Vec<ScimEmail>,
    /// Phone numbers.
    #[serde(deserialize_with = "nullable")]
    pub phone_numbers: Vec<ScimPhoneNumber>,
    /// Postal addresses.
    #[serde(deserialize_with = "nullable")]
    pub addresses: Vec<ScimAddress>,
    /// Instant messaging handles.
    #[serde(deserialize_with = "nullable")]
    pub ims: Vec<ScimIm>,
    /// Photo URLs.
    #[serde(deserialize_with = "nullable")]
    pub photos: Vec<ScimPhoto>,
    /// Entitlements.
    #[serde(deserialize_with = "nullable")]
    pub entitlements: Vec<ScimEntitlement>,
    /// Roles at the identity provider.
    #[serde(deserialize_with = "nullable")]
    pub roles: Vec<ScimRole>,
    /// Certificates.
    #[serde(deserialize_with = "nullable")]
    pub x509certificates: Vec<ScimX509Certificate>,
    /// The user's name in parts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<ScimName>,
    /// The enterprise user extension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enterprise_extension: Option<ScimEnterpriseExtension>,
}

/// A group a SCIM user belongs to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ScimGroup {
    /// The group's id.
    #[serde(deserialize_with = "nullable")]
    pub value: String,
    /// The group's display name.
    #[serde(deserialize_with = "nullable")]
    pub display: String,
}

/// A SCIM user's name in parts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ScimName {
    /// The full name as displayed.
    #[serde(deserialize_with = "nullable")]
    pub formatted: String,
    /// The family (last) name.
    #[serde(deserialize_with = "nullable")]
    pub family_name: String,
    /// The given (first) name.
    #[serde(deserialize_with = "nullable")]
    pub given_name: String,
    /// The middle name.
    #[serde(deserialize_with = "nullable")]
    pub middle_name: String,
    /// A title before the name, e.g. `Dr.`.
    #[serde(deserialize_with = "nullable")]
    pub honorific_prefix: String,
    /// A suffix after the name, e.g. `Jr.`.
    #[serde(deserialize_with = "nullable")]
    pub honorific_suffix: String,
}

/// A SCIM user's postal address.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ScimAddress {
    /// The whole address as displayed.
    #[serde(deserialize_with = "nullable")]
    pub formatted: String,
    /// Street and number.
    #[serde(deserialize_with = "nullable")]
    pub street_address: String,
    /// City.
    #[serde(deserialize_with = "nullable")]
    pub locality: String,
    /// State or region.
    #[serde(deserialize_with = "nullable")]
    pub region: String,
    /// Postal code.
    #[serde(deserialize_with = "nullable")]
    pub postal_code: String,
    /// Country.
    #[serde(deserialize_with = "nullable")]
    pub country: String,
    /// A label, e.g. `work`.
    #[serde(deserialize_with = "nullable")]
    pub r#type: String,
    /// Whether this is the primary address.
    #[serde(deserialize_with = "nullable")]
    pub primary: bool,
}

/// The SCIM enterprise user extension.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ScimEnterpriseExtension {
    /// The employee number.
    #[serde(deserialize_with = "nullable")]
    pub employee_number: String,
    /// The cost center.
    #[serde(deserialize_with = "nullable")]
    pub cost_center: String,
    /// The division.
    #[serde(deserialize_with = "nullable")]
    pub division: String,
    /// The department.
    #[serde(deserialize_with = "nullable")]
    pub department: String,
    /// The organization name.
    #[serde(deserialize_with = "nullable")]
    pub organization: String,
    /// The user's manager, if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<ScimManager>,
}

/// A SCIM user's manager.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ScimManager {
    /// The manager's id.
    #[serde(deserialize_with = "nullable")]
    pub value: String,
    /// A URI of the manager's SCIM resource.
    #[serde(deserialize_with = "nullable")]
    pub r#ref: String,
    /// The manager's display name.
    #[serde(deserialize_with = "nullable")]
    pub display_name: String,
}

/// Declares a SCIM multi-valued attribute entry: a value, a label and a primary flag.
macro_rules! scim_multi_value {
    ($(#[$meta:meta])* $name:ident, $value_doc:literal) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        #[non_exhaustive]
        pub struct $name {
            #[doc = $value_doc]
            #[serde(deserialize_with = "nullable")]
            pub value: String,
            /// A label, e.g. `work` or `home`.
            #[serde(deserialize_with = "nullable")]
            pub r#type: String,
            /// Whether this is the primary entry of its kind.
            #[serde(deserialize_with = "nullable")]
            pub primary: bool,
        }
    };
}

scim_multi_value!(
    /// A SCIM user's email address.
    ScimEmail,
    "The email address."
);
scim_multi_value!(
    /// A SCIM user's phone number.
    ScimPhoneNumber,
    "The phone number."
);
scim_multi_value!(
    /// A SCIM user's instant messaging handle.
    ScimIm,
    "The handle."
);
scim_multi_value!(
    /// A SCIM user's photo.
    ScimPhoto,
    "The photo's URL."
);
scim_multi_value!(
    /// A SCIM user's entitlement.
    ScimEntitlement,
    "The entitlement."
);
scim_multi_value!(
    /// A SCIM user's role at the identity provider.
    ScimRole,
    "The role."
);
scim_multi_value!(
    /// A SCIM user's X.509 certificate.
    ScimX509Certificate,
    "The certificate, base64 DER."
);
