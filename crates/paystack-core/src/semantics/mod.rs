//! Paystack's rules, once: what an error answer means, which batch a transaction came from, the
//! reference schemes (generated, derived from a charge file's rows, retries), money as text, the
//! reading of a charge file (`charge_file`) and the identity of its rows across runs. Pure
//! functions (no I/O): the lookups a plan needs are asked for by `finder::Finder` and made by
//! whoever holds a client (the CLI, `reconcile`, the Celery example), so sync and async callers
//! share one rule.

pub mod answers;
pub mod charge_file;
pub mod expected;
pub mod finder;
pub mod identity;
pub mod money;
pub mod references;

pub use answers::{Reason, batch_code_of, is_duplicate_reference, is_not_found, reason, retry_metadata};
pub use expected::{Matching, match_expected};
pub use finder::{Finder, Lookup};
pub use identity::{Ambiguity, Charge, Decision, FileRow, Plan, plan};
pub use money::format_money;
pub use references::{derive_row_reference, retry_base, retry_reference, run_name};
