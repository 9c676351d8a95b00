//! Hash types and their parameters, for migrating passwords from another system.

use serde::{Deserialize, Serialize};

use crate::open_enum::open_enum;

open_enum! {
    /// The algorithm a migrated password hash was made with.
    pub enum HashType {
        /// bcrypt, in its `$2a$`/`$2b$`/`$2y$` form.
        Bcrypt = "bcrypt",
        /// MD5 with a prepended/appended salt (see [`Md5Config`]).
        Md5 = "md_5",
        /// Argon2i.
        Argon2i = "argon_2i",
        /// Argon2id.
        Argon2id = "argon_2id",
        /// SHA-1 with a salt (see [`Sha1Config`]).
        Sha1 = "sha_1",
        /// SHA-512 with a salt (see [`Sha512Config`]).
        Sha512 = "sha_512",
        /// scrypt.
        Scrypt = "scrypt",
        /// phpass (WordPress, phpBB).
        Phpass = "phpass",
        /// PBKDF2.
        Pbkdf2 = "pbkdf_2",
    }
}

/// Placeholder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Md5Config {}
/// Placeholder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Argon2Config {}
/// Placeholder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sha1Config {}
/// Placeholder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sha512Config {}
/// Placeholder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScryptConfig {}
/// Placeholder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pbkdf2Config {}
