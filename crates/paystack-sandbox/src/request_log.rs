//! What reached the wire: every Paystack API request an integration received, with its parsed
//! body and headers (never the Authorization value) and the fault applied to it.

use std::collections::VecDeque;

use axum::body::Bytes;
use axum::http::request::Parts;
use serde_json::{Map, Value, json};

use crate::clock::iso;
use crate::wire::{parse_body, query_map};

/// Headers that carry credentials: recorded as `[redacted]`, never their value.
const SECRET_HEADERS: &[&str] = &["authorization", "cookie", "proxy-authorization"];

#[derive(Debug, Clone)]
pub(crate) struct RequestEntry {
    pub seq: u64,
    pub at: i64,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub body: Bytes,
    pub content_type: Option<String>,
    pub headers: Vec<(String, String)>,
    pub fault: Option<String>,
}

/// Bodies kept in one log, at most: a benchmark posting full 1000-charge batches must not
/// grow the sandbox without bound. The oldest entries go first.
const BODY_BUDGET: usize = 64 * 1024 * 1024;

/// A ring buffer of the last `limit` requests (and at most [`BODY_BUDGET`] bytes of bodies).
#[derive(Debug)]
pub(crate) struct RequestLog {
    entries: VecDeque<RequestEntry>,
    limit: usize,
    seq: u64,
    body_bytes: usize,
}

impl RequestLog {
    pub(crate) fn new(limit: usize) -> Self {
        Self { entries: VecDeque::new(), limit, seq: 0, body_bytes: 0 }
    }

    pub(crate) fn record(&mut self, parts: &Parts, body: &Bytes, fault: Option<String>, at: i64) {
        if self.limit == 0 {
            return;
        }
        self.seq += 1;
        let headers = parts
            .headers
            .iter()
            .map(|(name, value)| {
                let name = name.as_str().to_string();
                let value = if SECRET_HEADERS.contains(&name.as_str()) {
                    "[redacted]".to_string()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name, value)
            })
            .collect();
        let content_type = parts.headers.get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
        self.body_bytes += body.len();
        while self.entries.len() >= self.limit || (self.body_bytes > BODY_BUDGET && !self.entries.is_empty()) {
            if let Some(old) = self.entries.pop_front() {
                self.body_bytes -= old.body.len();
            }
        }
        self.entries.push_back(RequestEntry {
            seq: self.seq,
            at,
            method: parts.method.as_str().to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(str::to_string),
            body: body.clone(),
            content_type,
            headers,
            fault,
        });
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.body_bytes = 0;
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = &RequestEntry> {
        self.entries.iter()
    }
}

impl RequestEntry {
    /// The entry as the control API shows it; the body is parsed here, not on the hot path.
    pub(crate) fn to_json(&self) -> Value {
        let query_params: Map<String, Value> =
            query_map(self.query.as_deref()).into_iter().map(|(k, v)| (k, Value::String(v))).collect();
        let headers: Map<String, Value> =
            self.headers.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        json!({
            "seq": self.seq,
            "at": iso(self.at),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "query_params": query_params,
            "body": body_json(self.content_type.as_deref(), &self.body),
            "headers": headers,
            "fault": self.fault,
        })
    }
}

/// The body as the API read it (JSON, or a form as an object); what it could not read, as text.
fn body_json(content_type: Option<&str>, body: &[u8]) -> Value {
    parse_body(content_type, body).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::Request;

    #[test]
    fn never_keeps_the_key_and_caps_the_log() {
        let mut log = RequestLog::new(2);
        for i in 0..3 {
            let (parts, ()) = Request::post(format!("/transaction/initialize?x={i}"))
                .header("authorization", "Bearer sk_test_secret")
                .header("content-type", "application/json")
                .body(())
                .unwrap()
                .into_parts();
            log.record(&parts, &Bytes::from_static(br#"{"email":"a@b.co"}"#), None, 0);
        }
        let entries: Vec<Value> = log.entries().map(RequestEntry::to_json).collect();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0]["seq"], 2);
        assert_eq!(entries[1]["body"]["email"], "a@b.co");
        assert_eq!(entries[1]["query_params"]["x"], "2");
        let text = serde_json::to_string(&entries).unwrap();
        assert!(!text.contains("sk_test_secret"));
        assert_eq!(entries[1]["headers"]["authorization"], "[redacted]");
    }

    #[test]
    fn bodies_have_a_byte_budget() {
        let mut log = RequestLog::new(usize::MAX);
        let (parts, ()) = Request::post("/bulkcharge").body(()).unwrap().into_parts();
        let big = Bytes::from(vec![b'x'; BODY_BUDGET / 2 + 1]);
        for _ in 0..3 {
            log.record(&parts, &big, None, 0);
        }
        assert_eq!(log.entries().count(), 1);
        log.clear();
        assert_eq!(log.body_bytes, 0);
    }
}
