//! Customers and cards: the fixtures, adding customers with a chosen behaviour, and completing an
//! initialized transaction as the customer would at checkout.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::api::envelope::{ApiError, ApiResult, ok};
use crate::api::params::{self, string_field};
use crate::clock::iso;
use crate::commit::commit;
use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::IntegrationState;
use crate::state::card_behaviour::{Behaviour, CHECK_AUTHORIZATION_TEST_LIMIT, DECLINED};
use crate::state::customers::NewCustomer;
use crate::state::fixtures;
use crate::state::payments::CheckoutPayment;
use crate::state::records::{Authorization, Customer};
use crate::views;

fn authorization_json(a: &Authorization) -> Value {
    json!({
        "authorization_code": a.code,
        "reusable": a.reusable,
        "fixture": a.fixture,
        "behaviour": serde_json::to_value(&a.funds.behaviour).unwrap_or(Value::Null),
        "description": a.funds.describe(),
        "last4": a.last4,
        "signature": a.signature,
        "country_code": a.country_code,
    })
}

fn customer_json(state: &IntegrationState, index: usize) -> Value {
    let c: &Customer = &state.customers[index];
    let authorizations: Vec<Value> =
        state.cards.iter().filter(|a| a.customer == index).map(authorization_json).collect();
    json!({
        "id": c.id,
        "customer_code": c.code,
        "email": c.email,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "phone": c.phone,
        "metadata": c.metadata,
        "createdAt": iso(c.created_at),
        "authorizations": authorizations,
    })
}

/// GET /_sandbox/fixtures — the seeded authorizations, what each does, and the amount rules.
pub(crate) async fn fixtures_list(Extension(integration): Extension<Arc<Integration>>) -> Response {
    let state = integration.state.lock();
    let authorizations: Vec<Value> = state
        .cards
        .iter()
        .filter(|a| a.fixture)
        .map(|a| {
            let c = &state.customers[a.customer];
            let mut v = authorization_json(a);
            if let Value::Object(map) = &mut v {
                map.insert("email".into(), c.email.clone().into());
                map.insert("customer_code".into(), c.code.clone().into());
                map.insert("customer_id".into(), c.id.into());
            }
            v
        })
        .collect();
    ok(
        "Fixtures retrieved",
        json!({
            "integration": state.integration_id,
            "domain": state.domain.as_str(),
            "authorizations": authorizations,
            "rules": [
                format!("amounts above {} (NGN 10,000,000) are refused with \"Transaction amount limit exceeded\"", paystack_facts::limits::MAX_AMOUNT),
                format!("check_authorization in test mode answers \"Insufficient Funds\" from {} (NGN 500,000) up", CHECK_AUTHORIZATION_TEST_LIMIT),
                format!("a bulk charge is attempted at most {} times; a failed attempt goes to the back of the batch's queue", paystack_facts::limits::BULK_RETRY_LIMIT),
                format!("{} starts with {} kobo; successful charges spend it", fixtures::AUTH_LOW_BALANCE, fixtures::LOW_BALANCE),
            ],
        }),
    )
}

pub(crate) async fn customers_list(Extension(integration): Extension<Arc<Integration>>) -> Response {
    let state = integration.state.lock();
    let customers: Vec<Value> = (0..state.customers.len()).map(|i| customer_json(&state, i)).collect();
    ok("Customers retrieved", Value::Array(customers))
}

fn optional_string(map: &Map<String, Value>, key: &str) -> Result<Option<String>, ApiError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be a string"))),
    }
}

fn behaviour_of(map: &Map<String, Value>) -> Result<Behaviour, ApiError> {
    match map.get("behaviour") {
        None | Some(Value::Null) => Ok(Behaviour::Success),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
            ApiError::bad_request(format!(
                "behaviour: {e}; expected {{\"kind\": \"success\"}}, {{\"kind\": \"decline\", \"gateway_response\": \"Declined\"}}, {{\"kind\": \"balance\", \"amount\": 100000}} or {{\"kind\": \"fail_first\", \"failures\": 3}}"
            ))
        }),
    }
}

/// POST /_sandbox/customers — a customer (or an existing one, by email) with a new reusable
/// authorization: `{"email", "first_name"?, "last_name"?, "phone"?, "metadata"?, "behaviour"?,
/// "authorization_code"?, "country_code"?}` (where the card was issued, default NG).
pub(crate) async fn customers_add(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    const KNOWN: &[&str] =
        &["email", "first_name", "last_name", "phone", "metadata", "behaviour", "authorization_code", "country_code"];
    if let Some(key) = map.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(ApiError::bad_request(format!("unknown field {key}; expected one of {}", KNOWN.join(", "))));
    }
    let email = params::email(&map)?;
    let behaviour = behaviour_of(&map)?;
    let new = NewCustomer {
        email,
        first_name: optional_string(&map, "first_name")?,
        last_name: optional_string(&map, "last_name")?,
        phone: optional_string(&map, "phone")?,
        metadata: map.get("metadata").filter(|v| !v.is_null()).cloned(),
    };
    let code = optional_string(&map, "authorization_code")?;
    // Where the card was issued: an international card pays the international rate.
    let country = match optional_string(&map, "country_code")? {
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => c.to_ascii_uppercase(),
        Some(c) => {
            return Err(ApiError::bad_request(format!("country_code must be two letters (ISO 3166), got {c:?}")));
        }
        None => "NG".to_string(),
    };
    let data = commit(&registry, &integration, |state| {
        let (customer, authorization) = state
            .customers
            .add(&mut state.cards, &mut state.ids, new, behaviour, code, state.now)
            .map_err(ApiError::bad_request)?;
        state.cards[authorization].country_code = country;
        Ok::<_, ApiError>(json!({
            "customer": customer_json(state, customer),
            "authorization": authorization_json(&state.cards[authorization]),
        }))
    })?;
    Ok((StatusCode::CREATED, axum::Json(json!({"status": true, "message": "Customer created", "data": data})))
        .into_response())
}

/// POST /_sandbox/transactions/{reference}/complete — `{"status": "success"|"failed",
/// "behaviour"?, "gateway_response"?}`: the customer pays (or fails to) at checkout, as the
/// checkout page does. Success creates a reusable authorization with `behaviour` (default
/// success) and sends `charge.success`; a failure records `gateway_response` (default "Declined").
pub(crate) async fn complete(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let payment = match string_field(&map, "status").as_deref() {
        Some("success") => CheckoutPayment::Paid { behaviour: behaviour_of(&map)?, last4: None },
        Some("failed") => CheckoutPayment::Refused {
            gateway_response: optional_string(&map, "gateway_response")?.unwrap_or_else(|| DECLINED.into()),
        },
        _ => return Err(ApiError::bad_request("status must be \"success\" or \"failed\"")),
    };
    let data = commit(&registry, &integration, |state| {
        let index = state.complete(&reference, payment)?;
        Ok::<_, ApiError>(views::transactions::verify(state, index))
    })?;
    Ok(ok("Transaction completed", data))
}
