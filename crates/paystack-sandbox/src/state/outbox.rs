//! Domain events: what the state raises for the world outside to act on. The state knows nothing
//! of webhooks; the dispatcher (`crate::webhooks`) turns each event into a signed delivery.

/// Something that happened to an integration's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// A charge succeeded: `transaction` (an index into the transactions) is now `success`.
    ChargeSucceeded { transaction: usize },
    /// A refund reached `status` at `at`: `refund` is an index into the refunds.
    Refund { refund: usize, status: super::refunds::RefundStatus, at: i64 },
}

/// Events raised by state changes, until the change's caller takes them.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    events: Vec<Event>,
}

impl Outbox {
    pub(crate) fn raise(&mut self, event: Event) {
        self.events.push(event);
    }

    pub(crate) fn take(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }
}
