"""auto_paging_iter over HTTP against the sandbox, sync and async: every page of each list
endpoint (offset and cursor), the filters carried to every page, limit, concurrent prefetch in
order, consistency while transactions are created, retries, errors and cancellation mid-way."""

from __future__ import annotations

import asyncio
import datetime
import pickle
import threading
import time
from typing import Any

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, charge, invoke, wait_for_batch


def collect(mode: str, page: paystack_rs.ListResponse, **kwargs: Any) -> list[dict]:
    """Every item ``page.auto_paging_iter(**kwargs)`` yields, with ``for`` or ``async for``."""
    if mode == "sync":
        return list(page.auto_paging_iter(**kwargs))

    async def gather() -> list[dict]:
        return [item async for item in page.auto_paging_iter(**kwargs)]

    return asyncio.run(gather())


def first_and_all(mode: str, service: Any, name: str, *args: Any, iterate: dict | None = None, **kwargs: Any):
    """Calls the list method (sync or async) and iterates every page in the same mode and loop
    (``iterate``: the arguments of auto_paging_iter)."""
    iterate = iterate or {}
    if mode == "sync":
        first = getattr(service, name)(*args, **kwargs)
        return first, list(first.auto_paging_iter(**iterate))

    async def run():
        first = await getattr(service, f"{name}_async")(*args, **kwargs)
        return first, [item async for item in first.auto_paging_iter(**iterate)]

    return asyncio.run(run())


def make_transactions(client: paystack_rs.Paystack, n: int, start: int = 1000) -> list[str]:
    return [charge(client, amount=start + i).data["reference"] for i in range(n)]


def page_requests(sb: Sandbox, path: str = "/transaction") -> list[dict]:
    return [r for r in sb.requests(method="GET") if r["path"] == path]


def pages_asked(requests: list[dict]) -> list[str | None]:
    """The page numbers asked for, the first page (no page argument) first, the rest in order
    (pages after the first are fetched concurrently, so they arrive in any order)."""
    pages = [r["query_params"].get("page") for r in requests]
    return sorted(pages, key=lambda p: 0 if p is None else int(p))


@pytest.mark.parametrize("mode", MODES)
def test_every_transaction_once_newest_first_with_the_filters_on_every_page(mode, client, sb):
    references = make_transactions(client, 23)
    charge(client, amount=999, authorization=Sandbox.AUTH_DECLINED, email="declined@example.com")
    sb.clear_requests()
    first, items = first_and_all(mode, client.transaction, "list", per_page=5, status="success")
    assert first.meta["pageCount"] == 5
    assert [tx["reference"] for tx in items] == references[::-1]
    assert len({tx["id"] for tx in items}) == 23
    wire = page_requests(sb)
    assert pages_asked(wire) == [None, "2", "3", "4", "5"]
    assert wire[0]["query_params"].get("page") is None
    for request in wire:
        assert request["query_params"]["status"] == "success"
        assert request["query_params"]["perPage"] == "5"
    # Pages after the first are pinned to the first page's newest transaction.
    assert "to" not in wire[0]["query_params"]
    assert {r["query_params"]["to"] for r in wire[1:]} == {items[0]["createdAt"]}


@pytest.mark.parametrize("mode", MODES)
def test_a_later_first_page_and_the_callers_own_window_are_kept(mode, client, sb):
    make_transactions(client, 12)
    everything = client.transaction.list(per_page=50).data
    sb.clear_requests()
    to = everything[2]["createdAt"]
    _, items = first_and_all(mode, client.transaction, "list", per_page=3, page=2, to=to)
    # From page 2 of the window ending at the third newest: items 4.. of that window.
    window = [tx for tx in everything if tx["createdAt"] <= to]
    assert [tx["id"] for tx in items] == [tx["id"] for tx in window[3:]]
    wire = page_requests(sb)
    assert pages_asked(wire) == [str(p) for p in range(2, 2 + len(wire))]
    assert {r["query_params"]["to"] for r in wire} == {to}


