//! Bulk-charge batches (docs/paystack-api.md §3.2–§3.5): list, fetch, the charges of a batch,
//! pause and resume.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use paystack_facts::Operation;
use paystack_facts::enums::{BATCH_STATUSES, CHARGE_STATUSES};
use paystack_facts::messages;
use serde_json::Value;

use super::envelope::{ApiError, ApiResult, success, success_list, success_without_data};
use super::params::{DateRange, Paging, query_map, status_filter};
use crate::commit::commit;
use crate::integration::Integration;
use crate::registry::Registry;
use crate::views;
use crate::views::Each;
use crate::views::batches::{BatchListItem, ChargeItem};

fn batch_not_found() -> ApiError {
    ApiError::not_found(StatusCode::NOT_FOUND, messages::BULK_CHARGE_NOT_FOUND)
}

/// GET /bulkcharge — batches, newest first.
pub(crate) async fn list(Extension(integration): Extension<Arc<Integration>>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_map(raw.as_deref());
    let paging = Paging::from_query(&q)?;
    let range = DateRange::from_query(&q)?;
    let status = status_filter(&q, BATCH_STATUSES)?;
    let state = integration.state.lock();
    let matching = (0..state.batches.len()).rev().filter(|b| {
        let batch = &state.batches[*b];
        range.contains(batch.created_at) && status.as_deref().is_none_or(|s| s == batch.status.as_str())
    });
    let (page, meta) = paging.select(matching);
    let data = Each { items: &page, view: |batch| BatchListItem { st: &state, batch } };
    Ok(success_list(Operation::BulkChargeList, data, Value::Object(meta)))
}

/// GET /bulkcharge/{id_or_code}.
pub(crate) async fn fetch(
    Extension(integration): Extension<Arc<Integration>>,
    Path(id_or_code): Path<String>,
) -> ApiResult {
    let state = integration.state.lock();
    let batch = state.batches.find(&id_or_code).ok_or_else(batch_not_found)?;
    Ok(success(Operation::BulkChargeFetch, views::batches::batch(&state, batch)))
}

/// GET /bulkcharge/{id_or_code}/charges — in submission order.
pub(crate) async fn charges(
    Extension(integration): Extension<Arc<Integration>>,
    Path(id_or_code): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let q = query_map(raw.as_deref());
    let paging = Paging::from_query(&q)?;
    let range = DateRange::from_query(&q)?;
    let status = status_filter(&q, CHARGE_STATUSES)?;
    let state = integration.state.lock();
    let batch = state.batches.find(&id_or_code).ok_or_else(batch_not_found)?;
    let matching = state.batches[batch].charges.iter().copied().filter(|c| {
        let charge = &state.batches.charges[*c];
        range.contains(charge.created_at) && status.as_deref().is_none_or(|s| s == charge.status.as_str())
    });
    let (page, meta) = paging.select(matching);
    let data = Each { items: &page, view: |charge| ChargeItem { st: &state, charge } };
    Ok(success_list(Operation::BulkChargeCharges, data, Value::Object(meta)))
}

fn set_paused(registry: &Registry, integration: &Arc<Integration>, code: &str, paused: bool) -> Result<(), ApiError> {
    commit(registry, integration, |state| {
        let batch = state.batches.find(code).ok_or_else(batch_not_found)?;
        let interval = state.settings.process_interval_ms;
        state.set_paused(batch, paused, interval).map_err(ApiError::from)
    })?;
    integration.wake.notify_one();
    Ok(())
}

/// GET /bulkcharge/pause/{batch_code} — answers without `data`.
pub(crate) async fn pause(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    Path(code): Path<String>,
) -> ApiResult {
    set_paused(&registry, &integration, &code, true)?;
    Ok(success_without_data(Operation::BulkChargePause))
}

/// GET /bulkcharge/resume/{batch_code} — answers without `data`.
pub(crate) async fn resume(
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    Path(code): Path<String>,
) -> ApiResult {
    set_paused(&registry, &integration, &code, false)?;
    Ok(success_without_data(Operation::BulkChargeResume))
}
