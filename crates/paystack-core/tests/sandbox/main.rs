//! The client core against the sandbox over real HTTP: retries that never charge twice (read from
//! the sandbox's ledger and request log), recovery and its budget, cancellation, and the events a
//! call reports. One sandbox per test binary; each test uses a key of its own, so it sees only its
//! own transactions, batches, ledger and request log (docs/sandbox.md).

mod harness;
mod recovery;
mod retries;
mod stopping;
