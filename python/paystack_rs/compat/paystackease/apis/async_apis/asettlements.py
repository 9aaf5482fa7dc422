"""paystackease's ``apis.async_apis.asettlements``."""

from __future__ import annotations

from collections.abc import Awaitable

from paystack_rs.compat._layout import module_getattr

from ..._api import Async
from ..._resources import Settlements
from ...core import PayStackResponse
from ...helpers import STATUS

__all__ = ["STATUS", "AsyncSettlementClientAPI", "PayStackResponse"]

__getattr__ = module_getattr(__name__, is_package=False)


class AsyncSettlementClientAPI(Async, Settlements[Awaitable[PayStackResponse]]):
    """paystackease's ``AsyncSettlementClientAPI``."""
