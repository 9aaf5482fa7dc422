//! The dashboard at `/_sandbox/`: what an app did to one integration, as HTML. An overview, then
//! a page per concern: transactions (filtered by status), batches with progress bars and their
//! charges, payouts (`payouts`: settlements and their transactions, refunds), webhook deliveries
//! with every attempt and payload, the ledger, the request log with faults marked, and the fault
//! rules with the settings. Read-only: it changes nothing. Pages
//! that show a batch being processed (or a webhook being retried) reload themselves every
//! second until it is done. The integration's key never appears; nor does any header the
//! request log redacts.

use std::collections::HashMap;

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::Value;

use super::html::{badge, page, respond};
use super::money::format_amount;
use super::session::SignedIn;
use crate::clock::plain;
use crate::deliveries::{Delivery, DeliveryStatus};
use crate::integration::Integration;
use crate::registry::checkout_path as checkout_url;
use crate::request_log::RequestEntry;
use crate::state::IntegrationState;
use crate::state::records::{BatchStatus, Origin, Transaction, TxStatus};
use crate::wire::query_map;

/// Seconds between two reloads of a page whose data is still changing.
const REFRESH_SECONDS: u32 = 1;

const TRANSACTIONS_PER_PAGE: usize = 50;
const WEBHOOKS_PER_PAGE: usize = 25;
const ROWS_PER_PAGE: usize = 100;

/// The statuses a sandbox transaction can have, for the filter.
const STATUSES: [TxStatus; 4] = [TxStatus::Success, TxStatus::Failed, TxStatus::Abandoned, TxStatus::Queued];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Overview,
    Transactions,
    Batches,
    Payouts,
    Webhooks,
    Ledger,
    Requests,
    Faults,
}

impl Section {
    const ALL: [Section; 8] = [
        Section::Overview,
        Section::Transactions,
        Section::Batches,
        Section::Payouts,
        Section::Webhooks,
        Section::Ledger,
        Section::Requests,
        Section::Faults,
    ];

    fn title(self) -> &'static str {
        match self {
            Section::Overview => "Overview",
            Section::Transactions => "Transactions",
            Section::Batches => "Batches",
            Section::Payouts => "Payouts",
            Section::Webhooks => "Webhooks",
            Section::Ledger => "Ledger",
            Section::Requests => "Requests",
            Section::Faults => "Faults & settings",
        }
    }

    pub(super) fn path(self) -> &'static str {
        match self {
            Section::Overview => "/_sandbox/",
            Section::Transactions => "/_sandbox/dashboard/transactions",
            Section::Batches => "/_sandbox/dashboard/batches",
            Section::Payouts => "/_sandbox/dashboard/payouts",
            Section::Webhooks => "/_sandbox/dashboard/webhooks",
            Section::Ledger => "/_sandbox/dashboard/ledger",
            Section::Requests => "/_sandbox/dashboard/requests",
            Section::Faults => "/_sandbox/dashboard/faults",
        }
    }
}

pub(super) fn shell(section: Section, integration: &Integration, refresh: bool, content: Markup) -> Response {
    let domain = integration.domain.as_str();
    let body = html! {
        header.bar {
            span.brand { "paystack-rs sandbox" }
            @for s in Section::ALL {
                a.here[s == section] href=(s.path()) { (s.title()) }
            }
            form method="post" action="/_sandbox/logout" {
                span.muted #integration { "Integration #" (integration.id) " · " (domain) " " }
                button.cancel type="submit" #sign-out { "Sign out" }
            }
        }
        main { (content) }
    };
    respond(StatusCode::OK, page(section.title(), refresh.then_some(REFRESH_SECONDS), body))
}

/// Whether something the dashboard shows is still changing by itself.
fn busy(state: &IntegrationState) -> bool {
    state.batches.open.iter().any(|&b| state.batches[b].status == BatchStatus::Active)
}

fn webhooks_pending(integration: &Integration) -> bool {
    integration.deliveries.lock().iter().any(|d| d.status == DeliveryStatus::Pending)
}

pub(super) fn page_number(query: &HashMap<String, String>) -> usize {
    query.get("page").and_then(|p| p.trim().parse::<usize>().ok()).filter(|p| *p >= 1).unwrap_or(1)
}

