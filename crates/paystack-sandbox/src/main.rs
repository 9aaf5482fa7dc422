//! `paystack-sandbox`: the sandbox as a standalone server.

use std::io::Write;
use std::process::ExitCode;

use paystack_sandbox::args::{self, Parsed};

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
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let config = match args::parse(&argv) {
        Ok(Parsed::Run(config)) => *config,
        Ok(Parsed::Help) => {
            eprintln!("{}", args::usage("paystack-sandbox"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("paystack-sandbox: {e}");
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
    let result = runtime.block_on(async move {
        let stop = stop_signal();
        let listener = tokio::net::TcpListener::bind((config.host.as_str(), config.port)).await?;
        let addr = listener.local_addr()?;
        let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
        let host = if host.contains(':') { format!("[{host}]") } else { host };
        let base_url = format!("http://{host}:{}", addr.port());
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{base_url}")?;
        stdout.flush()?;
        drop(stdout);
        eprintln!("{}", args::banner(&base_url, &config));
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
