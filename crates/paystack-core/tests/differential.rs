//! The client's validator against the sandbox's, over HTTP. The two are written independently on
//! purpose (so the emulator does not inherit the client's mistakes); this property checks that
//! they agree: whatever the client lets through (no `ValidationError`, so it is sent), the sandbox
//! either answers or refuses for a reason the client could not have seen, one of the documented
//! state errors below (a taken reference, an unknown authorization, an unknown id). A refusal for
//! the request's content is a disagreement: one of the two validators is wrong.
//!
//! Every endpoint of the table is generated with values of each parameter's kind, good and bad,
//! drawn around the sandbox's fixtures so that requests also succeed.
//!
//! Case count: PROPTEST_CASES (default 1500).

use std::sync::OnceLock;
use std::time::Duration;

use paystack_core::endpoint::Location;
use paystack_core::endpoints::ENDPOINTS;
use paystack_core::envelope::JsonDecoder;
use paystack_core::request::prepare;
use paystack_core::value::Kind;
use paystack_core::{Arg, CallOptions, Client, ClientConfig, Error, RetryPolicy, SecretKey};
use paystack_facts::enums::{CHANNELS, CURRENCIES};
use paystack_facts::messages;
use paystack_sandbox::{SandboxConfig, SandboxServer};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};

const AUTHORIZATIONS: &[&str] =
    &["AUTH_success001", "AUTH_success002", "AUTH_declined01", "AUTH_lowbalance", "AUTH_flaky3fail", "AUTH_unknown0"];
const EMAILS: &[&str] =
    &["success@example.com", "plain@example.com", "declined@example.com", "lowbalance@example.com", "new@example.com"];

/// The refusals a client cannot foresee: they depend on what the integration holds (or, for
/// partial-debit currencies, on the merchant's settings). docs/paystack-api.md §2.3, §3.3, T2,
/// T5, T6, T7, T10.
fn documented_state_error(status: u16, message: &str) -> bool {
    let exact = [
        messages::DUPLICATE_REFERENCE.text,
        messages::AUTHORIZATION_CODE_INVALID.text,
        messages::EMAIL_DOES_NOT_MATCH_AUTHORIZATION.text,
        messages::CUSTOMER_NOT_FOUND,
        messages::REFERENCE_NOT_FOUND.text,
        messages::TIMELINE_NOT_FOUND,
        messages::TRANSACTION_NOT_FOUND.text,
        messages::BULK_CHARGE_NOT_FOUND.text,
        messages::SETTLEMENT_NOT_FOUND.text,
        messages::REFUND_NOT_FOUND.text,
        // What a refund of a transaction can meet (docs/paystack-api.md §8.3); refunds::create checks
        // them first, this test sends without it.
        messages::TRANSACTION_FULLY_REVERSED.text,
        messages::REFUND_AMOUNT_EXCEEDS_BALANCE.text,
        messages::REFUND_TRANSACTION_NOT_SUCCESSFUL.text,
        messages::REFUND_CURRENCY_MISMATCH.text,
        messages::REFUND_BELOW_USD_MINIMUM.text,
        messages::REFUND_NOT_NEEDS_ATTENTION.text,
        // check_authorization says whether the card could pay: a decline is an answer about the card.
        messages::INSUFFICIENT_FUNDS,
        "Declined",
        "Bulk charge batch has already been completed",
        // A `next`/`previous` cursor is opaque: only the server that issued it can judge it.
        "Invalid cursor",
    ];
    let state_of_an_item =
        message.starts_with("charges[") && message.ends_with(messages::AUTHORIZATION_CODE_INVALID.text);
    let merchant_setting = message.starts_with("Currency ") && message.ends_with(" is not supported for Partial Debit");
    matches!(status, 400 | 404 | 422) && (exact.contains(&message) || state_of_an_item || merchant_setting)
}

struct World {
    sandbox: SandboxServer,
    client: Client,
    runtime: tokio::runtime::Runtime,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        // Batches stay queued: the property is about what is accepted, not about processing.
        let config = SandboxConfig { process_interval_ms: 3_600_000, ..SandboxConfig::default() };
        let sandbox = SandboxServer::start(config).expect("the sandbox starts");
        let mut config = ClientConfig::new(SecretKey::new(sandbox.secret_key()).expect("a valid key"));
        config.base_url = sandbox.base_url();
        config.retry = RetryPolicy { max_retries: 0, ..RetryPolicy::default() };
        let client = Client::new(config).expect("the client builds");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        World { sandbox, client, runtime }
    })
}

