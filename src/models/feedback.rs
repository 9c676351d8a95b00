//! How to make a password stronger, under each strength policy.

use serde::{Deserialize, Serialize};

use crate::de::nullable;

/// Feedback under the LUDS policy (lowercase, uppercase, digits, symbols, length).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct LudsFeedback {
    /// Whether the password has a lowercase letter.
    #[serde(deserialize_with = "nullable")]
    pub has_lower_case: bool,
    /// Whether the password has an uppercase letter.
    #[serde(deserialize_with = "nullable")]
    pub has_upper_case: bool,
    /// Whether the password has a digit.
    #[serde(deserialize_with = "nullable")]
    pub has_digit: bool,
    /// Whether the password has a symbol (anything outside a-z, A-Z, 0-9).
    #[serde(deserialize_with = "nullable")]
    pub has_symbol: bool,
    /// How many character-class requirements are still unmet.
    #[serde(deserialize_with = "nullable")]
    pub missing_complexity: i32,
    /// How many more characters the password needs to reach the minimum length.
    #[serde(deserialize_with = "nullable")]
    pub missing_characters: i32,
}

/// Feedback under the zxcvbn policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ZxcvbnFeedback {
    /// A warning to show the user; may be empty.
    #[serde(deserialize_with = "nullable")]
    pub warning: String,
    /// Suggestions to show the user.
    #[serde(deserialize_with = "nullable")]
    pub suggestions: Vec<String>,
}
