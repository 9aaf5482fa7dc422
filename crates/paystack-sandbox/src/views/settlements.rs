//! A settlement as GET /settlement shows it (docs/paystack-api.md §8.1; key order of Paystack's
//! sample `samples/api/settlements/list`).

use serde_json::{Value, json};

use crate::clock::iso;
use crate::state::IntegrationState;

pub(crate) fn settlement(st: &IntegrationState, index: usize) -> Value {
    let s = &st.settlements[index];
    let deductions = s.deductions();
    json!({
        "id": s.id,
        "domain": st.domain.as_str(),
        "status": s.status.as_str(),
        "currency": s.currency,
        "integration": st.integration_id,
        "total_amount": s.total_amount(),
        "effective_amount": s.effective_amount(),
        "total_fees": s.total_fees,
        "total_processed": s.total_processed,
        // Paystack's sample shows null where nothing was deducted.
        "deductions": if deductions == 0 { Value::Null } else { deductions.into() },
        "settlement_date": iso(s.settlement_date),
        "settled_by": Value::Null,
        "createdAt": iso(s.created_at),
        "updatedAt": iso(s.updated_at),
    })
}

/// `meta.total_volume` of a settlement's transactions: their amounts in major units (the sample's
/// 100 for one 10,000-subunit transaction), an integer when whole.
pub(crate) fn major_units(subunits: u64) -> Value {
    if subunits % 100 == 0 { (subunits / 100).into() } else { json!(subunits as f64 / 100.0) }
}
