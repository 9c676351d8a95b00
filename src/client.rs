//! `PasswordsClient`: the `PasswordsApi` port implemented over any `HttpTransport`.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

use crate::api::PasswordsApi;
use crate::config::{ClientBuilder, Config};
use crate::endpoints::*;
use crate::error::Result;
use crate::secret::Secret;
use crate::transport::HttpTransport;
use crate::wire::{build_request, parse_response, Endpoint};

/// The B2B Passwords client. Cheap to clone: clones share the configuration and the transport
/// (and so its connection pool).
///
/// ```
/// use stytch_b2b_passwords::{PasswordsApi, PasswordsClient, StrengthCheckRequest};
/// use stytch_b2b_passwords::transport::transport_fn;
///
/// # tokio_test_block_on(async {
/// let transport = transport_fn(|_request| async {
///     Ok(http::Response::new(bytes::Bytes::from_static(
///         br#"{"request_id":"r","valid_password":true,"score":4,"breached_password":false,
///             "strength_policy":"zxcvbn","breach_detection_on_create":true,"status_code":200}"#,
///     )))
/// });
/// let client = PasswordsClient::builder("project-test-1", "secret-1")
///     .transport(transport)
///     .build()?;
/// let response = client.strength_check(StrengthCheckRequest::new("correct horse battery")).await?;
/// assert!(response.valid_password);
/// # Ok::<_, stytch_b2b_passwords::Error>(())
/// # });
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Clone)]
pub struct PasswordsClient {
    config: Arc<Config>,
    transport: Arc<dyn HttpTransport>,
    /// The project's JWKS, fetched on first use by `authenticate_jwt_local`.
    #[cfg(feature = "jwt")]
    pub(crate) jwks: Arc<crate::jwt::JwksCache>,
}

impl fmt::Debug for PasswordsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordsClient")
            .field("config", &self.config)
            .field("transport", &self.transport)
            .finish()
    }
}

impl PasswordsClient {
    /// Starts building a client for a project.
    pub fn builder(project_id: impl Into<String>, secret: impl Into<Secret>) -> ClientBuilder {
        ClientBuilder::new(project_id, secret)
    }

    /// Joins an already checked configuration and a transport.
    pub fn from_parts(config: Config, transport: Arc<dyn HttpTransport>) -> Self {
        Self {
            config: Arc::new(config),
            transport,
            #[cfg(feature = "jwt")]
            jwks: Arc::default(),
        }
    }

    /// The configuration every request is built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The transport requests are sent through.
    pub fn transport(&self) -> &Arc<dyn HttpTransport> {
        &self.transport
    }

    /// Sends any endpoint's request: build (pure), send (the transport), parse (pure).
    pub async fn call<E: Endpoint + Sync>(&self, request: &E) -> Result<E::Response> {
        let http_request = build_request(&self.config, request)?;
        // `as_ref` calls the transport itself, not the `Arc` forwarding impl (one box fewer).
        let http_response = self.transport.as_ref().send(http_request).await?;
        parse_response::<E>(http_response)
    }
}

#[async_trait]
impl PasswordsApi for PasswordsClient {
    async fn strength_check(&self, request: StrengthCheckRequest) -> Result<StrengthCheckResponse> {
        self.call(&request).await
    }

    async fn migrate(&self, request: MigrateRequest) -> Result<MigrateResponse> {
        self.call(&request).await
    }

    async fn authenticate(&self, request: AuthenticateRequest) -> Result<AuthenticateResponse> {
        self.call(&request).await
    }

    async fn email_reset_start(
        &self,
        request: EmailResetStartRequest,
    ) -> Result<EmailResetStartResponse> {
        self.call(&request).await
    }

    async fn email_reset(&self, request: EmailResetRequest) -> Result<EmailResetResponse> {
        self.call(&request).await
    }

    async fn email_require_reset(
        &self,
        request: EmailRequireResetRequest,
    ) -> Result<EmailRequireResetResponse> {
        self.call(&request).await
    }

    async fn sessions_reset(&self, request: SessionsResetRequest) -> Result<SessionsResetResponse> {
        self.call(&request).await
    }

    async fn existing_password_reset(
        &self,
        request: ExistingPasswordResetRequest,
    ) -> Result<ExistingPasswordResetResponse> {
        self.call(&request).await
    }

    async fn discovery_authenticate(
        &self,
        request: DiscoveryAuthenticateRequest,
    ) -> Result<DiscoveryAuthenticateResponse> {
        self.call(&request).await
    }

    async fn discovery_email_reset_start(
        &self,
        request: DiscoveryEmailResetStartRequest,
    ) -> Result<DiscoveryEmailResetStartResponse> {
        self.call(&request).await
    }

    async fn discovery_email_reset(
        &self,
        request: DiscoveryEmailResetRequest,
    ) -> Result<DiscoveryEmailResetResponse> {
        self.call(&request).await
    }
}
