"""The Celery example (examples/celery_bulk) with a real worker (prefork, 2 processes) and a real
Redis as broker, result backend and shared quota, against the sandbox: a CSV of 20,000 rows charged
as 20 batches, one worker process killed (SIGKILL) right after its batch was created and before
its task was acknowledged; the task is delivered again and does not send its batch again. Per the
sandbox's ledger every row is charged exactly once, and no request met a 429 under the quota the
workers share."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from paystack_rs.sandbox import Sandbox

from .redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "celery_bulk"
ROWS = 20_000
QUOTA = (100, 1.0)


def test_twenty_thousand_rows_charged_exactly_once_with_a_worker_killed(tmp_path: Path) -> None:
    sys.path.insert(0, str(EXAMPLE))
    with RedisServer() as redis, Sandbox(process_interval_ms=0) as sb:
        sb.set_faults([{"kind": "rate_limit", "limit": QUOTA[0], "window_ms": int(QUOTA[1] * 1000)}])
        csv_path = tmp_path / "charges.csv"
        import make_csv  # the example's own generator

        make_csv.write(str(csv_path), ROWS, Sandbox.AUTH_SUCCESS)
        kill_file = tmp_path / "kill-me"
        env = dict(os.environ)
        env |= {
            "REDIS_URL": redis.url,
            "PAYSTACK_SECRET_KEY": sb.secret_key,
            "PAYSTACK_BASE_URL": sb.base_url,
            "PAYSTACK_QUOTA": f"{QUOTA[0]}/{QUOTA[1]}",
            "CELERY_BULK_KILL_FILE": str(kill_file),
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(EXAMPLE)]),
        }
        worker_log = tmp_path / "worker.log"
        command = [sys.executable, "-m", "celery", "-A", "tests.workers.celery_bulk_app", "worker"]
        command += ["--pool=prefork", "--concurrency=2", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        worker = subprocess.Popen(
            [*command, "-l", "INFO"],
            cwd=ROOT,
            env=env,
            stdout=worker_log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the worker and its children end together
        )
        try:
            os.environ["REDIS_URL"] = redis.url  # the producer (this process) uses the same broker
            import importlib

            import tasks

            tasks = importlib.reload(tasks)
            result = tasks.charge_file(str(csv_path))
            deadline = time.monotonic() + 60
            while not kill_file.exists() or not kill_file.read_text():
                assert time.monotonic() < deadline, worker_log.read_text()[-3000:]
                assert worker.poll() is None, worker_log.read_text()[-3000:]
                time.sleep(0.05)
            os.kill(int(kill_file.read_text()), signal.SIGKILL)
            totals = result.get(timeout=180)
            result.backend.result_consumer.stop()  # (its pub/sub would wait for the Redis stopped below)
            tasks.app.close()
        finally:
            os.killpg(worker.pid, signal.SIGKILL)  # every task has finished: nothing is lost
            worker.wait()
            os.environ.pop("REDIS_URL", None)
            sys.path.remove(str(EXAMPLE))
        counts = sb.ledger(operation="bulkcharge.charge")["counts"]
        requests = sb.requests()
    log = worker_log.read_text()
    fid = tasks.file_id(str(csv_path))
    references = {f"csv-{fid}-{row}" for row in range(ROWS)}
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
