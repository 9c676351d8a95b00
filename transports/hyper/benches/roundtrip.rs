//! Round-trip benchmark: the SDK over the hyper transport against a hand-written hyper-util
//! client (the floor), both talking to one local keep-alive server that returns a full
//! `passwords.authenticate` response (tests/fixtures/authenticate.json, minified).
//!
//! The reqwest transport is measured against the same floor: `reqwest-adapter` is the floor's
//! prepared request sent through `ReqwestTransport` (what that transport costs, as `adapter`
//! is for hyper's), `sdk-reqwest` is `PasswordsClient::authenticate` over it. Their ratios are
//! to the hand-written hyper floor, the one line every transport is held to; reqwest runs on
//! hyper-util's pooled client too, so its ratio is what its layers add on top of that client.
//!
//! Run: `cargo bench -p stytch-b2b-passwords-hyper --bench roundtrip`
//! (`BENCH_SECS=0.5` for longer runs, `BENCH_ROUNDS=31` for more rounds).
//!
//! Method (see docs/PERFORMANCE.md):
//! - every measured run is a fresh process (this binary, `BENCH_CHILD=<client>:<concurrency>`)
//!   with its own server, runtime, connections and heap;
//! - the server runs on its own thread with its own current-thread Tokio runtime;
//! - the client runs on the main thread in a current-thread runtime, so all of its work (its
//!   connection tasks included) is on that one thread, and its CPU time is read from
//!   `/proc/thread-self/schedstat` (nanoseconds on CPU) before and after the run;
//! - for each concurrency (1, 16, 64 calls in flight) and each round, the seven clients run one
//!   after the other (their order rotating between rounds) for the same wall time; the report
//!   gives medians over rounds, and medians and quartiles of the per-round ratios to the floor;
//! - `floor-2` is the floor run a second time, a control: its ratios to the floor show how far
//!   the machine alone moves a result.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use stytch_b2b_passwords::transport::hyper::HyperTransport;
use stytch_b2b_passwords::transport::{HttpTransport, Operation};
use stytch_b2b_passwords::{
    wire, AuthenticateRequest, AuthenticateResponse, Config, PasswordsClient, Secret,
};
use stytch_b2b_passwords_reqwest::ReqwestTransport;

const PROJECT: &str = "project-test-11111111-2222-3333-4444-555555555555";
const SECRET: &str = "secret-test-abcdefghijklmnopqrstuvwxyz012345";
const ORG: &str = "organization-test-07971b06-ac8b-4cdb-9c15-63b17e653931";
const EMAIL: &str = "ada.lovelace@acme.example";
const PASSWORD: &str = "correct-horse-battery-staple";

