//! Real flows through `PasswordsClient` over the in-process `EmulatorTransport`: every endpoint's
//! success path, and the error paths Stytch has for each.

mod support;
use support::*;

use std::time::Duration;

use stytch_b2b_passwords::{
    AuthenticateRequest, DiscoveryAuthenticateRequest, DiscoveryEmailResetRequest,
    DiscoveryEmailResetStartRequest, EmailRequireResetRequest, EmailResetRequest,
    EmailResetStartRequest, Error, ErrorType, ExistingPasswordResetRequest, HashType,
    MigrateRequest, PasswordsClient, Secret, SessionsResetRequest, StrengthCheckRequest,
};
use stytch_b2b_passwords_emulator::{Emulator, MemberSeed, OrganizationSeed, PasswordPolicy};

/// Starts an email reset and returns the token from the mail the emulator sent.
async fn emailed_reset_token(
    client: &PasswordsClient,
    emulator: &Emulator,
    start: EmailResetStartRequest,
) -> Secret {
    let to = start.email_address.clone();
    client.email_reset_start(start).await.unwrap();
    emulator.last_email_to(&to).unwrap().token
}

fn setup() -> (Emulator, PasswordsClient) {
    let emulator = Emulator::builder()
        .organization(
            OrganizationSeed::new("Acme", "acme")
                .jit_for_domains(["acme.com"])
                .member(
                    MemberSeed::new("ada@acme.com")
                        .name("Ada")
                        .password(STRONG_1),
                )
                .member(MemberSeed::new("bob@acme.com").password(STRONG_1)),
        )
        .organization(
            OrganizationSeed::new("Globex", "globex")
                .member(MemberSeed::new("ada@acme.com").password(STRONG_2)),
        )
        .build()
        .unwrap();
    let client = emulator.client().unwrap();
    (emulator, client)
}

fn error_type(err: &Error) -> &str {
    err.error_type()
        .map_or("<not an API error>", |t| t.as_str())
}

fn status(err: &Error) -> u16 {
    err.status().map_or(0, |s| s.as_u16())
}

async fn login(
    client: &PasswordsClient,
    org: &str,
    email: &str,
    password: &str,
) -> Result<stytch_b2b_passwords::AuthenticateResponse, Error> {
    client
        .authenticate(AuthenticateRequest::new(org, email, password))
        .await
}

#[tokio::test]
async fn migrate_login_forget_reset_login_again() {
    bounded(async {
        let (emulator, client) = setup();
        let org = emulator.organization_id("acme").unwrap();

        let migrated = client
            .migrate(
                MigrateRequest::new("carol@acme.com", LEGACY_HASH, HashType::Bcrypt, &org)
                    .name("Carol")
                    .roles(vec!["billing".to_owned()]),
            )
            .await
            .unwrap();
        assert!(migrated.member_created);
        assert_eq!(migrated.member.email_address, "carol@acme.com");
        assert_eq!(migrated.member.name, "Carol");
        assert_eq!(migrated.organization.organization_id, org);
        assert!(!migrated.member.member_password_id.is_empty());
        assert!(migrated.member.roles.iter().any(|r| r.role_id == "billing"));

        let first = login(&client, &org, "carol@acme.com", LEGACY_PASSWORD)
            .await
            .unwrap();
        assert!(first.member_authenticated);
        assert_eq!(first.member_id, migrated.member_id);
        assert!(!first.session_token.is_empty() && !first.session_jwt.is_empty());
        assert!(first.intermediate_session_token.is_empty());
        let session = first.member_session.as_ref().unwrap();
        assert_eq!(session.member_id, migrated.member_id);
        assert_eq!(session.organization_slug, "acme");
        assert_eq!(session.authentication_factors.len(), 1);
        assert!(session.roles.contains(&"billing".to_owned()));

        let start = client
            .email_reset_start(EmailResetStartRequest::new("acme", "carol@acme.com"))
            .await
            .unwrap();
        assert_eq!(start.member_id, migrated.member_id);
        assert!(!start.member_email_id.is_empty());
        let mail = emulator.last_email_to("carol@acme.com").unwrap();
        assert_eq!(mail.member_id.as_deref(), Some(migrated.member_id.as_str()));
        assert!(mail.link.expose().contains(mail.token.expose()));
        assert!(
            !format!("{mail:?}").contains(mail.token.expose()),
            "Debug leaks the token"
        );

        let reset = client
            .email_reset(EmailResetRequest::new(mail.token.clone(), STRONG_3))
            .await
            .unwrap();
        assert!(reset.member_authenticated);
        assert_eq!(reset.member_email_id, start.member_email_id);
        assert!(reset.member.email_address_verified);
        // The session from before the reset is revoked; only the new one is live.
        assert_eq!(emulator.live_session_count(&migrated.member_id), 1);
        let stale = client
            .authenticate(
                AuthenticateRequest::new(&org, "carol@acme.com", STRONG_3)
                    .session_token(first.session_token.clone()),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&stale), "session_not_found");

        let old = login(&client, &org, "carol@acme.com", LEGACY_PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(old.error_type(), Some(&ErrorType::UnauthorizedCredentials));
        assert_eq!(status(&old), 401);
        let again = login(&client, &org, "carol@acme.com", STRONG_3)
            .await
            .unwrap();
        assert!(again.member_authenticated);
    })
    .await;
}

