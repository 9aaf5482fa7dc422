//! Payouts: which transactions each settlement paid to the bank, and whether its figures add up
//! (docs/paystack-api.md §8). One module decides it all; the Python `PayoutReport` presents it.
//!
//! The arithmetic checked for each settlement (§8.1; the sandbox models the same):
//! - `total_processed` = the sum of its transactions' amounts;
//! - `total_fees` = the sum of their fees;
//! - `total_amount` = `total_processed` − `total_fees`;
//! - `deductions` (null read as 0) = the sum of `deducted_amount` of the refunds that name it;
//! - `effective_amount` = `total_amount` − `deductions`: what reached the bank.
//!
//! A refund larger than one payout is deducted over several and names only the last: where a
//! currency's deductions over the report's settlements equal its refunds' deducted amounts, the
//! deductions of each settlement are taken as adding up.
//!
//! A transaction's net is its amount less its fees, for a successful transaction whose fees are
//! known; a failed one moves no money (net 0 in totals, none on its row), and an unknown fee stays
//! unknown (None), never 0.
//!
//! `unsettled`: a successful transaction of the period in no settlement although a settlement
//! of its currency is dated after it was paid (Paystack settles a day's transactions the next
//! day, §8.2's sample: paid 1 September, settled 2 September).
//!
//! Gathering: the settlements of the period (`GET /settlement`), then for each its transactions
//! (`GET /settlement/{id}/transactions`), the refunds (`GET /refund`) and the period's successful
//! transactions (`GET /transaction?status=success`), every list through the pager: all of them
//! share one limit of requests in flight, and a page is decoded into rows as it arrives (its JSON
//! is dropped then), so what is held is the rows and the pages in flight.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::client::{CallOptions, Client};
use crate::endpoints;
use crate::envelope::{Bytes, Decoder, EnvelopeFields, HasEnvelope};
use crate::error::Error;
use crate::page_info::{PageItems, decode_page, note};
use crate::pager::{Event, PageInfo, PagedBody, Planner, channel, fetch_pages_within};
use crate::request::{Arg, named_args};
pub use crate::rows::net;
use crate::rows::{RowKind, Rows, RowsDecoder, timestamp_ms};
use crate::timestamp;

/// How far before a period the refunds deducted in it are looked for (a refund is deducted from
/// a settlement after it was created).
pub const REFUND_LOOKBACK_DAYS: i64 = 90;
const DAY_MS: i64 = 86_400_000;

// -- records -------------------------------------------------------------------------------------

fn integer(value: Option<&Value>) -> Option<i64> {
    let value = value?;
    value.as_i64().or_else(|| value.as_f64().map(|f| f as i64)).or_else(|| value.as_str()?.trim().parse().ok())
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A settlement as `GET /settlement` lists it (§8.1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settlement {
    pub id: i64,
    pub settlement_date: Option<String>,
    pub currency: Option<String>,
    pub status: Option<String>,
    pub total_processed: Option<i64>,
    pub total_fees: Option<i64>,
    pub deductions: Option<i64>,
    pub total_amount: Option<i64>,
    pub effective_amount: Option<i64>,
    pub created_at: Option<String>,
}

impl Settlement {
    pub fn from_json(item: &Value) -> Self {
        Settlement {
            id: integer(item.get("id")).unwrap_or_default(),
            settlement_date: text(item.get("settlement_date")),
            currency: text(item.get("currency")),
            status: text(item.get("status")),
            total_processed: integer(item.get("total_processed")),
            total_fees: integer(item.get("total_fees")),
            deductions: integer(item.get("deductions")),
            total_amount: integer(item.get("total_amount")),
            effective_amount: integer(item.get("effective_amount")),
            created_at: text(item.get("createdAt")).or_else(|| text(item.get("created_at"))),
        }
    }
}

/// A refund as `GET /refund` lists it (§8.3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refund {
    pub id: i64,
    pub transaction: Option<i64>,
    pub amount: Option<i64>,
    pub deducted_amount: Option<i64>,
    pub currency: Option<String>,
    pub status: Option<String>,
    pub settlement: Option<i64>,
    pub fully_deducted: Option<bool>,
    pub created_at: Option<String>,
}

impl Refund {
    pub fn from_json(item: &Value) -> Self {
        let settlement = match item.get("settlement") {
            Some(Value::Object(s)) => integer(s.get("id")),
            other => integer(other),
        };
        Refund {
            id: integer(item.get("id")).unwrap_or_default(),
            transaction: crate::refunds::transaction_of(item),
            amount: integer(item.get("amount")),
            deducted_amount: integer(item.get("deducted_amount")),
            currency: text(item.get("currency")),
            status: text(item.get("status")),
            settlement,
            // The list sample gives 1, fetch gives true (§8.3).
            fully_deducted: match item.get("fully_deducted") {
                Some(Value::Bool(b)) => Some(*b),
                Some(Value::Number(n)) => n.as_i64().map(|n| n != 0),
                _ => None,
            },
            created_at: text(item.get("createdAt")).or_else(|| text(item.get("created_at"))),
        }
    }
}

// -- arithmetic ----------------------------------------------------------------------------------

/// A settlement's transactions and deductions, summed, against its own figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sums {
    pub transactions: u64,
    pub amount: i64,
    /// None when a transaction's fee is unknown.
    pub fees: Option<i64>,
    pub net: Option<i64>,
    pub refunds: u64,
    pub deducted: i64,
    /// Each figure that does not add up, in words; empty when balanced.
    pub problems: Vec<String>,
}

