//! `migrate` then `authenticate` for every hash type the API takes, with hashes made here by the
//! real algorithm crates (and phpass vectors made by Python's passlib): the right password logs
//! in, a wrong one is 401.

use std::time::Duration;

use argon2::password_hash::{PasswordHasher as _, SaltString};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::Digest as _;
use stytch_b2b_passwords::{
    Argon2Config, AuthenticateRequest, HashType, Md5Config, MigrateRequest, PasswordsClient,
    Pbkdf2Config, ScryptConfig, Sha1Config, Sha512Config,
};
use stytch_b2b_passwords_emulator::{Emulator, OrganizationSeed};

const PASSWORD: &str = "Correct-Horse-9";

fn setup() -> (Emulator, PasswordsClient) {
    let emulator = Emulator::builder()
        .organization(OrganizationSeed::new("Acme", "acme"))
        .build()
        .unwrap();
    let client = emulator.client().unwrap();
    (emulator, client)
}

/// Migrates `email` with `request`, then checks the right password logs in and a wrong one
/// does not.
async fn check(client: &PasswordsClient, request: MigrateRequest, password: &str) {
    let email = request.email_address.clone();
    let label = format!("{} ({email})", request.hash_type.as_str());
    let migrated = tokio::time::timeout(Duration::from_secs(60), client.migrate(request))
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{label}: migrate failed: {e}"));
    assert!(migrated.member_created, "{label}");
    let ok = client
        .authenticate(AuthenticateRequest::new("acme", &email, password))
        .await
        .unwrap_or_else(|e| panic!("{label}: the right password was refused: {e}"));
    assert!(ok.member_authenticated, "{label}");
    let wrong = client
        .authenticate(AuthenticateRequest::new(
            "acme",
            &email,
            format!("{password}x"),
        ))
        .await
        .unwrap_err();
    assert_eq!(
        wrong.error_type().map(|t| t.as_str()),
        Some("unauthorized_credentials"),
        "{label}"
    );
}

fn migrate(email: &str, hash: impl Into<String>, hash_type: HashType) -> MigrateRequest {
    MigrateRequest::new(email, hash.into(), hash_type, "acme")
}

#[tokio::test]
async fn bcrypt() {
    let (_, client) = setup();
    let hash = bcrypt::hash(PASSWORD, 4).unwrap();
    check(
        &client,
        migrate("bcrypt@acme.com", hash, HashType::Bcrypt),
        PASSWORD,
    )
    .await;
    // The $2a$ and $2y$ spellings too.
    let parts = bcrypt::hash_with_result(PASSWORD, 4).unwrap();
    let a = parts.format_for_version(bcrypt::Version::TwoA);
    check(
        &client,
        migrate("bcrypt-2a@acme.com", a, HashType::Bcrypt),
        PASSWORD,
    )
    .await;
    let y = parts.format_for_version(bcrypt::Version::TwoY);
    check(
        &client,
        migrate("bcrypt-2y@acme.com", y, HashType::Bcrypt),
        PASSWORD,
    )
    .await;
}

fn argon(algorithm: argon2::Algorithm) -> argon2::Argon2<'static> {
    argon2::Argon2::new(
        algorithm,
        argon2::Version::V0x13,
        argon2::Params::new(64, 2, 1, Some(32)).unwrap(),
    )
}

