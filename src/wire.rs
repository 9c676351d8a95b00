//! The sans-IO heart of the client: a pure function from a request value to an `http::Request`,
//! and a pure function from an `http::Response` to a typed result. No I/O happens here, so every
//! endpoint's wire format is testable without a transport.

use bytes::Bytes;
use http::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::config::Config;
use crate::error::{DecodeError, Error, ErrorBody, HttpError, Result, ValidationError};
use crate::json_path;
pub use crate::redact::SentValues;
use crate::redact::{excerpt, Needles};
use crate::transport::{Attempts, HttpRequest, HttpResponse, Operation};

/// A Member's authorization for calls that can run with that Member's permissions, sent as a
/// header rather than in the JSON body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemberAuth<'a> {
    /// A Member session token, sent as `X-Stytch-Member-Session`.
    SessionToken(&'a crate::Secret),
    /// A Member session JWT, sent as `X-Stytch-Member-SessionJWT`.
    SessionJwt(&'a crate::Secret),
}

/// Header name for a Member session token.
pub const MEMBER_SESSION_HEADER: &str = "x-stytch-member-session";
/// Header name for a Member session JWT.
pub const MEMBER_SESSION_JWT_HEADER: &str = "x-stytch-member-sessionjwt";

/// What the core knows about each endpoint: its request body type, its response type, its path.
///
/// Implemented by every request type of this crate; [`build_request`] and [`parse_response`] are
/// generic over it, so each endpoint is one `impl` of a few lines.
pub trait Endpoint: Serialize {
    /// The success body.
    type Response: EndpointResponse;
    /// The operation name, such as `passwords.authenticate`.
    const OPERATION: &'static str;
    /// The path after the base URL, such as `/v1/b2b/passwords/authenticate`.
    const PATH: &'static str;
    /// Whether the operation changes nothing, so that sending it twice is harmless: the client
    /// then also retries failures after the request may have reached the server (a timeout, a
    /// `500`).
    const READ_ONLY: bool = false;

    /// Checks what the API would reject, before any byte is sent.
    fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }

    /// A Member authorization to send as a header, for the calls that take one.
    fn member_auth(&self) -> Option<MemberAuth<'_>> {
        None
    }

    /// The first field of a success body that identifies who or what was authenticated and is
    /// missing, `null` or empty, if any: [`parse_response`] makes it an [`Error::Decode`] naming
    /// that field, rather than hand the caller a success with an empty `member_id`. Every other
    /// field is decoded leniently.
    fn missing_field(response: &Self::Response) -> Option<&'static str> {
        let _ = response;
        None
    }
}

/// What every endpoint's success body offers besides its own fields: Stytch's request id, and
/// how many attempts the call took to get it.
///
/// ```
/// use stytch_b2b_passwords::wire::{self, EndpointResponse};
/// use stytch_b2b_passwords::{transport::Attempts, StrengthCheckRequest};
///
/// let mut response = http::Response::new(bytes::Bytes::from_static(
///     br#"{"request_id":"req-1","valid_password":true,"score":4}"#,
/// ));
/// // What the client puts on the response that ended a call answered at the second attempt.
/// response.extensions_mut().insert(Attempts(2));
/// let parsed = wire::parse_response::<StrengthCheckRequest>(response).unwrap();
/// assert_eq!((parsed.request_id(), parsed.attempts()), ("req-1", 2));
/// ```
pub trait EndpointResponse: DeserializeOwned {
    /// Stytch's id for the request that succeeded. Quote it to Stytch support.
    fn request_id(&self) -> &str;
    /// How many attempts the call made, the one answered included: more than 1 when the client
    /// retried. 0 on a value that did not come from a response (made by hand, say, or by
    /// `Default`).
    fn attempts(&self) -> u32;
    /// Sets what [`attempts`](Self::attempts) returns: the client does it on every response, and
    /// a fake of [`PasswordsApi`](crate::PasswordsApi) may too.
    fn set_attempts(&mut self, attempts: u32);
}

