//! A whole password flow recorded against the emulator with recognisable secrets, checked to
//! leave none of them in the cassette, then replayed with the emulator gone.

use std::sync::Arc;
use std::time::Duration;

use stytch_b2b_passwords::transport::{FnTransport, HttpRequest, Operation};
use stytch_b2b_passwords::{
    AuthenticateRequest, EmailRequireResetRequest, EmailResetRequest, EmailResetStartRequest,
    ExistingPasswordResetRequest, HashType, HttpTransport, MigrateRequest, PasswordsClient, Secret,
    SessionsResetRequest, StrengthCheckRequest, TransportErrorKind,
};
use stytch_b2b_passwords_cassette::{
    open, CassetteError, Mode, RecordingTransport, ReplayOrder, ReplayTransport,
};
use stytch_b2b_passwords_emulator::{Emulator, Fault, MemberSeed, OrganizationSeed};

const ORG: &str = "organization-test-cassette-0001";
const PROJECT_SECRET: &str = "secret-test-SECRET-PROJECT-0001";
const PW_1: &str = "quasar-SECRET-PW-ONE-1987";
const PW_2: &str = "orbit-SECRET-PW-TWO-2042";
const PW_3: &str = "violet-SECRET-PW-THREE-7781";
const PW_4: &str = "harbor-SECRET-PW-FOUR-3310";
/// bcrypt (cost 4) of "Legacy-passw0rd-from-2019".
const LEGACY_HASH: &str = "$2b$04$7/aaCoi8fJvVJt/ykOz5x.kyEVIgnkEMvBY9MKnifDRSlakoeNrVO";
const LEGACY_PASSWORD: &str = "Legacy-passw0rd-from-2019";

fn scratch(name: &str) -> std::path::PathBuf {
    std::env::temp_dir()
        .join(format!("stytch-cassette-{}", std::process::id()))
        .join(name)
}

fn emulator() -> Emulator {
    Emulator::builder()
        .project("project-test-cassette-0001", PROJECT_SECRET)
        .organization(
            OrganizationSeed::new("Acme", "acme")
                .id(ORG)
                .member(MemberSeed::new("ada@acme.com").name("Ada").password(PW_1)),
        )
        .build()
        .unwrap()
}

/// Every call of the flow, and what a test compares: each outcome's `Debug` (which redacts
/// secrets, so the recorded and replayed runs must print the same).
struct Flow {
    outcomes: Vec<String>,
    /// Every secret value the run saw, to look for in the cassette.
    secrets: Vec<String>,
}

impl Flow {
    fn keep<T: std::fmt::Debug>(&mut self, outcome: &T) {
        self.outcomes.push(format!("{outcome:?}"));
    }

    fn saw(&mut self, secret: &Secret) {
        self.secrets.push(secret.expose().to_owned());
    }
}

