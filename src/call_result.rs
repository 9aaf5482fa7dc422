//! A call's outcome as Python sees it: the `Response` (its body built into Python objects once
//! the GIL is held) or the typed exception. Shared by the sync path and the async bridge.

use paystack_core::envelope::CheckedBody;
use paystack_core::{Error, Reply};
use pyo3::prelude::*;

use crate::errors::{self, to_py_err};
use crate::headers::Headers;
use crate::json_to_python::{ReplyBody, json_to_py};
use crate::response::new_response;

/// A decoded body whose Python objects are built once the caller holds the GIL.
pub trait IntoPyBody {
    fn into_py_body(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>>;
}

impl IntoPyBody for CheckedBody {
    fn into_py_body(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        json_to_py(py, &self.value).map_err(|m| errors::decode_error(py, m))
    }
}

impl IntoPyBody for ReplyBody {
    fn into_py_body(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        match self {
            ReplyBody::Checked(checked) => checked.into_py_body(py),
            ReplyBody::Built(built) => Ok(built.value.into_bound(py)),
        }
    }
}

/// The `Response` for a call's outcome (or the typed exception).
pub fn finish<B: IntoPyBody>(py: Python<'_>, result: Result<Reply<B>, Error>) -> PyResult<Bound<'_, PyAny>> {
    let reply = result.map_err(|e| to_py_err(py, e))?;
    let body = reply.body.into_py_body(py)?;
    new_response(
        py,
        body,
        reply.status_code,
        Headers::new(reply.headers),
        reply.attempts,
        reply.recovered,
        reply.reference,
        &reply.item_references,
    )
}
