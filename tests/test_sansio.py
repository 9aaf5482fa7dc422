"""The sync/async pattern (``_sansio``): one generator of steps, two drivers that agree; leaving
early or failing closes the logic, so its ``finally`` runs under either driver."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from paystack_rs._sansio import Call, Items, Sleep, awaitable, blocking, iterate, iterate_async, run, run_async


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


def _summed(source: Source, *, first: int = 1, closed: list[str] | None = None) -> Any:
    """Sums pages from ``first`` on."""
    n, total = first, 0
    while (items := (yield Call(source, "page", n))) is not None:
        total += sum(items)
        n += 1
    return total


def test_a_pair_made_from_its_logic_has_its_signature_and_names():
    summed, summed_async = blocking(_summed), awaitable(_summed)
    assert summed(Source(), first=2) == 41
    source = Source()
    assert asyncio.run(summed_async(source, first=2)) == 41
    assert source.calls == ["page_async(2)", "page_async(3)"]
    assert (summed.__name__, summed_async.__name__) == ("summed", "summed_async")
    assert summed.__doc__ == "Sums pages from ``first`` on."
    assert summed_async.__doc__ == "Awaitable twin of :func:`summed`."
    assert inspect.iscoroutinefunction(summed_async)
    assert not inspect.iscoroutinefunction(summed)
    # The logic's parameters, and the answer's type rather than the generator's.
    expected = "(source: 'Source', *, first: 'int' = 1, closed: 'list[str] | None' = None) -> 'Any'"
    assert str(inspect.signature(summed)) == str(inspect.signature(summed_async)) == expected


def test_the_public_pairs_are_made_from_one_logic_with_the_signatures_users_see():
    from paystack_rs import BulkChargeService, TransactionService, reconcile

    pairs = [
        # The generated methods: each endpoint's logic written once, made into both.
        (TransactionService.verify, TransactionService.verify_async),
        (TransactionService.list, TransactionService.list_async),
        (BulkChargeService.initiate, BulkChargeService.initiate_async),
        (reconcile.batch, reconcile.batch_async),
        (reconcile.batches, reconcile.batches_async),
        (reconcile.transactions, reconcile.transactions_async),
        (reconcile.payouts, reconcile.payouts_async),
        (reconcile.settlement, reconcile.settlement_async),
        (BulkChargeService.wait, BulkChargeService.wait_async),
    ]
    for sync, async_ in pairs:
        assert async_.__name__ == f"{sync.__name__}_async"
        assert inspect.iscoroutinefunction(async_)
        assert not inspect.iscoroutinefunction(sync)
        assert inspect.signature(sync) == inspect.signature(async_)
        assert "Steps" not in str(inspect.signature(sync))
    assert BulkChargeService.wait.__qualname__ == "BatchWaiting.wait"
    assert str(inspect.signature(BulkChargeService.wait)) == (
        "(self, code: 'str | int', timeout: 'float | None' = None, poll_interval: 'float' = 2.0, "
        "progress: 'ProgressArg' = False) -> 'Response[Batch]'"
    )
    assert str(inspect.signature(reconcile.batches)).endswith("-> 'Report'")
    assert TransactionService.verify.__qualname__ == "TransactionService.verify"
    assert str(inspect.signature(TransactionService.verify)) == (
        "(self, reference: 'str | int', *, timeout: 'float | Timeouts | None' = None, "
        "max_retries: 'int | None' = None) -> 'Response[Transaction]'"
    )
    assert TransactionService.verify.__doc__.startswith("Verify a transaction by reference.")
    assert TransactionService.verify_async.__doc__.startswith("Awaitable twin of :meth:`verify`: ")


class Store:
    """Another library's naming (Django's cache): ``add`` and its awaitable twin ``aadd``."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def add(self, key: str) -> bool:
        self.calls.append(f"add({key})")
        return True

    async def aadd(self, key: str) -> bool:
        self.calls.append(f"aadd({key})")
        return True

    def delete(self, key: str) -> None:
        self.calls.append(f"delete({key})")

    async def adelete(self, key: str) -> None:
        self.calls.append(f"adelete({key})")


