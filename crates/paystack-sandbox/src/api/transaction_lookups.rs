//! Transaction endpoints (docs/paystack-api.md §4, T1–T12).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use paystack_facts::Operation;
use paystack_facts::enums::{PARTIAL_DEBIT_CURRENCIES, TRANSACTION_EXPORT_STATUSES, TRANSACTION_LIST_STATUSES};
use paystack_facts::messages::{self, MISSING_PARAMS_NEXT_STEP, Message};
use serde_json::{Value, json};

use crate::app::{App, Export, Integration, with_state};
use crate::clock::{iso, now_ms, plain};
use crate::envelope::{ApiError, ApiResult, success, success_list};
use crate::handlers::base_url;
use crate::params::{self, DateRange, Paging, parse_amount, query_map, string_field};
use crate::render;
use crate::state::model::{Origin, TxStatus};
use crate::state::{ChargeRequest, IntegrationState};

fn not_numeric() -> ApiError {
    ApiError::refused(messages::TRANSACTION_ID_NOT_NUMERIC)
}

fn transaction_not_found() -> ApiError {
    ApiError::not_found(StatusCode::NOT_FOUND, messages::TRANSACTION_NOT_FOUND)
}

/// The transaction with numeric id `raw`: 400 when not numeric, 404 when unknown.
fn by_id(state: &IntegrationState, raw: &str) -> Result<usize, ApiError> {
    let id: u64 = raw.trim().parse().map_err(|_| not_numeric())?;
    state.transaction_by_id(id).ok_or_else(transaction_not_found)
}

/// POST /transaction/initialize.
pub(crate) async fn initialize(
    State(app): State<Arc<App>>,
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
    let data = with_state(&app, &integration, |state| {
        let index = state.initialize(&email, amount, currency, reference, metadata, callback_url)?;
        let tx = &state.transactions[index];
        let access_code = tx.access_code.clone().unwrap_or_default();
        Ok::<_, ApiError>(json!({
            "authorization_url": format!("{}/_sandbox/checkout/{access_code}", base_url(&headers)),
            "access_code": access_code,
            "reference": tx.reference,
        }))
    })?;
    Ok(success(Operation::TransactionInitialize, data))
}

/// GET /transaction/verify/{reference}. Unknown references are a 400, as observed on the API.
pub(crate) async fn verify(
    Extension(integration): Extension<Arc<Integration>>,
    Path(reference): Path<String>,
) -> ApiResult {
    let state = integration.state.lock();
    let index = state
        .transaction_by_reference(&reference)
        .ok_or_else(|| ApiError::not_found(StatusCode::BAD_REQUEST, messages::REFERENCE_NOT_FOUND))?;
    Ok(success(Operation::TransactionVerify, render::verify(&state, index)))
}

/// GET /transaction/{id}. `GET /transaction/verify/` (no reference) lands here too, as on
/// Paystack: id "verify", hence "Transaction ID should be numeric." (docs/paystack-api.md T2).
pub(crate) async fn fetch(Extension(integration): Extension<Arc<Integration>>, Path(id): Path<String>) -> ApiResult {
    let state = integration.state.lock();
    let index = by_id(&state, &id)?;
    Ok(success(Operation::TransactionFetch, render::fetch(&state, index)))
}

/// Filters of GET /transaction.
struct ListFilter {
    range: DateRange,
    status: Option<String>,
    customer_id: Option<u64>,
    customer_code: Option<String>,
    amount: Option<u64>,
    channel: Option<String>,
    currency: Option<String>,
    /// The sandbox has no POS terminals: a terminal filter matches nothing.
    terminal: bool,
}

impl ListFilter {
    fn from_query(q: &HashMap<String, String>, statuses: &[&str]) -> Result<Self, ApiError> {
        let get = |name: &str| q.get(name).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let status = match get("status") {
            Some(s) if s == "all" && statuses.contains(&"all") => None,
            Some(s) if statuses.contains(&s.as_str()) => Some(s),
            Some(s) => {
                return Err(ApiError::invalid(
                    format!("Invalid status {s:?}: expected one of {}", statuses.join(", ")),
                    "Pass one of the documented status values",
                ));
            }
            None => None,
        };
        let integer = |name: &str| -> Result<Option<u64>, ApiError> {
            get(name)
                .map(|s| {
                    s.parse::<u64>()
                        .map_err(|_| ApiError::invalid(format!("{name} must be an integer"), "Pass the numeric value"))
                })
                .transpose()
        };
        Ok(Self {
            range: DateRange::from_query(q)?,
            status,
            customer_id: integer("customer")?,
            customer_code: get("customer_code"),
            amount: integer("amount")?,
            channel: get("channel"),
            currency: get("currency").map(|c| c.to_ascii_uppercase()),
            terminal: get("terminalid").or_else(|| get("terminal_id")).is_some(),
        })
    }

