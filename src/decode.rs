//! JSON bytes straight to Python objects in one pass (no intermediate `serde_json::Value`),
//! reusing one `str` object per distinct key: a page of 1000 transactions repeats the same
//! few dozen keys thousands of times.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use paystack_core::decode::{Body, Decoder, describe_json_error};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A decoded body and the envelope fields read while decoding, so checking the envelope needs
/// no second trip through the GIL.
pub struct PyBody {
    pub object: Py<PyAny>,
    is_object: bool,
    status: Option<bool>,
    message: Option<String>,
    code: Option<String>,
    kind: Option<String>,
}

impl Body for PyBody {
    fn is_object(&self) -> bool {
        self.is_object
    }
    fn member_bool(&self, key: &str) -> Option<bool> {
        (key == "status").then_some(self.status).flatten()
    }
    fn member_str(&self, key: &str) -> Option<String> {
        match key {
            "message" => self.message.clone(),
            "code" => self.code.clone(),
            "type" => self.kind.clone(),
            _ => None,
        }
    }
}

/// Decodes success bodies into Python objects (takes the GIL for the duration).
#[derive(Debug, Clone, Copy, Default)]
pub struct PyDecoder;

impl Decoder for PyDecoder {
    type Output = PyBody;
    fn decode(&self, bytes: &[u8]) -> Result<PyBody, String> {
        Python::attach(|py| decode_body(py, bytes))
    }
}

pub fn decode_body(py: Python<'_>, bytes: &[u8]) -> Result<PyBody, String> {
    let keys = RefCell::new(HashMap::new());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let object = Builder { py, keys: &keys }.deserialize(&mut de).map_err(|e| describe_json_error(&e, bytes.len()))?;
    de.end().map_err(|e| describe_json_error(&e, bytes.len()))?;
    let (is_object, status, message, code, kind) = match object.cast::<PyDict>() {
        Ok(dict) => {
            let get_str = |k: &str| {
                dict.get_item(k).ok().flatten().and_then(|v| v.cast::<PyString>().ok().map(|s| s.to_string()))
            };
            let status =
                dict.get_item("status").ok().flatten().and_then(|v| v.cast::<PyBool>().ok().map(|b| b.is_true()));
            (true, status, get_str("message"), get_str("code"), get_str("type"))
        }
        Err(_) => (false, None, None, None, None),
    };
    Ok(PyBody { object: object.unbind(), is_object, status, message, code, kind })
}

/// Decodes any JSON document into Python objects (used for webhook payloads too).
pub fn json_to_py<'py>(py: Python<'py>, bytes: &[u8]) -> Result<Bound<'py, PyAny>, String> {
    let keys = RefCell::new(HashMap::new());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Builder { py, keys: &keys }.deserialize(&mut de).map_err(|e| describe_json_error(&e, bytes.len()))?;
    de.end().map_err(|e| describe_json_error(&e, bytes.len()))?;
    Ok(value)
}

#[derive(Clone, Copy)]
struct Builder<'a, 'py> {
    py: Python<'py>,
    keys: &'a RefCell<HashMap<Box<str>, Bound<'py, PyString>>>,
}

impl<'a, 'py> Builder<'a, 'py> {
    fn key(&self, k: &str) -> Bound<'py, PyString> {
        let mut keys = self.keys.borrow_mut();
        if let Some(s) = keys.get(k) {
            return s.clone();
        }
        let s = PyString::new(self.py, k);
        // Keys are few; values are not cached (they rarely repeat and would hold memory).
        if keys.len() < 4096 {
            keys.insert(k.into(), s.clone());
        }
        s
    }
}

impl<'de, 'py> DeserializeSeed<'de> for Builder<'_, 'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// A JSON object key, borrowed from the input when it has no escapes.
struct Key<'a, 'py>(Builder<'a, 'py>);

impl<'de, 'py> DeserializeSeed<'de> for Key<'_, 'py> {
    type Value = Bound<'py, PyString>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for Key<'_, 'py> {
    type Value = Bound<'py, PyString>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.key(v))
    }
}

impl<'de, 'py> Visitor<'de> for Builder<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into_pyobject(self.py).map(|o| o.into_any()).unwrap_or_else(|e| match e {}))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into_pyobject(self.py).map(|o| o.into_any()).unwrap_or_else(|e| match e {}))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(pyo3::types::PyFloat::new(self.py, v).into_any())
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        PyList::new(self.py, items).map(|l| l.into_any()).map_err(serde::de::Error::custom)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.py);
        while let Some(key) = map.next_key_seed(Key(self))? {
            let value = map.next_value_seed(self)?;
            dict.set_item(key, value).map_err(serde::de::Error::custom)?;
        }
        Ok(dict.into_any())
    }
}
