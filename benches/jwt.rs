//! Session JWT verification throughput with the key already cached (no fetch), plus the cost of
//! rejecting a forged token.
//!
//! ```text
//! cargo bench -p stytch-b2b-passwords --features jwt --bench jwt
//! JWT_BENCH_SECS=10 cargo bench -p stytch-b2b-passwords --features jwt --bench jwt
//! ```
//!
//! A plain `harness = false` binary: each case warms up for half a second, then runs for
//! `JWT_BENCH_SECS` seconds (default 3) on one thread and reports verifications per second and
//! the mean time per verification. A last case runs two threads (the machine has two cores).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;
use stytch_b2b_passwords::jwt::{JwtError, JwtVerifyOptions};
use stytch_b2b_passwords::transport::transport_fn;
use stytch_b2b_passwords::PasswordsClient;

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

    let encoding_key = EncodingKey::from_rsa_pem(KEY).expect("test key");
    let mut jwk = Jwk::from_encoding_key(&encoding_key, Algorithm::RS256).expect("jwk");
    jwk.common.key_id = Some(KID.to_owned());
    let jwks =
        Bytes::from(json!({"keys": [jwk], "request_id": "bench", "status_code": 200}).to_string());
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&fetches);
    let transport = transport_fn(move |_request| {
        counter.fetch_add(1, Ordering::Relaxed);
        let body = jwks.clone();
        async move { Ok(http::Response::new(body)) }
    });
    let client = PasswordsClient::builder(PROJECT, "secret-bench")
        .transport(transport)
        .build()
        .expect("client");

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
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(KID.to_owned());
    let jwt = jsonwebtoken::encode(&header, &claims, &encoding_key).expect("sign");
    let mut forged_header = Header::new(Algorithm::RS256);
    forged_header.kid = Some("forged-kid".to_owned());
    let forged = jsonwebtoken::encode(&forged_header, &claims, &encoding_key).expect("sign");
    // A real RS256 signature, but over other claims.
    let bad_signature = {
        let mut other = claims.clone();
        other["sub"] = json!("member-test-0002");
        let other = jsonwebtoken::encode(&header, &other, &encoding_key).expect("sign");
        let (signed, _) = jwt.rsplit_once('.').expect("three segments");
        let (_, signature) = other.rsplit_once('.').expect("three segments");
        format!("{signed}.{signature}")
    };
    let decoding_key = jsonwebtoken::DecodingKey::from_jwk(&jwk).expect("decoding key");

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
        // The first verification fetches the JWKS; every one after uses the cached key.
        client
            .authenticate_jwt_local(&jwt, options.clone())
            .await
            .expect("valid token");

        case(
            "baseline: jsonwebtoken RS256 signature check only",
            run_for,
            || async {
                let (signed, signature) = jwt.rsplit_once('.').expect("three segments");
                let ok = jsonwebtoken::crypto::verify(
                    signature,
                    signed.as_bytes(),
                    &decoding_key,
                    Algorithm::RS256,
                );
                assert!(matches!(ok, Ok(true)));
            },
        )
        .await;
        case("valid token, cached key (1 thread)", run_for, || async {
            let claims = client.authenticate_jwt_local(&jwt, options.clone()).await;
            assert!(claims.is_ok());
        })
        .await;
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

    // Two threads verifying at once, sharing one client (and cache).
    let start = Instant::now();
    let done = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let client = client.clone();
            let jwt = jwt.clone();
            let options = options.clone();
            let done = Arc::clone(&done);
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    let mut n = 0usize;
                    while start.elapsed() < run_for {
                        let ok = client.authenticate_jwt_local(&jwt, options.clone()).await;
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
    report(
        "valid token, cached key (2 threads)",
        done.load(Ordering::Relaxed),
        start.elapsed(),
    );

    println!(
        "JWKS fetches during the whole run: {}",
        fetches.load(Ordering::Relaxed)
    );
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