/// Builds the `POST` for `request`: checks it, serializes it, and sets every header.
///
/// ```
/// use stytch_b2b_passwords::{wire, Config, Secret, StrengthCheckRequest};
///
/// let config = Config::new("project-test-1", Secret::new("s"), None, None).unwrap();
/// let http = wire::build_request(&config, &StrengthCheckRequest::new("hunter2")).unwrap();
/// assert_eq!(http.method(), "POST");
/// assert_eq!(http.uri(), "https://test.stytch.com/v1/b2b/passwords/strength_check");
/// assert_eq!(&http.body()[..], br#"{"password":"hunter2"}"#);
/// ```
pub fn build_request<E: Endpoint>(config: &Config, request: &E) -> Result<HttpRequest> {
    request.validate()?;
    // Request bodies are small; one allocation of this size holds almost all of them.
    // Serializing our own request types cannot fail (every map key is a `String`); still, an
    // error is a typed error, never a panic.
    let mut body = Vec::with_capacity(256);
    // The body is where the request's secrets must go: the one place they are serialized.
    crate::secret::exposing(|| serde_json::to_writer(&mut body, request)).map_err(|_| {
        Error::Validation(ValidationError {
            operation: E::OPERATION,
            field: "body",
            problem: crate::error::ValidationProblem::Unserializable,
        })
    })?;
    let uri = config.endpoint_uri(E::PATH).map_err(|_| {
        // The base URL was checked when the config was built and the path is a constant, so
        // this cannot happen; still a typed error, never a panic.
        Error::Config(crate::error::ConfigError::InvalidBaseUrl {
            url: crate::config::origin_of(config.base_url()),
            reason: "cannot be joined with the endpoint path",
        })
    })?;
    let mut headers = http::HeaderMap::with_capacity(4);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(AUTHORIZATION, config.authorization().clone());
    headers.insert(USER_AGENT, config.user_agent().clone());
    if let Some(auth) = request.member_auth() {
        let (name, value) = match auth {
            MemberAuth::SessionToken(t) => (MEMBER_SESSION_HEADER, t),
            MemberAuth::SessionJwt(t) => (MEMBER_SESSION_JWT_HEADER, t),
        };
        let mut value = HeaderValue::from_str(value.expose()).map_err(|_| {
            Error::Validation(ValidationError {
                operation: E::OPERATION,
                field: name,
                problem: crate::error::ValidationProblem::NotAHeaderValue,
            })
        })?;
        value.set_sensitive(true);
        headers.insert(name, value);
    }
    let mut http = http::Request::new(Bytes::from(body));
    *http.method_mut() = Method::POST;
    *http.uri_mut() = uri;
    *http.headers_mut() = headers;
    http.extensions_mut().insert(Operation(E::OPERATION));
    Ok(http)
}

/// Maps a response to the endpoint's typed result or the matching [`Error`].
///
/// It does not know the request, so an [`Error::Http`] excerpt or an [`Error::Api`] message that
/// echoes it is kept as received; [`parse_response_for`] removes what the request carried.
///
/// ```
/// use stytch_b2b_passwords::{wire, Error, ErrorType, StrengthCheckRequest};
///
/// let response = http::Response::builder()
///     .status(401)
///     .body(bytes::Bytes::from_static(
///         br#"{"status_code":401,"request_id":"req-1","error_type":"unauthorized_credentials"}"#,
///     ))
///     .unwrap();
/// let err = wire::parse_response::<StrengthCheckRequest>(response).unwrap_err();
/// assert_eq!(err.error_type(), Some(&ErrorType::UnauthorizedCredentials));
/// assert_eq!(err.request_id(), Some("req-1"));
/// ```
pub fn parse_response<E: Endpoint>(response: HttpResponse) -> Result<E::Response> {
    let attempts = attempts_of(&response);
    parse_response_lazy::<E>(response, attempts, &|| None)
}

/// [`parse_response`] for the answer to a request that carried `sent`: every value of it is
/// replaced by `<redacted>` in the error, wherever the server echoed it. What
/// [`PasswordsClient`](crate::PasswordsClient) does on every call.
///
/// ```
/// use stytch_b2b_passwords::{wire, Config, Secret, StrengthCheckRequest};
///
/// let config = Config::new("project-test-1", Secret::new("s"), None, None).unwrap();
/// let request = wire::build_request(&config, &StrengthCheckRequest::new("hunter2-secret"))?;
/// let sent = wire::SentValues::of(&request);
/// // A firewall's page that echoes the request body.
/// let page = format!("<p>blocked: {}</p>", std::str::from_utf8(request.body()).unwrap());
/// let response = http::Response::builder().status(403).body(bytes::Bytes::from(page)).unwrap();
/// let err = wire::parse_response_for::<StrengthCheckRequest>(&sent, response).unwrap_err();
/// let stytch_b2b_passwords::Error::Http(http) = &err else { panic!() };
/// assert_eq!(http.body_excerpt(), r#"<p>blocked: {"password":"<redacted>"}</p>"#);
/// # Ok::<_, stytch_b2b_passwords::Error>(())
/// ```
pub fn parse_response_for<E: Endpoint>(
    sent: &SentValues,
    response: HttpResponse,
) -> Result<E::Response> {
    let attempts = attempts_of(&response);
    parse_response_lazy::<E>(response, attempts, &|| Some(sent.clone()))
}

/// [`parse_response_for`] for the client, which knows the call's `attempts` (the response
/// needs no [`Attempts`] extension) and makes what the request carried only if an error needs
/// it: `sent` is called on the error paths alone, so a successful call pays nothing for it (the
/// client rebuilds the request there rather than keep its values through every call).
///
/// Decodes, then checks on the typed value that the fields that identify the outcome are there:
/// no second pass over the body, no allocation on success.
pub(crate) fn parse_response_lazy<E: Endpoint>(
    response: HttpResponse,
    attempts: u32,
    sent: &dyn Fn() -> Option<SentValues>,
) -> Result<E::Response> {
    let status = response.status();
    // Checked in place: the decoded value (1.8 KB for a log-in) is not moved out and back in.
    let mut result: Result<E::Response> = decode(E::OPERATION, response, attempts, sent);
    if let Ok(value) = &mut result {
        match E::missing_field(value) {
            None => value.set_attempts(attempts),
            Some(field) => {
                return Err(missing_field_error(E::OPERATION, status, field).with_attempts(attempts))
            }
        }
    }
    result
}

