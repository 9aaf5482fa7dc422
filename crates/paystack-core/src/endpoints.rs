//! The table of every Bulk Charge, Transaction, Settlement and Refund endpoint: the one place
//! each is defined.
//!
//! Each endpoint's method and path come from its route in `paystack-facts` (the sandbox routes the
//! same table); this table adds what only the client needs: the Python names, the parameters with
//! their kinds, and how safe the call is to repeat.
//!
//! Parameter order is the Python signature order: the parameters of Paystack's official Python SDK
//! first, in its order (tests/data/interfaces/); filters that docs/paystack-api.md documents beyond
//! them follow, keyword-only.

use paystack_facts::enums::{
    BATCH_STATUSES, BEARERS, CHARGE_STATUSES, REFUND_CURRENCIES, SETTLEMENT_STATUSES, TRANSACTION_EXPORT_STATUSES,
    TRANSACTION_LIST_STATUSES,
};
use paystack_facts::pagination;
use paystack_facts::routes::Operation::*;

use crate::endpoint::{Endpoint, Location, Param, Resource, Safety};
use crate::value::Kind;

/// An endpoint whose method and path are its route's.
macro_rules! endpoint {
    (resource: $resource:expr, name: $name:expr, operation: $operation:expr, $($field:ident: $value:expr),+ $(,)?) => {
        Endpoint {
            resource: $resource,
            name: $name,
            operation: $operation,
            method: $operation.route().method,
            path: $operation.route().path,
            $($field: $value),+
        }
    };
}

/// A path parameter: `name` in Python, filling the route's `{placeholder}`.
const fn path(name: &'static str, placeholder: &'static str, kind: Kind) -> Param {
    Param { name, wire: placeholder, location: Location::Path, kind, required: true, keyword_only: false }
}

const fn query(name: &'static str, wire: &'static str, kind: Kind) -> Param {
    Param { name, wire, location: Location::Query, kind, required: false, keyword_only: false }
}

const fn body(name: &'static str, kind: Kind, required: bool) -> Param {
    Param { name, wire: name, location: Location::Body, kind, required, keyword_only: false }
}

const fn keyword_only(param: Param) -> Param {
    Param { keyword_only: true, ..param }
}

const PER_PAGE: Param = query("per_page", pagination::PER_PAGE, Kind::PositiveInt);
const PAGE: Param = query("page", pagination::PAGE, Kind::PositiveInt);
const FROM: Param = query("_from", pagination::FROM, Kind::Timestamp);
const TO: Param = query("to", pagination::TO, Kind::Timestamp);

use Resource::{BulkCharge, Refund, Settlement, Transaction};

