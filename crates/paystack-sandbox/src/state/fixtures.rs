//! The customers and reusable authorizations every integration starts with.
//!
//! Codes are fixed (the same in every integration and every run) so tests can name them. The
//! customer profiles differ on purpose: Paystack's samples show both all-null profiles and full
//! ones, and the conformance tests use each where the sample does.

use serde_json::{Value, json};

use super::card_behaviour::Behaviour;

/// One seeded customer with one authorization.
#[derive(Debug, Clone)]
pub(crate) struct Fixture {
    pub authorization_code: &'static str,
    pub signature: &'static str,
    pub last4: &'static str,
    pub customer_id: u64,
    pub account_name: Option<&'static str>,
    pub customer_code: &'static str,
    pub email: &'static str,
    pub first_name: Option<&'static str>,
    pub last_name: Option<&'static str>,
    pub phone: Option<&'static str>,
    pub international_format_phone: Option<&'static str>,
    pub metadata: Option<Value>,
    pub behaviour: Behaviour,
}

pub(crate) const AUTH_SUCCESS: &str = "AUTH_success001";
pub(crate) const AUTH_SUCCESS_PLAIN: &str = "AUTH_success002";
pub(crate) const AUTH_SUCCESS_FULL: &str = "AUTH_success003";
pub(crate) const AUTH_DECLINED: &str = "AUTH_declined01";
pub(crate) const AUTH_LOW_BALANCE: &str = "AUTH_lowbalance";
pub(crate) const AUTH_FLAKY_3: &str = "AUTH_flaky3fail";
pub(crate) const AUTH_FLAKY_5: &str = "AUTH_flaky5fail";

/// NGN 5,000 in kobo: what `AUTH_lowbalance` holds at the start.
pub(crate) const LOW_BALANCE: u64 = 500_000;

fn custom_fields(email: &str) -> Value {
    json!({"custom_fields": [
        {"display_name": "Customer email", "variable_name": "customer_email", "value": email}
    ]})
}

pub(crate) fn all() -> Vec<Fixture> {
    let bare = |code, sig, last4, id, cus, email, behaviour| Fixture {
        authorization_code: code,
        signature: sig,
        last4,
        customer_id: id,
        account_name: None,
        customer_code: cus,
        email,
        first_name: None,
        last_name: None,
        phone: None,
        international_format_phone: None,
        metadata: None,
        behaviour,
    };
    vec![
        Fixture {
            metadata: Some(custom_fields("success@example.com")),
            ..bare(
                AUTH_SUCCESS,
                "SIG_sbxSuccess0001xxxxx",
                "4081",
                100_001,
                "CUS_sbxsuccess0001",
                "success@example.com",
                Behaviour::Success,
            )
        },
        // The bulk-charge items sample: an all-null customer whose card carries an account name.
        Fixture {
            account_name: Some("PLAIN EXAMPLE"),
            ..bare(
                AUTH_SUCCESS_PLAIN,
                "SIG_sbxSuccess0002xxxxx",
                "4082",
                100_002,
                "CUS_sbxplain000002",
                "plain@example.com",
                Behaviour::Success,
            )
        },
        Fixture {
            first_name: Some("Ada"),
            last_name: Some("Obi"),
            phone: Some("08012345678"),
            international_format_phone: Some("+2348012345678"),
            // The bulk-charge webhook sample's customer has names, a phone and `metadata: {}`.
            metadata: Some(json!({})),
            ..bare(
                AUTH_SUCCESS_FULL,
                "SIG_sbxSuccess0003xxxxx",
                "4083",
                100_003,
                "CUS_sbxada0000003",
                "ada@example.com",
                Behaviour::Success,
            )
        },
        bare(
            AUTH_DECLINED,
            "SIG_sbxDeclined001xxxxx",
            "0002",
            100_004,
            "CUS_sbxdeclined04",
            "declined@example.com",
            Behaviour::Decline { gateway_response: "Declined".into() },
        ),
        bare(
            AUTH_LOW_BALANCE,
            "SIG_sbxLowBalance1xxxxx",
            "0005",
            100_005,
            "CUS_sbxlowbalance5",
            "lowbalance@example.com",
            Behaviour::Balance { amount: LOW_BALANCE },
        ),
        bare(
            AUTH_FLAKY_3,
            "SIG_sbxFlaky3Fail1xxxxx",
            "0033",
            100_006,
            "CUS_sbxflaky30006",
            "flaky3@example.com",
            Behaviour::FailFirst { failures: 3 },
        ),
        bare(
            AUTH_FLAKY_5,
            "SIG_sbxFlaky5Fail1xxxxx",
            "0055",
            100_007,
            "CUS_sbxflaky50007",
            "flaky5@example.com",
            Behaviour::FailFirst { failures: 5 },
        ),
    ]
}
