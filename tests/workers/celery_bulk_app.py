"""The Celery example's app (examples/celery_bulk/tasks.py) as the test's worker runs it, with one
addition: the first batch that really was sent stops its worker process before it is acknowledged
(it writes its pid to $CELERY_BULK_KILL_FILE and sleeps), so that the test can kill it with SIGKILL
at the worst moment: its batch created, its task not acknowledged, to be delivered again."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "celery_bulk"))

from celery.signals import task_postrun  # noqa: E402
from tasks import app  # noqa: E402

__all__ = ["app"]


@task_postrun.connect
def stop_after_the_first_sent_batch(task: Any = None, retval: Any = None, **_: Any) -> None:
    marker = Path(os.environ["CELERY_BULK_KILL_FILE"])
    if task is None or task.name != "tasks.charge_rows" or not isinstance(retval, dict) or not retval.get("sent"):
        return
    try:
        with marker.open("x") as f:  # only the first one
            f.write(f"{os.getpid()} {retval['start']}")
    except FileExistsError:
        return
    time.sleep(120)
