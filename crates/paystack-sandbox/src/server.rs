//! Serving: the router, the connection loop (hyper, so a fault can close a connection without an
//! answer), and the embedded server on its own thread and runtime.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::api::envelope::ApiError;
use crate::api::gate::DropConnection;
use crate::config::SandboxConfig;
use crate::registry::Registry;
use crate::{api, batch_runner, control, pages};

/// How long a shutdown waits for requests in flight.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

fn invalid_config(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// The sandbox's routes over a new registry whose integrations each get a batch runner.
fn build_router(config: SandboxConfig) -> io::Result<Router> {
    let registry = Registry::new(config, batch_runner::start)?;
    Ok(Router::new()
        .merge(api::routes(Arc::clone(&registry)))
        .merge(control::routes(Arc::clone(&registry)))
        .merge(pages::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .with_state(registry))
}

async fn not_found(request: Request) -> Response {
    ApiError::plain(StatusCode::NOT_FOUND, format!("Route not found: {} {}", request.method(), request.uri().path()))
        .into_response()
}

/// The sandbox as an axum [`Router`], for in-process tests (`tower::ServiceExt::oneshot`) or
/// `axum::serve`. Connection faults (`drop_before`, `drop_after`) need [`serve`]'s connection
/// loop; through a plain router they answer an empty 200 instead.
pub fn router(config: SandboxConfig) -> io::Result<Router> {
    config.validate().map_err(invalid_config)?;
    build_router(config)
}

/// Serves the sandbox on `listener` until the process ends (the binary's entry point).
pub async fn serve(listener: TcpListener, config: SandboxConfig) -> io::Result<()> {
    serve_until(listener, config, std::future::pending()).await
}

/// Serves until `shutdown` resolves, then drains requests in flight for up to two seconds.
pub(crate) async fn serve_until(
    listener: TcpListener,
    config: SandboxConfig,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    config.validate().map_err(invalid_config)?;
    let router = build_router(config)?;
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let router = router.clone();
            async move { respond(router, request).await }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown()).await;
    Ok(())
}

/// The error that makes hyper close a connection without writing a response.
#[derive(Debug)]
struct ConnectionDropped;

impl std::fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a sandbox fault")
    }
}

impl std::error::Error for ConnectionDropped {}

async fn respond(router: Router, request: hyper::Request<Incoming>) -> Result<Response, ConnectionDropped> {
    let response = match router.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    if response.extensions().get::<DropConnection>().is_some() {
        return Err(ConnectionDropped);
    }
    Ok(response)
}

/// A sandbox running on its own thread with its own Tokio runtime, independent of any runtime the
/// caller has. Stops on [`SandboxServer::shutdown`] or when dropped.
#[derive(Debug)]
pub struct SandboxServer {
    addr: SocketAddr,
    secret_key: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SandboxServer {
    /// Binds `config.host:config.port`, starts serving, and returns once the socket is listening.
    pub fn start(config: SandboxConfig) -> io::Result<SandboxServer> {
        config.validate().map_err(invalid_config)?;
        let listener = std::net::TcpListener::bind((config.host.as_str(), config.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let secret_key = config.effective_secret_key().to_string();
        let workers = match config.worker_threads {
            0 => std::thread::available_parallelism().map_or(2, usize::from),
            n => n,
        };
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new().name("paystack-sandbox".into()).spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers)
                .thread_name("paystack-sandbox-worker")
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                let listener = match TcpListener::from_std(listener) {
                    Ok(listener) => listener,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                let stopped = async {
                    let _ = stop_rx.await;
                };
                let _ = serve_until(listener, config, stopped).await;
            });
            // Ends the engine and webhook tasks still running.
            runtime.shutdown_timeout(Duration::from_secs(1));
        })?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(SandboxServer { addr, secret_key, stop: Some(stop_tx), thread: Some(thread) }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => {
                let _ = thread.join();
                Err(io::Error::other("the sandbox thread stopped during start-up"))
            }
        }
    }

    /// `http://127.0.0.1:PORT` (an unspecified bind address is reported as loopback).
    pub fn base_url(&self) -> String {
        let ip = match self.addr.ip() {
            ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
            ip if ip.is_unspecified() => "[::1]".to_string(),
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        format!("http://{ip}:{}", self.addr.port())
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The key to use: the configured default key, or the first of `keys` (see
    /// [`SandboxConfig::effective_secret_key`]).
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// Stops accepting, drains requests in flight (up to two seconds) and joins the thread.
    /// Idempotent.
    pub fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SandboxServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}
