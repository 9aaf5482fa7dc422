//! The 25 Bulk Charge, Transaction, Settlement and Refund endpoints: each one's HTTP method, path
//! template and the message of its success answer (docs/paystack-api.md §3, §4, §8). The client builds its requests
//! from this table and the sandbox builds its router from it.

/// The HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Every endpoint, by what it does. The discriminant is the endpoint's index in [`ROUTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    BulkChargeInitiate,
    BulkChargeList,
    BulkChargeFetch,
    BulkChargeCharges,
    BulkChargePause,
    BulkChargeResume,
    TransactionInitialize,
    TransactionVerify,
    TransactionList,
    TransactionFetch,
    TransactionChargeAuthorization,
    TransactionCheckAuthorization,
    TransactionTimeline,
    TransactionTotals,
    TransactionExport,
    TransactionPartialDebit,
    TransactionEvent,
    TransactionSession,
    SettlementFetch,
    SettlementTransactions,
    SettlementTransaction,
    RefundCreate,
    RefundList,
    RefundFetch,
    RefundRetry,
}

impl Operation {
    /// This endpoint's route.
    pub const fn route(self) -> &'static Route {
        &ROUTES[self as usize]
    }
}

/// One endpoint on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub operation: Operation,
    pub method: Method,
    /// The path template; `{name}` is one path segment, named as docs/paystack-api.md names it.
    pub path: &'static str,
    /// The `message` of a success answer, where Paystack documents one (T11 and T12 have no
    /// public documentation or sample).
    pub message: Option<&'static str>,
    /// Where docs/paystack-api.md describes it.
    pub doc: &'static str,
}

impl Route {
    /// The names of the path's `{placeholders}`, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = &'static str> {
        let path: &'static str = self.path;
        path.split('/').filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
    }
}

const fn route(
    operation: Operation,
    method: Method,
    path: &'static str,
    message: Option<&'static str>,
    doc: &'static str,
) -> Route {
    Route { operation, method, path, message, doc }
}

use Method::{Get, Post};
use Operation::*;

/// Every endpoint, in [`Operation`] order.
pub const ROUTES: [Route; 25] = [
    route(BulkChargeInitiate, Post, "/bulkcharge", Some("Charges have been queued"), "§3.1"),
    route(BulkChargeList, Get, "/bulkcharge", Some("Bulk charges retrieved"), "§3.2"),
    route(BulkChargeFetch, Get, "/bulkcharge/{id_or_code}", Some("Bulk charge retrieved"), "§3.3"),
    route(BulkChargeCharges, Get, "/bulkcharge/{id_or_code}/charges", Some("Bulk charge items retrieved"), "§3.4"),
    route(BulkChargePause, Get, "/bulkcharge/pause/{batch_code}", Some("Bulk charge batch has been paused"), "§3.5"),
    route(BulkChargeResume, Get, "/bulkcharge/resume/{batch_code}", Some("Bulk charge batch has been resumed"), "§3.5"),
    route(TransactionInitialize, Post, "/transaction/initialize", Some("Authorization URL created"), "T1"),
    route(TransactionVerify, Get, "/transaction/verify/{reference}", Some("Verification successful"), "T2"),
    route(TransactionList, Get, "/transaction", Some("Transactions retrieved"), "T3"),
    route(TransactionFetch, Get, "/transaction/{id}", Some("Transaction retrieved"), "T4"),
    route(TransactionChargeAuthorization, Post, "/transaction/charge_authorization", Some("Charge attempted"), "T5"),
    route(
        TransactionCheckAuthorization,
        Post,
        "/transaction/check_authorization",
        Some("Authorization is valid for this amount"),
        "T6",
    ),
    route(TransactionTimeline, Get, "/transaction/timeline/{id_or_reference}", Some("Timeline retrieved"), "T7"),
    route(TransactionTotals, Get, "/transaction/totals", Some("Transaction totals"), "T8"),
    route(TransactionExport, Get, "/transaction/export", Some("Export successful"), "T9"),
    route(TransactionPartialDebit, Post, "/transaction/partial_debit", Some("Charge attempted"), "T10"),
    route(TransactionEvent, Get, "/transaction/{id}/event", None, "T11"),
    route(TransactionSession, Get, "/transaction/{id}/session", None, "T12"),
    route(SettlementFetch, Get, "/settlement", Some("Settlements retrieved"), "§8.1"),
    route(SettlementTransactions, Get, "/settlement/{id}/transactions", Some("Transactions retrieved"), "§8.2"),
    // The official SDK's spelling of the same endpoint (docs/paystack-api.md §8.2).
    route(SettlementTransaction, Get, "/settlement/{id}/transaction", Some("Transactions retrieved"), "§8.2"),
    route(RefundCreate, Post, "/refund", Some("Refund has been queued for processing"), "§8.3"),
    route(RefundList, Get, "/refund", Some("Refunds retrieved"), "§8.3"),
    route(RefundFetch, Get, "/refund/{id}", Some("Refund retrieved"), "§8.3"),
    route(
        RefundRetry,
        Post,
        "/refund/retry_with_customer_details/{id}",
        Some("Refund retried and has been queued for processing"),
        "§8.3",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn each_route_sits_at_its_operations_index() {
        for (index, route) in ROUTES.iter().enumerate() {
            assert_eq!(route.operation as usize, index, "{}", route.path);
            assert_eq!(route.operation.route(), route);
        }
    }

    #[test]
    fn method_and_path_name_one_endpoint() {
        let unique: HashSet<_> = ROUTES.iter().map(|r| (r.method, r.path)).collect();
        assert_eq!(unique.len(), ROUTES.len());
    }

    #[test]
    fn templates_are_well_formed() {
        for route in &ROUTES {
            assert!(route.path.starts_with('/') && !route.path.ends_with('/'), "{}", route.path);
            let placeholders: Vec<_> = route.placeholders().collect();
            assert_eq!(placeholders.len(), route.path.matches('{').count(), "{}", route.path);
            assert!(
                placeholders.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            );
        }
        assert_eq!(Operation::BulkChargeCharges.route().placeholders().collect::<Vec<_>>(), ["id_or_code"]);
        assert_eq!(Operation::TransactionList.route().placeholders().count(), 0);
    }

    #[test]
    fn pause_and_resume_are_gets() {
        // docs/paystack-api.md §3.5: GET, not POST.
        assert_eq!(Operation::BulkChargePause.route().method, Method::Get);
        assert_eq!(Operation::BulkChargeResume.route().method, Method::Get);
    }

    #[test]
    fn both_spellings_of_settlement_transactions_answer_alike() {
        let plural = Operation::SettlementTransactions.route();
        let singular = Operation::SettlementTransaction.route();
        assert_eq!(plural.path.strip_suffix('s'), Some(singular.path));
        assert_eq!((plural.method, plural.message), (singular.method, singular.message));
    }
}
