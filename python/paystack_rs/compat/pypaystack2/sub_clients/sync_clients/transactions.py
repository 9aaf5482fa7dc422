"""pypaystack2's ``sub_clients.sync_clients.transactions``."""

from __future__ import annotations

from typing import Any

from paystack_rs.compat._layout import module_getattr

from ..._api import Sync
from ..._resources import Transactions
from ...models import Response

__all__ = ["Response", "TransactionClient"]

__getattr__ = module_getattr(__name__, is_package=False)


class TransactionClient(Sync, Transactions[Response[Any]]):
    """pypaystack2's ``TransactionClient``: reached as ``PaystackClient().transactions``."""
