//! Python arguments to JSON values. Dates become ISO strings, enums their values; anything else
//! that JSON cannot hold is refused by name. (Batches of bulk charges are read by `bulk_items`.)

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// Nesting deeper than this is refused (Paystack metadata is shallow; this stops recursion bombs).
const MAX_DEPTH: usize = 64;

/// Converts one argument; the error says what is wrong (and where, inside a nested value), short
/// enough for a `ValidationError` naming the field.
pub fn to_json(obj: &Bound<'_, PyAny>) -> Result<Value, String> {
    let mut walk = Walk { containers: Vec::new(), path: Vec::new() };
    convert(obj, &mut walk)
        .map_err(|message| if walk.path.is_empty() { message } else { format!("{} {message}", walk.describe_path()) })
}

/// Where the conversion is: the containers entered (to recognise one that contains itself) and
/// the keys and indexes leading to the value being converted (for the error message).
struct Walk {
    containers: Vec<*mut pyo3::ffi::PyObject>,
    path: Vec<String>,
}

impl Walk {
    /// Enters a container; refuses one that is already being converted further up.
    fn enter(&mut self, obj: &Bound<'_, PyAny>) -> Result<(), String> {
        if self.containers.contains(&obj.as_ptr()) {
            return Err("is circular: it contains itself".into());
        }
        if self.containers.len() >= MAX_DEPTH {
            return Err(format!("is nested more than {MAX_DEPTH} levels deep"));
        }
        self.containers.push(obj.as_ptr());
        Ok(())
    }

    fn leave(&mut self) {
        self.containers.pop();
    }

    /// `["customer"]["tags"][2]`, its middle elided past a few levels.
    fn describe_path(&self) -> String {
        const SHOWN: usize = 4;
        if self.path.len() <= SHOWN {
            return self.path.concat();
        }
        format!("{}…{}", self.path[..SHOWN - 1].concat(), self.path[self.path.len() - 1])
    }
}

fn key_segment(key: &str) -> String {
    let clipped: String = key.chars().take(24).collect();
    if clipped.len() < key.len() { format!("[{clipped:?}…]") } else { format!("[{key:?}]") }
}

fn convert(obj: &Bound<'_, PyAny>, walk: &mut Walk) -> Result<Value, String> {
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
            .map_err(|_| "cannot be formatted as a date".to_string());
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        walk.enter(obj)?;
        let mut map = Map::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(format!("has a key {} that is not a string", short_repr(&k)));
            };
            let key = key.to_str().map_err(|_| "has a key that is not valid UTF-8".to_string())?.to_owned();
            walk.path.push(key_segment(&key));
            let value = convert(&v, walk)?;
            walk.path.pop();
            map.insert(key, value);
        }
        walk.leave();
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        walk.enter(obj)?;
        let mut items = Vec::new();
        for (i, item) in obj.try_iter().map_err(|e| e.to_string())?.enumerate() {
            let item = item.map_err(|e| e.to_string())?;
            walk.path.push(format!("[{i}]"));
            items.push(convert(&item, walk)?);
            walk.path.pop();
        }
        walk.leave();
        return Ok(Value::Array(items));
    }
    if is_enum(obj) {
        let value = obj.getattr(pyo3::intern!(obj.py(), "value")).map_err(|e| e.to_string())?;
        walk.enter(obj)?;
        let converted = convert(&value, walk)?;
        walk.leave();
        return Ok(converted);
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