impl Sums {
    pub fn balanced(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The name of the deductions check in a settlement's problems.
const DEDUCTIONS_CHECK: &str = "deductions vs refunds deducted";

/// Sums `rows` (the settlement's transactions) and `refunds` (those deducted from it) and
/// checks the settlement's figures against them (the arithmetic in the module comment).
pub fn check(settlement: &Settlement, rows: &Rows, refunds: &[&Refund]) -> Sums {
    let mut sums = Sums { fees: Some(0), net: Some(0), ..Sums::default() };
    for i in 0..rows.len() {
        sums.transactions += 1;
        let amount = rows.amount.get(i);
        let fees = rows.fees.get(i);
        sums.amount += amount.unwrap_or(0);
        sums.fees = sums.fees.zip(fees).map(|(a, b)| a + b);
        sums.net = sums.net.zip(net(rows.status.get(i), amount, fees)).map(|(a, b)| a + b);
    }
    sums.refunds = refunds.len() as u64;
    sums.deducted = refunds.iter().map(|r| r.deducted_amount.unwrap_or(0)).sum();
    let deductions = settlement.deductions.unwrap_or(0);
    let mut differs = |what: &str, theirs: Option<i64>, ours: Option<i64>| match (theirs, ours) {
        (Some(a), Some(b)) if a != b => sums.problems.push(format!("{what} {a} ≠ {b}")),
        (None, _) => sums.problems.push(format!("{what}: Paystack's figure missing")),
        // An unknown fee cannot be shown to add up.
        (_, None) => sums.problems.push(format!("{what}: a transaction's fee unknown")),
        _ => {}
    };
    differs("total_processed vs transactions", settlement.total_processed, Some(sums.amount));
    differs("total_fees vs fees", settlement.total_fees, sums.fees);
    let processed_less_fees = settlement.total_processed.zip(settlement.total_fees).map(|(p, f)| p - f);
    differs("total_amount vs processed − fees", settlement.total_amount, processed_less_fees);
    differs(DEDUCTIONS_CHECK, Some(deductions), Some(sums.deducted));
    let amount_less_deductions = settlement.total_amount.map(|t| t - deductions);
    differs("effective_amount vs total_amount − deductions", settlement.effective_amount, amount_less_deductions);
    sums
}

/// The transactions of `listed` (a period's successful transactions) in no settlement, paid
/// before the latest settlement of their currency (or, for a currency without one, of any).
pub fn unsettled(listed: &Rows, settled: &HashSet<i64>, settlements: &[Settlement]) -> Vec<usize> {
    let mut latest: HashMap<&str, i64> = HashMap::new();
    let mut any: Option<i64> = None;
    for s in settlements {
        let Some(at) = s.settlement_date.as_deref().and_then(timestamp_ms) else { continue };
        any = Some(any.map_or(at, |a| a.max(at)));
        if let Some(currency) = s.currency.as_deref() {
            let slot = latest.entry(currency).or_insert(at);
            *slot = (*slot).max(at);
        }
    }
    (0..listed.len())
        .filter(|&i| listed.status.get(i) == Some("success"))
        .filter(|&i| listed.transaction_id.get(i).is_none_or(|id| !settled.contains(&id)))
        .filter(|&i| {
            let paid = listed.paid_at.get(i).or_else(|| listed.created_at.get(i)).and_then(timestamp_ms);
            let cutoff = listed.currency.get(i).and_then(|c| latest.get(c).copied()).or(any);
            matches!((paid, cutoff), (Some(p), Some(c)) if p < c)
        })
        .collect()
}

// -- tables --------------------------------------------------------------------------------------

/// A column of a report's view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Col {
    Int(Vec<Option<i64>>),
    Text(Vec<Option<String>>),
    /// ISO 8601 text, read as a UTC timestamp by the exports.
    Time(Vec<Option<String>>),
    Bool(Vec<Option<bool>>),
}

impl Col {
    pub fn kind(&self) -> &'static str {
        match self {
            Col::Int(_) => "int",
            Col::Text(_) => "text",
            Col::Time(_) => "timestamp",
            Col::Bool(_) => "bool",
        }
    }
}

