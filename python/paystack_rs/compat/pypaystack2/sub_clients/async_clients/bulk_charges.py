"""pypaystack2's ``sub_clients.async_clients.bulk_charges``."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from paystack_rs.compat._layout import module_getattr

from ..._api import Async
from ..._resources import BulkCharges
from ...models import BulkChargeInstruction, Response

__all__ = ["AsyncBulkChargeClient", "BulkChargeInstruction", "Response"]

__getattr__ = module_getattr(__name__, is_package=False)


class AsyncBulkChargeClient(Async, BulkCharges[Awaitable[Response[Any]]]):
    """pypaystack2's ``AsyncBulkChargeClient``: every method is awaited."""