    fn matches(&self, state: &IntegrationState, index: usize) -> bool {
        let tx = &state.transactions[index];
        let customer = &state.customers[tx.customer];
        !self.terminal
            && self.range.contains(tx.created_at)
            && self.status.as_deref().is_none_or(|s| s == tx.status.as_str())
            && self.customer_id.is_none_or(|id| id == customer.id)
            && self.customer_code.as_deref().is_none_or(|code| code == customer.code)
            && self.amount.is_none_or(|a| a == tx.amount)
            && self.channel.as_deref().is_none_or(|c| c == "card")
            && self.currency.as_deref().is_none_or(|c| c == tx.currency)
    }

    /// Matching transactions, newest first.
    fn select(&self, state: &IntegrationState) -> Vec<usize> {
        (0..state.transactions.len()).rev().filter(|i| self.matches(state, *i)).collect()
    }
}

fn encode_cursor(id: u64) -> String {
    BASE64.encode(format!("id:{id}"))
}

fn decode_cursor(cursor: &str) -> Result<u64, ApiError> {
    BASE64
        .decode(cursor.trim())
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|text| text.strip_prefix("id:").and_then(|id| id.parse().ok()))
        .ok_or_else(|| {
            ApiError::invalid("Invalid cursor", "Pass the next or previous value from the last response's meta")
        })
}

/// GET /transaction — offset pagination, or cursor pagination with `use_cursor=true`.
pub(crate) async fn list(Extension(integration): Extension<Arc<Integration>>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_map(raw.as_deref());
    let paging = Paging::from_query(&q)?;
    let filter = ListFilter::from_query(&q, TRANSACTION_LIST_STATUSES)?;
    let cursor_mode = q.get("use_cursor").is_some_and(|v| v == "true" || v == "1")
        || q.contains_key("next")
        || q.contains_key("previous");
    let state = integration.state.lock();
    let matching = filter.select(&state);
    if cursor_mode {
        let id_of = |i: &usize| state.transactions[*i].id;
        let per_page = paging.per_page as usize;
        let page: Vec<usize> = if let Some(next) = q.get("next").filter(|s| !s.is_empty()) {
            let after = decode_cursor(next)?;
            matching.iter().copied().filter(|i| id_of(i) < after).take(per_page).collect()
        } else if let Some(previous) = q.get("previous").filter(|s| !s.is_empty()) {
            let before = decode_cursor(previous)?;
            let newer: Vec<usize> = matching.iter().copied().filter(|i| id_of(i) > before).collect();
            newer[newer.len().saturating_sub(per_page)..].to_vec()
        } else {
            matching.iter().copied().take(per_page).collect()
        };
        let next = page.last().filter(|last| matching.iter().any(|i| id_of(i) < id_of(last)));
        let previous = page.first().filter(|first| matching.iter().any(|i| id_of(i) > id_of(first)));
        let meta = json!({
            "next": next.map(|i| encode_cursor(id_of(i))),
            "previous": previous.map(|i| encode_cursor(id_of(i))),
            "perPage": paging.per_page,
        });
        let data = page.iter().map(|i| render::list_item(&state, *i)).collect();
        return Ok(success_list(Operation::TransactionList, data, meta));
    }
    let (page, mut meta) = paging.slice(&matching);
    // "the sum of all the transactions that have been fetched" [DOC-PAG]: this page's amounts.
    let volume: u64 = page.iter().map(|i| state.transactions[*i].amount).sum();
    let mut ordered = serde_json::Map::new();
    ordered.insert("total".into(), meta.remove("total").unwrap_or(Value::Null));
    ordered.insert("total_volume".into(), volume.into());
    ordered.extend(meta);
    let data = page.iter().map(|i| render::list_item(&state, *i)).collect();
    Ok(success_list(Operation::TransactionList, data, Value::Object(ordered)))
}

/// The fields charge_authorization, partial_debit and check_authorization share.
struct ChargeFields {
    email: String,
    amount: u64,
    authorization_code: String,
    currency: String,
}