#[tokio::test]
async fn wrong_project_credentials_are_401() {
    bounded(async {
        let (emulator, _) = setup();
        for (id, secret) in [
            (emulator.project_id(), "wrong-secret".to_owned()),
            (
                "project-test-other".to_owned(),
                emulator.secret().expose().to_owned(),
            ),
        ] {
            let client = PasswordsClient::builder(id, secret)
                .transport(emulator.transport())
                .build()
                .unwrap();
            let err = client
                .strength_check(StrengthCheckRequest::new(STRONG_1))
                .await
                .unwrap_err();
            assert_eq!(error_type(&err), "unauthorized_credentials");
            assert_eq!(status(&err), 401);
            assert!(err
                .request_id()
                .is_some_and(|r| r.starts_with("request-id-test-")));
        }
    })
    .await;
}

#[tokio::test]
async fn authenticate_errors() {
    bounded(async {
        let (_, client) = setup();
        let wrong = login(&client, "acme", "ada@acme.com", STRONG_2)
            .await
            .unwrap_err();
        assert_eq!(error_type(&wrong), "unauthorized_credentials");
        let unknown = login(&client, "acme", "nobody@acme.com", STRONG_1)
            .await
            .unwrap_err();
        assert_eq!(error_type(&unknown), "unauthorized_credentials");
        let no_org = login(&client, "no-such-org", "ada@acme.com", STRONG_1)
            .await
            .unwrap_err();
        assert_eq!(error_type(&no_org), "organization_not_found");
        assert_eq!(status(&no_org), 404);
        // Same email, other Organization, other password.
        assert!(
            login(&client, "globex", "ada@acme.com", STRONG_2)
                .await
                .unwrap()
                .member_authenticated
        );
    })
    .await;
}

