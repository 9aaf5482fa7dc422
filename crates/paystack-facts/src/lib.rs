//! paystack-facts: what Paystack's Bulk Charge and Transaction APIs are, written once.
//!
//! The client (`paystack-core`) and the emulator (`paystack-sandbox`) both read their facts here,
//! so they cannot drift apart: the endpoint routes (method and path), the enumerations, the
//! limits, the rate-limit quotas, the webhook header, source addresses and signature, and the
//! messages Paystack answers with. Each fact cites `docs/paystack-api.md` by section.
//!
//! What each side *does* with a fact (validate a request, answer one) stays in that side: the two
//! validators are independent on purpose, so the emulator does not inherit the client's mistakes,
//! and a differential test checks them against each other.
//!
//! No dependencies by default; the `signing` feature adds webhook signing (HMAC-SHA512).

pub mod amounts;
pub mod enums;
pub mod errors;
pub mod keys;
pub mod limits;
pub mod messages;
pub mod pagination;
pub mod pricing;
pub mod quotas;
pub mod routes;
pub mod webhooks;

pub use routes::{Method, Operation, ROUTES, Route};
