//! Reconciliation rows for Python: `RowStream` fetches every page of a list (the core's pager,
//! from page 1) and decodes each straight into columns on the runtime's threads (no Python object
//! per item); `RowTable` holds the columns and hands them out one column at a time, as Python
//! values, or as buffers numpy, pandas and pyarrow read without a Python object per value.

use std::collections::HashMap;
use std::sync::Mutex;

use paystack_core::pager::{Planner, Slots, newest_first};
use paystack_core::rows::{COLUMNS, Column, RowKind, Rows, RowsDecoder, RowsPage, TextColumn, timestamp_ms};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};

use crate::async_calls::spawn_on_loop;
use crate::client::{CoreClient, convert_args};
use crate::errors::to_py_err;
use crate::json_to_python::json_to_py;
use crate::pages::Stream;
use crate::settings::call_options;

/// Every page of a list, as rows.
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct RowStream {
    stream: Stream<RowsPage>,
    rows: Mutex<Rows>,
    /// The latest page's `meta.total` (for progress).
    total: Mutex<Option<u64>>,
}

#[pymethods]
impl RowStream {
    /// Starts fetching `endpoint` called with `params` (by name) from its first page; `kind` is "charges"
    /// (a batch's, whose code goes in every row) or "transactions".
    #[new]
    #[pyo3(signature = (core, endpoint, params, kind, *, batch_code = None, timeout = None, max_retries = None, concurrency = 8, limit = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        core: &CoreClient,
        endpoint: &str,
        params: &Bound<'_, PyAny>,
        kind: &str,
        batch_code: Option<String>,
        timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        concurrency: usize,
        limit: Option<u64>,
    ) -> PyResult<Self> {
        let kind = match kind {
            "charges" => RowKind::Charges { batch_code },
            "transactions" => RowKind::Transactions,
            other => {
                return Err(PyValueError::new_err(format!("kind must be 'charges' or 'transactions', not {other:?}")));
            }
        };
        let (endpoint, args) = convert_args(py, endpoint, params)?;
        let options = call_options(py, timeout, max_retries)?;
        let client = core.client().map_err(|e| to_py_err(py, e))?;
        let slots = Slots::of(endpoint);
        let pin = newest_first(endpoint) && !slots.has_to(&args);
        let planner = Planner::from_start(slots.start_page(&args), false, pin, limit);
        let stream = Stream::start(client, endpoint, args, options, RowsDecoder { kind }, planner, concurrency);
        Ok(RowStream { stream, rows: Mutex::new(Rows::default()), total: Mutex::new(None) })
    }

    /// Waits for the next page and adds its rows: `(rows so far, total)` (total from the latest
    /// page's meta, or None), or None after the last page.
    fn next_page(&self, py: Python<'_>) -> PyResult<Option<(usize, Option<u64>)>> {
        let event = self.stream.recv(py)?;
        self.add(py, event)
    }

    /// The awaitable twin of `next_page`.
    fn next_page_async<'py>(slf: Bound<'py, Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let next = slf.get().stream.recv_later();
        let stream = slf.unbind();
        spawn_on_loop(py, next, move |py, event| stream.get().add(py, event)?.into_py_any(py))
    }

    /// The rows gathered so far (the stream keeps none after this).
    fn table(&self) -> RowTable {
        let rows = self.rows.lock().map(|mut r| std::mem::take(&mut *r)).unwrap_or_default();
        RowTable { rows }
    }

    /// Stops: the requests in flight are cancelled and nothing more is fetched.
    fn close(&self) {
        self.stream.close();
    }
}

impl RowStream {
    fn add(
        &self,
        py: Python<'_>,
        event: Option<paystack_core::pager::Event<RowsPage>>,
    ) -> PyResult<Option<(usize, Option<u64>)>> {
        let Some(page) = self.stream.settle(py, event)? else { return Ok(None) };
        let body = &page.reply.body;
        let mut total = self.total.lock().map_err(|_| PyValueError::new_err("poisoned"))?;
        if body.info.total.is_some() {
            *total = body.info.total;
        }
        let mut rows = self.rows.lock().map_err(|_| PyValueError::new_err("poisoned"))?;
        rows.extend(&body.rows, Some(&page.keep));
        Ok(Some((rows.len(), *total)))
    }
}

