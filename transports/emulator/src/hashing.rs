//! Password hashes: the ones `migrate` accepts, verified with the real algorithms, and the ones
//! the emulator makes itself for passwords it sets.
//!
//! Every algorithm comes from a RustCrypto crate (`bcrypt`, `argon2`, `scrypt`, `pbkdf2`, `md-5`,
//! `sha1`, `sha2`). phpass has no maintained crate (the `phpass` crate pins 2020-era `md5`,
//! `base64` and `rand`), so its small loop of MD5 rounds and its custom base64 alphabet are
//! written here on top of `md-5`.

use argon2::password_hash::{PasswordHash, PasswordVerifier, SaltString};
use argon2::PasswordHasher as _;
use md5::Md5;
use rand::RngCore as _;
use serde::Deserialize;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use crate::error::{ApiFailure, ApiResult};
use crate::seed::{JsonObject, PasswordHashSeed, PasswordHashing};
use crate::util::{b64_any, ct_eq, unhex};

/// A stored password hash and everything needed to verify a password against it.
pub(crate) enum StoredHash {
    /// `$2a$`/`$2b$`/`$2y$` bcrypt.
    Bcrypt(String),
    /// An Argon2 hash in PHC form (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`).
    Argon2Phc(String),
    /// A raw Argon2 hash with its parameters.
    Argon2Raw {
        algorithm: argon2::Algorithm,
        hash: Vec<u8>,
        salt: Vec<u8>,
        params: argon2::Params,
    },
    /// A scrypt hash in PHC form (`$scrypt$ln=...,r=...,p=...$salt$hash`).
    ScryptPhc(String),
    /// A raw scrypt hash with its parameters.
    ScryptRaw {
        hash: Vec<u8>,
        salt: Vec<u8>,
        params: scrypt::Params,
    },
    /// PBKDF2-HMAC.
    Pbkdf2 {
        hash: Vec<u8>,
        salt: Vec<u8>,
        iterations: u32,
        sha512: bool,
    },
    /// A salted MD5, SHA-1 or SHA-512 digest.
    SaltedDigest {
        algorithm: DigestAlgorithm,
        hash: Vec<u8>,
        prepend: String,
        append: String,
    },
    /// phpass (`$P$` or `$H$`).
    Phpass(String),
}

/// The plain digests `migrate` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DigestAlgorithm {
    Md5,
    Sha1,
    Sha512,
}

impl DigestAlgorithm {
    fn digest(self, input: &[u8]) -> Vec<u8> {
        match self {
            DigestAlgorithm::Md5 => Md5::digest(input).to_vec(),
            DigestAlgorithm::Sha1 => Sha1::digest(input).to_vec(),
            DigestAlgorithm::Sha512 => Sha512::digest(input).to_vec(),
        }
    }

    fn len(self) -> usize {
        match self {
            DigestAlgorithm::Md5 => 16,
            DigestAlgorithm::Sha1 => 20,
            DigestAlgorithm::Sha512 => 64,
        }
    }
}

impl StoredHash {
    /// Whether `password` matches. Never panics, whatever was stored.
    pub(crate) fn verify(&self, password: &str) -> bool {
        let pw = password.as_bytes();
        match self {
            StoredHash::Bcrypt(hash) => bcrypt::verify(pw, hash).unwrap_or(false),
            StoredHash::Argon2Phc(phc) => PasswordHash::new(phc)
                .map(|parsed| {
                    argon2::Argon2::default()
                        .verify_password(pw, &parsed)
                        .is_ok()
                })
                .unwrap_or(false),
            StoredHash::Argon2Raw {
                algorithm,
                hash,
                salt,
                params,
            } => {
                let argon = argon2::Argon2::new(*algorithm, argon2::Version::V0x13, params.clone());
                let mut out = vec![0u8; hash.len()];
                argon.hash_password_into(pw, salt, &mut out).is_ok() && ct_eq(&out, hash)
            }
            StoredHash::ScryptPhc(phc) => PasswordHash::new(phc)
                .map(|parsed| scrypt::Scrypt.verify_password(pw, &parsed).is_ok())
                .unwrap_or(false),
            StoredHash::ScryptRaw { hash, salt, params } => {
                let mut out = vec![0u8; hash.len()];
                scrypt::scrypt(pw, salt, params, &mut out).is_ok() && ct_eq(&out, hash)
            }
            StoredHash::Pbkdf2 {
                hash,
                salt,
                iterations,
                sha512,
            } => {
                let mut out = vec![0u8; hash.len()];
                if *sha512 {
                    pbkdf2::pbkdf2_hmac::<Sha512>(pw, salt, *iterations, &mut out);
                } else {
                    pbkdf2::pbkdf2_hmac::<Sha256>(pw, salt, *iterations, &mut out);
                }
                ct_eq(&out, hash)
            }
            StoredHash::SaltedDigest {
                algorithm,
                hash,
                prepend,
                append,
            } => {
                let input = [prepend.as_bytes(), pw, append.as_bytes()].concat();
                ct_eq(&algorithm.digest(&input), hash)
            }
            StoredHash::Phpass(stored) => phpass_verify(pw, stored),
        }
    }
}

