//! paystack-core: the Paystack Bulk Charge and Transaction client, in plain Rust.
//!
//! Everything the Python package does that is not Python lives here: the endpoint table,
//! request validation and encoding, the HTTP transport with retries, and webhook signatures.

pub mod webhook;
