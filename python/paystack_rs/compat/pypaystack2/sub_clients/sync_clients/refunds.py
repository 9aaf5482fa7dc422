"""pypaystack2's ``sub_clients.sync_clients.refunds``."""

from __future__ import annotations

from typing import Any

from paystack_rs.compat._layout import module_getattr

from ..._api import Sync
from ..._resources import Refunds
from ...models import Response

__all__ = ["RefundClient", "Response"]

__getattr__ = module_getattr(__name__, is_package=False)


class RefundClient(Sync, Refunds[Response[Any]]):
    """pypaystack2's ``RefundClient``: reached as ``PaystackClient().refunds``."""
