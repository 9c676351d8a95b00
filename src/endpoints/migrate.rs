//! `passwords.migrate`: import a Member with a password hash from another system.

use serde::{Deserialize, Serialize};

use super::{first_empty, require, setters, JsonObject};
use crate::de::nullable;
use crate::error::ValidationError;
use crate::models::{
    Argon2Config, HashType, Md5Config, Member, Organization, Pbkdf2Config, ScryptConfig,
    Sha1Config, Sha512Config,
};
use crate::secret::Secret;
use crate::wire::Endpoint;

/// Request of `POST /v1/b2b/passwords/migrate`.
///
/// ```
/// use stytch_b2b_passwords::{HashType, MigrateRequest};
///
/// let request = MigrateRequest::new(
///     "ada@example.com",
///     "$2a$10$Q0Jvx2Om3qHaA7eFvZtr7uBqs0a1nYnwRdPkq3aNUvVbXfzCZZqKi",
///     HashType::Bcrypt,
///     "organization-test-123",
/// )
/// .name("Ada Lovelace")
/// .roles(vec!["admin".to_owned()]);
/// assert_eq!(request.name.as_deref(), Some("Ada Lovelace"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MigrateRequest {
    /// The Member's email address.
    pub email_address: String,
    /// The password hash, in the form its `hash_type` expects.
    pub hash: Secret,
    /// The algorithm the hash was made with.
    pub hash_type: HashType,
    /// The Organization to create or update the Member in.
    pub organization_id: String,
    /// Salt placement for `md_5`. (Each `*_config` is boxed: a request carries one at most,
    /// and inline the six would double the size of every migrate call's future.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub md_5_config: Option<Box<Md5Config>>,
    /// Parameters for a raw (non-PHC) `argon_2i`/`argon_2id` hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argon_2_config: Option<Box<Argon2Config>>,
    /// Salt placement for `sha_1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha_1_config: Option<Box<Sha1Config>>,
    /// Salt placement for `sha_512`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha_512_config: Option<Box<Sha512Config>>,
    /// Parameters for a raw (non-PHC) `scrypt` hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scrypt_config: Option<Box<ScryptConfig>>,
    /// Parameters for `pbkdf_2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pbkdf_2_config: Option<Box<Pbkdf2Config>>,
    /// The Member's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Metadata only your backend may change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_metadata: Option<JsonObject>,
    /// Metadata the frontend SDKs may change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub untrusted_metadata: Option<JsonObject>,
    /// Role ids to assign explicitly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// Keep the Member's existing sessions when the password changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preserve_existing_sessions: Option<bool>,
    /// The Member's MFA phone number, in E.164 form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_phone_number: Option<String>,
    /// Mark the MFA phone number as verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_phone_number_verified: Option<bool>,
    /// Your own id for the Member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
}

impl MigrateRequest {
    /// A request with its required fields.
    pub fn new(
        email_address: impl Into<String>,
        hash: impl Into<Secret>,
        hash_type: HashType,
        organization_id: impl Into<String>,
    ) -> Self {
        Self {
            email_address: email_address.into(),
            hash: hash.into(),
            hash_type,
            organization_id: organization_id.into(),
            md_5_config: None,
            argon_2_config: None,
            sha_1_config: None,
            sha_512_config: None,
            scrypt_config: None,
            pbkdf_2_config: None,
            name: None,
            trusted_metadata: None,
            untrusted_metadata: None,
            roles: None,
            preserve_existing_sessions: None,
            mfa_phone_number: None,
            set_phone_number_verified: None,
            external_id: None,
        }
    }
}

setters!(MigrateRequest {
    /// Sets the MD5 salt configuration.
    md_5_config: Box<Md5Config>,
    /// Sets the Argon2 parameters.
    argon_2_config: Box<Argon2Config>,
    /// Sets the SHA-1 salt configuration.
    sha_1_config: Box<Sha1Config>,
    /// Sets the SHA-512 salt configuration.
    sha_512_config: Box<Sha512Config>,
    /// Sets the scrypt parameters.
    scrypt_config: Box<ScryptConfig>,
    /// Sets the PBKDF2 parameters.
    pbkdf_2_config: Box<Pbkdf2Config>,
    /// Sets the Member's name.
    name: String,
    /// Sets trusted metadata.
    trusted_metadata: JsonObject,
    /// Sets untrusted metadata.
    untrusted_metadata: JsonObject,
    /// Sets explicit role ids.
    roles: Vec<String>,
    /// Keeps or revokes existing sessions.
    preserve_existing_sessions: bool,
    /// Sets the MFA phone number.
    mfa_phone_number: String,
    /// Marks the phone number verified.
    set_phone_number_verified: bool,
    /// Sets your own id for the Member.
    external_id: String,
});

impl Endpoint for MigrateRequest {
    type Response = MigrateResponse;
    const OPERATION: &'static str = "passwords.migrate";
    const PATH: &'static str = "/v1/b2b/passwords/migrate";

    fn validate(&self) -> Result<(), ValidationError> {
        require(Self::OPERATION, "email_address", &self.email_address)?;
        require(Self::OPERATION, "hash", self.hash.expose())?;
        require(Self::OPERATION, "hash_type", self.hash_type.as_str())?;
        require(Self::OPERATION, "organization_id", &self.organization_id)
    }

    fn missing_field(r: &Self::Response) -> Option<&'static str> {
        first_empty(&[
            ("request_id", &r.request_id),
            ("member_id", &r.member_id),
            (
                "organization.organization_id",
                &r.organization.organization_id,
            ),
        ])
    }
}

/// Response of `passwords.migrate`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct MigrateResponse {
    /// Stytch's id for this request.
    #[serde(deserialize_with = "nullable")]
    pub request_id: String,
    /// The Member's id.
    #[serde(deserialize_with = "nullable")]
    pub member_id: String,
    /// Whether the Member was created (`false`: an existing Member was updated).
    #[serde(deserialize_with = "nullable")]
    pub member_created: bool,
    /// The Member.
    #[serde(deserialize_with = "nullable")]
    pub member: Member,
    /// The Organization.
    #[serde(deserialize_with = "nullable")]
    pub organization: Organization,
    /// The HTTP status the API reported.
    #[serde(deserialize_with = "nullable")]
    pub status_code: i32,
    /// How many attempts the call made, the one answered included: more than 1 when the
    /// client retried. Set by the client, not part of the JSON (0 on a value made by hand).
    #[serde(skip)]
    pub attempts: u32,
}