/// A view of a report: named columns of equal length.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<(&'static str, Col)>,
}

impl Table {
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| match c {
            Col::Int(v) => v.len(),
            Col::Text(v) | Col::Time(v) => v.len(),
            Col::Bool(v) => v.len(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn settlement_table<'a>(rows: impl Iterator<Item = (&'a Settlement, &'a Sums)>) -> Table {
    let mut id = Vec::new();
    let mut date = Vec::new();
    let mut currency = Vec::new();
    let mut status = Vec::new();
    let (mut processed, mut fees, mut deductions, mut total, mut effective) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut count, mut amount, mut tx_fees, mut tx_net, mut refunds, mut deducted) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut balanced, mut problems) = (Vec::new(), Vec::new());
    for (s, sums) in rows {
        id.push(Some(s.id));
        date.push(s.settlement_date.clone());
        currency.push(s.currency.clone());
        status.push(s.status.clone());
        processed.push(s.total_processed);
        fees.push(s.total_fees);
        deductions.push(s.deductions);
        total.push(s.total_amount);
        effective.push(s.effective_amount);
        count.push(Some(sums.transactions as i64));
        amount.push(Some(sums.amount));
        tx_fees.push(sums.fees);
        tx_net.push(sums.net);
        refunds.push(Some(sums.refunds as i64));
        deducted.push(Some(sums.deducted));
        balanced.push(Some(sums.balanced()));
        problems.push((!sums.problems.is_empty()).then(|| sums.problems.join("; ")));
    }
    let columns = vec![
        ("id", Col::Int(id)),
        ("settlement_date", Col::Time(date)),
        ("currency", Col::Text(currency)),
        ("status", Col::Text(status)),
        ("total_processed", Col::Int(processed)),
        ("total_fees", Col::Int(fees)),
        ("deductions", Col::Int(deductions)),
        ("total_amount", Col::Int(total)),
        ("effective_amount", Col::Int(effective)),
        ("transactions", Col::Int(count)),
        ("transactions_amount", Col::Int(amount)),
        ("transactions_fees", Col::Int(tx_fees)),
        ("transactions_net", Col::Int(tx_net)),
        ("refunds", Col::Int(refunds)),
        ("refunds_deducted", Col::Int(deducted)),
        ("balanced", Col::Bool(balanced)),
        ("problems", Col::Text(problems)),
    ];
    Table { columns }
}

/// Rows of one settlement (its id; None for transactions in none), all or only those at the
/// given positions.
type Part<'a> = (Option<i64>, &'a Rows, Option<&'a [usize]>);

/// Transaction rows, each with the settlement it was paid out in and its net.
fn transaction_table(parts: &[Part<'_>]) -> Table {
    let mut settlement = Vec::new();
    let (mut id, mut reference, mut status, mut currency) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut amount, mut fees, mut net_col) = (Vec::new(), Vec::new(), Vec::new());
    let (mut paid_at, mut batch_code, mut email) = (Vec::new(), Vec::new(), Vec::new());
    for (settlement_id, rows, only) in parts {
        let all: Vec<usize>;
        let positions = match only {
            Some(p) => *p,
            None => {
                all = (0..rows.len()).collect();
                &all
            }
        };
        for &i in positions {
            settlement.push(*settlement_id);
            id.push(rows.transaction_id.get(i));
            reference.push(rows.reference.get(i).map(str::to_owned));
            status.push(rows.status.get(i).map(str::to_owned));
            currency.push(rows.currency.get(i).map(str::to_owned));
            amount.push(rows.amount.get(i));
            fees.push(rows.fees.get(i));
            net_col.push(net(rows.status.get(i), rows.amount.get(i), rows.fees.get(i)));
            paid_at.push(rows.paid_at.get(i).map(str::to_owned));
            batch_code.push(rows.batch_code.get(i).map(str::to_owned));
            email.push(rows.customer_email.get(i).map(str::to_owned));
        }
    }
    Table {
        columns: vec![
            ("settlement_id", Col::Int(settlement)),
            ("transaction_id", Col::Int(id)),
            ("reference", Col::Text(reference)),
            ("status", Col::Text(status)),
            ("currency", Col::Text(currency)),
            ("amount", Col::Int(amount)),
            ("fees", Col::Int(fees)),
            ("net", Col::Int(net_col)),
            ("paid_at", Col::Time(paid_at)),
            ("batch_code", Col::Text(batch_code)),
            ("customer_email", Col::Text(email)),
        ],
    }
}