#[tokio::test]
async fn session_duration_and_custom_claims_are_honoured() {
    bounded(async {
        let (emulator, client) = setup();
        emulator.freeze_clock();
        let mut claims = serde_json::Map::new();
        claims.insert("tenant".into(), serde_json::json!("blue"));
        let r = client
            .authenticate(
                AuthenticateRequest::new("acme", "ada@acme.com", STRONG_1)
                    .session_duration_minutes(120)
                    .session_custom_claims(claims.clone()),
            )
            .await
            .unwrap();
        let s = r.member_session.unwrap();
        assert_eq!(s.custom_claims.as_ref(), Some(&claims));
        let started = parse_rfc3339(&s.started_at);
        assert_eq!(parse_rfc3339(&s.expires_at) - started, 120 * 60);

        let default = login(&client, "acme", "ada@acme.com", STRONG_1)
            .await
            .unwrap();
        let s = default.member_session.unwrap();
        assert_eq!(
            parse_rfc3339(&s.expires_at) - parse_rfc3339(&s.started_at),
            60 * 60
        );

        // Extending the first session keeps its id.
        let extended = client
            .authenticate(
                AuthenticateRequest::new("acme", "ada@acme.com", STRONG_1)
                    .session_token(r.session_token.clone()),
            )
            .await
            .unwrap();
        assert_eq!(extended.session_token, r.session_token);

        let reserved = client
            .authenticate(
                AuthenticateRequest::new("acme", "ada@acme.com", STRONG_1).session_custom_claims(
                    [("sub".to_owned(), serde_json::json!("x"))]
                        .into_iter()
                        .collect::<serde_json::Map<_, _>>(),
                ),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&reserved), "invalid_session_custom_claims");
    })
    .await;
}

/// `YYYY-MM-DDTHH:MM:SSZ` to Unix seconds (enough for differences).
fn parse_rfc3339(s: &str) -> i64 {
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d;
    days * 86_400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)
}

#[tokio::test]
async fn strength_check_zxcvbn_luds_and_breaches() {
    bounded(async {
        let (emulator, client) = setup();
        let weak = client
            .strength_check(StrengthCheckRequest::new("password"))
            .await
            .unwrap();
        assert!(!weak.valid_password);
        assert!(weak.score < 3);
        assert_eq!(weak.strength_policy, "zxcvbn");
        let feedback = weak.zxcvbn_feedback.unwrap();
        assert!(!feedback.warning.is_empty() || !feedback.suggestions.is_empty());

        let strong = client
            .strength_check(StrengthCheckRequest::new(STRONG_1))
            .await
            .unwrap();
        assert!(strong.valid_password && strong.score >= 3 && !strong.breached_password);

        emulator.add_breached_passwords([STRONG_1]);
        let breached = client
            .strength_check(StrengthCheckRequest::new(STRONG_1))
            .await
            .unwrap();
        assert!(breached.breached_password && !breached.valid_password);
        assert!(breached.breach_detection_on_create);

        emulator.set_password_policy(PasswordPolicy::luds(12, 4));
        let luds = client
            .strength_check(StrengthCheckRequest::new("abcDEF12"))
            .await
            .unwrap();
        assert_eq!(luds.strength_policy, "luds");
        assert!(!luds.valid_password);
        let f = luds.luds_feedback.unwrap();
        assert!(f.has_lower_case && f.has_upper_case && f.has_digit && !f.has_symbol);
        assert_eq!((f.missing_characters, f.missing_complexity), (4, 1));
        let ok = client
            .strength_check(StrengthCheckRequest::new("abcDEF12!xyz"))
            .await
            .unwrap();
        assert!(ok.valid_password);
    })
    .await;
}

#[tokio::test]
async fn migrate_updates_an_existing_member_and_revokes_sessions() {
    bounded(async {
        let (emulator, client) = setup();
        let ada = emulator.member_id("acme", "ada@acme.com").unwrap();
        login(&client, "acme", "ada@acme.com", STRONG_1)
            .await
            .unwrap();
        let kept = client
            .migrate(
                MigrateRequest::new("ada@acme.com", LEGACY_HASH, HashType::Bcrypt, "acme")
                    .preserve_existing_sessions(true),
            )
            .await
            .unwrap();
        assert!(!kept.member_created);
        assert_eq!(kept.member_id, ada);
        assert_eq!(emulator.live_session_count(&ada), 1);
        client
            .migrate(MigrateRequest::new(
                "ada@acme.com",
                LEGACY_HASH,
                HashType::Bcrypt,
                "acme",
            ))
            .await
            .unwrap();
        assert_eq!(emulator.live_session_count(&ada), 0);
        assert!(login(&client, "acme", "ada@acme.com", LEGACY_PASSWORD)
            .await
            .is_ok());

        let bad = client
            .migrate(MigrateRequest::new(
                "ada@acme.com",
                "not-a-hash",
                HashType::Bcrypt,
                "acme",
            ))
            .await
            .unwrap_err();
        assert_eq!(error_type(&bad), "invalid_bcrypt_hash");
        assert_eq!(status(&bad), 400);
        let bad_email = client
            .migrate(MigrateRequest::new(
                "not-an-email",
                LEGACY_HASH,
                HashType::Bcrypt,
                "acme",
            ))
            .await
            .unwrap_err();
        assert_eq!(error_type(&bad_email), "invalid_email");
    })
    .await;
}