/// Rows, column by column (see `paystack_core::rows::COLUMNS`).
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct RowTable {
    rows: Rows,
}

/// Arrow's large_string buffers of a column, and its null count.
type TextBuffers<'py> = (Bound<'py, PyBytes>, Bound<'py, PyBytes>, Bound<'py, PyBytes>, usize);
/// (status, currency, count, amount, fees, net); fees and net None when a fee is unknown.
type TotalsRow = (Option<String>, Option<String>, u64, i64, Option<i64>, Option<i64>);

/// Columns whose values repeat (a batch code, an email, a currency): one `str` per distinct value.
const REPEATING: &[&str] = &["batch_code", "authorization", "customer_email", "currency", "status", "gateway_response"];

#[pymethods]
impl RowTable {
    /// No rows.
    #[new]
    fn new() -> Self {
        RowTable { rows: Rows::default() }
    }

    /// The rows of `tables`, one after another (a run's batches as one report).
    #[staticmethod]
    fn concat(tables: Vec<PyRef<'_, RowTable>>) -> RowTable {
        let mut rows = Rows::default();
        for table in &tables {
            rows.extend(&table.rows, None);
        }
        RowTable { rows }
    }

    fn __len__(&self) -> usize {
        self.rows.len()
    }

    /// The column names, in order.
    #[staticmethod]
    fn columns() -> Vec<&'static str> {
        COLUMNS.to_vec()
    }

    /// A column as a list of Python values: str, int or None; ``metadata`` as Paystack sent it
    /// (objects as dicts, strings as strings).
    fn column<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyList>> {
        match self.get(name)? {
            Column::Int(c) => PyList::new(py, (0..c.values.len()).map(|i| c.get(i))),
            Column::Text(c) if name == "metadata" => {
                let values = (0..c.len())
                    .map(|i| match c.get(i) {
                        Some(text) if text.starts_with(['{', '[']) => {
                            json_to_py(py, text.as_bytes()).or_else(|_| Ok(PyString::new(py, text).into_any()))
                        }
                        Some(text) => Ok(PyString::new(py, text).into_any()),
                        None => Ok(py.None().into_bound(py)),
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                PyList::new(py, values)
            }
            Column::Text(c) => text_list(py, c, REPEATING.contains(&name)),
        }
    }

    /// A text column as a list of str or None (``metadata`` as its JSON text).
    fn text_column<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyList>> {
        match self.get(name)? {
            Column::Text(c) => text_list(py, c, REPEATING.contains(&name)),
            Column::Int(_) => Err(PyValueError::new_err(format!("{name} is not a text column"))),
        }
    }

    /// An integer column as buffers: (little-endian int64 values, one byte per row: 1 = present).
    fn int_buffers<'py>(&self, py: Python<'py>, name: &str) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
        match self.get(name)? {
            Column::Int(c) => Ok((int64_bytes(py, &c.values), flags(py, &c.valid))),
            Column::Text(_) => Err(PyValueError::new_err(format!("{name} is not an integer column"))),
        }
    }

    /// A timestamp column (``paid_at``, ``created_at``) as buffers: (little-endian int64
    /// milliseconds since the epoch, or numpy's NaT for none or unreadable; presence bytes).
    fn timestamp_buffers<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
        let Column::Text(c) = self.get(name)? else {
            return Err(PyValueError::new_err(format!("{name} is not a timestamp column")));
        };
        let millis: Vec<Option<i64>> = (0..c.len()).map(|i| c.get(i).and_then(timestamp_ms)).collect();
        let values: Vec<i64> = millis.iter().map(|m| m.unwrap_or(i64::MIN)).collect();
        let valid: Vec<bool> = millis.iter().map(Option::is_some).collect();
        Ok((int64_bytes(py, &values), flags(py, &valid)))
    }

    /// A text column in Arrow's large_string layout: (UTF-8 data, int64 offsets, validity bitmap
    /// (least significant bit first), null count), for ``pyarrow.Array.from_buffers``.
    fn text_buffers<'py>(&self, py: Python<'py>, name: &str) -> PyResult<TextBuffers<'py>> {
        let Column::Text(c) = self.get(name)? else {
            return Err(PyValueError::new_err(format!("{name} is not a text column")));
        };
        let mut bitmap = vec![0u8; c.len().div_ceil(8)];
        for (i, valid) in c.valid.iter().enumerate() {
            if *valid {
                bitmap[i / 8] |= 1 << (i % 8);
            }
        }
        let nulls = c.valid.iter().filter(|v| !**v).count();
        Ok((PyBytes::new(py, c.data.as_bytes()), int64_bytes(py, &c.offsets), PyBytes::new(py, &bitmap), nulls))
    }

    /// The rows at these positions, in this order.
    fn take(&self, indices: Vec<usize>) -> RowTable {
        RowTable { rows: self.rows.take(&indices) }
    }

    /// The positions of the rows whose status is one of `statuses`.
    fn positions_with_status(&self, statuses: Vec<String>) -> Vec<usize> {
        let status = &self.rows.status;
        (0..status.len()).filter(|i| status.get(*i).is_some_and(|s| statuses.iter().any(|w| w == s))).collect()
    }

    /// By status and currency, in first-seen order: (status, currency, count, amount, fees, net)
    /// (`paystack_core::rows::Totals`: net only for successful rows, an unknown fee None).
    fn totals(&self) -> Vec<TotalsRow> {
        self.rows.totals().into_iter().map(|((s, c), t)| (s, c, t.count, t.amount, t.fees, t.net)).collect()
    }

    /// The period (from, to) to list transactions over for the fees these rows lack, or None.
    fn missing_fees_window(&self) -> Option<(String, String)> {
        self.rows.missing_fees_window()
    }

    /// A table whose missing fees are filled from `listed` (the same transactions, listed), and
    /// how many were filled.
    fn with_fees_from(&self, listed: &RowTable) -> (RowTable, usize) {
        let mut rows = self.rows.clone();
        let filled = rows.fill_fees(&listed.rows);
        (RowTable { rows }, filled)
    }

    fn __repr__(&self) -> String {
        format!("<RowTable of {} rows>", self.rows.len())
    }
}

