//! What device fingerprinting learned about the device a call came from.

use serde::{Deserialize, Serialize};

use crate::de::nullable;

/// The device a request came from, when a `telemetry_id` was sent and fingerprinting is on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DeviceInfo {
    /// The device's fingerprint id.
    #[serde(deserialize_with = "nullable")]
    pub visitor_id: String,
    /// History of this visitor id for the Member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visitor_id_details: Option<DeviceAttributeDetails>,
    /// The device's IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// History of this IP address for the Member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address_details: Option<DeviceAttributeDetails>,
    /// The city the IP address is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_geo_city: Option<String>,
    /// The region the IP address is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_geo_region: Option<String>,
    /// The country code the IP address is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_geo_country: Option<String>,
    /// History of this country for the Member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_geo_country_details: Option<DeviceAttributeDetails>,
}

/// Whether a device attribute is new for the Member, and when it was seen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DeviceAttributeDetails {
    /// `true` when the value had not been seen for this Member before.
    #[serde(deserialize_with = "nullable")]
    pub is_new: bool,
    /// When the value was first seen (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen_at: Option<String>,
    /// When the value was last seen (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen_at: Option<String>,
}
