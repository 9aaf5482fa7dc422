//! paystack-sandbox: a stateful local emulator of Paystack's Bulk Charge and Transaction APIs.
//!
//! It answers the 18 endpoints with Paystack's envelopes, messages, status codes and pagination,
//! keeps state per secret key, processes bulk-charge batches in the background, sends signed
//! `charge.success` webhooks, and injects faults on demand. Everything beyond starting it is done
//! over HTTP through the control API under `/_sandbox` (see `docs/sandbox.md`).
//!
//! ```no_run
//! use paystack_sandbox::{SandboxConfig, SandboxServer};
//! let mut sandbox = SandboxServer::start(SandboxConfig::default())?;
//! println!("{} {}", sandbox.base_url(), sandbox.secret_key());
//! sandbox.shutdown();
//! # Ok::<(), std::io::Error>(())
//! ```

mod api;
pub mod args;
mod batch_runner;
mod clock;
mod commit;
mod config;
mod control;
mod deliveries;
pub mod faults;
mod ids;
mod integration;
mod pages;
mod registry;
mod request_log;
mod server;
mod state;
mod views;
mod webhooks;
mod wire;

pub use config::{DEFAULT_SECRET_KEY, SandboxConfig};
pub use faults::{FaultConfig, FaultKind, FaultRule};
pub use server::{SandboxServer, router, serve};
