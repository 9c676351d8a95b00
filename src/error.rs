//! The one error type every call returns, with predicates for the questions callers ask.

use std::fmt;

use http::StatusCode;
use serde::Deserialize;

use crate::de::nullable;
use crate::open_enum::open_enum;
use crate::transport::TransportError;

/// The result of every client call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a call can fail with.
///
/// ```
/// # use stytch_b2b_passwords::{Error, ErrorType};
/// fn explain(err: &Error) -> &'static str {
///     match err.error_type() {
///         Some(ErrorType::UnauthorizedCredentials) => "wrong email or password",
///         Some(ErrorType::MemberResetPassword) => "this member must reset their password",
///         _ if err.is_retryable() => "try again later",
///         _ => "something else went wrong",
///     }
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Stytch answered with an error body (`error_type`, `error_message`, ...).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// A non-2xx response whose body is not a Stytch error (an HTML page from a proxy, an empty
    /// body).
    #[error(transparent)]
    Http(Box<HttpError>),
    /// A 2xx response whose body does not decode into the expected type.
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// No complete response was received.
    #[error(transparent)]
    Transport(TransportError),
    /// The request was rejected before anything was sent.
    #[error(transparent)]
    Validation(ValidationError),
    /// The client configuration is unusable.
    #[error(transparent)]
    Config(ConfigError),
    /// A session JWT was rejected by local verification (feature `jwt`); the inner error names the
    /// check that failed, or says that the project's JWKS could not be fetched.
    #[cfg(feature = "jwt")]
    #[error(transparent)]
    Jwt(Box<crate::jwt::JwtError>),
}

impl Error {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Http(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// Stytch's request id, when the response carried one. Quote it to Stytch support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The API's `error_type`, for an [`Error::Api`].
    pub fn error_type(&self) -> Option<&ErrorType> {
        match self {
            Error::Api(e) => Some(&e.error_type),
            _ => None,
        }
    }

    /// The API error, if this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether a time limit ran out in the transport.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }

    /// Whether sending the same request again is safe and may succeed, by the rule the client's
    /// retries follow (see [`RetryPolicy`](crate::RetryPolicy)) for an operation that changes
    /// something: the connection failed before the request was sent, or the server said so with
    /// 429 or 503. A timeout or a 500 is not retryable: a reset email may already have gone
    /// out. Nor is a TLS failure: it would fail the same way.
    pub fn is_retryable(&self) -> bool {
        use crate::retry::{retry_safe, Failure};
        match self {
            Error::Transport(e) => retry_safe(Failure::Transport(e.kind()), false),
            Error::Api(_) | Error::Http(_) => self
                .status()
                .is_some_and(|status| retry_safe(Failure::Status(status), false)),
            _ => false,
        }
    }
}

impl Error {
    /// How many attempts the call made before this error: 0 when nothing was sent (a
    /// validation or configuration error), more than 1 when the client retried.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::Api(e) => e.attempts,
            Error::Http(e) => e.attempts,
            Error::Decode(e) => e.attempts,
            Error::Transport(e) => e.attempts(),
            _ => 0,
        }
    }

    /// Records the attempt count on an error read from a response.
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        match &mut self {
            Error::Api(e) => e.attempts = attempts,
            Error::Http(e) => e.attempts = attempts,
            Error::Decode(e) => e.attempts = attempts,
            _ => {}
        }
        self
    }
}

impl From<TransportError> for Error {
    fn from(e: TransportError) -> Self {
        Error::Transport(e)
    }
}

impl From<ValidationError> for Error {
    fn from(e: ValidationError) -> Self {
        Error::Validation(e)
    }
}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

