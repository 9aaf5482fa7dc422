//! A response's headers as a read-only, case-insensitive mapping, converted to Python strings
//! only when read (most callers never look at them).

use paystack_core::transport::HeaderMap;
use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// HTTP response headers: `r.headers["Content-Type"]`, `r.headers.get("x-ratelimit-reset")`.
#[pyclass(frozen, mapping, module = "paystack_rs._core")]
pub struct Headers {
    map: HeaderMap,
}

impl Headers {
    pub fn new(map: HeaderMap) -> Self {
        Headers { map }
    }

    /// From name/value pairs (error answers keep theirs as text).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            if let (Ok(name), Ok(value)) =
                (reqwest::header::HeaderName::from_bytes(k.as_bytes()), reqwest::header::HeaderValue::from_str(v))
            {
                map.append(name, value);
            }
        }
        Headers { map }
    }

    fn value(&self, key: &str) -> Option<String> {
        let mut values = self.map.get_all(key).iter().peekable();
        values.peek()?;
        Some(values.map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()).collect::<Vec<_>>().join(", "))
    }

    fn names(&self) -> Vec<&str> {
        self.map.keys().map(|k| k.as_str()).collect()
    }
}

#[pymethods]
impl Headers {
    fn __getitem__(&self, key: &str) -> PyResult<String> {
        self.value(key).ok_or_else(|| PyKeyError::new_err(key.to_owned()))
    }

    #[pyo3(signature = (key, default = None))]
    fn get<'py>(&self, py: Python<'py>, key: &str, default: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        match self.value(key) {
            Some(v) => Ok(v.into_pyobject(py)?.into_any()),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> bool {
        key.extract::<&str>().is_ok_and(|k| self.map.contains_key(k))
    }

    fn __len__(&self) -> usize {
        self.map.keys_len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyList::new(py, self.names())?.try_iter()?.into_any())
    }

    fn keys(&self) -> Vec<&str> {
        self.names()
    }

    fn values(&self) -> Vec<String> {
        self.names().into_iter().filter_map(|k| self.value(k)).collect()
    }

    fn items(&self) -> Vec<(String, String)> {
        self.names().into_iter().filter_map(|k| self.value(k).map(|v| (k.to_owned(), v))).collect()
    }

    /// The headers as a plain dict (lower-case names).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (k, v) in self.items() {
            dict.set_item(k, v)?;
        }
        Ok(dict)
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        if let Ok(other) = other.cast::<Headers>() {
            return Ok(self.items() == other.get().items());
        }
        match other.cast::<PyDict>() {
            Ok(d) => self.to_dict(py)?.eq(d),
            Err(_) => Ok(false),
        }
    }

    fn __repr__(&self) -> String {
        let items: Vec<String> = self.items().into_iter().map(|(k, v)| format!("{k:?}: {v:?}")).collect();
        format!("Headers({{{}}})", items.join(", "))
    }

    /// Pickles as the plain dict.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyDict>,))> {
        Ok((py.get_type::<PyDict>().into_any(), (self.to_dict(py)?,)))
    }
}
