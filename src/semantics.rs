//! Paystack's rules for the Python layer (`paystack_core::semantics`): the reference schemes,
//! what an error answer means, the batch a transaction came from, money as text, and the plan of a
//! charge file's run (`ChargeFinder`: the lookups it asks for are made by the caller's client).

use paystack_core::semantics::{self, Decision, FileRow, Finder, Lookup, Plan, charge_file};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::{Value, json};

use crate::json_to_python::json_to_py;
use crate::python_to_json::to_json;

/// The reference of slot `slot` of card `authorization` in run `run`.
#[pyfunction]
fn derive_row_reference(run: &str, authorization: &str, slot: u32) -> String {
    semantics::derive_row_reference(run, authorization, slot)
}

/// The run name derived references start with (from `--run`, or the file's name without extension).
#[pyfunction]
fn run_name(raw: &str) -> String {
    semantics::run_name(raw)
}

/// A charge file's text read and checked (`paystack_core::semantics::charge_file`): ``(rows,
/// problems)``, ``rows`` each ``[line, item]`` when the file is good, ``problems`` each ``[line,
/// field, message]`` (every problem, by line) when it is not.
#[pyfunction]
#[pyo3(signature = (text, *, require_authorization = true, other_columns = false))]
fn read_charge_file<'py>(
    py: Python<'py>,
    text: &str,
    require_authorization: bool,
    other_columns: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let options = charge_file::Options { require_authorization, other_columns };
    let document = match charge_file::read(text, options) {
        Ok(rows) => json!([rows.into_iter().map(|row| json!([row.line, row.item])).collect::<Vec<_>>(), []]),
        Err(problems) => {
            json!([[], problems.into_iter().map(|p| json!([p.line, p.field, p.message])).collect::<Vec<_>>()])
        }
    };
    let bytes = serde_json::to_vec(&document).map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    let result = json_to_py(py, &bytes).map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    // Integers beyond u64 come as their digits: made Python ints, as the file wrote them.
    let int = py.import("builtins")?.getattr("int")?;
    for row in result.get_item(0)?.try_iter()? {
        let item = row?.get_item(1)?.cast_into::<PyDict>()?;
        for name in ["amount", "at_least"] {
            if let Some(digits) = item.get_item(name)?.filter(|v| v.is_instance_of::<PyString>()) {
                item.set_item(name, int.call1((digits,))?)?;
            }
        }
    }
    Ok(result)
}

/// The run name of a charge file's derived references: `run`, or the file's name without extension.
#[pyfunction]
#[pyo3(signature = (path, run = None))]
fn charge_file_run_name(path: &str, run: Option<&str>) -> String {
    charge_file::run_name(path, run)
}

/// The reference of a retry of `reference`: `ref-r1`, then `ref-r2`, ...
#[pyfunction]
fn retry_reference(reference: &str) -> String {
    semantics::retry_reference(reference)
}

/// The reference a retry reference retries, or None.
#[pyfunction]
fn retry_base(reference: &str) -> Option<&str> {
    semantics::retry_base(reference)
}

/// The batch a transaction (a verify's `data`, a list item) came from, or None.
#[pyfunction]
fn batch_code_of(transaction: &Bound<'_, PyAny>) -> Option<String> {
    to_json(transaction).ok().and_then(|value| semantics::batch_code_of(&value))
}

/// A charge's metadata for its retry, without the fields Paystack adds to bulk charges; None when
/// nothing is left.
#[pyfunction]
fn retry_metadata<'py>(py: Python<'py>, metadata: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Ok(value) = to_json(metadata) else { return Ok(None) };
    let Some(kept) = semantics::retry_metadata(&value) else { return Ok(None) };
    let bytes = serde_json::to_vec(&kept).map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    json_to_py(py, &bytes).map(Some).map_err(pyo3::exceptions::PyRuntimeError::new_err)
}