/// "Newer / page N of M / older" links; `base` already carries the filters.
pub(super) fn pager(base: &str, page: usize, per_page: usize, total: usize) -> Markup {
    let pages = total.div_ceil(per_page).max(1);
    let sep = if base.contains('?') { '&' } else { '?' };
    html! {
        div.pager {
            @if page > 1 { a href={ (base) (sep) "page=" (page - 1) } { "← newer" } }
            span.muted { "page " (page) " of " (pages) " · " (total) " in all" }
            @if page < pages { a href={ (base) (sep) "page=" (page + 1) } { "older →" } }
        }
    }
}

pub(super) fn when(ms: i64) -> Markup {
    html! { span title=(crate::clock::iso(ms)) { (plain(ms)) } }
}

fn origin(state: &IntegrationState, tx: &Transaction) -> Markup {
    match &tx.origin {
        Origin::Initialize => html! { "initialize" },
        Origin::ChargeAuthorization => html! { "charge_authorization" },
        Origin::PartialDebit => html! { "partial_debit" },
        Origin::BulkCharge { batch } => {
            let code = &state.batches[*batch].code;
            html! { "bulk " a href={ (Section::Batches.path()) "/" (code) } { (code) } }
        }
    }
}

fn transactions_table<'a>(state: &'a IntegrationState, rows: impl Iterator<Item = &'a Transaction>) -> Markup {
    html! {
        table #transactions {
            thead { tr {
                th { "Created (UTC)" } th { "Reference" } th { "Status" } th.num { "Amount" }
                th { "Customer" } th { "Via" } th { "Gateway response" } th {}
            } }
            tbody {
                @for tx in rows {
                    tr data-reference=(tx.reference) data-status=(tx.status.as_str()) {
                        td { (when(tx.created_at)) }
                        td { code { (tx.reference) } }
                        td { (badge(tx.status.as_str())) }
                        td.num { (format_amount(tx.amount, &tx.currency)) }
                        td { (state.customers[tx.customer].email) }
                        td { (origin(state, tx)) }
                        td { (tx.gateway_response) }
                        td {
                            @if let (TxStatus::Abandoned, Some(code)) = (tx.status, tx.access_code.as_deref()) {
                                a href=(checkout_url(code)) { "checkout page" }
                            }
                        }
                    }
                }
            }
        }
    }
}

struct BatchRow {
    code: String,
    status: &'static str,
    total: usize,
    done: usize,
    succeeded: usize,
    failed: usize,
    created_at: i64,
}

fn batch_row(state: &IntegrationState, batch: usize) -> BatchRow {
    use crate::state::records::ChargeStatus;
    let b = &state.batches[batch];
    let count = |status| b.charges.iter().filter(|&&c| state.batches.charges[c].status == status).count();
    BatchRow {
        code: b.code.clone(),
        status: b.status.as_str(),
        total: b.charges.len(),
        done: b.charges.len() - b.queue.len(),
        succeeded: count(ChargeStatus::Success),
        failed: count(ChargeStatus::Failed),
        created_at: b.created_at,
    }
}

fn progress(row: &BatchRow) -> Markup {
    html! {
        progress value=(row.done) max=(row.total.max(1)) data-batch=(row.code) {}
        " " span.count data-batch=(row.code) { (row.done) " / " (row.total) }
    }
}

fn batches_table(rows: &[BatchRow]) -> Markup {
    html! {
        table #batches {
            thead { tr {
                th { "Created (UTC)" } th { "Batch" } th { "Status" } th { "Progress" }
                th.num { "Succeeded" } th.num { "Failed" }
            } }
            tbody {
                @for row in rows {
                    tr data-batch=(row.code) data-status=(row.status) {
                        td { (when(row.created_at)) }
                        td { a href={ (Section::Batches.path()) "/" (row.code) } { code { (row.code) } } }
                        td { (badge(row.status)) }
                        td { (progress(row)) }
                        td.num { (row.succeeded) }
                        td.num { (row.failed) }
                    }
                }
            }
        }
    }
}

