//! The emulator's state: Organizations, Members, sessions, tokens, the outbox and the clock, and
//! how each is rendered as the API's JSON objects.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use stytch_b2b_passwords::Secret;

use crate::error::{ApiFailure, ApiResult};
use crate::faults::Fault;
use crate::hashing::{hash_password, parse_seeded, StoredHash};
use crate::jwt;
use crate::outbox::OutboxEmail;
use crate::policy::PolicySettings;
use crate::seed::{
    JsonObject, LockoutPolicy, MemberSeed, OrganizationSeed, PasswordHashing, PasswordPolicy, Seed,
    SeedError,
};
use crate::util::{email_domain, email_key, looks_like_email, new_id, new_token, rfc3339};

/// Default session lifetime.
pub(crate) const DEFAULT_SESSION_MINUTES: i64 = 60;
/// How long an intermediate session token lives.
pub(crate) const INTERMEDIATE_SESSION_SECONDS: i64 = 10 * 60;
/// How recent a factor must be for `session/reset`.
pub(crate) const SESSION_RESET_WINDOW_SECONDS: i64 = 5 * 60;

/// The emulated clock: real time (or a frozen instant) plus an offset the test moves forward.
#[derive(Clone, Debug, Default)]
pub(crate) struct Clock {
    pub(crate) frozen_at: Option<i64>,
    pub(crate) offset: i64,
}

impl Clock {
    pub(crate) fn now(&self) -> i64 {
        let base = self.frozen_at.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
                .unwrap_or(0)
        });
        base.saturating_add(self.offset)
    }
}

/// Unix seconds to `SystemTime`.
pub(crate) fn to_system_time(secs: i64) -> SystemTime {
    match u64::try_from(secs) {
        Ok(s) => UNIX_EPOCH + Duration::from_secs(s),
        Err(_) => UNIX_EPOCH,
    }
}

pub(crate) struct Org {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) slug: String,
    pub(crate) mfa_policy: String,
    pub(crate) auth_methods: String,
    pub(crate) allowed_auth_methods: Vec<String>,
    pub(crate) email_allowed_domains: Vec<String>,
    pub(crate) email_jit_provisioning: String,
    pub(crate) email_invites: String,
    pub(crate) trusted_metadata: JsonObject,
    pub(crate) external_id: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

impl Org {
    pub(crate) fn requires_mfa(&self) -> bool {
        self.mfa_policy == "REQUIRED_FOR_ALL"
    }

    pub(crate) fn allows_password(&self) -> bool {
        self.auth_methods != "RESTRICTED"
            || self.allowed_auth_methods.iter().any(|m| m == "password")
    }

    pub(crate) fn jit_allows(&self, email: &str) -> bool {
        self.email_jit_provisioning == "RESTRICTED"
            && email_domain(email).is_some_and(|d| {
                self.email_allowed_domains
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(&d))
            })
    }

    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "organization_id": self.id,
            "organization_name": self.name,
            "organization_logo_url": "",
            "organization_slug": self.slug,
            "sso_jit_provisioning": "ALL_ALLOWED",
            "sso_jit_provisioning_allowed_connections": [],
            "sso_active_connections": [],
            "email_allowed_domains": self.email_allowed_domains,
            "email_jit_provisioning": self.email_jit_provisioning,
            "email_invites": self.email_invites,
            "auth_methods": self.auth_methods,
            "allowed_auth_methods": self.allowed_auth_methods,
            "mfa_policy": self.mfa_policy,
            "rbac_email_implicit_role_assignments": [],
            "mfa_methods": "ALL_ALLOWED",
            "allowed_mfa_methods": [],
            "oauth_tenant_jit_provisioning": "NOT_ALLOWED",
            "claimed_email_domains": [],
            "first_party_connected_apps_allowed_type": "ALL_ALLOWED",
            "allowed_first_party_connected_apps": [],
            "third_party_connected_apps_allowed_type": "ALL_ALLOWED",
            "allowed_third_party_connected_apps": [],
            "custom_roles": [],
            "trusted_metadata": self.trusted_metadata,
            "created_at": rfc3339(self.created_at),
            "updated_at": rfc3339(self.updated_at),
        });
        if let (Some(ext), Some(map)) = (&self.external_id, v.as_object_mut()) {
            map.insert("organization_external_id".to_owned(), json!(ext));
        }
        v
    }
}

