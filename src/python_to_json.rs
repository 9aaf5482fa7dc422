//! Python arguments to JSON values. Dates become ISO strings, enums their values; anything else
//! that JSON cannot hold is refused by name. (Batches of bulk charges are read by `bulk_items`.)

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// Nesting deeper than this is refused (Paystack metadata is shallow; this stops recursion bombs).
const MAX_DEPTH: usize = 64;

/// Converts one argument; the error says what is wrong, for a `ValidationError` naming the field.
pub fn to_json(obj: &Bound<'_, PyAny>) -> Result<Value, String> {
    convert(obj, 0)
}

fn convert(obj: &Bound<'_, PyAny>, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("is nested more than {MAX_DEPTH} levels deep"));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return s.to_str().map(|s| Value::String(s.to_owned())).map_err(|_| "is not valid UTF-8 text".to_string());
    }
    // bool before int: Python's bool is an int.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(n) = obj.extract::<i64>() {
            return Ok(Value::from(n));
        }
        if let Ok(n) = obj.extract::<u64>() {
            return Ok(Value::from(n));
        }
        return Err("is an integer too large to send".into());
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v).map(Value::Number).ok_or_else(|| format!("is {v}, which JSON cannot represent"));
    }
    // datetime before date: a datetime is a date.
    if obj.is_instance_of::<PyDateTime>() || obj.is_instance_of::<PyDate>() {
        return obj
            .call_method0(pyo3::intern!(obj.py(), "isoformat"))
            .and_then(|s| s.extract::<String>())
            .map(Value::String)
            .map_err(|e| format!("cannot be formatted as a date: {e}"));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(format!("has a key {} that is not a string", short_repr(&k)));
            };
            let key = key.to_str().map_err(|_| "has a key that is not valid UTF-8".to_string())?.to_owned();
            let value = convert(&v, depth + 1).map_err(|e| format!("[{key:?}] {e}"))?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, item) in obj.try_iter().map_err(|e| e.to_string())?.enumerate() {
            let item = item.map_err(|e| e.to_string())?;
            items.push(convert(&item, depth + 1).map_err(|e| format!("[{i}] {e}"))?);
        }
        return Ok(Value::Array(items));
    }
    if is_enum(obj) {
        let value = obj.getattr(pyo3::intern!(obj.py(), "value")).map_err(|e| e.to_string())?;
        return convert(&value, depth + 1);
    }
    Err(format!("has unsupported type {}", type_name(obj)))
}

fn is_enum(obj: &Bound<'_, PyAny>) -> bool {
    let py = obj.py();
    py.import(pyo3::intern!(py, "enum"))
        .and_then(|m| m.getattr(pyo3::intern!(py, "Enum")))
        .and_then(|cls| obj.is_instance(&cls))
        .unwrap_or(false)
}

pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}

pub fn short_repr(obj: &Bound<'_, PyAny>) -> String {
    let text = obj.repr().map(|r| r.to_string()).unwrap_or_else(|_| "?".into());
    if text.chars().count() > 40 { format!("{}…", text.chars().take(40).collect::<String>()) } else { text }
}
