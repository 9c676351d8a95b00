//! The public handle: build an emulator, seed it, steer it from a test, and send it requests.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_TYPE};
use serde_json::Value;
use stytch_b2b_passwords::transport::{HttpRequest, HttpResponse};
use stytch_b2b_passwords::{ConfigError, PasswordsClient, Secret};

use crate::api;
use crate::faults::{Fault, FaultKind};
use crate::jwt;
use crate::outbox::OutboxEmail;
use crate::seed::{
    LockoutPolicy, MemberSeed, OrganizationSeed, PasswordHashing, PasswordPolicy, ProjectSeed,
    Seed, SeedError,
};
use crate::state::{to_system_time, State};
use crate::transport::EmulatorTransport;
use crate::util::{email_key, uuid_v4};

/// A stateful emulator of Stytch's B2B Passwords API.
///
/// Cheap to clone: clones share the same state, so a test can keep one handle to steer the
/// emulator (seed it, move its clock, read its outbox, inject faults) while a client sends it
/// requests through [`EmulatorTransport`] or over HTTP through [`serve`](crate::serve).
///
/// Requests are handled one at a time (the state sits behind one lock).
///
/// ```
/// use stytch_b2b_passwords::{AuthenticateRequest, PasswordsApi};
/// use stytch_b2b_passwords_emulator::{Emulator, MemberSeed, OrganizationSeed};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let emulator = Emulator::builder()
///     .organization(
///         OrganizationSeed::new("Acme", "acme")
///             .member(MemberSeed::new("ada@acme.com").password("a long passphrase 42")),
///     )
///     .build()?;
/// let client = emulator.client()?;
/// let response = client
///     .authenticate(AuthenticateRequest::new("acme", "ada@acme.com", "a long passphrase 42"))
///     .await?;
/// assert!(response.member_authenticated);
/// # Ok::<_, Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct Emulator {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.lock();
        f.debug_struct("Emulator")
            .field("project_id", &s.project_id)
            .field("organizations", &s.orgs.len())
            .field("members", &s.members.len())
            .field("sessions", &s.sessions.len())
            .field("outbox", &s.outbox.len())
            .finish_non_exhaustive()
    }
}

impl Default for Emulator {
    fn default() -> Self {
        Self::new()
    }
}

/// What one request came to: an HTTP response, or a connection dropped on purpose.
pub(crate) enum Outcome {
    Response(HttpResponse),
    Dropped,
}

impl Emulator {
    /// An empty project with the default credentials ([`DEFAULT_PROJECT_ID`],
    /// [`DEFAULT_SECRET`]), the zxcvbn policy and fast hashing.
    ///
    /// [`DEFAULT_PROJECT_ID`]: crate::DEFAULT_PROJECT_ID
    /// [`DEFAULT_SECRET`]: crate::DEFAULT_SECRET
    pub fn new() -> Self {
        Self::from_state(State::without_organizations(Seed::default()))
    }

