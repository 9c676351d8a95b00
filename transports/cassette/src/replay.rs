//! `ReplayTransport`: answers from a cassette, with no network.

use std::fmt;
use std::path::Path;
use std::sync::Mutex;

use serde_json::Value;
use stytch_b2b_passwords_transport::{
    HttpRequest, HttpResponse, HttpTransport, Operation, TransportError, TransportErrorKind,
};

use crate::cassette::{self, CassetteError};
use crate::scrub::{is_placeholder, is_secret_field, text_matches};

/// How a [`ReplayTransport`] picks the recorded exchange for a request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReplayOrder {
    /// Each request must match the next exchange not yet replayed (the default): the flow must
    /// make the same calls in the same order as when it was recorded.
    #[default]
    InOrder,
    /// Each request takes the first exchange not yet replayed that matches it, wherever it is:
    /// for flows whose calls run concurrently.
    ByMatch,
}

/// Answers each request with the response recorded for it in a cassette, and never touches the
/// network.
///
/// A request matches an exchange when its operation is the same and its JSON body is the same
/// as the recorded one, field for field, except that a placeholder in the recording matches any
/// value. Headers (and so the credentials) are not compared. Each recorded exchange answers
/// once. A request that matches nothing is a [`TransportError`] of kind `Other` that names the
/// closest exchange and the first difference; it is never answered with the wrong response.
pub struct ReplayTransport {
    exchanges: Vec<Value>,
    used: Mutex<Vec<bool>>,
    order: ReplayOrder,
}

impl fmt::Debug for ReplayTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayTransport")
            .field("exchanges", &self.exchanges.len())
            .field("remaining", &self.remaining())
            .field("order", &self.order)
            .finish()
    }
}

impl ReplayTransport {
    /// Reads the cassette at `path`; requests must then come in the recorded order.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, CassetteError> {
        let exchanges = cassette::read(path.as_ref())?;
        Ok(Self {
            used: Mutex::new(vec![false; exchanges.len()]),
            exchanges,
            order: ReplayOrder::InOrder,
        })
    }

    /// Sets how requests are matched to exchanges.
    pub fn order(mut self, order: ReplayOrder) -> Self {
        self.order = order;
        self
    }

    /// How many recorded exchanges have not been replayed yet: a test can assert `0` at its end
    /// to check that the flow made every call it made when recorded.
    pub fn remaining(&self) -> usize {
        self.used
            .lock()
            .map_or(0, |used| used.iter().filter(|u| !**u).count())
    }

    fn answer(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let operation = request
            .extensions()
            .get::<Operation>()
            .map_or("unknown", |o| o.0);
        let body = cassette::parse_body(request.body());
        let mut used = self.used.lock().map_err(|_| {
            TransportError::new(TransportErrorKind::Other, "cassette lock poisoned")
        })?;
        let unused = (0..self.exchanges.len()).filter(|&i| !used[i]);
        let candidates: Vec<usize> = match self.order {
            ReplayOrder::InOrder => unused.take(1).collect(),
            ReplayOrder::ByMatch => unused.collect(),
        };
        let mut closest: Option<(usize, String)> = None;
        for &i in &candidates {
            match self.difference(i, operation, body.as_ref(), request.body()) {
                None => {
                    used[i] = true;
                    return self.replay(i);
                }
                // The first candidate of the same operation is the closest; failing that,
                // the first candidate.
                Some(diff) => {
                    let same_op = self.operation(i) == operation;
                    let better = match &closest {
                        None => true,
                        Some((j, _)) => same_op && self.operation(*j) != operation,
                    };
                    if better {
                        closest = Some((i, diff));
                    }
                }
            }
        }
        let message = match closest {
            Some((i, diff)) => format!(
                "cassette: no recorded exchange matches this {operation} request; the closest \
                 is exchange {i} ({}): {diff}",
                self.operation(i)
            ),
            None => format!(
                "cassette: no recorded exchange left for this {operation} request; all {} were \
                 replayed",
                self.exchanges.len()
            ),
        };
        Err(TransportError::new(TransportErrorKind::Other, message))
    }

    fn operation(&self, i: usize) -> &str {
        self.exchanges[i]["operation"].as_str().unwrap_or("")
    }

    /// The first difference between exchange `i` and a request, or `None` when it matches.
    fn difference(
        &self,
        i: usize,
        operation: &str,
        body: Option<&Value>,
        raw: &[u8],
    ) -> Option<String> {
        if self.operation(i) != operation {
            return Some(format!("it is a {} request", self.operation(i)));
        }
        let recorded = &self.exchanges[i]["request"];
        match (recorded.get("body"), body) {
            (Some(expected), Some(got)) => first_difference(expected, got, "$", false),
            (None, None) => {
                let expected = recorded["body_text"].as_str().unwrap_or("");
                let got = String::from_utf8_lossy(raw);
                (!text_matches(expected, &got)).then(|| "the non-JSON bodies differ".to_owned())
            }
            (Some(_), None) => Some("the recorded body is JSON, this one is not".to_owned()),
            (None, Some(_)) => Some("this body is JSON, the recorded one is not".to_owned()),
        }
    }

    fn replay(&self, i: usize) -> Result<HttpResponse, TransportError> {
        let exchange = &self.exchanges[i];
        match (exchange.get("response"), exchange.get("error")) {
            (Some(response), _) => cassette::response_from_json(response)
                .map_err(|p| TransportError::new(TransportErrorKind::Other, p)),
            (None, Some(error)) => Err(cassette::error_from_json(error)),
            // `cassette::read` let no such exchange in.
            (None, None) => Err(TransportError::new(
                TransportErrorKind::Other,
                "cassette: exchange has no response",
            )),
        }
    }
}

/// Where `got` first differs from `expected` (a placeholder matches anything), as a JSON path
/// and what differs. Values of secret fields are never shown.
fn first_difference(expected: &Value, got: &Value, path: &str, secret: bool) -> Option<String> {
    let show = |v: &Value| {
        if secret {
            "a secret".to_owned()
        } else {
            let text = v.to_string();
            match text.char_indices().nth(80) {
                Some((cut, _)) => format!("{}…", &text[..cut]),
                None => text,
            }
        }
    };
    match (expected, got) {
        (Value::String(e), _) if is_placeholder(e) => None,
        (Value::String(e), Value::String(g)) => (!text_matches(e, g))
            .then(|| format!("{path}: recorded {}, got {}", show(expected), show(got))),
        (Value::Object(e), Value::Object(g)) => {
            for (key, value) in e {
                let at = format!("{path}.{key}");
                match g.get(key) {
                    None => return Some(format!("{at}: recorded, missing here")),
                    Some(got) => {
                        let secret = secret || is_secret_field(key);
                        if let Some(diff) = first_difference(value, got, &at, secret) {
                            return Some(diff);
                        }
                    }
                }
            }
            g.keys()
                .find(|k| !e.contains_key(*k))
                .map(|k| format!("{path}.{k}: here, not recorded"))
        }
        (Value::Array(e), Value::Array(g)) if e.len() != g.len() => Some(format!(
            "{path}: recorded {} items, got {}",
            e.len(),
            g.len()
        )),
        (Value::Array(e), Value::Array(g)) => e
            .iter()
            .zip(g)
            .enumerate()
            .find_map(|(n, (e, g))| first_difference(e, g, &format!("{path}[{n}]"), secret)),
        _ => (expected != got)
            .then(|| format!("{path}: recorded {}, got {}", show(expected), show(got))),
    }
}

#[async_trait::async_trait]
impl HttpTransport for ReplayTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.answer(&request)
    }
}