fn delivery_status(d: &Delivery) -> &'static str {
    d.status.as_str()
}

fn webhooks_table<'a>(deliveries: impl Iterator<Item = &'a Delivery>, expanded: bool) -> Markup {
    html! {
        table #webhooks {
            thead { tr { th { "Created (UTC)" } th { "Event" } th { "Reference" } th { "Status" } th.num { "Attempts" } th { "URL" } } }
            tbody {
                @for d in deliveries {
                    tr data-reference=(d.reference) data-status=(delivery_status(d)) {
                        td { (when(d.created_at)) }
                        td { code { (d.event) } }
                        td { code { (d.reference) } }
                        td { (badge(delivery_status(d))) }
                        td.num { (d.attempts.len()) }
                        td { code { (display_url(&d.url)) } }
                    }
                    @if expanded {
                        tr { td colspan="6" {
                            details {
                                summary { "Attempts, signature and payload" }
                                table {
                                    thead { tr { th { "At (UTC)" } th { "HTTP status" } th { "Error" } th.num { "Duration" } } }
                                    tbody {
                                        @for a in &d.attempts {
                                            tr.fault[a.status_code != Some(200)] {
                                                td { (when(a.at)) }
                                                td { @if let Some(code) = a.status_code { (code) } @else { "—" } }
                                                td { @if let Some(error) = &a.error { (error) } }
                                                td.num { (a.duration_ms) " ms" }
                                            }
                                        }
                                    }
                                }
                                p { "x-paystack-signature: " code { (d.signature) } }
                                pre { (pretty_body(&d.body)) }
                            }
                        } }
                    }
                }
            }
        }
    }
}

/// A URL as shown: without any user:password@ part.
fn display_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => format!("{scheme}://[redacted]@{}", &rest[at + 1..]),
                None => url.to_string(),
            }
        }
        None => url.to_string(),
    }
}

fn pretty_body(body: &[u8]) -> String {
    serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned())
}

fn requests_table<'a>(entries: impl Iterator<Item = &'a RequestEntry>, expanded: bool) -> Markup {
    html! {
        table #requests {
            thead { tr { th.num { "#" } th { "At (UTC)" } th { "Request" } th { "Fault" } } }
            tbody {
                @for e in entries {
                    tr.fault[e.fault.is_some()] data-seq=(e.seq) data-fault=[e.fault.as_deref()] {
                        td.num { (e.seq) }
                        td { (when(e.at)) }
                        td {
                            code { (e.method) " " (e.path) @if let Some(q) = &e.query { "?" (q) } }
                            @if expanded {
                                details {
                                    summary { "Headers and body" }
                                    pre { @for (name, value) in &e.headers { (name) ": " (value) "\n" } }
                                    @if !e.body.is_empty() { pre { (pretty_body(&e.body)) } }
                                }
                            }
                        }
                        td { @if let Some(fault) = &e.fault { span.badge.fault { (fault) } } }
                    }
                }
            }
        }
    }
}