/// The flow: strength check, migrate, log in, a wrong password, a sessions reset, an email
/// reset, an existing-password reset, a forced reset with the Member's session as a header, and
/// a strength check whose first attempt is dropped. `reset_token` reads the emailed token
/// (recording) or makes one up (replaying).
async fn run_flow(client: &PasswordsClient, reset_token: impl Fn() -> Secret) -> Flow {
    let mut flow = Flow {
        outcomes: Vec::new(),
        secrets: [
            PROJECT_SECRET,
            PW_1,
            PW_2,
            PW_3,
            PW_4,
            LEGACY_HASH,
            LEGACY_PASSWORD,
        ]
        .map(String::from)
        .to_vec(),
    };

    let strength = client
        .strength_check(StrengthCheckRequest::new(PW_2))
        .await
        .unwrap();
    flow.keep(&strength);

    let migrated = client
        .migrate(MigrateRequest::new(
            "carol@acme.com",
            LEGACY_HASH,
            HashType::Bcrypt,
            ORG,
        ))
        .await
        .unwrap();
    flow.keep(&migrated);

    let login = client
        .authenticate(AuthenticateRequest::new(ORG, "ada@acme.com", PW_1))
        .await
        .unwrap();
    flow.saw(&login.session_token);
    flow.saw(&login.session_jwt);
    flow.keep(&login);

    let wrong = client
        .authenticate(AuthenticateRequest::new(ORG, "ada@acme.com", PW_2))
        .await
        .unwrap_err();
    flow.keep(&wrong);

    let reset = client
        .sessions_reset(
            SessionsResetRequest::new(ORG, PW_2).session_token(login.session_token.clone()),
        )
        .await
        .unwrap();
    flow.saw(&reset.session_token);
    flow.saw(&reset.session_jwt);
    flow.keep(&reset);

    let started = client
        .email_reset_start(EmailResetStartRequest::new(ORG, "ada@acme.com"))
        .await
        .unwrap();
    flow.keep(&started);
    let token = reset_token();
    flow.saw(&token);
    let emailed = client
        .email_reset(EmailResetRequest::new(token, PW_3))
        .await
        .unwrap();
    flow.saw(&emailed.session_token);
    flow.saw(&emailed.session_jwt);
    flow.keep(&emailed);

    let existing = client
        .existing_password_reset(ExistingPasswordResetRequest::new(
            "ada@acme.com",
            PW_3,
            PW_4,
            ORG,
        ))
        .await
        .unwrap();
    flow.saw(&existing.session_token);
    flow.saw(&existing.session_jwt);
    flow.keep(&existing);

    let required = client
        .email_require_reset(
            EmailRequireResetRequest::new("ada@acme.com")
                .organization_id(ORG)
                .member_session_token(existing.session_token.clone()),
        )
        .await
        .unwrap();
    flow.keep(&required);

    // The emulator drops the first attempt of this one (when recording): a strength check
    // changes nothing, so the client sends it again. Replay gives the same two answers.
    let again = client
        .strength_check(StrengthCheckRequest::new(PW_4))
        .await
        .unwrap();
    flow.keep(&again);
    flow
}

#[tokio::test]
async fn a_recorded_flow_has_no_secret_and_replays_without_the_emulator() {
    let path = scratch("flow.json");
    let emulator = emulator();

    let recorder = Arc::new(RecordingTransport::create(&path, emulator.transport()).unwrap());
    let client = PasswordsClient::builder(emulator.project_id(), emulator.secret())
        .shared_transport(recorder.clone())
        .build()
        .unwrap();
    let recording = tokio::time::timeout(Duration::from_secs(60), async {
        let e = &emulator;
        let flow = run_flow(&client, || {
            let token = e.last_email_to("ada@acme.com").unwrap().token;
            // Arm the drop for the flow's last call, now that the resets are done.
            e.inject_fault(
                Fault::drop_connection()
                    .on_path("/v1/b2b/passwords/strength_check")
                    .times(1),
            );
            token
        });
        flow.await
    })
    .await
    .expect("the flow finishes");
    drop((client, recorder, emulator));

    let cassette = std::fs::read_to_string(&path).unwrap();
    assert_eq!(recording.secrets.len(), 16);
    for secret in &recording.secrets {
        assert!(!secret.is_empty());
        assert!(
            !cassette.contains(secret.as_str()),
            "the cassette holds a secret of {} bytes",
            secret.len()
        );
    }
    // Every call was written, with its operation and attempt count.
    let exchanges: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&cassette)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let operations: Vec<&str> = exchanges
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        operations,
        [
            "passwords.strength_check",
            "passwords.migrate",
            "passwords.authenticate",
            "passwords.authenticate",
            "passwords.sessions.reset",
            "passwords.email.reset_start",
            "passwords.email.reset",
            "passwords.existing_password.reset",
            "passwords.email.require_reset",
            "passwords.strength_check",
            "passwords.strength_check",
        ]
    );
    // The dropped call is two exchanges: its first attempt failed, its second answered.
    assert!(exchanges[..10].iter().all(|e| e["attempt"] == 1));
    assert_eq!(exchanges[9]["error"]["kind"], "i/o");
    assert_eq!(exchanges[10]["attempt"], 2);
    assert_eq!(exchanges[10]["response"]["status"], 200);
    // The session token returned by authenticate keeps its placeholder when it is sent back,
    // in the sessions reset body; the last session's token, sent as a header, has its own.
    assert_eq!(
        exchanges[2]["response"]["body"]["session_token"],
        "<secret:session_token:1>"
    );
    assert_eq!(
        exchanges[4]["request"]["body"]["session_token"],
        "<secret:session_token:1>"
    );
    assert_eq!(
        exchanges[8]["request"]["headers"]["x-stytch-member-session"],
        exchanges[7]["response"]["body"]["session_token"]
    );
    assert_eq!(
        exchanges[0]["request"]["headers"]["authorization"],
        "<secret:authorization:1>"
    );
    assert_eq!(exchanges[1]["request"]["body"]["hash"], "<secret:hash:1>");
    assert_eq!(exchanges[3]["response"]["status"], 401);
    assert_eq!(
        exchanges[1]["request"]["body"]["email_address"],
        "carol@acme.com"
    );

    // Replay: no emulator, other credentials, a made-up reset token.
    let player = Arc::new(ReplayTransport::open(&path).unwrap());
    let client = PasswordsClient::builder("project-test-other", "secret-other")
        .shared_transport(player.clone())
        .build()
        .unwrap();
    let replayed = run_flow(&client, || Secret::new("not-the-emailed-token")).await;
    assert_eq!(replayed.outcomes, recording.outcomes);
    assert_eq!(player.remaining(), 0);
    std::fs::remove_file(&path).unwrap();
}

