//! Paystack facts the Python layer reads instead of restating them (`paystack-rs bulk-charge`
//! splits files by the batch size and estimates fees with the sandbox's formula).

use pyo3::prelude::*;

/// The estimated fees, in subunits, of card charges of these amounts in `currency`
/// (`paystack_facts::pricing`: an approximation of Paystack's pricing).
#[pyfunction]
pub fn estimated_card_fees(amounts: Vec<u64>, currency: &str) -> u64 {
    amounts.iter().map(|a| paystack_facts::pricing::estimated_card_fee(*a, currency)).fold(0, u64::saturating_add)
}

pub fn add_to(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(estimated_card_fees, m)?)?;
    m.add("MAX_BATCH_SIZE", paystack_facts::limits::MAX_BATCH_SIZE)?;
    m.add("CURRENCIES", paystack_facts::enums::CURRENCIES.to_vec())?;
    // How a refusal is recognised: Paystack's `code` where it sends one, else its message.
    m.add("DUPLICATE_REFERENCE_CODE", paystack_facts::errors::DUPLICATE_REFERENCE)?;
    m.add("DUPLICATE_REFERENCE_MESSAGE", paystack_facts::messages::DUPLICATE_REFERENCE.text)?;
    m.add("NOT_FOUND_CODE", paystack_facts::errors::NOT_FOUND)?;
    m.add("REFERENCE_NOT_FOUND_MESSAGE", paystack_facts::messages::REFERENCE_NOT_FOUND.text)?;
    Ok(())
}