/// Rows (their references, in order) matched to the expected references: ``(matched,
/// unexpected)``, ``matched`` each expected reference with rows and their positions (a retry
/// ``ref-rN`` counts for ``ref``), ``unexpected`` the positions of the others.
#[pyfunction]
fn match_expected(expected: Vec<String>, rows: Vec<Option<String>>) -> (Vec<(String, Vec<usize>)>, Vec<usize>) {
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    let rows: Vec<Option<&str>> = rows.iter().map(Option::as_deref).collect();
    let found = semantics::match_expected(&expected, &rows);
    (found.matched, found.unexpected)
}

/// Subunits as units with two decimals (`"NGN 1,500.50"`); None as `"-"`.
#[pyfunction]
#[pyo3(signature = (subunits, currency = ""))]
fn format_money(subunits: Option<i64>, currency: &str) -> String {
    subunits.map_or_else(|| "-".to_owned(), |s| semantics::format_money(s, currency))
}

/// The lookups that find what a run of a charge file already charged, then its plan.
///
/// ``rows``: ``(line, authorization, amount, reference or None)`` per row, in file order.
/// ``next_lookup()`` gives ``("verify", reference, 0)`` or ``("charges", batch_code, page)``
/// until None; the caller answers each with ``found``/``failed`` or ``page``; then ``plan()``.
#[pyclass(module = "paystack_rs._core")]
pub struct ChargeFinder {
    finder: Option<Finder>,
}

#[pymethods]
impl ChargeFinder {
    #[new]
    fn new(run: &str, rows: Vec<(u32, String, u64, Option<String>)>) -> Self {
        let rows = rows
            .into_iter()
            .map(|(line, authorization, amount, reference)| FileRow { line, authorization, amount, reference })
            .collect();
        ChargeFinder { finder: Some(Finder::new(run, rows)) }
    }

    #[classattr]
    const PER_PAGE: u32 = semantics::finder::PER_PAGE;

    fn next_lookup(&mut self) -> PyResult<Option<(&'static str, String, u32)>> {
        Ok(self.finder()?.next_lookup().map(|lookup| match lookup {
            Lookup::Verify { reference } => ("verify", reference, 0),
            Lookup::Charges { batch_code, page } => ("charges", batch_code, page),
        }))
    }

    /// Verify found `reference`; `transaction` is its `data`.
    fn found(&mut self, reference: &str, transaction: &Bound<'_, PyAny>) -> PyResult<()> {
        let value = to_json(transaction).unwrap_or(Value::Null);
        self.finder()?.found(reference, &value);
        Ok(())
    }

    /// Verify of `reference` failed: True when Paystack does not know it (recorded), False when
    /// the error is to be raised.
    #[pyo3(signature = (reference, status_code, code, message))]
    fn failed(
        &mut self,
        reference: &str,
        status_code: u16,
        code: Option<&str>,
        message: Option<&str>,
    ) -> PyResult<bool> {
        Ok(self.finder()?.failed(reference, status_code, code, message.unwrap_or_default()))
    }

    /// A page of a batch's charges: the answer's `data`, and `meta.pageCount` if given.
    #[pyo3(signature = (batch_code, page, data, page_count = None))]
    fn page(&mut self, batch_code: &str, page: u32, data: &Bound<'_, PyAny>, page_count: Option<u32>) -> PyResult<()> {
        let value = to_json(data).unwrap_or(Value::Null);
        self.finder()?.page(batch_code, page, &value, page_count);
        Ok(())
    }

    #[getter]
    fn lookups(&mut self) -> PyResult<u32> {
        Ok(self.finder()?.lookups())
    }

    /// The plan, as a dict: ``rows`` (each row's ``decision``: new, charged or edited, and its
    /// reference), ``orphans`` (earlier charges no line holds), ``ambiguities`` (refused: nothing
    /// may be sent), ``counts``.
    fn plan<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let finder = self.finder.take().ok_or_else(used)?;
        let rows: Vec<FileRow> = finder_rows(&finder);
        let plan = finder.plan();
        let document = plan_json(&rows, &plan);
        let bytes =
            serde_json::to_vec(&document).map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        json_to_py(py, &bytes).map_err(pyo3::exceptions::PyRuntimeError::new_err)
    }
}

