//! The checkout page `authorization_url` opens (docs/paystack-api.md T1): the payment a merchant
//! initialized, with the sandbox's test cards (one pays, one is declined, one lacks funds) and
//! a cancel button. Paying is `IntegrationState::complete` through `commit`, the very path of
//! `POST /_sandbox/transactions/{reference}/complete` (ledger, reusable authorization, signed
//! `charge.success`), then a redirect to `callback_url?trxref=REF&reference=REF` as Paystack
//! redirects, or a result page when there is no callback URL.
//!
//! A checkout is open while its transaction is `abandoned` and the integration's
//! `payment_session_timeout_ms` has not passed since it was initialized; a used, expired or
//! unknown access code gets a page that says so. Every action is a POST, so following a link or
//! reloading a page never pays.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{ACCEPT, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde_json::{Value, json};

use super::html::{badge, is_web_url, page, respond};
use super::money::format_amount;
use crate::api::envelope::{ApiError, ok};
use crate::commit::commit;
use crate::integration::Integration;
use crate::registry::Registry;
use crate::state::IntegrationState;
use crate::state::card_behaviour::{Behaviour, DECLINED, INSUFFICIENT_FUNDS};
use crate::state::payments::CheckoutPayment;
use crate::state::records::TxStatus;
use crate::wire::query_map;

/// The cards the checkout page offers, each with what paying with it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TestCard {
    Success,
    Declined,
    InsufficientFunds,
}

impl TestCard {
    const ALL: [TestCard; 3] = [TestCard::Success, TestCard::Declined, TestCard::InsufficientFunds];

    /// The form value (and, with `pay-`, the button's id).
    fn value(self) -> &'static str {
        match self {
            TestCard::Success => "success",
            TestCard::Declined => "declined",
            TestCard::InsufficientFunds => "insufficient-funds",
        }
    }

    fn from_value(value: &str) -> Option<TestCard> {
        TestCard::ALL.into_iter().find(|card| card.value() == value)
    }

    /// 4084 0840 8408 4081 is the test Visa Paystack's own documentation gives (bin 408408, like
    /// every sandbox card); the other two are the sandbox's.
    fn number(self) -> &'static str {
        match self {
            TestCard::Success => "4084 0840 8408 4081",
            TestCard::Declined => "4084 0840 0000 0002",
            TestCard::InsufficientFunds => "4084 0840 0000 0051",
        }
    }

    fn last4(self) -> &'static str {
        let number = self.number();
        &number[number.len() - 4..]
    }

    fn outcome(self) -> &'static str {
        match self {
            TestCard::Success => "Pays; becomes a reusable authorization",
            TestCard::Declined => "Declined by the issuer",
            TestCard::InsufficientFunds => "Insufficient Funds",
        }
    }

    /// What paying with this card does to the transaction.
    fn payment(self) -> CheckoutPayment {
        match self {
            TestCard::Success => CheckoutPayment::Paid { behaviour: Behaviour::Success, last4: Some(self.last4()) },
            TestCard::Declined => CheckoutPayment::Refused { gateway_response: DECLINED.into() },
            TestCard::InsufficientFunds => CheckoutPayment::Refused { gateway_response: INSUFFICIENT_FUNDS.into() },
        }
    }
}

/// What a page shows of the transaction behind an access code, read under the state lock.
#[derive(Debug, Clone)]
struct Payment {
    merchant: String,
    test_mode: bool,
    reference: String,
    amount: u64,
    currency: String,
    email: String,
    status: TxStatus,
    gateway_response: String,
    callback_url: Option<String>,
    cancel_action: Option<String>,
    expired: bool,
}

impl Payment {
    fn read(state: &IntegrationState, index: usize) -> Payment {
        let tx = &state.transactions[index];
        let timeout = state.settings.payment_session_timeout_ms;
        let age = state.now.saturating_sub(tx.created_at);
        Payment {
            merchant: format!("Sandbox merchant #{}", state.integration_id),
            test_mode: state.domain.as_str() == "test",
            reference: tx.reference.clone(),
            amount: tx.amount,
            currency: tx.currency.clone(),
            email: state.customers[tx.customer].email.clone(),
            status: tx.status,
            gateway_response: tx.gateway_response.clone(),
            callback_url: tx.callback_url.clone(),
            // Paystack's metadata.cancel_action: where the customer goes on cancelling.
            cancel_action: tx
                .metadata
                .as_ref()
                .and_then(|m| m.get("cancel_action"))
                .and_then(Value::as_str)
                .map(str::to_string),
            expired: timeout > 0 && u64::try_from(age).unwrap_or(0) >= timeout,
        }
    }

