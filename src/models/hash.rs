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

/// Salts for an `md_5` hash: the stored hash is MD5 of `prepend_salt + password + append_salt`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Md5Config {
    /// Salt put before the password; may be empty.
    pub prepend_salt: String,
    /// Salt put after the password; may be empty.
    pub append_salt: String,
}

impl Md5Config {
    /// A configuration with both salts (pass `""` for one that was not used).
    pub fn new(prepend_salt: impl Into<String>, append_salt: impl Into<String>) -> Self {
        Self {
            prepend_salt: prepend_salt.into(),
            append_salt: append_salt.into(),
        }
    }
}

/// Parameters of a raw `argon_2i`/`argon_2id` hash (not needed for a PHC-format hash string).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Argon2Config {
    /// The salt.
    pub salt: String,
    /// The number of iterations (time cost).
    pub iteration_amount: i32,
    /// The memory cost, in KiB.
    pub memory: i32,
    /// The parallelism (number of threads).
    pub threads: i32,
    /// The output length in bytes.
    pub key_length: i32,
}

impl Argon2Config {
    /// A configuration with every parameter.
    pub fn new(
        salt: impl Into<String>,
        iteration_amount: i32,
        memory: i32,
        threads: i32,
        key_length: i32,
    ) -> Self {
        Self {
            salt: salt.into(),
            iteration_amount,
            memory,
            threads,
            key_length,
        }
    }
}

/// Salts for a `sha_1` hash: the stored hash is SHA-1 of `prepend_salt + password + append_salt`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sha1Config {
    /// Salt put before the password; may be empty.
    pub prepend_salt: String,
    /// Salt put after the password; may be empty.
    pub append_salt: String,
}

impl Sha1Config {
    /// A configuration with both salts (pass `""` for one that was not used).
    pub fn new(prepend_salt: impl Into<String>, append_salt: impl Into<String>) -> Self {
        Self {
            prepend_salt: prepend_salt.into(),
            append_salt: append_salt.into(),
        }
    }
}

/// Salts for a `sha_512` hash: the stored hash is SHA-512 of
/// `prepend_salt + password + append_salt`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sha512Config {
    /// Salt put before the password; may be empty.
    pub prepend_salt: String,
    /// Salt put after the password; may be empty.
    pub append_salt: String,
}

impl Sha512Config {
    /// A configuration with both salts (pass `""` for one that was not used).
    pub fn new(prepend_salt: impl Into<String>, append_salt: impl Into<String>) -> Self {
        Self {
            prepend_salt: prepend_salt.into(),
            append_salt: append_salt.into(),
        }
    }
}

/// Parameters of a raw `scrypt` hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScryptConfig {
    /// The salt, base64-encoded.
    pub salt: String,
    /// N, the CPU/memory cost: a power of two.
    pub n_parameter: i32,
    /// r, the block size.
    pub r_parameter: i32,
    /// p, the parallelism.
    pub p_parameter: i32,
    /// The output length in bytes.
    pub key_length: i32,
}

impl ScryptConfig {
    /// A configuration with every parameter.
    pub fn new(
        salt: impl Into<String>,
        n_parameter: i32,
        r_parameter: i32,
        p_parameter: i32,
        key_length: i32,
    ) -> Self {
        Self {
            salt: salt.into(),
            n_parameter,
            r_parameter,
            p_parameter,
            key_length,
        }
    }
}

/// Parameters of a `pbkdf_2` hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Pbkdf2Config {
    /// The salt, base64-encoded.
    pub salt: String,
    /// The number of iterations.
    pub iteration_amount: i32,
    /// The output length in bytes.
    pub key_length: i32,
    /// The HMAC digest: `sha256` or `sha512`.
    pub algorithm: String,
}

impl Pbkdf2Config {
    /// A configuration with every parameter.
    pub fn new(
        salt: impl Into<String>,
        iteration_amount: i32,
        key_length: i32,
        algorithm: impl Into<String>,
    ) -> Self {
        Self {
            salt: salt.into(),
            iteration_amount,
            key_length,
            algorithm: algorithm.into(),
        }
    }
}