fn refund_table(refunds: &[Refund]) -> Table {
    let pick = |f: fn(&Refund) -> Option<i64>| Col::Int(refunds.iter().map(f).collect());
    Table {
        columns: vec![
            ("id", Col::Int(refunds.iter().map(|r| Some(r.id)).collect())),
            ("transaction_id", pick(|r| r.transaction)),
            ("amount", pick(|r| r.amount)),
            ("deducted_amount", pick(|r| r.deducted_amount)),
            ("currency", Col::Text(refunds.iter().map(|r| r.currency.clone()).collect())),
            ("status", Col::Text(refunds.iter().map(|r| r.status.clone()).collect())),
            ("settlement_id", pick(|r| r.settlement)),
            ("fully_deducted", Col::Bool(refunds.iter().map(|r| r.fully_deducted).collect())),
            ("created_at", Col::Time(refunds.iter().map(|r| r.created_at.clone()).collect())),
        ],
    }
}

/// A period's (or one settlement's) payouts, as views.
#[derive(Debug, Clone, Default)]
pub struct PayoutReport {
    pub settlements: Table,
    pub transactions: Table,
    pub unsettled: Table,
    pub mismatched: Table,
    pub refunds: Table,
}

impl PayoutReport {
    pub fn views(&self) -> [(&'static str, &Table); 5] {
        [
            ("settlements", &self.settlements),
            ("transactions", &self.transactions),
            ("unsettled", &self.unsettled),
            ("mismatched", &self.mismatched),
            ("refunds", &self.refunds),
        ]
    }
}

/// What was gathered: every settlement with its transactions, the refunds, and (for a period)
/// its successful transactions.
#[derive(Debug, Default)]
pub struct Gathered {
    pub settlements: Vec<(Settlement, Rows)>,
    pub refunds: Vec<Refund>,
    pub listed: Option<Rows>,
}

/// The report of what was gathered (the arithmetic above).
pub fn report(gathered: &Gathered) -> PayoutReport {
    let mut by_settlement: HashMap<i64, Vec<&Refund>> = HashMap::new();
    for r in &gathered.refunds {
        if let Some(s) = r.settlement {
            by_settlement.entry(s).or_default().push(r);
        }
    }
    let mut sums: Vec<Sums> = gathered
        .settlements
        .iter()
        .map(|(s, rows)| check(s, rows, by_settlement.get(&s.id).map(Vec::as_slice).unwrap_or_default()))
        .collect();
    forgive_split_deductions(gathered, &mut sums);
    let records = || gathered.settlements.iter().map(|(s, _)| s);
    let settlements = settlement_table(records().zip(&sums));
    let mismatched = settlement_table(records().zip(&sums).filter(|(_, sums)| !sums.balanced()));
    let parts: Vec<_> = gathered.settlements.iter().map(|(s, rows)| (Some(s.id), rows, None)).collect();
    let transactions = transaction_table(&parts);
    let unsettled_rows = match &gathered.listed {
        Some(listed) => {
            let settled: HashSet<i64> =
                gathered.settlements.iter().flat_map(|(_, rows)| rows.transaction_id.values.iter().copied()).collect();
            let only: Vec<usize> = unsettled(listed, &settled, &records().cloned().collect::<Vec<_>>());
            transaction_table(&[(None, listed, Some(&only))])
        }
        None => transaction_table(&[]),
    };
    // The refunds deducted from these settlements, and those created in the period.
    let ids: HashSet<i64> = records().map(|s| s.id).collect();
    let refunds: Vec<Refund> =
        gathered.refunds.iter().filter(|r| r.settlement.is_none_or(|s| ids.contains(&s))).cloned().collect();
    PayoutReport { settlements, transactions, unsettled: unsettled_rows, mismatched, refunds: refund_table(&refunds) }
}

/// A refund larger than one payout is deducted over several, and names only the last of them
/// (its `settlement`, with the whole `deducted_amount`): settlement by settlement the deductions
/// then differ from the refunds naming each, although they add up. So where a currency's
/// deductions over the report's settlements equal its refunds' deducted amounts, the
/// per-settlement difference in deductions is not a problem.
fn forgive_split_deductions(gathered: &Gathered, sums: &mut [Sums]) {
    let mut totals: HashMap<&str, (i64, i64)> = HashMap::new();
    for ((settlement, _), s) in gathered.settlements.iter().zip(sums.iter()) {
        let t = totals.entry(settlement.currency.as_deref().unwrap_or_default()).or_default();
        t.0 += settlement.deductions.unwrap_or(0);
        t.1 += s.deducted;
    }
    for ((settlement, _), s) in gathered.settlements.iter().zip(sums.iter_mut()) {
        let (deductions, deducted) = totals[settlement.currency.as_deref().unwrap_or_default()];
        if deductions == deducted {
            s.problems.retain(|p| !p.starts_with(DEDUCTIONS_CHECK));
        }
    }
}

// -- gathering -----------------------------------------------------------------------------------

/// Which payouts to gather.
#[derive(Debug, Clone)]
pub enum Scope {
    /// The settlements dated in a period (`from`/`to` as `Settlement.fetch` takes them).
    Period { from: Option<String>, to: Option<String> },
    /// One settlement, by id.
    One(i64),
}

/// How far gathering has come: pages read, and pages known to be needed so far.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicU64,
    pub known: AtomicU64,
}