@pytest.mark.parametrize("mode", MODES)
def test_cursor_pages_follow_next(mode, client, sb):
    references = make_transactions(client, 11)
    sb.clear_requests()
    first, items = first_and_all(mode, client.transaction, "list", per_page=4, use_cursor=True)
    assert "next" in first.meta
    assert [tx["reference"] for tx in items] == references[::-1]
    wire = page_requests(sb)
    assert len(wire) == 3
    assert [("next" in r["query_params"]) for r in wire] == [False, True, True]
    assert all(r["query_params"]["use_cursor"] == "true" for r in wire)
    assert wire[1]["query_params"]["next"] == first.meta["next"]


@pytest.mark.parametrize("mode", MODES)
def test_every_charge_of_a_batch_in_submission_order(mode, client, sb):
    items = [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 5000 + i, "reference": f"pg-{i}"} for i in range(17)]
    code = client.bulk_charge.initiate(items).data["batch_code"]
    wait_for_batch(client, code)
    sb.clear_requests()
    _, charges = first_and_all(mode, client.bulk_charge, "charges", code, status="success", per_page=4)
    assert [c["reference"] for c in charges] == [f"pg-{i}" for i in range(17)]
    wire = page_requests(sb, f"/bulkcharge/{code}/charges")
    assert pages_asked(wire) == [None, "2", "3", "4", "5"]
    # A batch's charges are oldest first: no window is pinned.
    for request in wire:
        query = {k: v for k, v in request["query_params"].items() if k != "page"}
        assert query == {"status": "success", "perPage": "4"}


@pytest.mark.parametrize("mode", MODES)
def test_every_batch_through_the_global_class(mode, global_client, client, sb):
    codes = [
        client.bulk_charge.initiate([{"authorization": Sandbox.AUTH_SUCCESS, "amount": 5000}]).data["batch_code"]
        for _ in range(7)
    ]
    first, batches = first_and_all(mode, paystack_rs.BulkCharge, "list", per_page=2)
    assert first.meta["pageCount"] == 4
    assert [b["batch_code"] for b in batches] == codes[::-1]


@pytest.mark.parametrize("mode", MODES)
def test_limit_caps_the_items_and_the_pages_fetched(mode, client, sb):
    make_transactions(client, 20)
    newest = [tx["id"] for tx in client.transaction.list(per_page=7).data]
    sb.clear_requests()
    _, items = first_and_all(mode, client.transaction, "list", per_page=5, iterate={"limit": 7})
    assert [tx["id"] for tx in items] == newest
    assert len(page_requests(sb)) == 2


def test_bad_limit_and_concurrency_name_the_field(client):
    charge(client)
    page = client.transaction.list()
    with pytest.raises(paystack_rs.ValidationError, match="limit"):
        page.auto_paging_iter(limit=0)
    with pytest.raises(paystack_rs.ValidationError, match="concurrency"):
        page.auto_paging_iter(concurrency=0)
    with pytest.raises(ValueError, match="concurrency"):
        page.auto_paging_iter(concurrency=True)


def test_a_page_without_its_call_yields_only_itself(client, sb):
    make_transactions(client, 6)
    page = client.transaction.list(per_page=2)
    copied = pickle.loads(pickle.dumps(page))
    sb.clear_requests()
    assert [tx["id"] for tx in copied.auto_paging_iter()] == [tx["id"] for tx in page.data]
    assert sb.requests() == []
    assert len(list(page.auto_paging_iter())) == 6


@pytest.mark.parametrize("mode", MODES)
def test_transactions_created_while_iterating_are_neither_repeated_nor_push_others_out(mode, client, sb):
    before = make_transactions(client, 30)
    sb.set_faults([{"kind": "latency", "ms": 40, "route": "/transaction", "method": "GET"}])
    sb.clear_requests()
    stop = threading.Event()
    created: list[str] = []
    writer_client = sb.client()

    def write() -> None:
        while not stop.is_set():
            created.append(charge(writer_client, amount=777).data["reference"])
            time.sleep(0.005)

    writer = threading.Thread(target=write)
    if mode == "sync":
        first = client.transaction.list(per_page=3)
        writer.start()
        try:
            items = list(first.auto_paging_iter(concurrency=2))
        finally:
            stop.set()
            writer.join()
    else:

        async def run() -> list[dict]:
            first = await client.transaction.list_async(per_page=3)
            writer.start()
            try:
                return [tx async for tx in first.auto_paging_iter(concurrency=2)]
            finally:
                stop.set()
                writer.join()

        items = asyncio.run(run())
    sb.clear_faults()
    references = [tx["reference"] for tx in items]
    assert len(references) == len(set(references)), "an item was yielded twice"
    assert references == before[::-1], "every transaction that existed at the start, once, in order"
    # The writes really happened between the page requests.
    log = sb.requests()
    pages = [r["seq"] for r in log if r["method"] == "GET" and r["path"] == "/transaction"]
    writes = [r["seq"] for r in log if r["method"] == "POST"]
    assert len(pages) == 10
    assert any(pages[0] < w < pages[-1] for w in writes)
    assert created


