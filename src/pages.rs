//! `PageStream`: the pages after a first one, fetched by the core's pager on the runtime
//! (`paystack_core::pager`: concurrently, in order, under the client's rate limit and retries)
//! and handed to Python one page at a time, sync (the GIL released while waiting, Ctrl-C
//! honoured) or async. Closing it, or dropping it, cancels the requests in flight.

use std::sync::Arc;

use std::future::Future;

use paystack_core::envelope::Decoder;
use paystack_core::page_info::{CheckedPage, PageInfoDecoder};
use paystack_core::pager::{Event, Page, PageInfo, PagedBody, Planner, Slots, channel, fetch_pages, newest_first};
use paystack_core::{Arg, CallOptions, Client, Endpoint};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinHandle;

use crate::async_calls::spawn_on_loop;
use crate::client::{CoreClient, convert_args};
use crate::errors::{decode_error, to_py_err};
use crate::json_to_python::json_to_py;
use crate::process_runtime::runtime;
use crate::settings::call_options;
use crate::signals::{interruptible, on_main_thread};

type Receiver<B> = mpsc::Receiver<Event<B>>;

/// A running `fetch_pages` and the receiving end of its pages: shared by `PageStream` (items as
/// Python objects) and `RowStream` (reconciliation rows).
pub(crate) struct Stream<B> {
    pages: Arc<Mutex<Receiver<B>>>,
    task: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl<B: PagedBody> Stream<B> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start<D>(
        client: Arc<Client>,
        endpoint: &'static Endpoint,
        args: Vec<Option<Arg>>,
        options: CallOptions,
        decoder: D,
        planner: Planner,
        concurrency: usize,
    ) -> Self
    where
        D: Decoder<Output = B> + 'static,
    {
        let (sender, receiver) = channel(concurrency);
        let task = runtime().spawn(fetch_pages(
            client,
            endpoint,
            args,
            options,
            Arc::new(decoder),
            planner,
            concurrency,
            sender,
        ));
        Stream { pages: Arc::new(Mutex::new(receiver)), task: std::sync::Mutex::new(Some(task)) }
    }

    /// The next event, waiting with the GIL released and Ctrl-C honoured.
    pub(crate) fn recv(&self, py: Python<'_>) -> PyResult<Option<Event<B>>> {
        let pages = Arc::clone(&self.pages);
        let signals = on_main_thread(py);
        let event =
            py.detach(|| runtime().block_on(interruptible(signals, async move { pages.lock().await.recv().await })));
        if event.is_err() {
            self.close();
        }
        event
    }

    /// The next event, as a future for an awaitable.
    pub(crate) fn recv_later(&self) -> impl Future<Output = Option<Event<B>>> + Send + 'static {
        let pages = Arc::clone(&self.pages);
        async move { pages.lock().await.recv().await }
    }

    /// Cancels the requests in flight; nothing more is fetched.
    pub(crate) fn close(&self) {
        if let Ok(mut task) = self.task.lock() {
            if let Some(task) = task.take() {
                task.abort();
            }
        }
    }

    /// What an event means for the consumer: a page, the end (None), or the error that stopped
    /// the paging (after which nothing more is fetched).
    pub(crate) fn settle(&self, py: Python<'_>, event: Option<Event<B>>) -> PyResult<Option<Box<Page<B>>>> {
        match event {
            Some(Event::Page(page)) => Ok(Some(page)),
            Some(Event::Failed(error)) => {
                self.close();
                Err(to_py_err(py, error))
            }
            Some(Event::End) => {
                self.close();
                Ok(None)
            }
            None => {
                // Closed without End: closed by the consumer (it is done), or the fetcher failed.
                let closed = self.task.lock().map(|t| t.is_none()).unwrap_or(true);
                if closed { Ok(None) } else { Err(PyRuntimeError::new_err("the page fetcher stopped unexpectedly")) }
            }
        }
    }

    fn is_open(&self) -> bool {
        self.task.lock().map(|t| t.as_ref().is_some_and(|t| !t.is_finished())).unwrap_or(false)
    }
}

impl<B> Drop for Stream<B> {
    fn drop(&mut self) {
        if let Ok(mut task) = self.task.lock() {
            if let Some(task) = task.take() {
                task.abort();
            }
        }
    }
}

/// The pages after a first page, for `auto_paging_iter()`.
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct PageStream {
    stream: Stream<CheckedPage>,
    /// Which items of the first page to keep (new, and within the limit).
    first_keep: Vec<bool>,
}

