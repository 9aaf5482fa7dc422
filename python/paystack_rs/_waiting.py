"""``bulk_charge.wait(code)``: polls a batch until Paystack has processed every charge.

    batch = client.bulk_charge.wait(code, timeout=600, progress=True)   # the final Response[Batch]

A batch goes active -> complete as Paystack works through its charges, one by one; ``fetch``
reports ``total_charges`` and ``pending_charges`` (docs/paystack-api.md §3.2). The polling rules
are written once (``_wait``) and driven by the sync and the async method (``_sansio``).
"""

from __future__ import annotations

import time

from ._sansio import Call, Sleep, awaitable, blocking

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._progress import ProgressArg
    from ._response import Response
    from ._sansio import Steps
    from .types import Batch

__all__ = ["DEFAULT_POLL_INTERVAL", "BatchWaiting"]

#: Seconds between two fetches by default: a 1000-charge batch takes Paystack minutes, and test
#: keys have 100 requests a minute (docs/paystack-api.md §2.5).
DEFAULT_POLL_INTERVAL = 2.0


def _check(timeout: float | None, poll_interval: float) -> None:
    from .errors import ValidationError

    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0):
        raise ValidationError.for_field("timeout", f"must be a positive number of seconds or None, not {timeout!r}")
    if isinstance(poll_interval, bool) or not isinstance(poll_interval, (int, float)) or not poll_interval > 0:
        raise ValidationError.for_field("poll_interval", f"must be a positive number of seconds, not {poll_interval!r}")


class BatchWaiting:
    """The hand-written methods of ``BulkChargeService`` (the rest are generated)."""

    __slots__ = ()

    # The polling, written once (``_sansio``), then the sync method and its awaitable twin.
    def _wait(
        self,
        code: str | int,
        timeout: float | None = None,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        progress: ProgressArg = False,
    ) -> Steps[Response[Batch]]:
        """Polls the batch until it is ``complete`` and returns its final ``fetch`` answer.

        Args:
            code: the batch's ``BCH_`` code or id.
            timeout: seconds to wait at most (None: no limit); past it, ``paystack_rs.Timeout``
                is raised (the batch carries on at Paystack).
            poll_interval: seconds between two fetches (default 2).
            progress: ``True`` for a progress bar where someone is watching (tqdm when installed,
                else one stderr line; silent when stderr is not a terminal), ``"always"`` to show it
                anyway, or a callable receiving ``(processed, total)``.

        A paused batch is waited for too (until it is resumed and completes, or the timeout).
        Errors of the fetches (``NotFoundError`` for an unknown code, ...) are raised as they come.
        """
        from ._progress import reporter

        _check(timeout, poll_interval)
        deadline = None if timeout is None else time.monotonic() + timeout
        bar = reporter(progress, f"batch {code}", "charges")
        try:
            while True:
                remaining = None if deadline is None else deadline - time.monotonic()
                # A fetch gets what is left of the wait (at least a second), so a hung network
                # cannot hold the wait past its timeout by the client's whole call timeout.
                response: Response[Batch] = yield Call(
                    self, "fetch", code, timeout=None if remaining is None else max(remaining, 1.0)
                )
                batch: Any = response.data if isinstance(response.data, dict) else {}
                status = batch.get("status")
                total = batch.get("total_charges") if isinstance(batch.get("total_charges"), int) else 0
                pending = batch.get("pending_charges") if isinstance(batch.get("pending_charges"), int) else 0
                if bar is not None:
                    note = "" if status in (None, "active", "complete") else str(status)
                    bar.update(max(total - pending, 0), total, note)
                if status == "complete":
                    return response
                now = time.monotonic()
                if deadline is not None and now >= deadline:
                    from .errors import Timeout

                    raise Timeout(
                        f"batch {code} is {status} after {timeout} s: {max(total - pending, 0)} of {total} "
                        "charges processed (it carries on at Paystack; wait again or fetch it later)",
                        phase="wait",
                        endpoint="bulk_charge.wait",
                    )
                yield Sleep(poll_interval if deadline is None else max(min(poll_interval, deadline - now), 0.0))
        finally:
            if bar is not None:
                bar.close()

    wait = blocking(_wait)
    wait_async = awaitable(_wait, "Awaitable twin of :meth:`wait`: polls without blocking the event loop.")
    del _wait
