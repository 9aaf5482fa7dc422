"""pypaystack2's ``sub_clients.sync_clients.bulk_charges``."""

from __future__ import annotations

from typing import Any

from paystack_rs.compat._layout import module_getattr

from ..._api import Sync
from ..._resources import BulkCharges
from ...models import BulkChargeInstruction, Response

__all__ = ["BulkChargeClient", "BulkChargeInstruction", "Response"]

__getattr__ = module_getattr(__name__, is_package=False)


class BulkChargeClient(Sync, BulkCharges[Response[Any]]):
    """pypaystack2's ``BulkChargeClient``: reached as ``PaystackClient().bulk_charges``."""
