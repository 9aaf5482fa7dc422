//! `paystack_rs._core`: thin Python bindings over `paystack-core` (and the embedded sandbox).

#[cfg(unix)]
mod async_bridge;
mod async_calls;
mod bulk_items;
mod call_result;
mod client;
mod endpoints;
mod errors;
mod facts;
mod headers;
mod json_to_python;
mod pages;
mod payouts;
mod process_runtime;
mod py_logging;
mod python_to_json;
mod redis_limit;
mod response;
mod rows;
mod sandbox;
mod semantics;
mod settings;
mod signals;
mod thread_runtime;
mod webhooks;

use pyo3::prelude::*;

/// mimalloc for the Rust side (see Cargo.toml for the measurement).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[pymodule(gil_used = false)]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::CoreClient>()?;
    m.add_class::<bulk_items::BulkChargeItem>()?;
    m.add_class::<bulk_items::BulkChargeListObject>()?;
    m.add_class::<sandbox::SandboxServer>()?;
    m.add_class::<headers::Headers>()?;
    m.add_class::<redis_limit::RedisRateLimit>()?;
    m.add_class::<pages::PageStream>()?;
    m.add_class::<rows::RowStream>()?;
    m.add_class::<payouts::PayoutStream>()?;
    m.add_class::<rows::RowTable>()?;
    m.add_class::<response::ItemReferences>()?;
    #[cfg(unix)]
    m.add_class::<async_bridge::AsyncBridge>()?;
    m.add_class::<async_calls::CallHandle>()?;
    m.add_class::<async_calls::LoopState>()?;
    m.add_function(wrap_pyfunction!(endpoints::endpoints, m)?)?;
    m.add_function(wrap_pyfunction!(py_logging::set_log_levels, m)?)?;
    m.add_function(wrap_pyfunction!(py_logging::mask_authorization, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::verify_signature, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::sign_payload, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::is_paystack_ip, m)?)?;
    m.add_function(wrap_pyfunction!(webhooks::paystack_ips, m)?)?;
    m.add("SIGNATURE_HEADER", paystack_core::webhook::SIGNATURE_HEADER)?;
    m.add_function(wrap_pyfunction!(webhooks::parse_json, m)?)?;
    facts::add_to(m)?;
    sandbox::add_to(m)?;
    semantics::add_to(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
