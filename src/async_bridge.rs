//! Async calls whose runtime threads never take the GIL.
//!
//! `call_async` creates an asyncio future on the running loop and spawns the call on the
//! runtime. When the call finishes, the runtime thread queues the outcome and, if the queue was
//! empty, writes one byte to a socket the loop watches (`loop.add_reader`). The loop then drains
//! every queued outcome at once on its own thread, where the GIL is held anyway: it builds the
//! Python objects (jiter), and resolves the futures. One wake-up serves a whole batch, and a busy
//! loop never makes a runtime thread wait for the GIL (which would otherwise take up to the
//! interpreter's 5 ms switch interval).

use std::any::Any;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use paystack_core::envelope::CheckedBody;
use paystack_core::{Error, Reply};
use pyo3::prelude::*;

/// What a finished call hands back to the loop.
pub struct Completion {
    pub future: Py<PyAny>,
    pub outcome: Result<Result<Reply<CheckedBody>, Error>, Box<dyn Any + Send>>,
}

/// The half the runtime's threads use.
pub struct Sender {
    queue: Mutex<Vec<Completion>>,
    scheduled: AtomicBool,
    writer: UnixStream,
}

impl Sender {
    pub fn complete(&self, completion: Completion) {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner).push(completion);
        if !self.scheduled.swap(true, Ordering::AcqRel) {
            // The loop is not yet due to drain: wake it. A full socket means it is already awake.
            let _ = (&self.writer).write(&[1]);
        }
    }
}

/// One per event loop: the socket the loop watches and the queue of finished calls.
#[pyclass(frozen, module = "paystack_rs._core")]
pub struct AsyncBridge {
    sender: Arc<Sender>,
    reader: UnixStream,
}

#[pymethods]
impl AsyncBridge {
    #[new]
    fn new() -> PyResult<Self> {
        let (reader, writer) = UnixStream::pair()?;
        reader.set_nonblocking(true)?;
        writer.set_nonblocking(true)?;
        let sender = Arc::new(Sender { queue: Mutex::new(Vec::new()), scheduled: AtomicBool::new(false), writer });
        Ok(AsyncBridge { sender, reader })
    }

    fn fileno(&self) -> i32 {
        self.reader.as_raw_fd()
    }

    /// Resolves every finished call's future (the loop calls this when the socket is readable).
    fn drain(&self, py: Python<'_>) -> PyResult<()> {
        let mut sink = [0u8; 256];
        while matches!((&self.reader).read(&mut sink), Ok(n) if n > 0) {}
        // Cleared before taking the queue: an outcome queued after this point wakes the loop again.
        self.sender.scheduled.store(false, Ordering::Release);
        let finished = std::mem::take(&mut *self.sender.queue.lock().unwrap_or_else(PoisonError::into_inner));
        for completion in finished {
            deliver(py, completion)?;
        }
        Ok(())
    }
}

fn deliver(py: Python<'_>, completion: Completion) -> PyResult<()> {
    let future = completion.future.bind(py);
    // Cancelled (or otherwise settled) while the call ran: nothing to deliver.
    if future.call_method0(pyo3::intern!(py, "done"))?.is_truthy()? {
        return Ok(());
    }
    let result = match completion.outcome {
        Ok(result) => crate::call_result::finish(py, result),
        Err(panic) => Err(crate::errors::panic_to_py_err(py, panic)),
    };
    match result {
        Ok(value) => future.call_method1(pyo3::intern!(py, "set_result"), (value,))?,
        Err(error) => future.call_method1(pyo3::intern!(py, "set_exception"), (error.into_value(py),))?,
    };
    Ok(())
}

/// A bridge for `event_loop`, registered with `loop.add_reader`; `None` when the loop cannot watch
/// a socket (e.g. Windows' proactor loop).
pub fn register<'py>(py: Python<'py>, event_loop: &Bound<'py, PyAny>) -> PyResult<Option<Arc<Sender>>> {
    let bridge = Bound::new(py, AsyncBridge::new()?)?;
    match event_loop.call_method1(pyo3::intern!(py, "add_reader"), (bridge.get().fileno(), bridge.getattr("drain")?)) {
        Ok(_) => Ok(Some(Arc::clone(&bridge.get().sender))),
        Err(e) if e.is_instance_of::<pyo3::exceptions::PyNotImplementedError>(py) => Ok(None),
        Err(e) => Err(e),
    }
}
