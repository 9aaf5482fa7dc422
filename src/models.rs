//! `BulkChargeItem` and `BulkChargeListObject` (paystackease's names, tests/data/interfaces/paystackease-bulk-charges.md), checked by the core's rules
//! when they are built, so a bad batch fails where it is written, not when it is sent.

use std::sync::Arc;

use paystack_core::error::{Issue, ValidationError};
use paystack_core::models::{self, check_batch};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::{Map, Value};

use crate::convert::to_json;
use crate::errors;

/// One charge of a bulk charge batch: an authorization, an amount in subunits, and optionally a
/// reference, partial-debit settings and metadata.
#[pyclass(frozen, eq, skip_from_py_object, module = "paystack_rs._core")]
#[derive(Debug, Clone, PartialEq)]
pub struct BulkChargeItem {
    pub item: models::BulkChargeItem,
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
        models::Charge::from_json(None, &json)
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
    pub charges: Arc<Vec<models::BulkChargeItem>>,
}

#[pymethods]
impl BulkChargeListObject {
    #[new]
    #[pyo3(signature = (charges))]
    fn new(py: Python<'_>, charges: &Bound<'_, PyAny>) -> PyResult<Self> {
        let invalid = |issues| errors::validation(py, &ValidationError { issues });
        let charges = crate::convert::with_bulk_items(charges, |items| {
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
        let items: Vec<Value> = self.charges.iter().map(models::BulkChargeItem::to_json).collect();
        dict.set_item("charges", pythonize::pythonize(py, &items)?)?;
        Ok(dict)
    }

    fn model_dump<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.to_dict(py)
    }

    /// The charges as the list of dicts Paystack is sent (paystackease's `use_as_list`).
    #[getter]
    fn use_as_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items: Vec<Value> = self.charges.iter().map(models::BulkChargeItem::to_json).collect();
        Ok(pythonize::pythonize(py, &items)?)
    }

    fn __repr__(&self) -> String {
        format!("BulkChargeListObject(charges=[{} items])", self.charges.len())
    }
}
