"""Cancel means stop: a cancelled async call (asyncio.wait_for, Task.cancel, asyncio.run's clean-up)
sends nothing after the cancel, and neither does a call whose loop was closed without cancelling
it. Measured with the sandbox's request log (timestamps and counts) and ledger."""

from __future__ import annotations

import asyncio
import datetime
import logging
import time

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .helpers import LoopWithoutReaders

CHARGE = "/transaction/charge_authorization"


def arrived_at(request: dict) -> float:
    return datetime.datetime.fromisoformat(request["at"].replace("Z", "+00:00")).timestamp()


async def charge_and_cancel(client: paystack_rs.Paystack, reference: str, after: float) -> float:
    """The charge (retried for long), cancelled by wait_for after `after` seconds; returns when the
    cancel was done."""
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(
            client.transaction.charge_authorization_async(
                "success@example.com", 5000, Sandbox.AUTH_SUCCESS, reference=reference, max_retries=50, timeout=30
            ),
            after,
        )
    return time.time()


async def warm(client: paystack_rs.Paystack, connections: int) -> None:
    """Opens `connections` pooled connections, so the calls under test send at once."""
    await asyncio.gather(*(client.transaction.totals_async() for _ in range(connections)))


def nothing_more_is_sent(sb: Sandbox, cancelled_at: float, quiet: float) -> int:
    """Every request arrived before the last cancel, and none comes during `quiet` seconds after."""
    before = sb.requests()
    assert all(arrived_at(r) <= cancelled_at + 0.002 for r in before), "a request arrived after the cancel"
    time.sleep(quiet)
    after = sb.requests()
    assert len(after) == len(before), f"{len(after) - len(before)} requests were sent after the cancel"
    return len(after) - len(before)


def test_a_hundred_charges_cancelled_in_their_backoff_send_nothing_more(client, sb, caplog):
    caplog.set_level(logging.WARNING, logger="paystack_rs")

    async def all_of_them() -> list[float]:
        await warm(client, 100)
        sb.clear_requests()
        sb.set_faults([{"kind": "error", "status": 503, "route": CHARGE}])
        return list(await asyncio.gather(*(charge_and_cancel(client, f"cb-{i}", 0.1) for i in range(100))))

    cancelled_at = max(asyncio.run(all_of_them()))
    assert nothing_more_is_sent(sb, cancelled_at, quiet=1.5) == 0
    requests = sb.requests()
    charges = [r for r in requests if r["method"] == "POST"]
    assert len(charges) >= 90  # nearly every call met its 503 before the cancel
    assert all(r["fault"] == "error:503" for r in charges)
    assert sb.ledger(operation="transaction.charge_authorization")["entries"] == []
    # A 5xx may have been processed: each cancelled call that sent says so, by its reference.
    warnings = [r.getMessage() for r in caplog.records if r.name == "paystack_rs.recovery"]
    assert len(warnings) == len({r["body"]["reference"] for r in charges})
    assert sum("could be verified" in w for w in warnings) >= 80  # most were in their backoff


def test_charges_cancelled_during_a_slow_answer_abandon_it(client, sb, caplog):
    caplog.set_level(logging.WARNING, logger="paystack_rs")

    async def all_of_them() -> list[float]:
        await warm(client, 20)
        sb.clear_requests()
        sb.set_faults([{"kind": "latency", "ms": 1000, "route": CHARGE}])
        return list(await asyncio.gather(*(charge_and_cancel(client, f"cs-{i}", 0.2) for i in range(20))))

    cancelled_at = max(asyncio.run(all_of_them()))
    assert nothing_more_is_sent(sb, cancelled_at, quiet=1.5) == 0
    on_the_wire = len(sb.requests())
    assert on_the_wire == 20
    # At most the charges whose request was on the wire before the cancel.
    charged = sb.ledger(operation="transaction.charge_authorization")["entries"]
    assert len(charged) <= on_the_wire
    warnings = sorted(r.getMessage() for r in caplog.records if r.name == "paystack_rs.recovery")
    assert len(warnings) == 20
    assert warnings[0] == (
        "transaction.charge_authorization cancelled while its request was on the wire: reference cs-0 "
        "(authorization …s001) may have been charged; verify it before charging again"
    )


def test_task_cancel_stops_a_call_at_once(client, sb):
    sb.set_faults([{"kind": "error", "status": 503, "route": "/transaction/totals"}])

    async def cancel_one() -> float:
        task = asyncio.ensure_future(client.transaction.totals_async(max_retries=50, timeout=30))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.time()

    cancelled_at = asyncio.run(cancel_one())
    assert nothing_more_is_sent(sb, cancelled_at, quiet=1.0) == 0
    sb.clear_faults()
    assert client.transaction.totals().status  # the client still works


def test_a_loop_closed_without_cancelling_stops_its_calls(client, sb):
    # Every charge fails with 503 and would be retried for seconds: closing the loop stops them.
    sb.set_faults([{"kind": "error", "status": 503, "route": CHARGE}])
    event_loop = asyncio.new_event_loop()
    tasks = [
        event_loop.create_task(
            client.transaction.charge_authorization_async(
                "success@example.com", 100, Sandbox.AUTH_SUCCESS, reference=f"lc-{i}", max_retries=50, timeout=30
            )
        )
        for i in range(20)
    ]
    event_loop.run_until_complete(asyncio.sleep(0.2))
    event_loop.close()  # the tasks are still pending: nothing cancels them
    closed_at = time.time()
    time.sleep(0.2)  # the loop's watch notices within 0.1 s
    settled = len(sb.requests())
    time.sleep(1.5)
    assert len(sb.requests()) == settled, "calls of a closed loop kept sending"
    late = [r for r in sb.requests() if arrived_at(r) > closed_at + 0.15]
    assert late == []
    assert all(not t.done() for t in tasks)


def test_the_fallback_path_answers_and_cancels_the_same(client, sb):
    event_loop = LoopWithoutReaders()
    try:
        answer = event_loop.run_until_complete(client.transaction.totals_async())
        assert answer.status
        with pytest.raises(paystack_rs.NotFoundError):
            event_loop.run_until_complete(client.transaction.fetch_async(999999999))

        async def all_of_them() -> list[float]:
            await warm(client, 10)
            sb.clear_requests()
            sb.set_faults([{"kind": "error", "status": 503, "route": CHARGE}])
            return list(await asyncio.gather(*(charge_and_cancel(client, f"fb-{i}", 0.1) for i in range(10))))

        cancelled_at = max(event_loop.run_until_complete(all_of_them()))
    finally:
        event_loop.close()
    assert nothing_more_is_sent(sb, cancelled_at, quiet=1.5) == 0
    assert sb.ledger(operation="transaction.charge_authorization")["entries"] == []
