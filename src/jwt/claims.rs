//! The claims of a Stytch B2B session JWT, decoded leniently from the verified payload.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::error::MalformedJwt;
use crate::models::AuthenticationFactor;

/// The claim that holds the session.
pub const SESSION_CLAIM: &str = "https://stytch.com/session";
/// The claim that holds the Organization.
pub const ORGANIZATION_CLAIM: &str = "https://stytch.com/organization";
/// Claims in this namespace are Stytch's, never custom claims.
pub const STYTCH_CLAIM_PREFIX: &str = "https://stytch.com/";
/// The registered claims of RFC 7519, never custom claims.
pub const REGISTERED_CLAIMS: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// What a verified session JWT says about the session, the Member and the Organization.
///
/// Returned by [`authenticate_jwt_local`](crate::PasswordsClient::authenticate_jwt_local) only
/// after every check passed. Holds no part of the token itself.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct SessionJwtClaims {
    /// The Member session id (`https://stytch.com/session` → `id`).
    pub session_id: String,
    /// The Member id (`sub`).
    pub member_id: String,
    /// The Organization id (`https://stytch.com/organization` → `organization_id`).
    pub organization_id: String,
    /// The Organization slug; empty if the token has none.
    pub organization_slug: String,
    /// When the session started, RFC 3339 as sent; empty if absent.
    pub started_at: String,
    /// When the session was last used, RFC 3339 as sent; empty if absent.
    pub last_accessed_at: String,
    /// When the session (not this JWT) expires, RFC 3339 as sent; empty if absent.
    pub expires_at: String,
    /// The factors the Member authenticated with in this session.
    pub authentication_factors: Vec<AuthenticationFactor>,
    /// The ids of the Member's roles in the session.
    pub roles: Vec<String>,
    /// The session's `attributes` (such as `ip_address`, `user_agent`); empty if absent.
    pub attributes: Map<String, Value>,
    /// Every top-level claim that is neither a registered JWT claim nor in the
    /// `https://stytch.com/` namespace: the project's custom session claims.
    pub custom_claims: Map<String, Value>,
    /// The token's issuer (`iss`), one of the accepted ones.
    pub issuer: String,
    /// When the token was issued (`iat`).
    pub issued_at: SystemTime,
    /// When the token becomes valid (`nbf`), if it says.
    pub not_before: Option<SystemTime>,
    /// When the token expires (`exp`); usually five minutes after `iat`, well before the session.
    pub token_expires_at: SystemTime,
}

/// The registered claims the checks need.
pub(crate) struct Registered {
    pub(crate) iss: String,
    pub(crate) aud: Vec<String>,
    pub(crate) times: Times,
}

/// A token's time claims, in Unix seconds: what is checked again each time a cached token is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Times {
    pub(crate) exp: i64,
    pub(crate) iat: i64,
    pub(crate) nbf: Option<i64>,
}

/// Reads `iss`, `aud`, `exp`, `iat` and `nbf`; all but `nbf` are required.
pub(crate) fn registered(map: &Map<String, Value>) -> Result<Registered, MalformedJwt> {
    let iss = match map.get("iss") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(MalformedJwt::InvalidClaim("iss")),
        None => return Err(MalformedJwt::MissingClaim("iss")),
    };
    let aud = match map.get("aud") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or(MalformedJwt::InvalidClaim("aud"))?,
        Some(_) => return Err(MalformedJwt::InvalidClaim("aud")),
        None => return Err(MalformedJwt::MissingClaim("aud")),
    };
    let exp = numeric_date(map, "exp")?.ok_or(MalformedJwt::MissingClaim("exp"))?;
    let iat = numeric_date(map, "iat")?.ok_or(MalformedJwt::MissingClaim("iat"))?;
    let nbf = numeric_date(map, "nbf")?;
    Ok(Registered {
        iss,
        aud,
        times: Times { exp, iat, nbf },
    })
}

/// A NumericDate (seconds since the epoch, possibly fractional), floored to whole seconds.
/// `null` counts as absent.
fn numeric_date(map: &Map<String, Value>, name: &'static str) -> Result<Option<i64>, MalformedJwt> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                return Ok(Some(i));
            }
            match n.as_f64() {
                // `as` saturates: a huge or tiny value becomes i64::MAX or i64::MIN, no panic.
                #[allow(clippy::cast_possible_truncation)]
                Some(f) if f.is_finite() => Ok(Some(f.floor() as i64)),
                _ => Err(MalformedJwt::InvalidClaim(name)),
            }
        }
        Some(_) => Err(MalformedJwt::InvalidClaim(name)),
    }
}

/// Unix seconds to a `SystemTime`, if representable.
pub(crate) fn system_time(secs: i64, claim: &'static str) -> Result<SystemTime, MalformedJwt> {
    let t = if secs >= 0 {
        UNIX_EPOCH.checked_add(Duration::from_secs(secs.unsigned_abs()))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
    };
    t.ok_or(MalformedJwt::InvalidClaim(claim))
}

/// A `SystemTime` to Unix seconds (floored), saturating.
pub(crate) fn unix_secs(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let d = before.duration();
            let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            let floor = if d.subsec_nanos() > 0 {
                whole.saturating_add(1)
            } else {
                whole
            };
            floor.saturating_neg()
        }
    }
}

