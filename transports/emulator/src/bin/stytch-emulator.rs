//! `stytch-emulator`: serves the B2B Passwords emulator over HTTP on a loopback port.
//!
//! ```text
//! stytch-emulator [--seed seed.json] [--port 0] [--host 127.0.0.1] [--print-json]
//! ```
//!
//! Prints `stytch-emulator listening on http://127.0.0.1:PORT` once bound (the first line of
//! standard output, so a script or test can read the port), or with `--print-json` one JSON line
//! with the URL and the project's credentials; then serves until Ctrl-C or SIGTERM, and exits 0.
#![forbid(unsafe_code)]

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use stytch_b2b_passwords_emulator::{serve, Emulator};

const USAGE: &str = "\
Usage: stytch-emulator [--seed FILE] [--port PORT] [--host ADDR] [--public] [--print-json]

Serves an emulator of Stytch's B2B Passwords API over HTTP, the public JWKS at
GET /v1/b2b/sessions/jwks/{project_id}, and a control API under /_emulator/
(project Basic auth): Organizations, Members, reset, faults, clock, signing
keys, outbox, call counts, settings and fresh projects; see docs/EMULATOR.md.
Stops cleanly (exit 0) on Ctrl-C or SIGTERM.

  --seed FILE    JSON seed (project credentials, policy, lockout, Organizations,
                 Members); see docs/EMULATOR.md
  --port PORT    port to listen on; 0 (the default) picks a free one
  --host ADDR    address to bind; 127.0.0.1 by default (a non-loopback address
                 needs --public)
  --public       allow binding a non-loopback address
  --print-json   print one JSON line once listening instead of the text lines:
                 {\"url\", \"host\", \"port\", \"project_id\", \"secret\"}
  -h, --help     show this help
";

struct Args {
    seed: Option<String>,
    port: u16,
    host: IpAddr,
    public: bool,
    print_json: bool,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        seed: None,
        port: 0,
        host: IpAddr::from([127, 0, 0, 1]),
        public: false,
        print_json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = |flag: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(None),
            "--seed" => args.seed = Some(value("--seed")?),
            "--port" => {
                let v = value("--port")?;
                args.port = v.parse().map_err(|_| format!("invalid port {v:?}"))?;
            }
            "--host" => {
                let v = value("--host")?;
                args.host = v.parse().map_err(|_| format!("invalid address {v:?}"))?;
            }
            "--public" => args.public = true,
            "--print-json" => args.print_json = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if !args.host.is_loopback() && !args.public {
        return Err(format!(
            "{} is not a loopback address: pass --public to bind it anyway",
            args.host
        ));
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("stytch-emulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let emulator = match &args.seed {
        Some(path) => match Emulator::from_seed_file(path) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("stytch-emulator: {e}");
                return ExitCode::from(2);
            }
        },
        None => Emulator::new(),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("stytch-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let stop = StopSignals::listen();
        let server = match serve(emulator.clone(), SocketAddr::new(args.host, args.port)).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!(
                    "stytch-emulator: cannot listen on {}:{}: {e}",
                    args.host, args.port
                );
                return ExitCode::FAILURE;
            }
        };
        let mut out = std::io::stdout().lock();
        if args.print_json {
            let addr = server.local_addr();
            let line = serde_json::json!({
                "url": server.base_url(),
                "host": addr.ip().to_string(),
                "port": addr.port(),
                "project_id": emulator.project_id(),
                // Printed on request only: the emulator's secret opens the emulator alone.
                "secret": emulator.secret().expose(),
            });
            let _ = writeln!(out, "{line}");
        } else {
            let _ = writeln!(out, "stytch-emulator listening on {}", server.base_url());
            let _ = writeln!(out, "project_id: {}", emulator.project_id());
        }
        let _ = out.flush();
        drop(out);
        eprintln!("stytch-emulator: press Ctrl-C (or send SIGTERM) to stop");
        stop.wait().await;
        server.shutdown().await;
        ExitCode::SUCCESS
    })
}

/// Ctrl-C and, on Unix, SIGTERM (what CI runners and container runtimes send), listened for
/// from before the address is printed: a script that stops the emulator as soon as it has read
/// the address must not hit the default action (an abrupt kill).
struct StopSignals {
    #[cfg(unix)]
    unix: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl StopSignals {
    fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let unix = signal(SignalKind::terminate())
                .and_then(|term| Ok((term, signal(SignalKind::interrupt())?)))
                .ok();
            Self { unix }
        }
        #[cfg(not(unix))]
        {
            Self {}
        }
    }

    async fn wait(self) {
        #[cfg(unix)]
        if let Some((mut term, mut interrupt)) = self.unix {
            tokio::select! {
                _ = term.recv() => {}
                _ = interrupt.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}