/// A list page decoded into JSON items (settlements and refunds: a few per page).
#[derive(Debug, Clone)]
pub struct ItemsPage {
    envelope: EnvelopeFields,
    info: PageInfo,
    items: Vec<Value>,
}

impl HasEnvelope for ItemsPage {
    fn envelope(&self) -> &EnvelopeFields {
        &self.envelope
    }
}

impl PagedBody for ItemsPage {
    fn info(&self) -> &PageInfo {
        &self.info
    }
}

struct JsonItems<'v>(&'v mut Vec<Value>);

impl<'de> PageItems<'de> for JsonItems<'_> {
    type Item = Value;
    fn push(&mut self, item: Value, info: &mut PageInfo) {
        let created = item.get("createdAt").or_else(|| item.get("created_at")).and_then(Value::as_str);
        note(info, item.get("id").and_then(Value::as_i64), created);
        self.0.push(item);
    }
}

#[derive(Debug, Clone, Copy)]
pub struct ItemsDecoder;

impl Decoder for ItemsDecoder {
    type Output = ItemsPage;
    fn decode(&self, bytes: &Bytes) -> Result<ItemsPage, String> {
        let mut items = Vec::new();
        let (envelope, info) = decode_page(bytes, &mut JsonItems(&mut items))?;
        Ok(ItemsPage { envelope, info, items })
    }
}

/// The shared state of one gathering.
#[derive(Clone)]
struct Fetcher {
    client: Arc<Client>,
    options: CallOptions,
    permits: Arc<Semaphore>,
    concurrency: usize,
    progress: Arc<Progress>,
}

