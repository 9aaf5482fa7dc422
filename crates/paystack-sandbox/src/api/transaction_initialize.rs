//! POST /transaction/initialize (docs/paystack-api.md T1): a transaction awaiting the customer
//! at checkout, and the checkout session its `authorization_url` opens (`crate::pages`).

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use paystack_facts::Operation;
use serde_json::json;

use super::envelope::{ApiError, ApiResult, success};
use super::params::{self, base_url, string_field};
use crate::commit::commit;
use crate::integration::Integration;
use crate::registry::{CheckoutSession, Registry, checkout_path};

/// POST /transaction/initialize.
pub(crate) async fn initialize(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let email = params::email(&map)?;
    let amount = params::amount(&map)?;
    let currency = params::currency(&map)?;
    let reference = params::reference(&map)?;
    let metadata = params::metadata(map.get("metadata"));
    let callback_url = string_field(&map, "callback_url");
    let (access_code, reference) = commit(&registry, &integration, |state| {
        let index = state.initialize(&email, amount, currency, reference, metadata, callback_url)?;
        let tx = &state.transactions[index];
        Ok::<_, ApiError>((tx.access_code.clone().unwrap_or_default(), tx.reference.clone()))
    })?;
    let data = json!({
        "authorization_url": format!("{}{}", base_url(&headers), checkout_path(&access_code)),
        "access_code": access_code,
        "reference": reference,
    });
    registry.checkouts.lock().insert(access_code, CheckoutSession { integration: Arc::clone(&integration), reference });
    Ok(success(Operation::TransactionInitialize, data))
}
