//! What an endpoint is to the client: its route (HTTP method and path, from `paystack-facts`), its
//! parameters with their Python and wire names, and how safe it is to send twice. The table of all
//! endpoints is in `endpoints.rs`.

pub use paystack_facts::Method as HttpMethod;
pub use paystack_facts::Operation;

use crate::value::Kind;

/// Where a parameter goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A `{name}` segment of the path, percent-encoded.
    Path,
    /// A query-string pair.
    Query,
    /// A member of the JSON body object.
    Body,
    /// The whole JSON body (a bare array for bulk initiate).
    WholeBody,
}

/// One parameter of an endpoint.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The Python name, as Paystack's official Python SDK spells it (`per_page`, `_from`).
    pub name: &'static str,
    /// Paystack's name on the wire (`perPage`, `from`).
    pub wire: &'static str,
    pub location: Location,
    pub kind: Kind,
    pub required: bool,
    /// Filters Paystack documents beyond the official SDK's parameter lists are keyword-only in Python.
    pub keyword_only: bool,
}

/// What it costs to send a request twice, which decides when a retry is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Reads, and checks that change nothing: any failure may be retried.
    Idempotent,
    /// A charge keyed by a transaction reference that Paystack dedupes: retried only after
    /// verifying by reference that the earlier attempt did not go through.
    ChargeByReference,
    /// Creates an (unpaid) transaction keyed by reference: same recovery as a charge.
    InitializeByReference,
    /// Queues a batch of charges keyed by item references: retried only after looking for the
    /// batch among recent batches.
    BulkInitiate,
    /// Sends money back and carries no reference Paystack could dedupe on (`POST /refund`,
    /// docs/paystack-api.md §8.3): sent again only when the earlier attempt certainly never
    /// reached Paystack (a refused connection, a 429). After any other failure the outcome is
    /// unknown and the caller (`refunds::create`) looks for the refund instead of sending again.
    RefundOnce,
}

impl Safety {
    /// Whether this endpoint always carries a reference (generated when the caller gives none).
    pub fn needs_reference(self) -> bool {
        !matches!(self, Safety::Idempotent | Safety::RefundOnce)
    }
}

/// Which Paystack resource an endpoint belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    BulkCharge,
    Transaction,
    Settlement,
    Refund,
}

impl Resource {
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::BulkCharge => "bulk_charge",
            Resource::Transaction => "transaction",
            Resource::Settlement => "settlement",
            Resource::Refund => "refund",
        }
    }
}

/// One endpoint of the Paystack API, defined once; every Python method is a view of it.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub resource: Resource,
    /// The method name in Python (`verify`, `charges`).
    pub name: &'static str,
    /// Which of Paystack's endpoints this is; `method` and `path` are its route's.
    pub operation: Operation,
    pub method: HttpMethod,
    /// The path template, e.g. `/transaction/verify/{reference}`.
    pub path: &'static str,
    pub params: &'static [Param],
    pub safety: Safety,
    /// One line for the Python docstring.
    pub summary: &'static str,
}

impl Endpoint {
    /// `transaction.verify`: the name errors and logs use.
    pub fn qualified_name(&self) -> String {
        format!("{}.{}", self.resource.as_str(), self.name)
    }

    /// The index of the parameter called `name` (Python name).
    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }
}