@pytest.mark.parametrize("mode", MODES)
def test_pages_past_the_first_page_count_are_read_when_more_arrive(mode, client, sb):
    # A window the caller left open at the top (to= in the future) grows after the first page:
    # the latest meta's pageCount is followed past the first's, and nothing is repeated.
    originals = {tx["id"] for tx in (charge(client, amount=1000 + i).data for i in range(6))}
    far = "2999-01-01T00:00:00.000Z"
    first = invoke(mode, client.transaction, "list", per_page=3, to=far)
    assert first.meta["pageCount"] == 2
    make_transactions(client, 4, start=3000)
    sb.clear_requests()
    seen = [tx["id"] for tx in collect(mode, first)]
    assert len(seen) == len(set(seen))
    assert set(seen) >= originals
    assert pages_asked(page_requests(sb)) == ["2", "3", "4"]


@pytest.mark.parametrize("mode", MODES)
def test_a_500_on_page_7_is_retried_and_nothing_is_lost(mode, client, sb):
    make_transactions(client, 30)
    newest_first = [tx["id"] for tx in client.transaction.list(per_page=30).data]
    sb.clear_requests()
    sb.set_faults([{"kind": "error", "status": 500, "route": "/transaction", "query": {"page": "7"}, "count": 1}])
    # The pages after the first are fetched 8 at a time: page 7 fails once among them and is retried.
    _, items = first_and_all(mode, client.transaction, "list", per_page=3)
    sb.clear_faults()
    assert [tx["id"] for tx in items] == newest_first
    wire = page_requests(sb)
    assert [r["fault"] for r in wire if r["query_params"].get("page") == "7"] == ["error:500", None]
    assert pages_asked(wire) == [None, *map(str, range(2, 8)), "7", "8", "9", "10"]


@pytest.mark.parametrize("mode", MODES)
def test_a_500_that_outlasts_the_retries_is_raised_after_the_pages_before_it(mode, client, sb):
    make_transactions(client, 12)
    first = client.transaction.list(per_page=3, max_retries=0)
    sb.set_faults([{"kind": "error", "status": 500, "route": "/transaction", "method": "GET"}])
    got: list[dict] = []

    def iterate() -> None:
        if mode == "sync":
            got.extend(first.auto_paging_iter())
            return

        async def run() -> None:
            async for tx in first.auto_paging_iter():
                got.append(tx)

        asyncio.run(run())

    with pytest.raises(paystack_rs.ServerError) as caught:
        iterate()
    assert caught.value.status_code == 500
    assert got == first.data
    sb.clear_faults()


@pytest.mark.parametrize("mode", MODES)
def test_a_401_mid_iteration_is_raised_and_fetching_stops(mode, client, sb):
    make_transactions(client, 30)
    sb.clear_requests()
    sb.set_faults([{"kind": "error", "status": 401, "route": "/transaction", "method": "GET", "after": 3}])
    got: list[dict] = []

    def iterate() -> None:
        if mode == "sync":
            first = client.transaction.list(per_page=3)
            for tx in first.auto_paging_iter(concurrency=2):
                got.append(tx)
            return

        async def run() -> None:
            first = await client.transaction.list_async(per_page=3)
            async for tx in first.auto_paging_iter(concurrency=2):
                got.append(tx)

        asyncio.run(run())

    with pytest.raises(paystack_rs.AuthenticationError, match="Invalid key") as caught:
        iterate()
    assert caught.value.status_code == 401
    assert 3 <= len(got) < 30
    assert len({tx["id"] for tx in got}) == len(got)
    sent = len(page_requests(sb))
    time.sleep(0.3)
    assert len(page_requests(sb)) == sent, "pages were still fetched after the error"
    sb.clear_faults()