impl ChargeFinder {
    fn finder(&mut self) -> PyResult<&mut Finder> {
        self.finder.as_mut().ok_or_else(used)
    }
}

fn used() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("this ChargeFinder has made its plan already")
}

fn finder_rows(finder: &Finder) -> Vec<FileRow> {
    finder.rows().to_vec()
}

fn charge_json(plan: &Plan, c: usize) -> Value {
    let charge = &plan.charges[c];
    json!({
        "reference": charge.reference,
        "authorization": charge.authorization,
        "amount": charge.amount,
        "status": charge.status,
        "batch_code": charge.batch_code,
    })
}

fn plan_json(rows: &[FileRow], plan: &Plan) -> Value {
    let mut counts = json!({"new": 0, "new_amount": 0, "charged": 0, "edited": 0, "ambiguous": 0});
    let mut cards: Vec<&str> = Vec::new();
    let mut new_cards: Vec<&str> = Vec::new();
    let decided: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            if !cards.contains(&row.authorization.as_str()) {
                cards.push(&row.authorization);
            }
            let (decision, charge) = match &plan.decisions[i] {
                Decision::New { .. } => ("new", None),
                Decision::Charged { charge } => ("charged", Some(*charge)),
                Decision::Edited { charge } => ("edited", Some(*charge)),
                Decision::Undecided { paired, .. } => ("ambiguous", *paired),
            };
            counts[decision] = json!(counts[decision].as_u64().unwrap_or(0) + 1);
            if decision == "new" {
                counts["new_amount"] = json!(counts["new_amount"].as_u64().unwrap_or(0) + row.amount);
                if !new_cards.contains(&row.authorization.as_str()) {
                    new_cards.push(&row.authorization);
                }
            }
            json!({
                "line": row.line,
                "authorization": row.authorization,
                "amount": row.amount,
                "given_reference": row.reference,
                "reference": plan.reference_of(i),
                "decision": decision,
                "charge": charge.map(|c| charge_json(plan, c)),
            })
        })
        .collect();
    counts["cards"] = json!(cards.len());
    counts["new_cards"] = json!(new_cards.len());
    counts["orphans"] = json!(plan.orphans.len());
    let ambiguities: Vec<Value> = plan
        .ambiguities
        .iter()
        .map(|a| {
            json!({
                "authorization": a.authorization,
                "rows": a.rows.iter().map(|&i| json!({"line": rows[i].line, "amount": rows[i].amount, "given_reference": rows[i].reference})).collect::<Vec<_>>(),
                "charges": a.charges.iter().map(|&c| charge_json(plan, c)).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "rows": decided,
        "orphans": plan.orphans.iter().map(|&c| charge_json(plan, c)).collect::<Vec<_>>(),
        "ambiguities": ambiguities,
        "counts": counts,
        "refused": plan.is_refused(),
    })
}

pub fn add_to(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ChargeFinder>()?;
    m.add_function(wrap_pyfunction!(derive_row_reference, m)?)?;
    m.add_function(wrap_pyfunction!(run_name, m)?)?;
    m.add_function(wrap_pyfunction!(read_charge_file, m)?)?;
    m.add_function(wrap_pyfunction!(charge_file_run_name, m)?)?;
    m.add_function(wrap_pyfunction!(retry_reference, m)?)?;
    m.add_function(wrap_pyfunction!(retry_base, m)?)?;
    m.add_function(wrap_pyfunction!(batch_code_of, m)?)?;
    m.add_function(wrap_pyfunction!(format_money, m)?)?;
    m.add_function(wrap_pyfunction!(match_expected, m)?)?;
    m.add_function(wrap_pyfunction!(retry_metadata, m)?)?;
    m.add("BULK_CHARGE_FIELDS", semantics::answers::BULK_CHARGE_FIELDS.to_vec())?;
    Ok(())
}
