//! The language of emails and messages the API sends.

use crate::open_enum::open_enum;

open_enum! {
    /// The language the API writes emails and one-time messages in.
    pub enum Locale {
        /// English.
        En = "en",
        /// Spanish.
        Es = "es",
        /// Brazilian Portuguese.
        PtBr = "pt-br",
        /// French.
        Fr = "fr",
    }
}
