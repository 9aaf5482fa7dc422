"""The Celery example (examples/celery_bulk) with a real worker (prefork, 2 processes) and a real
Redis as broker, result backend and shared quota, against the sandbox.

- A CSV of 20,000 rows charged as 20 batches, one worker process killed (SIGKILL) right after its
  batch was created and before its task was acknowledged; the task is delivered again and does not
  send its batch again. Per the sandbox's ledger every row is charged exactly once, and no request
  met a 429 under the quota the workers share.
- The retry path: the sandbox answers 503 to the first initiates and to a batch's first look-up;
  the tasks retry (``self.retry``) until each batch is created, and every row is charged exactly
  once, each batch created once."""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from paystack_rs._core import derive_row_reference
from paystack_rs.sandbox import Sandbox

from .redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "celery_bulk"
ROWS = 20_000
QUOTA = (100, 1.0)


@contextlib.contextmanager
def example(
    tmp_path: Path, redis: RedisServer, sb: Sandbox, **env: str
) -> Iterator[tuple[ModuleType, Path, subprocess.Popen[bytes]]]:
    """The example's worker (prefork, 2 processes, ``tests.workers.celery_bulk_app``) and its
    ``tasks`` module in this process, the producer, both on ``redis`` and ``sb`` with ``env``
    added: yields the module, the worker's log and its process; at the end the worker and its children go."""
    environment = dict(os.environ)
    environment |= {
        "REDIS_URL": redis.url,
        "PAYSTACK_SECRET_KEY": sb.secret_key,
        "PAYSTACK_BASE_URL": sb.base_url,
        "PAYSTACK_QUOTA": f"{QUOTA[0]}/{QUOTA[1]}",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(EXAMPLE)]),
        **env,
    }
    worker_log = tmp_path / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "tests.workers.celery_bulk_app", "worker"]
    command += ["--pool=prefork", "--concurrency=2", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    sys.path.insert(0, str(EXAMPLE))
    producer = {"REDIS_URL": redis.url, "PAYSTACK_SECRET_KEY": sb.secret_key, "PAYSTACK_BASE_URL": sb.base_url}
    saved = {name: os.environ.get(name) for name in (*producer, *env)}
    worker = subprocess.Popen(
        [*command, "-l", "INFO"],
        cwd=ROOT,
        env=environment,
        stdout=worker_log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the worker and its children end together
    )
    try:
        # The producer (this process) uses the same broker and the same settings; it plans the run
        # (looks up what the run already charged) with the same key.
        os.environ |= {**producer, **env}
        import tasks

        tasks = importlib.reload(tasks)
        yield tasks, worker_log, worker
        tasks.app.close()
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # every task has finished: nothing is lost
        worker.wait()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        sys.path.remove(str(EXAMPLE))


def test_twenty_thousand_rows_charged_exactly_once_with_a_worker_killed(tmp_path: Path) -> None:
    with RedisServer() as redis, Sandbox(process_interval_ms=0) as sb:
        sb.set_faults([{"kind": "rate_limit", "limit": QUOTA[0], "window_ms": int(QUOTA[1] * 1000)}])
        csv_path = tmp_path / "charges.csv"
        kill_file = tmp_path / "kill-me"
        with example(tmp_path, redis, sb, CELERY_BULK_KILL_FILE=str(kill_file)) as (tasks, worker_log, worker):
            import make_csv  # the example's own generator

            make_csv.write(str(csv_path), ROWS, Sandbox.AUTH_SUCCESS)
            result = tasks.charge_file(str(csv_path))
            deadline = time.monotonic() + 60
            while not kill_file.exists() or not kill_file.read_text():
                assert time.monotonic() < deadline, worker_log.read_text()[-3000:]
                assert worker.poll() is None, worker_log.read_text()[-3000:]
                time.sleep(0.05)
            os.kill(int(kill_file.read_text()), signal.SIGKILL)
            totals = result.get(timeout=180)
            result.backend.result_consumer.stop()  # (its pub/sub would wait for the Redis stopped below)
        counts = sb.ledger(operation="bulkcharge.charge")["counts"]
        requests = sb.requests()
    log = worker_log.read_text()
    # The run's slots of the card (the file is charges.csv: run "charges"), as bulk-charge gives them.
    references = {derive_row_reference("charges", Sandbox.AUTH_SUCCESS, slot) for slot in range(ROWS)}
    charged = {r: c["successful_charges"] for r, c in counts.items() if c["successful_charges"]}
    print(f"\ncelery_bulk: {totals}; {len(requests)} requests")
    assert totals["rows"] == ROWS
    assert totals["batches"] == ROWS // 1000
    assert set(charged) == references  # every row charged, nothing else
    assert set(charged.values()) == {1}  # and each exactly once
    assert totals["succeeded"] == ROWS
    assert totals["missing"] == 0
    assert totals["failed"] == 0
    assert totals["resumed"] >= 1  # the killed task's batch: found, not sent again
    assert "exited with 'signal 9 (SIGKILL)'" in log, log[-3000:]
    assert "succeeded before the worker was lost" not in log  # it was lost before it finished
    assert sum(1 for q in requests if q["fault"] == "rate_limited") == 0
    initiates = [q for q in requests if q["method"] == "POST" and q["path"].rstrip("/") == "/bulkcharge"]
    assert len(initiates) == ROWS // 1000  # the redelivered task sent nothing


RETRY_ROWS = 300
RETRY_BATCH = 100


def test_a_failing_initiate_is_retried_by_the_task_and_charges_each_row_once(tmp_path: Path) -> None:
    with RedisServer() as redis, Sandbox(process_interval_ms=0) as sb:
        csv_path = tmp_path / "retry.csv"
        settings = {"CELERY_BULK_BATCH_SIZE": str(RETRY_BATCH), "CELERY_BULK_RETRY_COUNTDOWN": "0.2"}
        with example(tmp_path, redis, sb, **settings) as (tasks, worker_log, _):
            import make_csv

            make_csv.write(str(csv_path), RETRY_ROWS, Sandbox.AUTH_SUCCESS)
            first = derive_row_reference("retry", Sandbox.AUTH_SUCCESS, 0)
            # 7 initiates answered 503 (not processed): a task's try makes 3 (the client's retries,
            # a look-up before each), so with 2 tasks at a time at least one try gives up and the
            # task retries. And the first batch's first look-up fails (its 3 attempts, after the
            # producer's own look-up of that reference while planning): the task retries before it
            # has sent anything.
            sb.set_faults(
                [
                    {"kind": "error", "status": 503, "method": "POST", "route": "/bulkcharge", "count": 7},
                    {"kind": "error", "status": 503, "route": f"/transaction/verify/{first}", "after": 1, "count": 3},
                ]
            )
            result = tasks.charge_file(str(csv_path))
            totals = result.get(timeout=120)
            result.backend.result_consumer.stop()
        counts = sb.ledger(operation="bulkcharge.charge")["counts"]
        creates = sb.ledger(operation="bulkcharge.create")["entries"]
        requests = sb.requests()
    log = worker_log.read_text()
    print(f"\ncelery_bulk retries: {totals}; {len(requests)} requests; {log.count(' retry: Retry in ')} task retries")
    assert totals == {
        "rows": RETRY_ROWS,
        "batches": RETRY_ROWS // RETRY_BATCH,
        "sent": RETRY_ROWS // RETRY_BATCH,
        "resumed": 0,
        "succeeded": RETRY_ROWS,
        "failed": 0,
        "missing": 0,
    }
    references = {derive_row_reference("retry", Sandbox.AUTH_SUCCESS, slot) for slot in range(RETRY_ROWS)}
    charged = {r: c["successful_charges"] for r, c in counts.items() if c["successful_charges"]}
    assert set(charged) == references  # every row charged, nothing else
    assert set(charged.values()) == {1}  # and each exactly once
    assert len(creates) == RETRY_ROWS // RETRY_BATCH, "no batch was created twice"
    initiates = [q["fault"] for q in requests if q["method"] == "POST" and q["path"].rstrip("/") == "/bulkcharge"]
    assert initiates.count("error:503") == 7
    assert initiates.count(None) == RETRY_ROWS // RETRY_BATCH  # each batch sent once it could be
    # The first batch: the producer's look-up while planning (not found), then the task's failed
    # (3 attempts, one try), the task retried, looked again (not found) and only then sent the batch.
    sent_first = next(
        n
        for n, q in enumerate(requests)
        if q["method"] == "POST" and q["fault"] is None and q["body"][0]["reference"] == first
    )
    lookups = [q["fault"] for q in requests[:sent_first] if q["path"] == f"/transaction/verify/{first}"]
    assert lookups[:5] == [None, "error:503", "error:503", "error:503", None], lookups
    # The tasks retried: the look-up's failure, and the initiates' (at least one try gave up).
    assert log.count(" retry: Retry in 0.2s: ServerError") >= 2, log[-3000:]