fn charge_fields(map: &serde_json::Map<String, Value>, currency_required: bool) -> Result<ChargeFields, ApiError> {
    let email = params::email(map)?;
    let amount = params::amount(map)?;
    let authorization_code = string_field(map, "authorization_code")
        .ok_or_else(|| ApiError::missing(messages::AUTHORIZATION_CODE_REQUIRED))?;
    if currency_required && string_field(map, "currency").is_none() {
        return Err(ApiError::missing(CURRENCY_REQUIRED));
    }
    let currency = params::currency(map)?;
    Ok(ChargeFields { email, amount, authorization_code, currency })
}

/// POST /transaction/charge_authorization. Declines are HTTP 200 with `data.status: "failed"`.
pub(crate) async fn charge_authorization(
    State(app): State<Arc<App>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let fields = charge_fields(&map, false)?;
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
    let data = with_state(&app, &integration, |state| {
        let index = state.charge(request)?;
        Ok::<_, ApiError>(render::charge(state, index, false))
    })?;
    Ok(success(Operation::TransactionChargeAuthorization, data))
}

/// partial_debit without a currency (the sandbox's wording: Paystack's is not recorded).
const CURRENCY_REQUIRED: Message = Message { text: "Currency is required", next_step: MISSING_PARAMS_NEXT_STEP };