impl Fetcher {
    /// Every page of `name` called with `args`, each handed to `each` as it arrives (in order).
    async fn pages<D, F>(&self, name: &str, args: Vec<(&str, Value)>, decoder: D, mut each: F) -> Result<(), Error>
    where
        D: Decoder + 'static,
        D::Output: PagedBody,
        F: FnMut(D::Output, &crate::pager::Keep),
    {
        let endpoint = endpoints::by_name(name).ok_or_else(|| Error::Config(format!("no endpoint {name}")))?;
        let args = named_args(endpoint, args.into_iter().map(|(n, v)| (n, Arg::Json(v))))?;
        let (sender, mut receiver) = channel(self.concurrency);
        let task = tokio::spawn(fetch_pages_within(
            Arc::clone(&self.client),
            endpoint,
            args,
            self.options,
            Arc::new(decoder),
            Planner::from_start(1, false, false, None),
            self.concurrency,
            sender,
            Some(Arc::clone(&self.permits)),
        ));
        // Cancels the requests in flight if this future is dropped or fails.
        let _abort = AbortOnDrop(task);
        let mut first = true;
        while let Some(event) = receiver.recv().await {
            match event {
                Event::Page(page) => {
                    let info = page.reply.body.info();
                    if first {
                        first = false;
                        let count = info.page_count.unwrap_or(1).max(1);
                        self.progress.known.fetch_add(count, Ordering::Relaxed);
                    }
                    self.progress.done.fetch_add(1, Ordering::Relaxed);
                    each(page.reply.body, &page.keep);
                }
                Event::Failed(error) => return Err(error),
                Event::End => return Ok(()),
            }
        }
        Ok(())
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn shift(date: &str, days: i64) -> Option<String> {
    let at = timestamp::parse(date).ok()?;
    Some(timestamp::Timestamp { epoch_ms: at.epoch_ms + days * DAY_MS }.to_iso())
}

/// Gathers the payouts of `scope`; `concurrency` requests at most in flight, `per_page` items
/// asked per page; `progress` counts the pages as they come.
pub async fn gather(
    client: Arc<Client>,
    scope: Scope,
    options: CallOptions,
    per_page: u64,
    concurrency: usize,
    progress: Arc<Progress>,
) -> Result<Gathered, Error> {
    let fetcher = Fetcher {
        client,
        options,
        permits: Arc::new(Semaphore::new(concurrency.max(1))),
        concurrency: concurrency.max(1),
        progress,
    };
    let per_page = Value::from(per_page.max(1));
    let window = |from: &Option<String>, to: &Option<String>| {
        let mut args = Vec::new();
        if let Some(from) = from {
            args.push(("_from", Value::String(from.clone())));
        }
        if let Some(to) = to {
            args.push(("to", Value::String(to.clone())));
        }
        args
    };

    // One settlement: its transactions first (there is no GET /settlement/{id}); its record is
    // then found among the settlements listed from its newest transaction's payment on.
    let (from, to, only, first_rows) = match &scope {
        Scope::Period { from, to } => (from.clone(), to.clone(), None, None),
        Scope::One(id) => {
            let rows = settlement_rows(&fetcher, *id, per_page.clone()).await?;
            let newest = (0..rows.len()).filter_map(|i| rows.paid_at.get(i).or_else(|| rows.created_at.get(i))).max();
            let from = newest.map(|n| n[..10.min(n.len())].to_owned());
            let to = from.as_deref().and_then(|f| shift(f, 7));
            (from, to, Some(*id), Some(rows))
        }
    };

    // The refunds (from before the period: a refund is deducted after it was made) and, for a
    // period, its successful transactions, at the same time as the settlements' transactions.
    let refunds_from = from.as_deref().and_then(|f| shift(f, -REFUND_LOOKBACK_DAYS));
    let mut refund_args = vec![("per_page", per_page.clone())];
    refund_args.extend(window(&refunds_from, &to));
    let refunds_task = {
        let fetcher = fetcher.clone();
        async move {
            let mut refunds = Vec::new();
            fetcher
                .pages("refund.list", refund_args, ItemsDecoder, |page, keep| {
                    for (i, item) in page.items.iter().enumerate() {
                        if keep.keep.get(i).copied().unwrap_or(true) {
                            refunds.push(Refund::from_json(item));
                        }
                    }
                })
                .await
                .map(|()| refunds)
        }
    };
    let listed_task = {
        let fetcher = fetcher.clone();
        let period = matches!(scope, Scope::Period { .. });
        let mut args = vec![("per_page", per_page.clone()), ("status", Value::from("success"))];
        args.extend(window(&from, &to));
        async move {
            if !period {
                return Ok(None);
            }
            let mut listed = Rows::default();
            let decoder = RowsDecoder { kind: RowKind::Transactions };
            fetcher
                .pages("transaction.list", args, decoder, |page, keep| listed.extend(&page.rows, Some(keep)))
                .await?;
            Ok::<_, Error>(Some(listed))
        }
    };
    // The settlements, then each one's transactions: started with the lists above, so the
    // requests in flight stay at the limit from the first round trip on.
    let settlements_task = async move {
        let mut records = Vec::new();
        let mut args = vec![("per_page", per_page.clone())];
        args.extend(window(&from, &to));
        fetcher
            .pages("settlement.fetch", args, ItemsDecoder, |page, keep| {
                for (i, item) in page.items.iter().enumerate() {
                    if keep.keep.get(i).copied().unwrap_or(true) {
                        let s = Settlement::from_json(item);
                        if only.is_none_or(|id| id == s.id) {
                            records.push(s);
                        }
                    }
                }
            })
            .await?;
        if let (Some(id), true) = (only, records.is_empty()) {
            return Err(Error::Config(format!("settlement {id} was not found among the settlements listed")));
        }

        let mut tasks: JoinSet<Result<(Settlement, Rows), Error>> = JoinSet::new();
        let mut first_rows = first_rows;
        for record in records {
            if let Some(rows) = first_rows.take() {
                tasks.spawn(async move { Ok((record, rows)) });
                continue;
            }
            let (fetcher, per_page) = (fetcher.clone(), per_page.clone());
            tasks.spawn(async move { Ok((record.clone(), settlement_rows(&fetcher, record.id, per_page).await?)) });
        }
        let mut settlements = Vec::new();
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(result) => settlements.push(result?),
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(_) => return Err(Error::Config("cancelled".into())),
            }
        }
        Ok::<_, Error>(settlements)
    };
    let (settlements, refunds, listed) = tokio::try_join!(settlements_task, refunds_task, listed_task)?;
    let mut settlements = settlements;
    // Newest first, as Paystack lists them.
    settlements.sort_by(|(a, _), (b, _)| b.settlement_date.cmp(&a.settlement_date).then(b.id.cmp(&a.id)));
    Ok(Gathered { settlements, refunds, listed })
}

