//! How a charge on an authorization turns out: the rules a tester controls.
//!
//! Every authorization has a [`Behaviour`]; the seeded fixtures cover the common cases and
//! `POST /_sandbox/customers` adds more. Decisions depend only on the behaviour, the amounts and
//! how many attempts the authorization has seen, so they are deterministic.

use serde::{Deserialize, Serialize};

/// What charging an authorization does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Behaviour {
    /// Every charge succeeds.
    Success,
    /// Every charge is declined with `gateway_response` (default "Declined").
    Decline {
        #[serde(default = "declined")]
        gateway_response: String,
    },
    /// The card holds `amount` (subunits); a charge above what is left fails with
    /// "Insufficient Funds" unless partial debit takes what is left. Successful charges spend it.
    Balance { amount: u64 },
    /// The first `failures` charge attempts on this authorization fail (a transient issuer error),
    /// every later one succeeds.
    FailFirst { failures: u32 },
}

/// The gateway response of a plain decline.
pub(crate) const DECLINED: &str = "Declined";

fn declined() -> String {
    DECLINED.into()
}

/// The result of one charge attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChargeResult {
    /// Charged `amount` (less than requested when a partial debit took what was available).
    Approved {
        amount: u64,
    },
    Declined {
        gateway_response: String,
    },
}

pub(crate) use paystack_facts::limits::CHECK_AUTHORIZATION_TEST_LIMIT;
pub(crate) use paystack_facts::messages::INSUFFICIENT_FUNDS;
pub(crate) const TRANSIENT_FAILURE: &str = "Issuer or Switch Inoperative";

/// The mutable side of an authorization's behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Funds {
    pub behaviour: Behaviour,
    /// What a `Balance` card has left.
    pub available: u64,
    /// Charge attempts seen (drives `FailFirst`).
    pub attempts: u32,
}

impl Funds {
    pub(crate) fn new(behaviour: Behaviour) -> Self {
        let available = match &behaviour {
            Behaviour::Balance { amount } => *amount,
            _ => 0,
        };
        Self { behaviour, available, attempts: 0 }
    }

    /// One charge attempt of `amount`. `partial_at_least` is `Some(minimum)` when the charge may
    /// take less than requested (partial_debit, or a bulk item with `attempt_partial_debit`).
    pub(crate) fn attempt(&mut self, amount: u64, partial_at_least: Option<u64>) -> ChargeResult {
        self.attempts = self.attempts.saturating_add(1);
        match &self.behaviour {
            Behaviour::Success => ChargeResult::Approved { amount },
            Behaviour::Decline { gateway_response } => {
                ChargeResult::Declined { gateway_response: gateway_response.clone() }
            }
            Behaviour::FailFirst { failures } => {
                if self.attempts <= *failures {
                    ChargeResult::Declined { gateway_response: TRANSIENT_FAILURE.into() }
                } else {
                    ChargeResult::Approved { amount }
                }
            }
            Behaviour::Balance { .. } => {
                if amount <= self.available {
                    self.available -= amount;
                    return ChargeResult::Approved { amount };
                }
                match partial_at_least {
                    Some(at_least) if self.available > 0 && self.available >= at_least => {
                        let taken = self.available;
                        self.available = 0;
                        ChargeResult::Approved { amount: taken }
                    }
                    _ => ChargeResult::Declined { gateway_response: INSUFFICIENT_FUNDS.into() },
                }
            }
        }
    }

    /// check_authorization: could `amount` be charged now? `Err` is the reason it could not.
    /// Does not count as an attempt and spends nothing.
    pub(crate) fn check(&self, amount: u64, test_domain: bool) -> Result<(), String> {
        if test_domain && amount >= CHECK_AUTHORIZATION_TEST_LIMIT {
            return Err(INSUFFICIENT_FUNDS.into());
        }
        match &self.behaviour {
            Behaviour::Success | Behaviour::FailFirst { .. } => Ok(()),
            Behaviour::Decline { gateway_response } => Err(gateway_response.clone()),
            Behaviour::Balance { .. } if amount <= self.available => Ok(()),
            Behaviour::Balance { .. } => Err(INSUFFICIENT_FUNDS.into()),
        }
    }

    /// A sentence for the fixtures listing.
    pub(crate) fn describe(&self) -> String {
        match &self.behaviour {
            Behaviour::Success => "every charge succeeds".into(),
            Behaviour::Decline { gateway_response } => format!("every charge is declined ({gateway_response:?})"),
            Behaviour::Balance { amount } => format!(
                "holds {amount} subunits ({} left); larger charges fail with \"Insufficient Funds\" unless a partial debit takes what is left",
                self.available
            ),
            Behaviour::FailFirst { failures } => format!(
                "the first {failures} charge attempts fail ({TRANSIENT_FAILURE:?}), later ones succeed ({} attempts so far)",
                self.attempts
            ),
        }
    }
}

/// The `fees` of a card charge: Paystack's fee table (`paystack_facts::pricing`) for a card issued
/// in `card_country` (local or international), its estimate for a currency without a row.
pub(crate) fn fee(amount: u64, currency: &str, card_country: &str) -> u64 {
    use paystack_facts::pricing;
    pricing::fee(amount, currency, pricing::card_channel(currency, card_country))
        .unwrap_or_else(|| pricing::estimated_card_fee(amount, currency))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance_and_partial_debit() {
        let mut funds = Funds::new(Behaviour::Balance { amount: 1000 });
        assert_eq!(funds.attempt(400, None), ChargeResult::Approved { amount: 400 });
        assert_eq!(funds.attempt(700, None), ChargeResult::Declined { gateway_response: INSUFFICIENT_FUNDS.into() });
        assert_eq!(
            funds.attempt(700, Some(601)),
            ChargeResult::Declined { gateway_response: INSUFFICIENT_FUNDS.into() }
        );
        assert_eq!(funds.attempt(700, Some(500)), ChargeResult::Approved { amount: 600 });
        assert_eq!(funds.available, 0);
        assert!(matches!(funds.attempt(1, Some(0)), ChargeResult::Declined { .. }));
    }

    #[test]
    fn fail_first_then_succeed() {
        let mut funds = Funds::new(Behaviour::FailFirst { failures: 2 });
        assert!(matches!(funds.attempt(5, None), ChargeResult::Declined { .. }));
        assert!(matches!(funds.attempt(5, None), ChargeResult::Declined { .. }));
        assert_eq!(funds.attempt(5, None), ChargeResult::Approved { amount: 5 });
    }

    #[test]
    fn check_rules() {
        let ok = Funds::new(Behaviour::Success);
        assert!(ok.check(49_999_999, true).is_ok());
        assert_eq!(ok.check(50_000_000, true), Err(INSUFFICIENT_FUNDS.into()));
        assert!(ok.check(50_000_000, false).is_ok());
        assert!(Funds::new(Behaviour::Balance { amount: 10 }).check(11, true).is_err());
    }
}
