"""Charging a CSV of authorizations across Celery workers, every process sharing one Paystack quota
through Redis (the broker it already has).

    REDIS_URL=redis://127.0.0.1:6379/0 PAYSTACK_SECRET_KEY=sk_test_... \
        celery -A tasks worker --pool=prefork --concurrency=4        # in this folder, on any machine

    from tasks import charge_file
    result = charge_file("charges.csv")      # columns: authorization, amount[, email]
    result.get()                             # the reconciliation: charged, failed, missing

The file is cut into batches of at most 1000 rows (Paystack's batch limit), one task each. A row's
reference is derived from the file's content and the row's number (``csv-<sha256[:16]>-<row>``),
so a task that is redelivered (its worker died) or retried sends the same references: it first
looks the batch up by its first reference and, found, does not send it again; and Paystack refuses
a reference it already has, so a row is never charged twice. ``task_acks_late`` with
``task_reject_on_worker_lost`` puts the task of a killed worker back on the queue.

Every worker process (prefork children included: the client is fork-safe) keeps under one quota:
``RedisRateLimit(REDIS_URL, quota=PAYSTACK_QUOTA)`` (default ``paystack-live``; ``"100/1"`` is 100
requests a second). When every batch has been answered, ``reconcile_file`` waits for Paystack to
process them and reconciles each against its rows (``paystack_rs.reconcile.batch``).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import os
from typing import Any

from celery import Celery, chord

import paystack_rs

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


def file_id(path: str) -> str:
    """The file's identity: a hash of its content (the same file gives the same references)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def rows(path: str, start: int, stop: int, fid: str) -> list[dict[str, Any]]:
    """Rows ``start`` to ``stop`` (0-based, after the header) as bulk charge items."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        items = []
        for number, row in enumerate(csv.DictReader(f)):
            if number >= stop:
                break
            if number >= start:
                reference = f"csv-{fid}-{number}"
                items.append(
                    {"authorization": row["authorization"], "amount": int(row["amount"]), "reference": reference}
                )
    return items


def count_rows(path: str) -> int:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return sum(1 for _ in csv.DictReader(f))


@app.task(bind=True, max_retries=5)
def charge_rows(self: Any, path: str, start: int, stop: int, fid: str) -> dict[str, Any]:
    """Charges rows ``start`` to ``stop`` as one batch, unless this batch was already created."""
    items = rows(path, start, stop, fid)
    paystack = client()
    try:
        existing = batch_of(items[0]["reference"])
        if existing is not None:  # an earlier delivery of this task created it
            return {"start": start, "stop": stop, "batch_code": existing, "sent": False}
        try:
            answer = paystack.bulk_charge.initiate(items)
        except paystack_rs.InvalidRequestError as exc:
            if exc.code != "duplicate_reference":
                raise
            # Another delivery created the batch between our look-up and this initiate.
            existing = batch_of(items[0]["reference"])
            if existing is None:
                raise
            return {"start": start, "stop": stop, "batch_code": existing, "sent": False}
    except (paystack_rs.APIConnectionError, paystack_rs.ServerError, paystack_rs.Timeout) as exc:
        # The look-up or the initiate failed on the way. The client has already found out whether
        # the batch was created (it looks before it sends again); if it could not tell, the
        # reference look-up above settles it on the next try.
        raise self.retry(exc=exc, countdown=RETRY_COUNTDOWN) from exc
    return {"start": start, "stop": stop, "batch_code": answer.data["batch_code"], "sent": True}


def batch_of(reference: str) -> str | None:
    """The batch code of the charge with this reference, if Paystack has it."""
    try:
        transaction = client().transaction.verify(reference)
    except paystack_rs.APIError as exc:
        # Paystack answers an unknown reference 400 "Transaction reference not found." (404 per its spec).
        unknown = exc.code == "not_found" or "not found" in str(exc.paystack_message).lower()
        if exc.status_code in (400, 404) and unknown:
            return None
        raise
    metadata = transaction.data.get("metadata") or {}
    for field in metadata.get("custom_fields") or []:
        if field.get("variable_name") == "bulkcharge_batch_code":
            return str(field["value"])
    return str(metadata.get("bulkcharge_batch_code") or "") or None


@app.task
def reconcile_file(results: list[dict[str, Any]], path: str, fid: str) -> dict[str, Any]:
    """Waits for every batch to be processed, and reconciles each against its rows."""
    paystack = client()
    totals = {"rows": 0, "batches": len(results), "sent": 0, "resumed": 0, "succeeded": 0, "failed": 0, "missing": 0}
    for result in sorted(results, key=lambda r: r["start"]):
        paystack.bulk_charge.wait(result["batch_code"], poll_interval=0.5)
        expected = rows(path, result["start"], result["stop"], fid)
        report = paystack_rs.reconcile.batch(result["batch_code"], client=paystack, expected=expected)
        totals["rows"] += len(expected)
        totals["sent" if result["sent"] else "resumed"] += 1
        totals["succeeded"] += len(report.succeeded)
        totals["failed"] += len(report.failed)
        totals["missing"] += len(report.missing or [])
    return totals


def charge_file(path: str) -> Any:
    """Queues the file's batches, then its reconciliation; returns the reconciliation's AsyncResult."""
    path = os.path.abspath(path)
    fid = file_id(path)
    total = count_rows(path)
    batches = [charge_rows.s(path, start, min(start + BATCH_SIZE, total), fid) for start in range(0, total, BATCH_SIZE)]
    return chord(batches)(reconcile_file.s(path, fid))