open_enum! {
    /// The API's `error_type` values that the password endpoints return.
    pub enum ErrorType {
        /// Wrong email or password.
        UnauthorizedCredentials = "unauthorized_credentials",
        /// The Member must reset their password before logging in with one.
        MemberResetPassword = "member_reset_password",
        /// The password must be reset (for example after `require_reset`).
        ResetPassword = "reset_password",
        /// The new password does not meet the project's strength policy.
        WeakPassword = "weak_password",
        /// The password appears in a breach corpus.
        BreachedPassword = "breached_password",
        /// The password reset token is unknown, used or expired.
        UnableToAuthPasswordResetToken = "unable_to_auth_password_reset_token",
        /// The session is too old to reset the password with it.
        SessionTooOldToResetPassword = "session_too_old_to_reset_password",
        /// The PKCE verifier does not match the challenge.
        PkceMismatch = "pkce_mismatch",
        /// A PKCE code challenge was expected but not given.
        PkceExpectedCodeVerifier = "pkce_expected_code_verifier",
        /// A PKCE code verifier was given but the flow did not start with a challenge.
        PkceUnexpectedCodeVerifier = "pkce_unexpected_code_verifier",
        /// The migrated hash is malformed for its type.
        InvalidHash = "invalid_hash",
        /// The bcrypt hash is malformed.
        InvalidBcryptHash = "invalid_bcrypt_hash",
        /// The MD5 hash or its config is malformed.
        InvalidMd5Hash = "invalid_md_5_hash",
        /// The Argon2 hash or its config is malformed.
        InvalidArgon2Hash = "invalid_argon_2_hash",
        /// The SHA-1 hash or its config is malformed.
        InvalidSha1Hash = "invalid_sha_1_hash",
        /// The SHA-512 hash or its config is malformed.
        InvalidSha512Hash = "invalid_sha_512_hash",
        /// The scrypt hash or its config is malformed.
        InvalidScryptHash = "invalid_scrypt_hash",
        /// The PBKDF2 hash or its config is malformed.
        InvalidPbkdf2Hash = "invalid_pbkdf_2_hash",
        /// The phpass hash is malformed.
        InvalidPhpassHash = "invalid_phpass_hash",
        /// The hash type is not one the API accepts.
        InvalidHashType = "invalid_hash_type",
        /// No such Organization.
        OrganizationNotFound = "organization_not_found",
        /// No such Member.
        MemberNotFound = "member_not_found",
        /// The email address is malformed.
        InvalidEmail = "invalid_email",
        /// The project id or secret is wrong.
        UnauthorizedProject = "unauthorized_project",
        /// The session token or JWT is unknown, expired or revoked.
        SessionNotFound = "session_not_found",
        /// Rate limited.
        TooManyRequests = "too_many_requests",
        /// The Member is locked after too many failed attempts.
        UserLockLimitReached = "user_lock_limit_reached",
        /// The intermediate session token is unknown or expired.
        IntermediateSessionNotFound = "intermediate_session_not_found",
        /// A server-side failure at Stytch.
        InternalServerError = "internal_server_error",
    }
}

/// An error body from Stytch, with the HTTP status it came with.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status of the response.
    pub status: StatusCode,
    /// Stytch's request id, if the body had one.
    pub request_id: Option<String>,
    /// The machine-readable error type; `Other("")` if the body had none.
    pub error_type: ErrorType,
    /// The human-readable message.
    pub error_message: Option<String>,
    /// A link to Stytch's documentation of this error.
    pub error_url: Option<String>,
    /// Extra structured details, when the API sends them.
    pub error_details: Option<serde_json::Value>,
    /// How many attempts the call made, this answer's included.
    pub attempts: u32,
}