/// Hashes a password the emulator sets itself (seed, reset), with the configured cost.
pub(crate) fn hash_password(password: &str, how: &PasswordHashing) -> ApiResult<StoredHash> {
    match how {
        PasswordHashing::Bcrypt { cost } => bcrypt::hash(password, *cost)
            .map(StoredHash::Bcrypt)
            .map_err(|e| ApiFailure::internal(format!("bcrypt hashing failed: {e}"))),
        PasswordHashing::Argon2id {
            memory_kib,
            iterations,
            parallelism,
        } => {
            let params = argon2::Params::new(*memory_kib, *iterations, *parallelism, None)
                .map_err(|e| ApiFailure::internal(format!("bad argon2 parameters: {e}")))?;
            let argon =
                argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
            let mut salt = [0u8; 16];
            rand::thread_rng().fill_bytes(&mut salt);
            let salt = SaltString::encode_b64(&salt)
                .map_err(|e| ApiFailure::internal(format!("argon2 salt: {e}")))?;
            argon
                .hash_password(password.as_bytes(), &salt)
                .map(|h| StoredHash::Argon2Phc(h.to_string()))
                .map_err(|e| ApiFailure::internal(format!("argon2 hashing failed: {e}")))
        }
    }
}

/// `md_5_config`, `sha_1_config`, `sha_512_config`.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct SaltConfig {
    #[serde(default)]
    pub(crate) prepend_salt: String,
    #[serde(default)]
    pub(crate) append_salt: String,
}

/// `argon_2_config`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Argon2Config {
    pub(crate) salt: String,
    pub(crate) iteration_amount: i64,
    pub(crate) memory: i64,
    pub(crate) threads: i64,
    pub(crate) key_length: i64,
}

/// `scrypt_config`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct ScryptConfig {
    pub(crate) salt: String,
    pub(crate) n_parameter: i64,
    pub(crate) r_parameter: i64,
    pub(crate) p_parameter: i64,
    pub(crate) key_length: i64,
}

/// `pbkdf_2_config`.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct Pbkdf2Config {
    pub(crate) salt: String,
    pub(crate) iteration_amount: i64,
    pub(crate) key_length: i64,
    #[serde(default)]
    pub(crate) algorithm: String,
}

/// The hash fields of a `migrate` request.
pub(crate) struct MigrateHash<'a> {
    pub(crate) hash_type: &'a str,
    pub(crate) hash: &'a str,
    pub(crate) md_5_config: Option<&'a SaltConfig>,
    pub(crate) sha_1_config: Option<&'a SaltConfig>,
    pub(crate) sha_512_config: Option<&'a SaltConfig>,
    pub(crate) argon_2_config: Option<&'a Argon2Config>,
    pub(crate) scrypt_config: Option<&'a ScryptConfig>,
    pub(crate) pbkdf_2_config: Option<&'a Pbkdf2Config>,
}

