"""paystackease's ``apis.async_apis.arefund``."""

from __future__ import annotations

from collections.abc import Awaitable

from paystack_rs.compat._layout import module_getattr

from ..._api import Async
from ..._resources import Refunds
from ...core import PayStackResponse
from ...helpers import Currency

__all__ = ["AsyncRefundClientAPI", "Currency", "PayStackResponse"]

__getattr__ = module_getattr(__name__, is_package=False)


class AsyncRefundClientAPI(Async, Refunds[Awaitable[PayStackResponse]]):
    """paystackease's ``AsyncRefundClientAPI``."""