    fn amount_text(&self) -> String {
        format_amount(self.amount, &self.currency)
    }
}

/// Why a checkout is not open.
#[derive(Debug)]
enum Closed {
    Unknown,
    Used(Box<Payment>),
    Expired(Box<Payment>),
}

/// The integration and reference behind an access code, if one was handed out.
fn session(registry: &Registry, access_code: &str) -> Option<(Arc<Integration>, String)> {
    registry.checkouts.lock().get(access_code).map(|s| (Arc::clone(&s.integration), s.reference.clone()))
}

/// The transaction an access code opens, if it still exists (a reset forgets it).
fn transaction(state: &IntegrationState, reference: &str, access_code: &str) -> Option<usize> {
    state
        .transactions
        .by_reference(reference)
        .filter(|&i| state.transactions[i].access_code.as_deref() == Some(access_code))
}

/// The payment behind `access_code` if its checkout is open.
fn open(state: &IntegrationState, reference: &str, access_code: &str) -> Result<(usize, Payment), Closed> {
    let index = transaction(state, reference, access_code).ok_or(Closed::Unknown)?;
    let payment = Payment::read(state, index);
    if payment.status != TxStatus::Abandoned {
        return Err(Closed::Used(Box::new(payment)));
    }
    if payment.expired {
        return Err(Closed::Expired(Box::new(payment)));
    }
    Ok((index, payment))
}

/// GET /_sandbox/checkout/{access_code}: the page (or, to a client that does not ask for HTML,
/// the payment as JSON, for scripts).
pub(crate) async fn show(
    State(registry): State<Arc<Registry>>,
    Path(access_code): Path<String>,
    headers: HeaderMap,
) -> Response {
    let json = wants_json(&headers);
    let Some((integration, reference)) = session(&registry, &access_code) else {
        return closed(Closed::Unknown, json);
    };
    // Through commit, so the state's `now` is the clock's (the session may have expired).
    let opened = commit(&registry, &integration, |state| open(state, &reference, &access_code));
    match opened {
        Ok((_, payment)) if json => describe(&payment),
        Ok((_, payment)) => respond(StatusCode::OK, checkout_page(&payment)),
        Err(closed_because) => closed(closed_because, json),
    }
}

/// POST /_sandbox/checkout/{access_code}: `card=success|declined|insufficient-funds` pays with
/// that card; `cancel` leaves the transaction `abandoned`.
pub(crate) async fn submit(
    State(registry): State<Arc<Registry>>,
    Path(access_code): Path<String>,
    body: Bytes,
) -> Response {
    let form = query_map(std::str::from_utf8(&body).ok());
    let card = form.get("card").map(|v| TestCard::from_value(v));
    let cancel = form.contains_key("cancel");
    let Some((integration, reference)) = session(&registry, &access_code) else {
        return closed(Closed::Unknown, false);
    };
    let card = match (card, cancel) {
        (Some(Some(card)), false) => Some(card),
        (None, true) => None,
        _ => {
            let text = "Choose one of the test cards, or cancel.";
            return respond(StatusCode::BAD_REQUEST, message_page("Not a choice", text, None));
        }
    };
    let result = commit(&registry, &integration, |state| {
        let (index, payment) = open(state, &reference, &access_code)?;
        let Some(card) = card else { return Ok(payment) };
        // Two submissions racing (a double click): the second finds the transaction completed.
        state.complete(&reference, card.payment()).map_err(|_| Closed::Used(Box::new(Payment::read(state, index))))?;
        Ok(Payment::read(state, index))
    });
    match (result, card) {
        (Err(closed_because), _) => closed(closed_because, false),
        (Ok(payment), None) => cancelled(&payment, &access_code),
        (Ok(payment), Some(_)) => finished(&payment),
    }
}