/// A seeded [`PasswordHashSeed`] checked and stored as `migrate` would.
pub(crate) fn parse_seeded(seed: &PasswordHashSeed) -> ApiResult<StoredHash> {
    fn config<T: serde::de::DeserializeOwned>(
        name: &str,
        value: Option<&JsonObject>,
    ) -> ApiResult<Option<T>> {
        value
            .map(|v| {
                serde_json::from_value(serde_json::Value::Object(v.clone())).map_err(|_| {
                    ApiFailure::invalid_request(format!("{name} does not match its schema."))
                })
            })
            .transpose()
    }
    let md_5 = config::<SaltConfig>("md_5_config", seed.md_5_config.as_ref())?;
    let sha_1 = config::<SaltConfig>("sha_1_config", seed.sha_1_config.as_ref())?;
    let sha_512 = config::<SaltConfig>("sha_512_config", seed.sha_512_config.as_ref())?;
    let argon_2 = config::<Argon2Config>("argon_2_config", seed.argon_2_config.as_ref())?;
    let scrypt = config::<ScryptConfig>("scrypt_config", seed.scrypt_config.as_ref())?;
    let pbkdf_2 = config::<Pbkdf2Config>("pbkdf_2_config", seed.pbkdf_2_config.as_ref())?;
    parse_migrated(&MigrateHash {
        hash_type: &seed.hash_type,
        hash: seed.hash.expose(),
        md_5_config: md_5.as_ref(),
        sha_1_config: sha_1.as_ref(),
        sha_512_config: sha_512.as_ref(),
        argon_2_config: argon_2.as_ref(),
        scrypt_config: scrypt.as_ref(),
        pbkdf_2_config: pbkdf_2.as_ref(),
    })
}

/// Limits on what verifying one migrated hash may cost: the emulator refuses hashes beyond them
/// (400 `invalid_*_hash`) rather than let one request take minutes or gigabytes.
const MAX_BCRYPT_COST: u32 = 20;
const MAX_ARGON2_MEMORY_KIB: u32 = 262_144;
const MAX_ARGON2_ITERATIONS: u32 = 64;
const MAX_ARGON2_THREADS: u32 = 16;
const MAX_SCRYPT_BYTES: u64 = 256 << 20;
const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
const MAX_PHPASS_LOG2: u32 = 24;
const MAX_KEY_LENGTH: usize = 1024;

fn too_costly(error_type: &str, what: &str) -> ApiFailure {
    ApiFailure::new(
        400,
        error_type,
        format!("{what} is beyond what the emulator verifies (see docs/EMULATOR.md)."),
    )
}

fn check_argon2_cost(params: &argon2::Params, e: &str) -> ApiResult<()> {
    if params.m_cost() > MAX_ARGON2_MEMORY_KIB
        || params.t_cost() > MAX_ARGON2_ITERATIONS
        || params.p_cost() > MAX_ARGON2_THREADS
        || params.output_len().unwrap_or(0) > MAX_KEY_LENGTH
    {
        return Err(too_costly(
            e,
            "The Argon2 cost (memory, iterations, threads or length)",
        ));
    }
    Ok(())
}

fn check_scrypt_cost(params: &scrypt::Params, e: &str) -> ApiResult<()> {
    let n = 1u64
        .checked_shl(u32::from(params.log_n()))
        .unwrap_or(u64::MAX);
    let bytes = 128u64
        .saturating_mul(u64::from(params.r()))
        .saturating_mul(n.saturating_add(u64::from(params.p())));
    if bytes > MAX_SCRYPT_BYTES || params.p() > 16 {
        return Err(too_costly(e, "The scrypt cost (N, r, p)"));
    }
    Ok(())
}

fn check_key_length(raw: &[u8], e: &str) -> ApiResult<()> {
    if raw.len() > MAX_KEY_LENGTH {
        return Err(too_costly(e, "The hash length"));
    }
    Ok(())
}

/// Checks that `key_length` (a positive `u32`) is the length of the raw hash.
fn check_key_length_matches(key_length: i64, raw: &[u8], e: &str) -> ApiResult<()> {
    let key_length = u32_param(key_length, e, "key_length")?;
    if usize::try_from(key_length).ok() != Some(raw.len()) {
        return Err(ApiFailure::new(
            400,
            e,
            "key_length does not match the length of the hash.",
        ));
    }
    Ok(())
}

fn u32_param(value: i64, error_type: &str, name: &str) -> ApiResult<u32> {
    u32::try_from(value)
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| ApiFailure::new(400, error_type, format!("{name} must be positive")))
}