pub(crate) struct StoredPassword {
    pub(crate) id: String,
    pub(crate) hash: StoredHash,
}

pub(crate) struct Member {
    pub(crate) id: String,
    pub(crate) org_id: String,
    pub(crate) email: String,
    pub(crate) email_id: String,
    pub(crate) name: String,
    pub(crate) status: String,
    pub(crate) roles: Vec<String>,
    pub(crate) trusted_metadata: JsonObject,
    pub(crate) untrusted_metadata: JsonObject,
    pub(crate) mfa_phone_number: String,
    pub(crate) mfa_phone_number_verified: bool,
    pub(crate) mfa_enrolled: bool,
    pub(crate) email_verified: bool,
    pub(crate) password: Option<StoredPassword>,
    pub(crate) require_reset: bool,
    pub(crate) external_id: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
    /// Wrong passwords counted toward a lock, since `first_failure_at`.
    pub(crate) failures: u32,
    pub(crate) first_failure_at: i64,
    /// The last lock: (created, expires), Unix seconds. In force while `expires` is ahead.
    pub(crate) lock: Option<(i64, i64)>,
}

impl Member {
    /// A new active Member of `org_id` with nothing but an email address and maybe a password,
    /// as migrate and JIT provisioning make them.
    pub(crate) fn new(
        org_id: String,
        email: &str,
        password: Option<StoredPassword>,
        now: i64,
    ) -> Self {
        Self {
            id: new_id("member"),
            org_id,
            email: email.trim().to_owned(),
            email_id: new_id("member-email"),
            name: String::new(),
            status: "active".to_owned(),
            roles: Vec::new(),
            trusted_metadata: JsonObject::new(),
            untrusted_metadata: JsonObject::new(),
            mfa_phone_number: String::new(),
            mfa_phone_number_verified: false,
            mfa_enrolled: false,
            email_verified: false,
            password,
            require_reset: false,
            external_id: None,
            created_at: now,
            updated_at: now,
            failures: 0,
            first_failure_at: now,
            lock: None,
        }
    }

    /// The lock in force at `now`, if any: (created, expires).
    pub(crate) fn lock_at(&self, now: i64) -> Option<(i64, i64)> {
        self.lock.filter(|(_, expires)| *expires > now)
    }

    /// Counts a wrong password at `now`; returns whether it locked the Member.
    pub(crate) fn record_failure(&mut self, now: i64, policy: &LockoutPolicy) -> bool {
        if policy.max_failed_attempts == 0 {
            return false;
        }
        if self.failures == 0 || now - self.first_failure_at >= i64::from(policy.window_seconds) {
            self.failures = 0;
            self.first_failure_at = now;
        }
        self.failures += 1;
        if self.failures < policy.max_failed_attempts {
            return false;
        }
        self.failures = 0;
        self.lock = Some((now, now + i64::from(policy.lock_seconds)));
        self.updated_at = now;
        true
    }

    /// Forgets counted failures and lifts any lock: after a correct password or a new one.
    pub(crate) fn clear_failures(&mut self) {
        self.failures = 0;
        self.lock = None;
    }

    /// Stores `hash` as the new password, clearing any required reset. Shared by
    /// [`State::set_password`] and migrate (which brings its own hash); `now` is passed in so
    /// a new Member's `created_at` and `updated_at` can be the same instant.
    pub(crate) fn store_hash(&mut self, hash: StoredHash, now: i64) {
        self.password = Some(StoredPassword {
            id: new_id("member-password"),
            hash,
        });
        self.require_reset = false;
        self.updated_at = now;
        // A new password (a reset) lifts a lockout, as on Stytch.
        self.clear_failures();
    }

    /// Whether the Member has a password and `password` matches it.
    pub(crate) fn password_matches(&self, password: &str) -> bool {
        self.password
            .as_ref()
            .is_some_and(|p| p.hash.verify(password))
    }