/// A page for a browser (it always lists text/html when it navigates), JSON for a script (curl's
/// `*/*`, no Accept at all, or `application/json`).
fn wants_json(headers: &HeaderMap) -> bool {
    let accept = headers.get(ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    !(accept.contains("text/html") || accept.contains("application/xhtml+xml"))
}

fn describe(payment: &Payment) -> Response {
    ok(
        "Sandbox checkout",
        json!({
            "reference": payment.reference,
            "amount": payment.amount,
            "currency": payment.currency,
            "email": payment.email,
            "status": payment.status.as_str(),
            "complete_with": format!(
                "POST this URL with card=success|declined|insufficient-funds (a form, as the page does), or POST /_sandbox/transactions/{}/complete {{\"status\": \"success\"}} with the integration's Bearer key",
                payment.reference
            ),
        }),
    )
}

/// `callback_url` with `trxref` and `reference` added to its query, as Paystack redirects.
pub(crate) fn callback_with_reference(callback_url: &str, reference: &str) -> String {
    let (base, fragment) = match callback_url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (callback_url, None),
    };
    let query = serde_urlencoded::to_string([("trxref", reference), ("reference", reference)]).unwrap_or_default();
    let separator = match base.find('?') {
        None => "?",
        Some(_) if base.ends_with('?') || base.ends_with('&') => "",
        Some(_) => "&",
    };
    match fragment {
        Some(fragment) => format!("{base}{separator}{query}#{fragment}"),
        None => format!("{base}{separator}{query}"),
    }
}

/// Where the merchant's callback takes the customer back, when it is a web address.
fn return_url(payment: &Payment) -> Option<String> {
    payment
        .callback_url
        .as_deref()
        .filter(|url| is_web_url(url))
        .map(|url| callback_with_reference(url, &payment.reference))
        .filter(|url| HeaderValue::from_str(url).is_ok())
}

fn see_other(url: &str) -> Option<Response> {
    let location = HeaderValue::from_str(url).ok()?;
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(LOCATION, location);
    Some(response)
}

/// After paying: back to the merchant, or the result here.
fn finished(payment: &Payment) -> Response {
    if let Some(response) = return_url(payment).as_deref().and_then(see_other) {
        return response;
    }
    respond(StatusCode::OK, result_page(payment))
}

fn cancelled(payment: &Payment, access_code: &str) -> Response {
    let action = payment.cancel_action.as_deref().filter(|url| is_web_url(url));
    if let Some(response) = action.and_then(see_other) {
        return response;
    }
    let body = html! {
        p.result.gone { "Payment cancelled" }
        p { "Nothing was charged; " code { (payment.reference) } " is still " (badge("abandoned")) "." }
        p { a.button href={ "/_sandbox/checkout/" (access_code) } { "Back to the payment" } }
    };
    respond(StatusCode::OK, panel_page("Payment cancelled", payment, body))
}