fn strength_exchange(password: &str, email: Option<&str>) -> HttpRequest {
    let mut body = serde_json::json!({ "password": password });
    if let Some(email) = email {
        body["email_address"] = email.into();
    }
    use base64::Engine as _;
    let credentials = base64::engine::general_purpose::STANDARD
        .encode(format!("project-test-cassette-0001:{PROJECT_SECRET}"));
    http::Request::post("http://127.0.0.1/v1/b2b/passwords/strength_check")
        .header("authorization", format!("Basic {credentials}"))
        .extension(Operation("passwords.strength_check"))
        .body(bytes::Bytes::from(body.to_string()))
        .unwrap()
}

/// Records three strength checks (emails a, b, c) and returns the cassette's path.
async fn three_checks(name: &str) -> std::path::PathBuf {
    let path = scratch(name);
    let emulator = emulator();
    let recorder = RecordingTransport::create(&path, emulator.transport()).unwrap();
    for email in ["a@acme.com", "b@acme.com", "c@acme.com"] {
        let request = strength_exchange(PW_1, Some(email));
        let response = recorder.send(request).await.unwrap();
        assert_eq!(response.status(), 200);
    }
    path
}

#[tokio::test]
async fn a_request_that_matches_nothing_names_the_closest_exchange_and_the_difference() {
    let path = three_checks("mismatch.json").await;
    let player = ReplayTransport::open(&path).unwrap();

    let request = strength_exchange("any password", Some("zed@acme.com"));
    let err = player.send(request).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Other);
    assert_eq!(
        err.message(),
        "cassette: no recorded exchange matches this passwords.strength_check request; the \
         closest is exchange 0 (passwords.strength_check): $.email_address: recorded \
         \"a@acme.com\", got \"zed@acme.com\""
    );
    let request = strength_exchange("any password", None);
    let err = player.send(request).await.unwrap_err();
    assert!(
        err.message()
            .ends_with("$.email_address: recorded, missing here"),
        "{}",
        err.message()
    );
    // Nothing was consumed by the failed matches.
    assert_eq!(player.remaining(), 3);

    // Another operation is named as such.
    let request = http::Request::post("http://127.0.0.1/v1/b2b/passwords/migrate")
        .extension(Operation("passwords.migrate"))
        .body(bytes::Bytes::from_static(b"{}"))
        .unwrap();
    let err = player.send(request).await.unwrap_err();
    assert!(
        err.message().ends_with(
            "exchange 0 (passwords.strength_check): it is a passwords.strength_check request"
        ),
        "{}",
        err.message()
    );
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn in_order_replay_insists_on_the_order_and_by_match_does_not() {
    let path = three_checks("order.json").await;

    let in_order = ReplayTransport::open(&path).unwrap();
    let request = strength_exchange("x", Some("b@acme.com"));
    let err = in_order.send(request).await.unwrap_err();
    assert!(err.message().contains("exchange 0"), "{}", err.message());

    let by_match = ReplayTransport::open(&path)
        .unwrap()
        .order(ReplayOrder::ByMatch);
    for email in ["c@acme.com", "a@acme.com", "b@acme.com"] {
        let request = strength_exchange("x", Some(email));
        let response = by_match.send(request).await.unwrap();
        assert_eq!(response.status(), 200);
    }
    assert_eq!(by_match.remaining(), 0);
    // Each exchange answers once.
    let request = strength_exchange("x", Some("a@acme.com"));
    let err = by_match.send(request).await.unwrap_err();
    assert_eq!(
        err.message(),
        "cassette: no recorded exchange left for this passwords.strength_check request; all 3 \
         were replayed"
    );
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn the_mode_decides_record_or_replay() {
    assert_eq!("record".parse::<Mode>().unwrap(), Mode::Record);
    assert_eq!(" Replay ".parse::<Mode>().unwrap(), Mode::Replay);
    assert_eq!("".parse::<Mode>().unwrap(), Mode::Auto);
    let bad = "recrod".parse::<Mode>().unwrap_err();
    assert_eq!(
        bad.to_string(),
        "STYTCH_CASSETTE is \"recrod\"; expected record, replay or auto"
    );

    let path = scratch("mode.json");
    let _ = std::fs::remove_file(&path);
    let never = || -> Result<FnTransport, std::io::Error> {
        panic!("replay must not build the live transport")
    };
    // Replay of a missing cassette is an error naming it.
    match open(&path, Mode::Replay, never) {
        Err(CassetteError::Missing(p)) => assert_eq!(p, path),
        other => panic!("{other:?}"),
    }
    // Auto records when the cassette is missing...
    let emulator = emulator();
    let t = open(&path, Mode::Auto, || {
        Ok::<_, std::io::Error>(emulator.transport())
    })
    .unwrap();
    assert!(!t.is_replay());
    let request = strength_exchange(PW_1, None);
    t.send(request).await.unwrap();
    drop(t);
    // ...and replays when it exists, never building the live transport.
    let t = open(&path, Mode::Auto, never).unwrap();
    assert!(t.is_replay());
    let request = strength_exchange("other", None);
    assert_eq!(t.send(request).await.unwrap().status(), 200);
    // Record replaces it.
    let t = open(&path, Mode::Record, || {
        Ok::<_, std::io::Error>(emulator.transport())
    })
    .unwrap();
    assert!(!t.is_replay());
    drop(t);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn a_malformed_cassette_is_a_typed_error() {
    let path = scratch("malformed.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"operation\": \"passwords.migrate\"}\n{ nope").unwrap();
    match ReplayTransport::open(&path) {
        Err(CassetteError::Malformed { index, problem, .. }) => {
            assert_eq!(index, 0);
            assert_eq!(problem, "neither response nor error");
        }
        other => panic!("{other:?}"),
    }
    std::fs::write(&path, "{\"operation\": \"x\", \"error\": {}}\n{ nope").unwrap();
    match ReplayTransport::open(&path) {
        Err(CassetteError::Malformed { index, .. }) => assert_eq!(index, 1),
        other => panic!("{other:?}"),
    }
    std::fs::remove_file(&path).unwrap();
}