#[tokio::test]
async fn reset_token_expires_and_is_single_use() {
    bounded(async {
        let (emulator, client) = setup();
        // Default lifetime: 30 minutes.
        let token = emailed_reset_token(
            &client,
            &emulator,
            EmailResetStartRequest::new("acme", "ada@acme.com"),
        )
        .await;
        emulator.advance_clock(Duration::from_secs(31 * 60));
        let expired = client
            .email_reset(EmailResetRequest::new(token, STRONG_3))
            .await
            .unwrap_err();
        assert_eq!(
            expired.error_type(),
            Some(&ErrorType::UnableToAuthPasswordResetToken)
        );
        assert_eq!(status(&expired), 401);

        // A custom lifetime, used before it ends; then the same token again.
        let token = emailed_reset_token(
            &client,
            &emulator,
            EmailResetStartRequest::new("acme", "ada@acme.com")
                .reset_password_expiration_minutes(90),
        )
        .await;
        emulator.advance_clock(Duration::from_secs(60 * 60));
        client
            .email_reset(EmailResetRequest::new(token.clone(), STRONG_3))
            .await
            .unwrap();
        let reused = client
            .email_reset(EmailResetRequest::new(token, STRONG_2))
            .await
            .unwrap_err();
        assert_eq!(error_type(&reused), "unable_to_auth_password_reset_token");

        let unknown = client
            .email_reset(EmailResetRequest::new("no-such-token", STRONG_2))
            .await
            .unwrap_err();
        assert_eq!(error_type(&unknown), "unable_to_auth_password_reset_token");
    })
    .await;
}

/// The PKCE example of RFC 7636, appendix B: challenge = BASE64URL(SHA256(verifier)).
fn pkce_pair() -> (String, String) {
    (
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned(),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".to_owned(),
    )
}

#[tokio::test]
async fn pkce_is_checked_on_reset() {
    bounded(async {
        let (emulator, client) = setup();
        let (verifier, challenge) = pkce_pair();
        let token = emailed_reset_token(
            &client,
            &emulator,
            EmailResetStartRequest::new("acme", "ada@acme.com").code_challenge(challenge),
        )
        .await;

        let missing = client
            .email_reset(EmailResetRequest::new(token.clone(), STRONG_3))
            .await
            .unwrap_err();
        assert_eq!(error_type(&missing), "pkce_expected_code_verifier");
        let mismatch = client
            .email_reset(
                EmailResetRequest::new(token.clone(), STRONG_3).code_verifier("wrong-verifier"),
            )
            .await
            .unwrap_err();
        assert_eq!(mismatch.error_type(), Some(&ErrorType::PkceMismatch));
        assert_eq!(status(&mismatch), 400);
        // The failed attempts did not use the token up.
        let ok = client
            .email_reset(EmailResetRequest::new(token, STRONG_3).code_verifier(verifier))
            .await
            .unwrap();
        assert!(ok.member_authenticated);
    })
    .await;
}

