//! The control API under `/_sandbox`: what a tester uses to drive and inspect the sandbox.
//! Authenticated with the integration's own Bearer key (so it acts on that key's state), never
//! subject to faults, never in the request log. Health and export files need no key. (The HTML
//! pages under `/_sandbox`, checkout and dashboard, are `crate::pages`.)

mod clock;
mod customers;
mod inspect;
mod public;
mod settings;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::api::auth::authenticate;
use crate::registry::Registry;

pub(crate) fn routes(registry: Arc<Registry>) -> Router<Arc<Registry>> {
    let authenticated = Router::new()
        .route("/_sandbox/fixtures", get(customers::fixtures_list))
        .route("/_sandbox/customers", get(customers::customers_list).post(customers::customers_add))
        .route("/_sandbox/transactions/{reference}/complete", post(customers::complete))
        .route("/_sandbox/faults", get(settings::faults_get).put(settings::faults_put).delete(settings::faults_delete))
        .route("/_sandbox/ledger", get(inspect::ledger_get).delete(inspect::ledger_delete))
        .route("/_sandbox/requests", get(inspect::requests_get).delete(inspect::requests_delete))
        .route("/_sandbox/webhooks", get(inspect::webhooks_get).delete(inspect::webhooks_delete))
        .route("/_sandbox/config", get(settings::config_get).put(settings::config_put))
        .route("/_sandbox/reset", post(settings::reset))
        .route("/_sandbox/clock", get(clock::clock_get))
        .route("/_sandbox/clock/advance", post(clock::advance))
        .route("/_sandbox/refunds/{id}/status", post(clock::refund_status))
        .route_layer(from_fn_with_state(registry, control_auth));
    Router::new()
        .route("/_sandbox/health", get(public::health))
        .route("/_sandbox/exports/{file}", get(public::export_file))
        .merge(authenticated)
}

async fn control_auth(State(registry): State<Arc<Registry>>, mut request: Request, next: Next) -> Response {
    let integration = match authenticate(&registry, request.headers()) {
        Ok(integration) => integration,
        Err(e) => return e.into_response(),
    };
    request.extensions_mut().insert(integration);
    next.run(request).await
}