/// Checks a migrated hash and its config, and keeps what verification needs. Each malformed
/// hash is a 400 with the type's `invalid_*_hash` error.
pub(crate) fn parse_migrated(input: &MigrateHash<'_>) -> ApiResult<StoredHash> {
    let hash = input.hash.trim();
    match input.hash_type {
        "bcrypt" => {
            const E: &str = "invalid_bcrypt_hash";
            let parts = hash
                .parse::<bcrypt::HashParts>()
                .map_err(|_| ApiFailure::new(400, E, "The hash is not a valid bcrypt hash."))?;
            if parts.get_cost() > MAX_BCRYPT_COST {
                return Err(too_costly(E, "The bcrypt cost"));
            }
            Ok(StoredHash::Bcrypt(hash.to_owned()))
        }
        "argon_2i" | "argon_2id" => {
            const E: &str = "invalid_argon_2_hash";
            let algorithm = if input.hash_type == "argon_2i" {
                argon2::Algorithm::Argon2i
            } else {
                argon2::Algorithm::Argon2id
            };
            if hash.starts_with('$') {
                let parsed = PasswordHash::new(hash).map_err(|e| {
                    ApiFailure::new(400, E, format!("The hash is not a valid PHC string: {e}."))
                })?;
                if parsed.algorithm.as_str() != algorithm.ident().as_str() {
                    return Err(ApiFailure::new(
                        400,
                        E,
                        format!(
                            "The hash is {} but hash_type is {}.",
                            parsed.algorithm, input.hash_type
                        ),
                    ));
                }
                let params = argon2::Params::try_from(&parsed).map_err(|e| {
                    ApiFailure::new(400, E, format!("Invalid Argon2 parameters: {e}."))
                })?;
                check_argon2_cost(&params, E)?;
                if parsed.hash.is_none() || parsed.salt.is_none() {
                    return Err(ApiFailure::new(400, E, "The hash has no salt or output."));
                }
                return Ok(StoredHash::Argon2Phc(hash.to_owned()));
            }
            let config = input.argon_2_config.ok_or_else(|| {
                ApiFailure::new(
                    400,
                    E,
                    "A raw Argon2 hash needs argon_2_config (or give the PHC form).",
                )
            })?;
            let raw = b64_any(hash)
                .ok_or_else(|| ApiFailure::new(400, E, "The raw Argon2 hash must be base64."))?;
            check_key_length_matches(config.key_length, &raw, E)?;
            let params = argon2::Params::new(
                u32_param(config.memory, E, "memory")?,
                u32_param(config.iteration_amount, E, "iteration_amount")?,
                u32_param(config.threads, E, "threads")?,
                Some(raw.len()),
            )
            .map_err(|e| ApiFailure::new(400, E, format!("Invalid Argon2 parameters: {e}.")))?;
            check_argon2_cost(&params, E)?;
            if config.salt.len() < 8 {
                return Err(ApiFailure::new(
                    400,
                    E,
                    "The salt must be at least 8 bytes.",
                ));
            }
            Ok(StoredHash::Argon2Raw {
                algorithm,
                hash: raw,
                salt: config.salt.as_bytes().to_vec(),
                params,
            })
        }
        "scrypt" => {
            const E: &str = "invalid_scrypt_hash";
            if hash.starts_with('$') {
                let parsed = PasswordHash::new(hash).map_err(|e| {
                    ApiFailure::new(400, E, format!("The hash is not a valid PHC string: {e}."))
                })?;
                if parsed.algorithm.as_str() != "scrypt" {
                    return Err(ApiFailure::new(400, E, "The PHC string is not scrypt."));
                }
                let params = scrypt::Params::try_from(&parsed).map_err(|e| {
                    ApiFailure::new(400, E, format!("Invalid scrypt parameters: {e}."))
                })?;
                check_scrypt_cost(&params, E)?;
                return Ok(StoredHash::ScryptPhc(hash.to_owned()));
            }
            let config = input.scrypt_config.ok_or_else(|| {
                ApiFailure::new(
                    400,
                    E,
                    "A raw scrypt hash needs scrypt_config (or give the PHC form).",
                )
            })?;
            let raw = b64_any(hash)
                .ok_or_else(|| ApiFailure::new(400, E, "The raw scrypt hash must be base64."))?;
            check_key_length(&raw, E)?;
            let salt = b64_any(&config.salt)
                .ok_or_else(|| ApiFailure::new(400, E, "The scrypt salt must be base64."))?;
            let n = u32_param(config.n_parameter, E, "n_parameter")?;
            if !n.is_power_of_two() || !(2..=262_144).contains(&n) {
                return Err(ApiFailure::new(
                    400,
                    E,
                    "n_parameter must be a power of two greater than 1 and at most 262144.",
                ));
            }
            let log_n = u8::try_from(n.trailing_zeros()).unwrap_or(u8::MAX);
            check_key_length_matches(config.key_length, &raw, E)?;
            let params = scrypt::Params::new(
                log_n,
                u32_param(config.r_parameter, E, "r_parameter")?,
                u32_param(config.p_parameter, E, "p_parameter")?,
                raw.len(),
            )
            .map_err(|e| ApiFailure::new(400, E, format!("Invalid scrypt parameters: {e}.")))?;
            check_scrypt_cost(&params, E)?;
            Ok(StoredHash::ScryptRaw {
                hash: raw,
                salt,
                params,
            })
        }
        "pbkdf_2" => {
            const E: &str = "invalid_pbkdf_2_hash";
            let config = input
                .pbkdf_2_config
                .ok_or_else(|| ApiFailure::new(400, E, "A pbkdf_2 hash needs pbkdf_2_config."))?;
            let raw = b64_any(hash)
                .ok_or_else(|| ApiFailure::new(400, E, "The PBKDF2 hash must be base64."))?;
            check_key_length(&raw, E)?;
            let iterations = u32_param(config.iteration_amount, E, "iteration_amount")?;
            if iterations > MAX_PBKDF2_ITERATIONS {
                return Err(too_costly(E, "The PBKDF2 iteration count"));
            }
            let salt = b64_any(&config.salt)
                .ok_or_else(|| ApiFailure::new(400, E, "The PBKDF2 salt must be base64."))?;
            check_key_length_matches(config.key_length, &raw, E)?;
            let sha512 = match config.algorithm.to_ascii_lowercase().as_str() {
                "" | "sha256" => false,
                "sha512" => true,
                other => {
                    return Err(ApiFailure::new(
                        400,
                        E,
                        format!("Unsupported PBKDF2 algorithm {other:?}: use sha256 or sha512."),
                    ))
                }
            };
            Ok(StoredHash::Pbkdf2 {
                hash: raw,
                salt,
                iterations,
                sha512,
            })
        }
        "md_5" | "sha_1" | "sha_512" => {
            let (algorithm, config, e) = match input.hash_type {
                "md_5" => (DigestAlgorithm::Md5, input.md_5_config, "invalid_md_5_hash"),
                "sha_1" => (
                    DigestAlgorithm::Sha1,
                    input.sha_1_config,
                    "invalid_sha_1_hash",
                ),
                _ => (
                    DigestAlgorithm::Sha512,
                    input.sha_512_config,
                    "invalid_sha_512_hash",
                ),
            };
            let raw = unhex(hash)
                .filter(|h| h.len() == algorithm.len())
                .or_else(|| b64_any(hash).filter(|h| h.len() == algorithm.len()))
                .ok_or_else(|| {
                    ApiFailure::new(
                        400,
                        e,
                        format!(
                            "The hash must be a {}-byte digest in hex or base64.",
                            algorithm.len()
                        ),
                    )
                })?;
            let config = config.cloned().unwrap_or_default();
            Ok(StoredHash::SaltedDigest {
                algorithm,
                hash: raw,
                prepend: config.prepend_salt,
                append: config.append_salt,
            })
        }
        "phpass" => {
            if !hash.is_ascii() || phpass_setting(hash).is_none() || hash.len() != 34 {
                return Err(ApiFailure::new(
                    400,
                    "invalid_phpass_hash",
                    "The hash is not a valid phpass hash ($P$ or $H$, 34 characters).",
                ));
            }
            Ok(StoredHash::Phpass(hash.to_owned()))
        }
        other => Err(ApiFailure::new(
            400,
            "invalid_hash_type",
            format!(
                "hash_type {other:?} is not supported: use bcrypt, md_5, argon_2i, argon_2id, \
                 sha_1, sha_512, scrypt, phpass or pbkdf_2."
            ),
        )),
    }
}

