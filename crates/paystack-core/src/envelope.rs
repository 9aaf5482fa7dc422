//! Reading Paystack's answers: the envelope `{status, message, data, meta}` of a success, and
//! the error fields `{message, code, type, meta}` of a failure.
//!
//! Success bodies are decoded by a `Decoder` the caller chooses (the Python binding builds Python
//! objects straight from the bytes); this module checks the envelope through the `Body` view so
//! the rules are the same whatever the value type. Malformed, truncated, wrongly-typed or huge
//! bodies give a typed error, never a panic.

use std::fmt;
use std::time::Duration;

pub use bytes::Bytes;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::ApiError;

/// Answers larger than this are refused rather than buffered (a 5000-transaction page is ~8 MB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 256 * 1024 * 1024;

/// The little a decoded body must let us read to check the envelope.
pub trait Body: Send + 'static {
    fn is_object(&self) -> bool;
    fn member_bool(&self, key: &str) -> Option<bool>;
    fn member_str(&self, key: &str) -> Option<String>;
}

/// Turns a success body's bytes into a value.
pub trait Decoder: Send + Sync {
    type Output: Body;
    fn decode(&self, bytes: &Bytes) -> Result<Self::Output, String>;
}

impl Body for Value {
    fn is_object(&self) -> bool {
        self.is_object()
    }
    fn member_bool(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(Value::as_bool)
    }
    fn member_str(&self, key: &str) -> Option<String> {
        self.get(key).and_then(Value::as_str).map(str::to_owned)
    }
}

/// Decodes into `serde_json::Value`: used by Rust callers, tests and the fuzzers.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonDecoder;

impl Decoder for JsonDecoder {
    type Output = Value;
    fn decode(&self, bytes: &Bytes) -> Result<Value, String> {
        serde_json::from_slice(bytes).map_err(|e| describe_json_error(&e, bytes.len()))
    }
}

/// The envelope fields of a body, read while it was decoded, so checking the envelope needs no
/// second look at the value (which, for Python objects, would mean taking the GIL again).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvelopeFields {
    pub is_object: bool,
    pub status: Option<bool>,
    pub message: Option<String>,
    pub code: Option<String>,
    pub kind: Option<String>,
}

/// A decoded body (of any value type) with its envelope fields.
#[derive(Debug, Clone, Default)]
pub struct Decoded<T> {
    pub value: T,
    pub envelope: EnvelopeFields,
}

/// A body that kept its envelope fields when it was decoded (`Decoded`, the pages of rows and
/// items): it is a `Body` through them.
pub trait HasEnvelope: Send + 'static {
    fn envelope(&self) -> &EnvelopeFields;
}

impl HasEnvelope for EnvelopeFields {
    fn envelope(&self) -> &EnvelopeFields {
        self
    }
}

impl<T: Send + 'static> HasEnvelope for Decoded<T> {
    fn envelope(&self) -> &EnvelopeFields {
        &self.envelope
    }
}

/// The envelope fields answer for the body they were read from.
impl<B: HasEnvelope> Body for B {
    fn is_object(&self) -> bool {
        self.envelope().is_object
    }
    fn member_bool(&self, key: &str) -> Option<bool> {
        (key == "status").then_some(self.envelope().status).flatten()
    }
    fn member_str(&self, key: &str) -> Option<String> {
        let envelope = self.envelope();
        match key {
            "message" => envelope.message.clone(),
            "code" => envelope.code.clone(),
            "type" => envelope.kind.clone(),
            _ => None,
        }
    }
}

/// A success body checked but not built into values: its bytes (shared, not copied) and the
/// envelope fields. For callers that build the values elsewhere: the Python binding builds them
/// on the event loop's thread, so the runtime's threads never need the GIL.
pub type CheckedBody = Decoded<Bytes>;

/// Checks that a body is valid JSON and reads its envelope fields, skipping everything else
/// (much cheaper than building it).
#[derive(Debug, Clone, Copy, Default)]
pub struct EnvelopeDecoder;

