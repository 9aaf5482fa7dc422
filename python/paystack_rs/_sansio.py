"""The one pattern for a sync/async pair written by hand (docs/architecture.md, "Sync and async").

The logic is written once, as a generator that does no I/O: it *yields* each step of I/O it needs
(:class:`Call`, :class:`Sleep`) and receives the step's result; what it returns is the answer.
Two drivers run it: :func:`run` with blocking calls, :func:`run_async` with awaited ones. For an
iteration the generator also yields :class:`Items` to hand to the caller, and :func:`iterate` /
:func:`iterate_async` are the drivers (a generator and an async generator).

    def _first_page(core, endpoint, params):          # the logic, once
        response = yield Call(core, "call", endpoint, params)
        remember(response)
        return response

    def first_page(core, endpoint, params):           # the sync method
        return run(_first_page(core, endpoint, params))

    async def first_page_async(core, endpoint, params):   # its awaitable twin
        return await run_async(_first_page(core, endpoint, params))

A ``Call`` names a method; the async driver awaits its twin, the same name with ``_async``
(``fetch`` / ``fetch_async``, ``call`` / ``call_async``, ``next_page`` / ``next_page_async``): the
convention every sync/async pair of the package follows. Another library's twin is named with
:meth:`Call.with_twin`: Django's cache and signals prefix an ``a`` (``add`` / ``aadd``,
``send_robust`` / ``asend_robust``), so the webhook views (``contrib/django/views.py``) yield
``Call(cache, "add", key, value, timeout).with_twin("aadd")``.

A step that raises raises in the logic, at its ``yield`` (the driver throws the exception in, a
cancelled task's ``CancelledError`` too), so the logic's ``try``/``except``/``finally`` see it as
they would see a direct call, and a ``finally`` may still yield steps (the webhook view settles
its cache mark in one, awaited under ``run_async``). Closing a driver (a loop left early) closes
the generator, so its ``finally`` blocks run then too.

``Call`` is on hot paths (a step per page, a call per poll): the twin's name is one more slot,
``None`` unless named, rather than an adapter object wrapped around the target per call.

Where the pair's signature is long (keyword options), it is written once too: the logic takes the
public signature and the docstring, and :func:`blocking` and :func:`awaitable` make the two
functions (or methods) from it, named after it without its leading ``_``:

    def _batch(code: str | int, *, client: Paystack | None = None, ...) -> Steps[Report]:
        ...                             # the docstring and the logic, once

    batch = blocking(_batch)            # batch(code, *, client=None, ...) -> Report
    batch_async = awaitable(_batch)     # async batch_async(code, *, client=None, ...) -> Report

Both keep the logic's parameters for type checkers (a ``ParamSpec``) and for
``inspect.signature`` (which reports the answer's type, not ``Steps[...]``).
"""

from __future__ import annotations

import time
import types

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterable, Iterator
    from typing import Any, ParamSpec, TypeVar

    T = TypeVar("T")
    P = ParamSpec("P")
    V = TypeVar("V", bound=Callable[..., Any])
    #: The logic of a pair: yields steps, receives their results, returns the answer.
    Steps = Generator["Call | Sleep", Any, T]
    #: The logic of an iteration: also yields items to hand over.
    ItemSteps = Generator["Call | Sleep | Items", Any, None]

__all__ = ["Call", "Items", "Sleep", "awaitable", "blocking", "iterate", "iterate_async", "run", "run_async"]


class Call:
    """A step: call ``target.method(*args, **kwargs)`` (the async driver awaits ``method_async``,
    or the twin named by :meth:`with_twin`)."""

    __slots__ = ("args", "kwargs", "method", "target", "twin")

    def __init__(self, target: Any, method: str, *args: Any, **kwargs: Any) -> None:
        self.target, self.method, self.args, self.kwargs = target, method, args, kwargs
        #: The awaitable twin's name, when it is not ``method + "_async"``.
        self.twin: str | None = None

    def with_twin(self, twin: str) -> Call:
        """This step, whose async driver awaits ``target.<twin>(...)`` (another library's naming:
        Django's ``aget`` for ``get``); returns the step, to yield it in one expression."""
        self.twin = twin
        return self

    def __repr__(self) -> str:
        twin = "" if self.twin is None else f" / {self.twin}"
        return f"Call({type(self.target).__name__}.{self.method}{twin})"


class Sleep:
    """A step: wait ``seconds`` (``time.sleep``, or ``asyncio.sleep`` in the async driver)."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class Items:
    """What an iteration hands to its caller next."""

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def _perform(step: Call | Sleep) -> Any:
    if isinstance(step, Sleep):
        time.sleep(step.seconds)
        return None
    return getattr(step.target, step.method)(*step.args, **step.kwargs)


def _advance(steps: Generator[Any, Any, Any], step: Call | Sleep) -> Any:
    """Performs ``step`` and resumes the logic with its result, or raises its exception in the
    logic at its ``yield``; returns the logic's next step."""
    try:
        result = _perform(step)
    except BaseException as error:
        return steps.throw(error)
    return steps.send(result)