fn main() {
    let secs: f64 = env_or("BENCH_SECS", 0.25);
    let rounds: usize = env_or("BENCH_ROUNDS", 21);
    let fixture = load_fixture();
    let check: AuthenticateResponse =
        serde_json::from_slice(&fixture).unwrap_or_else(|e| fail(&format!("fixture: {e}")));
    assert!(!check.request_id.is_empty());

    let (addr, server_tid, stop) = start_server(fixture.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(&format!("runtime: {e}")));

    let sdk = PasswordsClient::builder(PROJECT, SECRET)
        .base_url(format!("http://{addr}"))
        .build()
        .unwrap_or_else(|e| fail(&format!("client: {e}")));
    let sdk_reqwest = PasswordsClient::builder(PROJECT, SECRET)
        .base_url(format!("http://{addr}"))
        .transport(ReqwestTransport::new(reqwest_client()))
        .build()
        .unwrap_or_else(|e| fail(&format!("client: {e}")));
    let clients = Clients {
        floor: Floor::new(addr),
        adapter: HyperTransport::new().unwrap_or_else(|e| fail(&format!("transport: {e}"))),
        sdk,
        reqwest_adapter: ReqwestTransport::new(reqwest_client()),
        sdk_reqwest,
    };

    // Profiling mode: one client, a fixed number of calls, no report (for perf or callgrind).
    if let Ok(only) = std::env::var("BENCH_ONLY") {
        let kind = Kind::named(&only).unwrap_or_else(|| {
            let names: Vec<_> = Kind::ALL.iter().map(|k| k.name()).collect();
            fail(&format!("BENCH_ONLY must be one of {}", names.join(", ")))
        });
        let calls: usize = env_or("BENCH_CALLS", 10_000);
        let concurrency: usize = env_or("BENCH_CONC", 1);
        runtime.block_on(async {
            let workers = (0..concurrency).map(|_| async {
                for _ in 0..calls / concurrency {
                    let response = clients
                        .call(kind)
                        .await
                        .unwrap_or_else(|e| fail(&format!("call: {e}")));
                    std::hint::black_box(response);
                }
            });
            join_all(workers).await;
        });
        stop.store(true, Ordering::SeqCst);
        return;
    }

    // One measured run in this process (started by the parent below): warm up, run, report.
    if let Ok(spec) = std::env::var("BENCH_CHILD") {
        let (kind, concurrency) = parse_child_spec(&spec);
        runtime.block_on(run(&clients, kind, concurrency, 0.2));
        let server_before = thread_cpu_ns(Some(server_tid));
        let stats = runtime.block_on(run(&clients, kind, concurrency, secs));
        let server_ns = thread_cpu_ns(Some(server_tid)) - server_before;
        println!(
            "RESULT {} {} {} {} {} {}",
            stats.calls,
            stats.calls_per_sec,
            stats.p50_us,
            stats.p99_us,
            stats.cpu_ns_per_call,
            server_ns as f64 / stats.calls as f64
        );
        stop.store(true, Ordering::SeqCst);
        return;
    }
    drop(clients);

    print_machine();
    println!(
        "response body: {} bytes (tests/fixtures/authenticate.json, minified); {secs} s per run, {rounds} rounds",
        fixture.len()
    );
    breakdown(&fixture);

    println!();
    println!(
        "{:>11} {:>15} {:>9} {:>9} {:>9} {:>12} {:>15}",
        "concurrency", "client", "calls/s", "p50 µs", "p99 µs", "CPU µs/call", "server µs/call"
    );
    let mut summary = Vec::new();
    for concurrency in [1usize, 16, 64] {
        let mut runs: Vec<Vec<Stats>> = Kind::ALL.iter().map(|_| Vec::new()).collect();
        for round in 0..rounds {
            // Rotate the order between rounds so that drift does not favour one client.
            for i in 0..Kind::ALL.len() {
                let k = (i + round) % Kind::ALL.len();
                runs[k].push(run_child(Kind::ALL[k], concurrency, secs));
            }
        }
        let medians: Vec<Stats> = runs.iter().map(|r| Stats::median(r)).collect();
        for (kind, st) in Kind::ALL.iter().zip(&medians) {
            println!(
                "{:>11} {:>15} {:>9.0} {:>9.1} {:>9.1} {:>12.2} {:>15.2}",
                concurrency,
                kind.name(),
                st.calls_per_sec,
                st.p50_us,
                st.p99_us,
                st.cpu_ns_per_call / 1000.0,
                st.server_ns_per_call / 1000.0
            );
        }
        summary.push((concurrency, runs));
    }

    println!();
    println!(
        "relative to the floor, median (and quartiles) of per-round ratios (target for sdk: \
         calls/s >= 95 %, CPU/call <= 1.05x):"
    );
    let mut all_met = true;
    for (concurrency, runs) in &summary {
        let floor_runs = &runs[0];
        for (kind, kind_runs) in Kind::ALL.iter().zip(runs).skip(1) {
            // Median and quartiles of the per-round ratios: the spread says how far to trust
            // the median on this machine.
            let ratio = |f: fn(&Stats) -> f64| {
                let mut v: Vec<f64> = kind_runs
                    .iter()
                    .zip(floor_runs)
                    .map(|(s, fl)| f(s) / f(fl))
                    .collect();
                v.sort_by(f64::total_cmp);
                (v[v.len() / 4], v[v.len() / 2], v[v.len() * 3 / 4])
            };
            let (t25, throughput, t75) = ratio(|s| s.calls_per_sec);
            let (c25, cpu, c75) = ratio(|s| s.cpu_ns_per_call);
            let met = throughput >= 0.95 && cpu <= 1.05;
            if *kind == Kind::Sdk {
                all_met &= met;
            }
            println!(
                "  {concurrency:>2} in flight, {:>15}: calls/s {:>6.1} % ({:.1}–{:.1}), \
                 CPU/call {:.3}x ({:.3}–{:.3})  {}",
                kind.name(),
                throughput * 100.0,
                t25 * 100.0,
                t75 * 100.0,
                cpu,
                c25,
                c75,
                if met {
                    "within target"
                } else {
                    "OUTSIDE target"
                }
            );
        }
    }
    println!("sdk target {}", if all_met { "met" } else { "missed" });
    stop.store(true, Ordering::SeqCst);
}