    /// Role ids: `stytch_member` plus the explicit ones.
    pub(crate) fn role_ids(&self) -> Vec<String> {
        let mut ids = vec!["stytch_member".to_owned()];
        for r in &self.roles {
            if !ids.contains(r) {
                ids.push(r.clone());
            }
        }
        ids
    }

    /// The Member object as of `now` (which decides `is_locked`).
    pub(crate) fn to_json(&self, now: i64) -> Value {
        let lock = self.lock_at(now);
        let roles: Vec<Value> = self
            .role_ids()
            .into_iter()
            .map(|id| {
                json!({
                    "role_id": id,
                    "sources": [{"type": "direct_assignment", "details": {}}],
                })
            })
            .collect();
        let mut v = json!({
            "organization_id": self.org_id,
            "member_id": self.id,
            "email_address": self.email,
            "status": self.status,
            "name": self.name,
            "sso_registrations": [],
            "is_breakglass": false,
            "member_password_id": self.password.as_ref().map(|p| p.id.as_str()).unwrap_or(""),
            "oauth_registrations": [],
            "email_address_verified": self.email_verified,
            "mfa_phone_number_verified": self.mfa_phone_number_verified,
            "is_admin": self.roles.iter().any(|r| r == "stytch_admin"),
            "totp_registration_id": "",
            "retired_email_addresses": [],
            "is_locked": lock.is_some(),
            "mfa_enrolled": self.mfa_enrolled,
            "mfa_phone_number": self.mfa_phone_number,
            "default_mfa_method": if self.mfa_phone_number_verified { "sms_otp" } else { "" },
            "roles": roles,
            "trusted_metadata": self.trusted_metadata,
            "untrusted_metadata": self.untrusted_metadata,
            "created_at": rfc3339(self.created_at),
            "updated_at": rfc3339(self.updated_at),
        });
        if let Some(map) = v.as_object_mut() {
            if let Some(ext) = &self.external_id {
                map.insert("external_id".to_owned(), json!(ext));
            }
            if let Some((created, expires)) = lock {
                map.insert("lock_created_at".to_owned(), json!(rfc3339(created)));
                map.insert("lock_expires_at".to_owned(), json!(rfc3339(expires)));
            }
        }
        v
    }
}

pub(crate) struct Factor {
    pub(crate) created_at: i64,
    pub(crate) last_authenticated_at: i64,
    pub(crate) email_id: String,
    pub(crate) email: String,
}

impl Factor {
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "type": "password",
            "delivery_method": "knowledge",
            "last_authenticated_at": rfc3339(self.last_authenticated_at),
            "created_at": rfc3339(self.created_at),
            "updated_at": rfc3339(self.last_authenticated_at),
            "email_factor": {"email_id": self.email_id, "email_address": self.email},
        })
    }
}

pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) token: String,
    pub(crate) member_id: String,
    pub(crate) org_id: String,
    pub(crate) started_at: i64,
    pub(crate) last_accessed_at: i64,
    pub(crate) expires_at: i64,
    pub(crate) factors: Vec<Factor>,
    pub(crate) custom_claims: JsonObject,
    pub(crate) revoked: bool,
}

impl Session {
    pub(crate) fn is_live(&self, now: i64) -> bool {
        !self.revoked && self.expires_at > now
    }
}

pub(crate) struct Intermediate {
    pub(crate) token: String,
    pub(crate) expires_at: i64,
}

/// What a reset token is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ResetScope {
    Member(String),
    Discovery(String),
}

pub(crate) struct ResetToken {
    pub(crate) token: String,
    pub(crate) scope: ResetScope,
    pub(crate) expires_at: i64,
    pub(crate) used: bool,
    pub(crate) code_challenge: Option<String>,
}

