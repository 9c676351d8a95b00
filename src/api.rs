//! The `PasswordsApi` port: what an application calls, whatever serves it.

use async_trait::async_trait;

use crate::endpoints::*;
use crate::error::Result;

/// The 11 operations of Stytch's B2B Passwords API, one method each, named after the API.
///
/// [`PasswordsClient`](crate::PasswordsClient) implements it over HTTP (and has the same
/// methods of its own, with unboxed futures, for code that holds the client). Application code
/// that takes `&dyn PasswordsApi` (or holds an `Arc<dyn PasswordsApi>`) can be tested with
/// `MockPasswordsApi` (feature `mock`) or a hand-written fake.
///
/// ```
/// use std::sync::Arc;
/// use stytch_b2b_passwords::{AuthenticateRequest, PasswordsApi};
///
/// async fn log_in(api: &dyn PasswordsApi, org: &str, email: &str, password: &str) -> bool {
///     api.authenticate(AuthenticateRequest::new(org, email, password))
///         .await
///         .map(|r| r.member_authenticated)
///         .unwrap_or(false)
/// }
/// # fn _object_safe(_: Arc<dyn PasswordsApi>) {}
/// ```
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait PasswordsApi: Send + Sync {
    /// `POST /v1/b2b/passwords/strength_check`: scores a password against the project's policy.
    async fn strength_check(&self, request: StrengthCheckRequest) -> Result<StrengthCheckResponse>;

    /// `POST /v1/b2b/passwords/migrate`: creates or updates a Member with a password hash from
    /// another system.
    async fn migrate(&self, request: MigrateRequest) -> Result<MigrateResponse>;

    /// `POST /v1/b2b/passwords/authenticate`: logs a Member in with email and password.
    async fn authenticate(&self, request: AuthenticateRequest) -> Result<AuthenticateResponse>;

    /// `POST /v1/b2b/passwords/email/reset/start`: emails a password reset link.
    async fn email_reset_start(
        &self,
        request: EmailResetStartRequest,
    ) -> Result<EmailResetStartResponse>;

    /// `POST /v1/b2b/passwords/email/reset`: sets a new password with the emailed token.
    async fn email_reset(&self, request: EmailResetRequest) -> Result<EmailResetResponse>;

    /// `POST /v1/b2b/passwords/email/require_reset`: makes a Member reset before their next
    /// password login.
    async fn email_require_reset(
        &self,
        request: EmailRequireResetRequest,
    ) -> Result<EmailRequireResetResponse>;

    /// `POST /v1/b2b/passwords/session/reset`: sets a new password for the Member of a recent
    /// session.
    async fn sessions_reset(&self, request: SessionsResetRequest) -> Result<SessionsResetResponse>;

    /// `POST /v1/b2b/passwords/existing_password/reset`: changes a password given the current
    /// one.
    async fn existing_password_reset(
        &self,
        request: ExistingPasswordResetRequest,
    ) -> Result<ExistingPasswordResetResponse>;

    /// `POST /v1/b2b/passwords/discovery/authenticate`: authenticates an email and password
    /// across Organizations.
    async fn discovery_authenticate(
        &self,
        request: DiscoveryAuthenticateRequest,
    ) -> Result<DiscoveryAuthenticateResponse>;

    /// `POST /v1/b2b/passwords/discovery/email/reset/start`: emails a reset link outside any
    /// Organization.
    async fn discovery_email_reset_start(
        &self,
        request: DiscoveryEmailResetStartRequest,
    ) -> Result<DiscoveryEmailResetStartResponse>;

    /// `POST /v1/b2b/passwords/discovery/email/reset`: sets a new password with the emailed
    /// token, outside any Organization.
    async fn discovery_email_reset(
        &self,
        request: DiscoveryEmailResetRequest,
    ) -> Result<DiscoveryEmailResetResponse>;
}
