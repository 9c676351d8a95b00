//! What the emulator starts with: the project, its policy, Organizations and Members.
//!
//! The same types are the Rust API ([`EmulatorBuilder`](crate::EmulatorBuilder),
//! [`Emulator::add_organization`](crate::Emulator::add_organization)) and the JSON seed file of
//! the `stytch-emulator` binary, so a seed file is these structs in JSON.

use std::fmt;

use serde::{Deserialize, Serialize};
use stytch_b2b_passwords::Secret;

/// A JSON object, as used for metadata.
pub type JsonObject = serde_json::Map<String, serde_json::Value>;

/// The project id the emulator accepts when none is configured.
pub const DEFAULT_PROJECT_ID: &str = "project-test-00000000-0000-4000-8000-000000000000";
/// The project secret the emulator accepts when none is configured. Not a secret: it only opens
/// the emulator.
pub const DEFAULT_SECRET: &str = "secret-test-emulator-not-a-real-secret";
/// Where reset links lead when a request gives no `reset_password_redirect_url`.
pub const DEFAULT_RESET_REDIRECT_URL: &str = "http://localhost:3000/reset-password";

/// Everything the emulator starts with. `Default` is an empty project with the default
/// credentials, the zxcvbn policy, breach detection on and fast password hashing.
///
/// ```
/// let seed: stytch_b2b_passwords_emulator::Seed = serde_json::from_str(r#"{
///     "project": {"project_id": "project-test-1", "secret": "secret-1"},
///     "password_policy": {"type": "luds", "min_length": 10, "min_complexity": 3},
///     "breached_passwords": ["Summer2024!"],
///     "organizations": [{
///         "name": "Acme", "slug": "acme", "email_allowed_domains": ["acme.com"],
///         "members": [{"email_address": "ada@acme.com", "password": "a long passphrase 42"}]
///     }]
/// }"#).unwrap();
/// assert_eq!(seed.organizations[0].members.len(), 1);
/// ```
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Seed {
    /// The project's credentials.
    pub project: ProjectSeed,
    /// The password strength policy.
    pub password_policy: PasswordPolicy,
    /// Whether a breached password is refused when a password is set (reset). `true` by default.
    pub breach_detection_on_create: bool,
    /// Passwords that count as breached (compared exactly).
    pub breached_passwords: Vec<Secret>,
    /// How the emulator hashes the passwords it sets itself (seeded and reset ones).
    pub password_hashing: PasswordHashing,
    /// Where reset links lead when a request gives no redirect URL.
    pub default_reset_password_redirect_url: String,
    /// When repeated wrong passwords lock a Member's password log-in.
    pub lockout: LockoutPolicy,
    /// The Organizations, each with its Members.
    pub organizations: Vec<OrganizationSeed>,
}

impl Default for Seed {
    fn default() -> Self {
        Self {
            project: ProjectSeed::default(),
            password_policy: PasswordPolicy::default(),
            breach_detection_on_create: true,
            breached_passwords: Vec::new(),
            password_hashing: PasswordHashing::default(),
            default_reset_password_redirect_url: DEFAULT_RESET_REDIRECT_URL.to_owned(),
            lockout: LockoutPolicy::default(),
            organizations: Vec::new(),
        }
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Seed")
            .field("project", &self.project)
            .field("password_policy", &self.password_policy)
            .field(
                "breach_detection_on_create",
                &self.breach_detection_on_create,
            )
            .field("breached_passwords", &self.breached_passwords.len())
            .field("password_hashing", &self.password_hashing)
            .field(
                "default_reset_password_redirect_url",
                &self.default_reset_password_redirect_url,
            )
            .field("lockout", &self.lockout)
            .field("organizations", &self.organizations)
            .finish()
    }
}

impl Seed {
    /// Reads a seed from JSON text.
    pub fn from_json(text: &str) -> Result<Self, SeedError> {
        serde_json::from_str(text).map_err(|e| SeedError::Json(e.to_string()))
    }

    /// Reads a seed file.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Self, SeedError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| SeedError::Io(format!("{}: {e}", path.display())))?;
        Self::from_json(&text)
    }
}

/// The project the emulator impersonates: requests must carry these credentials in HTTP Basic
/// auth.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ProjectSeed {
    /// The project id, such as `project-test-...`.
    pub project_id: String,
    /// The project secret.
    pub secret: Secret,
}

