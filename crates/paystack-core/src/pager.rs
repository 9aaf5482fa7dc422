//! Every page of a list endpoint (`bulk_charge.list`, `bulk_charge.charges`, `transaction.list`):
//! which page to ask for next, which items of a page are new, and a driver that keeps up to N
//! pages in flight and hands them over in order.
//!
//! The rules (`Planner`) are plain state, driven by `fetch_pages` and tested without a network:
//! - offset pages (docs/paystack-api.md §2.4): once a page's `meta.pageCount` is known, the pages
//!   up to it are fetched `concurrency` at a time; without one, one at a time until a short page;
//! - cursor pages (`use_cursor=true`): one at a time, each page's `meta.next` naming the next;
//! - newest-first lists read from page 1 are pinned: the following pages carry `to` = page 1's
//!   newest `createdAt` (unless the caller gave `to`), so transactions created meanwhile do not
//!   shift the pages; items already handed over are dropped by `id`, and pages past the first
//!   `pageCount` are read while the latest `meta` says there are more (nothing yielded twice,
//!   nothing that existed at the start missed);
//! - `limit` caps the items handed over, and the pages asked for.
//!
//! Memory stays bounded: at most `concurrency` pages are in flight (or finished, waiting for an
//! earlier one), and at most `concurrency` more are handed over but not yet taken by the consumer.
//! (Counting the pages the consumer has not taken against the requests in flight was measured:
//! the fetcher then relaunched one request per page taken instead of a window at a time, and 100
//! pages at 100 ms took 2.0 s instead of 1.4.)

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;

use crate::client::{CallOptions, Client, Reply};
use crate::endpoint::Endpoint;
use crate::envelope::{Body, Decoder};
use crate::error::Error;
use crate::request::Arg;

/// What a page says about paging, read while its body is decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// `meta.page`.
    pub page: Option<u64>,
    /// `meta.pageCount` (offset pages).
    pub page_count: Option<u64>,
    /// `meta.perPage` (an integer, or a string of one: docs/paystack-api.md §2.4).
    pub per_page: Option<u64>,
    /// `meta.total`.
    pub total: Option<u64>,
    /// `meta` has a `next` member (cursor pages), and its value when it is a non-empty string.
    pub has_cursor: bool,
    pub next: Option<String>,
    /// The `id` of each item of `data`, in order (None for an item without an integer id).
    pub ids: Vec<Option<i64>>,
    /// The newest `createdAt` among the items (ISO 8601 strings compare in time order).
    pub newest: Option<String>,
}

impl PageInfo {
    pub fn items(&self) -> usize {
        self.ids.len()
    }

    /// Cursor pages: `meta` carries `next` and no `pageCount`.
    pub fn is_cursor(&self) -> bool {
        self.has_cursor && self.page_count.is_none()
    }
}

/// A decoded page body that knows its paging.
pub trait PagedBody: Body {
    fn info(&self) -> &PageInfo;
}

/// Which items of a page to hand over: `keep[i]` for item `i` (new, and within the limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keep {
    pub keep: Vec<bool>,
}

impl Keep {
    pub fn count(&self) -> usize {
        self.keep.iter().filter(|k| **k).count()
    }

    pub fn all(&self) -> bool {
        self.keep.iter().all(|k| *k)
    }
}

/// What to fetch next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// The first page: the arguments as the caller gave them.
    Start,
    Page(u64),
    Cursor(String),
}

/// Lists that are newest first (docs/paystack-api.md T3, §3.3); a batch's charges are in
/// submission order, so a window pinned by time would cut them.
pub fn newest_first(endpoint: &Endpoint) -> bool {
    matches!((endpoint.resource.as_str(), endpoint.name), ("transaction", "list") | ("bulk_charge", "list"))
}

/// The paging rules, as state: ask `launch()` what to fetch while there is room, and tell
/// `receive()` about each page, in order.
#[derive(Debug, Clone)]
pub struct Planner {
    cursor_mode: bool,
    /// The next page number to fetch (offset pages).
    next_page: u64,
    /// The latest `pageCount` seen (None: not known, so one page at a time).
    last_page: Option<u64>,
    per_page: u64,
    /// The last page received was full (without a pageCount, a short page is the last).
    last_was_full: bool,
    cursor: Option<String>,
    in_flight: usize,
    /// Items still wanted (None: no limit).
    remaining: Option<u64>,
    /// The highest page number received.
    received_until: u64,
    /// Whether the window may be pinned (newest first, read from page 1, no `to` given).
    may_pin: bool,
    pin_to: Option<String>,
    seen: HashSet<i64>,
    started: bool,
    finished: bool,
}

