//! The Paystack API routes (docs/paystack-api.md §3, §4) behind the auth / request-log / fault layer.

pub(crate) mod bulk;
pub(crate) mod transaction;

use std::sync::Arc;

use axum::Router;
use axum::http::HeaderMap;
use axum::http::header::HOST;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};

use crate::app::App;
use crate::middleware::api_layer;

/// Every Paystack endpoint the sandbox serves. `route_layer` keeps unknown routes out of the
/// auth layer, so they answer 404 whatever the key.
pub(crate) fn routes(app: Arc<App>) -> Router<Arc<App>> {
    Router::new()
        .route("/bulkcharge", post(bulk::initiate).get(bulk::list))
        .route("/bulkcharge/pause/{code}", get(bulk::pause))
        .route("/bulkcharge/resume/{code}", get(bulk::resume))
        .route("/bulkcharge/{id_or_code}", get(bulk::fetch))
        .route("/bulkcharge/{id_or_code}/charges", get(bulk::charges))
        .route("/transaction", get(transaction::list))
        .route("/transaction/initialize", post(transaction::initialize))
        .route("/transaction/verify/", get(transaction::verify_without_reference))
        .route("/transaction/verify/{reference}", get(transaction::verify))
        .route("/transaction/charge_authorization", post(transaction::charge_authorization))
        .route("/transaction/check_authorization", post(transaction::check_authorization))
        .route("/transaction/partial_debit", post(transaction::partial_debit))
        .route("/transaction/timeline/{id_or_reference}", get(transaction::timeline))
        .route("/transaction/totals", get(transaction::totals))
        .route("/transaction/export", get(transaction::export))
        .route("/transaction/{id}", get(transaction::fetch))
        .route("/transaction/{id}/event", get(transaction::event))
        .route("/transaction/{id}/session", get(transaction::session))
        .route_layer(from_fn_with_state(app, api_layer))
}

/// `http://<Host header>`: the sandbox's own base URL as the client reached it, for the links it
/// hands out (checkout, export files).
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers.get(HOST).and_then(|h| h.to_str().ok()).filter(|h| !h.is_empty()).unwrap_or("127.0.0.1");
    format!("http://{host}")
}