/// Builds the typed claims once the checks have passed; consumes the claims map.
pub(crate) fn session_claims(
    mut map: Map<String, Value>,
    registered: Registered,
) -> Result<SessionJwtClaims, MalformedJwt> {
    let member_id = match map.get("sub") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::String(_)) | None => return Err(MalformedJwt::MissingClaim("sub")),
        Some(_) => return Err(MalformedJwt::InvalidClaim("sub")),
    };

    let mut session = object(map.remove(SESSION_CLAIM), SESSION_CLAIM)?;
    let session_id = required_str(&session, "id", "https://stytch.com/session.id")?;
    let started_at = optional_str(
        &session,
        "started_at",
        "https://stytch.com/session.started_at",
    )?;
    let last_accessed_at = optional_str(
        &session,
        "last_accessed_at",
        "https://stytch.com/session.last_accessed_at",
    )?;
    let expires_at = optional_str(
        &session,
        "expires_at",
        "https://stytch.com/session.expires_at",
    )?;
    let attributes = match session.remove("attributes") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(o)) => o,
        Some(_) => {
            return Err(MalformedJwt::InvalidClaim(
                "https://stytch.com/session.attributes",
            ))
        }
    };
    const FACTORS: &str = "https://stytch.com/session.authentication_factors";
    let authentication_factors = match session.remove("authentication_factors") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(serde_json::from_value::<AuthenticationFactor>)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| MalformedJwt::InvalidClaim(FACTORS))?,
        Some(_) => return Err(MalformedJwt::InvalidClaim(FACTORS)),
    };
    const ROLES: &str = "https://stytch.com/session.roles";
    let roles = match session.remove("roles") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .ok_or(MalformedJwt::InvalidClaim(ROLES))?,
        Some(_) => return Err(MalformedJwt::InvalidClaim(ROLES)),
    };

    let organization = object(map.remove(ORGANIZATION_CLAIM), ORGANIZATION_CLAIM)?;
    let organization_id = required_str(
        &organization,
        "organization_id",
        "https://stytch.com/organization.organization_id",
    )?;
    let organization_slug = optional_str(
        &organization,
        "slug",
        "https://stytch.com/organization.slug",
    )?;

    let times = registered.times;
    let issued_at = system_time(times.iat, "iat")?;
    let token_expires_at = system_time(times.exp, "exp")?;
    let not_before = times.nbf.map(|nbf| system_time(nbf, "nbf")).transpose()?;

    map.retain(|name, _| {
        !REGISTERED_CLAIMS.contains(&name.as_str()) && !name.starts_with(STYTCH_CLAIM_PREFIX)
    });

    Ok(SessionJwtClaims {
        session_id,
        member_id,
        organization_id,
        organization_slug,
        started_at,
        last_accessed_at,
        expires_at,
        authentication_factors,
        roles,
        attributes,
        custom_claims: map,
        issuer: registered.iss,
        issued_at,
        not_before,
        token_expires_at,
    })
}

fn object(value: Option<Value>, name: &'static str) -> Result<Map<String, Value>, MalformedJwt> {
    match value {
        Some(Value::Object(o)) => Ok(o),
        None | Some(Value::Null) => Err(MalformedJwt::MissingClaim(name)),
        Some(_) => Err(MalformedJwt::InvalidClaim(name)),
    }
}

fn required_str(
    object: &Map<String, Value>,
    key: &str,
    name: &'static str,
) -> Result<String, MalformedJwt> {
    let value = optional_str(object, key, name)?;
    if value.is_empty() {
        return Err(MalformedJwt::MissingClaim(name));
    }
    Ok(value)
}

fn optional_str(
    object: &Map<String, Value>,
    key: &str,
    name: &'static str,
) -> Result<String, MalformedJwt> {
    match object.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Null) | None => Ok(String::new()),
        Some(_) => Err(MalformedJwt::InvalidClaim(name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(o) => o,
            _ => Map::new(),
        }
    }

    #[test]
    fn numeric_dates_accept_integers_and_floats_and_reject_the_rest() {
        let m = map(json!({"a": 5, "b": 5.9, "c": "5", "d": 1e300, "e": -1.5, "f": null}));
        assert_eq!(numeric_date(&m, "a"), Ok(Some(5)));
        assert_eq!(numeric_date(&m, "b"), Ok(Some(5)));
        assert_eq!(numeric_date(&m, "c"), Err(MalformedJwt::InvalidClaim("c")));
        assert_eq!(numeric_date(&m, "d"), Ok(Some(i64::MAX)));
        assert_eq!(numeric_date(&m, "e"), Ok(Some(-2)));
        assert_eq!(numeric_date(&m, "f"), Ok(None));
        assert_eq!(numeric_date(&m, "g"), Ok(None));
    }

    #[test]
    fn unix_seconds_round_trip_and_saturate() {
        assert_eq!(unix_secs(UNIX_EPOCH), 0);
        assert_eq!(
            unix_secs(system_time(1_700_000_000, "x").unwrap()),
            1_700_000_000
        );
        assert_eq!(unix_secs(system_time(-10, "x").unwrap()), -10);
        assert!(
            system_time(i64::MAX, "x").is_err()
                || unix_secs(system_time(i64::MAX, "x").unwrap()) == i64::MAX
        );
    }

    #[test]
    fn aud_may_be_a_string_or_an_array() {
        let base = json!({"iss": "i", "exp": 2, "iat": 1});
        let mut m = map(base.clone());
        m.insert("aud".into(), json!("p"));
        assert_eq!(registered(&m).unwrap().aud, vec!["p".to_owned()]);
        m.insert("aud".into(), json!(["p", "q"]));
        assert_eq!(registered(&m).unwrap().aud.len(), 2);
        m.insert("aud".into(), json!([1]));
        assert_eq!(
            registered(&m).err(),
            Some(MalformedJwt::InvalidClaim("aud"))
        );
        m.remove("aud");
        assert_eq!(
            registered(&m).err(),
            Some(MalformedJwt::MissingClaim("aud"))
        );
    }
}
