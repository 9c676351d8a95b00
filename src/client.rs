//! `PasswordsClient`: the `PasswordsApi` port implemented over any `HttpTransport`.

use std::borrow::Borrow;
use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::Arc;

use http::StatusCode;
use tracing::field::{display, Empty};
use tracing::Span;

use crate::api::PasswordsApi;
use crate::call::{self, CallPolicy};
use crate::config::{ClientBuilder, Config};
use crate::endpoints::*;
use crate::error::{Error, Result};
use crate::options::CallOptions;
use crate::retry::{RetryBudget, RetryPolicy};
use crate::secret::Secret;
use crate::transport::HttpTransport;
use crate::wire::{build_request, parse_response_lazy, Endpoint, EndpointResponse, SentValues};

/// The B2B Passwords client. Cheap to clone: clones share the configuration, the transport (and
/// so its connection pool) and the retry budget.
///
/// Every call runs under the client's [`RetryPolicy`], whatever the transport: failed attempts
/// are sent again where that is safe, after a backoff wait on the client's
/// [`Timer`](crate::transport::Timer). [`with_options`](Self::with_options) gives a handle with a
/// deadline, another policy or extra headers for some calls.
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
    policy: Arc<CallPolicy>,
    options: Option<Arc<CallOptions>>,
    /// The project's JWKS, fetched on first use by `authenticate_jwt_local`.
    #[cfg(feature = "jwt")]
    pub(crate) jwks: Arc<crate::jwt::JwksCache>,
}

impl fmt::Debug for PasswordsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordsClient")
            .field("config", &self.config)
            .field("transport", &self.transport)
            .field("policy", &self.policy)
            .field("options", &self.options)
            .finish()
    }
}

impl PasswordsClient {
    /// Starts building a client for a project.
    pub fn builder(project_id: impl Into<String>, secret: impl Into<Secret>) -> ClientBuilder {
        ClientBuilder::new(project_id, secret)
    }

    /// Joins an already checked configuration and a transport, with the default retry policy
    /// and timer.
    pub fn from_parts(config: Config, transport: Arc<dyn HttpTransport>) -> Self {
        Self::from_policy(
            config,
            transport,
            CallPolicy::new(RetryPolicy::default(), call::default_timer()),
        )
    }

    pub(crate) fn from_policy(
        config: Config,
        transport: Arc<dyn HttpTransport>,
        policy: CallPolicy,
    ) -> Self {
        Self {
            config: Arc::new(config),
            transport,
            policy: Arc::new(policy),
            options: None,
            #[cfg(feature = "jwt")]
            jwks: Arc::default(),
        }
    }

    /// A handle on the same client (same pool, same retry budget) whose calls use `options`: a
    /// deadline for the whole call, another retry policy, extra headers. Cheap: one `Arc`.
    pub fn with_options(&self, options: CallOptions) -> Self {
        Self {
            options: Some(Arc::new(options)),
            ..self.clone()
        }
    }

    /// The options this handle's calls use, if any.
    pub fn options(&self) -> Option<&CallOptions> {
        self.options.as_deref()
    }

