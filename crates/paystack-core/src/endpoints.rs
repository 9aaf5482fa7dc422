//! The table of every Bulk Charge and Transaction endpoint: the one place each is defined.
//!
//! Parameter order is the Python signature order: the parameters of Paystack's official Python SDK
//! first, in its order (tests/data/interfaces/); filters that docs/paystack-api.md documents beyond
//! them follow, keyword-only.

use crate::endpoint::{Endpoint, HttpMethod, Location, Param, Resource, Safety};
use crate::value::Kind;

const fn path(name: &'static str, kind: Kind) -> Param {
    Param { name, wire: name, location: Location::Path, kind, required: true, keyword_only: false }
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

const PER_PAGE: Param = query("per_page", "perPage", Kind::PositiveInt);
const PAGE: Param = query("page", "page", Kind::PositiveInt);
const FROM: Param = query("_from", "from", Kind::Timestamp);
const TO: Param = query("to", "to", Kind::Timestamp);

/// Charge statuses in a batch (docs/paystack-api.md §3.4; the OAS adds `error` and `inactive_authorization`).
pub const CHARGE_STATUSES: &[&str] = &["pending", "success", "failed", "error", "inactive_authorization"];
/// Batch statuses (docs/paystack-api.md §3.2).
pub const BATCH_STATUSES: &[&str] = &["active", "paused", "complete"];
/// Transaction statuses the list filter accepts (docs/paystack-api.md T3).
pub const TRANSACTION_STATUSES: &[&str] = &["success", "failed", "abandoned", "reversed"];
/// Transaction statuses the export filter accepts (docs/paystack-api.md T9).
pub const EXPORT_STATUSES: &[&str] = &["success", "failed", "abandoned", "reversed", "all"];
/// Who bears the transaction charge (docs/paystack-api.md T1).
pub const BEARERS: &[&str] = &["account", "subaccount"];

use Resource::{BulkCharge, Transaction};

/// Every endpoint, Bulk Charge first, each resource's methods in alphabetical order as the official SDK lists them.
pub static ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        resource: BulkCharge,
        name: "charges",
        method: HttpMethod::Get,
        path: "/bulkcharge/{code}/charges",
        params: &[
            path("code", Kind::Segment),
            query("status", "status", Kind::Choice(CHARGE_STATUSES)),
            PER_PAGE,
            PAGE,
            FROM,
            TO,
        ],
        safety: Safety::Idempotent,
        summary: "Fetch the charges in a batch (filter by status).",
    },
    Endpoint {
        resource: BulkCharge,
        name: "fetch",
        method: HttpMethod::Get,
        path: "/bulkcharge/{code}",
        params: &[path("code", Kind::Segment)],
        safety: Safety::Idempotent,
        summary: "Fetch a bulk charge batch by id or BCH_ code.",
    },
    Endpoint {
        resource: BulkCharge,
        name: "initiate",
        method: HttpMethod::Post,
        path: "/bulkcharge",
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
    Endpoint {
        resource: BulkCharge,
        name: "list",
        method: HttpMethod::Get,
        path: "/bulkcharge",
        params: &[PER_PAGE, PAGE, FROM, TO, keyword_only(query("status", "status", Kind::Choice(BATCH_STATUSES)))],
        safety: Safety::Idempotent,
        summary: "List bulk charge batches, newest first.",
    },
    Endpoint {
        resource: BulkCharge,
        name: "pause",
        method: HttpMethod::Get,
        path: "/bulkcharge/pause/{code}",
        params: &[path("code", Kind::Segment)],
        safety: Safety::Idempotent,
        summary: "Pause processing of a batch.",
    },
    Endpoint {
        resource: BulkCharge,
        name: "resume",
        method: HttpMethod::Get,
        path: "/bulkcharge/resume/{code}",
        params: &[path("code", Kind::Segment)],
        safety: Safety::Idempotent,
        summary: "Resume processing of a paused batch.",
    },
    Endpoint {
        resource: Transaction,
        name: "charge_authorization",
        method: HttpMethod::Post,
        path: "/transaction/charge_authorization",
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
    Endpoint {
        resource: Transaction,
        name: "check_authorization",
        method: HttpMethod::Post,
        path: "/transaction/check_authorization",
        params: &[
            body("email", Kind::Email, true),
            body("amount", Kind::Amount, true),
            body("authorization_code", Kind::Text, false),
            body("currency", Kind::Currency, false),
        ],
        safety: Safety::Idempotent,
        summary: "Check that an authorization can be charged an amount (charges nothing).",
    },
    Endpoint {
        resource: Transaction,
        name: "download",
        method: HttpMethod::Get,
        path: "/transaction/export",
        params: &[
            PER_PAGE,
            PAGE,
            FROM,
            TO,
            keyword_only(query("customer", "customer", Kind::PositiveInt)),
            keyword_only(query("status", "status", Kind::Choice(EXPORT_STATUSES))),
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
    Endpoint {
        resource: Transaction,
        name: "event",
        method: HttpMethod::Get,
        path: "/transaction/{id}/event",
        params: &[path("id", Kind::TransactionId)],
        safety: Safety::Idempotent,
        summary: "Get a transaction's event.",
    },
    Endpoint {
        resource: Transaction,
        name: "fetch",
        method: HttpMethod::Get,
        path: "/transaction/{id}",
        params: &[path("id", Kind::TransactionId)],
        safety: Safety::Idempotent,
        summary: "Fetch a transaction by its numeric id.",
    },
    Endpoint {
        resource: Transaction,
        name: "initialize",
        method: HttpMethod::Post,
        path: "/transaction/initialize",
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
    Endpoint {
        resource: Transaction,
        name: "list",
        method: HttpMethod::Get,
        path: "/transaction",
        params: &[
            PER_PAGE,
            PAGE,
            FROM,
            TO,
            keyword_only(query("status", "status", Kind::Choice(TRANSACTION_STATUSES))),
            keyword_only(query("customer", "customer", Kind::PositiveInt)),
            keyword_only(query("amount", "amount", Kind::Amount)),
            keyword_only(query("terminalid", "terminalid", Kind::Text)),
            keyword_only(query("use_cursor", "use_cursor", Kind::Boolean)),
            keyword_only(query("next", "next", Kind::Text)),
            keyword_only(query("previous", "previous", Kind::Text)),
        ],
        safety: Safety::Idempotent,
        summary: "List transactions, newest first (offset or cursor pagination).",
    },
    Endpoint {
        resource: Transaction,
        name: "partial_debit",
        method: HttpMethod::Post,
        path: "/transaction/partial_debit",
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
    Endpoint {
        resource: Transaction,
        name: "session",
        method: HttpMethod::Get,
        path: "/transaction/{id}/session",
        params: &[path("id", Kind::TransactionId)],
        safety: Safety::Idempotent,
        summary: "Get a transaction's session.",
    },
    Endpoint {
        resource: Transaction,
        name: "timeline",
        method: HttpMethod::Get,
        path: "/transaction/timeline/{id_or_reference}",
        params: &[path("id_or_reference", Kind::Segment)],
        safety: Safety::Idempotent,
        summary: "Fetch a transaction's timeline by id or reference.",
    },
    Endpoint {
        resource: Transaction,
        name: "totals",
        method: HttpMethod::Get,
        path: "/transaction/totals",
        params: &[PER_PAGE, PAGE, FROM, TO],
        safety: Safety::Idempotent,
        summary: "Total volume and count of transactions.",
    },
    Endpoint {
        resource: Transaction,
        name: "verify",
        method: HttpMethod::Get,
        path: "/transaction/verify/{reference}",
        params: &[path("reference", Kind::Segment)],
        safety: Safety::Idempotent,
        summary: "Verify a transaction by reference.",
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
    use std::collections::HashSet;

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
        assert_eq!(ENDPOINTS.len(), bulk.len() + tx.len());
        let unique: HashSet<_> = ENDPOINTS.iter().map(|e| (e.resource, e.name)).collect();
        assert_eq!(unique.len(), ENDPOINTS.len());
    }

    #[test]
    fn path_parameters_match_templates() {
        for e in ENDPOINTS {
            let in_path: Vec<_> = e.params.iter().filter(|p| p.location == Location::Path).collect();
            for p in &in_path {
                assert!(e.path.contains(&format!("{{{}}}", p.wire)), "{}: {}", e.qualified_name(), p.name);
                assert!(p.required);
            }
            assert_eq!(e.path.matches('{').count(), in_path.len(), "{}", e.qualified_name());
        }
    }

    #[test]
    fn required_parameters_come_first_and_names_are_unique() {
        for e in ENDPOINTS {
            let first_optional = e.params.iter().position(|p| !p.required).unwrap_or(e.params.len());
            assert!(e.params[first_optional..].iter().all(|p| !p.required), "{}", e.qualified_name());
            let names: HashSet<_> = e.params.iter().map(|p| p.name).collect();
            assert_eq!(names.len(), e.params.len());
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
                Safety::Idempotent => {}
            }
            if e.method == HttpMethod::Get {
                assert_eq!(e.safety, Safety::Idempotent);
            }
        }
    }
}
