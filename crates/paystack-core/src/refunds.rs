//! A refund is money leaving: `POST /refund` is checked against the transaction before it is
//! sent, and it is never sent twice.
//!
//! Before sending (docs/paystack-api.md §8.3):
//! - the transaction is looked up (verify by reference; fetch by id for a numeric one): only a
//!   successful transaction can be refunded, in its own currency;
//! - its refunds so far are listed (`GET /refund` from the transaction's creation, matched by
//!   transaction id): what is left to refund is its amount less every refund not failed, and the
//!   amount asked for must not exceed it (a fully refunded transaction takes no more).
//!
//! Sending: `POST /refund` carries no reference Paystack could dedupe on, so a second request
//! could refund twice. The client sends it again only when the first certainly never reached
//! Paystack (a refused connection, a 429: `Safety::RefundOnce`). After any other failure (a
//! timeout, a 5xx, a lost answer) it lists the transaction's refunds again and looks for one that
//! was not there before, of the amount asked for: found, that refund is the answer (fetched, and
//! marked recovered); not found, the call fails "outcome unknown" naming the transaction, and it
//! is for the caller to look again (`Refund.list`) before refunding again.

use std::collections::HashSet;

use serde_json::Value;

use crate::client::{CallOptions, Client, Reply};
use crate::endpoint::{Endpoint, Safety};
use crate::endpoints;
use crate::envelope::{Decoder, JsonDecoder};
use crate::error::{Error, Issue, ValidationError};
use crate::request::{Arg, PreparedRequest, named_args, prepare};

/// Refunds listed per request while looking for a transaction's refunds.
const PER_PAGE: u64 = 100;
/// The most pages of refunds read for one transaction (10,000 refunds since it was created);
/// past that the amount left to refund is not checked.
const MAX_PAGES: u64 = 100;

/// A refund seen in `GET /refund`: its id, amount and status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundSeen {
    pub id: i64,
    pub amount: i64,
    pub status: String,
}

/// What a transaction allows to be refunded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refundable {
    pub transaction_id: i64,
    pub amount: i64,
    pub currency: String,
    /// Refunds not failed, summed.
    pub refunded: i64,
    /// The refunds that existed before this call (their ids).
    pub before: HashSet<i64>,
}

impl Refundable {
    pub fn left(&self) -> i64 {
        (self.amount - self.refunded).max(0)
    }
}

/// Statuses of a refund that will not send money (docs/paystack-api.md §8.3).
pub fn refund_counts(status: &str) -> bool {
    status != "failed"
}

/// Checks a refund of `amount` (None: what is left) in `currency` against what the transaction
/// allows; the problems name the field.
pub fn check(refundable: &Refundable, status: &str, amount: Option<i64>, currency: Option<&str>) -> Vec<Issue> {
    let mut issues = Vec::new();
    if status != "success" {
        issues.push(Issue::new("transaction", format!("is {status}: only a successful transaction can be refunded")));
        return issues;
    }
    if let Some(currency) = currency.filter(|c| *c != refundable.currency) {
        issues.push(Issue::new(
            "currency",
            format!("is {currency} but the transaction was paid in {}", refundable.currency),
        ));
    }
    let left = refundable.left();
    match amount {
        _ if left == 0 => issues.push(Issue::new(
            "transaction",
            format!("has been refunded in full ({} of {})", refundable.refunded, refundable.amount),
        )),
        Some(amount) if amount > left => issues.push(Issue::new(
            "amount",
            format!(
                "{amount} is more than the {left} left to refund (paid {}, refunded {})",
                refundable.amount, refundable.refunded
            ),
        )),
        _ => {}
    }
    issues
}

/// The transaction id a refund object names: `transaction` as an id, or an object with an `id`.
pub fn transaction_of(refund: &Value) -> Option<i64> {
    match refund.get("transaction")? {
        Value::Object(t) => t.get("id").and_then(Value::as_i64),
        other => integer(other),
    }
}

fn integer(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
}

