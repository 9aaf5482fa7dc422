//! The `Response` the Python methods return: a `dict` subclass defined in Python (so `pprint`,
//! `json.dumps` and `r["data"]` work as on any dict), built here from a decoded body.

use std::sync::Arc;

use paystack_core::reference::ItemReferences as References;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

use crate::headers::Headers;

fn response_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CELL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CELL.import(py, "paystack_rs._response", "Response")
}

/// The `Response` subclass of list answers (`data` is a list, with `meta` beside it).
fn list_response_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CELL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    CELL.import(py, "paystack_rs._response", "ListResponse")
}

fn is_list_answer(body: &Bound<'_, PyAny>) -> bool {
    body.cast::<PyDict>()
        .ok()
        .and_then(|d| d.get_item("data").ok().flatten())
        .is_some_and(|data| data.is_instance_of::<PyList>())
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
    references: &Arc<References>,
) -> PyResult<Bound<'py, PyAny>> {
    let references = if references.is_empty() {
        None
    } else {
        Some(Bound::new(py, ItemReferences { references: Arc::clone(references) })?)
    };
    let headers = Bound::new(py, headers)?;
    let class = if is_list_answer(&body) { list_response_class(py)? } else { response_class(py)? };
    class.call1((body, status_code, headers, attempts, recovered, reference, references))
}

/// The item references of a bulk initiation, in order. `Response.references` turns them into a
/// list of `str` on first use: most callers never read them, and making 1000 strings cost about
/// 5% of a 1000-item initiation.
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct ItemReferences {
    references: Arc<References>,
}

#[pymethods]
impl ItemReferences {
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.references.iter())
    }

    fn __len__(&self) -> usize {
        self.references.len()
    }

    fn __repr__(&self) -> String {
        format!("<ItemReferences of {} charges>", self.references.len())
    }
}
