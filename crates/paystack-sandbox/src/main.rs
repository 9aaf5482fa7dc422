//! `paystack-sandbox`: the sandbox as a standalone server.

use std::io::Write;
use std::process::ExitCode;

use paystack_sandbox::{FaultConfig, SandboxConfig};

const USAGE: &str = "\
usage: paystack-sandbox [--port N] [--host H] [--secret-key K] [--key K]... [--process-interval-ms N]
                        [--webhook-url URL] [--seed S] [--faults JSON] [--config JSON]

  --port N                 port to listen on (default 0: a free port)
  --host H                 address to bind (default 127.0.0.1)
  --secret-key K           the default sk_test_/sk_live_ key (any well-formed key works)
  --key K                  accept only this key (repeat for more); every other key is a
                           401 Invalid key, as on Paystack
  --process-interval-ms N  time between two charges of a bulk-charge batch (default 50)
  --webhook-url URL        where charge.success webhooks go
  --seed S                 seed of generated ids and fault decisions (default 1)
  --faults JSON            fault rules, e.g. '[{\"kind\":\"rate_limit\",\"preset\":\"paystack-test\"}]'
  --config JSON            a whole SandboxConfig as JSON (flags given after it override it)

The base URL is printed alone on the first line of standard output.
The control API and fixtures are described in docs/sandbox.md.";

fn parse_args(args: &[String]) -> Result<SandboxConfig, String> {
    let mut config = SandboxConfig::default();
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (flag, None),
        };
        let mut value = || -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            i += 1;
            args.get(i).cloned().ok_or_else(|| format!("{name} needs a value"))
        };
        let number =
            |v: String| v.parse::<u64>().map_err(|_| format!("{name} needs a non-negative integer, got {v:?}"));
        match name {
            "--port" => {
                config.port = u16::try_from(number(value()?)?).map_err(|_| "--port must be below 65536".to_string())?
            }
            "--host" => config.host = value()?,
            "--secret-key" => config.secret_key = value()?,
            "--key" => config.keys.push(value()?),
            "--process-interval-ms" => config.process_interval_ms = number(value()?)?,
            "--webhook-url" => config.webhook_url = Some(value()?),
            "--seed" => config.seed = number(value()?)?,
            "--faults" => {
                let json: serde_json::Value = serde_json::from_str(&value()?).map_err(|e| format!("--faults: {e}"))?;
                config.faults = FaultConfig::from_value(json)?;
            }
            "--config" => config = SandboxConfig::from_json(&value()?)?,
            other => return Err(format!("unknown argument {other}")),
        }
        i += 1;
    }
    config.validate()?;
    Ok(config)
}

/// Ctrl-C, or SIGTERM on Unix (what a test harness sends to a child process).
/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when it is
/// first polled: called before the address is printed, a signal sent as soon as the sandbox has
/// answered (a test stopping it) is never met by the default, fatal disposition.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{SignalKind, signal};
        signal(SignalKind::interrupt()).ok().zip(signal(SignalKind::terminate()).ok())
    };
    async move {
        #[cfg(unix)]
        if let Some((mut interrupt, mut term)) = handlers {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        eprintln!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let config = match parse_args(&args) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("paystack-sandbox: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("paystack-sandbox: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let default_key = config.effective_secret_key() == paystack_sandbox::DEFAULT_SECRET_KEY;
    let only =
        if config.keys.is_empty() { String::new() } else { format!("; only {} key(s) accepted", config.keys.len()) };
    let result = runtime.block_on(async move {
        let stop = stop_signal();
        let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await?;
        let addr = listener.local_addr()?;
        let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
        let host = if host.contains(':') { format!("[{host}]") } else { host };
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "http://{host}:{}", addr.port())?;
        stdout.flush()?;
        drop(stdout);
        // The key itself is never printed: it is a secret even in a sandbox.
        eprintln!(
            "paystack-sandbox listening on http://{host}:{} ({} secret key{only}; Ctrl-C stops it)",
            addr.port(),
            if default_key { "the default" } else { "the configured" }
        );
        eprintln!("dashboard: http://{host}:{}/_sandbox/ (sign in with the key)", addr.port());
        tokio::select! {
            served = paystack_sandbox::serve(listener, config) => served,
            () = stop => Ok(()),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("paystack-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