impl Planner {
    /// Paging from the page the arguments ask for (`start`, default 1), nothing fetched yet.
    pub fn from_start(start: u64, cursor_mode: bool, pin: bool, limit: Option<u64>) -> Self {
        Planner {
            cursor_mode,
            next_page: start.max(1),
            last_page: None,
            per_page: 0,
            last_was_full: true,
            cursor: None,
            in_flight: 0,
            remaining: limit,
            received_until: start.max(1).saturating_sub(1),
            may_pin: pin && start <= 1 && !cursor_mode,
            pin_to: None,
            seen: HashSet::new(),
            started: false,
            finished: limit == Some(0),
        }
    }

    /// Paging after a first page the caller already holds: what of it to keep, and the plan for
    /// the pages after it. `pin`: the list is newest first and the caller gave no `to`.
    pub fn after_first(first: &PageInfo, pin: bool, limit: Option<u64>) -> (Self, Keep) {
        let start = first.page.unwrap_or(1);
        let mut planner = Planner::from_start(start, first.is_cursor(), pin, limit);
        planner.in_flight = 1;
        let keep = planner.receive(&Next::Start, first);
        (planner, keep)
    }

    /// `to` for the pages after the first, when the window is pinned.
    pub fn pin_to(&self) -> Option<&str> {
        self.pin_to.as_deref()
    }

    /// Nothing more is needed: the end was reached (or the limit), or nothing is in flight and
    /// nothing is left to fetch. Pages still in flight then are of no use.
    pub fn is_done(&self) -> bool {
        self.finished || (self.in_flight == 0 && self.peek().is_none())
    }

    fn peek(&self) -> Option<Next> {
        if self.finished {
            return None;
        }
        if !self.started {
            return (self.in_flight == 0).then_some(Next::Start);
        }
        if self.cursor_mode {
            return (self.in_flight == 0).then(|| self.cursor.clone().map(Next::Cursor)).flatten();
        }
        let page = self.next_page;
        let Some(last) = self.last_page else {
            // The page count is not known (first page, or none in meta): one at a time.
            return (self.in_flight == 0 && self.last_was_full).then_some(Next::Page(page));
        };
        if page > last {
            return None;
        }
        if let Some(remaining) = self.remaining {
            let per_page = self.per_page.max(1);
            let needed = remaining.div_ceil(per_page);
            if page > self.received_until + needed {
                return None;
            }
        }
        Some(Next::Page(page))
    }

    /// The next page to fetch now, if any (counted as in flight until `receive`).
    pub fn launch(&mut self) -> Option<Next> {
        let next = self.peek()?;
        match next {
            Next::Page(page) => self.next_page = page + 1,
            Next::Cursor(_) => self.cursor = None,
            Next::Start => {}
        }
        self.in_flight += 1;
        Some(next)
    }

    /// A fetched page, in the order launched: which of its items are new, and what follows.
    pub fn receive(&mut self, fetched: &Next, info: &PageInfo) -> Keep {
        self.in_flight = self.in_flight.saturating_sub(1);
        let first = !self.started;
        self.started = true;
        let mut keep = Vec::with_capacity(info.items());
        for id in &info.ids {
            let new = match id {
                Some(id) => self.seen.insert(*id),
                None => true,
            };
            let wanted = self.remaining.is_none_or(|r| r > 0);
            keep.push(new && wanted);
            if new && wanted {
                if let Some(r) = self.remaining.as_mut() {
                    *r -= 1;
                }
            }
        }
        if self.remaining == Some(0) {
            self.finished = true;
        }
        if first && info.is_cursor() {
            self.cursor_mode = true;
        }
        if self.cursor_mode {
            self.cursor = info.next.clone().filter(|n| !n.is_empty());
            if self.cursor.is_none() || info.items() == 0 {
                self.finished = true;
            }
            return Keep { keep };
        }
        if let Some(per_page) = info.per_page.filter(|p| *p > 0) {
            self.per_page = per_page;
        } else if self.per_page == 0 {
            self.per_page = info.items() as u64;
        }
        let number = match fetched {
            Next::Page(n) => *n,
            Next::Start | Next::Cursor(_) => info.page.unwrap_or(self.received_until + 1),
        };
        self.received_until = self.received_until.max(number);
        self.next_page = self.next_page.max(number + 1);
        match info.page_count {
            Some(count) => self.last_page = Some(count),
            None => {
                self.last_page = None;
                self.last_was_full = info.items() > 0 && info.items() as u64 >= self.per_page;
            }
        }
        if info.items() == 0 {
            // Past the end (or an empty list).
            self.finished = true;
        }
        if first && self.may_pin {
            self.pin_to = info.newest.clone();
        }
        Keep { keep }
    }
}

