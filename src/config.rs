//! Client configuration: credentials, base URL and User-Agent, checked once at build time.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use http::HeaderValue;

use crate::call::{default_timer, CallPolicy};
use crate::client::PasswordsClient;
use crate::error::ConfigError;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::transport::{HttpTransport, Timer};

/// Where live projects are served.
pub const LIVE_BASE_URL: &str = "https://api.stytch.com";
/// Where test projects are served.
pub const TEST_BASE_URL: &str = "https://test.stytch.com";

/// The validated settings a client sends every request with.
///
/// Built by [`ClientBuilder`]; the request builders take it by reference, so tests can build
/// requests without a client. `Debug` shows the project id and base URL, never the secret.
#[derive(Clone)]
pub struct Config {
    project_id: String,
    base_url: String,
    /// `base_url` split once, so each request's URI is assembled without parsing it again.
    origin: (http::uri::Scheme, http::uri::Authority),
    /// The path part of `base_url` (`""` or `/prefix`).
    path_prefix: String,
    /// Each endpoint's full URI, built once: a request clones one (reference counts only)
    /// instead of assembling and checking it again.
    endpoint_uris: Vec<(&'static str, http::Uri)>,
    authorization: HeaderValue,
    user_agent: HeaderValue,
}

impl Config {
    /// Checks the settings and prepares the headers. No network access.
    pub fn new(
        project_id: impl Into<String>,
        secret: Secret,
        base_url: Option<&str>,
        user_agent_suffix: Option<&str>,
    ) -> Result<Self, ConfigError> {
        let project_id = project_id.into();
        if project_id.trim().is_empty() {
            return Err(ConfigError::EmptyProjectId);
        }
        if secret.expose().trim().is_empty() {
            return Err(ConfigError::EmptySecret);
        }
        let base = normalize_base_url(match base_url {
            Some(url) => url,
            None if project_id.starts_with("project-live-") => LIVE_BASE_URL,
            None => TEST_BASE_URL,
        })?;
        let credentials = base64::engine::general_purpose::STANDARD
            .encode(format!("{project_id}:{}", secret.expose()));
        let mut authorization = HeaderValue::try_from(format!("Basic {credentials}"))
            .map_err(|_| ConfigError::EmptySecret)?;
        authorization.set_sensitive(true);
        let mut user_agent = format!("stytch-b2b-passwords-rust/{}", env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = user_agent_suffix.filter(|s| !s.is_empty()) {
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        let user_agent =
            HeaderValue::try_from(user_agent).map_err(|_| ConfigError::InvalidUserAgent)?;
        let mut config = Self {
            project_id,
            base_url: base.url,
            origin: base.origin,
            path_prefix: base.path_prefix,
            endpoint_uris: Vec::with_capacity(crate::endpoints::PATHS.len()),
            authorization,
            user_agent,
        };
        for path in crate::endpoints::PATHS {
            if let Ok(uri) = config.build_endpoint_uri(path) {
                config.endpoint_uris.push((path, uri));
            }
        }
        Ok(config)
    }

    /// The project id.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// The base URL, without a trailing slash; any path prefix is kept.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URI of the endpoint at `path` (a constant such as `/v1/b2b/passwords/authenticate`).
    pub(crate) fn endpoint_uri(&self, path: &'static str) -> Result<http::Uri, http::Error> {
        match self.endpoint_uris.iter().find(|(p, _)| *p == path) {
            Some((_, uri)) => Ok(uri.clone()),
            None => self.build_endpoint_uri(path),
        }
    }

    fn build_endpoint_uri(&self, path: &'static str) -> Result<http::Uri, http::Error> {
        let path_and_query = if self.path_prefix.is_empty() {
            http::uri::PathAndQuery::from_static(path)
        } else {
            http::uri::PathAndQuery::try_from(format!("{}{path}", self.path_prefix))?
        };
        http::Uri::builder()
            .scheme(self.origin.0.clone())
            .authority(self.origin.1.clone())
            .path_and_query(path_and_query)
            .build()
    }

    /// The `Authorization` header value, marked sensitive.
    pub(crate) fn authorization(&self) -> &HeaderValue {
        &self.authorization
    }

    /// The `User-Agent` header value.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("project_id", &self.project_id)
            .field("base_url", &self.base_url)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A checked base URL, with the parts [`Config`] keeps, from a single parse.
struct BaseUrl {
    url: String,
    origin: (http::uri::Scheme, http::uri::Authority),
    path_prefix: String,
}

/// Accepts `http(s)://host[:port][/prefix]`, keeps the prefix, drops a trailing slash.
fn normalize_base_url(url: &str) -> Result<BaseUrl, ConfigError> {
    let invalid = |reason| ConfigError::InvalidBaseUrl {
        url: origin_of(url),
        reason,
    };
    let uri: http::Uri = url.parse().map_err(|_| invalid("not a valid URL"))?;
    let scheme = match uri.scheme() {
        Some(s) if matches!(s.as_str(), "http" | "https") => s.clone(),
        Some(_) => return Err(invalid("scheme must be http or https")),
        None => return Err(invalid("must be absolute, e.g. https://example.com")),
    };
    let authority = uri.authority().ok_or_else(|| invalid("has no host"))?;
    if authority.as_str().contains('@') {
        return Err(invalid("must not contain credentials"));
    }
    if authority.host().is_empty() {
        return Err(invalid("has no host"));
    }
    if uri.query().is_some() {
        return Err(invalid("must not have a query"));
    }
    let path_prefix = uri.path().trim_end_matches('/').to_owned();
    Ok(BaseUrl {
        url: format!("{scheme}://{authority}{path_prefix}"),
        origin: (scheme, authority.clone()),
        path_prefix,
    })
}

/// The scheme, host and port of `url` (`https://api.example.com:8443`), for an error message: a
/// path, query or user info can hold a secret (`?key=...`, `user:pass@`), so none is repeated.
/// Empty unless the URL parses with a scheme and a host (a bare word may be a secret passed in
/// the wrong place).
pub(crate) fn origin_of(url: &str) -> String {
    let Ok(uri) = url.parse::<http::Uri>() else {
        return String::new();
    };
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return String::new();
    };
    match authority.port_u16() {
        Some(port) => format!("{scheme}://{}:{port}", authority.host()),
        None => format!("{scheme}://{}", authority.host()),
    }
}

/// Builds a [`PasswordsClient`]. Nothing is checked or sent until [`ClientBuilder::build`], and
/// that makes no network call.
///
/// ```
/// use stytch_b2b_passwords::{PasswordsClient, transport::transport_fn};
///
/// let client = PasswordsClient::builder("project-test-123", "secret-test-456")
///     .base_url("https://auth.example.com/stytch")
///     .user_agent_suffix("my-app/1.2")
///     .transport(transport_fn(|_req| async { unreachable!("no call is made") }))
///     .build()
///     .unwrap();
/// assert_eq!(client.config().base_url(), "https://auth.example.com/stytch");
/// ```
// `Secret` redacts itself, so the derived `Debug` shows no secret.
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    project_id: String,
    secret: Secret,
    base_url: Option<String>,
    user_agent_suffix: Option<String>,
    transport: Option<Arc<dyn HttpTransport>>,
    retry: RetryPolicy,
    timer: Option<Option<Arc<dyn Timer>>>,
}

impl ClientBuilder {
    /// Starts from a project id and secret.
    pub fn new(project_id: impl Into<String>, secret: impl Into<Secret>) -> Self {
        Self {
            project_id: project_id.into(),
            secret: secret.into(),
            base_url: None,
            user_agent_suffix: None,
            transport: None,
            retry: RetryPolicy::default(),
            timer: None,
        }
    }

