//! The sandbox's HTML pages, for people and browser tests: the checkout page `authorization_url`
//! opens (`checkout`) and the dashboard at `/_sandbox/` (`dashboard`, its payouts page `payouts`, signed in through
//! `session`). Shared: the page shell and its headers (`html`), amounts in their currency
//! (`money`). No key is needed to open a checkout (its access code is the capability, as on
//! Paystack); the dashboard needs the integration's key once.

mod checkout;
mod dashboard;
mod html;
mod money;
mod payouts;
mod session;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::IntoResponse;
use axum::routing::{get, post};

use crate::registry::Registry;

pub(crate) fn routes() -> Router<Arc<Registry>> {
    Router::new()
        .route("/_sandbox/checkout/{access_code}", get(checkout::show).post(checkout::submit))
        .route(
            "/_sandbox",
            get(|| async { (StatusCode::PERMANENT_REDIRECT, [(LOCATION, "/_sandbox/")]).into_response() }),
        )
        .route("/_sandbox/", get(dashboard::overview).post(session::login))
        .route("/_sandbox/logout", post(session::logout))
        .route("/_sandbox/dashboard/transactions", get(dashboard::transactions))
        .route("/_sandbox/dashboard/batches", get(dashboard::batches))
        .route("/_sandbox/dashboard/batches/{code}", get(dashboard::batch))
        .route("/_sandbox/dashboard/payouts", get(payouts::payouts))
        .route("/_sandbox/dashboard/payouts/{id}", get(payouts::settlement))
        .route("/_sandbox/dashboard/webhooks", get(dashboard::webhooks))
        .route("/_sandbox/dashboard/ledger", get(dashboard::ledger))
        .route("/_sandbox/dashboard/requests", get(dashboard::requests))
        .route("/_sandbox/dashboard/faults", get(dashboard::faults))
}
