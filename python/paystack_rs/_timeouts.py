"""Per-part timeouts for a client or a call."""

from __future__ import annotations

__all__ = ["Timeouts"]


class Timeouts:
    """Seconds allowed for each part of a call; None keeps the default.

    ``connect``: establishing the connection (default 10). ``read``: waiting for the answer and
    between its pieces (default 30). ``total``: the whole call, retries included (default 60).
    Give it to a client (``Paystack(timeout=Timeouts(read=5))``) or to one call
    (``Transaction.verify(ref, timeout=Timeouts(connect=2))``); a plain number means ``total``.
    """

    # A plain class rather than a dataclass: importing dataclasses (and inspect) would add
    # milliseconds to `import paystack_rs`.
    __slots__ = ("connect", "read", "total")

    connect: float | None
    read: float | None
    total: float | None

    def __init__(self, connect: float | None = None, read: float | None = None, total: float | None = None) -> None:
        object.__setattr__(self, "connect", connect)
        object.__setattr__(self, "read", read)
        object.__setattr__(self, "total", total)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Timeouts is immutable: make a new one instead of setting {name}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Timeouts):
            return NotImplemented
        return (self.connect, self.read, self.total) == (other.connect, other.read, other.total)

    def __hash__(self) -> int:
        return hash((self.connect, self.read, self.total))

    def __repr__(self) -> str:
        return f"Timeouts(connect={self.connect!r}, read={self.read!r}, total={self.total!r})"

    def __reduce__(self) -> tuple[type[Timeouts], tuple[float | None, float | None, float | None]]:
        return (Timeouts, (self.connect, self.read, self.total))