/// GET /_sandbox/: the overview, or the sign-in form.
pub(crate) async fn overview(SignedIn(integration): SignedIn) -> Response {
    let (stats, batches, latest, refresh) = {
        let state = integration.state.lock();
        let mut by_status: Vec<(&str, usize)> = STATUSES.iter().map(|s| (s.as_str(), 0)).collect();
        for tx in state.transactions.iter() {
            if let Some(entry) = by_status.iter_mut().find(|(name, _)| *name == tx.status.as_str()) {
                entry.1 += 1;
            }
        }
        let open: Vec<BatchRow> = state.batches.open.iter().rev().map(|&b| batch_row(&state, b)).collect();
        let latest = transactions_table(&state, state.transactions.iter().rev().take(10));
        let stats = (state.transactions.len(), by_status, state.batches.len(), state.ledger.entries().len());
        (stats, open, latest, busy(&state))
    };
    let (webhooks, webhook_counts) = {
        let deliveries = integration.deliveries.lock();
        let all: Vec<&Delivery> = deliveries.iter().collect();
        let count = |status| all.iter().filter(|d| d.status == status).count();
        let counts = (count(DeliveryStatus::Delivered), count(DeliveryStatus::Pending), count(DeliveryStatus::Failed));
        (webhooks_table(all.iter().rev().take(5).copied(), false), counts)
    };
    let (requests, request_count, fault_count) = {
        let log = integration.requests.lock();
        let entries: Vec<&RequestEntry> = log.entries().collect();
        let faults = entries.iter().filter(|e| e.fault.is_some()).count();
        (requests_table(entries.iter().rev().take(10).copied(), false), entries.len(), faults)
    };
    let rules = integration.faults.lock().config().rules.len();
    let (total, by_status, batch_count, ledger_count) = stats;
    let refresh = refresh || webhook_counts.1 > 0;
    let content = html! {
        h1 { "Overview" }
        div.cards {
            div.stat #stat-transactions { b { (total) } "transactions" br;
                span.muted { @for (name, n) in &by_status { (n) " " (name) " " } } }
            div.stat { b { (batch_count) } "batches" br; span.muted { (batches.len()) " in progress" } }
            div.stat { b { (webhook_counts.0 + webhook_counts.1 + webhook_counts.2) } "webhooks" br;
                span.muted { (webhook_counts.0) " delivered " (webhook_counts.1) " pending " (webhook_counts.2) " failed" } }
            div.stat { b { (ledger_count) } "ledger entries" }
            div.stat { b { (request_count) } "requests" br; span.muted { (fault_count) " with a fault" } }
            div.stat { b { (rules) } "fault rules" }
        }
        h2 { "Batches in progress" }
        @if batches.is_empty() { p.muted { "None." } } @else { (batches_table(&batches)) }
        h2 { "Latest transactions " a href=(Section::Transactions.path()) { "all →" } }
        (latest)
        h2 { "Latest webhooks " a href=(Section::Webhooks.path()) { "all →" } }
        (webhooks)
        h2 { "Latest requests " a href=(Section::Requests.path()) { "all →" } }
        (requests)
    };
    shell(Section::Overview, &integration, refresh, content)
}

/// GET /_sandbox/dashboard/transactions?status=&page=
pub(crate) async fn transactions(SignedIn(integration): SignedIn, RawQuery(raw): RawQuery) -> Response {
    let query = query_map(raw.as_deref());
    let status = query.get("status").and_then(|s| STATUSES.into_iter().find(|t| t.as_str() == s));
    let page = page_number(&query);
    let state = integration.state.lock();
    let matches = |tx: &&Transaction| status.is_none_or(|s| tx.status == s);
    let total = state.transactions.iter().filter(matches).count();
    let rows = state
        .transactions
        .iter()
        .rev()
        .filter(matches)
        .skip((page - 1) * TRANSACTIONS_PER_PAGE)
        .take(TRANSACTIONS_PER_PAGE);
    let base = match status {
        Some(s) => format!("{}?status={}", Section::Transactions.path(), s.as_str()),
        None => Section::Transactions.path().to_string(),
    };
    let content = html! {
        h1 { "Transactions" }
        p.filters #filters {
            "Status: "
            a.here[status.is_none()] href=(Section::Transactions.path()) { "all" }
            @for s in STATUSES {
                a.here[status == Some(s)] href={ (Section::Transactions.path()) "?status=" (s.as_str()) } { (s.as_str()) }
            }
        }
        (transactions_table(&state, rows))
        (pager(&base, page, TRANSACTIONS_PER_PAGE, total))
    };
    let refresh = busy(&state);
    drop(state);
    shell(Section::Transactions, &integration, refresh, content)
}

/// GET /_sandbox/dashboard/batches
pub(crate) async fn batches(SignedIn(integration): SignedIn) -> Response {
    let (rows, refresh) = {
        let state = integration.state.lock();
        let rows: Vec<BatchRow> = (0..state.batches.len()).rev().map(|b| batch_row(&state, b)).collect();
        (rows, busy(&state))
    };
    let content = html! {
        h1 { "Batches" }
        @if rows.is_empty() { p.muted { "No bulk charge yet." } } @else { (batches_table(&rows)) }
    };
    shell(Section::Batches, &integration, refresh, content)
}