    /// Starts building an emulator.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            seed: Seed::default(),
        }
    }

    /// An emulator loaded with `seed`.
    pub fn from_seed(seed: Seed) -> Result<Self, SeedError> {
        State::from_seed(seed).map(Self::from_state)
    }

    /// An emulator loaded from a JSON seed file (see `docs/EMULATOR.md`).
    pub fn from_seed_file(path: impl AsRef<std::path::Path>) -> Result<Self, SeedError> {
        Self::from_seed(Seed::from_file(path)?)
    }

    fn from_state(state: State) -> Self {
        Self {
            state: Arc::new(Mutex::new(state)),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held (there is none on request data) must not make every
        // later call fail too.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The project id requests must authenticate with.
    pub fn project_id(&self) -> String {
        self.lock().project_id.clone()
    }

    /// The project secret requests must authenticate with.
    pub fn secret(&self) -> Secret {
        self.lock().secret.clone()
    }

    /// A transport that answers in-process, without a socket.
    pub fn transport(&self) -> EmulatorTransport {
        EmulatorTransport::new(self.clone())
    }

    /// A client with the emulator's credentials, sending through [`Emulator::transport`].
    pub fn client(&self) -> Result<PasswordsClient, ConfigError> {
        PasswordsClient::builder(self.project_id(), self.secret())
            .transport(self.transport())
            .build()
    }

    // ----- seeding -----

    /// Creates an Organization (and its Members); returns its id.
    pub fn add_organization(&self, organization: OrganizationSeed) -> Result<String, SeedError> {
        self.lock().add_organization(organization)
    }

    /// Creates a Member in an Organization (by id or slug); returns the Member's id.
    pub fn add_member(&self, organization: &str, member: MemberSeed) -> Result<String, SeedError> {
        self.lock().add_member(organization, member)
    }

    /// An Organization's id, from its id, slug or external id.
    pub fn organization_id(&self, organization: &str) -> Option<String> {
        let s = self.lock();
        s.find_org(organization).map(|i| s.orgs[i].id.clone())
    }

    /// A Member's id, from its Organization (id or slug) and email.
    pub fn member_id(&self, organization: &str, email: &str) -> Option<String> {
        let s = self.lock();
        let org = s.find_org(organization)?;
        s.find_member(&s.orgs[org].id, email)
            .map(|i| s.members[i].id.clone())
    }

    /// Sets an Organization's MFA policy (`OPTIONAL` or `REQUIRED_FOR_ALL`).
    pub fn set_mfa_policy(&self, organization: &str, policy: &str) -> Result<(), SeedError> {
        let mut s = self.lock();
        let idx = s
            .find_org(organization)
            .ok_or_else(|| SeedError::Invalid(format!("unknown Organization {organization:?}")))?;
        s.orgs[idx].mfa_policy = policy.to_owned();
        Ok(())
    }

    /// Sets the password strength policy.
    pub fn set_password_policy(&self, policy: PasswordPolicy) {
        self.lock().policy = policy;
    }

    /// Turns refusing breached passwords on create on or off.
    pub fn set_breach_detection_on_create(&self, on: bool) {
        self.lock().breach_detection_on_create = on;
    }

    /// Adds passwords to the breached list.
    pub fn add_breached_passwords<S: Into<Secret>>(&self, passwords: impl IntoIterator<Item = S>) {
        self.lock()
            .breached
            .extend(passwords.into_iter().map(Into::into));
    }

    /// Sets when repeated wrong passwords lock a Member (see [`LockoutPolicy`]).
    pub fn set_lockout_policy(&self, policy: LockoutPolicy) {
        self.lock().lockout = policy;
    }

    /// Puts everything back as the seed had it: Organizations and Members made since, sessions,
    /// tokens, the outbox, faults, the clock, the signing key and the call count are gone, and
    /// settings changed since (policy, hashing, lockout, ...) are the seed's again. Seeded
    /// Organizations and Members without a fixed id get new ids.
    pub fn reset(&self) -> Result<(), SeedError> {
        self.lock().reset()
    }

    /// Changes how the emulator hashes passwords it sets from now on.
    pub fn set_password_hashing(&self, hashing: PasswordHashing) {
        self.lock().hashing = hashing;
    }

    // ----- clock -----

    /// The emulated time.
    pub fn now(&self) -> SystemTime {
        to_system_time(self.lock().now())
    }

    /// Moves the emulated clock forward (whole seconds).
    pub fn advance_clock(&self, by: Duration) {
        let secs = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        let mut s = self.lock();
        s.clock.offset = s.clock.offset.saturating_add(secs);
    }

    /// Stops the emulated clock at the current instant: it then moves only with
    /// [`Emulator::advance_clock`].
    pub fn freeze_clock(&self) {
        let mut s = self.lock();
        let now = s.now();
        s.clock.frozen_at = Some(now);
        s.clock.offset = 0;
    }

    // ----- outbox -----

    /// Every email sent so far, oldest first.
    pub fn outbox(&self) -> Vec<OutboxEmail> {
        self.lock().outbox.clone()
    }

    /// The last email sent to `email` (compared case-insensitively).
    pub fn last_email_to(&self, email: &str) -> Option<OutboxEmail> {
        let key = email_key(email);
        self.lock()
            .outbox
            .iter()
            .rev()
            .find(|e| email_key(&e.to) == key)
            .cloned()
    }

    /// Empties the outbox.
    pub fn clear_outbox(&self) {
        self.lock().outbox.clear();
    }

    // ----- faults -----

    /// Queues a fault; each call takes the first queued fault that matches its path.
    pub fn inject_fault(&self, fault: Fault) {
        if fault.remaining > 0 {
            self.lock().faults.push_back(fault);
        }
    }

    /// Removes every queued fault.
    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    // ----- keys and sessions -----

    /// The `kid` of the key that signs session JWTs now.
    pub fn signing_key_id(&self) -> String {
        let index = self.lock().key_index;
        jwt::key(index)
            .map(|k| k.kid.to_owned())
            .unwrap_or_default()
    }

    /// Switches to the next of the four shipped test signing keys (in a cycle): a new `kid`, the
    /// old one leaves the JWKS, and JWTs signed with it no longer authenticate. Returns the new
    /// `kid`.
    pub fn rotate_signing_key(&self) -> String {
        {
            let mut s = self.lock();
            s.key_index = s.key_index.wrapping_add(1);
        }
        self.signing_key_id()
    }

    /// The JWKS document served at `GET /v1/b2b/sessions/jwks/{project_id}` (without
    /// `request_id` and `status_code`).
    pub fn jwks(&self) -> Value {
        let index = self.lock().key_index;
        jwt::key(index).and_then(jwt::jwks).unwrap_or(Value::Null)
    }

    /// How many live (unexpired, unrevoked) sessions a Member has.
    pub fn live_session_count(&self, member_id: &str) -> usize {
        self.lock().live_sessions_of(member_id)
    }

    /// Until when a Member's password log-in is locked (`None`: not locked, or no such Member).
    pub fn member_locked_until(&self, member_id: &str) -> Option<SystemTime> {
        let state = self.lock();
        let idx = state.find_member_by_id(member_id)?;
        let (_, expires) = state.members[idx].lock_at(state.now())?;
        Some(to_system_time(expires))
    }

    /// Whether a Member is flagged to reset their password (`None`: no such Member).
    pub fn member_requires_reset(&self, member_id: &str) -> Option<bool> {
        let state = self.lock();
        state
            .find_member_by_id(member_id)
            .map(|i| state.members[i].require_reset)
    }

    /// How many requests reached the API (not counting ones an injected fault answered).
    pub fn call_count(&self) -> u64 {
        self.lock().calls
    }

    // ----- requests -----

    /// Answers one request synchronously, ignoring injected faults: the API behaviour alone.
    pub fn respond(&self, request: &HttpRequest) -> HttpResponse {
        let request_id = new_request_id();
        let (status, body) = {
            let mut s = self.lock();
            api::handle(
                &mut s,
                request.method(),
                request.uri().path(),
                request.headers(),
                request.body(),
                &request_id,
            )
        };
        json_response(status, &body)
    }

    /// Answers one request as a transport would: injected faults first, then the API.
    pub(crate) async fn process(&self, request: HttpRequest) -> Outcome {
        let fault = {
            let mut s = self.lock();
            take_fault(&mut s, request.uri().path())
        };
        match fault {
            Some(FaultKind::Latency(delay)) => tokio::time::sleep(delay).await,
            Some(FaultKind::DropConnection) => return Outcome::Dropped,
            Some(FaultKind::Respond {
                status,
                body,
                content_type,
            }) => return Outcome::Response(fault_response(status, body, &content_type)),
            None => {}
        }
        Outcome::Response(self.respond(&request))
    }
}

pub(crate) fn new_request_id() -> String {
    format!("request-id-test-{}", uuid_v4())
}

fn take_fault(state: &mut State, path: &str) -> Option<FaultKind> {
    let idx = state
        .faults
        .iter()
        .position(|f| f.path.as_deref().is_none_or(|p| p == path))?;
    let fault = state.faults.get_mut(idx)?;
    fault.remaining = fault.remaining.saturating_sub(1);
    let kind = fault.kind.clone();
    if fault.remaining == 0 {
        state.faults.remove(idx);
    }
    Some(kind)
}

pub(crate) fn json_response(status: u16, body: &Value) -> HttpResponse {
    let bytes = Bytes::from(body.to_string());
    let mut response = HttpResponse::new(bytes);
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn fault_response(status: u16, body: Bytes, content_type: &str) -> HttpResponse {
    // A Stytch-shaped body gets this call's request id.
    let body = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(mut map)) if map.contains_key("request_id") => {
            map.insert("request_id".to_owned(), Value::from(new_request_id()));
            Bytes::from(Value::Object(map).to_string())
        }
        _ => body,
    };
    let mut response = HttpResponse::new(body);
    *response.status_mut() =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(CONTENT_TYPE, v);
    }
    response
}

