"""Per-part timeouts for a client or a call."""

from __future__ import annotations

import dataclasses

__all__ = ["Timeouts"]


@dataclasses.dataclass(frozen=True)
class Timeouts:
    """Seconds allowed for each part of a call; None keeps the default.

    ``connect``: establishing the connection (default 10). ``read``: waiting for the answer and
    between its pieces (default 30). ``total``: the whole call, retries included (default 60).
    Give it to a client (``Paystack(timeout=Timeouts(read=5))``) or to one call
    (``Transaction.verify(ref, timeout=Timeouts(connect=2))``); a plain number means ``total``.
    """

    connect: float | None = None
    read: float | None = None
    total: float | None = None
