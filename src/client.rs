//! `PasswordsClient`: the `PasswordsApi` port implemented over any `HttpTransport`.

use std::fmt;
use std::sync::Arc;

use std::future::Future;
use std::pin::Pin;

use crate::api::PasswordsApi;
use crate::config::{ClientBuilder, Config};
use crate::endpoints::*;
use crate::error::Result;
use crate::secret::Secret;
use crate::transport::HttpTransport;
use crate::wire::{build_request, parse_response_for, Endpoint, SentValues};

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

    /// Sends any endpoint's request: build (pure), send (the transport), parse (pure). An error
    /// made from the response never shows a value the request carried.
    pub async fn call<E: Endpoint + Sync>(&self, request: &E) -> Result<E::Response> {
        let http_request = build_request(&self.config, request)?;
        let sent = SentValues::of(&http_request);
        let http_response = self.transport.send(http_request).await?;
        parse_response_for::<E>(&sent, http_response)
    }

    /// [`call`](Self::call) for an owned request, the body of every `PasswordsApi` method. The
    /// request (and the secrets in it) is dropped as soon as its bytes are built.
    async fn call_owned<E: Endpoint>(&self, request: E) -> Result<E::Response> {
        let http_request = build_request(&self.config, &request)?;
        drop(request);
        let sent = SentValues::of(&http_request);
        let http_response = self.transport.send(http_request).await?;
        parse_response_for::<E>(&sent, http_response)
    }
}

// Written out rather than through `#[async_trait]`: its generated body adds a layer of future
// around `call_owned`, and each layer copies the (up to 3 KB) response once more on the way out.
// The signatures are exactly what `#[async_trait]` makes of the trait's methods.
macro_rules! endpoint_methods {
    ($($method:ident($request:ty) -> $response:ty;)*) => {$(
        fn $method<'life0, 'async_trait>(
            &'life0 self,
            request: $request,
        ) -> Pin<Box<dyn Future<Output = Result<$response>> + Send + 'async_trait>>
        where
            'life0: 'async_trait,
            Self: 'async_trait,
        {
            Box::pin(self.call_owned(request))
        }
    )*};
}

impl PasswordsApi for PasswordsClient {
    endpoint_methods! {
        strength_check(StrengthCheckRequest) -> StrengthCheckResponse;
        migrate(MigrateRequest) -> MigrateResponse;
        authenticate(AuthenticateRequest) -> AuthenticateResponse;
        email_reset_start(EmailResetStartRequest) -> EmailResetStartResponse;
        email_reset(EmailResetRequest) -> EmailResetResponse;
        email_require_reset(EmailRequireResetRequest) -> EmailRequireResetResponse;
        sessions_reset(SessionsResetRequest) -> SessionsResetResponse;
        existing_password_reset(ExistingPasswordResetRequest) -> ExistingPasswordResetResponse;
        discovery_authenticate(DiscoveryAuthenticateRequest) -> DiscoveryAuthenticateResponse;
        discovery_email_reset_start(DiscoveryEmailResetStartRequest)
            -> DiscoveryEmailResetStartResponse;
        discovery_email_reset(DiscoveryEmailResetRequest) -> DiscoveryEmailResetResponse;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Per-call futures are boxed (`PasswordsApi` is an `async_trait` port); glibc serves blocks
    /// up to 1032 bytes from a per-thread cache, and larger ones many times slower when many
    /// calls are in flight (docs/PERFORMANCE.md). Keep both boxes under that line.
    #[cfg(feature = "hyper")]
    #[test]
    fn per_call_futures_fit_the_allocator_fast_path() {
        let client = PasswordsClient::builder("project-test-1", "secret-1")
            .base_url("http://127.0.0.1:9")
            .build()
            .expect("client");
        let request = AuthenticateRequest::new("org", "ada@example.com", "pw");
        let api_future = client.call_owned(request.clone());
        assert!(std::mem::size_of_val(&api_future) <= 1024);
        let http_request = build_request(client.config(), &request).expect("request");
        let transport_future = client.transport().send(http_request);
        assert!(std::mem::size_of_val(&*transport_future) <= 1024);
    }
}