async fn settlement_rows(fetcher: &Fetcher, id: i64, per_page: Value) -> Result<Rows, Error> {
    let mut rows = Rows::default();
    let args = vec![("id", Value::from(id)), ("per_page", per_page)];
    let decoder = RowsDecoder { kind: RowKind::Transactions };
    fetcher.pages("settlement.transaction", args, decoder, |page, keep| rows.extend(&page.rows, Some(keep))).await?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::decode_rows;
    use serde_json::json;

    fn rows(items: Value) -> Rows {
        let body = json!({"status": true, "message": "ok", "data": items, "meta": {"page": 1, "pageCount": 1}});
        decode_rows(&RowKind::Transactions, body.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e}")).rows
    }

    fn settlement(processed: i64, fees: i64, deductions: Option<i64>, effective: i64) -> Settlement {
        Settlement {
            id: 7,
            settlement_date: Some("2024-08-02T00:00:00.000Z".into()),
            currency: Some("NGN".into()),
            status: Some("success".into()),
            total_processed: Some(processed),
            total_fees: Some(fees),
            deductions,
            total_amount: Some(processed - fees),
            effective_amount: Some(effective),
            created_at: None,
        }
    }

    fn paid(id: i64, amount: i64, fees: Value, status: &str, at: &str) -> Value {
        json!({"id": id, "reference": format!("r{id}"), "amount": amount, "fees": fees, "status": status,
               "currency": "NGN", "paid_at": at, "createdAt": at})
    }

    #[test]
    fn the_sample_settlement_adds_up() {
        // docs/paystack-api.md §8.2: transaction 2067030515 (10000, fees 390) is settlement 2856168.
        let s = Settlement::from_json(&json!({"id": 2856168, "status": "success", "currency": "NGN",
            "total_amount": 9610, "effective_amount": 9610, "total_fees": 390, "total_processed": 10000,
            "deductions": null, "settlement_date": "2022-09-02T00:00:00.000Z"}));
        let txs = rows(json!([paid(2067030515, 10000, json!(390), "success", "2022-09-01T10:36:37.000Z")]));
        let sums = check(&s, &txs, &[]);
        assert!(sums.balanced(), "{:?}", sums.problems);
        assert_eq!((sums.transactions, sums.amount, sums.fees, sums.net), (1, 10000, Some(390), Some(9610)));
    }

    #[test]
    fn deductions_are_the_refunds_deducted() {
        let txs = rows(json!([paid(1, 100_000, json!(1_500), "success", "2024-08-01T10:00:00Z")]));
        let refund = Refund::from_json(&json!({"id": 9, "transaction": 1, "amount": 30_000,
            "deducted_amount": 30_000, "settlement": 7, "status": "processed", "fully_deducted": 1}));
        assert_eq!(refund.fully_deducted, Some(true));
        let ok = check(&settlement(100_000, 1_500, Some(30_000), 68_500), &txs, &[&refund]);
        assert!(ok.balanced(), "{:?}", ok.problems);
        let short = check(&settlement(100_000, 1_500, Some(30_000), 70_000), &txs, &[&refund]);
        assert_eq!(short.problems.len(), 1, "{:?}", short.problems);
        assert!(short.problems[0].starts_with("effective_amount"));
        let undeducted = check(&settlement(100_000, 1_500, None, 98_500), &txs, &[&refund]);
        assert!(undeducted.problems[0].starts_with("deductions"), "{:?}", undeducted.problems);
    }

    #[test]
    fn an_unknown_fee_stays_unknown_and_failures_have_no_net() {
        assert_eq!(net(Some("success"), Some(10_000), Some(150)), Some(9_850));
        assert_eq!(net(Some("success"), Some(10_000), None), None);
        assert_eq!(net(Some("failed"), Some(10_000), Some(0)), None);
        let txs = rows(json!([paid(1, 100, json!(null), "success", "2024-08-01T10:00:00Z")]));
        let sums = check(&settlement(100, 0, None, 100), &txs, &[]);
        assert_eq!((sums.fees, sums.net), (None, None));
        assert!(!sums.balanced());
    }

    #[test]
    fn unsettled_are_paid_before_a_later_settlement_and_in_none() {
        let listed = rows(json!([
            paid(1, 100, json!(2), "success", "2024-08-01T10:00:00Z"),
            paid(2, 100, json!(2), "success", "2024-08-01T11:00:00Z"),
            paid(3, 100, json!(2), "success", "2024-08-02T11:00:00Z"),
            paid(4, 100, json!(0), "failed", "2024-08-01T11:00:00Z"),
        ]));
        let settled: HashSet<i64> = [1].into();
        let found = unsettled(&listed, &settled, &[settlement(100, 2, None, 98)]);
        // 2 missed the settlement of 2 August; 3 was paid after it; 4 failed.
        assert_eq!(found, vec![1]);
        assert!(unsettled(&listed, &settled, &[]).is_empty());
    }

    #[test]
    fn a_refund_deducted_over_two_settlements_adds_up_over_both() {
        let txs = rows(json!([paid(1, 100_000, json!(1_500), "success", "2024-08-01T10:00:00Z")]));
        let mut first = settlement(100_000, 1_500, Some(98_500), 0);
        let mut second = settlement(100_000, 1_500, Some(21_500), 77_000);
        second.id = 8;
        first.effective_amount = Some(0);
        // 120,000 refunded: 98,500 from settlement 7, 21,500 from 8, which the refund names.
        let refund = Refund::from_json(&json!({"id": 9, "transaction": 1, "amount": 120_000,
            "deducted_amount": 120_000, "settlement": 8, "status": "processed", "fully_deducted": true}));
        let gathered = Gathered {
            settlements: vec![(second.clone(), txs.clone()), (first.clone(), txs.clone())],
            refunds: vec![refund.clone()],
            listed: None,
        };
        assert_eq!(report(&gathered).mismatched.len(), 0);
        // Taken alone, each settlement's deductions differ from the refunds naming it.
        assert!(!check(&first, &txs, &[]).balanced());
        // Deductions that add up to less than the refunds deducted are still a mismatch.
        second.deductions = Some(20_000);
        second.effective_amount = Some(78_500);
        let short =
            Gathered { settlements: vec![(second, txs.clone()), (first, txs)], refunds: vec![refund], listed: None };
        assert_eq!(report(&short).mismatched.len(), 2);
    }

    #[test]
    fn the_report_has_every_view() {
        let txs = rows(json!([paid(1, 100_000, json!(1_500), "success", "2024-08-01T10:00:00Z")]));
        let gathered = Gathered {
            settlements: vec![(settlement(100_000, 1_500, None, 98_500), txs.clone()), {
                let mut wrong = settlement(100_000, 1_000, None, 99_000);
                wrong.id = 8;
                (wrong, txs.clone())
            }],
            refunds: vec![],
            listed: Some(txs),
        };
        let report = report(&gathered);
        assert_eq!(report.settlements.len(), 2);
        assert_eq!(report.mismatched.len(), 1);
        assert_eq!(report.transactions.len(), 2);
        assert_eq!(report.unsettled.len(), 0);
        let balanced = report.settlements.columns.iter().find(|(n, _)| *n == "balanced").map(|(_, c)| c.clone());
        assert_eq!(balanced, Some(Col::Bool(vec![Some(true), Some(false)])));
        assert_eq!(shift("2024-08-01", -1).as_deref(), Some("2024-07-31T00:00:00.000Z"));
    }
}
