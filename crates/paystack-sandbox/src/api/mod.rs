//! The Paystack API routes (docs/paystack-api.md §3, §4) behind the auth / request-log / fault
//! layer, built from the endpoint table of `paystack-facts`.

pub(crate) mod bulk;
pub(crate) mod transaction;

use std::sync::Arc;

use axum::Router;
use axum::http::HeaderMap;
use axum::http::header::HOST;
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodFilter, MethodRouter, on};
use paystack_facts::{Method, Operation, ROUTES};

use crate::app::App;
use crate::middleware::api_layer;

/// Every Paystack endpoint the sandbox serves: each route of the table, at its path and at the
/// path with a trailing slash (Paystack answers both; pypaystack2 calls `GET /transaction/`).
/// `route_layer` keeps unknown routes out of the auth layer, so they answer 404 whatever the key.
pub(crate) fn routes(app: Arc<App>) -> Router<Arc<App>> {
    let mut router = Router::new();
    for route in &ROUTES {
        let handler = handler(route.operation);
        router = router.route(route.path, handler.clone()).route(&format!("{}/", route.path), handler);
    }
    router.route_layer(from_fn_with_state(app, api_layer))
}

/// The handler of each endpoint, on the endpoint's method. The match is exhaustive: an endpoint
/// added to the table does not compile until the sandbox answers it.
fn handler(operation: Operation) -> MethodRouter<Arc<App>> {
    use Operation::*;
    let method = match operation.route().method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
    };
    match operation {
        BulkChargeInitiate => on(method, bulk::initiate),
        BulkChargeList => on(method, bulk::list),
        BulkChargeFetch => on(method, bulk::fetch),
        BulkChargeCharges => on(method, bulk::charges),
        BulkChargePause => on(method, bulk::pause),
        BulkChargeResume => on(method, bulk::resume),
        TransactionInitialize => on(method, transaction::initialize),
        TransactionVerify => on(method, transaction::verify),
        TransactionList => on(method, transaction::list),
        TransactionFetch => on(method, transaction::fetch),
        TransactionChargeAuthorization => on(method, transaction::charge_authorization),
        TransactionCheckAuthorization => on(method, transaction::check_authorization),
        TransactionTimeline => on(method, transaction::timeline),
        TransactionTotals => on(method, transaction::totals),
        TransactionExport => on(method, transaction::export),
        TransactionPartialDebit => on(method, transaction::partial_debit),
        TransactionEvent => on(method, transaction::event),
        TransactionSession => on(method, transaction::session),
    }
}

/// `http://<Host header>`: the sandbox's own base URL as the client reached it, for the links it
/// hands out (checkout, export files).
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(HOST).and_then(|h| h.to_str().ok()).filter(|h| !h.is_empty()).unwrap_or("127.0.0.1");
    format!("http://{host}")
}