/// Options for the session an authentication makes or extends: the fields every request that
/// logs a Member in carries, flattened into each request type (`#[serde(flatten)]`).
#[derive(Default, serde::Deserialize)]
pub(crate) struct SessionOptions {
    pub(crate) session_token: Option<String>,
    pub(crate) session_jwt: Option<String>,
    #[serde(rename = "session_duration_minutes")]
    pub(crate) duration_minutes: Option<i64>,
    #[serde(rename = "session_custom_claims")]
    pub(crate) custom_claims: Option<JsonObject>,
    /// Only some of those requests take one; they set it from their own field.
    #[serde(skip)]
    pub(crate) intermediate_session_token: Option<String>,
}

pub(crate) struct State {
    /// What [`State::reset`] goes back to.
    pub(crate) seed: Seed,
    pub(crate) lockout: LockoutPolicy,
    pub(crate) project_id: String,
    pub(crate) secret: Secret,
    pub(crate) policy: PasswordPolicy,
    pub(crate) breach_detection_on_create: bool,
    pub(crate) breached: Vec<Secret>,
    pub(crate) hashing: PasswordHashing,
    pub(crate) default_redirect: String,
    pub(crate) orgs: Vec<Org>,
    pub(crate) members: Vec<Member>,
    pub(crate) sessions: Vec<Session>,
    pub(crate) intermediate: Vec<Intermediate>,
    pub(crate) reset_tokens: Vec<ResetToken>,
    pub(crate) outbox: Vec<OutboxEmail>,
    pub(crate) faults: VecDeque<Fault>,
    pub(crate) key_index: usize,
    pub(crate) clock: Clock,
    pub(crate) calls: u64,
}

impl State {
    pub(crate) fn from_seed(mut seed: Seed) -> Result<Self, SeedError> {
        if seed.project.project_id.trim().is_empty() || seed.project.secret.is_empty() {
            return Err(SeedError::Invalid(
                "project_id and secret must not be empty".to_owned(),
            ));
        }
        let organizations = std::mem::take(&mut seed.organizations);
        let mut state = Self::without_organizations(seed);
        for org in &organizations {
            state.add_organization(org.clone())?;
        }
        state.seed.organizations = organizations;
        Ok(state)
    }

    /// Back to the seed: everything made since (Organizations, Members, sessions, tokens, the
    /// outbox, faults, the clock, the signing key, the call count) is gone. Organizations and
    /// Members without a fixed id in the seed get new random ids.
    pub(crate) fn reset(&mut self) -> Result<(), SeedError> {
        *self = Self::from_seed(self.seed.clone())?;
        Ok(())
    }

    /// The state of a seed, ignoring its Organizations. Cannot fail.
    pub(crate) fn without_organizations(seed: Seed) -> Self {
        State {
            project_id: seed.project.project_id.clone(),
            secret: seed.project.secret.clone(),
            policy: seed.password_policy.clone(),
            breach_detection_on_create: seed.breach_detection_on_create,
            breached: seed.breached_passwords.clone(),
            hashing: seed.password_hashing.clone(),
            default_redirect: seed.default_reset_password_redirect_url.clone(),
            lockout: seed.lockout,
            seed,
            orgs: Vec::new(),
            members: Vec::new(),
            sessions: Vec::new(),
            intermediate: Vec::new(),
            reset_tokens: Vec::new(),
            outbox: Vec::new(),
            faults: VecDeque::new(),
            key_index: 0,
            clock: Clock::default(),
            calls: 0,
        }
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    pub(crate) fn policy_settings(&self) -> PolicySettings<'_> {
        PolicySettings {
            policy: &self.policy,
            breach_detection_on_create: self.breach_detection_on_create,
            breached: &self.breached,
        }
    }

    /// Refuses a new password for the Member at `member_idx` that the policy rejects.
    pub(crate) fn check_member_password(&self, member_idx: usize, password: &str) -> ApiResult<()> {
        self.policy_settings()
            .check_new_password(password, Some(&self.members[member_idx].email))
    }

    /// Creates an Organization and its Members, all or nothing: when one Member is refused,
    /// the Organization and the Members made before it are taken back out.
    pub(crate) fn add_organization(&mut self, seed: OrganizationSeed) -> Result<String, SeedError> {
        let (orgs, members) = (self.orgs.len(), self.members.len());
        let result = self.add_organization_unchecked(seed);
        if result.is_err() {
            self.orgs.truncate(orgs);
            self.members.truncate(members);
        }
        result
    }

