//! Charges on saved authorizations (docs/paystack-api.md T5, T6, T10): charge_authorization,
//! partial_debit, and check_authorization, which charges nothing.

use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use paystack_facts::Operation;
use paystack_facts::enums::PARTIAL_DEBIT_CURRENCIES;
use paystack_facts::keys::Domain;
use paystack_facts::messages::{self, MISSING_PARAMS_NEXT_STEP, Message};
use serde_json::{Value, json};

use super::envelope::{ApiError, ApiResult, success};
use super::params::{self, parse_amount, string_field};
use crate::commit::commit;
use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::payments::ChargeRequest;
use crate::state::records::Origin;
use crate::state::refusals::Refusal;
use crate::views;

/// The fields charge_authorization, partial_debit and check_authorization share.
struct ChargeFields {
    email: String,
    amount: u64,
    authorization_code: String,
    currency: String,
}

/// Which of the shared fields an endpoint requires beyond email and amount.
#[derive(Clone, Copy)]
struct Required {
    authorization_code: bool,
    currency: bool,
}

fn charge_fields(map: &serde_json::Map<String, Value>, required: Required) -> Result<ChargeFields, ApiError> {
    let email = params::email(map)?;
    let amount = params::amount(map)?;
    let authorization_code = match string_field(map, "authorization_code") {
        Some(code) => code,
        None if required.authorization_code => return Err(ApiError::missing(messages::AUTHORIZATION_CODE_REQUIRED)),
        // check_authorization: the OAS requires only email and amount; no code names no card.
        None => String::new(),
    };
    let currency_required = required.currency;
    if currency_required && string_field(map, "currency").is_none() {
        return Err(ApiError::missing(CURRENCY_REQUIRED));
    }
    let currency = params::currency(map)?;
    Ok(ChargeFields { email, amount, authorization_code, currency })
}

/// POST /transaction/charge_authorization. Declines are HTTP 200 with `data.status: "failed"`.
pub(crate) async fn charge_authorization(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let fields = charge_fields(&map, Required { authorization_code: true, currency: false })?;
    let reference = params::reference(&map)?;
    let request = ChargeRequest {
        email: fields.email,
        amount: fields.amount,
        currency: fields.currency,
        authorization_code: fields.authorization_code,
        reference,
        metadata: params::metadata(map.get("metadata")),
        partial_at_least: None,
        origin: Origin::ChargeAuthorization,
    };
    let data = commit(&registry, &integration, |state| {
        let index = state.charge(request)?;
        Ok::<_, ApiError>(views::transactions::charge(state, index, false))
    })?;
    Ok(success(Operation::TransactionChargeAuthorization, data))
}

/// partial_debit without a currency (the sandbox's wording: Paystack's is not recorded).
const CURRENCY_REQUIRED: Message = Message { text: "Currency is required", next_step: MISSING_PARAMS_NEXT_STEP };

/// POST /transaction/partial_debit: takes what the card holds, down to `at_least`.
pub(crate) async fn partial_debit(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let fields = charge_fields(&map, Required { authorization_code: true, currency: true })?;
    let reference = params::reference(&map)?;
    if !PARTIAL_DEBIT_CURRENCIES.contains(&fields.currency.as_str()) {
        return Err(ApiError::invalid(
            messages::partial_debit_currency_unsupported(&fields.currency),
            messages::PARTIAL_DEBIT_CURRENCY_NEXT_STEP,
        ));
    }
    let at_least = match map.get("at_least") {
        None | Some(Value::Null) => 0,
        Some(Value::String(s)) if s.trim().is_empty() => 0,
        some => parse_amount(some)
            .map_err(|m| ApiError::invalid(format!("at_least: {}", m.text), "Pass at_least as an integer amount"))?,
    };
    if at_least > fields.amount {
        return Err(ApiError::refused(messages::AT_LEAST_ABOVE_AMOUNT));
    }
    let request = ChargeRequest {
        email: fields.email,
        amount: fields.amount,
        currency: fields.currency,
        authorization_code: fields.authorization_code,
        reference,
        metadata: params::metadata(map.get("metadata")),
        partial_at_least: Some(at_least),
        origin: Origin::PartialDebit,
    };
    let data = commit(&registry, &integration, |state| {
        if state.customers.by_email(&request.email).is_none() {
            return Err(ApiError::plain(StatusCode::BAD_REQUEST, messages::CUSTOMER_NOT_FOUND));
        }
        let index = state.charge(request)?;
        Ok(views::transactions::charge(state, index, true))
    })?;
    Ok(success(Operation::TransactionPartialDebit, data))
}

/// POST /transaction/check_authorization (legacy; see docs/paystack-api.md T6).
pub(crate) async fn check_authorization(
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let fields = charge_fields(&map, Required { authorization_code: false, currency: false })?;
    let state = integration.state.lock();
    let auth = state.cards.by_code(&fields.authorization_code).ok_or(Refusal::AuthorizationInvalid)?;
    let authorization = &state.cards[auth];
    if state.customers[authorization.customer].email != fields.email {
        return Err(Refusal::EmailDoesNotMatchAuthorization.into());
    }
    let test = state.domain == Domain::Test;
    match authorization.funds.check(fields.amount, test) {
        Ok(()) => Ok(success(
            Operation::TransactionCheckAuthorization,
            json!({"amount": fields.amount, "currency": fields.currency}),
        )),
        Err(reason) => Err(ApiError::plain(StatusCode::BAD_REQUEST, reason)),
    }
}