async def _outcome_async(step: Call | Sleep) -> tuple[Any, BaseException | None]:
    """The awaited step's result, or its exception (a cancelled task's ``CancelledError`` too: the
    logic's ``finally`` may still await steps, as a coroutine's may)."""
    try:
        if isinstance(step, Sleep):
            import asyncio

            await asyncio.sleep(step.seconds)
            return None, None
        twin = f"{step.method}_async" if step.twin is None else step.twin
        return await getattr(step.target, twin)(*step.args, **step.kwargs), None
    except BaseException as error:
        return None, error


def _resume(steps: Generator[Any, Any, Any], result: Any, error: BaseException | None) -> Any:
    """The logic resumed with a step's outcome (kept out of coroutines: the logic's return is a
    ``StopIteration``, which may not leave a coroutine); returns its next step."""
    return steps.send(result) if error is None else steps.throw(error)


def run(steps: Steps[T]) -> T:
    """Drives ``steps`` with blocking calls; returns what the logic returns."""
    try:
        step = next(steps)
        while True:
            # ``_advance`` with a call performed in place: every generated method's call comes
            # through here, and a traceback from it is shorter by their two frames.
            try:
                if type(step) is Call:
                    outcome = getattr(step.target, step.method)(*step.args, **step.kwargs)
                else:
                    outcome = _perform(step)
            except BaseException as error:
                step = steps.throw(error)
            else:
                step = steps.send(outcome)
    except StopIteration as done:
        result: T = done.value
        return result
    finally:
        steps.close()


async def run_async(steps: Steps[T]) -> T:
    """Drives ``steps`` with awaited calls: the awaitable twin of :func:`run`."""
    try:
        step = next(steps)
        while True:
            step = _resume(steps, *(await _outcome_async(step)))
    except StopIteration as done:
        result: T = done.value
        return result
    finally:
        steps.close()


def iterate(steps: ItemSteps) -> Iterator[Any]:
    """Drives an iteration's ``steps`` with blocking calls, yielding its items."""
    try:
        step = next(steps)
        while True:
            if isinstance(step, Items):
                yield from step.items
                step = next(steps)
            else:
                step = _advance(steps, step)
    except StopIteration:
        return
    finally:
        steps.close()


async def iterate_async(steps: ItemSteps) -> AsyncIterator[Any]:
    """Drives an iteration's ``steps`` with awaited calls: the async twin of :func:`iterate`."""
    try:
        step = next(steps)
        while True:
            if isinstance(step, Items):
                for item in step.items:
                    yield item
                step = next(steps)
            else:
                step = _resume(steps, *(await _outcome_async(step)))
    except StopIteration:
        return
    finally:
        steps.close()


def blocking(logic: Callable[P, Steps[T]]) -> Callable[P, T]:
    """The sync function of a pair: ``logic`` driven by :func:`run`, with its signature and
    docstring, named after it without its leading ``_``."""

    def view(*args: P.args, **kwargs: P.kwargs) -> T:
        return run(logic(*args, **kwargs))

    return _named(view, logic, "", logic.__doc__)


def awaitable(logic: Callable[P, Steps[T]], doc: str | None = None) -> Callable[P, Coroutine[Any, Any, T]]:
    """The async function of a pair: ``logic`` driven by :func:`run_async`, with its signature,
    named after it without its leading ``_``, plus ``_async``; ``doc`` (default: "Awaitable twin
    of ...")."""

    async def view(*args: P.args, **kwargs: P.kwargs) -> T:
        return await run_async(logic(*args, **kwargs))

    twin = logic.__name__.lstrip("_")
    return _named(view, logic, "_async", doc or f"Awaitable twin of :func:`{twin}`.")


def _named(function: V, logic: Callable[..., Any], suffix: str, doc: str | None) -> V:
    view: Any = function
    name = logic.__name__.lstrip("_") + suffix
    owner = logic.__qualname__.rpartition(".")[0]
    view.__name__, view.__qualname__ = name, f"{owner}.{name}" if owner else name
    view.__module__, view.__doc__ = logic.__module__, doc
    # ``inspect.signature`` follows ``__wrapped__``: to a copy of the logic whose return annotation
    # is the answer's type (``Report``, not ``Steps[Report]``), so the signature is the public one.
    signature = types.FunctionType(logic.__code__, logic.__globals__, name, logic.__defaults__, logic.__closure__)
    signature.__kwdefaults__ = logic.__kwdefaults__
    annotations = dict(logic.__annotations__)
    returns = annotations.get("return")
    if isinstance(returns, str) and returns.startswith("Steps[") and returns.endswith("]"):
        annotations["return"] = returns[len("Steps[") : -1]
    signature.__annotations__ = annotations
    # A logic whose ``**options`` stand for keyword parameters declares the public signature
    # (``_report_options.takes``): kept, with the answer's type.
    declared = getattr(logic, "__signature__", None)
    if declared is not None:
        signature.__signature__ = declared.replace(return_annotation=annotations.get("return"))  # type: ignore[attr-defined]
    view.__wrapped__ = signature
    return function
