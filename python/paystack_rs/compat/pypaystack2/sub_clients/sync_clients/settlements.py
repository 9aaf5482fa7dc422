"""pypaystack2's ``sub_clients.sync_clients.settlements``."""

from __future__ import annotations

from typing import Any

from paystack_rs.compat._layout import module_getattr

from ..._api import Sync
from ..._resources import Settlements
from ...models import Response

__all__ = ["Response", "SettlementClient"]

__getattr__ = module_getattr(__name__, is_package=False)


class SettlementClient(Sync, Settlements[Response[Any]]):
    """pypaystack2's ``SettlementClient``: reached as ``PaystackClient().settlements``."""