def _marked(store: Store, source: Source) -> Any:
    added = yield Call(store, "add", "k").with_twin("aadd")
    return added, (yield Call(source, "page", 1))  # a step without a twin's name: ``page_async``


def test_a_call_names_its_twin_when_it_is_not_method_async():
    sync_store, async_store, sync_source, async_source = Store(), Store(), Source(), Source()
    assert run(_marked(sync_store, sync_source)) == (True, [10, 11])
    assert asyncio.run(run_async(_marked(async_store, async_source))) == (True, [10, 11])
    assert (sync_store.calls, sync_source.calls) == (["add(k)"], ["page(1)"])
    assert (async_store.calls, async_source.calls) == (["aadd(k)"], ["page_async(1)"])
    assert repr(Call(sync_store, "add", "k").with_twin("aadd")) == "Call(Store.add / aadd)"
    assert repr(Call(sync_source, "page", 1)) == "Call(Source.page)"


def _cleaned(store: Store, source: Source, caught: list[str]) -> Any:
    """A step's failure raised at its yield: caught there, and a ``finally`` that yields a step."""
    try:
        try:
            yield Call(source, "page", 1)
        except ConnectionError as error:
            caught.append(str(error))
        yield Call(source, "page", 2)
        return "done"
    finally:
        yield Call(store, "delete", "k").with_twin("adelete")


class Failing(Source):
    """Page 1 fails; page 2 hangs under the async driver (until its task is cancelled)."""

    def page(self, n: int) -> list[int] | None:
        self.calls.append(f"page({n})")
        if n == 1:
            raise ConnectionError("down")
        raise KeyError(n)

    async def page_async(self, n: int) -> list[int] | None:
        self.calls.append(f"page_async({n})")
        if n == 1:
            raise ConnectionError("down")
        await asyncio.Event().wait()
        return None


def test_a_failing_step_raises_in_the_logic_whose_finally_may_still_yield_steps():
    store, caught = Store(), []
    with pytest.raises(KeyError):
        run(_cleaned(store, Failing(), caught))
    assert caught == ["down"]
    assert store.calls == ["delete(k)"]  # after the failure, before it reached the caller

    async def cancelled() -> list[str]:
        store, source = Store(), Failing()
        task = asyncio.ensure_future(run_async(_cleaned(store, source, caught)))
        while source.calls != ["page_async(1)", "page_async(2)"]:
            await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return store.calls

    assert asyncio.run(cancelled()) == ["adelete(k)"]  # awaited by the cancelled task's logic
    assert caught == ["down", "down"]


def test_the_reports_shared_options_are_keyword_parameters_to_users():
    """The reports take their shared options as ``**options`` (``_report_options``), yet show and
    check them as keyword parameters: the signature lists each with its default, and an unknown
    one is Python's own TypeError, before anything is sent (sync and async)."""
    from paystack_rs import reconcile

    batch = inspect.signature(reconcile.batch).parameters
    assert list(batch) == ["code", "client", "progress", "per_page", "concurrency", "expected"]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for name, p in batch.items() if name != "code")
    assert (batch["per_page"].default, batch["concurrency"].default, batch["progress"].default) == (100, 8, False)
    payouts = inspect.signature(reconcile.payouts_async).parameters
    assert list(payouts)[-2:] == ["timeout", "max_retries"]
    assert payouts["client"].annotation == "Paystack | None"
    with pytest.raises(TypeError, match=r"^batch\(\) got an unexpected keyword argument 'conncurency'$"):
        reconcile.batch("BCH_x", conncurency=4)
    with pytest.raises(TypeError, match=r"^settlement\(\) got an unexpected keyword argument 'expected'$"):
        asyncio.run(reconcile.settlement_async(1, expected=[]))
