"""The Celery example's app (examples/celery_bulk/tasks.py) as the test's worker runs it, with one
addition: the first batch created stops its worker process right after Paystack answered, before
its task returns (it writes its pid to $CELERY_BULK_KILL_FILE and sleeps), so that the test can kill
it with SIGKILL at the worst moment: the batch created, the task neither finished nor
acknowledged, to be delivered again. Without $CELERY_BULK_KILL_FILE it is the example as it is."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import paystack_rs

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "celery_bulk"))

from tasks import app

__all__ = ["app"]

_initiate = paystack_rs.BulkChargeService.initiate


def _initiate_then_stop_once(self: paystack_rs.BulkChargeService, *args: Any, **kwargs: Any) -> Any:
    answer = _initiate(self, *args, **kwargs)
    if "CELERY_BULK_KILL_FILE" not in os.environ:  # a test that kills no worker
        return answer
    try:
        with Path(os.environ["CELERY_BULK_KILL_FILE"]).open("x") as f:  # the first batch only
            f.write(str(os.getpid()))
    except FileExistsError:
        return answer
    time.sleep(120)
    return answer


paystack_rs.BulkChargeService.initiate = _initiate_then_stop_once  # type: ignore[method-assign]