#[tokio::test]
async fn weak_and_breached_new_passwords_are_refused() {
    bounded(async {
        let (emulator, client) = setup();
        emulator.add_breached_passwords([STRONG_2]);
        let token = emailed_reset_token(
            &client,
            &emulator,
            EmailResetStartRequest::new("acme", "ada@acme.com"),
        )
        .await;
        let weak = client
            .email_reset(EmailResetRequest::new(token.clone(), "password123"))
            .await
            .unwrap_err();
        assert_eq!(weak.error_type(), Some(&ErrorType::WeakPassword));
        assert_eq!(status(&weak), 400);
        let breached = client
            .email_reset(EmailResetRequest::new(token.clone(), STRONG_2))
            .await
            .unwrap_err();
        assert_eq!(breached.error_type(), Some(&ErrorType::BreachedPassword));
        // Breach detection off: the same password is accepted.
        emulator.set_breach_detection_on_create(false);
        client
            .email_reset(EmailResetRequest::new(token, STRONG_2))
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn require_reset_blocks_password_login_until_reset() {
    bounded(async {
        let (emulator, client) = setup();
        let ada = emulator.member_id("acme", "ada@acme.com").unwrap();
        let r = client
            .email_require_reset(
                EmailRequireResetRequest::new("ada@acme.com").organization_id("acme"),
            )
            .await
            .unwrap();
        assert_eq!(r.member_id.as_deref(), Some(ada.as_str()));
        assert_eq!(emulator.member_requires_reset(&ada), Some(true));
        let blocked = login(&client, "acme", "ada@acme.com", STRONG_1)
            .await
            .unwrap_err();
        assert_eq!(blocked.error_type(), Some(&ErrorType::MemberResetPassword));
        assert_eq!(status(&blocked), 400);
        // A wrong password is still just wrong.
        let wrong = login(&client, "acme", "ada@acme.com", STRONG_3)
            .await
            .unwrap_err();
        assert_eq!(error_type(&wrong), "unauthorized_credentials");
        // The other Organization's Member with the same email is not affected.
        assert!(login(&client, "globex", "ada@acme.com", STRONG_2)
            .await
            .is_ok());

        let token = emailed_reset_token(
            &client,
            &emulator,
            EmailResetStartRequest::new("acme", "ada@acme.com"),
        )
        .await;
        client
            .email_reset(EmailResetRequest::new(token, STRONG_3))
            .await
            .unwrap();
        assert_eq!(emulator.member_requires_reset(&ada), Some(false));
        assert!(login(&client, "acme", "ada@acme.com", STRONG_3)
            .await
            .is_ok());

        // By member_id alone.
        client
            .email_require_reset(
                EmailRequireResetRequest::new("ada@acme.com").member_id(ada.clone()),
            )
            .await
            .unwrap();
        assert_eq!(emulator.member_requires_reset(&ada), Some(true));
        let unknown = client
            .email_require_reset(
                EmailRequireResetRequest::new("zed@acme.com").organization_id("acme"),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&unknown), "member_not_found");
    })
    .await;
}

#[tokio::test]
async fn require_reset_with_member_authorization() {
    bounded(async {
        let (emulator, client) = setup();
        let bob = emulator.member_id("acme", "bob@acme.com").unwrap();
        let admin = login(&client, "acme", "ada@acme.com", STRONG_1)
            .await
            .unwrap();
        // By session token.
        client
            .email_require_reset(
                EmailRequireResetRequest::new("bob@acme.com")
                    .organization_id("acme")
                    .member_session_token(admin.session_token.clone()),
            )
            .await
            .unwrap();
        assert_eq!(emulator.member_requires_reset(&bob), Some(true));
        // By session JWT, with the Organization taken from the session.
        client
            .email_require_reset(
                EmailRequireResetRequest::new("bob@acme.com")
                    .member_session_jwt(admin.session_jwt.clone()),
            )
            .await
            .unwrap();
        // A session of another Organization is refused.
        let globex = login(&client, "globex", "ada@acme.com", STRONG_2)
            .await
            .unwrap();
        let other_org = client
            .email_require_reset(
                EmailRequireResetRequest::new("bob@acme.com")
                    .organization_id("acme")
                    .member_session_token(globex.session_token.clone()),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&other_org), "unauthorized_action");
        assert_eq!(status(&other_org), 403);
        // A session that is no longer live is refused.
        emulator.advance_clock(Duration::from_secs(61 * 60));
        let dead = client
            .email_require_reset(
                EmailRequireResetRequest::new("bob@acme.com")
                    .organization_id("acme")
                    .member_session_token(admin.session_token.clone()),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&dead), "session_not_found");
        let forged = client
            .email_require_reset(
                EmailRequireResetRequest::new("bob@acme.com")
                    .organization_id("acme")
                    .member_session_jwt("eyJhbGciOiJub25lIn0.e30."),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&forged), "session_not_found");
    })
    .await;
}

