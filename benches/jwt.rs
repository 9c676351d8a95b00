//! Session JWT verification throughput with the key already cached (no fetch): the full check
//! (verified-token cache off), a token the verified-token cache already holds, and the cost of
//! rejecting a forged token.
//!
//! ```text
//! cargo bench -p stytch-b2b-passwords --features jwt --bench jwt
//! JWT_BENCH_SECS=10 cargo bench -p stytch-b2b-passwords --features jwt --bench jwt
//! ```
//!
//! A plain `harness = false` binary: each case warms up for half a second, then runs for
//! `JWT_BENCH_SECS` seconds (default 3) on one thread and reports verifications per second and
//! the mean time per verification. The last cases run two threads (the machine has two cores).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use bytes::Bytes;
use ring::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use serde_json::json;
use stytch_b2b_passwords::jwt::{JwksOptions, JwtError, JwtVerifyOptions};
use stytch_b2b_passwords::transport::transport_fn;
use stytch_b2b_passwords::PasswordsClient;

#[path = "../tests/support/rs256.rs"]
mod rs256;

const PROJECT: &str = "project-test-6c2f3d0e-1b1a-4d4e-9a3f-000000000001";
const KEY: &[u8] = include_bytes!("../tests/fixtures/jwt/test-key-1.pem");
const KID: &str = "jwk-test-00000000-0000-0000-0000-000000000001";

fn main() {
    let secs = std::env::var("JWT_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .unwrap_or(3.0);
    let run_for = Duration::from_secs_f64(secs);

    let jwk = rs256::jwk(KEY, KID);
    let jwks =
        Bytes::from(json!({"keys": [jwk], "request_id": "bench", "status_code": 200}).to_string());
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&fetches);
    let transport = transport_fn(move |_request| {
        counter.fetch_add(1, Ordering::Relaxed);
        let body = jwks.clone();
        async move { Ok(http::Response::new(body)) }
    });
    // The default client remembers verified tokens; `full` verifies every token in full.
    let client = PasswordsClient::builder(PROJECT, "secret-bench")
        .transport(transport)
        .build()
        .expect("client");
    let full = client
        .clone()
        .with_jwks_options(JwksOptions::default().verified_token_capacity(0));

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    let claims = json!({
        "sub": "member-test-0001",
        "iss": format!("stytch.com/{PROJECT}"),
        "aud": [PROJECT],
        "iat": now, "nbf": now, "exp": now + 300,
        "https://stytch.com/session": {
            "id": "member-session-test-0001",
            "started_at": "2023-11-14T22:13:20Z",
            "last_accessed_at": "2023-11-14T22:13:20Z",
            "expires_at": "2023-11-15T22:13:20Z",
            "attributes": {"ip_address": "203.0.113.7", "user_agent": "bench"},
            "authentication_factors": [{
                "type": "password", "delivery_method": "knowledge",
                "last_authenticated_at": "2023-11-14T22:13:20Z"
            }],
            "roles": ["stytch_member"]
        },
        "https://stytch.com/organization": {"organization_id": "organization-test-0001", "slug": "acme"},
        "plan": "enterprise"
    });
    let header = rs256::header("RS256", Some(KID));
    let jwt = rs256::sign(KEY, &header, &claims);
    let forged = rs256::sign(KEY, &rs256::header("RS256", Some("forged-kid")), &claims);
    // A real RS256 signature, but over other claims.
    let bad_signature = {
        let mut other = claims.clone();
        other["sub"] = json!("member-test-0002");
        let other = rs256::sign(KEY, &header, &other);
        let (signed, _) = jwt.rsplit_once('.').expect("three segments");
        let (_, signature) = other.rsplit_once('.').expect("three segments");
        format!("{signed}.{signature}")
    };
    let b64 = |field: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(jwk[field].as_str().expect("JWK field"))
            .expect("base64url")
    };
    let public_key = RsaPublicKeyComponents {
        n: b64("n"),
        e: b64("e"),
    };

    // Single-thread cases run on this thread, so its CPU time is theirs.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let options = JwtVerifyOptions::default();

    println!(
        "JWT verification bench: RS256 2048-bit, {secs} s per case, token {} bytes",
        jwt.len()
    );
    runtime.block_on(async {
        // The first verification of each client fetches the JWKS; every one after uses the
        // cached key.
        for c in [&client, &full] {
            c.authenticate_jwt_local(&jwt, options.clone())
                .await
                .expect("valid token");
        }

        case(
            "baseline: ring RS256 signature check only",
            run_for,
            || async {
                let (signed, signature) = jwt.rsplit_once('.').expect("three segments");
                let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(signature)
                    .expect("base64url");
                let ok =
                    public_key.verify(&RSA_PKCS1_2048_8192_SHA256, signed.as_bytes(), &signature);
                assert!(ok.is_ok());
            },
        )
        .await;
        for (name, verifier) in [
            ("valid token, cached key, full check (1 thread)", &full),
            ("valid token, verified-token cache hit (1 thread)", &client),
        ] {
            case(name, run_for, || async {
                let claims = verifier.authenticate_jwt_local(&jwt, options.clone()).await;
                assert!(claims.is_ok());
            })
            .await;
        }
        case("bad signature, cached key (1 thread)", run_for, || async {
            let err = client
                .authenticate_jwt_local(&bad_signature, options.clone())
                .await;
            assert!(matches!(
                err.as_ref().map_err(|e| e.as_jwt()),
                Err(Some(JwtError::BadSignature { .. }))
            ));
        })
        .await;
        case(
            "unknown kid, refetch rate limited (1 thread)",
            run_for,
            || async {
                let err = client
                    .authenticate_jwt_local(&forged, options.clone())
                    .await;
                assert!(err.is_err());
            },
        )
        .await;
        case("malformed token (1 thread)", run_for, || async {
            let err = client
                .authenticate_jwt_local("not.a.jwt", options.clone())
                .await;
            assert!(err.is_err());
        })
        .await;
    });

    two_threads("valid token, full check (2 threads)", &full, &jwt, run_for);
    two_threads("valid token, cache hit (2 threads)", &client, &jwt, run_for);
    let cache = client.jwks_cache();
    println!(
        "Verified-token cache: {} hits, {} entries",
        cache.verified_token_hits(),
        cache.verified_token_count()
    );
    println!(
        "JWKS fetches during the whole run: {}",
        fetches.load(Ordering::Relaxed)
    );
}

