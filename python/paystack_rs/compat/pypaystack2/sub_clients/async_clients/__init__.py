"""pypaystack2's ``sub_clients.async_clients``: the sub-clients of the covered APIs."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from .bulk_charges import AsyncBulkChargeClient
from .refunds import AsyncRefundClient
from .settlements import AsyncSettlementClient
from .transactions import AsyncTransactionClient

__all__ = ["AsyncBulkChargeClient", "AsyncRefundClient", "AsyncSettlementClient", "AsyncTransactionClient"]

__getattr__ = module_getattr(__name__, is_package=True)
