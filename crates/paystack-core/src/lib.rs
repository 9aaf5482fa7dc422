//! paystack-core: the Paystack Bulk Charge and Transaction client, in plain Rust.
//!
//! Everything the Python package does that is not Python lives here: the endpoint table,
//! request validation and encoding, the HTTP transport with retries and recovery, the
//! client-side rate limiter, and webhook signatures.

pub mod bulk_items;
pub mod client;
pub mod config;
pub mod endpoint;
pub mod endpoints;
pub mod envelope;
pub mod error;
pub mod observe;
pub mod page_info;
pub mod pager;
pub mod payouts;
pub mod quota;
pub mod ratelimit;
pub mod reference;
pub mod refunds;
pub mod request;
pub mod rows;
pub mod semantics;
pub mod shared_limit;
mod text;
pub mod timestamp;
pub mod transport;
pub mod value;
pub mod webhook;

pub use client::{CallOptions, Client, Reply};
pub use config::{ClientConfig, RetryPolicy, SecretKey, Timeouts};
pub use endpoint::{Endpoint, HttpMethod, Location, Param, Resource, Safety};
pub use endpoints::ENDPOINTS;
pub use error::{ApiError, Error, Issue, Phase, Unresolved, ValidationError};
pub use observe::{Area, Event, Level, Observer};
pub use ratelimit::RateLimit;
pub use request::Arg;
pub use semantics::Reason;
pub use shared_limit::{OnFailure, SharedRateLimit};
