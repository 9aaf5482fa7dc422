//! One integration's data, by concern: customers, cards, transactions, batches, settlements,
//! refunds, the ledger and the outbox of domain events, and the operations that change them
//! (`payments`, `bulk_engine`, `settlement_engine`, `refund_engine`), run in time order by
//! `schedule`. Every operation runs under the integration's mutex and never awaits, so a lock is
//! held for microseconds. The state renders nothing, signs nothing and sends nothing: it raises
//! events. It reads no clock either: `now` is the time of the change in progress, set by whoever
//! changes it (`commit`, the scheduler).

pub(crate) mod batches;
pub(crate) mod bulk_engine;
pub(crate) mod card_behaviour;
pub(crate) mod cards;
pub(crate) mod customers;
pub(crate) mod fixtures;
pub(crate) mod ledger;
pub(crate) mod outbox;
pub(crate) mod payments;
pub(crate) mod records;
pub(crate) mod refund_engine;
pub(crate) mod refunds;
pub(crate) mod refusals;
pub(crate) mod schedule;
pub(crate) mod settlement_engine;
pub(crate) mod settlements;
pub(crate) mod transactions;

use paystack_facts::keys::Domain;

use crate::ids::IdGen;
use batches::Batches;
use cards::{Cards, test_card};
use customers::Customers;
use ledger::Ledger;
use outbox::Outbox;
use records::{Customer, Settings};
use refunds::Refunds;
use settlements::Settlements;
use transactions::Transactions;

#[derive(Debug)]
pub(crate) struct IntegrationState {
    pub integration_id: u64,
    pub domain: Domain,
    /// Every id and code the integration invents, in the order it invents them.
    pub ids: IdGen,
    pub customers: Customers,
    pub cards: Cards,
    pub transactions: Transactions,
    pub batches: Batches,
    pub ledger: Ledger,
    pub outbox: Outbox,
    pub settlements: Settlements,
    pub refunds: Refunds,
    pub settings: Settings,
    /// The time of the change in progress (Unix milliseconds): what every timestamp written is.
    pub now: i64,
}

impl IntegrationState {
    /// A new integration at `now` with the fixtures (`fixtures::all`); ids drawn from `seed`.
    pub(crate) fn new(integration_id: u64, domain: Domain, seed: u64, settings: Settings, now: i64) -> Self {
        let mut ids = IdGen::new(seed);
        let transactions = Transactions::new(&mut ids);
        let batches = Batches::new(&mut ids);
        let settlements = Settlements::new(now);
        let refunds = Refunds::default();
        let mut state = Self {
            integration_id,
            domain,
            ids,
            customers: Customers::new(),
            cards: Cards::default(),
            transactions,
            batches,
            ledger: Ledger::default(),
            outbox: Outbox::default(),
            settlements,
            refunds,
            settings,
            now,
        };
        state.seed_fixtures();
        state
    }

    fn seed_fixtures(&mut self) {
        let now = self.now;
        for f in fixtures::all() {
            let customer = self.customers.insert(Customer {
                id: f.customer_id,
                code: f.customer_code.into(),
                email: f.email.into(),
                first_name: f.first_name.map(Into::into),
                last_name: f.last_name.map(Into::into),
                phone: f.phone.map(Into::into),
                international_format_phone: f.international_format_phone.map(Into::into),
                metadata: f.metadata.clone(),
                created_at: now,
            });
            self.cards.insert(test_card(
                f.authorization_code.into(),
                customer,
                f.last4.into(),
                f.signature.into(),
                f.account_name.map(Into::into),
                f.behaviour.clone(),
                true,
            ));
        }
    }

    /// A fresh, unguessable-enough name for an export file.
    pub(crate) fn export_token(&mut self) -> String {
        format!("{}_{}", self.integration_id, self.ids.lower_alnum(24))
    }
}

/// When [`test_state`] starts: 2024-08-01T09:00:00Z.
#[cfg(test)]
pub(crate) const TEST_START: i64 = 1_722_502_800_000;

#[cfg(test)]
pub(crate) fn test_state() -> IntegrationState {
    IntegrationState::new(
        1,
        Domain::Test,
        7,
        Settings {
            process_interval_ms: 0,
            webhook_url: None,
            webhook_retry_interval_ms: 10,
            webhook_max_attempts: 2,
            webhook_timeout_ms: 100,
            payment_session_timeout_ms: 0,
        },
        TEST_START,
    )
}
