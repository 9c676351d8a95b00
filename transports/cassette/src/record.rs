//! `RecordingTransport`: sends through a live transport and writes each exchange, scrubbed.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::json;
use stytch_b2b_passwords_transport::{
    Attempts, HttpRequest, HttpResponse, HttpTransport, Operation, TransportError,
    TransportErrorKind,
};

use crate::cassette::{self, io_error, CassetteError};
use crate::scrub::{is_secret_header, Scrubber};

/// Wraps any transport and writes every exchange through it to a cassette file, with every
/// secret replaced by a placeholder before a byte is written.
///
/// The file is created (with its folders) or emptied when the transport is made, and each
/// exchange is appended as soon as it completes, so a test that fails half-way still leaves
/// what it recorded. See the crate docs for the format and what is scrubbed.
pub struct RecordingTransport {
    inner: Arc<dyn HttpTransport>,
    path: PathBuf,
    state: Mutex<State>,
}

struct State {
    scrubber: Scrubber,
    file: std::fs::File,
}

impl fmt::Debug for RecordingTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingTransport")
            .field("inner", &self.inner)
            .field("path", &self.path)
            .finish()
    }
}

impl RecordingTransport {
    /// Records the exchanges of `inner` into a new cassette at `path`.
    pub fn create(
        path: impl AsRef<Path>,
        inner: impl HttpTransport,
    ) -> Result<Self, CassetteError> {
        Self::create_shared(path, Arc::new(inner))
    }

    /// As [`create`](Self::create), for a transport that is already shared.
    pub fn create_shared(
        path: impl AsRef<Path>,
        inner: Arc<dyn HttpTransport>,
    ) -> Result<Self, CassetteError> {
        let path = path.as_ref().to_owned();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io_error(&path, e))?;
        }
        let file = std::fs::File::create(&path).map_err(|e| io_error(&path, e))?;
        Ok(Self {
            inner,
            path,
            state: Mutex::new(State {
                scrubber: Scrubber::default(),
                file,
            }),
        })
    }

    /// The cassette's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Scrubs one exchange and appends it to the file.
    fn write(
        &self,
        request: Parts,
        outcome: &Result<HttpResponse, TransportError>,
    ) -> Result<(), TransportError> {
        let mut state = self.state.lock().map_err(|_| {
            TransportError::new(TransportErrorKind::Other, "cassette lock poisoned")
        })?;
        let State { scrubber, file } = &mut *state;
        // Learn every secret of the exchange first, so that an echo of one anywhere (even of a
        // response token inside the request's text) is caught wherever it is written.
        for (name, value) in &request.headers {
            if is_secret_header(name.as_str()) {
                scrubber.learn_header(name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
            }
        }
        let request_json = cassette::parse_body(&request.body);
        let response_json = outcome
            .as_ref()
            .ok()
            .and_then(|r| cassette::parse_body(r.body()));
        for body in request_json.iter().chain(&response_json) {
            scrubber.learn_json(body);
        }

        let (body_key, body) = cassette::body_to_json(&request.body, request_json, scrubber);
        let mut request_doc = json!({
            "method": request.method.as_str(),
            "path": scrubber.scrub_text(&request.path),
            "headers": cassette::headers_to_json(&request.headers, scrubber),
        });
        request_doc[body_key] = body;
        let mut doc = json!({
            "operation": request.operation,
            "attempt": request.attempt,
            "request": request_doc,
        });
        match outcome {
            Ok(response) => {
                let (body_key, body) =
                    cassette::body_to_json(response.body(), response_json, scrubber);
                let mut response_doc = json!({
                    "status": response.status().as_u16(),
                    "headers": cassette::headers_to_json(response.headers(), scrubber),
                });
                response_doc[body_key] = body;
                doc["response"] = response_doc;
            }
            Err(error) => doc["error"] = cassette::error_to_json(error, scrubber),
        }

        let mut text = serde_json::to_string_pretty(&doc).map_err(|e| {
            TransportError::new(
                TransportErrorKind::Other,
                "cassette: cannot encode exchange",
            )
            .with_source(e)
        })?;
        text.push('\n');
        file.write_all(text.as_bytes()).map_err(|e| {
            TransportError::new(
                TransportErrorKind::Other,
                format!("cassette {}: cannot write", self.path.display()),
            )
            .with_source(e)
        })
    }
}

/// What the recorder keeps of a request while the live transport has it.
struct Parts {
    operation: &'static str,
    /// Which attempt of its call this exchange is (the client numbers them from 1).
    attempt: u32,
    method: http::Method,
    path: String,
    headers: http::HeaderMap,
    body: bytes::Bytes,
}

#[async_trait::async_trait]
impl HttpTransport for RecordingTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let parts = Parts {
            operation: request
                .extensions()
                .get::<Operation>()
                .map_or("unknown", |o| o.0),
            attempt: request.extensions().get::<Attempts>().map_or(1, |a| a.0),
            method: request.method().clone(),
            path: request
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned(),
            headers: request.headers().clone(),
            body: request.body().clone(),
        };
        let outcome = self.inner.send(request).await;
        // A cassette that cannot be written fails the call: a test must not pass while
        // recording nothing.
        self.write(parts, &outcome)?;
        outcome
    }
}
