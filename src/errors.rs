//! Core errors to the Python exceptions of `paystack_rs.errors`, which are defined in Python
//! (so users can subclass and pickle them) and raised from here.

use std::any::Any;

use paystack_core::error::{ApiError, Error, Issue, ValidationError};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

use crate::response;

macro_rules! python_class {
    ($fn_name:ident, $module:literal, $name:literal) => {
        pub fn $fn_name(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
            static CELL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
            CELL.import(py, $module, $name)
        }
    };
}

python_class!(paystack_error, "paystack_rs.errors", "PaystackError");
python_class!(api_error_class, "paystack_rs.errors", "APIError");
python_class!(authentication_error, "paystack_rs.errors", "AuthenticationError");
python_class!(invalid_request_error, "paystack_rs.errors", "InvalidRequestError");
python_class!(not_found_error, "paystack_rs.errors", "NotFoundError");
python_class!(rate_limit_error, "paystack_rs.errors", "RateLimitError");
python_class!(server_error, "paystack_rs.errors", "ServerError");
python_class!(connection_error, "paystack_rs.errors", "APIConnectionError");
python_class!(timeout_error, "paystack_rs.errors", "Timeout");
python_class!(recovery_error, "paystack_rs.errors", "RecoveryError");
python_class!(validation_error, "paystack_rs.errors", "ValidationError");
python_class!(configuration_error, "paystack_rs.errors", "ConfigurationError");

/// Builds the exception `class(message, **kwargs)`; if even that fails, a RuntimeError.
fn raise(class: PyResult<&Bound<'_, PyType>>, message: String, kwargs: Bound<'_, PyDict>) -> PyErr {
    match class.and_then(|c| c.call((message,), Some(&kwargs))) {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

fn issues_list<'py>(py: Python<'py>, issues: &[Issue]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for issue in issues {
        let d = PyDict::new(py);
        d.set_item("index", issue.index)?;
        d.set_item("field", &issue.field)?;
        d.set_item("location", issue.location())?;
        d.set_item("message", &issue.message)?;
        list.append(d)?;
    }
    Ok(list)
}

pub fn validation(py: Python<'_>, error: &ValidationError) -> PyErr {
    let kwargs = PyDict::new(py);
    if let Err(e) = issues_list(py, &error.issues).and_then(|l| kwargs.set_item("errors", l)) {
        return e;
    }
    raise(validation_error(py), error.to_string(), kwargs)
}

pub fn configuration(py: Python<'_>, message: String) -> PyErr {
    raise(configuration_error(py), message, PyDict::new(py))
}

/// The exception for a core error.
pub fn to_py_err(py: Python<'_>, error: Error) -> PyErr {
    let message = error.to_string();
    let attempts = error.attempts();
    let result = (|| -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        Ok(match error {
            Error::Validation(e) => validation(py, &e),
            Error::Config(m) => configuration(py, m),
            Error::Api { site, error, .. } => {
                kwargs.set_item("attempts", attempts)?;
                kwargs.set_item("endpoint", site.to_string())?;
                let class = api_error_kwargs(py, &error, &kwargs)?;
                raise(class, message, kwargs)
            }
            Error::Connection { site, outcome_unknown, .. } => {
                kwargs.set_item("attempts", attempts)?;
                kwargs.set_item("endpoint", site.to_string())?;
                kwargs.set_item("outcome_unknown_reference", outcome_unknown)?;
                raise(connection_error(py), message, kwargs)
            }
            Error::Timeout { site, phase, outcome_unknown, .. } => {
                kwargs.set_item("attempts", attempts)?;
                kwargs.set_item("endpoint", site.to_string())?;
                kwargs.set_item("phase", phase.as_str())?;
                kwargs.set_item("outcome_unknown_reference", outcome_unknown)?;
                raise(timeout_error(py), message, kwargs)
            }
            Error::Recovery { site, finding, outcome_unknown, .. } => {
                kwargs.set_item("attempts", attempts)?;
                kwargs.set_item("endpoint", site.to_string())?;
                kwargs.set_item("finding", finding.as_str())?;
                kwargs.set_item("outcome_unknown_reference", outcome_unknown)?;
                raise(recovery_error(py), message, kwargs)
            }
            Error::Decode { site, status_code, .. } => {
                kwargs.set_item("attempts", attempts)?;
                kwargs.set_item("endpoint", site.to_string())?;
                kwargs.set_item("status_code", status_code)?;
                raise(api_error_class(py), message, kwargs)
            }
        })
    })();
    result.unwrap_or_else(|e| e)
}

/// Fills the APIError keyword arguments and picks the class by status code.
fn api_error_kwargs<'py>(
    py: Python<'py>,
    error: &ApiError,
    kwargs: &Bound<'py, PyDict>,
) -> PyResult<PyResult<&'py Bound<'py, PyType>>> {
    kwargs.set_item("status_code", error.status_code)?;
    kwargs.set_item("paystack_message", &error.message)?;
    kwargs.set_item("code", &error.code)?;
    kwargs.set_item("reason", error.reason().map(|r| r.as_str()))?;
    kwargs.set_item("type", &error.kind)?;
    let meta = match &error.meta {
        Some(m) => Some(pythonize::pythonize(py, m)?),
        None => None,
    };
    kwargs.set_item("meta", meta)?;
    kwargs.set_item("retry_after", error.retry_after.map(|d| d.as_secs_f64()))?;
    kwargs.set_item("outcome_unknown_reference", &error.outcome_unknown)?;
    let body = match &error.body {
        Some(b) => pythonize::pythonize(py, b)?,
        None => PyDict::new(py).into_any(),
    };
    let headers = crate::headers::Headers::from_pairs(&error.headers);
    let resp =
        response::new_response(py, body, error.status_code, headers, 1, false, None, &std::sync::Arc::default())?;
    kwargs.set_item("response", resp)?;
    Ok(match error.status_code {
        400 | 402 | 403 | 405..=428 | 430..=499 => invalid_request_error(py),
        401 => authentication_error(py),
        404 => not_found_error(py),
        429 => rate_limit_error(py),
        500..=599 => server_error(py),
        _ => api_error_class(py),
    })
}

/// A body that passed the envelope check but that jiter refuses (not expected: both parse JSON).
pub fn decode_error(py: Python<'_>, message: String) -> PyErr {
    raise(api_error_class(py), format!("invalid response: {message}"), PyDict::new(py))
}

/// A panic inside the extension, as a normal `PaystackError` rather than a `BaseException`.
pub fn panic_to_py_err(py: Python<'_>, panic: Box<dyn Any + Send>) -> PyErr {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    let message = format!("internal error in paystack-rs (please report it): {text}");
    match paystack_error(py).and_then(|c| c.call1((message.clone(),))) {
        Ok(exc) => PyErr::from_value(exc),
        Err(_) => PyRuntimeError::new_err(message),
    }
}
