"""pypaystack2's ``sub_clients.async_clients.transactions``."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from paystack_rs.compat._layout import module_getattr

from ..._api import Async
from ..._resources import Transactions
from ...models import Response

__all__ = ["AsyncTransactionClient", "Response"]

__getattr__ = module_getattr(__name__, is_package=False)


class AsyncTransactionClient(Async, Transactions[Awaitable[Response[Any]]]):
    """pypaystack2's ``AsyncTransactionClient``: every method is awaited."""
