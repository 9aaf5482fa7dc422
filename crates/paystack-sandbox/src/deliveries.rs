//! The webhook deliveries of one integration: each event sent, its signed body and every attempt,
//! as `GET /_sandbox/webhooks` and `GET /transaction/{id}/event` show them.

use axum::body::Bytes;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeliveryStatus {
    Pending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct DeliveryAttempt {
    pub at: i64,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: u64,
}

/// One webhook event and its delivery attempts.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub id: u64,
    pub event: &'static str,
    pub reference: String,
    pub transaction_id: u64,
    pub url: String,
    pub created_at: i64,
    pub status: DeliveryStatus,
    pub attempts: Vec<DeliveryAttempt>,
    pub body: Bytes,
    pub signature: String,
    /// When the next attempt is due by the clock, while one is to come.
    pub next_attempt_at: Option<i64>,
}

/// The deliveries, oldest first. Ids keep counting when the log is cleared, so a delivery still
/// in flight after a reset cannot touch a new record.
#[derive(Debug, Default)]
pub(crate) struct DeliveryLog {
    deliveries: Vec<Delivery>,
    next_id: u64,
}

impl DeliveryLog {
    /// The id the next delivery gets.
    pub(crate) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn push(&mut self, delivery: Delivery) {
        self.deliveries.push(delivery);
    }

    pub(crate) fn get_mut(&mut self, id: u64) -> Option<&mut Delivery> {
        self.deliveries.iter_mut().rev().find(|d| d.id == id)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Delivery> {
        self.deliveries.iter()
    }

    /// Whether an attempt is due at or before `at` (or under way): what moving the clock to
    /// `at` waits for.
    pub(crate) fn attempt_due_by(&self, at: i64) -> bool {
        self.deliveries
            .iter()
            .any(|d| d.status == DeliveryStatus::Pending && d.next_attempt_at.is_some_and(|n| n <= at))
    }

    pub(crate) fn clear(&mut self) {
        self.deliveries.clear();
    }
}
