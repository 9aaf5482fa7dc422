"""paystackease's ``apaystack``: ``AsyncPayStackBase``."""

from __future__ import annotations

from paystack_rs._core import __version__
from paystack_rs.compat._layout import module_getattr

from ._api import Base
from .apis.async_apis.abulk_charges import AsyncBulkChargesClientAPI
from .apis.async_apis.arefund import AsyncRefundClientAPI
from .apis.async_apis.asettlements import AsyncSettlementClientAPI
from .apis.async_apis.atransactions import AsyncTransactionClientAPI

__all__ = ["AsyncPayStackBase"]

__getattr__ = module_getattr(__name__, is_package=False)


class AsyncPayStackBase(
    Base[AsyncBulkChargesClientAPI, AsyncTransactionClientAPI, AsyncSettlementClientAPI, AsyncRefundClientAPI]
):
    """paystackease's ``AsyncPayStackBase``: ``async with AsyncPayStackBase() as client:``."""

    VERSION = __version__
    _apis = (AsyncBulkChargesClientAPI, AsyncTransactionClientAPI, AsyncSettlementClientAPI, AsyncRefundClientAPI)

    async def __aenter__(self) -> AsyncPayStackBase:
        return self

    async def __aexit__(self, *exc: object) -> None:
        # The connection pool is paystack-rs's, shared and closed with the process.
        return None