#[tokio::test]
async fn sessions_reset_needs_a_recent_factor_and_revokes_other_sessions() {
    bounded(async {
        let (emulator, client) = setup();
        let ada = emulator.member_id("acme", "ada@acme.com").unwrap();
        let other = login(&client, "acme", "ada@acme.com", STRONG_1)
            .await
            .unwrap();
        let current = login(&client, "acme", "ada@acme.com", STRONG_1)
            .await
            .unwrap();
        assert_eq!(emulator.live_session_count(&ada), 2);

        let reset = client
            .sessions_reset(
                SessionsResetRequest::new("acme", STRONG_3)
                    .session_token(current.session_token.clone()),
            )
            .await
            .unwrap();
        assert!(reset.member_authenticated);
        assert_eq!(reset.session_token, current.session_token);
        assert_eq!(emulator.live_session_count(&ada), 1);
        let revoked = client
            .authenticate(
                AuthenticateRequest::new("acme", "ada@acme.com", STRONG_3)
                    .session_token(other.session_token.clone()),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&revoked), "session_not_found");
        assert!(login(&client, "acme", "ada@acme.com", STRONG_3)
            .await
            .is_ok());

        // Six minutes later the factor is too old, even by JWT.
        let fresh = login(&client, "acme", "ada@acme.com", STRONG_3)
            .await
            .unwrap();
        emulator.advance_clock(Duration::from_secs(6 * 60));
        let too_old = client
            .sessions_reset(
                SessionsResetRequest::new("acme", STRONG_2).session_jwt(fresh.session_jwt.clone()),
            )
            .await
            .unwrap_err();
        assert_eq!(
            too_old.error_type(),
            Some(&ErrorType::SessionTooOldToResetPassword)
        );
        assert_eq!(status(&too_old), 400);

        let wrong_org = client
            .sessions_reset(
                SessionsResetRequest::new("globex", STRONG_2)
                    .session_token(fresh.session_token.clone()),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&wrong_org), "session_not_found");
    })
    .await;
}

#[tokio::test]
async fn existing_password_reset_checks_the_old_password_and_revokes_sessions() {
    bounded(async {
        let (emulator, client) = setup();
        let ada = emulator.member_id("acme", "ada@acme.com").unwrap();
        login(&client, "acme", "ada@acme.com", STRONG_1)
            .await
            .unwrap();
        login(&client, "acme", "ada@acme.com", STRONG_1)
            .await
            .unwrap();
        let wrong = client
            .existing_password_reset(ExistingPasswordResetRequest::new(
                "ada@acme.com",
                STRONG_2,
                STRONG_3,
                "acme",
            ))
            .await
            .unwrap_err();
        assert_eq!(error_type(&wrong), "unauthorized_credentials");
        let weak = client
            .existing_password_reset(ExistingPasswordResetRequest::new(
                "ada@acme.com",
                STRONG_1,
                "abc",
                "acme",
            ))
            .await
            .unwrap_err();
        assert_eq!(error_type(&weak), "weak_password");
        assert_eq!(emulator.live_session_count(&ada), 2);

        let ok = client
            .existing_password_reset(ExistingPasswordResetRequest::new(
                "ada@acme.com",
                STRONG_1,
                STRONG_3,
                "acme",
            ))
            .await
            .unwrap();
        assert!(ok.member_authenticated);
        assert_eq!(
            emulator.live_session_count(&ada),
            1,
            "only the new session is live"
        );
        assert!(login(&client, "acme", "ada@acme.com", STRONG_1)
            .await
            .is_err());
        assert!(login(&client, "acme", "ada@acme.com", STRONG_3)
            .await
            .is_ok());
    })
    .await;
}