#[pymethods]
impl PageStream {
    /// Starts fetching the pages after `first` (a list answer of `endpoint` called with `params`, by name).
    #[new]
    #[pyo3(signature = (core, endpoint, params, first, *, timeout = None, max_retries = None, concurrency = 8, limit = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        core: &CoreClient,
        endpoint: &str,
        params: &Bound<'_, PyAny>,
        first: &Bound<'_, PyAny>,
        timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        concurrency: usize,
        limit: Option<u64>,
    ) -> PyResult<Self> {
        let (endpoint, args) = convert_args(py, endpoint, params)?;
        let options = call_options(py, timeout, max_retries)?;
        let client = core.client().map_err(|e| to_py_err(py, e))?;
        let pin = newest_first(endpoint) && !Slots::of(endpoint).has_to(&args);
        let (planner, keep) = Planner::after_first(&first_page_info(first)?, pin, limit);
        let stream = Stream::start(client, endpoint, args, options, PageInfoDecoder, planner, concurrency);
        Ok(PageStream { stream, first_keep: keep.keep })
    }

    /// For each item of the first page: whether to yield it.
    #[getter]
    fn first_keep(&self) -> Vec<bool> {
        self.first_keep.clone()
    }

    /// The next page's items to yield (a list), or None after the last page. Blocks with the GIL
    /// released; raises the error that stopped the paging, or KeyboardInterrupt on Ctrl-C.
    fn next_page(&self, py: Python<'_>) -> PyResult<Option<Py<PyList>>> {
        let event = self.stream.recv(py)?;
        self.deliver(py, event)
    }

    /// The awaitable twin of `next_page`.
    fn next_page_async<'py>(slf: Bound<'py, Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let next = slf.get().stream.recv_later();
        let stream = slf.unbind();
        spawn_on_loop(py, next, move |py, event| stream.get().deliver(py, event)?.into_py_any(py))
    }

    /// Stops: the requests in flight are cancelled and nothing more is fetched.
    fn close(&self) {
        self.stream.close();
    }

    fn __repr__(&self) -> String {
        format!("<PageStream {}>", if self.stream.is_open() { "fetching" } else { "closed" })
    }
}

impl PageStream {
    fn deliver(&self, py: Python<'_>, event: Option<Event<CheckedPage>>) -> PyResult<Option<Py<PyList>>> {
        let Some(page) = self.stream.settle(py, event)? else { return Ok(None) };
        let body = json_to_py(py, &page.reply.body.body.value).map_err(|m| decode_error(py, m))?;
        let items = body
            .cast::<PyDict>()
            .ok()
            .and_then(|d| d.get_item("data").ok().flatten())
            .and_then(|data| data.cast_into::<PyList>().ok());
        let Some(items) = items else { return Ok(Some(PyList::empty(py).unbind())) };
        if page.keep.all() {
            return Ok(Some(items.unbind()));
        }
        let kept = PyList::empty(py);
        for (item, keep) in items.iter().zip(page.keep.keep.iter()) {
            if *keep {
                kept.append(item)?;
            }
        }
        Ok(Some(kept.unbind()))
    }
}

/// What a first page (a list answer's body, as Python objects) says about paging.
fn first_page_info(body: &Bound<'_, PyAny>) -> PyResult<PageInfo> {
    let mut info = PageInfo::default();
    let Ok(body) = body.cast::<PyDict>() else { return Ok(info) };
    let number = |v: Option<Bound<'_, PyAny>>| -> Option<u64> {
        let v = v?;
        if let Ok(s) = v.cast::<PyString>() {
            return s.to_str().ok()?.trim().parse().ok();
        }
        if v.is_instance_of::<pyo3::types::PyBool>() {
            return None;
        }
        v.extract::<u64>().ok()
    };
    if let Some(meta) = body.get_item("meta")? {
        if let Ok(meta) = meta.cast::<PyDict>() {
            info.page = number(meta.get_item("page")?);
            info.page_count = number(meta.get_item("pageCount")?);
            info.per_page = number(meta.get_item("perPage")?);
            info.total = number(meta.get_item("total")?);
            if let Some(next) = meta.get_item("next")? {
                info.has_cursor = true;
                info.next = next.extract::<String>().ok().filter(|n| !n.is_empty());
            }
        }
    }
    if let Some(data) = body.get_item("data")? {
        if let Ok(data) = data.cast::<PyList>() {
            for item in data.iter() {
                let item = item.cast::<PyDict>().ok();
                let id = item
                    .and_then(|d| d.get_item("id").ok().flatten())
                    .filter(|v| !v.is_instance_of::<pyo3::types::PyBool>())
                    .and_then(|v| v.extract::<i64>().ok());
                info.ids.push(id);
                let created =
                    item.and_then(|d| d.get_item("createdAt").ok().flatten()).and_then(|v| v.extract::<String>().ok());
                if let Some(created) = created {
                    if info.newest.as_deref().is_none_or(|n| created.as_str() > n) {
                        info.newest = Some(created);
                    }
                }
            }
        }
    }
    Ok(info)
}