    /// The retry policy calls use when their options set none.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.policy.retry
    }

    /// The retry budget all the client's calls (and its clones') draw on.
    pub fn retry_budget(&self) -> &RetryBudget {
        &self.policy.budget
    }

    /// The configuration every request is built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The transport requests are sent through.
    pub fn transport(&self) -> &Arc<dyn HttpTransport> {
        &self.transport
    }

    /// Sends any endpoint's request: build (pure), send (the transport, under the retry
    /// policy), parse (pure). An error made from the response never shows a value the request
    /// carried: on the error paths only, the request is built once more to know those values,
    /// so a successful call keeps none of them.
    ///
    /// The call runs in a tracing span `stytch.call` (target `stytch_b2b_passwords`, level
    /// `INFO`) with the fields `operation`, then, when it ends, `attempts`, `status` (of the last
    /// response, if one came), `request_id` and `error` (the API's `error_type`, the transport
    /// failure's kind, or `http`, `decode`, `validation`, `config`). A transport's own spans,
    /// one per attempt, open inside it. No header, body or secret is recorded.
    pub fn call<'a, E: Endpoint + Sync>(
        &'a self,
        request: &'a E,
    ) -> impl Future<Output = Result<E::Response>> + Send + 'a {
        self.run::<E, &E>(request)
    }

    /// The body of every call, for a request lent (`call`) or owned (the endpoint methods, whose
    /// futures are then this one: no wrapping layer, so no more copies of the decoded response
    /// or of the call's state, which weigh with many calls in flight; docs/PERFORMANCE.md).
    ///
    /// A plain `fn` returning an `async move` block that only borrows `request`: an `async fn`
    /// would move its argument into a second slot of its future.
    #[allow(clippy::manual_async_fn)] // on purpose: see above
    fn run<'a, E, R>(&'a self, request: R) -> impl Future<Output = Result<E::Response>> + Send + 'a
    where
        E: Endpoint + Sync + 'a,
        R: Borrow<E> + Send + 'a,
    {
        async move {
            let request = request.borrow();
            let span = tracing::info_span!(
                target: "stytch_b2b_passwords",
                "stytch.call",
                operation = E::OPERATION,
                attempts = Empty,
                status = Empty,
                request_id = Empty,
                error = Empty,
            );
            let config = &*self.config;
            // Only the exchanges run in the span (where the transport opens its own), entered on
            // each poll; the decoded response is then returned from here, through no more layers.
            let outcome = {
                // A retry builds its request again rather than keep a copy of the first: the usual
                // call, sent once, pays for nothing it does not use.
                let mut build = || build_request(config, request);
                let mut sending = pin!(call::send(
                    &*self.transport,
                    &self.policy,
                    self.options.as_deref(),
                    E::READ_ONLY,
                    &mut build,
                ));
                poll_fn(|cx| span.in_scope(|| sending.as_mut().poll(cx))).await
            };
            let (http_response, attempts) = match outcome {
                Ok(sent) => sent,
                Err(error) => {
                    let result = Err(error);
                    record_end(&span, &result, None);
                    return result;
                }
            };
            let sent = || {
                build_request(config, request)
                    .ok()
                    .map(|r| SentValues::of(&r))
            };
            let status = http_response.status();
            let result = parse_response_lazy::<E>(http_response, attempts, &sent);
            record_end(&span, &result, Some(status));
            result
        }
    }
}

/// Records how a call ended in its `stytch.call` span.
fn record_end<R: EndpointResponse>(span: &Span, result: &Result<R>, status: Option<StatusCode>) {
    if span.is_disabled() {
        return;
    }
    let (attempts, request_id, status) = match result {
        Ok(response) => (response.attempts(), Some(response.request_id()), status),
        Err(error) => (
            error.attempts(),
            error.request_id(),
            error.status().or(status),
        ),
    };
    span.record("attempts", attempts);
    if let Some(status) = status {
        span.record("status", status.as_u16());
    }
    if let Some(id) = request_id.filter(|id| !id.is_empty()) {
        span.record("request_id", id);
    }
    if let Err(error) = result {
        match error {
            Error::Api(api) => span.record("error", api.error_type.as_str()),
            Error::Transport(transport) => span.record("error", display(transport.kind())),
            Error::Http(_) => span.record("error", "http"),
            Error::Decode(_) => span.record("error", "decode"),
            Error::Validation(_) => span.record("error", "validation"),
            Error::Config(_) => span.record("error", "config"),
            #[cfg(feature = "jwt")]
            Error::Jwt(_) => span.record("error", "jwt"),
        };
    }
}

