"""The awaitable of an async call (imported by the extension on the first one, when asyncio is
already in use).

A ``CallFuture`` is an ``asyncio.Future`` whose ``cancel()`` also stops the call in the extension,
at once: ``Task.cancel()``, ``asyncio.wait_for`` and ``asyncio.run``'s clean-up cancel the future
the task awaits, so no attempt, retry, backoff or lookup of the call starts after the cancel.
"""

from __future__ import annotations

import asyncio

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._core import CallHandle

__all__ = ["CallFuture"]


class CallFuture(asyncio.Future):  # type: ignore[type-arg]
    __slots__ = ("_paystack_call",)

    _paystack_call: CallHandle

    def cancel(self, msg: Any | None = None) -> bool:
        if not self.done():
            self._paystack_call.abort()
        return super().cancel(msg)
