//! Fault injection: `GET`, `POST` and `DELETE /_emulator/faults`, the same [`Fault`] kinds,
//! `times` and `on_path` as the Rust API.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::api::parse;
use crate::emulator::Emulator;
use crate::error::{ApiFailure, ApiResult};
use crate::faults::{Fault, FaultKind};

/// The longest latency a fault may add: a test that asks for more has a typo.
const MAX_LATENCY_MS: u64 = 60_000;

/// One fault to queue. `kind` is `error` (`status`, `error_type`, `error_message`), `respond`
/// (`status`, `content_type`, `body`), `latency` (`latency_ms`) or `drop_connection`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultReq {
    kind: String,
    status: Option<u16>,
    error_type: Option<String>,
    error_message: Option<String>,
    content_type: Option<String>,
    body: Option<String>,
    latency_ms: Option<u64>,
    times: Option<u32>,
    on_path: Option<String>,
}

fn need<T>(value: Option<T>, field: &str, kind: &str) -> ApiResult<T> {
    value.ok_or_else(|| {
        ApiFailure::invalid_request(format!("A {kind:?} fault needs the field {field}."))
    })
}

fn status(value: Option<u16>, kind: &str) -> ApiResult<u16> {
    let status = need(value, "status", kind)?;
    if !(100..=599).contains(&status) {
        return Err(ApiFailure::invalid_request(
            "status must be an HTTP status, 100 to 599.",
        ));
    }
    Ok(status)
}

/// Queues a fault: answers `{"queued": N}`, the faults now waiting.
pub(super) fn inject(emulator: &Emulator, body: &[u8]) -> ApiResult<Value> {
    let req: FaultReq = parse(body)?;
    let kind = req.kind.as_str();
    let fault = match kind {
        "error" => Fault::error(
            status(req.status, kind)?,
            &need(req.error_type, "error_type", kind)?,
            &need(req.error_message, "error_message", kind)?,
        ),
        "respond" => Fault::respond(
            status(req.status, kind)?,
            &req.content_type
                .unwrap_or_else(|| "application/json".to_owned()),
            need(req.body, "body", kind)?,
        ),
        "latency" => {
            let ms = need(req.latency_ms, "latency_ms", kind)?;
            if ms > MAX_LATENCY_MS {
                return Err(ApiFailure::invalid_request(format!(
                    "latency_ms must be at most {MAX_LATENCY_MS}."
                )));
            }
            Fault::latency(Duration::from_millis(ms))
        }
        "drop_connection" => Fault::drop_connection(),
        _ => {
            return Err(ApiFailure::invalid_request(
                "kind must be error, respond, latency or drop_connection.",
            ))
        }
    };
    let times = req.times.unwrap_or(1);
    if times == 0 {
        return Err(ApiFailure::invalid_request("times must be 1 or more."));
    }
    let mut fault = fault.times(times);
    if let Some(path) = req.on_path {
        if !path.starts_with('/') {
            return Err(ApiFailure::invalid_request(
                "on_path must be a path such as /v1/b2b/passwords/authenticate.",
            ));
        }
        fault = fault.on_path(path);
    }
    emulator.inject_fault(fault);
    Ok(json!({ "queued": emulator.lock().faults.len() }))
}

/// The queued faults, first to apply first.
pub(super) fn list(emulator: &Emulator) -> Value {
    let state = emulator.lock();
    Value::Array(
        state
            .faults
            .iter()
            .map(|f| {
                let mut v = match &f.kind {
                    FaultKind::Respond {
                        status,
                        content_type,
                        ..
                    } => json!({"kind": "respond", "status": status, "content_type": content_type}),
                    FaultKind::Latency(d) => {
                        json!({"kind": "latency", "latency_ms": d.as_millis()})
                    }
                    FaultKind::DropConnection => json!({"kind": "drop_connection"}),
                };
                if let Some(map) = v.as_object_mut() {
                    map.insert("times".to_owned(), json!(f.remaining));
                    map.insert("on_path".to_owned(), json!(f.path));
                }
                v
            })
            .collect(),
    )
}

/// Removes every queued fault: `{"cleared": N}`.
pub(super) fn clear(emulator: &Emulator) -> Value {
    let mut state = emulator.lock();
    let cleared = state.faults.len();
    state.faults.clear();
    json!({ "cleared": cleared })
}