impl Default for ProjectSeed {
    fn default() -> Self {
        Self {
            project_id: DEFAULT_PROJECT_ID.to_owned(),
            secret: Secret::new(DEFAULT_SECRET),
        }
    }
}

impl ProjectSeed {
    /// A project with these credentials.
    pub fn new(project_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self {
            project_id: project_id.into(),
            secret: secret.into(),
        }
    }
}

/// The password strength policy, as configured in the Stytch dashboard.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum PasswordPolicy {
    /// zxcvbn: a password is valid with a score of 3 or more. The default.
    #[default]
    Zxcvbn,
    /// LUDS: a minimum length and a minimum number of character classes (lower case, upper case,
    /// digit, symbol).
    Luds {
        /// Minimum length in characters (8 by default).
        #[serde(default = "default_luds_length")]
        min_length: u32,
        /// How many of the 4 classes are needed (3 by default).
        #[serde(default = "default_luds_complexity")]
        min_complexity: u32,
    },
}

fn default_luds_length() -> u32 {
    8
}

fn default_luds_complexity() -> u32 {
    3
}

impl PasswordPolicy {
    /// LUDS with a minimum length and complexity.
    pub fn luds(min_length: u32, min_complexity: u32) -> Self {
        Self::Luds {
            min_length,
            min_complexity,
        }
    }
}

/// Lockout: `max_failed_attempts` wrong passwords for one Member within `window_seconds` lock
/// that Member's password log-in for `lock_seconds` (error `user_lock_limit_reached`). Stytch's
/// figures by default: 10 attempts in an hour lock for an hour. `max_failed_attempts` 0 turns
/// lockout off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct LockoutPolicy {
    /// Wrong passwords that lock the Member (10 by default; 0: never lock).
    pub max_failed_attempts: u32,
    /// The window the failures are counted in, in seconds (3600 by default).
    pub window_seconds: u32,
    /// How long a lock lasts, in seconds (3600 by default).
    pub lock_seconds: u32,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            max_failed_attempts: 10,
            window_seconds: 3600,
            lock_seconds: 3600,
        }
    }
}

impl LockoutPolicy {
    /// Locks after `max_failed_attempts` failures within `window_seconds`, for `lock_seconds`.
    pub fn new(max_failed_attempts: u32, window_seconds: u32, lock_seconds: u32) -> Self {
        Self {
            max_failed_attempts,
            window_seconds,
            lock_seconds,
        }
    }

    /// Never locks.
    pub fn off() -> Self {
        Self::new(0, 3600, 3600)
    }
}

/// How the emulator hashes passwords it sets itself (seeded plaintext passwords and every reset).
/// Migrated hashes keep their own algorithm and cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "algorithm", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum PasswordHashing {
    /// bcrypt with this cost (4 to 31).
    Bcrypt {
        /// The bcrypt cost; 4 is the fastest allowed.
        cost: u32,
    },
    /// Argon2id with these parameters.
    Argon2id {
        /// Memory in KiB.
        memory_kib: u32,
        /// Passes.
        iterations: u32,
        /// Lanes.
        parallelism: u32,
    },
}

impl Default for PasswordHashing {
    fn default() -> Self {
        Self::fast()
    }
}

impl PasswordHashing {
    /// bcrypt at cost 4: a test suite stays fast. The default.
    pub fn fast() -> Self {
        Self::Bcrypt { cost: 4 }
    }

