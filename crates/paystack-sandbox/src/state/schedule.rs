//! The scheduler: everything that happens on its own, run in time order up to a given time, each
//! at the time it was due (so a clock moved a month forward leaves the same records as a month
//! waited): the next charge of each active batch, the morning settlement run, each settlement's
//! next status and each refund's.

use super::IntegrationState;

/// Something due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Job {
    // Declaration order breaks ties at the same millisecond: charges, then refunds, then
    // settlement statuses, then the run (so a refund processed at 01:00 is deducted at 01:00).
    BatchStep(usize),
    Refund(usize),
    Settlement(usize),
    SettlementRun,
}

/// At most this many jobs per call, so a runner catching up releases the lock now and then.
const MAX_STEPS: usize = 100_000;

impl IntegrationState {
    fn next_job(&self) -> (i64, Job) {
        let mut next = (self.settlements.next_run, Job::SettlementRun);
        if let Some((at, batch)) = self.next_batch_due() {
            next = next.min((at, Job::BatchStep(batch)));
        }
        if let Some((at, refund)) = self.next_refund_change() {
            next = next.min((at, Job::Refund(refund)));
        }
        if let Some((at, settlement)) = self.next_settlement_change() {
            next = next.min((at, Job::Settlement(settlement)));
        }
        next
    }

    /// Runs every job due at or before `until`, each at its own time, then sets `now` to
    /// `until` (never backwards). Returns when the next job is due: at or before `until` only
    /// when the step limit stopped it.
    pub(crate) fn run_until(&mut self, until: i64) -> i64 {
        for _ in 0..MAX_STEPS {
            let (at, job) = self.next_job();
            if at > until {
                self.now = self.now.max(until);
                return at;
            }
            self.now = self.now.max(at);
            match job {
                Job::BatchStep(batch) => self.process_batch_step(batch),
                Job::Refund(refund) => self.advance_refund(refund),
                Job::Settlement(settlement) => self.advance_settlement(settlement),
                Job::SettlementRun => self.run_settlements(),
            }
        }
        self.next_job().0
    }
}
