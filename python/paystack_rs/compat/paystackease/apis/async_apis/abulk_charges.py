"""paystackease's ``apis.async_apis.abulk_charges``."""

from __future__ import annotations

from collections.abc import Awaitable

from paystack_rs.compat._layout import module_getattr

from ..._api import Async
from ..._resources import BulkCharges
from ...core import PayStackResponse
from ...helpers import STATUS, BulkChargeListObject

__all__ = ["STATUS", "AsyncBulkChargesClientAPI", "BulkChargeListObject", "PayStackResponse"]

__getattr__ = module_getattr(__name__, is_package=False)


class AsyncBulkChargesClientAPI(Async, BulkCharges[Awaitable[PayStackResponse]]):
    """paystackease's ``AsyncBulkChargesClientAPI``: every method is awaited."""