#[tokio::test]
async fn argon2_phc_and_raw() {
    let (_, client) = setup();
    let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
    for (algorithm, hash_type, name) in [
        (argon2::Algorithm::Argon2i, HashType::Argon2i, "argon2i"),
        (argon2::Algorithm::Argon2id, HashType::Argon2id, "argon2id"),
    ] {
        let phc = argon(algorithm)
            .hash_password(PASSWORD.as_bytes(), &salt)
            .unwrap()
            .to_string();
        assert!(phc.starts_with(&format!("${name}$")));
        check(
            &client,
            migrate(&format!("{name}-phc@acme.com"), phc, hash_type.clone()),
            PASSWORD,
        )
        .await;

        let mut raw = [0u8; 32];
        argon(algorithm)
            .hash_password_into(PASSWORD.as_bytes(), b"raw-salt-value", &mut raw)
            .unwrap();
        let request = migrate(
            &format!("{name}-raw@acme.com"),
            STANDARD.encode(raw),
            hash_type.clone(),
        )
        .argon_2_config(Argon2Config::new("raw-salt-value", 2, 64, 1, 32));
        check(&client, request, PASSWORD).await;
    }
    // The PHC form of the other variant is refused.
    let phc = argon(argon2::Algorithm::Argon2id)
        .hash_password(PASSWORD.as_bytes(), &salt)
        .unwrap()
        .to_string();
    let err = client
        .migrate(migrate("mismatch@acme.com", phc, HashType::Argon2i))
        .await
        .unwrap_err();
    assert_eq!(
        err.error_type().map(|t| t.as_str()),
        Some("invalid_argon_2_hash")
    );
}

#[tokio::test]
async fn scrypt_phc_and_raw() {
    let (_, client) = setup();
    let params = scrypt::Params::new(4, 8, 1, 32).unwrap();
    let salt = SaltString::encode_b64(b"scrypt-salt-1234").unwrap();
    let phc = scrypt::Scrypt
        .hash_password_customized(PASSWORD.as_bytes(), None, None, params, &salt)
        .unwrap()
        .to_string();
    assert!(phc.starts_with("$scrypt$"));
    check(
        &client,
        migrate("scrypt-phc@acme.com", phc, HashType::Scrypt),
        PASSWORD,
    )
    .await;

    let salt = b"raw scrypt salt";
    let mut raw = [0u8; 32];
    scrypt::scrypt(PASSWORD.as_bytes(), salt, &params, &mut raw).unwrap();
    let request = migrate(
        "scrypt-raw@acme.com",
        STANDARD.encode(raw),
        HashType::Scrypt,
    )
    .scrypt_config(ScryptConfig::new(STANDARD.encode(salt), 16, 8, 1, 32));
    check(&client, request, PASSWORD).await;

    let bad_n = migrate(
        "scrypt-bad@acme.com",
        STANDARD.encode(raw),
        HashType::Scrypt,
    )
    .scrypt_config(ScryptConfig::new(STANDARD.encode(salt), 15, 8, 1, 32));
    let err = client.migrate(bad_n).await.unwrap_err();
    assert_eq!(
        err.error_type().map(|t| t.as_str()),
        Some("invalid_scrypt_hash")
    );
}

