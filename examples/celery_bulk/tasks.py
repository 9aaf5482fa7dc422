"""Charging a CSV of authorizations across Celery workers, every process sharing one Paystack quota
through Redis (the broker it already has).

    REDIS_URL=redis://127.0.0.1:6379/0 PAYSTACK_SECRET_KEY=sk_test_... \
        celery -A tasks worker --pool=prefork --concurrency=4        # in this folder, on any machine

    from tasks import charge_file
    result = charge_file("charges.csv")      # a charge file: authorization, amount[, metadata.email]
    result.get()                             # the reconciliation: charged, failed, missing

The producer plans the run as ``paystack-rs bulk-charge`` does (``paystack_rs.charge_file.plan``:
the core's row identity, docs/cli.md), so the command and the workers share one rule: a file run
again, sorted, grown or copied, sends only its new rows, each under its reference (its card's next
slot of the run). The new rows are cut into batches of at most 1000 (Paystack's batch limit), one
task each, carrying their references: a task that is redelivered (its worker died) or retried
sends the same references; it first looks the batch up by its first reference
(``charge_file.batch_of``) and, found, does not send it again; and Paystack refuses a reference it
already has, so a row is never charged twice. ``task_acks_late`` with
``task_reject_on_worker_lost`` puts the task of a killed worker back on the queue.

Every worker process (prefork children included: the client is fork-safe) keeps under one quota:
``RedisRateLimit(REDIS_URL, quota=PAYSTACK_QUOTA)`` (default ``paystack-live``; ``"100/1"`` is 100
requests a second). When every batch has been answered, ``reconcile_file`` waits for Paystack to
process them and reconciles the run against its rows (``paystack_rs.reconcile.batches``).
"""

from __future__ import annotations

import functools
import os
from typing import Any

from celery import Celery, chord

import paystack_rs
from paystack_rs import charge_file as charge_files

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
#: Paystack's largest batch (docs/paystack-api.md); ``CELERY_BULK_BATCH_SIZE`` makes them smaller.
BATCH_SIZE = min(int(os.environ.get("CELERY_BULK_BATCH_SIZE", "1000")), 1000)
#: Seconds before a task that met a network failure or a 5xx tries again (``CELERY_BULK_RETRY_COUNTDOWN``).
RETRY_COUNTDOWN = float(os.environ.get("CELERY_BULK_RETRY_COUNTDOWN", "5"))

app = Celery("celery_bulk", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_acks_late=True,  # a task is acknowledged when it has finished, not when it starts ...
    task_reject_on_worker_lost=True,  # ... and goes back on the queue if its worker dies
    worker_prefetch_multiplier=1,  # a worker holds one task at a time: the others stay for the rest
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
)


def quota() -> str | tuple[int, float]:
    """``PAYSTACK_QUOTA``: a preset name or ``"requests/seconds"``."""
    given = os.environ.get("PAYSTACK_QUOTA", "paystack-live")
    if "/" in given:
        requests, seconds = given.split("/", 1)
        return int(requests), float(seconds)
    return given


@functools.cache
def client() -> paystack_rs.Paystack:
    """This process's client (PAYSTACK_SECRET_KEY, PAYSTACK_BASE_URL), its quota shared through Redis."""
    return paystack_rs.Paystack(rate_limit=paystack_rs.RedisRateLimit(REDIS_URL, quota=quota()), timeout=120)


@app.task(bind=True, max_retries=5)
def charge_rows(self: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Charges ``items`` (with their references) as one batch, unless this batch was already created."""
    expected = [{"reference": i["reference"], "amount": i["amount"]} for i in items]
    paystack = client()
    try:
        existing = charge_files.batch_of(paystack, items[0]["reference"])
        if existing is not None:  # an earlier delivery of this task created it
            return {"batch_code": existing, "sent": False, "expected": expected}
        try:
            answer = paystack.bulk_charge.initiate(items)
        except paystack_rs.InvalidRequestError as exc:
            if exc.code != "duplicate_reference":
                raise
            # Another delivery created the batch between our look-up and this initiate.
            existing = charge_files.batch_of(paystack, items[0]["reference"])
            if existing is None:
                raise
            return {"batch_code": existing, "sent": False, "expected": expected}
    except (paystack_rs.APIConnectionError, paystack_rs.ServerError, paystack_rs.Timeout) as exc:
        # The look-up or the initiate failed on the way. The client has already found out whether
        # the batch was created (it looks before it sends again); if it could not tell, the
        # reference look-up above settles it on the next try.
        raise self.retry(exc=exc, countdown=RETRY_COUNTDOWN) from exc
    return {"batch_code": answer.data["batch_code"], "sent": True, "expected": expected}


@app.task
def reconcile_file(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Waits for every batch to be processed, then reconciles the run as one: every row of the
    file against every batch (one report, its fees read in one listing)."""
    paystack = client()
    for result in results:
        paystack.bulk_charge.wait(result["batch_code"], poll_interval=0.5)
    expected = [row for result in results for row in result["expected"]]
    codes = [result["batch_code"] for result in results]
    report = paystack_rs.reconcile.batches(codes, client=paystack, expected=expected)
    sent = sum(1 for result in results if result["sent"])
    return {
        "rows": len(expected),
        "batches": len(results),
        "sent": sent,
        "resumed": len(results) - sent,
        "succeeded": len(report.succeeded),
        "failed": len(report.failed),
        "missing": len(report.missing or []),
    }


def charge_file(path: str, run: str | None = None) -> Any:
    """Plans the run of the file (what its run already charged is looked up first), queues the new
    rows' batches, then their reconciliation; returns the reconciliation's AsyncResult. A file
    whose rows cannot be told from earlier charges is refused here, before anything is queued."""
    charges = charge_files.read(os.path.abspath(path), run=run)
    plan = charge_files.plan(client(), charges)
    if plan["refused"]:
        lines = [a["rows"][0]["line"] for a in plan["ambiguities"]]
        raise ValueError(f"{path}: lines {lines} cannot be told from earlier charges: see paystack-rs bulk-charge")
    items = [
        {**row.item, "reference": decided["reference"]}
        for row, decided in zip(charges.rows, plan["rows"], strict=True)
        if decided["decision"] == "new"
    ]
    batches = [charge_rows.s(items[start : start + BATCH_SIZE]) for start in range(0, len(items), BATCH_SIZE)]
    return chord(batches)(reconcile_file.s())