const ITOA64: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The log2 of the round count and the salt of a phpass hash, if it is one.
fn phpass_setting(stored: &str) -> Option<(u32, &[u8])> {
    let b = stored.as_bytes();
    if !(stored.starts_with("$P$") || stored.starts_with("$H$")) || b.len() < 12 {
        return None;
    }
    let log2 = ITOA64.iter().position(|c| *c == b[3])?;
    let log2 = u32::try_from(log2)
        .ok()
        .filter(|l| (7..=MAX_PHPASS_LOG2).contains(l))?;
    Some((log2, &b[4..12]))
}

/// The portable phpass hash: `md5(salt . password)`, then `2^log2` rounds of
/// `md5(previous . password)`, encoded with phpass's own base64.
fn phpass_verify(password: &[u8], stored: &str) -> bool {
    let Some((log2, salt)) = phpass_setting(stored) else {
        return false;
    };
    let mut hash = Md5::digest([salt, password].concat()).to_vec();
    for _ in 0..(1u64 << log2) {
        let mut md5 = Md5::new();
        md5.update(&hash);
        md5.update(password);
        hash = md5.finalize().to_vec();
    }
    let setting = stored.as_bytes().get(..12).unwrap_or_default();
    let computed = [setting, phpass_encode64(&hash).as_bytes()].concat();
    ct_eq(&computed, stored.as_bytes())
}

