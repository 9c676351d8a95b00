//! What several emulator test files share: a time limit and the test passwords.
// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

/// Strong passwords the emulator's default policy accepts.
pub const STRONG_1: &str = "quasar-Mauve-kettle-1987";
pub const STRONG_2: &str = "orbit-Saffron-lantern-2042";
pub const STRONG_3: &str = "violet-Harbor-cactus-7781";
/// bcrypt (cost 4) of "Legacy-passw0rd-from-2019", made by libxcrypt.
pub const LEGACY_HASH: &str = "$2b$04$7/aaCoi8fJvVJt/ykOz5x.kyEVIgnkEMvBY9MKnifDRSlakoeNrVO";
pub const LEGACY_PASSWORD: &str = "Legacy-passw0rd-from-2019";

/// Every test finishes within a minute or fails.
pub async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .expect("test timed out")
}