    fn add_organization_unchecked(&mut self, seed: OrganizationSeed) -> Result<String, SeedError> {
        if seed.slug.trim().is_empty() || seed.name.trim().is_empty() {
            return Err(SeedError::Invalid(
                "an Organization needs a name and a slug".to_owned(),
            ));
        }
        if self
            .orgs
            .iter()
            .any(|o| o.slug.eq_ignore_ascii_case(&seed.slug))
        {
            return Err(SeedError::Invalid(format!(
                "duplicate Organization slug {:?}",
                seed.slug
            )));
        }
        let id = seed
            .organization_id
            .clone()
            .unwrap_or_else(|| new_id("organization"));
        if self.orgs.iter().any(|o| o.id == id) {
            return Err(SeedError::Invalid(format!(
                "duplicate Organization id {id:?}"
            )));
        }
        let now = self.now();
        self.orgs.push(Org {
            id: id.clone(),
            name: seed.name,
            slug: seed.slug,
            mfa_policy: seed.mfa_policy,
            auth_methods: seed.auth_methods,
            allowed_auth_methods: seed.allowed_auth_methods,
            email_allowed_domains: seed.email_allowed_domains,
            email_jit_provisioning: seed.email_jit_provisioning,
            email_invites: seed.email_invites,
            trusted_metadata: seed.trusted_metadata,
            external_id: seed.external_id,
            created_at: now,
            updated_at: now,
        });
        for member in seed.members {
            self.add_member(&id, member)?;
        }
        Ok(id)
    }

    pub(crate) fn add_member(&mut self, org: &str, seed: MemberSeed) -> Result<String, SeedError> {
        let org_idx = self
            .find_org(org)
            .ok_or_else(|| SeedError::Invalid(format!("unknown Organization {org:?}")))?;
        let org_id = self.orgs[org_idx].id.clone();
        if !looks_like_email(&seed.email_address) {
            return Err(SeedError::Invalid(format!(
                "{:?} is not an email address",
                seed.email_address
            )));
        }
        if self.find_member(&org_id, &seed.email_address).is_some() {
            return Err(SeedError::Invalid(format!(
                "duplicate Member {:?} in {org_id}",
                seed.email_address
            )));
        }
        let hash = match (&seed.password, &seed.password_hash) {
            (Some(_), Some(_)) => {
                return Err(SeedError::Invalid(format!(
                    "Member {:?}: set password or password_hash, not both",
                    seed.email_address
                )))
            }
            (Some(p), None) => Some(hash_password(p.expose(), &self.hashing)),
            (None, Some(h)) => Some(parse_seeded(h)),
            (None, None) => None,
        };
        let password = match hash {
            Some(hash) => Some(StoredPassword {
                id: new_id("member-password"),
                hash: hash.map_err(|e| {
                    SeedError::Invalid(format!("Member {:?}: {}", seed.email_address, e.message))
                })?,
            }),
            None => None,
        };
        let id = seed.member_id.unwrap_or_else(|| new_id("member"));
        if self.find_member_by_id(&id).is_some() {
            return Err(SeedError::Invalid(format!("duplicate Member id {id:?}")));
        }
        let now = self.now();
        // `Member::new` sets what every new Member gets (email, ids, timestamps); the seed
        // sets the rest.
        self.members.push(Member {
            id: id.clone(),
            name: seed.name,
            status: seed.status,
            roles: seed.roles,
            trusted_metadata: seed.trusted_metadata,
            untrusted_metadata: seed.untrusted_metadata,
            mfa_phone_number: seed.mfa_phone_number,
            mfa_phone_number_verified: seed.mfa_phone_number_verified,
            mfa_enrolled: seed.mfa_enrolled,
            email_verified: seed.email_address_verified,
            require_reset: seed.require_reset,
            external_id: seed.external_id,
            ..Member::new(org_id, &seed.email_address, password, now)
        });
        Ok(id)
    }

