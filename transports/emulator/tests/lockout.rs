//! Lockout: repeated wrong passwords lock a Member's password log-in until the emulated clock
//! passes the lock's expiry or the password is reset.

use std::time::Duration;

use stytch_b2b_passwords::{
    AuthenticateRequest, EmailResetRequest, EmailResetStartRequest, Error, PasswordsClient,
};
use stytch_b2b_passwords_emulator::{Emulator, LockoutPolicy, MemberSeed, OrganizationSeed};

const PASSWORD: &str = "quasar-Mauve-kettle-1987";
const NEW_PASSWORD: &str = "orbit-Saffron-lantern-2042";

fn setup(policy: Option<LockoutPolicy>) -> (Emulator, PasswordsClient) {
    let mut builder = Emulator::builder().organization(
        OrganizationSeed::new("Acme", "acme")
            .member(MemberSeed::new("ada@acme.com").password(PASSWORD)),
    );
    if let Some(policy) = policy {
        builder = builder.lockout(policy);
    }
    let emulator = builder.build().unwrap();
    emulator.freeze_clock();
    let client = emulator.client().unwrap();
    (emulator, client)
}

async fn log_in(client: &PasswordsClient, password: &str) -> Result<(), Error> {
    client
        .authenticate(AuthenticateRequest::new("acme", "ada@acme.com", password))
        .await
        .map(|_| ())
}

fn error_type(result: Result<(), Error>) -> String {
    let err = result.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    err.error_type().unwrap().as_str().to_owned()
}

#[tokio::test]
async fn wrong_passwords_lock_until_the_clock_passes_the_expiry() {
    let (emulator, client) = setup(Some(LockoutPolicy::new(3, 600, 900)));
    let member_id = emulator.member_id("acme", "ada@acme.com").unwrap();
    for _ in 0..2 {
        assert_eq!(
            error_type(log_in(&client, "wrong-password").await),
            "unauthorized_credentials"
        );
    }
    assert_eq!(emulator.member_locked_until(&member_id), None);
    let locked_at = emulator.now();
    assert_eq!(
        error_type(log_in(&client, "wrong-password").await),
        "user_lock_limit_reached",
        "the third failure locks"
    );
    assert_eq!(
        emulator.member_locked_until(&member_id),
        Some(locked_at + Duration::from_secs(900))
    );
    assert_eq!(
        error_type(log_in(&client, PASSWORD).await),
        "user_lock_limit_reached",
        "even the right password, while locked"
    );
    // The Member object shows the lock.
    let started = client
        .email_reset_start(EmailResetStartRequest::new("acme", "ada@acme.com"))
        .await
        .unwrap();
    assert!(started.member.is_locked);
    assert!(started.member.lock_created_at.is_some());
    assert!(started.member.lock_expires_at.is_some());

    emulator.advance_clock(Duration::from_secs(899));
    assert_eq!(
        error_type(log_in(&client, PASSWORD).await),
        "user_lock_limit_reached"
    );
    emulator.advance_clock(Duration::from_secs(1));
    log_in(&client, PASSWORD).await.unwrap();
    assert_eq!(emulator.member_locked_until(&member_id), None);
    let login = client
        .authenticate(AuthenticateRequest::new("acme", "ada@acme.com", PASSWORD))
        .await
        .unwrap();
    assert!(!login.member.is_locked);
    assert_eq!(login.member.lock_expires_at, None);
}

#[tokio::test]
async fn failures_outside_the_window_do_not_add_up() {
    let (emulator, client) = setup(Some(LockoutPolicy::new(2, 60, 900)));
    assert_eq!(
        error_type(log_in(&client, "wrong-password").await),
        "unauthorized_credentials"
    );
    emulator.advance_clock(Duration::from_secs(60));
    assert_eq!(
        error_type(log_in(&client, "wrong-password").await),
        "unauthorized_credentials",
        "the first failure left the window"
    );
    assert_eq!(
        error_type(log_in(&client, "wrong-password").await),
        "user_lock_limit_reached"
    );
}

#[tokio::test]
async fn a_password_reset_unlocks() {
    let (emulator, client) = setup(Some(LockoutPolicy::new(2, 600, 3600)));
    for _ in 0..2 {
        let _ = log_in(&client, "wrong-password").await;
    }
    assert_eq!(
        error_type(log_in(&client, PASSWORD).await),
        "user_lock_limit_reached"
    );
    client
        .email_reset_start(EmailResetStartRequest::new("acme", "ada@acme.com"))
        .await
        .unwrap();
    let email = emulator.last_email_to("ada@acme.com").unwrap();
    let reset = client
        .email_reset(EmailResetRequest::new(email.token.expose(), NEW_PASSWORD))
        .await
        .unwrap();
    assert!(!reset.member.is_locked);
    log_in(&client, NEW_PASSWORD).await.unwrap();
}

#[tokio::test]
async fn stytch_defaults_ten_failures_and_off_never_locks() {
    let (_emulator, client) = setup(None);
    for _ in 0..9 {
        assert_eq!(
            error_type(log_in(&client, "wrong-password").await),
            "unauthorized_credentials"
        );
    }
    assert_eq!(
        error_type(log_in(&client, "wrong-password").await),
        "user_lock_limit_reached"
    );

    let (_emulator, client) = setup(Some(LockoutPolicy::off()));
    for _ in 0..12 {
        assert_eq!(
            error_type(log_in(&client, "wrong-password").await),
            "unauthorized_credentials"
        );
    }
    log_in(&client, PASSWORD).await.unwrap();
}
