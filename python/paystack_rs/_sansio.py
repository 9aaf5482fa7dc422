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
convention every sync/async pair of the package follows. Closing a driver (leaving a loop, a
cancelled task, an exception) closes the generator, so its ``finally`` blocks run either way.
"""

from __future__ import annotations

import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Generator, Iterable, Iterator
    from typing import Any, TypeVar

    T = TypeVar("T")
    #: The logic of a pair: yields steps, receives their results, returns the answer.
    Steps = Generator["Call | Sleep", Any, T]
    #: The logic of an iteration: also yields items to hand over.
    ItemSteps = Generator["Call | Sleep | Items", Any, None]

__all__ = ["Call", "Items", "Sleep", "iterate", "iterate_async", "run", "run_async"]


class Call:
    """A step: call ``target.method(*args, **kwargs)`` (the async driver awaits ``method_async``)."""

    __slots__ = ("args", "kwargs", "method", "target")

    def __init__(self, target: Any, method: str, *args: Any, **kwargs: Any) -> None:
        self.target, self.method, self.args, self.kwargs = target, method, args, kwargs

    def __repr__(self) -> str:
        return f"Call({type(self.target).__name__}.{self.method})"


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


async def _perform_async(step: Call | Sleep) -> Any:
    if isinstance(step, Sleep):
        import asyncio

        await asyncio.sleep(step.seconds)
        return None
    return await getattr(step.target, f"{step.method}_async")(*step.args, **step.kwargs)


def run(steps: Steps[T]) -> T:
    """Drives ``steps`` with blocking calls; returns what the logic returns."""
    try:
        step = next(steps)
        while True:
            step = steps.send(_perform(step))
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
            step = steps.send(await _perform_async(step))
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
                step = steps.send(_perform(step))
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
                step = steps.send(await _perform_async(step))
    except StopIteration:
        return
    finally:
        steps.close()