/// GET /_sandbox/dashboard/batches/{code}: one batch and its charges.
pub(crate) async fn batch(SignedIn(integration): SignedIn, Path(code): Path<String>) -> Response {
    let state = integration.state.lock();
    let Some(index) = state.batches.find(&code) else {
        drop(state);
        let content = html! { h1 { "Batch not found" } p { "No batch " code { (code) } " in this integration." } };
        return shell(Section::Batches, &integration, false, content);
    };
    let row = batch_row(&state, index);
    let b = &state.batches[index];
    let active = b.status == BatchStatus::Active;
    let content = html! {
        h1 { "Batch " code { (b.code) } " " (badge(row.status)) }
        p { (progress(&row)) " · " (row.succeeded) " succeeded · " (row.failed) " failed · created " (when(b.created_at)) }
        table #charges {
            thead { tr {
                th.num { "#" } th { "Reference" } th { "Customer" } th { "Authorization" } th.num { "Amount" }
                th { "Status" } th.num { "Attempts" } th { "Message" }
            } }
            tbody {
                @for (i, &c) in b.charges.iter().enumerate() {
                    @let charge = &state.batches.charges[c];
                    @let tx = &state.transactions[charge.transaction];
                    tr data-reference=(tx.reference) data-status=(charge.status.as_str()) {
                        td.num { (i + 1) }
                        td { code { (tx.reference) } }
                        td { (state.customers[charge.customer].email) }
                        td { code { (charge.authorization) } }
                        td.num { (format_amount(charge.amount, &tx.currency)) }
                        td { (badge(charge.status.as_str())) }
                        td.num { (charge.attempts) }
                        td { (charge.message) }
                    }
                }
            }
        }
    };
    drop(state);
    shell(Section::Batches, &integration, active, content)
}

/// GET /_sandbox/dashboard/webhooks?page=
pub(crate) async fn webhooks(SignedIn(integration): SignedIn, RawQuery(raw): RawQuery) -> Response {
    let page = page_number(&query_map(raw.as_deref()));
    let url = integration.state.lock().settings.webhook_url.clone();
    let (table, total) = {
        let deliveries = integration.deliveries.lock();
        let all: Vec<&Delivery> = deliveries.iter().collect();
        let rows = all.iter().rev().skip((page - 1) * WEBHOOKS_PER_PAGE).take(WEBHOOKS_PER_PAGE).copied();
        (webhooks_table(rows, true), all.len())
    };
    let refresh = webhooks_pending(&integration);
    let content = html! {
        h1 { "Webhooks" }
        p { "Webhook URL: " @match &url { Some(url) => code { (display_url(url)) }, None => span.muted { "none (set webhook_url to receive charge.success)" } } }
        (table)
        (pager(Section::Webhooks.path(), page, WEBHOOKS_PER_PAGE, total))
    };
    shell(Section::Webhooks, &integration, refresh, content)
}

/// GET /_sandbox/dashboard/ledger?page=
pub(crate) async fn ledger(SignedIn(integration): SignedIn, RawQuery(raw): RawQuery) -> Response {
    let page = page_number(&query_map(raw.as_deref()));
    let state = integration.state.lock();
    let entries = state.ledger.entries();
    let content = html! {
        h1 { "Ledger" }
        p.muted { "Every state change that charged, tried to charge or changed a batch, newest first." }
        table #ledger {
            thead { tr {
                th.num { "#" } th { "At (UTC)" } th { "Operation" } th { "Reference" } th.num { "Amount" }
                th { "Outcome" } th.num { "Attempt" } th { "Gateway response" } th { "Batch" }
            } }
            tbody {
                @for e in entries.iter().rev().skip((page - 1) * ROWS_PER_PAGE).take(ROWS_PER_PAGE) {
                    tr data-reference=(e.reference) data-outcome=(e.outcome) {
                        td.num { (e.seq) }
                        td { (when(e.at)) }
                        td { code { (e.operation) } }
                        td { code { (e.reference) } }
                        td.num { (format_amount(e.amount, &e.currency)) }
                        td { (badge(&e.outcome)) }
                        td.num { @if let Some(a) = e.attempt { (a) } }
                        td { @if let Some(g) = &e.gateway_response { (g) } }
                        td { @if let Some(code) = &e.batch_code { code { (code) } } }
                    }
                }
            }
        }
        (pager(Section::Ledger.path(), page, ROWS_PER_PAGE, entries.len()))
    };
    let refresh = busy(&state);
    drop(state);
    shell(Section::Ledger, &integration, refresh, content)
}

