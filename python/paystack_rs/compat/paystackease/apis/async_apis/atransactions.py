"""paystackease's ``apis.async_apis.atransactions``."""

from __future__ import annotations

from collections.abc import Awaitable

from paystack_rs.compat._layout import module_getattr

from ..._api import Async
from ..._resources import Transactions
from ...core import PayStackResponse
from ...helpers import Bearer, Channels, Currency, TransactionStatus

__all__ = ["AsyncTransactionClientAPI", "Bearer", "Channels", "Currency", "PayStackResponse", "TransactionStatus"]

__getattr__ = module_getattr(__name__, is_package=False)


class AsyncTransactionClientAPI(Async, Transactions[Awaitable[PayStackResponse]]):
    """paystackease's ``AsyncTransactionClientAPI``: every method is awaited."""
