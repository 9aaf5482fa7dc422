//! GET /transaction/export (docs/paystack-api.md T9): a CSV the sandbox serves itself.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use paystack_facts::Operation;
use paystack_facts::enums::TRANSACTION_EXPORT_STATUSES;
use paystack_facts::pagination;
use serde_json::json;

use super::envelope::{ApiResult, success};
use super::params::{Paging, base_url, query_map};
use super::transaction_lists::ListFilter;
use crate::clock::{iso, plain};
use crate::integration::Integration;
use crate::registry::{Export, Registry};
use crate::state::IntegrationState;

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
    State(registry): State<Arc<Registry>>,
    Extension(integration): Extension<Arc<Integration>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let q = query_map(raw.as_deref());
    let paging = Paging::from_query(&q)?;
    let (csv, token) = {
        let mut state = integration.state.lock();
        let filter = ListFilter::from_query(&q, TRANSACTION_EXPORT_STATUSES, &state)?;
        let matching = filter.select(&state);
        // Everything matching, unless the caller asked for a page (perPage / page).
        let paged =
            [pagination::PER_PAGE, pagination::PER_PAGE_ALIAS, pagination::PAGE].iter().any(|k| q.contains_key(*k));
        let page = if paged { paging.slice(&matching).0 } else { &matching[..] };
        let mut csv = EXPORT_COLUMNS.join(",");
        csv.push('\n');
        for index in page {
            csv.push_str(&csv_row(&state, *index));
            csv.push('\n');
        }
        (csv, state.export_token())
    };
    let now = registry.clock.now();
    let expires_at = now + i64::try_from(registry.config.export_ttl_ms).unwrap_or(i64::MAX / 2);
    {
        let mut exports = registry.exports.lock();
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