#[tokio::test]
async fn pbkdf2_sha256_and_sha512() {
    let (_, client) = setup();
    let salt = b"pbkdf2-salt";
    let mut h256 = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(PASSWORD.as_bytes(), salt, 1000, &mut h256);
    let request = migrate(
        "pbkdf2-256@acme.com",
        STANDARD.encode(h256),
        HashType::Pbkdf2,
    )
    .pbkdf_2_config(Pbkdf2Config::new(STANDARD.encode(salt), 1000, 32, "sha256"));
    check(&client, request, PASSWORD).await;

    let mut h512 = [0u8; 64];
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(PASSWORD.as_bytes(), salt, 500, &mut h512);
    let request = migrate(
        "pbkdf2-512@acme.com",
        STANDARD.encode(h512),
        HashType::Pbkdf2,
    )
    .pbkdf_2_config(Pbkdf2Config::new(STANDARD.encode(salt), 500, 64, "sha512"));
    check(&client, request, PASSWORD).await;

    // The wrong algorithm for the hash never matches.
    let request = migrate(
        "pbkdf2-wrong@acme.com",
        STANDARD.encode(h512),
        HashType::Pbkdf2,
    )
    .pbkdf_2_config(Pbkdf2Config::new(STANDARD.encode(salt), 500, 64, "sha256"));
    client.migrate(request).await.unwrap();
    assert!(client
        .authenticate(AuthenticateRequest::new(
            "acme",
            "pbkdf2-wrong@acme.com",
            PASSWORD
        ))
        .await
        .is_err());
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn salted_md5_sha1_sha512() {
    let (_, client) = setup();
    let (pre, post) = ("pre$", "$post");
    let salted = format!("{pre}{PASSWORD}{post}");

    let md5 = hex(&md5::Md5::digest(salted.as_bytes()));
    let request =
        migrate("md5@acme.com", md5, HashType::Md5).md_5_config(Md5Config::new(pre, post));
    check(&client, request, PASSWORD).await;

    let sha1 = hex(&sha1::Sha1::digest(salted.as_bytes()));
    let request =
        migrate("sha1@acme.com", sha1, HashType::Sha1).sha_1_config(Sha1Config::new(pre, post));
    check(&client, request, PASSWORD).await;

    let sha512 = hex(&sha2::Sha512::digest(salted.as_bytes()));
    let request = migrate("sha512@acme.com", sha512.to_uppercase(), HashType::Sha512)
        .sha_512_config(Sha512Config::new(pre, post));
    check(&client, request, PASSWORD).await;

    // Unsalted, base64-encoded.
    let plain = STANDARD.encode(sha2::Sha512::digest(PASSWORD.as_bytes()));
    check(
        &client,
        migrate("sha512-plain@acme.com", plain, HashType::Sha512),
        PASSWORD,
    )
    .await;

    // The salt matters.
    let md5 = hex(&md5::Md5::digest(salted.as_bytes()));
    client
        .migrate(migrate("md5-nosalt@acme.com", md5, HashType::Md5))
        .await
        .unwrap();
    assert!(client
        .authenticate(AuthenticateRequest::new(
            "acme",
            "md5-nosalt@acme.com",
            PASSWORD
        ))
        .await
        .is_err());
}

#[tokio::test]
async fn phpass_portable_hashes() {
    let (_, client) = setup();
    // Made with Python's passlib (`passlib.hash.phpass`), an independent implementation.
    check(
        &client,
        migrate(
            "wp@acme.com",
            "$P$6abcdefghCLiQAoNx3/rLZVIAInyfT0",
            HashType::Phpass,
        ),
        "Correct-Horse-9",
    )
    .await;
    check(
        &client,
        migrate(
            "wp2@acme.com",
            "$P$9Zx7./Qw2G8WbR6/pqYO9hoM8Xn4LX.",
            HashType::Phpass,
        ),
        "wordpress pass phrase",
    )
    .await;
    check(
        &client,
        migrate(
            "phpbb@acme.com",
            "$H$6h1h2h3h4dTe8IDkksMLMqvVkMBWc7/",
            HashType::Phpass,
        ),
        "phpbb-pw",
    )
    .await;
}

#[tokio::test]
async fn emulator_hashing_cost_is_configurable() {
    use stytch_b2b_passwords_emulator::{MemberSeed, PasswordHashing};
    let emulator = Emulator::builder()
        .password_hashing(PasswordHashing::Argon2id {
            memory_kib: 256,
            iterations: 1,
            parallelism: 1,
        })
        .organization(
            OrganizationSeed::new("Acme", "acme")
                .member(MemberSeed::new("ada@acme.com").password(PASSWORD)),
        )
        .build()
        .unwrap();
    let client = emulator.client().unwrap();
    assert!(
        client
            .authenticate(AuthenticateRequest::new("acme", "ada@acme.com", PASSWORD))
            .await
            .unwrap()
            .member_authenticated
    );
    emulator.set_password_hashing(PasswordHashing::Bcrypt { cost: 5 });
    emulator
        .add_member("acme", MemberSeed::new("bob@acme.com").password(PASSWORD))
        .unwrap();
    assert!(client
        .authenticate(AuthenticateRequest::new("acme", "bob@acme.com", PASSWORD))
        .await
        .is_ok());
}
