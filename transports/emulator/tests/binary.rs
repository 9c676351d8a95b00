//! Spawns the real `stytch-emulator` binary once with a seed file, reads the address it prints,
//! and logs in over HTTP.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use stytch_b2b_passwords::{AuthenticateRequest, PasswordsClient};
use stytch_b2b_passwords_emulator::LoopbackTransport;

mod support;

const SEED: &str = r#"{
  "project": {"project_id": "project-test-binary", "secret": "secret-test-binary"},
  "password_policy": {"type": "luds", "min_length": 10, "min_complexity": 3},
  "breached_passwords": ["Password123!"],
  "organizations": [{
    "name": "Acme", "slug": "acme", "email_allowed_domains": ["acme.com"],
    "email_jit_provisioning": "RESTRICTED",
    "members": [{"email_address": "ada@acme.com", "name": "Ada", "password": "Correct-Horse-9!"}]
  }]
}"#;

/// Kills the child when the test ends, however it ends.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn binary_serves_a_seeded_project() {
    let dir = std::env::temp_dir().join(format!("stytch-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let seed_path = dir.join("seed.json");
    std::fs::write(&seed_path, SEED).unwrap();

    let seed_arg = format!("--seed={}", seed_path.display());
    let (child, line) = start(&[&seed_arg, "--port", "0"]);
    let url = line
        .trim()
        .strip_prefix("stytch-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = PasswordsClient::builder("project-test-binary", "secret-test-binary")
            .base_url(&url)
            .transport(LoopbackTransport::new().timeout(Duration::from_secs(20)))
            .build()
            .unwrap();
        let login = client
            .authenticate(AuthenticateRequest::new(
                "acme",
                "ada@acme.com",
                "Correct-Horse-9!",
            ))
            .await
            .unwrap();
        assert!(login.member_authenticated);
        assert_eq!(login.member.name, "Ada");
        let strength = client
            .strength_check(stytch_b2b_passwords::StrengthCheckRequest::new(
                "Password123!",
            ))
            .await
            .unwrap();
        assert_eq!(strength.strength_policy, "luds");
        assert!(strength.breached_password && !strength.valid_password);

        // The binary serves the control API too.
        let auth = support::basic("project-test-binary", "secret-test-binary");
        let (status, outbox) =
            support::send(&url, "GET", "/_emulator/outbox", "", Some(&auth)).await;
        assert_eq!((status, outbox), (200, serde_json::json!([])));
    });
    drop(child);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn binary_rejects_bad_arguments_and_seeds() {
    let bin = env!("CARGO_BIN_EXE_stytch-emulator");
    let help = Command::new(bin).arg("--help").output().unwrap();
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for option in [
        "--seed",
        "--port",
        "--host",
        "--public",
        "--print-json",
        "--help",
    ] {
        assert!(help.contains(option), "--help lists {option}");
    }

    let bad = Command::new(bin).arg("--nope").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));

    let public = Command::new(bin)
        .args(["--host", "0.0.0.0"])
        .output()
        .unwrap();
    assert_eq!(
        public.status.code(),
        Some(2),
        "a non-loopback bind needs --public"
    );

    let missing = Command::new(bin)
        .args(["--seed", "/nonexistent/seed.json"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read the seed"));
}

/// Starts the binary with `args` and reads the first line it prints, within a minute.
fn start(args: &[&str]) -> (KillOnDrop, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_stytch-emulator"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the binary printed nothing");
    (child, line)
}

#[cfg(unix)]
#[test]
fn print_json_gives_the_address_and_credentials_and_sigterm_stops_cleanly() {
    let (mut child, line) = start(&["--print-json"]);
    let info: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    let port = info["port"].as_u64().unwrap();
    assert_eq!(info["host"], "127.0.0.1");
    assert_eq!(info["url"], format!("http://127.0.0.1:{port}"));
    assert_eq!(
        info["project_id"],
        stytch_b2b_passwords_emulator::DEFAULT_PROJECT_ID
    );
    assert_eq!(
        info["secret"],
        stytch_b2b_passwords_emulator::DEFAULT_SECRET
    );

    // The printed credentials open the control API.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let auth = support::basic(
            info["project_id"].as_str().unwrap(),
            info["secret"].as_str().unwrap(),
        );
        let url = info["url"].as_str().unwrap();
        let (status, calls) = support::send(url, "GET", "/_emulator/calls", "", Some(&auth)).await;
        assert_eq!((status, calls), (200, serde_json::json!({"count": 0})));
    });

    let killed = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "a clean exit on SIGTERM");
}
