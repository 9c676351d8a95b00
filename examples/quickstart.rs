//! The B2B Passwords API end to end: strength check, migrate a legacy bcrypt hash, log in, forget
//! the password, reset it from the emailed token, log in again, change it, and discover
//! Organizations.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With no credentials set it runs against the embedded emulator (no network at all). With
//! `STYTCH_PROJECT_ID`, `STYTCH_SECRET` and `STYTCH_ORGANIZATION_ID` set (a *test* project), it
//! runs against Stytch itself, up to the reset email, which it cannot read. `STYTCH_EMAIL`
//! picks the Member's address there (default `quickstart@example.com`).

use std::error::Error;
use std::time::Instant;

use stytch_b2b_passwords::{
    AuthenticateRequest, DiscoveryAuthenticateRequest, EmailResetRequest, EmailResetStartRequest,
    ExistingPasswordResetRequest, HashType, MigrateRequest, PasswordsClient, Secret,
    StrengthCheckRequest,
};
use stytch_b2b_passwords_emulator::{Emulator, OrganizationSeed};

/// A bcrypt hash (cost 4) of `LEGACY_PASSWORD`, as an older system would have stored it.
const LEGACY_HASH: &str = "$2b$04$7/aaCoi8fJvVJt/ykOz5x.kyEVIgnkEMvBY9MKnifDRSlakoeNrVO";
const LEGACY_PASSWORD: &str = "Legacy-passw0rd-from-2019";
const NEW_PASSWORD: &str = "quasar-Mauve-kettle-1987";
const NEWER_PASSWORD: &str = "orbit-Saffron-lantern-2042";

/// Where the story runs.
enum Backend {
    Emulator(Emulator),
    Stytch,
}

fn step(n: u32, text: &str) {
    println!("\n{n:>2}. {text}");
}

