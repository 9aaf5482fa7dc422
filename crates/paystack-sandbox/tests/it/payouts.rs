//! The clock, settlements and refunds (docs/sandbox.md "The clock", "Settlements", "Refunds";
//! docs/paystack-api.md §8): a month of charges settles day by day, each settlement's figures are
//! the sums of its transactions, fees and deductions, refunds move on the clock with signed
//! webhooks and are deducted from later settlements.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::*;

const START: &str = "2024-08-01T09:00:00Z";

async fn advance(api: &Api, body: Value) -> Value {
    let reply = api.post("/_sandbox/clock/advance", body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["data"].clone()
}

async fn charge(api: &Api, email: &str, authorization: &str, amount: u64, extra: Value) -> Value {
    let mut body = json!({"email": email, "amount": amount, "authorization_code": authorization});
    if let (Value::Object(b), Value::Object(e)) = (&mut body, extra) {
        b.extend(e);
    }
    let reply = api.post("/transaction/charge_authorization", body).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body["data"].clone()
}

fn u(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("not an integer: {value:?}"))
}

/// Every item of a list route, following its pages.
async fn all(api: &Api, path: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let joiner = if path.contains('?') { '&' } else { '?' };
    for page in 1.. {
        let reply = api.get(&format!("{path}{joiner}perPage=100&page={page}")).await;
        assert_eq!(reply.status, 200, "{path}: {:?}", reply.body);
        let data = reply.body["data"].as_array().unwrap().clone();
        items.extend(data);
        if page >= u(&reply.body["meta"]["pageCount"]) {
            break;
        }
    }
    items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clock_starts_where_told_and_only_moves_forward() {
    let sb = Sandbox::start(json!({"start": START}));
    let api = sb.api();
    let clock = api.get("/_sandbox/clock").await.body["data"].clone();
    assert!(clock["now"].as_str().unwrap().starts_with("2024-08-01T09:00:"), "{clock}");
    assert_eq!((clock["start"].as_str(), clock["mode"].as_str()), (Some("2024-08-01T09:00:00.000Z"), Some("started")));
    let paid = charge(&api, EMAIL_SUCCESS, AUTH_SUCCESS, 10_000, json!({"reference": "clock-1"})).await;
    assert!(paid["transaction_date"].as_str().unwrap().starts_with("2024-08-01T09:00:"), "{paid}");
    let verified = api.get("/transaction/verify/clock-1").await.body["data"].clone();
    assert!(verified["paid_at"].as_str().unwrap().starts_with("2024-08-01T09:00:"), "{verified}");
    let moved = advance(&api, json!({"days": 1, "hours": 2, "minutes": 30})).await;
    assert!(moved["now"].as_str().unwrap().starts_with("2024-08-02T11:30:"), "{moved}");
    assert_eq!(moved["advanced_ms"], 95_400_000);
    let moved = advance(&api, json!({"to": "2024-08-03T00:00:00Z"})).await;
    assert!(moved["now"].as_str().unwrap().starts_with("2024-08-03T00:00:00"), "{moved}");
    for bad in [
        json!({"to": "2024-08-01T00:00:00Z"}),
        json!({"weeks": 1}),
        json!({"days": -1}),
        json!({"days": 1, "to": START}),
    ] {
        let reply = api.post("/_sandbox/clock/advance", bad.clone()).await;
        assert_eq!(reply.status, 400, "{bad}: {:?}", reply.body);
    }
    // The request log and the ledger are stamped by the clock too.
    let entries = api.ledger("?reference=clock-1").await["entries"].clone();
    assert!(entries[0]["at"].as_str().unwrap().starts_with("2024-08-01T09:00:"), "{entries}");
    let requests = api.get("/_sandbox/requests").await.body["data"].clone();
    assert!(requests[0]["at"].as_str().unwrap().starts_with("2024-08-01"), "{requests}");
    // A bad start is refused before anything runs.
    let bad = paystack_sandbox::SandboxConfig::from_json(r#"{"start": "2024-13-01"}"#).unwrap_err();
    assert!(bad.contains("start must be an ISO 8601"), "{bad}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fees_come_from_pricing_table() {
    let sb = Sandbox::start(json!({"start": START}));
    let api = sb.api();
    for (amount, currency, fees) in [
        (249_999u64, "NGN", 3_749u64),
        (250_000, "NGN", 13_750),
        (12_666_667, "NGN", 200_000),
        (50_000_000, "NGN", 200_000),
        (10_000, "GHS", 195),
        // The fixtures' cards are Nigerian: international in Kenya and South Africa.
        (10_000, "KES", 380),
        (10_000, "ZAR", 310 + 100),
        (10_000, "USD", 390),
    ] {
        let paid = charge(&api, EMAIL_SUCCESS, AUTH_SUCCESS, amount, json!({"currency": currency})).await;
        let fetched = api.get(&format!("/transaction/{}", paid["id"])).await.body["data"].clone();
        assert_eq!((u(&fetched["fees"]), fetched["currency"].as_str()), (fees, Some(currency)), "{amount} {currency}");
    }
    // A Kenyan card: international for NGN (Paystack's sample: 390 on 10,000), local for KES.
    let added = api.post("/_sandbox/customers", json!({"email": "ke@example.com", "country_code": "ke"})).await;
    assert_eq!(added.status, 201, "{:?}", added.body);
    let card = added.body["data"]["authorization"]["authorization_code"].as_str().unwrap().to_string();
    assert_eq!(added.body["data"]["authorization"]["country_code"], "KE");
    for (amount, currency, fees) in [(10_000u64, "NGN", 390u64), (250_000, "NGN", 9_750 + 10_000), (10_000, "KES", 290)]
    {
        let paid = charge(&api, "ke@example.com", &card, amount, json!({"currency": currency})).await;
        assert_eq!(u(&paid["fees"]), fees, "{amount} {currency}");
        assert_eq!(paid["authorization"]["country_code"], "KE");
    }
    let bad = api.post("/_sandbox/customers", json!({"email": "x@example.com", "country_code": "Kenya"})).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_settles_and_every_settlement_adds_up() {
    let sb = Sandbox::start(json!({"start": START, "process_interval_ms": 0}));
    let api = sb.api();
    let mut expected_success: BTreeSet<u64> = BTreeSet::new();
    let mut failed: BTreeSet<u64> = BTreeSet::new();
    let mut refunded = 0u64;
    let mut big_refund = None;
    for day in 0..30u64 {
        // A batch: successes of varied sizes (across the NGN 2,500 waiver and the cap), a decline
        // that never succeeds, a flaky card that succeeds on its fourth attempt.
        let charges = json!([
            {"authorization": AUTH_SUCCESS, "amount": 10_000 + day * 1_000, "reference": format!("m-{day}-a")},
            {"authorization": AUTH_SUCCESS, "amount": 250_000, "reference": format!("m-{day}-b")},
            {"authorization": AUTH_FULL, "amount": if day == 9 { 13_000_009 } else { 300_000 + day }, "reference": format!("m-{day}-c")},
            {"authorization": AUTH_DECLINED, "amount": 7_000, "reference": format!("m-{day}-d")},
            {"authorization": AUTH_FLAKY3, "amount": 4_500, "reference": format!("m-{day}-e")},
        ]);
        let batch = api.bulk(charges).await;
        api.wait_complete(batch["batch_code"].as_str().unwrap()).await;
        // A single charge, and a GHS one (its own settlement).
        charge(&api, EMAIL_PLAIN, AUTH_PLAIN, 99_900, json!({"reference": format!("m-{day}-s")})).await;
        charge(&api, EMAIL_SUCCESS, AUTH_SUCCESS, 5_000, json!({"reference": format!("m-{day}-g"), "currency": "GHS"}))
            .await;
        for suffix in ["a", "b", "c", "e", "s", "g"] {
            let tx = api.get(&format!("/transaction/verify/m-{day}-{suffix}")).await.body["data"].clone();
            assert_eq!(tx["status"], "success", "m-{day}-{suffix}");
            expected_success.insert(u(&tx["id"]));
        }
        let declined = api.get(&format!("/transaction/verify/m-{day}-d")).await.body["data"].clone();
        assert_eq!(declined["status"], "failed");
        failed.insert(u(&declined["id"]));
        // Partial refunds of yesterday's single charge; on day 10, the whole of a big charge,
        // which one day's settlement cannot cover.
        if day > 0 {
            let refund =
                api.post("/refund", json!({"transaction": format!("m-{}-s", day - 1), "amount": 30_000})).await;
            assert_eq!(refund.status, 200, "{:?}", refund.body);
            refunded += 30_000;
        }
        if day == 10 {
            let refund = api.post("/refund", json!({"transaction": "m-9-c"})).await;
            assert_eq!(u(&refund.body["data"]["amount"]), 13_000_009);
            big_refund = Some(u(&refund.body["data"]["id"]));
            refunded += 13_000_009;
        }
        advance(&api, json!({"days": 1})).await;
    }
    // A last, large day pays off what refunds still owe.
    let last = charge(&api, EMAIL_SUCCESS, AUTH_SUCCESS, 50_000_000, json!({"reference": "m-final"})).await;
    expected_success.insert(u(&last["id"]));
    advance(&api, json!({"days": 2})).await;

    let settlements = all(&api, "/settlement").await;
    assert_eq!(settlements.len(), 61, "one NGN and one GHS settlement per day of charges, one NGN for the last");
    let mut settled: BTreeSet<u64> = BTreeSet::new();
    let mut deductions_total = 0u64;
    let mut dates: BTreeMap<String, usize> = BTreeMap::new();
    for s in &settlements {
        assert_eq!(s["status"], "success", "{s}");
        let txs = all(&api, &format!("/settlement/{}/transactions", s["id"])).await;
        let processed: u64 = txs.iter().map(|t| u(&t["amount"])).sum();
        let fees: u64 = txs.iter().map(|t| u(&t["fees"])).sum();
        assert_eq!(u(&s["total_processed"]), processed, "{s}");
        assert_eq!(u(&s["total_fees"]), fees, "{s}");
        assert_eq!(u(&s["total_amount"]), processed - fees, "{s}");
        let deductions = s["deductions"].as_u64().unwrap_or(0);
        assert_eq!(u(&s["effective_amount"]), processed - fees - deductions, "{s}");
        deductions_total += deductions;
        let date = s["settlement_date"].as_str().unwrap().to_string();
        assert!(date.ends_with("T00:00:00.000Z"), "{date}");
        *dates.entry(date.clone()).or_default() += 1;
        for t in &txs {
            assert_eq!(t["status"], "success");
            assert_eq!(t["currency"], s["currency"]);
            // Paid the day before the settlement's date (T+1).
            let paid = t["paid_at"].as_str().unwrap();
            let day_after = api_day_after(paid);
            assert_eq!(date[..10], day_after, "{paid} settled on {date}");
            assert!(settled.insert(u(&t["id"])), "a transaction in two settlements");
        }
        // The transaction list's settlement filter agrees.
        let listed: BTreeSet<u64> =
            all(&api, &format!("/transaction?settlement={}", s["id"])).await.iter().map(|t| u(&t["id"])).collect();
        let in_settlement: BTreeSet<u64> = txs.iter().map(|t| u(&t["id"])).collect();
        assert_eq!(listed, in_settlement);
    }
    assert_eq!(settled, expected_success, "every success settles once, nothing else does");
    assert!(settled.is_disjoint(&failed));
    assert_eq!(dates.remove("2024-09-01T00:00:00.000Z"), Some(1));
    assert_eq!(dates.len(), 30);
    assert!(dates.values().all(|n| *n == 2), "{dates:?}");

    let refunds = all(&api, "/refund").await;
    assert_eq!(refunds.len(), 30);
    let deducted: u64 = refunds.iter().map(|r| u(&r["deducted_amount"])).sum();
    assert_eq!(deducted, refunded, "every processed refund was deducted in full");
    assert_eq!(deductions_total, refunded, "settlements' deductions are the refunds' deducted amounts");
    for r in &refunds {
        assert_eq!((r["status"].as_str(), r["fully_deducted"].as_bool()), (Some("processed"), Some(true)), "{r}");
        assert!(r["settlement"].as_u64().is_some());
    }
    // The big refund was taken over several settlements.
    let big = api.get(&format!("/refund/{}", big_refund.unwrap())).await.body["data"].clone();
    let covering: Vec<&Value> = settlements
        .iter()
        .filter(|s| s["currency"] == "NGN" && s["deductions"].as_u64().unwrap_or(0) > 30_000)
        .collect();
    assert!(covering.len() >= 2, "{covering:?}");
    assert_eq!(u(&big["deducted_amount"]), 13_000_009);
    let some_emptied = settlements.iter().any(|s| s["effective_amount"] == 0 && s["deductions"].as_u64().is_some());
    assert!(some_emptied, "a settlement smaller than what is owed pays out nothing");
}

/// `2024-08-01T…` → `2024-08-02` (the day after, by the calendar).
fn api_day_after(iso: &str) -> String {
    let date = &iso[..10];
    let (y, m, d): (i64, u32, u32) =
        (date[..4].parse().unwrap(), date[5..7].parse().unwrap(), date[8..].parse().unwrap());
    let days_in = |m: u32| match m {
        2 if y % 4 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d < days_in(m) {
        format!("{y:04}-{m:02}-{:02}", d + 1)
    } else if m < 12 {
        format!("{y:04}-{:02}-01", m + 1)
    } else {
        format!("{:04}-01-01", y + 1)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settlements_go_pending_processing_success_and_filter() {
    let sb = Sandbox::start(json!({"start": START}));
    let api = sb.api();
    charge(&api, EMAIL_SUCCESS, AUTH_SUCCESS, 10_000, json!({"reference": "f-1"})).await;
    charge(&api, EMAIL_SUCCESS, AUTH_SUCCESS, 20_000, json!({"reference": "f-2"})).await;
    assert_eq!(api.get("/settlement").await.body["data"], json!([]));
    advance(&api, json!({"to": "2024-08-02T02:00:00Z"})).await;
    let listed = api.get("/settlement").await.body;
    assert_eq!(listed["message"], "Settlements retrieved");
    let s = listed["data"][0].clone();
    assert_eq!(
        (s["status"].as_str(), s["settlement_date"].as_str()),
        (Some("pending"), Some("2024-08-02T00:00:00.000Z"))
    );
    assert!(s["createdAt"].as_str().unwrap().starts_with("2024-08-02T01:00:00"), "{s}");
    assert_eq!((u(&s["total_processed"]), u(&s["total_fees"]), u(&s["total_amount"])), (30_000, 450, 29_550));
    assert_eq!((s["deductions"].clone(), u(&s["effective_amount"])), (Value::Null, 29_550));
    let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
    let sample = read_json("samples/api/settlements/list/response.json");
    let sample_keys: Vec<&str> =
        sample["200"]["data"]["data"][0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, sample_keys, "the sample's keys, in its order");
    assert_eq!(api.get("/settlement?status=pending").await.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(api.get("/settlement?status=success").await.body["data"], json!([]));
    advance(&api, json!({"to": "2024-08-02T05:00:00Z"})).await;
    assert_eq!(api.get("/settlement?status=processing").await.body["data"][0]["id"], s["id"]);
    advance(&api, json!({"to": "2024-08-02T10:00:00Z"})).await;
    let done = api.get("/settlement?status=success").await.body["data"][0].clone();
    assert!(done["updatedAt"].as_str().unwrap().starts_with("2024-08-02T09:00:00"), "{done}");
    for (query, count) in [
        ("from=2024-08-02&to=2024-08-02", 1),
        ("from=2024-08-03", 0),
        ("to=2024-08-01", 0),
        ("subaccount=none", 1),
        ("subaccount=ACCT_nobody", 0),
    ] {
        let reply = api.get(&format!("/settlement?{query}")).await;
        assert_eq!(reply.body["data"].as_array().unwrap().len(), count, "{query}");
    }
    assert_eq!(api.get("/settlement?status=settled").await.status, 400);
    let plural = api.get(&format!("/settlement/{}/transactions", s["id"])).await.body;
    let singular = api.get(&format!("/settlement/{}/transaction", s["id"])).await.body;
    assert_eq!(plural, singular);
    assert_eq!(plural["message"], "Transactions retrieved");
    assert_eq!(plural["meta"]["total"], 2);
    assert_eq!(plural["meta"]["total_volume"], 300, "major units, as Paystack's sample");
    let missing = api.get("/settlement/999/transactions").await;
    assert_eq!((missing.status, missing.body["message"].as_str()), (404, Some("Settlement not found")));
    // The export's settlement filter, and totals' pending transfers.
    let export = api.get(&format!("/transaction/export?settlement={}", s["id"])).await.body["data"]["path"].clone();
    let csv = sb.client.get(export.as_str().unwrap()).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    let unknown = api.get("/transaction/export?settlement=1").await.body["data"]["path"].clone();
    let csv = sb.client.get(unknown.as_str().unwrap()).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.lines().count(), 1, "only the header: {csv}");
    let totals = api.get("/transaction/totals").await.body["data"].clone();
    assert_eq!((u(&totals["total_volume"]), u(&totals["pending_transfers"])), (30_000, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refunds_move_on_the_clock_with_signed_webhooks_and_refuse_what_paystack_refuses() {
    let receiver = Receiver::start(0).await;
    let sb = Sandbox::start(json!({"start": START, "webhook_url": receiver.url()}));
    let api = sb.api();
    let paid = charge(&api, EMAIL_FULL, AUTH_FULL, 50_000, json!({"reference": "r-1"})).await;
    let created =
        api.post("/refund", json!({"transaction": "r-1", "amount": 20_000, "merchant_note": "damaged"})).await;
    assert_eq!(created.status, 200, "{:?}", created.body);
    assert_eq!(created.body["message"], "Refund has been queued for processing");
    let refund = created.body["data"].clone();
    assert_eq!((refund["status"].as_str(), u(&refund["deducted_amount"])), (Some("pending"), 0));
    assert_eq!(
        (refund["transaction"]["reference"].as_str(), refund["fully_deducted"].as_bool()),
        (Some("r-1"), Some(false))
    );
    assert_eq!(refund["customer_note"], "Refund for transaction r-1");
    assert_eq!(refund["merchant_note"], "damaged");
    assert!(refund["expected_at"].as_str().unwrap().starts_with("2024-08-02T09:00:"), "{refund}");
    let id = u(&refund["id"]);
    // By id as well as by reference; over what is left; fully; not successful; unknown.
    let by_id = api.post("/refund", json!({"transaction": paid["id"].to_string(), "amount": 10_000})).await;
    assert_eq!(by_id.status, 200, "{:?}", by_id.body);
    let over = api.post("/refund", json!({"transaction": "r-1", "amount": 20_001})).await;
    assert_eq!(over.status, 400);
    assert_eq!(over.body["message"], "Refund amount cannot be more than the amount left to refund on the transaction");
    let rest = api.post("/refund", json!({"transaction": "r-1"})).await;
    assert_eq!(u(&rest.body["data"]["amount"]), 20_000, "the rest when no amount is given");
    let again = api.post("/refund", json!({"transaction": "r-1", "amount": 1})).await;
    assert_eq!((again.status, again.body["message"].as_str()), (400, Some("Transaction has been fully reversed")));
    charge(&api, EMAIL_DECLINED, AUTH_DECLINED, 5_000, json!({"reference": "r-declined"})).await;
    let declined = api.post("/refund", json!({"transaction": "r-declined"})).await;
    assert_eq!(
        (declined.status, declined.body["message"].as_str()),
        (400, Some("Only successful transactions can be refunded"))
    );
    let unknown = api.post("/refund", json!({"transaction": "nope"})).await;
    assert_eq!((unknown.status, unknown.body["message"].as_str()), (404, Some("Transaction not found")));
    let missing = api.post("/refund", json!({})).await;
    assert_eq!((missing.status, missing.body["code"].as_str()), (400, Some("missing_params")));
    charge(&api, EMAIL_SUCCESS, AUTH_SUCCESS, 5_000, json!({"reference": "r-usd", "currency": "USD"})).await;
    let currency = api.post("/refund", json!({"transaction": "r-usd", "currency": "NGN"})).await;
    assert_eq!(currency.status, 400, "{:?}", currency.body);
    let tiny = api.post("/refund", json!({"transaction": "r-usd", "amount": 99})).await;
    assert_eq!(tiny.body["message"], "Cannot refund less than USD 1");
    let zero = api.post("/refund", json!({"transaction": "r-usd", "amount": 0})).await;
    assert_eq!(zero.status, 400);

    let status = |api: Api| async move { api.get(&format!("/refund/{id}")).await.body["data"]["status"].clone() };
    assert_eq!(status(api.clone()).await, "pending");
    advance(&api, json!({"hours": 1})).await;
    assert_eq!(status(api.clone()).await, "processing");
    advance(&api, json!({"hours": 23})).await;
    let processed = api.get(&format!("/refund/{id}")).await.body;
    assert_eq!(processed["message"], "Refund retrieved");
    assert_eq!(processed["data"]["status"], "processed");
    assert!(processed["data"]["refunded_at"].as_str().unwrap().starts_with("2024-08-02T09:00:"), "{processed}");
    // Deducted from the next morning's settlement (the charge's own, made at 01:00 on the 2nd,
    // came before the refund was processed, so it is the 3rd's; no NGN charges that day → waits).
    assert_eq!(processed["data"]["settlement"], Value::Null);
    charge(&api, EMAIL_SUCCESS, AUTH_SUCCESS, 100_000, json!({"reference": "r-2"})).await;
    advance(&api, json!({"days": 1})).await;
    let deducted = api.get(&format!("/refund/{id}")).await.body["data"].clone();
    assert_eq!((u(&deducted["deducted_amount"]), deducted["fully_deducted"].as_bool()), (20_000, Some(true)));
    let settlement = api.get("/settlement").await.body["data"][0].clone();
    assert_eq!(deducted["settlement"], settlement["id"]);
    assert_eq!(u(&settlement["deductions"]), 50_000, "the three refunds of r-1");
    assert_eq!(u(&settlement["effective_amount"]), 100_000 - 1_500 - 50_000);

    // Every refund event was delivered, signed like charge.success.
    let deliveries = api.get("/_sandbox/webhooks?reference=r-1").await.body["data"].clone();
    let events: Vec<&str> = deliveries.as_array().unwrap().iter().map(|d| d["event"].as_str().unwrap()).collect();
    assert_eq!(events.iter().filter(|e| **e == "refund.pending").count(), 3);
    assert_eq!(events.iter().filter(|e| **e == "refund.processing").count(), 3);
    assert_eq!(events.iter().filter(|e| **e == "refund.processed").count(), 3);
    assert_eq!(events[0], "charge.success");
    let received = receiver.received.lock().clone();
    for (headers, body) in &received {
        assert_eq!(headers["x-paystack-signature"].to_str().unwrap(), hmac_sha512_hex(sb.server.secret_key(), body));
    }
    let processed_event = received
        .iter()
        .map(|(_, body)| serde_json::from_slice::<Value>(body).unwrap())
        .find(|p| p["event"] == "refund.processed" && p["data"]["amount"] == "20000")
        .expect("a refund.processed of 20000");
    let sample = read_json("samples/doc/payments/refunds/events/refund-processed.json");
    for key in sample["data"].as_object().unwrap().keys() {
        assert!(processed_event["data"].get(key).is_some(), "{key} missing from {processed_event}");
    }
    assert!(processed_event["data"]["refund_reference"].as_str().unwrap().starts_with("TRF_"));

    // A refund that needs attention is retried with the customer's details; others refuse (422).
    let stuck = api.post("/refund", json!({"transaction": "r-2", "amount": 1_000})).await.body["data"]["id"].clone();
    let not_yet = api
        .post(
            &format!("/refund/retry_with_customer_details/{stuck}"),
            json!({"refund_account_details": {"currency": "NGN", "account_number": "0123456789", "bank_id": "9"}}),
        )
        .await;
    assert_eq!(not_yet.status, 422);
    assert_eq!(not_yet.body["message"], "Invalid Refund state, refund status should be \"needs-attention\"");
    let flagged = api.post(&format!("/_sandbox/refunds/{stuck}/status"), json!({"status": "needs-attention"})).await;
    assert_eq!(flagged.body["data"]["status"], "needs-attention");
    let retried = api
        .post(
            &format!("/refund/retry_with_customer_details/{stuck}"),
            json!({"refund_account_details": {"currency": "NGN", "account_number": "0123456789", "bank_id": "9"}}),
        )
        .await;
    assert_eq!(retried.body["message"], "Refund retried and has been queued for processing");
    assert_eq!(retried.body["data"]["status"], "processing");
    advance(&api, json!({"days": 1})).await;
    assert_eq!(api.get(&format!("/refund/{stuck}")).await.body["data"]["status"], "processed");
    let failed = api.post("/refund", json!({"transaction": "r-2", "amount": 1_000})).await.body["data"]["id"].clone();
    api.post(&format!("/_sandbox/refunds/{failed}/status"), json!({"status": "failed"})).await;
    let listed = api.get("/refund").await.body;
    assert_eq!(listed["message"], "Refunds retrieved");
    assert_eq!(listed["meta"]["failedRefundCount"], 1);
    let left = api.post("/refund", json!({"transaction": "r-2"})).await.body["data"]["amount"].clone();
    assert_eq!(left, 99_000, "a failed refund gives its amount back");
    let late = receiver.count();
    assert!(late >= 12, "{late}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_retries_that_fall_due_happen_before_advance_returns() {
    let receiver = Receiver::start(2).await;
    let sb = Sandbox::start(json!({
        "start": START,
        "webhook_url": receiver.url(),
        "webhook_retry_interval_ms": 600_000,
        "webhook_max_attempts": 5,
    }));
    let api = sb.api();
    charge(&api, EMAIL_SUCCESS, AUTH_SUCCESS, 10_000, json!({"reference": "w-1"})).await;
    wait_for(Duration::from_secs(10), || {
        let receiver = &receiver;
        async move { (receiver.count() == 1).then_some(()) }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(receiver.count(), 1, "the retry waits ten minutes of clock time");
    advance(&api, json!({"minutes": 25})).await;
    assert_eq!(receiver.count(), 3, "two retries fell due and were made before advance answered");
    let delivery = api.get("/_sandbox/webhooks?reference=w-1").await.body["data"][0].clone();
    assert_eq!(delivery["status"], "delivered");
    let times: Vec<&str> = delivery["attempts"].as_array().unwrap().iter().map(|a| a["at"].as_str().unwrap()).collect();
    assert!(times[1].starts_with("2024-08-01T09:10:0"), "stamped when due: {times:?}");
    assert!(times[2].starts_with("2024-08-01T09:20:0"), "stamped when due: {times:?}");
}
