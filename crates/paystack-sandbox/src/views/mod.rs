//! The JSON shapes of Paystack's answers. Each view lists its keys in the order, and with the
//! value types, of Paystack's sample for that endpoint; the samples disagree with one another in
//! places (`metadata` "" vs null, `plan` {} vs null vs 0, `source` object vs null), and each view
//! reproduces its own endpoint's sample. Keys the samples lack but the OAS schema requires are
//! added at the end of the object. This module holds the pieces the views share.

pub(crate) mod batches;
pub(crate) mod refunds;
pub(crate) mod settlements;
pub(crate) mod transactions;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};

use crate::clock::iso;
use crate::state::IntegrationState;
use crate::state::records::{Authorization, Customer, Transaction, TxStatus};

/// Writes a JSON object's entries, in order, straight to a serializer. The list views are written
/// this way rather than built as `Value`s: a page of 1000 transactions built as `Value` trees (an
/// ordered map and a `String` key per entry) took ~90 ms to answer, written directly ~8 ms.
macro_rules! write_object {
    ($serializer:expr, { $($key:literal: $value:expr),* $(,)? }) => {{
        let mut map = serde::ser::Serializer::serialize_map($serializer, None)?;
        $(serde::ser::SerializeMap::serialize_entry(&mut map, $key, &$value)?;)*
        serde::ser::SerializeMap::end(map)
    }};
}
pub(crate) use write_object;

/// A written view as a `Value` (for the answers built as values).
pub(crate) fn to_value(view: impl Serialize) -> Value {
    serde_json::to_value(view).unwrap_or(Value::Null)
}

/// An ISO 8601 timestamp, or null.
pub(crate) struct Iso(pub Option<i64>);

impl Serialize for Iso {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(ms) => serializer.serialize_str(&iso(ms)),
            None => serializer.serialize_unit(),
        }
    }
}

/// JSON `null`.
pub(crate) const NULL: () = ();

/// `{}`.
pub(crate) struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_map(Some(0))?.end()
    }
}

/// The views of some items, written as a JSON array (a page of a list).
pub(crate) struct Each<'a, F> {
    pub items: &'a [usize],
    pub view: F,
}

impl<F, V> Serialize for Each<'_, F>
where
    F: Fn(usize) -> V,
    V: Serialize,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.items.len()))?;
        for item in self.items {
            seq.serialize_element(&(self.view)(*item))?;
        }
        seq.end()
    }
}

/// The customer inside GET /transaction items (no `international_format_phone`, other key order).
pub(crate) struct CustomerInList<'a>(pub &'a Customer);

impl Serialize for CustomerInList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = self.0;
        write_object!(serializer, {
            "id": c.id,
            "first_name": c.first_name,
            "last_name": c.last_name,
            "email": c.email,
            "phone": c.phone,
            "metadata": c.metadata,
            "customer_code": c.code,
            "risk_action": "default",
        })
    }
}

/// A card as the views show it, or `{}` when there is none (abandoned, declined at checkout).
pub(crate) struct AuthorizationView<'a> {
    pub card: Option<&'a Authorization>,
    pub keys: AuthKeys,
}

impl Serialize for AuthorizationView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(a) = self.card else { return EmptyObject.serialize(serializer) };
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("authorization_code", &a.code)?;
        map.serialize_entry("bin", &a.bin)?;
        map.serialize_entry("last4", &a.last4)?;
        map.serialize_entry("exp_month", &a.exp_month)?;
        map.serialize_entry("exp_year", &a.exp_year)?;
        map.serialize_entry("channel", "card")?;
        map.serialize_entry("card_type", &a.card_type)?;
        map.serialize_entry("bank", &a.bank)?;
        map.serialize_entry("country_code", &a.country_code)?;
        map.serialize_entry("brand", &a.brand)?;
        map.serialize_entry("reusable", &a.reusable)?;
        map.serialize_entry("signature", &a.signature)?;
        map.serialize_entry("account_name", &a.account_name)?;
        if self.keys.receiver {
            map.serialize_entry("receiver_bank_account_number", &NULL)?;
            map.serialize_entry("receiver_bank", &NULL)?;
        }
        map.end()
    }
}

/// A transaction's card, if it has one.
pub(crate) fn card_of<'a>(st: &'a IntegrationState, tx: &Transaction) -> Option<&'a Authorization> {
    tx.authorization.as_deref().and_then(|code| st.cards.by_code(code)).map(|a| &st.cards[a])
}

/// `source`: how the transaction was made (with `entry_point` in lists and webhooks).
pub(crate) struct Source<'a> {
    pub tx: &'a Transaction,
    pub entry_point: bool,
}

impl Serialize for Source<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("type", "api")?;
        map.serialize_entry("source", "merchant_api")?;
        map.serialize_entry("identifier", &NULL)?;
        if self.entry_point {
            map.serialize_entry("entry_point", self.tx.origin.entry_point())?;
        }
        map.end()
    }
}

pub(crate) fn opt_str(v: &Option<String>) -> Value {
    v.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

pub(crate) fn opt_time(v: Option<i64>) -> Value {
    v.map_or(Value::Null, |t| Value::String(iso(t)))
}

/// The customer as verify, fetch, charge_authorization and webhooks show it.
pub(crate) fn customer(c: &Customer) -> Value {
    json!({
        "id": c.id,
        "first_name": opt_str(&c.first_name),
        "last_name": opt_str(&c.last_name),
        "email": c.email,
        "customer_code": c.code,
        "phone": opt_str(&c.phone),
        "metadata": c.metadata.clone().unwrap_or(Value::Null),
        "risk_action": "default",
        "international_format_phone": opt_str(&c.international_format_phone),
    })
}

/// Which optional keys an authorization object carries in a view.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AuthKeys {
    pub receiver: bool,
}

/// A transaction's authorization, or `{}` when none was created (abandoned, declined at checkout).
pub(crate) fn tx_authorization(st: &IntegrationState, tx: &Transaction, keys: AuthKeys) -> Value {
    to_value(AuthorizationView { card: card_of(st, tx), keys })
}

/// `metadata` of single-object views: what was sent, or `""` when nothing was (as the samples).
pub(crate) fn metadata_single(tx: &Transaction) -> Value {
    tx.metadata.clone().unwrap_or_else(|| Value::String(String::new()))
}

/// The timeline / `log` object, built from the transaction's steps.
pub(crate) fn timeline(tx: &Transaction) -> Value {
    let start = tx.created_at;
    let last = tx.steps.last().map_or(start, |s| s.at);
    let history: Vec<Value> = tx
        .steps
        .iter()
        .map(|s| json!({"type": s.kind, "message": s.message, "time": (s.at - start).max(0) / 1000}))
        .collect();
    json!({
        "start_time": start / 1000,
        "time_spent": (last - start).max(0) / 1000,
        "attempts": tx.steps.iter().filter(|s| s.kind == "action").count(),
        "errors": tx.steps.iter().filter(|s| s.kind == "error").count(),
        "success": tx.status == TxStatus::Success,
        "mobile": false,
        "input": [],
        "history": history,
    })
}

pub(crate) fn log(tx: &Transaction) -> Value {
    if tx.checkout_log { timeline(tx) } else { Value::Null }
}

pub(crate) fn source(tx: &Transaction, entry_point: bool) -> Value {
    to_value(Source { tx, entry_point })
}