/// A short fingerprint of a secret, enough to tell two apart in a demo; no character of the
/// value itself is printed (against real Stytch these are live credentials).
fn peek(secret: &Secret) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    secret.expose().hash(&mut h);
    format!(
        "<{} chars, fingerprint {:04x}>",
        secret.expose().len(),
        h.finish() & 0xffff
    )
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let started = Instant::now();
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (client, backend, organization_id, email) = match (
        env("STYTCH_PROJECT_ID"),
        env("STYTCH_SECRET"),
        env("STYTCH_ORGANIZATION_ID"),
    ) {
        (Some(project_id), Some(secret), Some(organization_id)) => {
            println!("Running against Stytch (project {project_id}).");
            let client = PasswordsClient::builder(project_id, secret).build()?;
            let email = env("STYTCH_EMAIL").unwrap_or_else(|| "quickstart@example.com".into());
            (client, Backend::Stytch, organization_id, email)
        }
        _ => {
            println!(
                "No STYTCH_PROJECT_ID / STYTCH_SECRET / STYTCH_ORGANIZATION_ID: running against \
                 the embedded emulator."
            );
            let emulator = Emulator::new();
            step(0, "Seed an Organization in the emulator");
            let organization_id = emulator.add_organization(
                OrganizationSeed::new("Acme Corp", "acme").jit_for_domains(["acme.example"]),
            )?;
            println!("    created Acme Corp: {organization_id}");
            let client = PasswordsClient::builder(emulator.project_id(), emulator.secret())
                .transport(emulator.transport())
                .build()?;
            (
                client,
                Backend::Emulator(emulator),
                organization_id,
                "ada@acme.example".to_owned(),
            )
        }
    };

    step(1, "Check the strength of two passwords");
    for password in ["password1", NEW_PASSWORD] {
        let strength = client
            .strength_check(StrengthCheckRequest::new(password).email_address(email.clone()))
            .await?;
        println!(
            "    {password:<26} valid: {:<5} score: {} policy: {}",
            strength.valid_password, strength.score, strength.strength_policy
        );
    }

    step(
        2,
        "Migrate a Member with a bcrypt hash from a legacy system",
    );
    let migrated = client
        .migrate(
            MigrateRequest::new(&email, LEGACY_HASH, HashType::Bcrypt, &organization_id)
                .name("Ada Lovelace"),
        )
        .await?;
    println!(
        "    member {} ({}created)",
        migrated.member_id,
        if migrated.member_created {
            ""
        } else {
            "already existed, "
        }
    );

    step(3, "Log in with the legacy password");
    let login = client
        .authenticate(
            AuthenticateRequest::new(&organization_id, &email, LEGACY_PASSWORD)
                .session_duration_minutes(60),
        )
        .await?;
    println!(
        "    authenticated: {}, session token {}, JWT {}",
        login.member_authenticated,
        peek(&login.session_token),
        peek(&login.session_jwt)
    );
    if let Some(session) = &login.member_session {
        println!("    session expires at {}", session.expires_at);
    }

    step(4, "Forget the password: start a reset by email");
    let start = client
        // The link leads to the project's default reset URL (set one in the Stytch dashboard).
        .email_reset_start(EmailResetStartRequest::new(&organization_id, &email))
        .await?;
    println!("    reset email sent to member {}", start.member_id);

    let emulator = match backend {
        Backend::Emulator(emulator) => emulator,
        Backend::Stytch => {
            println!(
                "\nThe reset email went to {email}: this example cannot read a real inbox, so it \
                 stops here. Run it without credentials to see the rest against the emulator."
            );
            return Ok(());
        }
    };

    step(5, "Take the reset token from the emulator's outbox");
    let mail = emulator
        .last_email_to(&email)
        .ok_or("the emulator sent no reset email")?;
    println!("    to: {}, token: {}", mail.to, peek(&mail.token));

    step(6, "Reset the password with the token");
    let reset = client
        .email_reset(EmailResetRequest::new(mail.token.clone(), NEW_PASSWORD))
        .await?;
    println!(
        "    authenticated: {}, new session {}",
        reset.member_authenticated,
        peek(&reset.session_token)
    );
    println!(
        "    the old session was revoked: {} live session(s) left",
        emulator.live_session_count(&reset.member_id)
    );

    step(
        7,
        "Log in with the new password (the old one no longer works)",
    );
    let old = client
        .authenticate(AuthenticateRequest::new(
            &organization_id,
            &email,
            LEGACY_PASSWORD,
        ))
        .await;
    println!(
        "    old password: {}",
        match &old {
            Ok(_) => "accepted (unexpected!)".to_owned(),
            Err(e) => format!(
                "refused ({})",
                e.error_type().map(|t| t.as_str()).unwrap_or("?")
            ),
        }
    );
    let login = client
        .authenticate(AuthenticateRequest::new(
            &organization_id,
            &email,
            NEW_PASSWORD,
        ))
        .await?;
    println!(
        "    new password: authenticated {}",
        login.member_authenticated
    );

    step(8, "Change the password with the existing one");
    let changed = client
        .existing_password_reset(ExistingPasswordResetRequest::new(
            &email,
            NEW_PASSWORD,
            NEWER_PASSWORD,
            &organization_id,
        ))
        .await?;
    println!(
        "    authenticated: {}, session {}",
        changed.member_authenticated,
        peek(&changed.session_token)
    );

    step(9, "Discover the Organizations this email can log in to");
    emulator.add_organization(
        OrganizationSeed::new("Acme Labs", "acme-labs").jit_for_domains(["acme.example"]),
    )?;
    let discovered = client
        .discovery_authenticate(DiscoveryAuthenticateRequest::new(&email, NEWER_PASSWORD))
        .await?;
    for found in &discovered.discovered_organizations {
        let name = found
            .organization
            .as_ref()
            .map_or("?", |o| o.organization_name.as_str());
        let membership = found.membership.as_ref().map_or("?", |m| m.r#type.as_str());
        println!(
            "    {name:<10} {membership:<33} member_authenticated: {}",
            found.member_authenticated
        );
    }
    println!(
        "    intermediate session token {}",
        peek(&discovered.intermediate_session_token)
    );

    println!("\nDone in {:.1?}.", started.elapsed());
    Ok(())
}