/// The costs inside a call that are not I/O, measured alone on this thread.
fn breakdown(fixture: &Bytes) {
    let config = Config::new(
        PROJECT,
        Secret::new(SECRET),
        Some("http://127.0.0.1:1"),
        None,
    )
    .unwrap_or_else(|e| fail(&format!("config: {e}")));
    let n = 20_000u32;
    let per = |f: &mut dyn FnMut()| {
        for _ in 0..n / 10 {
            f();
        }
        let before = thread_cpu_ns(None);
        for _ in 0..n {
            f();
        }
        (thread_cpu_ns(None) - before) as f64 / f64::from(n)
    };
    let from_slice = per(&mut || {
        let r: AuthenticateResponse = serde_json::from_slice(fixture).unwrap_or_default();
        std::hint::black_box(r);
    });
    let parse = per(&mut || {
        let response = http::Response::new(fixture.clone());
        let r = wire::parse_response::<AuthenticateRequest>(response);
        std::hint::black_box(r.is_ok());
    });
    let build = per(&mut || {
        let request = AuthenticateRequest::new(ORG, EMAIL, PASSWORD);
        let r = wire::build_request(&config, &request);
        std::hint::black_box(r.is_ok());
    });
    // A request serializes its secrets only into the body `build_request` makes.
    let body = wire::build_request(&config, &AuthenticateRequest::new(ORG, EMAIL, PASSWORD))
        .map(|r| r.into_body().to_vec())
        .unwrap_or_default();
    let floor_request = per(&mut || {
        let r = http::Request::post("http://127.0.0.1:1/v1/b2b/passwords/authenticate")
            .header(http::header::CONTENT_TYPE, "application/json")
            .body(Bytes::from(body.clone()));
        std::hint::black_box(r.is_ok());
    });
    println!(
        "CPU per operation, alone: serde_json::from_slice {:.2} µs; wire::parse_response {:.2} µs; \
         wire::build_request {:.2} µs; a bare http::Request {:.2} µs",
        from_slice / 1000.0,
        parse / 1000.0,
        build / 1000.0,
        floor_request / 1000.0
    );
}

/// The floor: what a careful hand-written hyper-util client does for the same call.
struct Floor {
    client: Client<HttpConnector, Full<Bytes>>,
    uri: http::Uri,
    authorization: http::HeaderValue,
    user_agent: http::HeaderValue,
    body: Bytes,
}

impl Floor {
    fn new(addr: SocketAddr) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true); // as the transport does
        let client = Client::builder(TokioExecutor::new())
            .timer(TokioTimer::new())
            .pool_timer(TokioTimer::new())
            .build(connector);
        // The same bytes the SDK sends: its own request builder, run once.
        let config = Config::new(
            PROJECT,
            Secret::new(SECRET),
            Some(&format!("http://{addr}")),
            None,
        )
        .unwrap_or_else(|e| fail(&format!("config: {e}")));
        let request = wire::build_request(&config, &AuthenticateRequest::new(ORG, EMAIL, PASSWORD))
            .unwrap_or_else(|e| fail(&format!("request: {e}")));
        Self {
            client,
            uri: request.uri().clone(),
            authorization: request.headers()[http::header::AUTHORIZATION].clone(),
            user_agent: request.headers()[http::header::USER_AGENT].clone(),
            body: request.body().clone(),
        }
    }

    /// The request, its body made by `body` from the prepared bytes.
    fn request<B>(&self, body: impl FnOnce(&Bytes) -> B) -> http::Request<B> {
        let mut request = http::Request::new(body(&self.body));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = self.uri.clone();
        let headers = request.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        headers.insert(http::header::AUTHORIZATION, self.authorization.clone());
        headers.insert(http::header::USER_AGENT, self.user_agent.clone());
        request
    }

    async fn authenticate(&self) -> Result<AuthenticateResponse, String> {
        let request = self.request(|b| Full::new(b.clone()));
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()));
        }
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    }
}

