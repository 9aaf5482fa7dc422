//! `BulkChargeItem` and `BulkChargeListObject` (paystackease's names, tests/data/interfaces/paystackease-bulk-charges.md), checked by the core's rules
//! when they are built, so a bad batch fails where it is written, not when it is sent; and the
//! reading of a batch given as Python objects (those classes, or lists of them and dicts).

use std::borrow::Cow;
use std::sync::Arc;

use paystack_core::Arg;
use paystack_core::bulk_items::{self as core_items, Given, GivenItem, check_batch};
use paystack_core::error::{Issue, ValidationError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Value};

use crate::errors;
use crate::python_to_json::{short_repr, to_json, type_name};

/// One charge of a bulk charge batch: an authorization, an amount in subunits, and optionally a
/// reference, partial-debit settings and metadata.
#[pyclass(frozen, eq, skip_from_py_object, module = "paystack_rs._core")]
#[derive(Debug, Clone, PartialEq)]
pub struct BulkChargeItem {
    pub item: core_items::BulkChargeItem,
}

fn fields_to_json(
    py: Python<'_>,
    fields: &[(&str, Option<&Bound<'_, PyAny>>)],
    index: Option<usize>,
) -> PyResult<Value> {
    let mut map = Map::new();
    let mut issues = Vec::new();
    for (name, value) in fields {
        let Some(value) = value else { continue };
        match to_json(value) {
            Ok(v) => {
                map.insert((*name).to_owned(), v);
            }
            Err(message) => issues.push(match index {
                Some(i) => Issue::at(i, *name, message),
                None => Issue::new(*name, message),
            }),
        }
    }
    if issues.is_empty() { Ok(Value::Object(map)) } else { Err(errors::validation(py, &ValidationError { issues })) }
}

#[pymethods]
impl BulkChargeItem {
    #[new]
    #[pyo3(signature = (authorization, amount, reference = None, attempt_partial_debit = None, at_least = None, metadata = None))]
    fn new(
        py: Python<'_>,
        authorization: &Bound<'_, PyAny>,
        amount: &Bound<'_, PyAny>,
        reference: Option<&Bound<'_, PyAny>>,
        attempt_partial_debit: Option<&Bound<'_, PyAny>>,
        at_least: Option<&Bound<'_, PyAny>>,
        metadata: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let json = fields_to_json(
            py,
            &[
                ("authorization", Some(authorization)),
                ("amount", Some(amount)),
                ("reference", reference),
                ("attempt_partial_debit", attempt_partial_debit),
                ("at_least", at_least),
                ("metadata", metadata),
            ],
            None,
        )?;
        core_items::Charge::from_json(None, &json)
            .map(|item| BulkChargeItem { item: item.into_owned() })
            .map_err(|issues| errors::validation(py, &ValidationError { issues }))
    }

    #[getter]
    fn authorization(&self) -> &str {
        &self.item.authorization
    }
    #[getter]
    fn amount(&self) -> i64 {
        self.item.amount
    }
    #[getter]
    fn reference(&self) -> Option<&str> {
        self.item.reference.as_deref()
    }
    #[getter]
    fn attempt_partial_debit(&self) -> Option<bool> {
        self.item.attempt_partial_debit
    }
    #[getter]
    fn at_least(&self) -> Option<i64> {
        self.item.at_least
    }
    #[getter]
    fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.item.metadata.as_ref().map(|m| Ok(pythonize::pythonize(py, m)?)).transpose()
    }

    /// The item as Paystack receives it (unset optional fields left out).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, &self.item.to_json())?)
    }

    /// The same as `to_dict()`, for code written against pydantic models.
    fn model_dump<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_dict(py)
    }

    fn __repr__(&self) -> String {
        let mut parts =
            vec![format!("authorization={:?}", self.item.authorization), format!("amount={}", self.item.amount)];
        if let Some(r) = &self.item.reference {
            parts.push(format!("reference={r:?}"));
        }
        if let Some(b) = self.item.attempt_partial_debit {
            parts.push(format!("attempt_partial_debit={}", if b { "True" } else { "False" }));
        }
        if let Some(n) = self.item.at_least {
            parts.push(format!("at_least={n}"));
        }
        if let Some(m) = &self.item.metadata {
            parts.push(format!("metadata={}", Value::Object((**m).clone())));
        }
        format!("BulkChargeItem({})", parts.join(", "))
    }
}