fn closed(closed: Closed, json: bool) -> Response {
    if json {
        let message = match &closed {
            Closed::Unknown => "Checkout session not found",
            Closed::Used(_) => "This payment has already been completed",
            Closed::Expired(_) => "This payment session has expired",
        };
        let status = closed_status(&closed);
        return ApiError::plain(status, message).into_response();
    }
    let status = closed_status(&closed);
    let markup = match closed {
        Closed::Unknown => message_page(
            "Payment page not found",
            "No transaction was initialized with this access code here (or the integration was reset since).",
            None,
        ),
        Closed::Used(payment) => {
            let body = html! {
                p.result.gone { "This payment is closed" }
                p { "It has already been completed: " (badge(payment.status.as_str())) " (" (payment.gateway_response) ")." }
                (facts(&payment))
                @if let Some(url) = return_url(&payment) {
                    p { a.button #return href=(url) { "Return to the merchant" } }
                }
            };
            panel_page("Payment closed", &payment, body)
        }
        Closed::Expired(payment) => {
            let body = html! {
                p.result.gone { "This payment session has expired" }
                p { "The integration's payment session timeout has passed since it was initialized. Nothing was charged; initialize a new transaction to pay." }
                (facts(&payment))
            };
            panel_page("Payment session expired", &payment, body)
        }
    };
    respond(status, markup)
}

fn closed_status(closed: &Closed) -> StatusCode {
    match closed {
        Closed::Unknown => StatusCode::NOT_FOUND,
        Closed::Used(_) => StatusCode::CONFLICT,
        Closed::Expired(_) => StatusCode::GONE,
    }
}

fn facts(payment: &Payment) -> Markup {
    html! {
        dl.facts {
            dt { "Reference" } dd #reference { (payment.reference) }
            dt { "Amount" } dd { (payment.amount_text()) " (" (payment.amount) " " (payment.currency) " subunits)" }
            dt { "Customer" } dd { (payment.email) }
            dt { "Status" } dd #status { (payment.status.as_str()) }
        }
    }
}

/// The checkout panel: the merchant and the payment on top, `body` below.
fn panel_page(title: &str, payment: &Payment, body: Markup) -> Markup {
    page(
        title,
        None,
        html! {
            div.panel {
                div.head {
                    div {
                        div.merchant #merchant { (payment.merchant) }
                        div.amount #amount { (payment.amount_text()) }
                        div.who #email { (payment.email) }
                    }
                    span.mode { @if payment.test_mode { "TEST MODE" } @else { "LIVE KEY · SANDBOX" } }
                }
                div.body { (body) }
                footer.note { "paystack-rs sandbox: no real card is ever charged." }
            }
        },
    )
}

fn checkout_page(payment: &Payment) -> Markup {
    let body = html! {
        p.muted { "Reference " code #reference { (payment.reference) } }
        form method="post" {
            @for card in TestCard::ALL {
                button.choice.pay[card == TestCard::Success] type="submit" name="card" value=(card.value()) id={ "pay-" (card.value()) } {
                    span { span.pan { (card.number()) } br; span.what { (card.outcome()) } }
                }
            }
        }
        form method="post" {
            button.cancel #cancel type="submit" name="cancel" value="1" { "Cancel payment" }
        }
        p.muted {
            "Choosing a card pays at once (no PIN, OTP or 3-D Secure step), exactly as "
            code { "POST /_sandbox/transactions/" (payment.reference) "/complete" } " does."
        }
    };
    panel_page(&format!("Pay {}", payment.amount_text()), payment, body)
}

fn result_page(payment: &Payment) -> Markup {
    let paid = payment.status == TxStatus::Success;
    let body = html! {
        @if paid {
            p.result.success #outcome { "Payment successful" }
        } @else {
            p.result.failed #outcome { "Payment failed: " (payment.gateway_response) }
        }
        (facts(payment))
        p.muted {
            @match payment.callback_url.as_deref() {
                None => { "No callback_url was given at initialize, so the sandbox shows this page; with one it redirects to callback_url?trxref=…&reference=…." }
                Some(url) => { "The callback_url " code { (url) } " is not an http(s) URL, so the sandbox did not redirect to it." }
            }
        }
    };
    panel_page(if paid { "Payment successful" } else { "Payment failed" }, payment, body)
}

fn message_page(title: &str, text: &str, link: Option<(&str, &str)>) -> Markup {
    page(
        title,
        None,
        html! {
            div.panel {
                div.body {
                    p.result.gone { (title) }
                    p { (text) }
                    @if let Some((href, label)) = link { p { a.button href=(href) { (label) } } }
                }
                footer.note { "paystack-rs sandbox" }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_get_trxref_and_reference() {
        let with = |url| callback_with_reference(url, "ref.1=x");
        assert_eq!(with("http://shop/cb"), "http://shop/cb?trxref=ref.1%3Dx&reference=ref.1%3Dx");
        assert_eq!(with("http://shop/cb?order=7"), "http://shop/cb?order=7&trxref=ref.1%3Dx&reference=ref.1%3Dx");
        assert_eq!(with("http://shop/cb?"), "http://shop/cb?trxref=ref.1%3Dx&reference=ref.1%3Dx");
        assert_eq!(with("http://shop/cb#done"), "http://shop/cb?trxref=ref.1%3Dx&reference=ref.1%3Dx#done");
    }

    #[test]
    fn cards_pay_or_are_refused() {
        assert_eq!(TestCard::Success.last4(), "4081");
        assert!(matches!(TestCard::Success.payment(), CheckoutPayment::Paid { .. }));
        assert_eq!(
            TestCard::InsufficientFunds.payment(),
            CheckoutPayment::Refused { gateway_response: "Insufficient Funds".into() }
        );
        for card in TestCard::ALL {
            assert_eq!(TestCard::from_value(card.value()), Some(card));
        }
        assert_eq!(TestCard::from_value("stolen"), None);
    }
}
