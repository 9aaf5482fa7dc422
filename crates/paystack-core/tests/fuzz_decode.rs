//! Property-based fuzzing of everything that reads untrusted input: Paystack's answers
//! (malformed, truncated, wrongly typed, huge, deeply nested) and the caller's arguments.
//! Each must give a value or a typed error, never a panic.
//!
//! Case counts: PROPTEST_CASES (default 2000 per property here).

use bytes::Bytes;
use paystack_core::bulk_items::check_bulk_charges;
use paystack_core::endpoints::ENDPOINTS;
use paystack_core::envelope::{
    Decoder, Envelope, EnvelopeDecoder, JsonDecoder, api_error, check_envelope, retry_after,
};
use paystack_core::request::prepare;
use proptest::prelude::*;
use serde_json::{Value, json};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000)
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,24}".prop_map(Value::String),
        "[a-z0-9._/=-]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,10}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Bodies shaped like Paystack's envelope, with every field possibly of the wrong type.
fn envelope_like() -> impl Strategy<Value = Value> {
    (json_value(), json_value(), json_value(), json_value(), json_value()).prop_map(
        |(status, message, data, meta, code)| json!({"status": status, "message": message, "data": data, "meta": meta, "code": code}),
    )
}

/// Everything the transport might hand the decoder for a success.
fn decode_success(bytes: &[u8]) {
    let bytes = Bytes::copy_from_slice(bytes);
    let full = JsonDecoder.decode(&bytes);
    if let Ok(body) = &full {
        match check_envelope(body) {
            Envelope::Success => assert_eq!(body.get("status"), Some(&Value::Bool(true))),
            Envelope::Failure { message, .. } => assert!(!message.is_empty()),
            Envelope::Malformed(reason) => assert!(!reason.is_empty()),
        }
    }
    // The skipping decoder accepts exactly what the full one does and reads the same envelope
    // (duplicate keys aside: serde_json keeps the last, so does the skipping decoder).
    let checked = EnvelopeDecoder.decode(&bytes);
    assert_eq!(full.is_ok(), checked.is_ok());
    if let (Ok(full), Ok(checked)) = (full, checked) {
        assert_eq!(check_envelope(&full), check_envelope(&checked));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512), status in 100u16..600) {
        decode_success(&bytes);
        let error = api_error(status, vec![], &bytes);
        prop_assert!(!error.message.is_empty());
        prop_assert_eq!(error.status_code, status);
    }

    #[test]
    fn truncated_envelopes(body in envelope_like(), cut in 0usize..4096, status in 400u16..600) {
        let text = serde_json::to_vec(&body).unwrap_or_default();
        let cut = cut.min(text.len());
        decode_success(&text[..cut]);
        let error = api_error(status, vec![], &text[..cut]);
        prop_assert!(!error.message.is_empty());
        if cut == text.len() {
            // The whole body decodes to what was sent.
            prop_assert_eq!(JsonDecoder.decode(&Bytes::from(text)).ok(), Some(body));
        }
    }

    #[test]
    fn wrongly_typed_envelopes(body in envelope_like()) {
        let text = serde_json::to_vec(&body).unwrap_or_default();
        decode_success(&text);
        let error = api_error(400, vec![], &text);
        // The message is Paystack's when it is a string, a description otherwise.
        match body.get("message") {
            Some(Value::String(m)) if !m.trim().is_empty() => prop_assert_eq!(&error.message, m),
            _ => prop_assert!(error.message.starts_with("HTTP 400")),
        }
    }

    #[test]
    fn header_values(value in ".{0,30}") {
        let _ = retry_after(&[("retry-after".into(), value.clone()), ("x-ratelimit-reset".into(), value)]);
    }

    #[test]
    fn arguments_to_every_endpoint(index in 0..ENDPOINTS.len(), values in prop::collection::vec(prop::option::of(json_value()), 0..16)) {
        let endpoint = &ENDPOINTS[index];
        let mut args: Vec<Option<paystack_core::Arg>> = values.into_iter().map(|v| v.map(paystack_core::Arg::Json)).collect();
        args.resize(endpoint.params.len(), None);
        match prepare(endpoint, &args) {
            Ok(request) => prop_assert!(request.path_and_query.starts_with('/')),
            Err(e) => prop_assert!(!e.issues.is_empty()),
        }
    }

    #[test]
    fn bulk_items(items in prop::collection::vec(json_value(), 0..8)) {
        if let Err(e) = check_bulk_charges(&items) {
            prop_assert!(!e.issues.is_empty());
        }
    }
}

#[test]
fn huge_bodies_decode_or_fail_cleanly() {
    // A 5000-transaction page is ~8 MB; 40 MB of one array is handled too.
    let item = r#"{"id":1,"reference":"x","amount":100,"customer":{"email":"a@b.co"}},"#;
    let mut body = String::from(r#"{"status":true,"message":"ok","data":["#);
    for _ in 0..600_000 {
        body.push_str(item);
    }
    body.push_str(r#"{}]}"#);
    let decoded = JsonDecoder.decode(&Bytes::from(body.clone())).unwrap_or_else(|e| panic!("{e}"));
    let checked = EnvelopeDecoder.decode(&Bytes::from(body)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(check_envelope(&checked), Envelope::Success);
    assert_eq!(check_envelope(&decoded), Envelope::Success);
    assert_eq!(decoded["data"].as_array().map(Vec::len), Some(600_001));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = Bytes::from("[".repeat(100_000));
    assert!(JsonDecoder.decode(&deep).is_err());
    assert!(EnvelopeDecoder.decode(&deep).is_err());
    let deep_objects = Bytes::from(r#"{"a":"#.repeat(50_000));
    assert!(JsonDecoder.decode(&deep_objects).is_err());
    assert!(EnvelopeDecoder.decode(&deep_objects).is_err());
    let _ = api_error(500, vec![], &deep);
}
