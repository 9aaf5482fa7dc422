"""paystackease's ``STATUS`` enum (built on first use: importing enum costs milliseconds)."""

from __future__ import annotations

import enum

__all__ = ["STATUS"]


class STATUS(str, enum.Enum):
    """Charge statuses, as paystackease names them: ``STATUS.PENDING.value == "pending"``.

    Accepted wherever a status string is (``BulkCharge.charges(code, status=STATUS.FAILED)``).
    """

    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"

    def __str__(self) -> str:
        return self.value