#[tokio::test]
async fn mfa_required_organization_gives_no_session() {
    bounded(async {
        let (emulator, client) = setup();
        emulator
            .add_organization(
                OrganizationSeed::new("Vault", "vault")
                    .mfa_required()
                    .member(
                        MemberSeed::new("ada@acme.com")
                            .password(STRONG_1)
                            .mfa_phone("+15555550100"),
                    ),
            )
            .unwrap();
        let r = login(&client, "vault", "ada@acme.com", STRONG_1)
            .await
            .unwrap();
        assert!(!r.member_authenticated);
        assert!(r.session_token.is_empty() && r.session_jwt.is_empty());
        assert!(!r.intermediate_session_token.is_empty());
        assert!(r.member_session.is_none());
        let mfa = r.mfa_required.unwrap();
        assert_eq!(mfa.member_options.unwrap().mfa_phone_number, "+15555550100");
        assert_eq!(mfa.secondary_auth_initiated.as_deref(), Some("sms_otp"));

        // The intermediate session token is single use.
        let again = client
            .authenticate(
                AuthenticateRequest::new("vault", "ada@acme.com", STRONG_1)
                    .intermediate_session_token(r.intermediate_session_token.clone()),
            )
            .await
            .unwrap();
        assert!(!again.member_authenticated);
        let reused = client
            .authenticate(
                AuthenticateRequest::new("vault", "ada@acme.com", STRONG_1)
                    .intermediate_session_token(r.intermediate_session_token.clone()),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&reused), "intermediate_session_not_found");

        // Restricted primary methods: password is not enough.
        emulator
            .add_organization(
                OrganizationSeed::new("SSO only", "sso-only")
                    .restrict_auth_methods(["sso"])
                    .member(MemberSeed::new("ada@acme.com").password(STRONG_1)),
            )
            .unwrap();
        let p = login(&client, "sso-only", "ada@acme.com", STRONG_1)
            .await
            .unwrap();
        assert!(!p.member_authenticated);
        assert_eq!(
            p.primary_required.unwrap().allowed_auth_methods,
            vec!["sso".to_owned()]
        );
    })
    .await;
}

