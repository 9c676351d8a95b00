//! Lenient decoding helpers shared by every response type.

use serde::{Deserialize, Deserializer};

/// Decodes `null` as the type's default, so a server that sends `"name": null` instead of leaving
/// the field out does not fail the whole response.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}
