//! Python arguments to JSON values. Dates become ISO strings, enums their values, the bulk
//! charge models their wire form; anything else that JSON cannot hold is refused by name.

use std::borrow::Cow;
use std::sync::Arc;

use paystack_core::Arg;
use paystack_core::error::Issue;
use paystack_core::models::{self, Given, GivenItem};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::models::{BulkChargeItem, BulkChargeListObject};

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
    if let Ok(item) = obj.cast::<BulkChargeItem>() {
        return Ok(item.get().item.to_json());
    }
    if let Ok(list) = obj.cast::<BulkChargeListObject>() {
        return Ok(Value::Array(list.get().charges.iter().map(|c| c.to_json()).collect()));
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

fn short_repr(obj: &Bound<'_, PyAny>) -> String {
    let text = obj.repr().map(|r| r.to_string()).unwrap_or_else(|_| "?".into());
    if text.chars().count() > 40 { format!("{}…", text.chars().take(40).collect::<String>()) } else { text }
}

/// One field of a bulk charge item, read from a Python value without a JSON detour for the
/// common types; text is borrowed from the `str` object.
fn given<'h>(value: Option<&'h Bound<'_, PyAny>>) -> Given<'h> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Given::Missing };
    // Exact types first: a pointer compare, where a subclass check is a call under abi3.
    if value.is_exact_instance_of::<PyInt>() {
        if let Ok(n) = value.extract::<i64>() {
            return Given::Int(n);
        }
    }
    if let Ok(s) = value.cast_exact::<PyString>().or_else(|_| value.cast::<PyString>()) {
        return match s.to_str() {
            Ok(text) => Given::Text(Cow::Borrowed(text)),
            Err(_) => Given::Invalid("is not valid UTF-8 text".into()),
        };
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Given::Bool(b.is_true());
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(n) = value.extract::<i64>() {
            return Given::Int(n);
        }
    }
    match to_json(value) {
        Ok(json) => Given::Json(Box::new(json)),
        Err(message) => Given::Invalid(message),
    }
}

/// A batch argument from Python: a `BulkChargeListObject` (checked when built, shared), or a list
/// of `BulkChargeItem`s and dicts, checked and written to the request body here, while the
/// Python objects it borrows text from are held.
pub fn bulk_arg(obj: &Bound<'_, PyAny>) -> Result<Arg, Vec<Issue>> {
    if let Ok(list) = obj.cast::<BulkChargeListObject>() {
        return Ok(Arg::Batch(Arc::clone(&list.get().charges)));
    }
    with_bulk_items(obj, |items| models::encode_batch(items).map(Arg::Encoded))?.map_err(|e| e.issues)
}

/// An element of a batch as read from Python. A dict's values are held (strong references) so
/// the text borrowed from them stays valid whatever Python code runs while the batch is checked
/// (converting metadata may call `isoformat` or an enum's `value`).
enum Held<'py> {
    Fields { values: [Option<Bound<'py, PyAny>>; FIELDS], unknown: Vec<String> },
    Item(Bound<'py, BulkChargeItem>),
    NotAnItem,
}

const FIELDS: usize = models::ITEM_FIELDS.len();

/// The item fields' names as interned `str`s: a dict written in Python source has these very
/// objects as its keys, so most keys are matched by identity, without reading their text.
static FIELD_NAMES: PyOnceLock<[Py<PyString>; FIELDS]> = PyOnceLock::new();

fn field_names(py: Python<'_>) -> &[Py<PyString>; FIELDS] {
    FIELD_NAMES.get_or_init(py, || std::array::from_fn(|i| PyString::intern(py, models::ITEM_FIELDS[i]).unbind()))
}

/// One pass over a dict's own pairs, holding the values of the item's fields. The pairs are
/// borrowed while the loop runs (no reference counting per key); nothing in the loop can run
/// Python code, so the dict cannot change under it. Keys that are not fields are described
/// after the loop, since describing a non-`str` key calls its `repr`.
#[allow(unsafe_code)]
fn read_fields<'py>(dict: &Bound<'py, PyDict>) -> Held<'py> {
    let py = dict.py();
    let names = field_names(py);
    let mut values: [Option<Bound<'py, PyAny>>; FIELDS] = Default::default();
    let mut strange_keys = Vec::new();
    let mut unknown = Vec::new();
    let (mut pos, mut key, mut value) = (0, std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: the GIL is held (`py`); `key` and `value` are borrowed from `dict`, which is alive
    // and unchanged for the whole loop, and each is made a strong reference before it is kept.
    while unsafe { pyo3::ffi::PyDict_Next(dict.as_ptr(), &mut pos, &mut key, &mut value) } != 0 {
        let slot = names.iter().position(|name| name.as_ptr() == key).or_else(|| {
            let key = unsafe { Borrowed::from_ptr(py, key) };
            let as_str = key.cast::<PyString>().ok();
            let text = as_str.as_ref().and_then(|k| k.to_str().ok());
            match text {
                Some(text) => match models::ITEM_FIELDS.iter().position(|f| *f == text) {
                    Some(slot) => Some(slot),
                    None => {
                        unknown.push(text.to_owned());
                        None
                    }
                },
                None => {
                    strange_keys.push(key.to_owned());
                    None
                }
            }
        });
        if let Some(slot) = slot {
            values[slot] = Some(unsafe { Bound::from_borrowed_ptr(py, value) });
        }
    }
    unknown.extend(strange_keys.iter().map(short_repr));
    Held::Fields { values, unknown }
}

/// Reads a list of `BulkChargeItem`s and dicts and hands `f` each item checked on its own (or
/// the problems found). `Err` (the `charges` problem) when it is not a list at all.
pub fn with_bulk_items<R>(
    obj: &Bound<'_, PyAny>,
    f: impl FnOnce(&[Result<models::Charge<'_>, Vec<Issue>>]) -> R,
) -> Result<R, Vec<Issue>> {
    let not_a_list = |message: String| vec![Issue::new("charges", message)];
    if !(obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>()) {
        return Err(not_a_list(format!(
            "must be a BulkChargeListObject or a list of BulkChargeItem or dicts, not {}",
            type_name(obj)
        )));
    }
    let mut held = Vec::with_capacity(obj.len().unwrap_or(0));
    for element in obj.try_iter().map_err(|e| not_a_list(e.to_string()))? {
        let element = element.map_err(|e| not_a_list(e.to_string()))?;
        // Dicts first: the usual element, and a flag test where the item class is a subtype check.
        held.push(if let Ok(dict) = element.cast::<PyDict>() {
            read_fields(dict)
        } else if let Ok(item) = element.cast::<BulkChargeItem>() {
            Held::Item(item.clone())
        } else {
            Held::NotAnItem
        });
    }
    let items: Vec<_> = held
        .iter()
        .enumerate()
        .map(|(index, element)| match element {
            Held::Item(item) => Ok(item.get().item.clone()),
            Held::Fields { values, unknown } => {
                // In ITEM_FIELDS' order.
                let field = |slot: usize| given(values[slot].as_ref());
                let fields = GivenItem {
                    authorization: field(0),
                    amount: field(1),
                    reference: field(2),
                    attempt_partial_debit: field(3),
                    at_least: field(4),
                    metadata: field(5),
                    unknown: unknown.clone(),
                };
                models::Charge::check(Some(index), fields)
            }
            Held::NotAnItem => Err(vec![Issue::at(index, "item", "must be a BulkChargeItem or a dict")]),
        })
        .collect();
    Ok(f(&items))
}