#[tokio::test]
async fn discovery_authenticate_and_reset_across_organizations() {
    bounded(async {
        let (emulator, client) = setup();
        let found = client
            .discovery_authenticate(DiscoveryAuthenticateRequest::new("ada@acme.com", STRONG_1))
            .await
            .unwrap();
        assert_eq!(found.email_address, "ada@acme.com");
        assert!(!found.intermediate_session_token.is_empty());
        let by_slug = |slug: &str| {
            found
                .discovered_organizations
                .iter()
                .find(|d| {
                    d.organization
                        .as_ref()
                        .is_some_and(|o| o.organization_slug == slug)
                })
                .cloned()
                .unwrap()
        };
        let acme = by_slug("acme");
        assert!(acme.member_authenticated);
        assert_eq!(acme.membership.as_ref().unwrap().r#type, "active_member");
        // The Globex Member has another password: listed, but not authenticated.
        let globex = by_slug("globex");
        assert!(!globex.member_authenticated);
        assert!(globex.primary_required.is_some());

        let wrong = client
            .discovery_authenticate(DiscoveryAuthenticateRequest::new("ada@acme.com", STRONG_3))
            .await
            .unwrap_err();
        assert_eq!(error_type(&wrong), "unauthorized_credentials");

        // Eligible by email domain, without a membership.
        let zed = client
            .discovery_email_reset_start(DiscoveryEmailResetStartRequest::new("zed@acme.com"))
            .await
            .unwrap_err();
        assert_eq!(error_type(&zed), "member_not_found");

        // Discovery reset: sets the password for the email in every Organization.
        let ada_acme = emulator.member_id("acme", "ada@acme.com").unwrap();
        let ada_globex = emulator.member_id("globex", "ada@acme.com").unwrap();
        login(&client, "acme", "ada@acme.com", STRONG_1)
            .await
            .unwrap();
        let (verifier, challenge) = pkce_pair();
        client
            .discovery_email_reset_start(
                DiscoveryEmailResetStartRequest::new("ada@acme.com").pkce_code_challenge(challenge),
            )
            .await
            .unwrap();
        let mail = emulator.last_email_to("ada@acme.com").unwrap();
        assert_eq!(mail.organization_id, None);
        let mismatch = client
            .discovery_email_reset(
                DiscoveryEmailResetRequest::new(mail.token.clone(), STRONG_3)
                    .pkce_code_verifier("nope"),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&mismatch), "pkce_mismatch");
        // An Organization token does not work on the discovery endpoint and vice versa.
        let cross = client
            .email_reset(
                EmailResetRequest::new(mail.token.clone(), STRONG_3)
                    .code_verifier(verifier.clone()),
            )
            .await
            .unwrap_err();
        assert_eq!(error_type(&cross), "unable_to_auth_password_reset_token");
        let reset = client
            .discovery_email_reset(
                DiscoveryEmailResetRequest::new(mail.token.clone(), STRONG_3)
                    .pkce_code_verifier(verifier),
            )
            .await
            .unwrap();
        assert!(!reset.intermediate_session_token.is_empty());
        assert_eq!(reset.discovered_organizations.len(), 2);
        assert!(reset
            .discovered_organizations
            .iter()
            .all(|d| d.member_authenticated));
        assert_eq!(emulator.live_session_count(&ada_acme), 0);
        assert_eq!(emulator.live_session_count(&ada_globex), 0);
        assert!(login(&client, "acme", "ada@acme.com", STRONG_3)
            .await
            .is_ok());
        assert!(login(&client, "globex", "ada@acme.com", STRONG_3)
            .await
            .is_ok());

        // Expiry via the clock.
        client
            .discovery_email_reset_start(DiscoveryEmailResetStartRequest::new("ada@acme.com"))
            .await
            .unwrap();
        let token = emulator.last_email_to("ada@acme.com").unwrap().token;
        emulator.advance_clock(Duration::from_secs(31 * 60));
        let expired = client
            .discovery_email_reset(DiscoveryEmailResetRequest::new(token, STRONG_1))
            .await
            .unwrap_err();
        assert_eq!(error_type(&expired), "unable_to_auth_password_reset_token");
    })
    .await;
}

#[tokio::test]
async fn jit_provisioning_by_email_domain_on_reset_start() {
    bounded(async {
        let (emulator, client) = setup();
        let started = client
            .email_reset_start(EmailResetStartRequest::new("acme", "newcomer@acme.com"))
            .await
            .unwrap();
        assert_eq!(started.member.email_address, "newcomer@acme.com");
        assert!(started.member.member_password_id.is_empty());
        let token = emulator.last_email_to("newcomer@acme.com").unwrap().token;
        client
            .email_reset(EmailResetRequest::new(token, STRONG_3))
            .await
            .unwrap();
        assert!(login(&client, "acme", "newcomer@acme.com", STRONG_3)
            .await
            .is_ok());

        let not_allowed = client
            .email_reset_start(EmailResetStartRequest::new("globex", "newcomer@acme.com"))
            .await
            .unwrap_err();
        assert_eq!(error_type(&not_allowed), "member_not_found");
    })
    .await;
}