/// Two threads verifying `jwt` at once for `run_for`, sharing `client` (and its caches).
fn two_threads(name: &str, client: &PasswordsClient, jwt: &str, run_for: Duration) {
    let start = Instant::now();
    let done = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let client = client.clone();
            let jwt = jwt.to_owned();
            let done = Arc::clone(&done);
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    let mut n = 0usize;
                    while start.elapsed() < run_for {
                        let ok = client
                            .authenticate_jwt_local(&jwt, JwtVerifyOptions::default())
                            .await;
                        assert!(ok.is_ok());
                        n += 1;
                    }
                    done.fetch_add(n, Ordering::Relaxed);
                });
            })
        })
        .collect();
    for t in threads {
        t.join().expect("bench thread");
    }
    report(name, done.load(Ordering::Relaxed), start.elapsed());
}

async fn case<F, Fut>(name: &str, run_for: Duration, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let warm_up = Instant::now();
    while warm_up.elapsed() < Duration::from_millis(500) {
        f().await;
    }
    let cpu_start = thread_cpu();
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < run_for {
        for _ in 0..16 {
            f().await;
        }
        n += 16;
    }
    let elapsed = start.elapsed();
    let cpu = match (cpu_start, thread_cpu()) {
        (Some(a), Some(b)) => b.checked_sub(a),
        _ => None,
    };
    report(name, n, elapsed);
    if let Some(cpu) = cpu {
        let micros = cpu.as_secs_f64() * 1e6 / n as f64;
        let per_cpu_sec = if cpu.is_zero() {
            f64::INFINITY
        } else {
            n as f64 / cpu.as_secs_f64()
        };
        println!(
            "{:<48} {per_cpu_sec:>12.0} per CPU-second     {micros:>8.2} CPU µs each",
            ""
        );
    }
}

/// This thread's user + system CPU time, from `/proc/thread-self/stat` (Linux; 10 ms ticks).
/// Unlike wall time it does not grow when other processes compete for the cores.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after_comm = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_comm.split_whitespace().collect();
    // Fields 14 (utime) and 15 (stime) of proc(5); `after_comm` starts at field 3.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    const TICKS_PER_SEC: u64 = 100;
    Some(Duration::from_millis(
        (utime + stime) * 1000 / TICKS_PER_SEC,
    ))
}

fn report(name: &str, n: usize, elapsed: Duration) {
    let per_sec = n as f64 / elapsed.as_secs_f64();
    let micros = elapsed.as_secs_f64() * 1e6 / n as f64;
    println!(
        "{name:<48} {per_sec:>12.0} verifications/s  {micros:>8.2} µs each  ({n} in {:.2} s)",
        elapsed.as_secs_f64()
    );
}