/// Builds an [`Emulator`] from parts of a [`Seed`].
#[derive(Debug)]
#[must_use]
pub struct EmulatorBuilder {
    seed: Seed,
}

impl EmulatorBuilder {
    /// Starts from a whole seed.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the project credentials.
    pub fn project(mut self, project_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        self.seed.project = ProjectSeed::new(project_id, secret);
        self
    }

    /// Sets the password strength policy.
    pub fn password_policy(mut self, policy: PasswordPolicy) -> Self {
        self.seed.password_policy = policy;
        self
    }

    /// Turns refusing breached passwords on create on or off.
    pub fn breach_detection_on_create(mut self, on: bool) -> Self {
        self.seed.breach_detection_on_create = on;
        self
    }

    /// Adds passwords to the breached list.
    pub fn breached_passwords<S: Into<Secret>>(
        mut self,
        passwords: impl IntoIterator<Item = S>,
    ) -> Self {
        self.seed
            .breached_passwords
            .extend(passwords.into_iter().map(Into::into));
        self
    }

    /// Sets how the emulator hashes passwords it sets itself.
    pub fn password_hashing(mut self, hashing: PasswordHashing) -> Self {
        self.seed.password_hashing = hashing;
        self
    }

    /// Sets when repeated wrong passwords lock a Member.
    pub fn lockout(mut self, policy: LockoutPolicy) -> Self {
        self.seed.lockout = policy;
        self
    }

    /// Sets where reset links lead by default.
    pub fn default_reset_password_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.seed.default_reset_password_redirect_url = url.into();
        self
    }

    /// Adds an Organization.
    pub fn organization(mut self, organization: OrganizationSeed) -> Self {
        self.seed.organizations.push(organization);
        self
    }

    /// Builds the emulator; fails on an inconsistent seed.
    pub fn build(self) -> Result<Emulator, SeedError> {
        Emulator::from_seed(self.seed)
    }
}
