//! Listing transactions (docs/paystack-api.md T3, T8): the list, offset or cursor paged, and the
//! totals.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Extension;
use axum::extract::RawQuery;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use paystack_facts::Operation;
use paystack_facts::enums::TRANSACTION_LIST_STATUSES;
use serde_json::{Value, json};

use super::envelope::{ApiError, ApiResult, success, success_list};
use super::params::{DateRange, Paging, query_map};
use crate::integration::Integration;
use crate::state::IntegrationState;
use crate::state::records::TxStatus;
use crate::state::settlements::SettlementStatus;
use crate::views::Each;
use crate::views::transactions::ListItem;

/// Filters of GET /transaction (and of the export).
pub(crate) struct ListFilter {
    range: DateRange,
    status: Option<String>,
    customer_id: Option<u64>,
    customer_code: Option<String>,
    amount: Option<u64>,
    channel: Option<String>,
    currency: Option<String>,
    /// The sandbox has no POS terminals: a terminal filter matches nothing.
    terminal: bool,
    /// `settlement=ID`: only that settlement's transactions (docs/paystack-api.md §8.2); an
    /// unknown id matches nothing.
    settlement: Option<Option<usize>>,
    /// `settled=true` (the export's): only settled transactions; `false`: only unsettled ones.
    settled: Option<bool>,
}

impl ListFilter {
    pub(crate) fn from_query(
        q: &HashMap<String, String>,
        statuses: &[&str],
        state: &IntegrationState,
    ) -> Result<Self, ApiError> {
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
            settlement: get("settlement").map(|id| super::settlements::find(state, &id)),
            settled: get("settled").map(|v| v == "true" || v == "1"),
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
            && self.settlement.is_none_or(|s| s.is_some() && s == tx.settlement)
            && self.settled.is_none_or(|settled| settled == tx.settlement.is_some())
    }

    /// Matching transactions, newest first.
    pub(crate) fn select(&self, state: &IntegrationState) -> Vec<usize> {
        self.matching(state).collect()
    }

    /// Matching transactions, newest first, as they are found. With `settlement=`, only that
    /// settlement's transactions are looked at, not every transaction of the integration: a
    /// payouts report reads each settlement's pages, and a scan of all of them per page held the
    /// state's lock long enough to dominate a quarter's reconciliation.
    fn matching<'a>(&'a self, state: &'a IntegrationState) -> impl Iterator<Item = usize> + 'a {
        let candidates: Box<dyn Iterator<Item = usize> + 'a> = match self.settlement {
            Some(Some(settlement)) => {
                let mut indices = state.settlements[settlement].transactions.clone();
                indices.sort_unstable_by(|a, b| b.cmp(a));
                Box::new(indices.into_iter())
            }
            _ => Box::new((0..state.transactions.len()).rev()),
        };
        candidates.filter(move |i| self.matches(state, *i))
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
    let state = integration.state.lock();
    let filter = ListFilter::from_query(&q, TRANSACTION_LIST_STATUSES, &state)?;
    let cursor_mode = q.get("use_cursor").is_some_and(|v| v == "true" || v == "1")
        || q.contains_key("next")
        || q.contains_key("previous");
    if cursor_mode {
        let matching = filter.select(&state);
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
        let data = Each { items: &page, view: |index| ListItem { st: &state, index } };
        return Ok(success_list(Operation::TransactionList, data, meta));
    }
    let (page, mut meta) = paging.select(filter.matching(&state));
    // "the sum of all the transactions that have been fetched" [DOC-PAG]: this page's amounts.
    let volume: u64 = page.iter().map(|i| state.transactions[*i].amount).sum();
    let mut ordered = serde_json::Map::new();
    ordered.insert("total".into(), meta.remove("total").unwrap_or(Value::Null));
    ordered.insert("total_volume".into(), volume.into());
    ordered.extend(meta);
    let data = Each { items: &page, view: |index| ListItem { st: &state, index } };
    Ok(success_list(Operation::TransactionList, data, Value::Object(ordered)))
}

/// GET /transaction/totals: successful transactions in the range; `pending_transfers` is what
/// of it no paid (`success`) settlement has paid out yet.
pub(crate) async fn totals(Extension(integration): Extension<Arc<Integration>>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = query_map(raw.as_deref());
    Paging::from_query(&q)?;
    let range = DateRange::from_query(&q)?;
    let state = integration.state.lock();
    let mut by_currency: BTreeMap<&str, u64> = BTreeMap::new();
    let mut pending: BTreeMap<&str, u64> = BTreeMap::new();
    let mut count = 0u64;
    for tx in state.transactions.iter().filter(|t| t.status == TxStatus::Success && range.contains(t.created_at)) {
        count += 1;
        *by_currency.entry(tx.currency.as_str()).or_default() += tx.amount;
        let paid_out = tx.settlement.is_some_and(|s| state.settlements[s].status == SettlementStatus::Success);
        *pending.entry(tx.currency.as_str()).or_default() += if paid_out { 0 } else { tx.amount };
    }
    let volume: u64 = by_currency.values().sum();
    let pending_volume: u64 = pending.values().sum();
    let per_currency: Vec<Value> = by_currency.iter().map(|(c, a)| json!({"currency": c, "amount": a})).collect();
    let pending_per_currency: Vec<Value> = pending.iter().map(|(c, a)| json!({"currency": c, "amount": a})).collect();
    Ok(success(
        Operation::TransactionTotals,
        json!({
            "total_transactions": count,
            "total_volume": volume,
            "total_volume_by_currency": per_currency,
            "pending_transfers": pending_volume,
            "pending_transfers_by_currency": pending_per_currency,
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
}