// Each endpoint twice, the same one line: an inherent method, whose future is not boxed, for
// code that holds a `PasswordsClient`, and the `PasswordsApi` method (`#[async_trait]`, boxed)
// for code that holds the port. Inherent methods win over trait methods of the same name, so
// `client.authenticate(..)` on a `PasswordsClient` takes the first.
macro_rules! endpoint_methods {
    ($($method:ident($request:ty) -> $response:ty;)*) => {
        impl PasswordsClient {
            $(
                #[doc = concat!(
                    "[`PasswordsApi::", stringify!($method), "`] on this client, with a future ",
                    "that is not boxed: one allocation fewer per call, and no second copy of the ",
                    "request (which `#[async_trait]` keeps). Code that holds a `dyn PasswordsApi` ",
                    "gets the same call through the trait."
                )]
                pub fn $method(
                    &self,
                    request: $request,
                ) -> impl Future<Output = Result<$response>> + Send + '_ {
                    self.run::<$request, _>(request)
                }
            )*
        }

        #[async_trait::async_trait]
        impl PasswordsApi for PasswordsClient {
            $(
                async fn $method(&self, request: $request) -> Result<$response> {
                    // By reference: `async_trait` keeps `request` in its future, and a call
                    // taking it by value would keep a second copy.
                    self.call(&request).await
                }
            )*
        }
    };
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Per-call futures are boxed (`PasswordsApi` is an `async_trait` port); glibc serves blocks
    /// up to 1032 bytes from a per-thread cache, and larger ones many times slower when many
    /// calls are in flight (docs/PERFORMANCE.md). Keep every endpoint's box, and the
    /// transport's, under that line.
    #[cfg(feature = "hyper")]
    #[test]
    fn per_call_futures_fit_the_allocator_fast_path() {
        let client = PasswordsClient::builder("project-test-1", "secret-1")
            .base_url("http://127.0.0.1:9")
            .build()
            .expect("client");
        // Through the port: the boxed futures (a `PasswordsClient`'s own methods box nothing).
        let api: &dyn PasswordsApi = &client;
        let sizes = [
            (
                "strength_check",
                size_of_val(&*api.strength_check(StrengthCheckRequest::new("pw"))),
            ),
            (
                "migrate",
                size_of_val(&*api.migrate(MigrateRequest::new(
                    "ada@example.com",
                    "$2a$10$hash",
                    crate::HashType::Bcrypt,
                    "org",
                ))),
            ),
            (
                "authenticate",
                size_of_val(&*api.authenticate(AuthenticateRequest::new("org", "a@b.c", "pw"))),
            ),
            (
                "email_reset_start",
                size_of_val(&*api.email_reset_start(EmailResetStartRequest::new("org", "a@b.c"))),
            ),
            (
                "email_reset",
                size_of_val(&*api.email_reset(EmailResetRequest::new("t", "pw"))),
            ),
            (
                "email_require_reset",
                size_of_val(&*api.email_require_reset(EmailRequireResetRequest::new("a@b.c"))),
            ),
            (
                "sessions_reset",
                size_of_val(&*api.sessions_reset(SessionsResetRequest::new("org", "pw"))),
            ),
            (
                "existing_password_reset",
                size_of_val(
                    &*api.existing_password_reset(ExistingPasswordResetRequest::new(
                        "a@b.c", "old", "new", "org",
                    )),
                ),
            ),
            (
                "discovery_authenticate",
                size_of_val(
                    &*api.discovery_authenticate(DiscoveryAuthenticateRequest::new("a@b.c", "pw")),
                ),
            ),
            (
                "discovery_email_reset_start",
                size_of_val(
                    &*api
                        .discovery_email_reset_start(DiscoveryEmailResetStartRequest::new("a@b.c")),
                ),
            ),
            (
                "discovery_email_reset",
                size_of_val(
                    &*api.discovery_email_reset(DiscoveryEmailResetRequest::new("t", "pw")),
                ),
            ),
        ];
        for (method, size) in sizes {
            assert!(size <= 1024, "{method}: {size} bytes");
        }
        let request = AuthenticateRequest::new("org", "ada@example.com", "pw");
        let http_request = build_request(client.config(), &request).expect("request");
        let transport_future = client.transport().as_ref().send(http_request);
        let size = size_of_val(&*transport_future);
        assert!(size <= 1024, "transport: {size} bytes");
    }
}