impl Decoder for EnvelopeDecoder {
    type Output = CheckedBody;
    fn decode(&self, bytes: &Bytes) -> Result<CheckedBody, String> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let envelope = de.deserialize_any(EnvelopeVisitor).map_err(|e| describe_json_error(&e, bytes.len()))?;
        de.end().map_err(|e| describe_json_error(&e, bytes.len()))?;
        Ok(Decoded { value: bytes.clone(), envelope })
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = EnvelopeFields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EnvelopeFields, A::Error> {
        let mut body = EnvelopeFields { is_object: true, ..EnvelopeFields::default() };
        let text = |v: Value| match v {
            Value::String(s) => Some(s),
            _ => None,
        };
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "status" => body.status = map.next_value::<Value>()?.as_bool(),
                "message" => body.message = text(map.next_value()?),
                "code" => body.code = text(map.next_value()?),
                "type" => body.kind = text(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(body)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<EnvelopeFields, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(EnvelopeFields::default())
    }

    fn visit_bool<E>(self, _: bool) -> Result<EnvelopeFields, E> {
        Ok(EnvelopeFields::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<EnvelopeFields, E> {
        Ok(EnvelopeFields::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<EnvelopeFields, E> {
        Ok(EnvelopeFields::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<EnvelopeFields, E> {
        Ok(EnvelopeFields::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<EnvelopeFields, E> {
        Ok(EnvelopeFields::default())
    }
    fn visit_unit<E>(self) -> Result<EnvelopeFields, E> {
        Ok(EnvelopeFields::default())
    }
}

/// A short description of why a body is not JSON.
pub fn describe_json_error(e: &serde_json::Error, len: usize) -> String {
    if e.is_eof() {
        format!("the body ends early after {len} bytes (truncated?): {e}")
    } else {
        format!("the body is not valid JSON: {e}")
    }
}

/// What a 2xx body says: a Paystack envelope with `status: true`, or why it is not one.
#[derive(Debug, PartialEq, Eq)]
pub enum Envelope {
    Success,
    /// `status: false` despite a 2xx status line: Paystack's own error.
    Failure {
        message: String,
        code: Option<String>,
        kind: Option<String>,
    },
    /// Not an envelope at all.
    Malformed(String),
}

/// Checks a decoded 2xx body against the envelope rules.
pub fn check_envelope<B: Body>(body: &B) -> Envelope {
    if !body.is_object() {
        return Envelope::Malformed("the body is not a JSON object".into());
    }
    match body.member_bool("status") {
        Some(true) => Envelope::Success,
        Some(false) => Envelope::Failure {
            message: body
                .member_str("message")
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| "Paystack reported a failure".into()),
            code: body.member_str("code"),
            kind: body.member_str("type"),
        },
        None => Envelope::Malformed("the body has no boolean \"status\"".into()),
    }
}

/// Builds the error for a 4xx/5xx answer, whatever its body holds.
pub fn api_error(status_code: u16, headers: Vec<(String, String)>, bytes: &[u8]) -> ApiError {
    let body: Option<Value> = serde_json::from_slice(bytes).ok();
    let field = |k: &str| body.as_ref().and_then(|b| b.get(k)).and_then(Value::as_str).map(str::to_owned);
    let message =
        field("message").filter(|m| !m.trim().is_empty()).unwrap_or_else(|| fallback_message(status_code, bytes));
    let retry_after = retry_after(&headers);
    ApiError {
        status_code,
        message,
        code: field("code"),
        kind: field("type"),
        meta: body.as_ref().and_then(|b| b.get("meta")).filter(|m| !m.is_null()).cloned(),
        body,
        headers,
        retry_after,
        outcome_unknown: None,
    }
}

fn fallback_message(status_code: u16, bytes: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = text.trim();
    if text.is_empty() {
        format!("HTTP {status_code} with an empty body")
    } else {
        format!("HTTP {status_code}: {text}")
    }
}

/// How long the server asked us to wait: `Retry-After` (seconds) or `x-ratelimit-reset`
/// (seconds until the window ends, docs/paystack-api.md §2.5). Dates and nonsense are ignored.
pub fn retry_after(headers: &[(String, String)]) -> Option<Duration> {
    let seconds = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0 && *s < 86_400.0)
    };
    seconds("retry-after").or_else(|| seconds(paystack_facts::quotas::RESET_HEADER)).map(Duration::from_secs_f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelopes() {
        assert_eq!(check_envelope(&json!({"status": true, "message": "ok"})), Envelope::Success);
        assert_eq!(
            check_envelope(&json!({"status": false, "message": "nope", "code": "x"})),
            Envelope::Failure { message: "nope".into(), code: Some("x".into()), kind: None }
        );
        assert!(matches!(check_envelope(&json!([1])), Envelope::Malformed(_)));
        assert!(matches!(check_envelope(&json!({"status": "true"})), Envelope::Malformed(_)));
    }

    #[test]
    fn api_errors_from_paystack_and_from_proxies() {
        let e = api_error(
            404,
            vec![],
            br#"{"status":false,"message":"Bulk charge code not found","type":"validation_error","code":"not_found","meta":{"nextStep":"x"}}"#,
        );
        assert_eq!(e.message, "Bulk charge code not found");
        assert_eq!(e.code.as_deref(), Some("not_found"));
        assert_eq!(e.kind.as_deref(), Some("validation_error"));
        assert_eq!(e.meta, Some(json!({"nextStep": "x"})));

        let e = api_error(502, vec![], b"<html>Bad Gateway</html>\n");
        assert_eq!(e.message, "HTTP 502: <html>Bad Gateway</html>");
        assert!(e.body.is_none());
        let e = api_error(503, vec![], b"");
        assert_eq!(e.message, "HTTP 503 with an empty body");
    }

    #[test]
    fn retry_after_headers() {
        let h = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert_eq!(retry_after(&h("Retry-After", "3")), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(&h("x-ratelimit-reset", "1.5")), Some(Duration::from_millis(1500)));
        assert_eq!(retry_after(&h("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")), None);
        assert_eq!(retry_after(&h("retry-after", "-1")), None);
        assert_eq!(retry_after(&[]), None);
    }

    #[test]
    fn truncated_json_says_so() {
        let truncated = Bytes::from_static(br#"{"status": true, "data": [1, 2"#);
        let Err(message) = JsonDecoder.decode(&truncated) else { panic!("decoded") };
        assert!(message.contains("truncated"), "{message}");
        let Err(message) = EnvelopeDecoder.decode(&truncated) else { panic!("decoded") };
        assert!(message.contains("truncated"), "{message}");
    }

    #[test]
    fn envelope_decoder_agrees_with_the_full_decoder() {
        for text in [
            r#"{"status": true, "message": "ok", "data": {"a": [1, {"b": null}]}, "meta": {}}"#,
            r#"{"status": false, "message": "nope", "code": "x", "type": "api_error"}"#,
            r#"{"status": "true", "message": 3}"#,
            r#"[1, 2, 3]"#,
            r#""text""#,
            r#"{"status": true, "message": "dup", "message": "second"}"#,
        ] {
            let bytes = Bytes::from(text);
            let full = JsonDecoder.decode(&bytes).map(|b| check_envelope(&b)).map_err(|_| ());
            let checked = EnvelopeDecoder.decode(&bytes).map_err(|_| ());
            assert_eq!(full, checked.as_ref().map(check_envelope).map_err(|_| ()), "{text}");
            if let Ok(c) = checked {
                assert_eq!(c.value, bytes);
            }
        }
        assert!(EnvelopeDecoder.decode(&Bytes::from_static(b"{} x")).is_err());
    }
}