/// Every endpoint, Bulk Charge first, each resource's methods in alphabetical order as the official SDK lists them.
pub static ENDPOINTS: &[Endpoint] = &[
    endpoint! {
        resource: BulkCharge,
        name: "charges",
        operation: BulkChargeCharges,
        params: &[
            path("code", "id_or_code", Kind::Segment),
            query("status", "status", Kind::Choice(CHARGE_STATUSES)),
            PER_PAGE,
            PAGE,
            FROM,
            TO,
        ],
        safety: Safety::Idempotent,
        summary: "Fetch the charges in a batch (filter by status).",
    },
    endpoint! {
        resource: BulkCharge,
        name: "fetch",
        operation: BulkChargeFetch,
        params: &[path("code", "id_or_code", Kind::Segment)],
        safety: Safety::Idempotent,
        summary: "Fetch a bulk charge batch by id or BCH_ code.",
    },
    endpoint! {
        resource: BulkCharge,
        name: "initiate",
        operation: BulkChargeInitiate,
        params: &[Param {
            name: "charges",
            wire: "charges",
            location: Location::WholeBody,
            kind: Kind::BulkCharges,
            required: true,
            keyword_only: false,
        }],
        safety: Safety::BulkInitiate,
        summary: "Queue up to 1000 charges on saved authorizations as one batch.",
    },
    endpoint! {
        resource: BulkCharge,
        name: "list",
        operation: BulkChargeList,
        params: &[PER_PAGE, PAGE, FROM, TO, keyword_only(query("status", "status", Kind::Choice(BATCH_STATUSES)))],
        safety: Safety::Idempotent,
        summary: "List bulk charge batches, newest first.",
    },
    endpoint! {
        resource: BulkCharge,
        name: "pause",
        operation: BulkChargePause,
        params: &[path("code", "batch_code", Kind::Segment)],
        safety: Safety::Idempotent,
        summary: "Pause processing of a batch.",
    },
    endpoint! {
        resource: BulkCharge,
        name: "resume",
        operation: BulkChargeResume,
        params: &[path("code", "batch_code", Kind::Segment)],
        safety: Safety::Idempotent,
        summary: "Resume processing of a paused batch.",
    },
    endpoint! {
        resource: Transaction,
        name: "charge_authorization",
        operation: TransactionChargeAuthorization,
        params: &[
            body("email", Kind::Email, true),
            body("amount", Kind::Amount, true),
            body("authorization_code", Kind::Text, true),
            body("reference", Kind::Reference, false),
            body("currency", Kind::Currency, false),
            body("metadata", Kind::Metadata, false),
            body("split_code", Kind::Text, false),
            body("subaccount", Kind::Text, false),
            body("transaction_charge", Kind::Count, false),
            body("bearer", Kind::Choice(BEARERS), false),
            body("queue", Kind::Boolean, false),
            keyword_only(body("split", Kind::Object, false)),
        ],
        safety: Safety::ChargeByReference,
        summary: "Charge a saved authorization.",
    },
    endpoint! {
        resource: Transaction,
        name: "check_authorization",
        operation: TransactionCheckAuthorization,
        params: &[
            body("email", Kind::Email, true),
            body("amount", Kind::Amount, true),
            body("authorization_code", Kind::Text, false),
            body("currency", Kind::Currency, false),
        ],
        safety: Safety::Idempotent,
        summary: "Check that an authorization can be charged an amount (charges nothing).",
    },
    endpoint! {
        resource: Transaction,
        name: "download",
        operation: TransactionExport,
        params: &[
            PER_PAGE,
            PAGE,
            FROM,
            TO,
            keyword_only(query("customer", "customer", Kind::PositiveInt)),
            keyword_only(query("status", "status", Kind::Choice(TRANSACTION_EXPORT_STATUSES))),
            keyword_only(query("currency", "currency", Kind::Currency)),
            keyword_only(query("amount", "amount", Kind::Amount)),
            keyword_only(query("settled", "settled", Kind::Boolean)),
            keyword_only(query("settlement", "settlement", Kind::PositiveInt)),
            keyword_only(query("payment_page", "payment_page", Kind::PositiveInt)),
            keyword_only(query("subaccount_code", "subaccount_code", Kind::Text)),
        ],
        safety: Safety::Idempotent,
        summary: "Export transactions as a CSV file; returns its download path.",
    },
    endpoint! {
        resource: Transaction,
        name: "event",
        operation: TransactionEvent,
        params: &[path("id", "id", Kind::TransactionId)],
        safety: Safety::Idempotent,
        summary: "Get a transaction's event.",
    },
    endpoint! {
        resource: Transaction,
        name: "fetch",
        operation: TransactionFetch,
        params: &[path("id", "id", Kind::TransactionId)],
        safety: Safety::Idempotent,
        summary: "Fetch a transaction by its numeric id.",
    },
    endpoint! {
        resource: Transaction,
        name: "initialize",
        operation: TransactionInitialize,
        params: &[
            body("email", Kind::Email, true),
            body("amount", Kind::Amount, true),
            body("currency", Kind::Currency, false),
            body("reference", Kind::Reference, false),
            body("callback_url", Kind::Text, false),
            body("plan", Kind::Text, false),
            body("invoice_limit", Kind::Count, false),
            body("metadata", Kind::Metadata, false),
            body("channels", Kind::Channels, false),
            body("split_code", Kind::Text, false),
            body("subaccount", Kind::Text, false),
            body("transaction_charge", Kind::Count, false),
            body("bearer", Kind::Choice(BEARERS), false),
            keyword_only(body("split", Kind::Object, false)),
            keyword_only(body("label", Kind::Text, false)),
        ],
        safety: Safety::InitializeByReference,
        summary: "Create a transaction and get the checkout URL the customer pays at.",
    },
    endpoint! {
        resource: Transaction,
        name: "list",
        operation: TransactionList,
        params: &[
            PER_PAGE,
            PAGE,
            FROM,
            TO,
            keyword_only(query("status", "status", Kind::Choice(TRANSACTION_LIST_STATUSES))),
            keyword_only(query("customer", "customer", Kind::PositiveInt)),
            keyword_only(query("amount", "amount", Kind::Amount)),
            keyword_only(query("terminalid", "terminalid", Kind::Text)),
            keyword_only(query("settlement", "settlement", Kind::PositiveInt)),
            keyword_only(query("use_cursor", "use_cursor", Kind::Boolean)),
            keyword_only(query("next", "next", Kind::Text)),
            keyword_only(query("previous", "previous", Kind::Text)),
        ],
        safety: Safety::Idempotent,
        summary: "List transactions, newest first (offset or cursor pagination).",
    },
    endpoint! {
        resource: Transaction,
        name: "partial_debit",
        operation: TransactionPartialDebit,
        params: &[
            body("email", Kind::Email, true),
            body("amount", Kind::Amount, true),
            body("authorization_code", Kind::Text, true),
            body("currency", Kind::Currency, true),
            body("reference", Kind::Reference, false),
            body("at_least", Kind::Amount, false),
        ],
        safety: Safety::ChargeByReference,
        summary: "Charge what a saved authorization can pay, down to at_least.",
    },
    endpoint! {
        resource: Transaction,
        name: "session",
        operation: TransactionSession,
        params: &[path("id", "id", Kind::TransactionId)],
        safety: Safety::Idempotent,
        summary: "Get a transaction's session.",
    },
    endpoint! {
        resource: Transaction,
        name: "timeline",
        operation: TransactionTimeline,
        params: &[path("id_or_reference", "id_or_reference", Kind::Segment)],
        safety: Safety::Idempotent,
        summary: "Fetch a transaction's timeline by id or reference.",
    },
    endpoint! {
        resource: Transaction,
        name: "totals",
        operation: TransactionTotals,
        params: &[PER_PAGE, PAGE, FROM, TO],
        safety: Safety::Idempotent,
        summary: "Total volume and count of transactions.",
    },
    endpoint! {
        resource: Transaction,
        name: "verify",
        operation: TransactionVerify,
        params: &[path("reference", "reference", Kind::Segment)],
        safety: Safety::Idempotent,
        summary: "Verify a transaction by reference.",
    },
    endpoint! {
        resource: Settlement,
        name: "fetch",
        operation: SettlementFetch,
        params: &[
            PER_PAGE,
            PAGE,
            keyword_only(query("status", "status", Kind::Choice(SETTLEMENT_STATUSES))),
            keyword_only(query("subaccount", "subaccount", Kind::Segment)),
            keyword_only(FROM),
            keyword_only(TO),
        ],
        safety: Safety::Idempotent,
        summary: "List the settlements (payouts to the bank), newest first.",
    },
    endpoint! {
        resource: Settlement,
        name: "transaction",
        // Paystack's documented spelling, /settlement/{id}/transactions; the official SDK's
        // /settlement/{id}/transaction is the same endpoint (docs/paystack-api.md §8.2).
        operation: SettlementTransactions,
        // Settlement and refund ids are integers (the OAS's path parameters).
        params: &[path("id", "id", Kind::PositiveInt), PER_PAGE, PAGE, FROM, TO],
        safety: Safety::Idempotent,
        summary: "The transactions a settlement paid out.",
    },
    endpoint! {
        resource: Refund,
        name: "create",
        operation: RefundCreate,
        params: &[
            body("transaction", Kind::Segment, true),
            body("amount", Kind::Amount, false),
            body("currency", Kind::Choice(REFUND_CURRENCIES), false),
            body("customer_note", Kind::Text, false),
            body("merchant_note", Kind::Text, false),
        ],
        safety: Safety::RefundOnce,
        summary: "Refund a transaction, in full or in part (checked against what is left to refund first).",
    },
    endpoint! {
        resource: Refund,
        name: "fetch",
        operation: RefundFetch,
        params: &[path("id", "id", Kind::PositiveInt)],
        safety: Safety::Idempotent,
        summary: "Fetch a refund by its id.",
    },
    endpoint! {
        resource: Refund,
        name: "list",
        operation: RefundList,
        params: &[PER_PAGE, PAGE, FROM, TO],
        safety: Safety::Idempotent,
        summary: "List refunds, newest first.",
    },
    endpoint! {
        resource: Refund,
        name: "retry",
        operation: RefundRetry,
        params: &[path("id", "id", Kind::PositiveInt), body("refund_account_details", Kind::RefundAccount, true)],
        // Paystack refuses it unless the refund needs attention, so a repeat cannot pay twice.
        safety: Safety::Idempotent,
        summary: "Retry a refund that needs attention, with the customer's bank account details.",
    },
];

