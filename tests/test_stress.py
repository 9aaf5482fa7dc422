"""Stress: many threads on one client, fork-started worker pools and plain forked children, and
one async client across successive event loops; all without an error or a hang."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

pytestmark = pytest.mark.timeout(300)


def test_sixteen_threads_times_five_hundred_calls_on_one_client(client, sb):
    references = [
        client.transaction.charge_authorization(
            "success@example.com", 100 + i, Sandbox.AUTH_SUCCESS, reference=f"st-{i}"
        ).reference
        for i in range(16)
    ]

    def worker(i: int) -> int:
        ok = 0
        for j in range(500):
            if j % 2:
                ok += client.transaction.verify(references[i]).data["reference"] == references[i]
            else:
                ok += client.bulk_charge.list(per_page=1).status
        return ok

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(worker, range(16)))
    assert results == [500] * 16
    assert len(sb.requests()) >= 16 * 500  # (the request log keeps the last 10 000)


def _pool_work(args: tuple[str, str, int]) -> str:
    base_url, key, i = args
    client = CLIENT if CLIENT is not None else paystack_rs.Paystack(key, base_url=base_url)
    sync = client.transaction.charge_authorization(
        "success@example.com", 100, Sandbox.AUTH_SUCCESS, reference=f"mp-{i}"
    ).data["reference"]

    async def verify() -> str:
        return (await client.transaction.verify_async(sync)).data["status"]

    return f"{sync}:{asyncio.run(verify())}:{os.getpid()}"


CLIENT: paystack_rs.Paystack | None = None


def test_multiprocessing_with_the_fork_start_method(sb):
    global CLIENT  # noqa: PLW0603 - the pool's children inherit this client through fork
    CLIENT = sb.client()
    assert CLIENT.transaction.totals().status  # the parent's runtime and pool are live before the fork
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(4) as pool:
            results = pool.map(_pool_work, [(sb.base_url, sb.secret_key, i) for i in range(40)], chunksize=2)
    finally:
        CLIENT = None
    assert sorted(r.rsplit(":", 1)[0] for r in results) == sorted(f"mp-{i}:success" for i in range(40))
    assert len({r.rsplit(":", 1)[1] for r in results}) > 1  # really several processes
    assert sb.client().transaction.totals().data["total_transactions"] == 40


def test_plain_forked_children(client, sb):
    client.transaction.totals()
    children = []
    for i in range(6):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                r = client.transaction.charge_authorization(
                    "success@example.com", 100, Sandbox.AUTH_SUCCESS, reference=f"fork-{i}"
                )
                v = asyncio.run(client.transaction.verify_async(r.reference))
                code = 0 if v.data["status"] == "success" else 2
            finally:
                os._exit(code)
        children.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
    assert codes == [0] * 6
    assert client.transaction.totals().data["total_transactions"] == 6


def test_one_async_client_across_successive_event_loops(client):
    async def burst(tag: str) -> list[str]:
        answers = await asyncio.gather(
            *(
                client.transaction.charge_authorization_async(
                    "success@example.com", 100, Sandbox.AUTH_SUCCESS, reference=f"{tag}-{i}"
                )
                for i in range(50)
            )
        )
        return [a.data["status"] for a in answers]

    assert asyncio.run(burst("loop1")) == ["success"] * 50
    assert asyncio.run(burst("loop2")) == ["success"] * 50
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(burst("loop3")) == ["success"] * 50
    finally:
        loop.close()


def test_cancelling_an_async_call_does_not_break_the_client(client, sb):
    sb.set_faults([{"kind": "latency", "ms": 2000, "route": "/transaction/totals"}])

    async def cancel_one() -> None:
        task = asyncio.ensure_future(client.transaction.totals_async())
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancel_one())
    sb.clear_faults()
    assert client.transaction.totals().status
    assert asyncio.run(client.transaction.totals_async()).status