/// [`parse_response_for`] for a body type without an [`Endpoint`]: a 2xx body decodes as `T`,
/// any other status maps to [`Error::Api`] or [`Error::Http`], cleaned of what the request
/// carried (`sent`); `operation` names the call in errors.
#[cfg(feature = "jwt")]
pub(crate) fn parse_json<T: DeserializeOwned>(
    operation: &'static str,
    sent: &SentValues,
    response: HttpResponse,
) -> Result<T> {
    let attempts = attempts_of(&response);
    decode(operation, response, attempts, &|| Some(sent.clone()))
}

// The error paths are out of line (`#[cold]`): the success path is what every call runs.
fn decode<T: DeserializeOwned>(
    operation: &'static str,
    response: HttpResponse,
    attempts: u32,
    sent: &dyn Fn() -> Option<SentValues>,
) -> Result<T> {
    let status = response.status();
    if !status.is_success() {
        return Err(error_from(status, response.body(), sent).with_attempts(attempts));
    }
    match serde_json::from_slice(response.body()) {
        Ok(value) => Ok(value),
        Err(e) => {
            Err(decode_error(operation, status, response.body(), &e, sent).with_attempts(attempts))
        }
    }
}

/// The attempt count the client put on `response` (1 for a response read directly).
fn attempts_of(response: &HttpResponse) -> u32 {
    response.extensions().get::<Attempts>().map_or(1, |a| a.0)
}

#[cold]
fn decode_error(
    operation: &'static str,
    status: StatusCode,
    body: &[u8],
    e: &serde_json::Error,
    sent: &dyn Fn() -> Option<SentValues>,
) -> Error {
    // serde_json says where it stopped; the path to that spot names the failing field.
    let mut path = json_path::path_at(body, json_path::offset_of(body, e.line(), e.column()));
    if let Some(sent) = sent() {
        Needles::of(&sent).clean(&mut path);
    }
    let message = redact_values(&e.to_string());
    Error::Decode(Box::new(DecodeError {
        operation,
        status,
        path,
        message,
        attempts: 1,
    }))
}

#[cold]
fn missing_field_error(operation: &'static str, status: StatusCode, field: &'static str) -> Error {
    Error::Decode(Box::new(DecodeError {
        operation,
        status,
        path: field.to_owned(),
        message: "required in a success body, but missing, null or empty".to_owned(),
        attempts: 1,
    }))
}

/// Maps a non-2xx response: a Stytch error body becomes [`Error::Api`], anything else
/// [`Error::Http`] with a capped excerpt; both cleaned of what the request carried.
#[cold]
fn error_from(status: StatusCode, body: &[u8], sent: &dyn Fn() -> Option<SentValues>) -> Error {
    let needles = sent().as_ref().map(Needles::of);
    if let Ok(parsed) = serde_json::from_slice::<ErrorBody>(body) {
        if let Some(mut api) = parsed.into_api_error(status) {
            if let Some(needles) = &needles {
                needles.clean_api_error(&mut api);
            }
            return Error::Api(Box::new(api));
        }
    }
    let excerpt = match &needles {
        Some(needles) => needles.excerpt(body, HttpError::EXCERPT_LIMIT),
        None => excerpt(body, HttpError::EXCERPT_LIMIT),
    };
    Error::Http(Box::new(HttpError::new(status, body.len(), excerpt)))
}

/// Removes quoted or backticked values from a serde message, keeping its shape: a malformed body
/// may hold a token or hash in the field that failed. Public so that other crates of this
/// project (the emulator) redact their serde errors the same way.
///
/// ```
/// use stytch_b2b_passwords::wire::redact_values;
/// assert_eq!(
///     redact_values(r#"invalid type: string "hunter2", expected i64"#),
///     r#"invalid type: string "…", expected i64"#
/// );
/// ```
pub fn redact_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        if c == '"' || c == '`' {
            out.push(c);
            out.push('…');
            let mut escaped = false;
            for inner in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if inner == '\\' && c == '"' {
                    escaped = true;
                } else if inner == c {
                    break;
                }
            }
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_values_keeps_shape_not_values() {
        let msg = r#"invalid type: string "tok\"en-123", expected i32 at line 1 column 9"#;
        assert_eq!(
            redact_values(msg),
            r#"invalid type: string "…", expected i32 at line 1 column 9"#
        );
        assert_eq!(
            redact_values("invalid type: integer `12345`, expected a string"),
            "invalid type: integer `…`, expected a string"
        );
    }
}
