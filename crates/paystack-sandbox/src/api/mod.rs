//! The Paystack API: its routes (docs/paystack-api.md §3, §4, §8), built from the endpoint table of
//! `paystack-facts`, behind the gate (key, request log, faults); one handler module per concern,
//! and what they share: reading requests (`params`), keys (`auth`), answers (`envelope`).

pub(crate) mod auth;
pub(crate) mod bulk_batches;
pub(crate) mod bulk_initiate;
pub(crate) mod envelope;
pub(crate) mod gate;
pub(crate) mod params;
pub(crate) mod refunds;
pub(crate) mod settlements;
pub(crate) mod transaction_charges;
pub(crate) mod transaction_export;
pub(crate) mod transaction_initialize;
pub(crate) mod transaction_lists;
pub(crate) mod transaction_lookups;

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodFilter, MethodRouter, on};
use paystack_facts::{Method, Operation, ROUTES};

use crate::registry::Registry;
use gate::api_layer;

/// Every Paystack endpoint the sandbox serves: each route of the table, at its path and at the
/// path with a trailing slash (Paystack answers both; pypaystack2 calls `GET /transaction/`).
/// `route_layer` keeps unknown routes out of the auth layer, so they answer 404 whatever the key.
pub(crate) fn routes(registry: Arc<Registry>) -> Router<Arc<Registry>> {
    let mut router = Router::new();
    for route in &ROUTES {
        let handler = handler(route.operation);
        router = router.route(route.path, handler.clone()).route(&format!("{}/", route.path), handler);
    }
    router.route_layer(from_fn_with_state(registry, api_layer))
}

/// The handler of each endpoint, on the endpoint's method. The match is exhaustive: an endpoint
/// added to the table does not compile until the sandbox answers it.
fn handler(operation: Operation) -> MethodRouter<Arc<Registry>> {
    use Operation::*;
    let method = match operation.route().method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
    };
    match operation {
        BulkChargeInitiate => on(method, bulk_initiate::initiate),
        BulkChargeList => on(method, bulk_batches::list),
        BulkChargeFetch => on(method, bulk_batches::fetch),
        BulkChargeCharges => on(method, bulk_batches::charges),
        BulkChargePause => on(method, bulk_batches::pause),
        BulkChargeResume => on(method, bulk_batches::resume),
        TransactionInitialize => on(method, transaction_initialize::initialize),
        TransactionVerify => on(method, transaction_lookups::verify),
        TransactionList => on(method, transaction_lists::list),
        TransactionFetch => on(method, transaction_lookups::fetch),
        TransactionChargeAuthorization => on(method, transaction_charges::charge_authorization),
        TransactionCheckAuthorization => on(method, transaction_charges::check_authorization),
        TransactionTimeline => on(method, transaction_lookups::timeline),
        TransactionTotals => on(method, transaction_lists::totals),
        TransactionExport => on(method, transaction_export::export),
        TransactionPartialDebit => on(method, transaction_charges::partial_debit),
        TransactionEvent => on(method, transaction_lookups::event),
        TransactionSession => on(method, transaction_lookups::session),
        SettlementFetch => on(method, settlements::list),
        SettlementTransactions | SettlementTransaction => on(method, settlements::transactions),
        RefundCreate => on(method, refunds::create),
        RefundList => on(method, refunds::list),
        RefundFetch => on(method, refunds::fetch),
        RefundRetry => on(method, refunds::retry),
    }
}