    /// Argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane): realistic cost.
    pub fn realistic() -> Self {
        Self::Argon2id {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// An Organization to create.
///
/// String settings take Stytch's values: `mfa_policy` is `OPTIONAL` or `REQUIRED_FOR_ALL`,
/// `auth_methods` is `ALL_ALLOWED` or `RESTRICTED` (then `allowed_auth_methods` lists the
/// methods, such as `password`), `email_jit_provisioning` is `NOT_ALLOWED` or `RESTRICTED` (then
/// emails of `email_allowed_domains` may join).
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct OrganizationSeed {
    /// A fixed id; a random `organization-test-...` id when unset.
    pub organization_id: Option<String>,
    /// The display name.
    pub name: String,
    /// The slug, unique in the project.
    pub slug: String,
    /// `OPTIONAL` (default) or `REQUIRED_FOR_ALL`.
    pub mfa_policy: String,
    /// `ALL_ALLOWED` (default) or `RESTRICTED`.
    pub auth_methods: String,
    /// The allowed primary methods when `auth_methods` is `RESTRICTED`.
    pub allowed_auth_methods: Vec<String>,
    /// Email domains allowed to join by JIT provisioning.
    pub email_allowed_domains: Vec<String>,
    /// `NOT_ALLOWED` (default) or `RESTRICTED`.
    pub email_jit_provisioning: String,
    /// `ALL_ALLOWED` (default), `RESTRICTED` or `NOT_ALLOWED`.
    pub email_invites: String,
    /// Metadata.
    pub trusted_metadata: JsonObject,
    /// Your own id for the Organization.
    pub external_id: Option<String>,
    /// The Members to create in it.
    pub members: Vec<MemberSeed>,
}

impl Default for OrganizationSeed {
    fn default() -> Self {
        Self {
            organization_id: None,
            name: String::new(),
            slug: String::new(),
            mfa_policy: "OPTIONAL".to_owned(),
            auth_methods: "ALL_ALLOWED".to_owned(),
            allowed_auth_methods: Vec::new(),
            email_allowed_domains: Vec::new(),
            email_jit_provisioning: "NOT_ALLOWED".to_owned(),
            email_invites: "ALL_ALLOWED".to_owned(),
            trusted_metadata: JsonObject::new(),
            external_id: None,
            members: Vec::new(),
        }
    }
}

impl OrganizationSeed {
    /// An Organization with a name and slug and Stytch's default settings.
    pub fn new(name: impl Into<String>, slug: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            slug: slug.into(),
            ..Self::default()
        }
    }

    /// Uses a fixed id.
    #[must_use]
    pub fn id(mut self, organization_id: impl Into<String>) -> Self {
        self.organization_id = Some(organization_id.into());
        self
    }

    /// Requires MFA of every Member (`mfa_policy` `REQUIRED_FOR_ALL`).
    #[must_use]
    pub fn mfa_required(mut self) -> Self {
        self.mfa_policy = "REQUIRED_FOR_ALL".to_owned();
        self
    }

    /// Restricts primary authentication to these methods (`auth_methods` `RESTRICTED`).
    #[must_use]
    pub fn restrict_auth_methods<S: Into<String>>(
        mut self,
        methods: impl IntoIterator<Item = S>,
    ) -> Self {
        self.auth_methods = "RESTRICTED".to_owned();
        self.allowed_auth_methods = methods.into_iter().map(Into::into).collect();
        self
    }

    /// Lets emails of these domains join by JIT provisioning (`email_jit_provisioning`
    /// `RESTRICTED`).
    #[must_use]
    pub fn jit_for_domains<S: Into<String>>(
        mut self,
        domains: impl IntoIterator<Item = S>,
    ) -> Self {
        self.email_jit_provisioning = "RESTRICTED".to_owned();
        self.email_allowed_domains = domains.into_iter().map(Into::into).collect();
        self
    }

    /// Adds a Member.
    #[must_use]
    pub fn member(mut self, member: MemberSeed) -> Self {
        self.members.push(member);
        self
    }
}

/// A Member to create.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct MemberSeed {
    /// A fixed id; a random `member-test-...` id when unset.
    pub member_id: Option<String>,
    /// The email address, unique in its Organization.
    pub email_address: String,
    /// The name.
    pub name: String,
    /// `active` (default), `pending` or `invited`.
    pub status: String,
    /// Explicitly assigned role ids (every Member also has `stytch_member`).
    pub roles: Vec<String>,
    /// Metadata only a backend may change.
    pub trusted_metadata: JsonObject,
    /// Metadata a frontend may change.
    pub untrusted_metadata: JsonObject,
    /// The MFA phone number, E.164.
    pub mfa_phone_number: String,
    /// Whether the MFA phone number is verified.
    pub mfa_phone_number_verified: bool,
    /// Whether the Member enrolled in MFA (then MFA is required even if the Organization's
    /// policy is `OPTIONAL`).
    pub mfa_enrolled: bool,
    /// Whether the email address is verified (`true` by default).
    pub email_address_verified: bool,
    /// A plaintext password, hashed at seed time with the configured [`PasswordHashing`]. No
    /// password when unset.
    pub password: Option<Secret>,
    /// A password hash from another system, as `migrate` takes it (instead of `password`).
    pub password_hash: Option<PasswordHashSeed>,
    /// Whether the Member must reset their password before logging in with one.
    pub require_reset: bool,
    /// Your own id for the Member.
    pub external_id: Option<String>,
}

impl Default for MemberSeed {
    fn default() -> Self {
        Self {
            member_id: None,
            email_address: String::new(),
            name: String::new(),
            status: "active".to_owned(),
            roles: Vec::new(),
            trusted_metadata: JsonObject::new(),
            untrusted_metadata: JsonObject::new(),
            mfa_phone_number: String::new(),
            mfa_phone_number_verified: false,
            mfa_enrolled: false,
            email_address_verified: true,
            password: None,
            password_hash: None,
            require_reset: false,
            external_id: None,
        }
    }
}

impl MemberSeed {
    /// An active Member with this email and no password.
    pub fn new(email_address: impl Into<String>) -> Self {
        Self {
            email_address: email_address.into(),
            ..Self::default()
        }
    }