@pytest.mark.parametrize("mode", MODES)
def test_pages_are_fetched_concurrently_and_yielded_in_order(mode, client, sb):
    make_transactions(client, 27)
    first = client.transaction.list(per_page=3)
    sb.set_faults([{"kind": "latency", "ms": 1000, "route": "/transaction", "method": "GET"}])
    sb.clear_requests()
    items = collect(mode, first, concurrency=8)
    sb.clear_faults()
    assert [tx["id"] for tx in items] == [tx["id"] for tx in client.transaction.list(per_page=27).data]
    arrivals = [datetime.datetime.fromisoformat(r["at"].replace("Z", "+00:00")) for r in page_requests(sb)][:8]
    assert len(arrivals) == 8
    # Pages 2..9 were all asked for within one page's latency of each other: at once, not in turn.
    assert max(arrivals) - min(arrivals) < datetime.timedelta(seconds=1)


def test_a_cancelled_async_iteration_stops_fetching(client, sb):
    make_transactions(client, 60)
    first = client.transaction.list(per_page=3)
    sb.set_faults([{"kind": "latency", "ms": 300, "route": "/transaction", "method": "GET"}])
    sb.clear_requests()
    got: list[dict] = []

    async def run() -> None:
        async def consume() -> None:
            async for tx in first.auto_paging_iter(concurrency=4):
                got.append(tx)

        task = asyncio.create_task(consume())
        while len(got) < 6:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(1.0)

    asyncio.run(run())
    sent = len(page_requests(sb))
    time.sleep(0.8)
    assert len(page_requests(sb)) == sent, "pages were still fetched after the cancellation"
    assert sent < 19, f"{sent} of 19 pages fetched"
    sb.clear_faults()


def test_breaking_out_of_a_loop_stops_fetching(client, sb):
    make_transactions(client, 60)
    first = client.transaction.list(per_page=3)
    sb.set_faults([{"kind": "latency", "ms": 200, "route": "/transaction", "method": "GET"}])
    sb.clear_requests()
    with first.auto_paging_iter(concurrency=4) as pages:
        for i, _ in enumerate(pages):
            if i == 7:
                break
    # Requests already on their way when the loop was left may still arrive; none start after.
    time.sleep(0.3)
    sent = len(page_requests(sb))
    time.sleep(0.6)
    assert len(page_requests(sb)) == sent
    assert sent < 19
    sb.clear_faults()


@pytest.mark.parametrize("mode", MODES)
def test_next_and_anext_step_through_items(mode, client):
    make_transactions(client, 5)
    if mode == "sync":
        pages = client.transaction.list(per_page=2).auto_paging_iter()
        assert [next(pages)["id"] for _ in range(3)] == [tx["id"] for tx in client.transaction.list(per_page=3).data]
    else:

        async def run() -> list[int]:
            first = await client.transaction.list_async(per_page=2)
            pages = first.auto_paging_iter()
            return [(await pages.__anext__())["id"] for _ in range(3)]

        assert asyncio.run(run()) == [tx["id"] for tx in client.transaction.list(per_page=3).data]


def test_a_list_answer_renders_as_a_table_in_jupyter(client):
    make_transactions(client, 3)
    html = client.transaction.list(per_page=2)._repr_html_()
    assert html.count("<tr>") == 3  # the header and two items
    assert "<th" in html
    assert "reference" in html
    assert "success@example.com" in html
    assert "pageCount=2" in html


@pytest.mark.parametrize("mode", MODES)
def test_concurrent_pages_keep_under_the_clients_rate_limit(mode, sb):
    # The sandbox allows 5 requests per 600 ms and refuses the rest; the client knows the quota,
    # so its 8-wide prefetch waits its turn instead of being refused (max_retries=0: a 429 would raise).
    make_transactions(sb.client(), 36)
    client = sb.client(rate_limit=(5, 0.6), max_retries=0)
    sb.set_faults([{"kind": "rate_limit", "limit": 5, "window_ms": 600}])
    sb.clear_requests()
    _, items = first_and_all(mode, client.transaction, "list", per_page=3, iterate={"concurrency": 8})
    sb.clear_faults()
    assert len({tx["id"] for tx in items}) == 36
    assert [r["fault"] for r in page_requests(sb)] == [None] * 12