/// A batch of charges for `BulkCharge.initiate`: at most 1000, references unique, an
/// authorization used twice only with references on each use.
#[pyclass(frozen, eq, skip_from_py_object, module = "paystack_rs._core")]
#[derive(Debug, Clone, PartialEq)]
pub struct BulkChargeListObject {
    /// Shared with the requests that send it, never copied.
    pub charges: Arc<Vec<core_items::BulkChargeItem>>,
}

#[pymethods]
impl BulkChargeListObject {
    #[new]
    #[pyo3(signature = (charges))]
    fn new(py: Python<'_>, charges: &Bound<'_, PyAny>) -> PyResult<Self> {
        let invalid = |issues| errors::validation(py, &ValidationError { issues });
        let charges = with_bulk_items(charges, |items| {
            check_batch(items).map(|()| items.iter().flatten().map(|c| c.clone().into_owned()).collect())
        })
        .map_err(invalid)?
        .map_err(|e| invalid(e.issues))?;
        Ok(BulkChargeListObject { charges: Arc::new(charges) })
    }

    #[getter]
    fn charges<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.charges.iter().map(|item| BulkChargeItem { item: item.clone() }))
    }

    fn __len__(&self) -> usize {
        self.charges.len()
    }

    /// `{"charges": [...]}` as paystackease writes it.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        let items: Vec<Value> = self.charges.iter().map(core_items::BulkChargeItem::to_json).collect();
        dict.set_item("charges", pythonize::pythonize(py, &items)?)?;
        Ok(dict)
    }

    fn model_dump<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.to_dict(py)
    }

    /// The charges as the list of dicts Paystack is sent (paystackease's `use_as_list`).
    #[getter]
    fn use_as_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items: Vec<Value> = self.charges.iter().map(core_items::BulkChargeItem::to_json).collect();
        Ok(pythonize::pythonize(py, &items)?)
    }

    fn __repr__(&self) -> String {
        format!("BulkChargeListObject(charges=[{} items])", self.charges.len())
    }
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
    with_bulk_items(obj, |items| core_items::encode_batch(items).map(Arg::Encoded))?.map_err(|e| e.issues)
}

/// An element of a batch as read from Python. A dict's values are held (strong references) so
/// the text borrowed from them stays valid whatever Python code runs while the batch is checked
/// (converting metadata may call `isoformat` or an enum's `value`).
enum Held<'py> {
    Fields { values: [Option<Bound<'py, PyAny>>; FIELDS], unknown: Vec<String> },
    Item(Bound<'py, BulkChargeItem>),
    NotAnItem,
}

const FIELDS: usize = core_items::ITEM_FIELDS.len();

/// The item fields' names as interned `str`s: a dict written in Python source has these very
/// objects as its keys, so most keys are matched by identity, without reading their text.
static FIELD_NAMES: PyOnceLock<[Py<PyString>; FIELDS]> = PyOnceLock::new();

fn field_names(py: Python<'_>) -> &[Py<PyString>; FIELDS] {
    FIELD_NAMES.get_or_init(py, || std::array::from_fn(|i| PyString::intern(py, core_items::ITEM_FIELDS[i]).unbind()))
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
                Some(text) => match core_items::ITEM_FIELDS.iter().position(|f| *f == text) {
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
    f: impl FnOnce(&[Result<core_items::Charge<'_>, Vec<Issue>>]) -> R,
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
                core_items::Charge::check(Some(index), fields)
            }
            Held::NotAnItem => Err(vec![Issue::at(index, "item", "must be a BulkChargeItem or a dict")]),
        })
        .collect();
    Ok(f(&items))
}
