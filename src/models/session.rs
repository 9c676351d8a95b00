//! Placeholder, filled in from the schemas.

use serde::{Deserialize, Serialize};

/// Placeholder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MemberSession {}

/// Placeholder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PrimaryRequired {}

/// Placeholder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuthenticationFactor {}