/// A reqwest client set up as the floor is: reqwest's defaults already match it on what matters
/// here (HTTP/1.1 only without its `http2` feature, keep-alive with no cap on idle connections,
/// `TCP_NODELAY`, no DNS lookup for an IP address), except that it looks for a proxy in the
/// environment (`HTTP_PROXY`, `NO_PROXY`, ...) on every request, which the floor does not:
/// `no_proxy` turns that off, so a proxy set on the machine cannot take the traffic either. What
/// remains different is reqwest's own: it adds an `Accept: */*` header to every request.
fn reqwest_client() -> reqwest::Client {
    // Plain http only, but reqwest builds its TLS connector anyway and, built without a crypto
    // provider of its own, needs a rustls configuration: one that trusts nothing will do.
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap_or_else(|e| fail(&format!("rustls: {e}")))
    .with_root_certificates(rustls::RootCertStore::empty())
    .with_no_client_auth();
    reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .use_preconfigured_tls(tls)
        .build()
        .unwrap_or_else(|e| fail(&format!("reqwest client: {e}")))
}

/// The clients compared. `Floor` and `Sdk` are the benchmark proper; `Adapter` and
/// `SdkPlainDecode` split the difference between them into the transport's share and the
/// core's; `ReqwestAdapter` and `SdkReqwest` are `Adapter` and `Sdk` over the reqwest transport.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The hand-written hyper-util client.
    Floor,
    /// The floor's request and decoding, but sent through `HyperTransport`'s `HttpTransport::send`.
    Adapter,
    /// `PasswordsClient::authenticate` with the default (hyper) transport.
    Sdk,
    /// What `PasswordsClient::authenticate` does (`wire::build_request`, the transport through
    /// `Arc<dyn HttpTransport>`), but decoding with `serde_json::from_slice` instead of
    /// `wire::parse_response`.
    SdkPlainDecode,
    /// The floor's request and decoding, sent through `ReqwestTransport`'s `HttpTransport::send`.
    ReqwestAdapter,
    /// `PasswordsClient::authenticate` over `ReqwestTransport`.
    SdkReqwest,
    /// The floor again, as a control: its ratio to the floor is the machine's noise alone.
    FloorAgain,
}

impl Kind {
    const ALL: [Kind; 7] = [
        Kind::Floor,
        Kind::Adapter,
        Kind::Sdk,
        Kind::SdkPlainDecode,
        Kind::ReqwestAdapter,
        Kind::SdkReqwest,
        Kind::FloorAgain,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Floor => "floor",
            Kind::Adapter => "adapter",
            Kind::Sdk => "sdk",
            Kind::SdkPlainDecode => "sdk-plain",
            Kind::ReqwestAdapter => "reqwest-adapter",
            Kind::SdkReqwest => "sdk-reqwest",
            Kind::FloorAgain => "floor-2",
        }
    }

    fn named(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

struct Clients {
    floor: Floor,
    adapter: HyperTransport,
    sdk: PasswordsClient,
    reqwest_adapter: ReqwestTransport,
    sdk_reqwest: PasswordsClient,
}

impl Clients {
    async fn call(&self, kind: Kind) -> Result<AuthenticateResponse, String> {
        match kind {
            Kind::Floor | Kind::FloorAgain => self.floor.authenticate().await,
            Kind::Adapter => self.through(&self.adapter).await,
            Kind::ReqwestAdapter => self.through(&self.reqwest_adapter).await,
            Kind::Sdk => authenticate(&self.sdk).await,
            Kind::SdkReqwest => authenticate(&self.sdk_reqwest).await,
            Kind::SdkPlainDecode => {
                let request = wire::build_request(
                    self.sdk.config(),
                    &AuthenticateRequest::new(ORG, EMAIL, PASSWORD),
                )
                .map_err(|e| e.to_string())?;
                send_and_decode(self.sdk.transport(), request).await
            }
        }
    }

    /// The floor's request and decoding, sent through `transport`'s `HttpTransport::send`.
    async fn through(
        &self,
        transport: &impl HttpTransport,
    ) -> Result<AuthenticateResponse, String> {
        let mut request = self.floor.request(Bytes::clone);
        request
            .extensions_mut()
            .insert(Operation("passwords.authenticate"));
        send_and_decode(transport, request).await
    }
}

/// `transport`'s `HttpTransport::send`, then a success decoded with plain serde_json.
async fn send_and_decode(
    transport: &impl HttpTransport,
    request: http::Request<Bytes>,
) -> Result<AuthenticateResponse, String> {
    let response = HttpTransport::send(transport, request)
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("status {}", response.status()));
    }
    serde_json::from_slice(response.body()).map_err(|e| e.to_string())
}