    /// Starts from `STYTCH_PROJECT_ID` and `STYTCH_SECRET`, and `STYTCH_BASE_URL` if set.
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |name: &'static str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or(ConfigError::MissingEnv(name))
        };
        let mut builder = Self::new(var("STYTCH_PROJECT_ID")?, var("STYTCH_SECRET")?);
        builder.base_url = var("STYTCH_BASE_URL").ok();
        Ok(builder)
    }

    /// Overrides the base URL (a custom domain, a proxy, the emulator). A path prefix is kept:
    /// `https://example.com/stytch` sends to `https://example.com/stytch/v1/b2b/...`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Appends ` {suffix}` to the User-Agent, to name your application in Stytch's logs.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Sends through `transport` instead of the default one.
    pub fn transport(mut self, transport: impl HttpTransport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Sends through a transport that is already shared.
    pub fn shared_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// When calls are sent again; see [`RetryPolicy`]. [`RetryPolicy::none()`] turns retries
    /// off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The clock calls wait on between retries and measure deadlines with. The default is
    /// Tokio's with the `hyper` feature, and none without it. [`FakeTimer`] runs retries with
    /// no real waiting, for tests.
    ///
    /// [`FakeTimer`]: crate::transport::FakeTimer
    pub fn timer(mut self, timer: impl Timer) -> Self {
        self.timer = Some(Some(Arc::new(timer)));
        self
    }

    /// No timer: every call is one attempt, and time limits are the transport's alone.
    pub fn no_timer(mut self) -> Self {
        self.timer = Some(None);
        self
    }

    /// Checks the configuration and builds the client. Makes no network call.
    pub fn build(self) -> Result<PasswordsClient, ConfigError> {
        let config = Config::new(
            self.project_id,
            self.secret,
            self.base_url.as_deref(),
            self.user_agent_suffix.as_deref(),
        )?;
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport()?,
        };
        let timer = self.timer.unwrap_or_else(default_timer);
        Ok(PasswordsClient::from_policy(
            config,
            transport,
            CallPolicy::new(self.retry, timer),
        ))
    }
}

