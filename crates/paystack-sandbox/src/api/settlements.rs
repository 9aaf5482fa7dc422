//! Settlements (docs/paystack-api.md §8.1, §8.2): the list with its filters, and a settlement's
//! transactions at both spellings of the path.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{OriginalUri, Path, RawQuery};
use axum::http::StatusCode;
use paystack_facts::Operation;
use paystack_facts::enums::{SETTLEMENT_MAIN_ACCOUNT, SETTLEMENT_STATUSES};
use paystack_facts::messages;
use serde_json::Value;

use super::envelope::{ApiError, ApiResult, success_list};
use super::params::{DateRange, Paging, query_map, status_filter};
use crate::integration::Integration;
use crate::state::IntegrationState;
use crate::views;
use crate::views::Each;
use crate::views::transactions::ListItem;

fn not_found() -> ApiError {
    ApiError::not_found(StatusCode::NOT_FOUND, messages::SETTLEMENT_NOT_FOUND)
}

/// A settlement by its numeric id (anything else is not one).
pub(crate) fn find(state: &IntegrationState, id: &str) -> Option<usize> {
    id.trim().parse::<u64>().ok().and_then(|id| state.settlements.by_id(id))
}

/// GET /settlement — newest first; `status`, `subaccount`, `from` / `to` (on `settlement_date`).
/// The sandbox has no subaccounts: `subaccount=none` (the main account) keeps every settlement,
/// any subaccount id none.
pub(crate) async fn list(Extension(integration): Extension<Arc<Integration>>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_map(raw.as_deref());
    let paging = Paging::from_query(&q)?;
    let range = DateRange::from_query(&q)?;
    let status = status_filter(&q, SETTLEMENT_STATUSES)?;
    let main_account = q
        .get("subaccount")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .is_none_or(|s| s.eq_ignore_ascii_case(SETTLEMENT_MAIN_ACCOUNT));
    let state = integration.state.lock();
    let matching = (0..state.settlements.len()).rev().filter(|s| {
        let settlement = &state.settlements[*s];
        main_account
            && range.contains(settlement.settlement_date)
            && status.as_deref().is_none_or(|wanted| wanted == settlement.status.as_str())
    });
    let (page, meta) = paging.select(matching);
    let data: Vec<Value> = page.iter().map(|s| views::settlements::settlement(&state, *s)).collect();
    Ok(success_list(Operation::SettlementFetch, data, Value::Object(meta)))
}

/// GET /settlement/{id}/transactions and /settlement/{id}/transaction — the transactions it paid
/// out, newest first, `from` / `to` on their creation; `meta.total_volume` in major units.
pub(crate) async fn transactions(
    Extension(integration): Extension<Arc<Integration>>,
    Path(id): Path<String>,
    OriginalUri(uri): OriginalUri,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let q = query_map(raw.as_deref());
    let paging = Paging::from_query(&q)?;
    let range = DateRange::from_query(&q)?;
    let state = integration.state.lock();
    let settlement = find(&state, &id).ok_or_else(not_found)?;
    let matching = state.settlements[settlement]
        .transactions
        .iter()
        .rev()
        .copied()
        .filter(|t| range.contains(state.transactions[*t].created_at));
    let (page, mut meta) = paging.select(matching);
    let volume: u64 = page.iter().map(|t| state.transactions[*t].amount).sum();
    let mut ordered = serde_json::Map::new();
    ordered.insert("total".into(), meta.remove("total").unwrap_or(Value::Null));
    ordered.insert("total_volume".into(), views::settlements::major_units(volume));
    ordered.extend(meta);
    let operation = if uri.path().trim_end_matches('/').ends_with('s') {
        Operation::SettlementTransactions
    } else {
        Operation::SettlementTransaction
    };
    let data = Each { items: &page, view: |index| ListItem { st: &state, index } };
    Ok(success_list(operation, data, Value::Object(ordered)))
}
