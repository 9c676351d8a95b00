//! The cassette file: one pretty-printed JSON document per exchange, one after the other.
//!
//! ```text
//! {
//!   "operation": "passwords.authenticate",
//!   "attempt": 1,
//!   "request": { "method": "POST", "path": "/v1/b2b/passwords/authenticate",
//!                "headers": { "authorization": "<secret:authorization:1>", ... },
//!                "body": { "email_address": "ada@acme.com", "password": "<secret:password:1>", ... } },
//!   "response": { "status": 200, "headers": { ... }, "body": { ... } }
//! }
//! ```
//!
//! A body that is not JSON is kept as text under `body_text`; a call that failed in the
//! transport has `error` (`kind`, `message`) instead of `response`.

use std::fmt;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde_json::{json, Map, Value};
use stytch_b2b_passwords_transport::{HttpResponse, TransportError, TransportErrorKind};

use crate::scrub::Scrubber;

/// Why a cassette could not be read, written or chosen.
#[derive(Debug)]
#[non_exhaustive]
pub enum CassetteError {
    /// The file could not be read or written.
    Io {
        /// The cassette's path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not a sequence of exchanges.
    Malformed {
        /// The cassette's path.
        path: PathBuf,
        /// Which exchange (from 0) is wrong.
        index: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// The mode variable holds a value that is not a mode.
    BadMode(String),
    /// Replay was asked for, and the cassette does not exist.
    Missing(PathBuf),
    /// The live transport for recording could not be built.
    Live(Box<dyn std::error::Error + Send + Sync>),
}

impl fmt::Display for CassetteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CassetteError::Io { path, source } => {
                write!(f, "cassette {}: {source}", path.display())
            }
            CassetteError::Malformed {
                path,
                index,
                problem,
            } => write!(
                f,
                "cassette {}: exchange {index}: {problem}",
                path.display()
            ),
            CassetteError::BadMode(value) => write!(
                f,
                "{} is {value:?}; expected record, replay or auto",
                crate::MODE_VARIABLE
            ),
            CassetteError::Missing(path) => write!(
                f,
                "cassette {} does not exist; record it first ({}=record)",
                path.display(),
                crate::MODE_VARIABLE
            ),
            CassetteError::Live(e) => write!(f, "the live transport for recording: {e}"),
        }
    }
}

impl std::error::Error for CassetteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CassetteError::Io { source, .. } => Some(source),
            CassetteError::Live(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

pub(crate) fn io_error(path: &Path, source: std::io::Error) -> CassetteError {
    CassetteError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Parses a body as JSON, if it is JSON.
pub(crate) fn parse_body(body: &[u8]) -> Option<Value> {
    serde_json::from_slice(body).ok()
}

/// A body as the cassette keeps it, scrubbed: JSON when it is JSON (`parsed`), text otherwise.
pub(crate) fn body_to_json(
    raw: &[u8],
    parsed: Option<Value>,
    scrubber: &mut Scrubber,
) -> (&'static str, Value) {
    match parsed {
        Some(mut value) => {
            scrubber.scrub_json(&mut value);
            ("body", value)
        }
        None => (
            "body_text",
            Value::String(scrubber.scrub_text(&String::from_utf8_lossy(raw))),
        ),
    }
}

/// The body bytes a recorded `body` or `body_text` stands for.
pub(crate) fn body_bytes(part: &Value) -> Bytes {
    match (part.get("body"), part.get("body_text")) {
        (Some(body), _) => Bytes::from(body.to_string()),
        (None, Some(Value::String(text))) => Bytes::from(text.clone()),
        _ => Bytes::new(),
    }
}

/// Headers as a JSON object, secret ones replaced by their placeholders.
pub(crate) fn headers_to_json(headers: &http::HeaderMap, scrubber: &mut Scrubber) -> Value {
    let mut out = Map::new();
    for (name, value) in headers {
        let text = String::from_utf8_lossy(value.as_bytes());
        let text = if crate::scrub::is_secret_header(name.as_str()) {
            scrubber.learn(name.as_str(), &text)
        } else {
            scrubber.scrub_text(&text)
        };
        // A repeated header keeps its last value: Stytch sends none twice.
        out.insert(name.as_str().to_owned(), Value::String(text));
    }
    Value::Object(out)
}

/// A transport error as the cassette keeps it.
pub(crate) fn error_to_json(error: &TransportError, scrubber: &Scrubber) -> Value {
    json!({
        "kind": error.kind().to_string(),
        "message": scrubber.scrub_text(error.message()),
    })
}

/// The transport error a recorded `error` stands for.
pub(crate) fn error_from_json(error: &Value) -> TransportError {
    let kind = match error.get("kind").and_then(Value::as_str).unwrap_or("other") {
        "connect" => TransportErrorKind::Connect,
        "tls" => TransportErrorKind::Tls,
        "timeout" => TransportErrorKind::Timeout,
        "i/o" => TransportErrorKind::Io,
        "body too large" => TransportErrorKind::BodyTooLarge,
        "refused" => TransportErrorKind::Refused,
        _ => TransportErrorKind::Other,
    };
    let message = error.get("message").and_then(Value::as_str).unwrap_or("");
    TransportError::new(kind, format!("replayed: {message}"))
}

/// The response a recorded `response` stands for.
pub(crate) fn response_from_json(response: &Value) -> Result<HttpResponse, String> {
    let status = response
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .ok_or("response.status is not a status code")?;
    let mut builder = http::Response::builder().status(status);
    if let Some(headers) = response.get("headers").and_then(Value::as_object) {
        // The body is re-serialized, so the recorded framing headers no longer describe it.
        let framing = |name: &str| name == "content-length" || name == "transfer-encoding";
        for (name, value) in headers.iter().filter(|(name, _)| !framing(name)) {
            if let Some(value) = value.as_str() {
                builder = builder.header(name.as_str(), value);
            }
        }
    }
    builder
        .body(body_bytes(response))
        .map_err(|e| format!("response: {e}"))
}

/// Reads every exchange of the cassette at `path`, checking each has what replay needs.
pub(crate) fn read(path: &Path) -> Result<Vec<Value>, CassetteError> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => CassetteError::Missing(path.to_owned()),
        _ => io_error(path, e),
    })?;
    let malformed = |index, problem: String| CassetteError::Malformed {
        path: path.to_owned(),
        index,
        problem,
    };
    let mut exchanges = Vec::new();
    for (index, doc) in serde_json::Deserializer::from_str(&text)
        .into_iter::<Value>()
        .enumerate()
    {
        let exchange = doc.map_err(|e| malformed(index, e.to_string()))?;
        if exchange.get("operation").and_then(Value::as_str).is_none() {
            return Err(malformed(index, "no operation".into()));
        }
        match (exchange.get("response"), exchange.get("error")) {
            (Some(response), _) => {
                response_from_json(response).map_err(|p| malformed(index, p))?;
            }
            (None, Some(_)) => {}
            (None, None) => return Err(malformed(index, "neither response nor error".into())),
        }
        exchanges.push(exchange);
    }
    Ok(exchanges)
}