fn default_transport() -> Result<Arc<dyn HttpTransport>, ConfigError> {
    // The hyper transport with default settings: no network call, no runtime needed to build it.
    // Its build fails only on settings a user gave (bad root certificate), none here.
    #[cfg(feature = "hyper")]
    return crate::transport::hyper::HyperTransport::new()
        .map(|t| Arc::new(t) as Arc<dyn HttpTransport>)
        .map_err(|e| ConfigError::DefaultTransport(e.to_string()));
    #[cfg(not(feature = "hyper"))]
    Err(ConfigError::NoTransport)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prepared URIs are exactly what building them per call gives, with and without a path
    /// prefix, and every endpoint has one.
    #[test]
    fn prepared_endpoint_uris_match_built_ones() {
        for base in ["https://test.stytch.com", "http://127.0.0.1:8080/prefix/"] {
            let config = Config::new("project-test-1", Secret::new("s"), Some(base), None)
                .unwrap_or_else(|e| panic!("{base}: {e}"));
            assert_eq!(config.endpoint_uris.len(), crate::endpoints::PATHS.len());
            for path in crate::endpoints::PATHS {
                let built = config.build_endpoint_uri(path).map_err(|e| e.to_string());
                assert_eq!(config.endpoint_uri(path).map_err(|e| e.to_string()), built);
                let expected = format!("{}{path}", base.trim_end_matches('/'));
                assert_eq!(built.map(|u| u.to_string()), Ok(expected));
            }
        }
        // A path outside the table is still built.
        let config = Config::new("project-test-1", Secret::new("s"), None, None)
            .unwrap_or_else(|e| panic!("{e}"));
        let uri = config.endpoint_uri("/v1/b2b/other").map(|u| u.to_string());
        assert_eq!(
            uri.ok().as_deref(),
            Some("https://test.stytch.com/v1/b2b/other")
        );
    }
}