/// phpass's `encode64`: little-endian groups of 3 bytes into 4 characters of [`ITOA64`].
fn phpass_encode64(input: &[u8]) -> String {
    let char_at = |v: u32| char::from(ITOA64[usize::try_from(v & 0x3f).unwrap_or(0)]);
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let mut value = 0u32;
        for (i, b) in chunk.iter().enumerate() {
            value |= u32::from(*b) << (8 * i);
        }
        out.push(char_at(value));
        out.push(char_at(value >> 6));
        if chunk.len() > 1 {
            out.push(char_at(value >> 12));
        }
        if chunk.len() > 2 {
            out.push(char_at(value >> 18));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrate(hash_type: &str, hash: &str) -> ApiResult<StoredHash> {
        parse_migrated(&MigrateHash {
            hash_type,
            hash,
            md_5_config: None,
            sha_1_config: None,
            sha_512_config: None,
            argon_2_config: None,
            scrypt_config: None,
            pbkdf_2_config: None,
        })
    }

    #[test]
    fn phpass_encode64_length() {
        // 16 bytes of MD5 encode to 22 characters, as in every phpass hash.
        assert_eq!(phpass_encode64(&[0u8; 16]).len(), 22);
    }

    #[test]
    fn malformed_hashes_are_typed_errors() {
        assert_eq!(
            migrate("bcrypt", "nope").err().map(|e| e.error_type),
            Some("invalid_bcrypt_hash".to_owned())
        );
        assert_eq!(
            migrate("phpass", "$P$short").err().map(|e| e.error_type),
            Some("invalid_phpass_hash".to_owned())
        );
        assert_eq!(
            migrate("md_5", "xyz").err().map(|e| e.error_type),
            Some("invalid_md_5_hash".to_owned())
        );
        assert_eq!(
            migrate("argon_2id", "abc").err().map(|e| e.error_type),
            Some("invalid_argon_2_hash".to_owned())
        );
        assert_eq!(
            migrate("scrypt", "$scrypt$bad").err().map(|e| e.error_type),
            Some("invalid_scrypt_hash".to_owned())
        );
        assert_eq!(
            migrate("pbkdf_2", "abc").err().map(|e| e.error_type),
            Some("invalid_pbkdf_2_hash".to_owned())
        );
        assert_eq!(
            migrate("rot13", "abc").err().map(|e| e.error_type),
            Some("invalid_hash_type".to_owned())
        );
    }

    #[test]
    fn unreasonable_costs_are_refused() {
        let costly = "$2b$25$7/aaCoi8fJvVJt/ykOz5x.kyEVIgnkEMvBY9MKnifDRSlakoeNrVO";
        assert_eq!(
            migrate("bcrypt", costly).err().map(|e| e.error_type),
            Some("invalid_bcrypt_hash".to_owned())
        );
        assert!(migrate("bcrypt", &costly.replace("$25$", "$04$")).is_ok());
        // phpass with 2^30 rounds.
        let phpass = "$P$Sabcdefgh0123456789012345678901";
        assert_eq!(phpass.len(), 34);
        assert!(migrate("phpass", phpass).is_err());
        assert!(migrate("phpass", "$P$é2345678901234567890123456789012").is_err());
        let argon = "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$iWh06vD8Fy27wf9npn6FXWiCX4K6pW6Ue1Bnzz07Z8A";
        assert_eq!(
            migrate("argon_2id", argon).err().map(|e| e.error_type),
            Some("invalid_argon_2_hash".to_owned())
        );
        assert!(migrate("argon_2id", &argon.replace("m=4194304", "m=65536")).is_ok());
    }

    #[test]
    fn md5_unsalted_hex() {
        // md5("password")
        let h = migrate("md_5", "5f4dcc3b5aa765d61d8327deb882cf99").ok();
        assert!(h.as_ref().is_some_and(|h| h.verify("password")));
        assert!(h.is_some_and(|h| !h.verify("Password")));
    }
}