/// The endpoint `resource.name`, e.g. `find("transaction", "verify")`.
pub fn find(resource: &str, name: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.resource.as_str() == resource && e.name == name)
}

/// The endpoint named `resource.name`, e.g. `by_name("transaction.verify")`: how the Python
/// methods and the client's recovery lookups name the endpoint they call.
pub fn by_name(qualified: &str) -> Option<&'static Endpoint> {
    let (resource, name) = qualified.split_once('.')?;
    find(resource, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::HttpMethod;
    use paystack_facts::ROUTES;
    use std::collections::HashSet;

    #[test]
    fn every_route_is_one_endpoint_with_its_method_and_path() {
        for route in ROUTES.iter().filter(|r| r.operation != SettlementTransaction) {
            let endpoints: Vec<_> = ENDPOINTS.iter().filter(|e| e.operation == route.operation).collect();
            assert_eq!(endpoints.len(), 1, "{:?}", route.operation);
            assert_eq!((endpoints[0].method, endpoints[0].path), (route.method, route.path));
            let prefix = match endpoints[0].resource {
                Resource::BulkCharge => "/bulkcharge",
                Resource::Transaction => "/transaction",
                Resource::Settlement => "/settlement",
                Resource::Refund => "/refund",
            };
            assert!(route.path.starts_with(prefix), "{}", endpoints[0].qualified_name());
        }
        // The official SDK's singular spelling of settlement.transaction is the sandbox's alias only.
        assert_eq!(ENDPOINTS.len(), ROUTES.len() - 1);
    }

    #[test]
    fn every_seed_method_is_defined_once() {
        let bulk = ["charges", "fetch", "initiate", "list", "pause", "resume"];
        let tx = [
            "charge_authorization",
            "check_authorization",
            "download",
            "event",
            "fetch",
            "initialize",
            "list",
            "partial_debit",
            "session",
            "timeline",
            "totals",
            "verify",
        ];
        for name in bulk {
            assert!(find("bulk_charge", name).is_some(), "{name}");
        }
        for name in tx {
            assert!(find("transaction", name).is_some(), "{name}");
        }
        // The official SDK's names (docs/paystack-api.md §8), and retry_with_customer_details as `retry`.
        let settlement = ["fetch", "transaction"];
        let refund = ["create", "fetch", "list", "retry"];
        for name in settlement {
            assert!(find("settlement", name).is_some(), "{name}");
        }
        for name in refund {
            assert!(find("refund", name).is_some(), "{name}");
        }
        assert_eq!(ENDPOINTS.len(), bulk.len() + tx.len() + settlement.len() + refund.len());
        let unique: HashSet<_> = ENDPOINTS.iter().map(|e| (e.resource, e.name)).collect();
        assert_eq!(unique.len(), ENDPOINTS.len());
    }

    #[test]
    fn path_parameters_match_templates() {
        for e in ENDPOINTS {
            let in_path: Vec<_> = e.params.iter().filter(|p| p.location == Location::Path).collect();
            let placeholders: Vec<_> = e.operation.route().placeholders().collect();
            let wires: Vec<_> = in_path.iter().map(|p| p.wire).collect();
            assert_eq!(wires, placeholders, "{}", e.qualified_name());
            assert!(in_path.iter().all(|p| p.required), "{}", e.qualified_name());
        }
    }

    #[test]
    fn required_parameters_come_first_and_names_are_unique() {
        for e in ENDPOINTS {
            let first_optional = e.params.iter().position(|p| !p.required).unwrap_or(e.params.len());
            assert!(e.params[first_optional..].iter().all(|p| !p.required), "{}", e.qualified_name());
            let names: HashSet<_> = e.params.iter().map(|p| p.name).collect();
            assert_eq!(names.len(), e.params.len());
            // `request::NamedArgs` keeps one bit per parameter.
            assert!(e.params.len() <= 64, "{}", e.qualified_name());
            // Keyword-only parameters come after all positional ones.
            let first_kw = e.params.iter().position(|p| p.keyword_only).unwrap_or(e.params.len());
            assert!(e.params[first_kw..].iter().all(|p| p.keyword_only), "{}", e.qualified_name());
        }
    }

    #[test]
    fn posts_that_charge_carry_a_reference_parameter() {
        for e in ENDPOINTS {
            match e.safety {
                Safety::ChargeByReference | Safety::InitializeByReference => {
                    assert!(e.param_index("reference").is_some(), "{}", e.qualified_name())
                }
                Safety::BulkInitiate => assert_eq!(e.params[0].kind, Kind::BulkCharges),
                Safety::RefundOnce => assert_eq!(e.params[0].name, "transaction"),
                Safety::Idempotent => {}
            }
            if e.method == HttpMethod::Get {
                assert_eq!(e.safety, Safety::Idempotent);
            }
        }
    }
}
