"""Threads and processes: sync calls release the GIL, threads share one client, and a forked
child (Celery prefork, gunicorn --preload) builds its own runtime and connections."""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .helpers import LoopWithoutReaders


def test_sync_calls_release_the_gil(client, sb):
    sb.set_faults([{"kind": "latency", "ms": 400, "route": "/transaction/totals"}])
    done = threading.Event()
    result = {}

    def slow_call() -> None:
        result["r"] = client.transaction.totals()
        done.set()

    thread = threading.Thread(target=slow_call)
    thread.start()
    spins = 0
    while not done.is_set():
        spins += 1  # pure Python work: it runs only while the other thread does not hold the GIL
    thread.join()
    assert result["r"].status
    assert spins > 10_000


def test_eight_threads_share_one_client(client, sb):
    def work(i: int) -> str:
        references = []
        for j in range(10):
            r = client.transaction.charge_authorization(
                "success@example.com", 100 + j, Sandbox.AUTH_SUCCESS, reference=f"t{i}-{j}"
            )
            references.append(client.transaction.verify(r.reference).data["reference"])
        return ",".join(references)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(8)))
    assert results == [",".join(f"t{i}-{j}" for j in range(10)) for i in range(8)]
    counts = sb.ledger()["counts"]
    assert len(counts) == 80
    assert all(c["successful_charges"] == 1 for c in counts.values())


def test_a_forked_child_makes_sync_and_async_calls(client, sb):
    # Use the client in the parent first, so the child inherits a live runtime and pool.
    parent_ref = client.transaction.charge_authorization("success@example.com", 100, Sandbox.AUTH_SUCCESS).reference
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            os.close(read)
            sync = client.transaction.verify(parent_ref).data["reference"]

            async def both() -> str:
                r = await client.transaction.charge_authorization_async(
                    "success@example.com", 200, Sandbox.AUTH_SUCCESS, reference="from-child"
                )
                return r.data["reference"]

            made = asyncio.run(both())
            os.write(write, f"{sync} {made}".encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    _, exit_status = os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        said = pipe.read()
    assert os.waitstatus_to_exitcode(exit_status) == 0
    assert said == f"{parent_ref} from-child"
    # The parent's client still works after the fork.
    assert client.transaction.verify("from-child").data["amount"] == 200


def test_global_classes_in_a_forked_child(sb, global_client):
    paystack_rs.Transaction.totals()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            ok = paystack_rs.Transaction.totals().status and asyncio.run(paystack_rs.Transaction.totals_async()).status
            code = 0 if ok else 1
        finally:
            os._exit(code)
    _, exit_status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(exit_status) == 0


def test_async_calls_run_concurrently_on_one_loop(client, sb):
    sb.set_faults([{"kind": "latency", "ms": 300, "route": "/transaction/totals"}])

    async def many() -> list[paystack_rs.Response]:
        return await asyncio.gather(*(client.transaction.totals_async() for _ in range(20)))

    loop = asyncio.new_event_loop()
    try:
        start = loop.time()
        answers = loop.run_until_complete(many())
        elapsed = loop.time() - start
    finally:
        loop.close()
    assert all(a.status for a in answers)
    # 20 calls of 300 ms each, one after another, would take 6 s.
    assert elapsed < 3.0


def test_loops_that_cannot_watch_sockets_use_the_fallback(client, sb):
    loop = LoopWithoutReaders()
    try:
        first = loop.run_until_complete(
            client.transaction.charge_authorization_async(
                "success@example.com", 100, Sandbox.AUTH_SUCCESS, reference="fallback-1"
            )
        )
        again = loop.run_until_complete(client.transaction.verify_async("fallback-1"))
        with pytest.raises(paystack_rs.InvalidRequestError):
            loop.run_until_complete(client.transaction.verify_async("missing"))
    finally:
        loop.close()
    assert first.data["status"] == "success"
    assert again.data["reference"] == "fallback-1"