/// Calls `endpoint` with `args`: a refund through `create`, any other endpoint as `Client::call`
/// does. The binding calls every endpoint through here.
pub async fn call<D: Decoder>(
    client: &Client,
    endpoint: &'static Endpoint,
    args: &[Option<Arg>],
    options: &CallOptions,
    decoder: &D,
) -> Result<Reply<D::Output>, Error> {
    if endpoint.safety != Safety::RefundOnce {
        return client.call(endpoint, args, options, decoder).await;
    }
    create(client, prepare(endpoint, args)?, options, decoder).await
}

/// Sends `request` (a `POST /refund`) once it passes the checks above; see the module's comment.
pub async fn create<D: Decoder>(
    client: &Client,
    request: PreparedRequest,
    options: &CallOptions,
    decoder: &D,
) -> Result<Reply<D::Output>, Error> {
    let body: Value = request.body.as_deref().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(Value::Null);
    let transaction = match body.get("transaction") {
        Some(Value::String(t)) => t.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let amount = body.get("amount").and_then(integer);
    let currency = body.get("currency").and_then(Value::as_str);

    let tx = find_transaction(client, &transaction, options).await?;
    let data = tx.get("data").unwrap_or(&Value::Null);
    let status = data.get("status").and_then(Value::as_str).unwrap_or("unknown").to_owned();
    let transaction_id = data.get("id").and_then(integer).unwrap_or_default();
    let created = data.get("createdAt").or_else(|| data.get("created_at")).and_then(Value::as_str).map(str::to_owned);
    let seen = refunds_of(client, transaction_id, created.as_deref(), options).await?;
    let refundable = Refundable {
        transaction_id,
        amount: data.get("amount").and_then(integer).unwrap_or_default(),
        currency: data.get("currency").and_then(Value::as_str).unwrap_or_default().to_owned(),
        refunded: seen.iter().filter(|r| refund_counts(&r.status)).map(|r| r.amount).sum(),
        before: seen.iter().map(|r| r.id).collect(),
    };
    let issues = check(&refundable, &status, amount, currency);
    if !issues.is_empty() {
        return Err(Error::Validation(ValidationError { issues }));
    }

    match client.send(request, options, decoder).await {
        Ok(reply) => Ok(reply),
        Err(error) if error.outcome_unknown().is_some() => {
            let wanted = amount.unwrap_or(refundable.left());
            let Ok(after) = refunds_of(client, transaction_id, created.as_deref(), options).await else {
                return Err(error);
            };
            let ours = after.iter().find(|r| !refundable.before.contains(&r.id) && r.amount == wanted);
            let Some(ours) = ours else { return Err(error) };
            let fetch = lookup("refund.fetch", [("id", Value::from(ours.id))])?;
            let mut reply = client.send(fetch, options, decoder).await.map_err(|_| error)?;
            reply.recovered = true;
            reply.reference = Some(transaction);
            Ok(reply)
        }
        Err(error) => Err(error),
    }
}

/// The transaction a refund names: by reference (verify), or for a numeric one that is no
/// reference, by id (fetch).
async fn find_transaction(client: &Client, transaction: &str, options: &CallOptions) -> Result<Value, Error> {
    let verify = lookup("transaction.verify", [("reference", Value::String(transaction.to_owned()))])?;
    match client.send(verify, options, &JsonDecoder).await {
        Ok(reply) => Ok(reply.body),
        Err(e) if is_not_found(&e) && transaction.bytes().all(|b| b.is_ascii_digit()) => {
            let fetch = lookup("transaction.fetch", [("id", Value::String(transaction.to_owned()))])?;
            Ok(client.send(fetch, options, &JsonDecoder).await?.body)
        }
        Err(e) => Err(e),
    }
}

fn is_not_found(error: &Error) -> bool {
    error
        .api()
        .is_some_and(|e| matches!(e.status_code, 400 | 404) && e.message.to_ascii_lowercase().contains("not found"))
}

/// The refunds of transaction `id`, from the list of refunds created since the transaction was.
async fn refunds_of(
    client: &Client,
    id: i64,
    since: Option<&str>,
    options: &CallOptions,
) -> Result<Vec<RefundSeen>, Error> {
    let mut found = Vec::new();
    for page in 1..=MAX_PAGES {
        let mut args = vec![("per_page", Value::from(PER_PAGE)), ("page", Value::from(page))];
        if let Some(since) = since {
            args.push(("_from", Value::String(since.to_owned())));
        }
        let request = lookup("refund.list", args)?;
        let body = client.send(request, options, &JsonDecoder).await?.body;
        let items = body.get("data").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for item in items.iter().filter(|r| transaction_of(r) == Some(id)) {
            found.push(RefundSeen {
                id: item.get("id").and_then(integer).unwrap_or_default(),
                amount: item.get("amount").and_then(integer).unwrap_or_default(),
                status: item.get("status").and_then(Value::as_str).unwrap_or_default().to_owned(),
            });
        }
        let meta = body.get("meta");
        let page_count = meta.and_then(|m| m.get("pageCount")).and_then(integer);
        let last = match page_count {
            Some(count) => page as i64 >= count,
            None => (items.len() as u64) < PER_PAGE,
        };
        if last {
            break;
        }
    }
    Ok(found)
}

/// A lookup: the endpoint and its arguments by name, never by position.
fn lookup<I: IntoIterator<Item = (&'static str, Value)>>(name: &str, args: I) -> Result<PreparedRequest, Error> {
    let endpoint = endpoints::by_name(name).ok_or_else(|| Error::Config(format!("no endpoint {name}")))?;
    let args = named_args(endpoint, args.into_iter().map(|(param, value)| (param, Arg::Json(value))))?;
    Ok(prepare(endpoint, &args)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paid(amount: i64, refunded: i64) -> Refundable {
        Refundable { transaction_id: 1, amount, currency: "NGN".into(), refunded, before: HashSet::new() }
    }

    fn fields(issues: &[Issue]) -> Vec<&str> {
        issues.iter().map(|i| i.field.as_str()).collect()
    }

    #[test]
    fn a_refund_fits_in_what_is_left() {
        assert!(check(&paid(10_000, 0), "success", Some(10_000), None).is_empty());
        assert!(check(&paid(10_000, 4_000), "success", Some(6_000), Some("NGN")).is_empty());
        assert!(check(&paid(10_000, 4_000), "success", None, None).is_empty());
        assert_eq!(fields(&check(&paid(10_000, 4_000), "success", Some(6_001), None)), ["amount"]);
        let full = check(&paid(10_000, 10_000), "success", None, None);
        assert_eq!(fields(&full), ["transaction"]);
        assert!(full[0].message.contains("in full"));
    }

    #[test]
    fn only_successful_transactions_in_their_currency() {
        assert_eq!(fields(&check(&paid(10_000, 0), "failed", Some(1), None)), ["transaction"]);
        assert_eq!(fields(&check(&paid(10_000, 0), "abandoned", None, None)), ["transaction"]);
        assert_eq!(fields(&check(&paid(10_000, 0), "success", Some(1), Some("GHS"))), ["currency"]);
    }

    #[test]
    fn failed_refunds_do_not_count() {
        assert!(!refund_counts("failed"));
        for status in ["pending", "processing", "processed", "needs-attention"] {
            assert!(refund_counts(status), "{status}");
        }
    }

    #[test]
    fn a_refund_names_its_transaction_by_id_or_object() {
        // docs/paystack-api.md §8.3: the list and fetch samples give an id, create's an object.
        assert_eq!(transaction_of(&json!({"transaction": 1641})), Some(1641));
        assert_eq!(transaction_of(&json!({"transaction": {"id": 1004723697, "reference": "T68"}})), Some(1004723697));
        assert_eq!(transaction_of(&json!({"transaction": "627178582"})), Some(627178582));
        assert_eq!(transaction_of(&json!({"dispute": 20})), None);
    }
}
