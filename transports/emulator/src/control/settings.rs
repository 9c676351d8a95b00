//! Project settings (`GET` / `PATCH /_emulator/settings`), signing keys (`GET /_emulator/keys`,
//! `POST /_emulator/keys/rotate`) and the call count (`GET /_emulator/calls`).

use serde::Deserialize;
use serde_json::{json, Value};
use stytch_b2b_passwords::Secret;

use super::no_body;
use crate::api::parse;
use crate::emulator::Emulator;
use crate::error::{ApiFailure, ApiResult};
use crate::seed::{LockoutPolicy, PasswordHashing, PasswordPolicy};

/// `{"kid": ...}`: the key that signs session JWTs now (the only one in the JWKS).
pub(super) fn keys(emulator: &Emulator) -> Value {
    json!({ "kid": emulator.signing_key_id() })
}

/// Switches to the other signing key: `{"kid": new}`.
pub(super) fn rotate_key(emulator: &Emulator, body: &[u8]) -> ApiResult<Value> {
    no_body(body)?;
    Ok(json!({ "kid": emulator.rotate_signing_key() }))
}

/// `{"count": N}`: requests that reached the API.
pub(super) fn calls(emulator: &Emulator) -> Value {
    json!({ "count": emulator.call_count() })
}

/// The settings now in force.
pub(super) fn read(emulator: &Emulator) -> Value {
    let state = emulator.lock();
    json!({
        "password_policy": state.policy,
        "breach_detection_on_create": state.breach_detection_on_create,
        "breached_passwords_count": state.breached.len(),
        "password_hashing": state.hashing,
        "lockout": state.lockout,
        "default_reset_password_redirect_url": state.default_redirect,
    })
}

/// The settings to change; unset ones stay as they are.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsReq {
    password_policy: Option<PasswordPolicy>,
    breach_detection_on_create: Option<bool>,
    /// Added to the breached list.
    add_breached_passwords: Option<Vec<Secret>>,
    password_hashing: Option<PasswordHashing>,
    lockout: Option<LockoutPolicy>,
    default_reset_password_redirect_url: Option<String>,
}

/// Hashing costs a test could ask for by mistake and then wait on for hours.
fn check_hashing(hashing: &PasswordHashing) -> ApiResult<()> {
    let ok = match hashing {
        PasswordHashing::Bcrypt { cost } => (4..=16).contains(cost),
        PasswordHashing::Argon2id {
            memory_kib,
            iterations,
            parallelism,
        } => {
            (8..=262_144).contains(memory_kib)
                && (1..=16).contains(iterations)
                && (1..=16).contains(parallelism)
        }
    };
    if ok {
        Ok(())
    } else {
        Err(ApiFailure::invalid_request(
            "password_hashing is out of range: bcrypt cost 4 to 16; argon2id memory_kib 8 to \
             262144, iterations and parallelism 1 to 16.",
        ))
    }
}

/// Changes the given settings, all or none: answers the settings now in force.
pub(super) fn update(emulator: &Emulator, body: &[u8]) -> ApiResult<Value> {
    let req: SettingsReq = parse(body)?;
    if let Some(hashing) = &req.password_hashing {
        check_hashing(hashing)?;
    }
    if let Some(PasswordPolicy::Luds {
        min_length,
        min_complexity,
    }) = &req.password_policy
    {
        if *min_length > 256 || !(1..=4).contains(min_complexity) {
            return Err(ApiFailure::invalid_request(
                "A luds policy takes min_length up to 256 and min_complexity 1 to 4.",
            ));
        }
    }
    {
        let mut state = emulator.lock();
        if let Some(policy) = req.password_policy {
            state.policy = policy;
        }
        if let Some(on) = req.breach_detection_on_create {
            state.breach_detection_on_create = on;
        }
        if let Some(passwords) = req.add_breached_passwords {
            state.breached.extend(passwords);
        }
        if let Some(hashing) = req.password_hashing {
            state.hashing = hashing;
        }
        if let Some(lockout) = req.lockout {
            state.lockout = lockout;
        }
        if let Some(url) = req.default_reset_password_redirect_url {
            state.default_redirect = url;
        }
    }
    Ok(read(emulator))
}
