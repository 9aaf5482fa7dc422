//! The dashboard's payouts page: the settlements (Paystack's figures and whether they equal the
//! sums of their transactions, fees and deductions), each settlement's transactions, and the
//! refunds with what settlements have deducted of them. Read-only; every value escaped by maud.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use maud::{Markup, html};

use super::dashboard::{Section, page_number, pager, shell, when};
use super::html::badge;
use super::money::format_amount;
use super::session::SignedIn;
use crate::registry::Registry;
use crate::state::IntegrationState;
use crate::wire::query_map;

const SETTLEMENTS_PER_PAGE: usize = 50;
const TRANSACTIONS_PER_PAGE: usize = 100;

/// Whether a settlement's figures are the sums of what it is made of.
fn balanced(state: &IntegrationState, index: usize) -> bool {
    let s = &state.settlements[index];
    let processed: u64 = s.transactions.iter().map(|t| state.transactions[*t].amount).sum();
    let fees: u64 = s.transactions.iter().map(|t| state.transactions[*t].fees.unwrap_or(0)).sum();
    processed == s.total_processed && fees == s.total_fees && s.effective_amount() + s.deductions() + fees == processed
}

fn settlements_table(state: &IntegrationState, rows: impl Iterator<Item = usize>) -> Markup {
    html! {
        table #settlements {
            thead { tr {
                th { "Settlement" } th { "Date" } th { "Status" } th.num { "Transactions" } th.num { "Processed" }
                th.num { "Fees" } th.num { "Deductions" } th.num { "Paid out" } th { "Adds up" }
            } }
            tbody {
                @for index in rows {
                    @let s = &state.settlements[index];
                    tr data-settlement=(s.id) data-status=(s.status.as_str()) {
                        td { a href={ (Section::Payouts.path()) "/" (s.id) } { (s.id) } }
                        td { (when(s.settlement_date)) }
                        td { (badge(s.status.as_str())) }
                        td.num { (s.transactions.len()) }
                        td.num { (format_amount(s.total_processed, &s.currency)) }
                        td.num { (format_amount(s.total_fees, &s.currency)) }
                        td.num { (format_amount(s.deductions(), &s.currency)) }
                        td.num { (format_amount(s.effective_amount(), &s.currency)) }
                        td { @if balanced(state, index) { "yes" } @else { strong { "no" } } }
                    }
                }
            }
        }
    }
}

fn refunds_table(state: &IntegrationState) -> Markup {
    html! {
        table #refunds {
            thead { tr {
                th { "Refund" } th { "Transaction" } th.num { "Amount" } th { "Status" } th { "Created" }
                th.num { "Deducted" } th { "Settlement" } th { "Note" }
            } }
            tbody {
                @for index in (0..state.refunds.len()).rev() {
                    @let r = &state.refunds[index];
                    @let tx = &state.transactions[r.transaction];
                    tr data-refund=(r.id) data-status=(r.status.as_str()) {
                        td { (r.id) }
                        td { code { (tx.reference) } }
                        td.num { (format_amount(r.amount, &r.currency)) }
                        td { (badge(r.status.as_str())) }
                        td { (when(r.created_at)) }
                        td.num { (format_amount(r.deducted_amount, &r.currency)) }
                        td { @if let Some(s) = r.settlement { (state.settlements[s].id) } @else { span.muted { "—" } } }
                        td { (r.merchant_note) }
                    }
                }
            }
        }
    }
}

/// GET /_sandbox/dashboard/payouts?page=
pub(crate) async fn payouts(
    SignedIn(integration): SignedIn,
    State(registry): State<Arc<Registry>>,
    RawQuery(raw): RawQuery,
) -> Response {
    let page = page_number(&query_map(raw.as_deref()));
    let now = registry.clock.now();
    let state = integration.state.lock();
    let total = state.settlements.len();
    let rows = (0..total).rev().skip((page - 1) * SETTLEMENTS_PER_PAGE).take(SETTLEMENTS_PER_PAGE);
    let unsettled = state.settlements.unsettled.len();
    let content = html! {
        h1 { "Payouts" }
        p.muted #clock { "Sandbox time " (when(now)) ". Successful transactions settle the next day at 01:00 UTC, paid at 09:00." }
        h2 { "Settlements" }
        @if total == 0 { p.muted { "No settlement yet." } } @else {
            (settlements_table(&state, rows))
            (pager(Section::Payouts.path(), page, SETTLEMENTS_PER_PAGE, total))
        }
        p #unsettled { (unsettled) " successful transaction(s) waiting for their settlement." }
        h2 { "Refunds" }
        @if state.refunds.len() == 0 { p.muted { "No refund yet." } } @else { (refunds_table(&state)) }
    };
    drop(state);
    shell(Section::Payouts, &integration, false, content)
}

/// GET /_sandbox/dashboard/payouts/{id}: one settlement and its transactions.
pub(crate) async fn settlement(
    SignedIn(integration): SignedIn,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let page = page_number(&query_map(raw.as_deref()));
    let state = integration.state.lock();
    let Some(index) = crate::api::settlements::find(&state, &id) else {
        drop(state);
        let content =
            html! { h1 { "Settlement not found" } p { "No settlement " code { (id) } " in this integration." } };
        return shell(Section::Payouts, &integration, false, content);
    };
    let s = &state.settlements[index];
    let base = format!("{}/{}", Section::Payouts.path(), s.id);
    let content = html! {
        h1 { "Settlement " (s.id) " " (badge(s.status.as_str())) }
        (settlements_table(&state, std::iter::once(index)))
        h2 { "Its transactions" }
        table #transactions {
            thead { tr { th { "Reference" } th { "Paid" } th.num { "Amount" } th.num { "Fees" } th.num { "Net" } } }
            tbody {
                @for t in s.transactions.iter().skip((page - 1) * TRANSACTIONS_PER_PAGE).take(TRANSACTIONS_PER_PAGE) {
                    @let tx = &state.transactions[*t];
                    @let fees = tx.fees.unwrap_or(0);
                    tr data-reference=(tx.reference) {
                        td { code { (tx.reference) } }
                        td { @if let Some(paid) = tx.paid_at { (when(paid)) } }
                        td.num { (format_amount(tx.amount, &tx.currency)) }
                        td.num { (format_amount(fees, &tx.currency)) }
                        td.num { (format_amount(tx.amount.saturating_sub(fees), &tx.currency)) }
                    }
                }
            }
        }
        (pager(&base, page, TRANSACTIONS_PER_PAGE, s.transactions.len()))
        @if !s.deducted.is_empty() {
            h2 { "Refunds deducted" }
            ul #deducted {
                @for (refund, amount) in &s.deducted {
                    li { "Refund " (state.refunds[*refund].id) ": " (format_amount(*amount, &s.currency)) }
                }
            }
        }
    };
    drop(state);
    // No reloading: settlements and refunds change hours apart, when the clock gets there.
    shell(Section::Payouts, &integration, false, content)
}
