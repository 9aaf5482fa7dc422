"""The timing loops. Each calls one adapter method until the duration is up (and at least
``min_calls`` times), checks every answer, and returns (calls, seconds).

An answer that is not the expected success raises ``NotSuccess``: a benchmark of failing calls
measures nothing.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

Call = Callable[..., Any]
AsyncCall = Callable[..., Awaitable[Any]]


class NotSuccess(Exception):
    """An answer other than the expected success."""


def _mismatch(got: Any, want: Any) -> NotSuccess:
    return NotSuccess(f"expected {want!r}, got {got!r}")


def run_sequential(
    call: Call, args: tuple[Any, ...], want: Any, duration: float, min_calls: int = 3
) -> tuple[int, float]:
    calls = 0
    clock = time.perf_counter
    start = clock()
    deadline = start + duration
    while True:
        got = call(*args)
        if got != want:
            raise _mismatch(got, want)
        calls += 1
        now = clock()
        if now >= deadline and calls >= min_calls:
            return calls, now - start


def run_threads(
    call: Call, args: tuple[Any, ...], want: Any, duration: float, threads: int, min_calls: int = 3
) -> tuple[int, float]:
    """``threads`` threads share the one adapter (one client, as an app's request handlers would)."""
    counts = [0] * threads
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads + 1)
    clock = time.perf_counter
    deadline = [0.0]

    def worker(slot: int) -> None:
        barrier.wait()
        done = 0
        try:
            while True:
                got = call(*args)
                if got != want:
                    raise _mismatch(got, want)
                done += 1
                if clock() >= deadline[0] and done >= min_calls:
                    break
        except BaseException as exc:
            errors.append(exc)
        counts[slot] = done

    pool = [threading.Thread(target=worker, args=(i,), name=f"paybench-{i}") for i in range(threads)]
    for t in pool:
        t.start()
    start = clock()
    deadline[0] = start + duration
    barrier.wait()
    for t in pool:
        t.join()
    elapsed = clock() - start
    if errors:
        raise errors[0]
    return sum(counts), elapsed


async def run_async(
    call: AsyncCall, args: tuple[Any, ...], want: Any, duration: float, concurrency: int, min_calls: int = 1
) -> tuple[int, float]:
    """``concurrency`` tasks on the running loop, each awaiting one call at a time."""
    clock = time.perf_counter
    start = clock()
    deadline = start + duration

    async def task() -> int:
        done = 0
        while True:
            got = await call(*args)
            if got != want:
                raise _mismatch(got, want)
            done += 1
            if clock() >= deadline and done >= min_calls:
                return done

    counts = await asyncio.gather(*(task() for _ in range(concurrency)))
    return sum(counts), clock() - start
