"""paystackease's ``apaystack``: ``AsyncPayStackBase``."""

from __future__ import annotations

from typing import Any

from paystack_rs._core import __version__
from paystack_rs._timeouts import Timeouts
from paystack_rs.compat._layout import module_getattr

from ._api import ELSEWHERE, client
from .apis.async_apis.abulk_charges import AsyncBulkChargesClientAPI
from .apis.async_apis.arefund import AsyncRefundClientAPI
from .apis.async_apis.asettlements import AsyncSettlementClientAPI
from .apis.async_apis.atransactions import AsyncTransactionClientAPI

__all__ = ["AsyncPayStackBase"]

__getattr__ = module_getattr(__name__, is_package=False)


class AsyncPayStackBase:
    """paystackease's ``AsyncPayStackBase``: ``async with AsyncPayStackBase() as client:``."""

    VERSION = __version__

    def __init__(
        self, *, secret_key: str | None = None, base_url: str | None = None, timeout: float | Timeouts | None = None
    ) -> None:
        native = client(secret_key, base_url, timeout)
        self.bulk_charges = AsyncBulkChargesClientAPI(native)
        self.transactions = AsyncTransactionClientAPI(native)
        self.settlements = AsyncSettlementClientAPI(native)
        self.refund = AsyncRefundClientAPI(native)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(ELSEWHERE.format(name=name))

    async def __aenter__(self) -> AsyncPayStackBase:
        return self

    async def __aexit__(self, *exc: object) -> None:
        # The connection pool is paystack-rs's, shared and closed with the process.
        return None