    /// Uses a fixed id.
    #[must_use]
    pub fn id(mut self, member_id: impl Into<String>) -> Self {
        self.member_id = Some(member_id.into());
        self
    }

    /// Sets the name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Sets a password (hashed when the Member is created).
    #[must_use]
    pub fn password(mut self, password: impl Into<Secret>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// Sets the explicitly assigned roles.
    #[must_use]
    pub fn roles<S: Into<String>>(mut self, roles: impl IntoIterator<Item = S>) -> Self {
        self.roles = roles.into_iter().map(Into::into).collect();
        self
    }

    /// Sets a verified MFA phone number.
    #[must_use]
    pub fn mfa_phone(mut self, phone: impl Into<String>) -> Self {
        self.mfa_phone_number = phone.into();
        self.mfa_phone_number_verified = true;
        self
    }

    /// Sets the status (`active`, `pending`, `invited`).
    #[must_use]
    pub fn status(mut self, status: impl Into<String>) -> Self {
        self.status = status.into();
        self
    }

    /// Sets a password hash from another system (see [`PasswordHashSeed`]).
    #[must_use]
    pub fn password_hash(mut self, hash: PasswordHashSeed) -> Self {
        self.password_hash = Some(hash);
        self
    }

    /// Flags the Member as having to reset their password.
    #[must_use]
    pub fn require_reset(mut self) -> Self {
        self.require_reset = true;
        self
    }
}

/// A Member's password hash from another system, in the fields of the `migrate` endpoint:
/// `hash_type` is `bcrypt`, `md_5`, `argon_2i`, `argon_2id`, `sha_1`, `sha_512`, `scrypt`,
/// `phpass` or `pbkdf_2`; the `*_config` object that type needs holds its salt and parameters.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct PasswordHashSeed {
    /// The hash algorithm, as `migrate` names it.
    pub hash_type: String,
    /// The hash, in the form `migrate` takes for `hash_type`.
    pub hash: Secret,
    /// Salt settings for `md_5`.
    pub md_5_config: Option<JsonObject>,
    /// Salt settings for `sha_1`.
    pub sha_1_config: Option<JsonObject>,
    /// Salt settings for `sha_512`.
    pub sha_512_config: Option<JsonObject>,
    /// Parameters for `argon_2i` / `argon_2id`.
    pub argon_2_config: Option<JsonObject>,
    /// Parameters for `scrypt`.
    pub scrypt_config: Option<JsonObject>,
    /// Parameters for `pbkdf_2`.
    pub pbkdf_2_config: Option<JsonObject>,
}

impl PasswordHashSeed {
    /// A hash of `hash_type` that needs no config (`bcrypt`, `phpass`, or an encoded Argon2).
    pub fn new(hash_type: impl Into<String>, hash: impl Into<Secret>) -> Self {
        Self {
            hash_type: hash_type.into(),
            hash: hash.into(),
            ..Self::default()
        }
    }
}

/// A seed the emulator cannot use.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SeedError {
    /// The seed file could not be read.
    Io(String),
    /// The seed is not valid JSON for [`Seed`].
    Json(String),
    /// Something in the seed is inconsistent (a duplicate slug, an unknown Organization, ...).
    Invalid(String),
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedError::Io(m) => write!(f, "cannot read the seed: {m}"),
            SeedError::Json(m) => write!(f, "invalid seed JSON: {m}"),
            SeedError::Invalid(m) => write!(f, "invalid seed: {m}"),
        }
    }
}

impl std::error::Error for SeedError {}
