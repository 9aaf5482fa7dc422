//! `pager::fetch_pages` over HTTP against a small local server: pages handed over in order when
//! they finish out of order, never more than `concurrency` in flight, the first error stops it,
//! and dropping the consumer cancels the requests in flight.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use paystack_core::page_info::PageInfoDecoder;
use paystack_core::pager::{Event, Planner, channel, fetch_pages};
use paystack_core::{Arg, CallOptions, Client, ClientConfig, SecretKey, endpoints};
use serde_json::json;

const PAGES: u64 = 9;
const PER_PAGE: u64 = 2;

#[derive(Default)]
struct Server {
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    requests: AtomicUsize,
    /// Answer this page with a 400.
    fail_page: AtomicUsize,
}

async fn list(State(server): State<Arc<Server>>, Query(q): Query<HashMap<String, String>>) -> axum::response::Response {
    let page: u64 = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    server.requests.fetch_add(1, Ordering::SeqCst);
    let now = server.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    server.most_in_flight.fetch_max(now, Ordering::SeqCst);
    // Early pages answer last, so pages finish out of order.
    tokio::time::sleep(Duration::from_millis(if page == 1 { 1 } else { 10 * (PAGES + 1 - page) })).await;
    server.in_flight.fetch_sub(1, Ordering::SeqCst);
    if server.fail_page.load(Ordering::SeqCst) as u64 == page {
        return (StatusCode::BAD_REQUEST, axum::Json(json!({"status": false, "message": "Invalid page"})))
            .into_response();
    }
    let data: Vec<_> = (0..PER_PAGE)
        .map(|i| {
            let id = page * 100 + i;
            json!({"id": id, "createdAt": format!("2024-01-01T00:00:{:02}.000Z", 60 - page), "reference": format!("r{id}")})
        })
        .collect();
    let meta = json!({"total": PAGES * PER_PAGE, "skipped": (page - 1) * PER_PAGE, "perPage": PER_PAGE, "page": page, "pageCount": PAGES});
    axum::Json(json!({"status": true, "message": "Transactions retrieved", "data": data, "meta": meta})).into_response()
}

async fn start(server: Arc<Server>) -> String {
    let app = Router::new().route("/transaction", get(list)).with_state(server);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

fn client(base_url: String) -> Arc<Client> {
    let mut config = ClientConfig::new(SecretKey::new("sk_test_pager").unwrap_or_else(|e| panic!("{e}")));
    config.base_url = base_url;
    config.retry.max_retries = 0;
    Arc::new(Client::new(config).unwrap_or_else(|e| panic!("{e}")))
}

fn run(
    client: Arc<Client>,
    concurrency: usize,
) -> (tokio::sync::mpsc::Receiver<Event<paystack_core::page_info::CheckedPage>>, tokio::task::JoinHandle<()>) {
    let endpoint = endpoints::find("transaction", "list").unwrap_or_else(|| panic!("no endpoint"));
    let mut args: Vec<Option<Arg>> = vec![None; endpoint.params.len()];
    args[0] = Some(Arg::Json(json!(PER_PAGE)));
    let planner = Planner::from_start(1, false, true, None);
    let (tx, rx) = channel(concurrency);
    let task = tokio::spawn(fetch_pages(
        client,
        endpoint,
        args,
        CallOptions::default(),
        Arc::new(PageInfoDecoder),
        planner,
        concurrency,
        tx,
    ));
    (rx, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_come_in_order_with_at_most_concurrency_in_flight() {
    let server = Arc::new(Server::default());
    let (mut rx, _task) = run(client(start(Arc::clone(&server)).await), 3);
    let mut ids = Vec::new();
    loop {
        match rx.recv().await {
            Some(Event::Page(page)) => {
                assert!(page.keep.all());
                ids.extend(page.reply.body.info.ids.iter().flatten().copied());
                // A slow consumer: pages wait for it in the channel, the requests go on.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Some(Event::End) => break,
            Some(Event::Failed(e)) => panic!("{e}"),
            None => panic!("closed without End"),
        }
    }
    let expected: Vec<i64> = (1..=PAGES as i64).flat_map(|p| [p * 100, p * 100 + 1]).collect();
    assert_eq!(ids, expected);
    assert_eq!(server.requests.load(Ordering::SeqCst), PAGES as usize);
    let most = server.most_in_flight.load(Ordering::SeqCst);
    assert!((2..=3).contains(&most), "{most} requests in flight at once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_error_is_handed_over_after_the_pages_before_it() {
    let server = Arc::new(Server::default());
    server.fail_page.store(4, Ordering::SeqCst);
    let (mut rx, task) = run(client(start(Arc::clone(&server)).await), 8);
    let mut pages = 0;
    let error = loop {
        match rx.recv().await {
            Some(Event::Page(_)) => pages += 1,
            Some(Event::Failed(e)) => break e,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(pages, 3);
    assert!(error.to_string().contains("Invalid page"), "{error}");
    assert!(rx.recv().await.is_none());
    task.await.unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_consumer_cancels_the_requests_in_flight() {
    let server = Arc::new(Server::default());
    let (mut rx, task) = run(client(start(Arc::clone(&server)).await), 4);
    assert!(matches!(rx.recv().await, Some(Event::Page(_))));
    drop(rx);
    task.await.unwrap_or_else(|e| panic!("{e}"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Page 1, then at most the four launched after it; none after the consumer left.
    assert!(server.requests.load(Ordering::SeqCst) <= 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_that_stops_taking_pages_stops_the_fetching() {
    let server = Arc::new(Server::default());
    let (mut rx, _task) = run(client(start(Arc::clone(&server)).await), 2);
    assert!(matches!(rx.recv().await, Some(Event::Page(_))));
    tokio::time::sleep(Duration::from_millis(600)).await;
    // Page 1, then at most 2 in flight and the channel's 3 (2 pages and the end) waiting.
    let asked = server.requests.load(Ordering::SeqCst);
    assert!(asked <= 6, "{asked} pages asked for while the consumer took none");
    let mut pages = 1;
    while let Some(Event::Page(_)) = rx.recv().await {
        pages += 1;
    }
    assert_eq!(pages, PAGES);
}