impl RowTable {
    fn get(&self, name: &str) -> PyResult<Column<'_>> {
        self.rows.column(name).ok_or_else(|| PyKeyError::new_err(format!("no column {name:?}")))
    }
}

fn text_list<'py>(py: Python<'py>, column: &TextColumn, repeating: bool) -> PyResult<Bound<'py, PyList>> {
    if !repeating {
        return PyList::new(py, (0..column.len()).map(|i| column.get(i)));
    }
    let mut seen: HashMap<&str, Bound<'py, PyString>> = HashMap::new();
    let values = (0..column.len())
        .map(|i| column.get(i).map(|text| seen.entry(text).or_insert_with(|| PyString::new(py, text)).clone()));
    PyList::new(py, values.collect::<Vec<_>>())
}

fn int64_bytes<'py>(py: Python<'py>, values: &[i64]) -> Bound<'py, PyBytes> {
    PyBytes::new_with(py, values.len() * 8, |buffer| {
        for (chunk, value) in buffer.chunks_exact_mut(8).zip(values) {
            chunk.copy_from_slice(&value.to_le_bytes());
        }
        Ok(())
    })
    .unwrap_or_else(|_| PyBytes::new(py, &[]))
}

fn flags<'py>(py: Python<'py>, valid: &[bool]) -> Bound<'py, PyBytes> {
    let bytes: Vec<u8> = valid.iter().map(|v| u8::from(*v)).collect();
    PyBytes::new(py, &bytes)
}