/// One page handed over by `fetch_pages`: the reply, the items to keep, and which page it was.
#[derive(Debug)]
pub struct Page<T> {
    pub fetched: Next,
    pub reply: Reply<T>,
    pub keep: Keep,
}

/// What the consumer receives: pages in order, then `End`; or the error that stopped it.
#[derive(Debug)]
pub enum Event<T> {
    Page(Box<Page<T>>),
    Failed(Error),
    End,
}

/// Where the paging arguments of an endpoint sit.
#[derive(Debug, Clone, Copy)]
pub struct Slots {
    page: Option<usize>,
    next: Option<usize>,
    to: Option<usize>,
}

impl Slots {
    pub fn of(endpoint: &Endpoint) -> Self {
        Slots { page: endpoint.param_index("page"), next: endpoint.param_index("next"), to: endpoint.param_index("to") }
    }

    /// The caller gave `to` (then the window is the caller's and is not pinned).
    pub fn has_to(&self, args: &[Option<Arg>]) -> bool {
        self.to.is_some_and(|i| args.get(i).is_some_and(Option::is_some))
    }

    /// The page number the arguments ask for (default 1).
    pub fn start_page(&self, args: &[Option<Arg>]) -> u64 {
        match self.page.and_then(|i| args.get(i)) {
            Some(Some(Arg::Json(v))) => v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())).unwrap_or(1),
            _ => 1,
        }
    }

    fn args_for(&self, base: &[Option<Arg>], next: &Next, pin_to: Option<&str>) -> Vec<Option<Arg>> {
        let mut args = base.to_vec();
        match next {
            Next::Start => return args,
            Next::Page(page) => {
                if let Some(i) = self.page {
                    args[i] = Some(Arg::Json(Value::from(*page)));
                }
            }
            Next::Cursor(cursor) => {
                if let Some(i) = self.next {
                    args[i] = Some(Arg::Json(Value::String(cursor.clone())));
                }
                if let Some(i) = self.page {
                    args[i] = None;
                }
            }
        }
        if let (Some(i), Some(to)) = (self.to, pin_to) {
            if args[i].is_none() {
                args[i] = Some(Arg::Json(Value::String(to.to_owned())));
            }
        }
        args
    }
}

/// Fetches the pages `planner` asks for, at most `concurrency` in flight at once, and sends them
/// in order to `pages` (whose capacity bounds the pages handed over but not yet taken).
/// Stops at the end, at the first error (sent as `Failed`), or when the receiver is dropped;
/// the requests in flight are cancelled when this future is dropped.
#[allow(clippy::too_many_arguments)]
pub async fn fetch_pages<D>(
    client: Arc<Client>,
    endpoint: &'static Endpoint,
    args: Vec<Option<Arg>>,
    options: CallOptions,
    decoder: Arc<D>,
    planner: Planner,
    concurrency: usize,
    pages: mpsc::Sender<Event<D::Output>>,
) where
    D: Decoder + 'static,
    D::Output: PagedBody,
{
    fetch_pages_within(client, endpoint, args, options, decoder, planner, concurrency, pages, None).await
}

