"""pypaystack2's ``sub_clients.async_clients.refunds``."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from paystack_rs.compat._layout import module_getattr

from ..._api import Async
from ..._resources import Refunds
from ...models import Response

__all__ = ["AsyncRefundClient", "Response"]

__getattr__ = module_getattr(__name__, is_package=False)


class AsyncRefundClient(Async, Refunds[Awaitable[Response[Any]]]):
    """pypaystack2's ``AsyncRefundClient``: reached as ``AsyncPaystackClient().refunds``."""