    /// An Organization by id, slug or external id.
    pub(crate) fn find_org(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        self.orgs
            .iter()
            .position(|o| o.id == key)
            .or_else(|| {
                self.orgs
                    .iter()
                    .position(|o| o.slug.eq_ignore_ascii_case(key))
            })
            .or_else(|| {
                self.orgs
                    .iter()
                    .position(|o| o.external_id.as_deref() == Some(key))
            })
    }

    pub(crate) fn org_or_404(&self, key: &str) -> ApiResult<usize> {
        self.find_org(key)
            .ok_or_else(ApiFailure::organization_not_found)
    }

    /// A Member by id.
    pub(crate) fn find_member_by_id(&self, id: &str) -> Option<usize> {
        self.members.iter().position(|m| m.id == id)
    }

    pub(crate) fn member_or_404(&self, id: &str) -> ApiResult<usize> {
        self.find_member_by_id(id)
            .ok_or_else(ApiFailure::member_not_found)
    }

    pub(crate) fn find_member(&self, org_id: &str, email: &str) -> Option<usize> {
        let key = email_key(email);
        self.members
            .iter()
            .position(|m| m.org_id == org_id && email_key(&m.email) == key)
    }

    pub(crate) fn org_of(&self, member_idx: usize) -> ApiResult<usize> {
        let org_id = &self.members[member_idx].org_id;
        self.orgs
            .iter()
            .position(|o| &o.id == org_id)
            .ok_or_else(ApiFailure::organization_not_found)
    }

    /// Sets a new password the emulator hashes itself, clearing any required reset.
    pub(crate) fn set_password(&mut self, member_idx: usize, password: &str) -> ApiResult<()> {
        let hash = hash_password(password, &self.hashing)?;
        let now = self.now();
        self.members[member_idx].store_hash(hash, now);
        Ok(())
    }

    /// Revokes the Member's sessions, except `keep`.
    pub(crate) fn revoke_sessions(&mut self, member_id: &str, keep: Option<&str>) {
        for s in &mut self.sessions {
            if s.member_id == member_id && Some(s.id.as_str()) != keep {
                s.revoked = true;
            }
        }
    }

    /// A live session by its token or JWT.
    pub(crate) fn live_session(&self, token: Option<&str>, jwt: Option<&str>) -> ApiResult<usize> {
        let now = self.now();
        let idx = if let Some(token) = token.filter(|t| !t.is_empty()) {
            self.sessions.iter().position(|s| s.token == token)
        } else if let Some(jwt) = jwt.filter(|t| !t.is_empty()) {
            let key = jwt::key(self.key_index)?;
            jwt::session_id_from_jwt(key, jwt, &self.project_id)
                .and_then(|id| self.sessions.iter().position(|s| s.id == id))
        } else {
            None
        };
        idx.filter(|i| self.sessions[*i].is_live(now))
            .ok_or_else(ApiFailure::session_not_found)
    }

    pub(crate) fn new_intermediate(&mut self) -> String {
        let token = new_token();
        self.intermediate.push(Intermediate {
            token: token.clone(),
            expires_at: self.now() + INTERMEDIATE_SESSION_SECONDS,
        });
        token
    }

    /// Checks and consumes an intermediate session token.
    pub(crate) fn consume_intermediate(&mut self, token: &str) -> ApiResult<()> {
        let now = self.now();
        match self
            .intermediate
            .iter()
            .position(|i| i.token == token && i.expires_at > now)
        {
            Some(i) => {
                self.intermediate.remove(i);
                Ok(())
            }
            None => Err(ApiFailure::new(
                404,
                "intermediate_session_not_found",
                "Intermediate session could not be found: it is unknown, used or expired.",
            )),
        }
    }

    fn session_duration(minutes: Option<i64>) -> ApiResult<i64> {
        let minutes = minutes.unwrap_or(DEFAULT_SESSION_MINUTES);
        if !(5..=527_040).contains(&minutes) {
            return Err(ApiFailure::invalid_request(
                "session_duration_minutes must be between 5 and 527040.",
            ));
        }
        Ok(minutes * 60)
    }