async fn authenticate(client: &PasswordsClient) -> Result<AuthenticateResponse, String> {
    client
        .authenticate(AuthenticateRequest::new(ORG, EMAIL, PASSWORD))
        .await
        .map_err(|e| e.to_string())
}

#[derive(Clone, Copy, Default)]
struct Stats {
    calls: u64,
    calls_per_sec: f64,
    p50_us: f64,
    p99_us: f64,
    cpu_ns_per_call: f64,
    server_ns_per_call: f64,
}

impl Stats {
    fn median(runs: &[Stats]) -> Stats {
        let pick = |f: fn(&Stats) -> f64| {
            let mut v: Vec<f64> = runs.iter().map(f).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        Stats {
            calls: runs.iter().map(|s| s.calls).sum(),
            calls_per_sec: pick(|s| s.calls_per_sec),
            p50_us: pick(|s| s.p50_us),
            p99_us: pick(|s| s.p99_us),
            cpu_ns_per_call: pick(|s| s.cpu_ns_per_call),
            server_ns_per_call: pick(|s| s.server_ns_per_call),
        }
    }
}

/// Runs one client in a fresh process (this binary, `BENCH_CHILD=<client>:<concurrency>`): its
/// own heap, runtime, connections and server, so no client inherits another's allocator state.
/// With ~15 % of a call's instructions in malloc, that state alone moved results by 10 % when
/// the clients shared one process.
fn run_child(kind: Kind, concurrency: usize, secs: f64) -> Stats {
    let exe = std::env::current_exe().unwrap_or_else(|e| fail(&format!("current_exe: {e}")));
    let output = std::process::Command::new(exe)
        .env("BENCH_CHILD", format!("{}:{concurrency}", kind.name()))
        .env("BENCH_SECS", secs.to_string())
        .env_remove("BENCH_ONLY")
        .output()
        .unwrap_or_else(|e| fail(&format!("child: {e}")));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let fields: Vec<f64> = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .map(|l| l.split(' ').filter_map(|v| v.parse().ok()).collect())
        .unwrap_or_default();
    let [calls, calls_per_sec, p50_us, p99_us, cpu_ns_per_call, server_ns_per_call] = fields[..]
    else {
        fail(&format!(
            "child {} gave no result: {}",
            kind.name(),
            String::from_utf8_lossy(&output.stderr)
        ))
    };
    Stats {
        calls: calls as u64,
        calls_per_sec,
        p50_us,
        p99_us,
        cpu_ns_per_call,
        server_ns_per_call,
    }
}

fn parse_child_spec(spec: &str) -> (Kind, usize) {
    let (name, concurrency) = spec
        .split_once(':')
        .unwrap_or_else(|| fail("BENCH_CHILD must be <client>:<concurrency>"));
    let kind = Kind::named(name).unwrap_or_else(|| fail("unknown client in BENCH_CHILD"));
    let concurrency = concurrency
        .parse()
        .unwrap_or_else(|_| fail("BENCH_CHILD: concurrency must be a number"));
    (kind, concurrency)
}

/// `concurrency` workers call in a loop for `secs` seconds.
async fn run(clients: &Clients, kind: Kind, concurrency: usize, secs: f64) -> Stats {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    let cpu_before = thread_cpu_ns(None);
    let started = Instant::now();
    let workers = (0..concurrency).map(|_| async {
        let mut latencies = Vec::with_capacity(1 << 16);
        while Instant::now() < deadline {
            let t = Instant::now();
            let response = clients
                .call(kind)
                .await
                .unwrap_or_else(|e| fail(&format!("{} call: {e}", kind.name())));
            latencies.push(t.elapsed().as_nanos() as u64);
            std::hint::black_box(response);
        }
        latencies
    });
    let mut latencies: Vec<u64> = join_all(workers).await.into_iter().flatten().collect();
    let wall = started.elapsed().as_secs_f64();
    let cpu = thread_cpu_ns(None) - cpu_before;
    latencies.sort_unstable();
    let calls = latencies.len() as u64;
    let pct = |p: f64| {
        latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)] as f64 / 1000.0
    };
    Stats {
        calls,
        calls_per_sec: calls as f64 / wall,
        p50_us: pct(0.50),
        p99_us: pct(0.99),
        cpu_ns_per_call: cpu as f64 / calls as f64,
        server_ns_per_call: 0.0,
    }
}