/// POST /transaction/partial_debit: takes what the card holds, down to `at_least`.
pub(crate) async fn partial_debit(
    State(app): State<Arc<App>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let map = params::body_object(&headers, &body)?;
    let fields = charge_fields(&map, true)?;
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
    let data = with_state(&app, &integration, |state| {
        if state.customer_by_email(&request.email).is_none() {
            return Err(ApiError::plain(StatusCode::BAD_REQUEST, messages::CUSTOMER_NOT_FOUND));
        }
        let index = state.charge(request)?;
        Ok(render::charge(state, index, true))
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
    let fields = charge_fields(&map, false)?;
    let state = integration.state.lock();
    let auth = state
        .authorization(&fields.authorization_code)
        .ok_or_else(|| ApiError::refused(messages::AUTHORIZATION_CODE_INVALID))?;
    let authorization = &state.authorizations[auth];
    if state.customers[authorization.customer].email != fields.email {
        return Err(ApiError::refused(messages::EMAIL_DOES_NOT_MATCH_AUTHORIZATION));
    }
    let test = state.domain == crate::auth::Domain::Test;
    match authorization.funds.check(fields.amount, test) {
        Ok(()) => Ok(success(
            Operation::TransactionCheckAuthorization,
            json!({"amount": fields.amount, "currency": fields.currency}),
        )),
        Err(reason) => Err(ApiError::plain(StatusCode::BAD_REQUEST, reason)),
    }
}

/// GET /transaction/timeline/{id_or_reference}.
pub(crate) async fn timeline(
    Extension(integration): Extension<Arc<Integration>>,
    Path(id_or_reference): Path<String>,
) -> ApiResult {
    let state = integration.state.lock();
    let by_id = id_or_reference.parse::<u64>().ok().and_then(|id| state.transaction_by_id(id));
    let index = by_id
        .or_else(|| state.transaction_by_reference(&id_or_reference))
        .ok_or_else(|| ApiError::plain(StatusCode::BAD_REQUEST, messages::TIMELINE_NOT_FOUND))?;
    Ok(success(Operation::TransactionTimeline, render::timeline(&state.transactions[index])))
}

/// GET /transaction/totals: successful transactions in the range. Nothing settles in the
/// sandbox, so everything received is still a pending transfer.
pub(crate) async fn totals(Extension(integration): Extension<Arc<Integration>>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_map(raw.as_deref());
    Paging::from_query(&q)?;
    let range = DateRange::from_query(&q)?;
    let state = integration.state.lock();
    let mut by_currency: BTreeMap<&str, u64> = BTreeMap::new();
    let mut count = 0u64;
    for tx in state.transactions.iter().filter(|t| t.status == TxStatus::Success && range.contains(t.created_at)) {
        count += 1;
        *by_currency.entry(tx.currency.as_str()).or_default() += tx.amount;
    }
    let volume: u64 = by_currency.values().sum();
    let per_currency: Vec<Value> = by_currency.iter().map(|(c, a)| json!({"currency": c, "amount": a})).collect();
    Ok(success(
        Operation::TransactionTotals,
        json!({
            "total_transactions": count,
            "total_volume": volume,
            "total_volume_by_currency": per_currency,
            "pending_transfers": volume,
            "pending_transfers_by_currency": per_currency,
        }),
    ))
}

const EXPORT_COLUMNS: &[&str] = &[
    "id",
    "reference",
    "status",
    "amount",
    "requested_amount",
    "fees",
    "currency",
    "channel",
    "gateway_response",
    "customer_id",
    "customer_email",
    "customer_code",
    "authorization_code",
    "created_at",
    "paid_at",
];

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn csv_row(state: &IntegrationState, index: usize) -> String {
    let tx = &state.transactions[index];
    let customer = &state.customers[tx.customer];
    let fields = [
        tx.id.to_string(),
        tx.reference.clone(),
        tx.status.as_str().to_string(),
        tx.amount.to_string(),
        tx.requested_amount.to_string(),
        tx.fees.map(|f| f.to_string()).unwrap_or_default(),
        tx.currency.clone(),
        "card".to_string(),
        tx.gateway_response.clone(),
        customer.id.to_string(),
        customer.email.clone(),
        customer.code.clone(),
        tx.authorization.clone().unwrap_or_default(),
        iso(tx.created_at),
        tx.paid_at.map(iso).unwrap_or_default(),
    ];
    fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(",")
}

/// GET /transaction/export: writes a CSV the sandbox serves itself, valid for `export_ttl_ms`.
pub(crate) async fn export(
    State(app): State<Arc<App>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let q = query_map(raw.as_deref());
    let paging = Paging::from_query(&q)?;
    let filter = ListFilter::from_query(&q, TRANSACTION_EXPORT_STATUSES)?;
    // Nothing is ever settled in the sandbox.
    let settled_only = q.get("settled").is_some_and(|v| v == "true") || q.contains_key("settlement");
    let (csv, token) = {
        let mut state = integration.state.lock();
        let matching = if settled_only { Vec::new() } else { filter.select(&state) };
        // Everything matching, unless the caller asked for a page (perPage / page).
        let paged = ["perPage", "per_page", "page"].iter().any(|k| q.contains_key(*k));
        let page = if paged { paging.slice(&matching).0 } else { &matching[..] };
        let mut csv = EXPORT_COLUMNS.join(",");
        csv.push('\n');
        for index in page {
            csv.push_str(&csv_row(&state, *index));
            csv.push('\n');
        }
        (csv, state.export_token())
    };
    let now = now_ms();
    let expires_at = now + i64::try_from(app.config.export_ttl_ms).unwrap_or(i64::MAX / 2);
    {
        let mut exports = app.exports.lock();
        exports.retain(|_, e| e.expires_at > now);
        exports.insert(token.clone(), Export { csv, expires_at });
    }
    Ok(success(
        Operation::TransactionExport,
        json!({
            "path": format!("{}/_sandbox/exports/{token}.csv", base_url(&headers)),
            "expiresAt": plain(expires_at),
        }),
    ))
}

/// GET /transaction/{id}/event (undocumented upstream): the webhook events of the transaction.
pub(crate) async fn event(Extension(integration): Extension<Arc<Integration>>, Path(id): Path<String>) -> ApiResult {
    let state = integration.state.lock();
    let index = by_id(&state, &id)?;
    let tx = &state.transactions[index];
    let events: Vec<Value> = state
        .deliveries
        .iter()
        .filter(|d| d.transaction_id == tx.id)
        .map(|d| {
            json!({
                "event": d.event,
                "status": d.status.as_str(),
                "attempts": d.attempts.len(),
                "createdAt": iso(d.created_at),
            })
        })
        .collect();
    Ok(success(Operation::TransactionEvent, json!({"id": tx.id, "reference": tx.reference, "events": events})))
}

/// GET /transaction/{id}/session (undocumented upstream): the checkout session of the transaction.
pub(crate) async fn session(Extension(integration): Extension<Arc<Integration>>, Path(id): Path<String>) -> ApiResult {
    let state = integration.state.lock();
    let index = by_id(&state, &id)?;
    let tx = &state.transactions[index];
    let completed = tx.steps.last().map(|s| iso(s.at));
    Ok(success(
        Operation::TransactionSession,
        json!({
            "id": tx.id,
            "reference": tx.reference,
            "status": tx.status.as_str(),
            "channel": "card",
            "access_code": tx.access_code,
            "callback_url": tx.callback_url,
            "ip_address": tx.ip_address,
            "started_at": iso(tx.created_at),
            "completed_at": completed,
        }),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        assert_eq!(decode_cursor(&encode_cursor(4_013_709_635)).unwrap(), 4_013_709_635);
        assert!(decode_cursor("nonsense").is_err());
    }

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
