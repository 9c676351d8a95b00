//! `GET` / `DELETE /_emulator/outbox`: the reset emails "sent" so far, with their tokens.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::emulator::Emulator;
use crate::outbox::{EmailKind, OutboxEmail};
use crate::util::rfc3339;

/// Every email, oldest first.
pub(super) fn list(emulator: &Emulator) -> Value {
    Value::Array(emulator.outbox().iter().map(email_json).collect())
}

/// Empties the outbox: `{"cleared": N}`.
pub(super) fn clear(emulator: &Emulator) -> Value {
    let mut state = emulator.lock();
    let cleared = state.outbox.len();
    state.outbox.clear();
    json!({ "cleared": cleared })
}

fn unix_seconds(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0)
}

fn email_json(email: &OutboxEmail) -> Value {
    let kind = match email.kind {
        EmailKind::PasswordReset => "password_reset",
        EmailKind::DiscoveryPasswordReset => "discovery_password_reset",
    };
    json!({
        "to": email.to,
        "kind": kind,
        "organization_id": email.organization_id,
        "member_id": email.member_id,
        "token": email.token.expose(),
        "link": email.link.expose(),
        "redirect_url": email.redirect_url,
        "sent_at": rfc3339(unix_seconds(email.sent_at)),
        "expires_at": rfc3339(unix_seconds(email.expires_at)),
        "locale": email.locale,
        "template_id": email.template_id,
    })
}