/// GET /_sandbox/dashboard/requests?faults=1&page=
pub(crate) async fn requests(SignedIn(integration): SignedIn, RawQuery(raw): RawQuery) -> Response {
    let query = query_map(raw.as_deref());
    let page = page_number(&query);
    let only_faults = query.get("faults").is_some_and(|v| v == "1");
    let (table, total) = {
        let log = integration.requests.lock();
        let entries: Vec<&RequestEntry> = log.entries().filter(|e| !only_faults || e.fault.is_some()).collect();
        let rows = entries.iter().rev().skip((page - 1) * ROWS_PER_PAGE).take(ROWS_PER_PAGE).copied();
        (requests_table(rows, true), entries.len())
    };
    let base =
        if only_faults { format!("{}?faults=1", Section::Requests.path()) } else { Section::Requests.path().into() };
    let content = html! {
        h1 { "Requests" }
        p.filters {
            a.here[!only_faults] href=(Section::Requests.path()) { "all" }
            a.here[only_faults] href={ (Section::Requests.path()) "?faults=1" } { "only those with a fault" }
            span.muted { "Credentials (Authorization, Cookie) are recorded as [redacted]." }
        }
        (table)
        (pager(&base, page, ROWS_PER_PAGE, total))
    };
    shell(Section::Requests, &integration, false, content)
}

/// GET /_sandbox/dashboard/faults: the rules in force, their counters, and the settings.
pub(crate) async fn faults(SignedIn(integration): SignedIn) -> Response {
    let (seed, rules, stats) = {
        let faults = integration.faults.lock();
        (faults.config().seed, faults.config().rules.clone(), faults.stats())
    };
    let settings = integration.state.lock().settings.clone();
    let content = html! {
        h1 { "Fault rules" }
        p.muted { "Applied in order to this integration's Paystack API requests (never to /_sandbox). Change them with PUT /_sandbox/faults." }
        @if rules.is_empty() {
            p #no-faults { "No fault rules: every request is answered normally." }
        } @else {
            table #faults {
                thead { tr { th.num { "#" } th { "Rule" } th.num { "Matched" } th.num { "Fired" } } }
                tbody {
                    @for (i, rule) in rules.iter().enumerate() {
                        @let (matched, fired) = stats.get(i).copied().unwrap_or((0, 0));
                        tr {
                            td.num { (i + 1) }
                            td { code { (serde_json::to_string(rule).unwrap_or_default()) } }
                            td.num { (matched) }
                            td.num { (fired) }
                        }
                    }
                }
            }
            p.muted { "Seed: " @match seed { Some(seed) => (seed), None => "the sandbox's" } }
        }
        h2 { "Settings" }
        table #settings {
            tbody {
                tr { th { "process_interval_ms" } td { (settings.process_interval_ms) } }
                tr { th { "webhook_url" } td { @match &settings.webhook_url { Some(url) => code { (display_url(url)) }, None => "none" } } }
                tr { th { "webhook_retry_interval_ms" } td { (settings.webhook_retry_interval_ms) } }
                tr { th { "webhook_max_attempts" } td { (settings.webhook_max_attempts) } }
                tr { th { "webhook_timeout_ms" } td { (settings.webhook_timeout_ms) } }
                tr { th { "payment_session_timeout_ms" } td { (settings.payment_session_timeout_ms) @if settings.payment_session_timeout_ms == 0 { " (checkouts never expire)" } } }
            }
        }
    };
    shell(Section::Faults, &integration, false, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_credentials() {
        assert_eq!(display_url("http://u:p@127.0.0.1:9/hook"), "http://[redacted]@127.0.0.1:9/hook");
        assert_eq!(display_url("http://127.0.0.1:9/hook?a=b@c"), "http://127.0.0.1:9/hook?a=b@c");
    }
}