fn one_of(values: &'static [&'static str]) -> impl Strategy<Value = Value> + Clone {
    proptest::sample::select(values).prop_map(|s| Value::String(s.to_string()))
}

fn text(pattern: &'static str) -> impl Strategy<Value = Value> + Clone {
    pattern.prop_map(Value::String)
}

/// Dates and datetimes of the grammar Paystack documents, on the calendar and the clock, with
/// offsets; and strings both validators must refuse.
fn timestamp() -> impl Strategy<Value = Value> + Clone {
    let day = || (2015u32..2030, 1u32..=12, 1u32..=28);
    prop_oneof![
        day().prop_map(|(y, m, d)| json!(format!("{y:04}-{m:02}-{d:02}"))),
        (day(), 0u32..24, 0u32..60, 0u32..60, 0u32..1000).prop_map(|((y, m, d), h, mi, s, ms)| json!(format!(
            "{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z"
        ))),
        (day(), 0u32..24, 0u32..60, 0u32..=14, prop::bool::ANY).prop_map(|((y, m, d), h, mi, oh, plus)| {
            json!(format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:00{}{oh:02}:00", if plus { '+' } else { '-' }))
        }),
        one_of(&["yesterday", "2016-13-01", "21-09-2016", "2016/09/21", ""]),
    ]
}

fn amount() -> impl Strategy<Value = Value> + Clone {
    prop_oneof![
        12 => (1i64..2_000_000).prop_map(Value::from),
        2 => (1i64..2_000_000).prop_map(|n| json!(n.to_string())),
        1 => Just(json!(1_000_000_000)),
        1 => Just(json!(1_000_000_001)),
        1 => prop_oneof![Just(json!(0)), Just(json!(-5)), Just(json!(10.5)), Just(json!("1e3")), Just(json!(true))],
    ]
}

fn positive_int() -> impl Strategy<Value = Value> + Clone {
    prop_oneof![12 => (1i64..120).prop_map(Value::from), 1 => Just(json!("7")), 1 => Just(json!(0)), 1 => Just(json!(-1)), 1 => Just(json!("x"))]
}

fn reference() -> impl Strategy<Value = Value> + Clone {
    prop_oneof![
        12 => text("[A-Za-z0-9.=-]{1,24}"),
        1 => text("[a-z0-9 /_#é]{1,12}"),
        1 => Just(json!("")),
        1 => Just(json!("r".repeat(101))),
    ]
}

fn bulk_reference() -> impl Strategy<Value = Value> + Clone {
    prop_oneof![4 => text("[a-z0-9_-]{1,16}"), 1 => text("[A-Za-z0-9.=]{1,8}"), 1 => Just(json!(""))]
}

fn bulk_item() -> impl Strategy<Value = Value> {
    (
        prop_oneof![4 => one_of(AUTHORIZATIONS), 1 => Just(json!("")), 1 => Just(json!(5))],
        amount(),
        proptest::option::of(bulk_reference()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(prop_oneof![(1i64..5000).prop_map(Value::from), Just(json!(0))]),
        proptest::option::of(prop_oneof![Just(json!({"order": 7})), Just(json!("{\"o\":1}")), Just(json!([1]))]),
    )
        .prop_map(|(authorization, amount, reference, partial, at_least, metadata)| {
            let mut item = json!({"authorization": authorization, "amount": amount});
            for (key, value) in [
                ("reference", reference),
                ("attempt_partial_debit", partial.map(Value::Bool)),
                ("at_least", at_least),
                ("metadata", metadata),
            ] {
                if let Some(value) = value {
                    item[key] = value;
                }
            }
            item
        })
}

/// A value for parameter `name` of kind `kind`.
fn value_of(name: &'static str, kind: Kind) -> BoxedStrategy<Value> {
    match kind {
        Kind::Text if name == "authorization_code" => {
            prop_oneof![15 => one_of(AUTHORIZATIONS), 1 => Just(json!("")), 1 => Just(json!(" "))].boxed()
        }
        Kind::Text => prop_oneof![3 => text("[A-Za-z0-9_-]{1,12}"), 1 => Just(json!("")), 1 => Just(json!(3))].boxed(),
        Kind::Segment => prop_oneof![
            3 => text("[A-Za-z0-9_.-]{1,16}"),
            1 => one_of(&["BCH_unknown123", "..", "a/b", "100%", "é"]),
            1 => (0u64..5_000_000_000).prop_map(Value::from),
            1 => Just(json!("")),
        ]
        .boxed(),
        Kind::TransactionId => prop_oneof![
            3 => (1u64..5_000_000_000).prop_map(Value::from),
            1 => Just(json!("4100000000")),
            1 => Just(json!("99999999999999999999")),
            1 => one_of(&["abc", "12a", ""]),
            1 => Just(json!(0)),
        ]
        .boxed(),
        Kind::Amount => amount().boxed(),
        Kind::PositiveInt => positive_int().boxed(),
        Kind::Count => prop_oneof![(0i64..5).prop_map(Value::from), Just(json!(-1)), Just(json!("2"))].boxed(),
        Kind::Boolean => prop_oneof![any::<bool>().prop_map(Value::Bool), Just(json!("true")), Just(json!(1))].boxed(),
        Kind::Timestamp => timestamp().boxed(),
        Kind::Email => prop_oneof![
            15 => one_of(EMAILS),
            1 => text("[a-z]{1,6}@[a-z]{1,6}\\.(com|ng)"),
            1 => one_of(&["a", "a@b", "a b@c.com", "@x.com", "a@b..com", ""]),
        ]
        .boxed(),
        Kind::Currency => prop_oneof![
            15 => proptest::sample::select(CURRENCIES).prop_map(|c| json!(c)),
            1 => proptest::sample::select(CURRENCIES).prop_map(|c| json!(c.to_ascii_lowercase())),
            1 => one_of(&["EUR", "", "NG"]),
        ]
        .boxed(),
        Kind::Reference => reference().boxed(),
        Kind::Channels => prop_oneof![
            3 => proptest::collection::vec(proptest::sample::select(CHANNELS).prop_map(|c| json!(c)), 1..3).prop_map(Value::Array),
            1 => Just(json!(["cash"])),
            1 => Just(json!([])),
        ]
        .boxed(),
        Kind::Metadata => {
            prop_oneof![Just(json!({"order": 1})), Just(json!("{\"order\": 1}")), Just(json!("[1]")), Just(json!(3))].boxed()
        }
        Kind::Object => prop_oneof![Just(json!({})), Just(json!({"type": "flat"})), Just(json!("x"))].boxed(),
        Kind::RefundAccount => prop_oneof![
            Just(json!({"currency": "NGN", "account_number": "0123456789", "bank_id": "9"})),
            Just(json!({"currency": "NGN", "account_number": "0123456789"})),
            Just(json!({})),
        ]
        .boxed(),
        Kind::Choice(options) => prop_oneof![
            12 => proptest::sample::select(options).prop_map(|o| json!(o)),
            1 => one_of(&["bogus", ""]),
        ]
        .boxed(),
        Kind::BulkCharges => prop_oneof![
            6 => proptest::collection::vec(bulk_item(), 1..5).prop_map(Value::Array),
            1 => Just(json!([])),
            1 => Just(json!({"charges": []})),
        ]
        .boxed(),
    }
}

/// An endpoint (its index in the table) and one argument slot per parameter: required ones are
/// mostly given, optional ones given half the time.
fn call() -> impl Strategy<Value = (usize, Vec<Option<Value>>)> {
    (0..ENDPOINTS.len()).prop_flat_map(|index| {
        let slots: Vec<BoxedStrategy<Option<Value>>> = ENDPOINTS[index]
            .params
            .iter()
            .map(|p| {
                let weight = if p.required { 0.97 } else { 0.35 };
                proptest::option::weighted(weight, value_of(p.name, p.kind)).boxed()
            })
            .collect();
        (Just(index), slots)
    })
}

/// What became of one generated call.
enum Outcome {
    RefusedByClient,
    Answered,
    RefusedForState,
}

fn check(index: usize, args: &[Option<Value>]) -> Result<Outcome, TestCaseError> {
    let endpoint = &ENDPOINTS[index];
    let args: Vec<Option<Arg>> = args.iter().map(|a| a.clone().map(Arg::Json)).collect();
    let Ok(request) = prepare(endpoint, &args) else {
        return Ok(Outcome::RefusedByClient); // nothing is sent
    };
    let sent = format!("{} {} {:?}", endpoint.method.as_str(), request.path_and_query, request.body);
    let world = world();
    let options = CallOptions { total_timeout: Some(Duration::from_secs(10)), ..CallOptions::default() };
    match world.runtime.block_on(world.client.send(request, &options, &JsonDecoder)) {
        Ok(reply) => {
            prop_assert!(reply.status_code < 300, "{sent}: {}", reply.status_code);
            Ok(Outcome::Answered)
        }
        Err(Error::Api { error, .. }) => {
            prop_assert!(
                documented_state_error(error.status_code, &error.message),
                "the client sent {sent} ({}), and the sandbox refused it for its content: {} {:?} (type {:?})",
                endpoint.qualified_name(),
                error.status_code,
                error.message,
                error.kind,
            );
            Ok(Outcome::RefusedForState)
        }
        Err(other) => Err(TestCaseError::fail(format!("{sent}: {other}"))),
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1500)
}

/// What the property saw: a property that sends nothing proves nothing.
#[derive(Debug, Default)]
struct Seen {
    refused_by_client: usize,
    answered: usize,
    refused_for_state: usize,
}

#[test]
fn what_the_client_sends_the_sandbox_refuses_only_for_state() {
    let config = ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() };
    let seen = std::cell::RefCell::new(Seen::default());
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let result = runner.run(&call(), |(index, args)| {
        let outcome = check(index, &args)?;
        let mut seen = seen.borrow_mut();
        match outcome {
            Outcome::RefusedByClient => seen.refused_by_client += 1,
            Outcome::Answered => seen.answered += 1,
            Outcome::RefusedForState => seen.refused_for_state += 1,
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let seen = seen.into_inner();
    let total = seen.refused_by_client + seen.answered + seen.refused_for_state;
    eprintln!("differential: {seen:?} of {total} runs");
    // The generators aim around the fixtures: a good share of calls must go out, some succeed,
    // and some be refused by the client.
    assert!((seen.answered + seen.refused_for_state) * 3 >= total, "too few calls were sent: {seen:?}");
    assert!(seen.answered * 10 >= total, "too few calls were answered: {seen:?}");
    assert!(seen.refused_by_client * 10 >= total, "too few calls were refused by the client: {seen:?}");
}

/// Each endpoint is reached by the property (a table change cannot silently drop one), and the
/// sandbox is the one the property talks to.
#[test]
fn every_endpoint_has_sendable_arguments() {
    let world = world();
    assert!(world.sandbox.base_url().starts_with("http://127.0.0.1:"));
    let sendable = |index: usize, given: Vec<Option<Value>>| {
        let args: Vec<Option<Arg>> = given.into_iter().map(|a| a.map(Arg::Json)).collect();
        prepare(&ENDPOINTS[index], &args).is_ok()
    };
    for (index, endpoint) in ENDPOINTS.iter().enumerate() {
        let given: Vec<Option<Value>> = endpoint
            .params
            .iter()
            .map(|p| {
                p.required.then(|| match (p.location, p.kind) {
                    (_, Kind::BulkCharges) => json!([{"authorization": "AUTH_success001", "amount": 100}]),
                    (_, Kind::Email) => json!("success@example.com"),
                    (_, Kind::Amount) => json!(100),
                    (_, Kind::Currency) => json!("NGN"),
                    (_, Kind::TransactionId | Kind::PositiveInt) => json!(1),
                    (_, Kind::RefundAccount) => {
                        json!({"currency": "NGN", "account_number": "0123456789", "bank_id": "9"})
                    }
                    (Location::Path, _) => json!("x"),
                    _ if p.name == "authorization_code" => json!("AUTH_success001"),
                    _ => json!("x"),
                })
            })
            .collect();
        assert!(sendable(index, given.clone()), "{}", endpoint.qualified_name());
        check(index, &given).unwrap_or_else(|e| panic!("{}: {e}", endpoint.qualified_name()));
    }
}

/// Calendar-impossible dates: both validators must refuse them (the client before sending).
#[test]
fn impossible_dates_are_refused_by_both() {
    let list = ENDPOINTS.iter().position(|e| e.qualified_name() == "transaction.list").unwrap_or_default();
    let from = ENDPOINTS[list].params.iter().position(|p| p.wire == "from").unwrap_or_default();
    for date in
        ["2024-02-30", "2023-02-29", "2024-02-30T10:00:00Z", "2024-01-01T25:61:00Z", "2024-01-01T10:00:00+14:30"]
    {
        let mut args: Vec<Option<Arg>> = vec![None; ENDPOINTS[list].params.len()];
        args[from] = Some(Arg::Json(json!(date)));
        assert!(prepare(&ENDPOINTS[list], &args).is_err(), "the client lets {date:?} through");
    }
}
