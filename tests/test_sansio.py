"""The sync/async pattern (``_sansio``): one generator of steps, two drivers that agree; leaving
early or failing closes the logic, so its ``finally`` runs under either driver."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from paystack_rs._sansio import Call, Items, Sleep, iterate, iterate_async, run, run_async


class Source:
    """A blocking method and its awaitable twin, recording what each driver called."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def page(self, n: int) -> list[int] | None:
        self.calls.append(f"page({n})")
        return None if n > 2 else [n * 10, n * 10 + 1]

    async def page_async(self, n: int) -> list[int] | None:
        self.calls.append(f"page_async({n})")
        return None if n > 2 else [n * 10, n * 10 + 1]


def _total(source: Source, closed: list[str]) -> Any:
    try:
        total = 0
        n = 1
        while (items := (yield Call(source, "page", n))) is not None:
            total += sum(items)
            yield Sleep(0)
            n += 1
        return total
    finally:
        closed.append("closed")


def _walk(source: Source, closed: list[str]) -> Any:
    try:
        n = 1
        while (items := (yield Call(source, "page", n))) is not None:
            yield Items(items)
            n += 1
    finally:
        closed.append("closed")


def test_both_drivers_run_the_same_logic():
    sync, async_, closed = Source(), Source(), []
    assert run(_total(sync, closed)) == 10 + 11 + 20 + 21
    assert asyncio.run(run_async(_total(async_, closed))) == 62
    assert sync.calls == ["page(1)", "page(2)", "page(3)"]
    assert async_.calls == ["page_async(1)", "page_async(2)", "page_async(3)"]
    assert closed == ["closed", "closed"]


def test_both_iteration_drivers_yield_the_same_items_and_close_when_left():
    closed: list[str] = []
    assert list(iterate(_walk(Source(), closed))) == [10, 11, 20, 21]

    async def first_three() -> list[int]:
        got = []
        items = iterate_async(_walk(Source(), closed))
        async for item in items:
            got.append(item)
            if len(got) == 3:
                break
        await items.aclose()  # type: ignore[attr-defined]
        return got

    assert asyncio.run(first_three()) == [10, 11, 20]
    items = iterate(_walk(Source(), closed))
    assert next(items) == 10
    items.close()  # type: ignore[attr-defined]
    assert closed == ["closed"] * 3


def test_a_failing_step_closes_the_logic():
    class Broken(Source):
        def page(self, n: int) -> list[int] | None:
            raise ConnectionError("down")

    closed: list[str] = []
    with pytest.raises(ConnectionError):
        run(_total(Broken(), closed))
    assert closed == ["closed"]
