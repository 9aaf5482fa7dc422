//! Webhook signatures for Python: the HMAC-SHA512 and its constant-time comparison run in the core.

use paystack_core::webhook;
use pyo3::prelude::*;

/// Whether `signature` (the `x-paystack-signature` header) signs `payload` under `secret_key`.
#[pyfunction]
pub fn verify_signature(py: Python<'_>, payload: &[u8], signature: &str, secret_key: &str) -> bool {
    py.detach(|| webhook::verify(payload, signature, secret_key))
}

/// The signature Paystack would send for `payload` (for tests and local webhook senders).
#[pyfunction]
pub fn sign_payload(payload: &[u8], secret_key: &str) -> String {
    webhook::sign(payload, secret_key)
}

/// Whether `ip` is one of Paystack's documented webhook source addresses.
#[pyfunction]
pub fn is_paystack_ip(ip: &str) -> bool {
    webhook::is_paystack_ip(ip)
}

/// Paystack's documented webhook source addresses.
#[pyfunction]
pub fn paystack_ips() -> Vec<&'static str> {
    webhook::SOURCE_IPS.to_vec()
}

/// Parses a webhook payload into Python objects.
#[pyfunction]
pub fn parse_json<'py>(py: Python<'py>, payload: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    crate::json_to_python::json_to_py(py, payload).map_err(pyo3::exceptions::PyValueError::new_err)
}
