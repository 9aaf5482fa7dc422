"""pypaystack2's ``sub_clients.async_clients.settlements``."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from paystack_rs.compat._layout import module_getattr

from ..._api import Async
from ..._resources import Settlements
from ...models import Response

__all__ = ["AsyncSettlementClient", "Response"]

__getattr__ = module_getattr(__name__, is_package=False)


class AsyncSettlementClient(Async, Settlements[Awaitable[Response[Any]]]):
    """pypaystack2's ``AsyncSettlementClient``: reached as ``AsyncPaystackClient().settlements``."""
