//! Black-box tests of the sandbox over real HTTP (127.0.0.1, random ports).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod auth;
mod bulk;
mod conformance;
mod control;
mod faults;
mod fidelity;
mod oas;
mod pages;
mod payouts;
mod routing;
mod server;
mod transactions;
mod webhooks;
