//! Placeholder, filled in from the schemas.

use serde::{Deserialize, Serialize};

/// Placeholder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeviceInfo {}
