//! The emulated clock: `GET /_emulator/clock`, `POST /_emulator/clock/freeze` and
//! `POST /_emulator/clock/advance` with `{"seconds": N}`.

use serde::Deserialize;
use serde_json::{json, Value};

use super::no_body;
use crate::api::parse;
use crate::emulator::Emulator;
use crate::error::{ApiFailure, ApiResult};
use crate::util::rfc3339;

/// The furthest the control API moves the clock ahead of real time, in total: 100 years, so
/// that emulated timestamps and expiry arithmetic stay far from `i64` overflow.
const MAX_CLOCK_OFFSET_SECONDS: i64 = 100 * 366 * 24 * 60 * 60;

/// `{"now": RFC 3339, "unix": seconds, "frozen": bool}`.
pub(super) fn read(emulator: &Emulator) -> Value {
    let state = emulator.lock();
    let now = state.now();
    json!({
        "now": rfc3339(now),
        "unix": now,
        "frozen": state.clock.frozen_at.is_some(),
    })
}

/// Stops the clock at the current instant; it then moves only when advanced.
pub(super) fn freeze(emulator: &Emulator, body: &[u8]) -> ApiResult<Value> {
    no_body(body)?;
    emulator.freeze_clock();
    Ok(read(emulator))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdvanceReq {
    seconds: u64,
}

/// Moves the clock forward by `seconds`.
pub(super) fn advance(emulator: &Emulator, body: &[u8]) -> ApiResult<Value> {
    let req: AdvanceReq = parse(body)?;
    {
        let mut state = emulator.lock();
        let offset = i64::try_from(req.seconds)
            .ok()
            .and_then(|s| state.clock.offset.checked_add(s))
            .filter(|o| *o <= MAX_CLOCK_OFFSET_SECONDS)
            .ok_or_else(|| {
                ApiFailure::invalid_request(format!(
                    "seconds is too large: the control API moves the clock at most \
                     {MAX_CLOCK_OFFSET_SECONDS} seconds ahead in total."
                ))
            })?;
        state.clock.offset = offset;
    }
    Ok(read(emulator))
}