/// Polls every future on this task until all are done (no extra crate, no spawn).
async fn join_all<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut futures: Vec<_> = futures.map(|f| Some(Box::pin(f))).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, out) in futures.iter_mut().zip(outputs.iter_mut()) {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        *out = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

/// The keep-alive server, on its own thread and runtime. Returns its address and thread id.
fn start_server(body: Bytes) -> (SocketAddr, u32, Arc<AtomicBool>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let stop_server = stop.clone();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| fail(&format!("server runtime: {e}")));
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .unwrap_or_else(|e| fail(&format!("bind: {e}")));
            let addr = listener
                .local_addr()
                .unwrap_or_else(|e| fail(&format!("addr: {e}")));
            let _ = tx.send((addr, current_tid()));
            while !stop_server.load(Ordering::SeqCst) {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let body = body.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req: hyper::Request<Incoming>| {
                        let body = body.clone();
                        async move {
                            let _ = req.into_body().collect().await;
                            Ok::<_, Infallible>(
                                hyper::Response::builder()
                                    .header("content-type", "application/json")
                                    .header("request-id", "request-id-test-bench")
                                    .body(Full::new(body))
                                    .unwrap_or_default(),
                            )
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    let (addr, tid) = rx
        .recv()
        .unwrap_or_else(|e| fail(&format!("server start: {e}")));
    (addr, tid, stop)
}

/// This thread's id, from the /proc/thread-self link (`<pid>/task/<tid>`).
fn current_tid() -> u32 {
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name()?.to_str()?.parse().ok())
        .unwrap_or(0)
}

/// Nanoseconds a thread has spent on CPU (this one if `tid` is `None`), from schedstat.
fn thread_cpu_ns(tid: Option<u32>) -> u64 {
    let path = match tid {
        Some(tid) => format!("/proc/self/task/{tid}/schedstat"),
        None => "/proc/thread-self/schedstat".to_owned(),
    };
    std::fs::read_to_string(&path)
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| fail(&format!("cannot read {path}")))
}

fn load_fixture() -> Bytes {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/authenticate.json"
    );
    let raw = std::fs::read(path).unwrap_or_else(|e| {
        fail(&format!(
            "cannot read {path} ({e}): the benchmark needs the recorded full authenticate response"
        ))
    });
    let value: serde_json::Value =
        serde_json::from_slice(&raw).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    Bytes::from(serde_json::to_vec(&value).unwrap_or_default())
}

fn print_machine() {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown", str::trim)
        .to_owned();
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "machine: {cpus} CPUs, {model}; load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn fail(message: &str) -> ! {
    eprintln!("roundtrip bench: {message}");
    std::process::exit(1)
}