/// `fetch_pages`, each request also holding one of `permits` while it is on the wire: several
/// lists fetched at once (a settlement's transactions, for each settlement) share one limit of
/// requests in flight.
#[allow(clippy::too_many_arguments)]
pub async fn fetch_pages_within<D>(
    client: Arc<Client>,
    endpoint: &'static Endpoint,
    args: Vec<Option<Arg>>,
    options: CallOptions,
    decoder: Arc<D>,
    mut planner: Planner,
    concurrency: usize,
    pages: mpsc::Sender<Event<D::Output>>,
    permits: Option<Arc<Semaphore>>,
) where
    D: Decoder + 'static,
    D::Output: PagedBody,
{
    let concurrency = concurrency.max(1);
    let slots = Slots::of(endpoint);
    let mut tasks = JoinSet::new();
    let mut finished: BTreeMap<u64, Fetched<D::Output>> = BTreeMap::new();
    let (mut launched, mut delivered) = (0u64, 0u64);
    loop {
        let mut room = concurrency.saturating_sub(tasks.len() + finished.len());
        while room > 0 {
            let Some(next) = planner.launch() else { break };
            let args = slots.args_for(&args, &next, planner.pin_to());
            let (client, decoder, seq) = (Arc::clone(&client), Arc::clone(&decoder), launched);
            let permits = permits.clone();
            tasks.spawn(async move {
                // A closed semaphore is never closed here: without a permit the request goes anyway.
                let _permit = match &permits {
                    Some(p) => p.acquire().await.ok(),
                    None => None,
                };
                let result = client.call(endpoint, &args, &options, &*decoder).await;
                (seq, next, result)
            });
            launched += 1;
            room -= 1;
        }
        if tasks.is_empty() {
            // Nothing in flight and nothing to launch: the planner has no more pages.
            let _ = pages.send(Event::End).await;
            return;
        }
        let (seq, next, result) = match tasks.join_next().await {
            Some(Ok(done)) => done,
            Some(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            // Cancelled: only when this future is being dropped.
            Some(Err(_)) | None => return,
        };
        finished.insert(seq, (next, result));
        while let Some((next, result)) = finished.remove(&delivered) {
            delivered += 1;
            match result {
                Err(error) => {
                    let _ = pages.send(Event::Failed(error)).await;
                    return;
                }
                Ok(reply) => {
                    let keep = planner.receive(&next, reply.body.info());
                    let page = Page { fetched: next, reply, keep };
                    if pages.send(Event::Page(Box::new(page))).await.is_err() {
                        return;
                    }
                }
            }
            if planner.is_done() {
                // The end or the limit: pages still in flight are cancelled with `tasks`.
                let _ = pages.send(Event::End).await;
                return;
            }
        }
    }
}

/// A page fetch that has finished: what was fetched, and how it went.
type Fetched<T> = (Next, Result<Reply<T>, Error>);

/// The channel `fetch_pages` sends into: room for `concurrency` pages (and the end).
pub fn channel<T>(concurrency: usize) -> (mpsc::Sender<Event<T>>, mpsc::Receiver<Event<T>>) {
    mpsc::channel(concurrency.max(1) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offset(page: u64, count: u64, per_page: u64, ids: std::ops::Range<i64>) -> PageInfo {
        PageInfo {
            page: Some(page),
            page_count: Some(count),
            per_page: Some(per_page),
            ids: ids.map(Some).collect(),
            newest: Some(format!("2024-01-01T00:00:{page:02}.000Z")),
            ..PageInfo::default()
        }
    }

    fn launch_all(p: &mut Planner) -> Vec<Next> {
        std::iter::from_fn(|| p.launch()).collect()
    }

    #[test]
    fn after_a_first_page_the_rest_are_launched_at_once_and_pinned() {
        let (mut p, keep) = Planner::after_first(&offset(1, 4, 3, 0..3), true, None);
        assert!(keep.all());
        assert_eq!(p.pin_to(), Some("2024-01-01T00:00:01.000Z"));
        assert_eq!(launch_all(&mut p), vec![Next::Page(2), Next::Page(3), Next::Page(4)]);
        for n in 2..=4 {
            let keep = p.receive(&Next::Page(n), &offset(n, 4, 3, (n as i64 * 3)..(n as i64 * 3 + 3)));
            assert!(keep.all());
        }
        assert!(p.is_done());
    }

    #[test]
    fn items_seen_before_are_dropped_and_a_grown_list_is_followed() {
        let (mut p, _) = Planner::after_first(&offset(1, 2, 3, 0..3), false, None);
        assert_eq!(launch_all(&mut p), vec![Next::Page(2)]);
        // Two items arrived on top: page 2 repeats two of page 1's, and there are now 3 pages.
        let keep = p.receive(&Next::Page(2), &offset(2, 3, 3, 1..4));
        assert_eq!(keep.keep, vec![false, false, true]);
        assert_eq!(launch_all(&mut p), vec![Next::Page(3)]);
        p.receive(&Next::Page(3), &offset(3, 3, 3, 4..6));
        assert!(p.is_done());
    }

    #[test]
    fn a_later_first_page_is_not_pinned() {
        let (p, _) = Planner::after_first(&offset(3, 5, 3, 0..3), true, None);
        assert_eq!(p.pin_to(), None);
    }

    #[test]
    fn limit_caps_items_and_pages() {
        let (mut p, keep) = Planner::after_first(&offset(1, 10, 3, 0..3), false, Some(7));
        assert!(keep.all());
        // 4 more items: two more pages, not eight.
        assert_eq!(launch_all(&mut p), vec![Next::Page(2), Next::Page(3)]);
        assert!(p.receive(&Next::Page(2), &offset(2, 10, 3, 3..6)).all());
        assert_eq!(p.receive(&Next::Page(3), &offset(3, 10, 3, 6..9)).keep, vec![true, false, false]);
        assert!(p.is_done());
        assert_eq!(p.launch(), None);
        // A first page beyond the limit keeps only the limit.
        let (p, keep) = Planner::after_first(&offset(1, 10, 3, 0..3), false, Some(2));
        assert_eq!(keep.keep, vec![true, true, false]);
        assert!(p.is_done());
    }

    #[test]
    fn duplicates_extend_the_pages_a_limit_needs() {
        let (mut p, _) = Planner::after_first(&offset(1, 10, 3, 0..3), false, Some(6));
        assert_eq!(launch_all(&mut p), vec![Next::Page(2)]);
        // Page 2 is all repeats: one more page is needed.
        assert_eq!(p.receive(&Next::Page(2), &offset(2, 10, 3, 0..3)).count(), 0);
        assert_eq!(launch_all(&mut p), vec![Next::Page(3)]);
    }

    #[test]
    fn without_a_page_count_pages_go_one_at_a_time_until_a_short_one() {
        let info = |ids: std::ops::Range<i64>| PageInfo {
            per_page: Some(3),
            ids: ids.map(Some).collect(),
            ..Default::default()
        };
        let (mut p, _) = Planner::after_first(&info(0..3), false, None);
        assert_eq!(launch_all(&mut p), vec![Next::Page(2)]);
        p.receive(&Next::Page(2), &info(3..6));
        assert_eq!(launch_all(&mut p), vec![Next::Page(3)]);
        p.receive(&Next::Page(3), &info(6..7));
        assert!(p.is_done());
    }

    #[test]
    fn from_the_start_page_one_comes_first_then_the_rest() {
        let mut p = Planner::from_start(1, false, true, None);
        assert_eq!(launch_all(&mut p), vec![Next::Start]);
        p.receive(&Next::Start, &offset(1, 3, 2, 0..2));
        assert_eq!(p.pin_to(), Some("2024-01-01T00:00:01.000Z"));
        assert_eq!(launch_all(&mut p), vec![Next::Page(2), Next::Page(3)]);
        let mut empty = Planner::from_start(1, false, false, None);
        assert_eq!(empty.launch(), Some(Next::Start));
        empty.receive(&Next::Start, &PageInfo { page_count: Some(0), ..Default::default() });
        assert!(empty.is_done());
        // Cursor pages from the start: the caller's arguments, then each next.
        let mut cursor = Planner::from_start(1, true, true, None);
        assert_eq!(cursor.launch(), Some(Next::Start));
        let info = PageInfo { has_cursor: true, next: Some("n".into()), ids: vec![Some(1)], ..Default::default() };
        cursor.receive(&Next::Start, &info);
        assert_eq!(cursor.pin_to(), None);
        assert_eq!(launch_all(&mut cursor), vec![Next::Cursor("n".into())]);
    }

    #[test]
    fn cursor_pages_follow_next_one_at_a_time() {
        let page = |next: Option<&str>, ids: std::ops::Range<i64>| PageInfo {
            has_cursor: true,
            next: next.map(str::to_owned),
            per_page: Some(2),
            ids: ids.map(Some).collect(),
            ..Default::default()
        };
        let (mut p, _) = Planner::after_first(&page(Some("c1"), 0..2), true, None);
        assert_eq!(p.pin_to(), None);
        assert_eq!(launch_all(&mut p), vec![Next::Cursor("c1".into())]);
        p.receive(&Next::Cursor("c1".into()), &page(Some("c2"), 2..4));
        assert_eq!(launch_all(&mut p), vec![Next::Cursor("c2".into())]);
        p.receive(&Next::Cursor("c2".into()), &page(None, 4..5));
        assert!(p.is_done());
    }

    #[test]
    fn the_arguments_of_each_page() {
        let endpoint = crate::endpoints::find("transaction", "list").unwrap_or_else(|| panic!("no endpoint"));
        let slots = Slots::of(endpoint);
        let base: Vec<Option<Arg>> = vec![None; endpoint.params.len()];
        let args = slots.args_for(&base, &Next::Page(4), Some("2024-01-01T00:00:00.000Z"));
        let prepared = crate::request::prepare(endpoint, &args).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(prepared.path_and_query, "/transaction?page=4&to=2024-01-01T00%3A00%3A00.000Z");
        assert!(!slots.has_to(&base));
        assert!(slots.has_to(&args));
        assert_eq!(slots.start_page(&args), 4);
        let cursor = slots.args_for(&args, &Next::Cursor("abc=".into()), None);
        let prepared = crate::request::prepare(endpoint, &cursor).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(prepared.path_and_query, "/transaction?to=2024-01-01T00%3A00%3A00.000Z&next=abc%3D");
        assert!(newest_first(endpoint));
        assert!(!newest_first(crate::endpoints::find("bulk_charge", "charges").unwrap_or_else(|| panic!("no"))));
    }
}