    /// Creates a session for the Member, or extends `existing` with a fresh password factor.
    pub(crate) fn start_session(
        &mut self,
        member_idx: usize,
        existing: Option<usize>,
        duration_minutes: Option<i64>,
        custom_claims: Option<JsonObject>,
    ) -> ApiResult<usize> {
        let now = self.now();
        let member = &self.members[member_idx];
        let factor = Factor {
            created_at: now,
            last_authenticated_at: now,
            email_id: member.email_id.clone(),
            email: member.email.clone(),
        };
        match existing {
            Some(idx) => {
                let s = &mut self.sessions[idx];
                s.last_accessed_at = now;
                if duration_minutes.is_some() {
                    s.expires_at = now + Self::session_duration(duration_minutes)?;
                }
                if let Some(claims) = custom_claims {
                    s.custom_claims.extend(claims);
                }
                match s.factors.first_mut() {
                    Some(f) => f.last_authenticated_at = now,
                    None => s.factors.push(factor),
                }
                Ok(idx)
            }
            None => {
                let lifetime = Self::session_duration(duration_minutes)?;
                self.sessions.push(Session {
                    id: new_id("member-session"),
                    token: new_token(),
                    member_id: member.id.clone(),
                    org_id: member.org_id.clone(),
                    started_at: now,
                    last_accessed_at: now,
                    expires_at: now + lifetime,
                    factors: vec![factor],
                    custom_claims: custom_claims.unwrap_or_default(),
                    revoked: false,
                });
                Ok(self.sessions.len() - 1)
            }
        }
    }

    fn org_slug(&self, org_id: &str) -> String {
        self.orgs
            .iter()
            .find(|o| o.id == org_id)
            .map(|o| o.slug.clone())
            .unwrap_or_default()
    }

    fn session_roles(&self, session: &Session) -> Vec<String> {
        self.find_member_by_id(&session.member_id)
            .map(|i| self.members[i].role_ids())
            .unwrap_or_default()
    }

    /// The MemberSession object.
    pub(crate) fn session_json(&self, idx: usize) -> Value {
        let s = &self.sessions[idx];
        json!({
            "member_session_id": s.id,
            "member_id": s.member_id,
            "started_at": rfc3339(s.started_at),
            "last_accessed_at": rfc3339(s.last_accessed_at),
            "expires_at": rfc3339(s.expires_at),
            "authentication_factors": s.factors.iter().map(Factor::to_json).collect::<Vec<_>>(),
            "organization_id": s.org_id,
            "roles": self.session_roles(s),
            "organization_slug": self.org_slug(&s.org_id),
            "custom_claims": s.custom_claims,
        })
    }

    /// A fresh session JWT for the session at `idx`.
    pub(crate) fn session_jwt(&self, idx: usize) -> ApiResult<String> {
        let s = &self.sessions[idx];
        let now = self.now();
        let mut claims = s.custom_claims.clone();
        let fixed = json!({
            "sub": s.member_id,
            "iss": format!("stytch.com/{}", self.project_id),
            "aud": [self.project_id],
            "iat": now,
            "nbf": now,
            "exp": (now + jwt::JWT_LIFETIME_SECONDS).min(s.expires_at),
            "https://stytch.com/session": {
                "id": s.id,
                "started_at": rfc3339(s.started_at),
                "last_accessed_at": rfc3339(s.last_accessed_at),
                "expires_at": rfc3339(s.expires_at),
                "attributes": {"ip_address": "", "user_agent": ""},
                "authentication_factors":
                    s.factors.iter().map(Factor::to_json).collect::<Vec<_>>(),
                "roles": self.session_roles(s),
            },
            "https://stytch.com/organization": {
                "organization_id": s.org_id,
                "slug": self.org_slug(&s.org_id),
            },
        });
        if let Value::Object(fixed) = fixed {
            claims.extend(fixed);
        }
        jwt::sign(jwt::key(self.key_index)?, &Value::Object(claims))
    }

    /// Whether any call can reach the Member's sessions: for tests.
    pub(crate) fn live_sessions_of(&self, member_id: &str) -> usize {
        let now = self.now();
        self.sessions
            .iter()
            .filter(|s| s.member_id == member_id && s.is_live(now))
            .count()
    }
}