impl ApiError {
    /// An API error with only a status and type, for fakes and tests.
    pub fn new(status: StatusCode, error_type: ErrorType) -> Self {
        Self {
            status,
            request_id: None,
            error_type,
            error_message: None,
            error_url: None,
            error_details: None,
            attempts: 1,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Stytch API error {} {}",
            self.status.as_u16(),
            self.error_type
        )?;
        if let Some(m) = &self.error_message {
            write!(f, ": {m}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request_id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

/// The wire form of an error body. Both Stytch's own spelling and the OAuth-style one are read.
#[derive(Deserialize)]
pub(crate) struct ErrorBody {
    #[serde(default, deserialize_with = "nullable")]
    request_id: Option<String>,
    #[serde(default, alias = "error", deserialize_with = "nullable")]
    error_type: Option<String>,
    #[serde(default, alias = "error_description", deserialize_with = "nullable")]
    error_message: Option<String>,
    #[serde(default, alias = "error_uri", deserialize_with = "nullable")]
    error_url: Option<String>,
    #[serde(default)]
    error_details: Option<serde_json::Value>,
}

impl ErrorBody {
    /// Whether the body looks like an error from Stytch at all: it names an error type or a
    /// request id. `{}` or `{"foo": 1}` does not.
    pub(crate) fn into_api_error(self, status: StatusCode) -> Option<ApiError> {
        if self.error_type.is_none() && self.request_id.is_none() && self.error_message.is_none() {
            return None;
        }
        Some(ApiError {
            status,
            request_id: self.request_id,
            error_type: self.error_type.map(ErrorType::from).unwrap_or_default(),
            error_message: self.error_message,
            error_url: self.error_url,
            error_details: self.error_details.filter(|v| !v.is_null()),
            attempts: 1,
        })
    }
}

/// A non-2xx response whose body is not a Stytch error.
///
/// `Display` and `Debug` show the status and the body's length, never the body: an error page
/// can echo the request it answers (proxies and firewalls do), and with it a password or a token.
/// Read the start of the body with [`HttpError::body_excerpt`].
#[derive(Clone, PartialEq, thiserror::Error)]
#[error("HTTP {} from Stytch with a body that is not a Stytch error ({body_len} bytes)", status.as_u16())]
#[non_exhaustive]
pub struct HttpError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The full length of the body in bytes.
    pub body_len: usize,
    /// How many attempts the call made, this answer's included.
    pub attempts: u32,
    body_excerpt: String,
}

impl HttpError {
    /// How many bytes of the body are kept for [`HttpError::body_excerpt`].
    pub const EXCERPT_LIMIT: usize = 512;

    pub(crate) fn new(status: StatusCode, body_len: usize, body_excerpt: String) -> Self {
        Self {
            status,
            body_len,
            attempts: 1,
            body_excerpt,
        }
    }

    /// The start of the body (at most [`HttpError::EXCERPT_LIMIT`] bytes, cut on a character
    /// boundary), for a log line.
    ///
    /// **May be sensitive.** When the client sent the request (or
    /// [`wire::parse_response_for`](crate::wire::parse_response_for) was given what it sent),
    /// every value the request carried (password, tokens, the `Authorization` header, emails)
    /// shows as `<redacted>`, and the excerpt never ends in part of one. Anything else the
    /// server chose to put in the page is kept as it came.
    pub fn body_excerpt(&self) -> &str {
        &self.body_excerpt
    }
}

impl fmt::Debug for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpError")
            .field("status", &self.status)
            .field("body_len", &self.body_len)
            .field(
                "body_excerpt",
                &format_args!("<see HttpError::body_excerpt>"),
            )
            .finish()
    }
}

/// A 2xx response whose body does not decode.
#[derive(Debug, thiserror::Error)]
#[error("could not decode the {operation} response at `{path}`: {message}")]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation, such as `passwords.authenticate`.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON path of the field that failed, such as `member.roles[0].role_id`; `.` for the
    /// whole body.
    pub path: String,
    /// What was wrong there. Never contains a value from the body, only its shape, so a secret in
    /// a malformed body cannot leak through this message.
    pub message: String,
    /// How many attempts the call made, this answer's included.
    pub attempts: u32,
}

/// A request that was refused before anything was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid request for {operation}: field `{field}` {problem}")]
#[non_exhaustive]
pub struct ValidationError {
    /// The operation, such as `passwords.authenticate`.
    pub operation: &'static str,
    /// The field at fault.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: ValidationProblem,
}

/// What is wrong with a request field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationProblem {
    /// A required string is empty.
    #[error("must not be empty")]
    Empty,
    /// A number is outside the range the API accepts.
    #[error("must be between {min} and {max}, got {got}")]
    OutOfRange {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
        /// The value given.
        got: i64,
    },
    /// Two fields were set where the API accepts only one.
    #[error("cannot be set together with `{0}`")]
    Conflicts(&'static str),
    /// Neither of two fields was set where the API needs one.
    #[error("or `{0}` must be set")]
    MissingOneOf(&'static str),
    /// The value cannot be sent in an HTTP header (it holds a control character).
    #[error("is not a valid HTTP header value")]
    NotAHeaderValue,
    /// The body could not be serialized to JSON.
    #[error("could not be serialized to JSON")]
    Unserializable,
}

/// A client configuration that cannot work.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The project id is empty.
    #[error("the project id is empty")]
    EmptyProjectId,
    /// The secret is empty.
    #[error("the project secret is empty")]
    EmptySecret,
    /// An environment variable is missing or not valid UTF-8.
    #[error("environment variable {0} is not set")]
    MissingEnv(&'static str),
    /// The base URL is not an absolute `http` or `https` URL.
    #[error("invalid base URL{}: {reason}", shown_origin(.url))]
    InvalidBaseUrl {
        /// The scheme, host and port of the URL as given, such as `https://api.example.com`;
        /// never its path, query or user info, which can hold a secret. Empty unless the URL has
        /// a scheme and a host.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The User-Agent suffix contains characters not allowed in a header.
    #[error("the user agent suffix is not a valid header value")]
    InvalidUserAgent,
    /// No transport was given and this build has no default one (the `hyper` feature is off).
    #[error("no HTTP transport: call `ClientBuilder::transport` or enable the `hyper` feature")]
    NoTransport,
    /// The default transport could not be built (for example, no root certificate could be
    /// loaded); the message says why.
    #[error("the default HTTP transport could not be built: {0}")]
    DefaultTransport(String),
}

/// The origin in backticks after a space, for a base URL error; nothing when no host was read.
fn shown_origin(origin: &str) -> String {
    if origin.is_empty() {
        String::new()
    } else {
        format!(" `{origin}`")
    }
}
