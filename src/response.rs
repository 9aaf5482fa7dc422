//! The `Response` the Python methods return: a `dict` subclass defined in Python (so `pprint`,
//! `json.dumps` and `r["data"]` work as on any dict), built here from a decoded body.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyType};

use crate::headers::Headers;

fn response_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CELL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CELL.import(py, "paystack_rs._response", "Response")
}

#[allow(clippy::too_many_arguments)]
pub fn new_response<'py>(
    py: Python<'py>,
    body: Bound<'py, PyAny>,
    status_code: u16,
    headers: Headers,
    attempts: u32,
    recovered: bool,
    reference: Option<String>,
    references: &[String],
) -> PyResult<Bound<'py, PyAny>> {
    let references = PyList::new(py, references)?;
    let headers = Bound::new(py, headers)?;
    response_class(py)?.call1((body, status_code, headers, attempts, recovered, reference, references))
}
