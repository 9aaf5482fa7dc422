"""pypaystack2's ``sub_clients``: the sub-clients of the covered APIs."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from .async_clients import AsyncBulkChargeClient, AsyncRefundClient, AsyncSettlementClient, AsyncTransactionClient
from .sync_clients import BulkChargeClient, RefundClient, SettlementClient, TransactionClient

__all__ = [
    "AsyncBulkChargeClient",
    "AsyncRefundClient",
    "AsyncSettlementClient",
    "AsyncTransactionClient",
    "BulkChargeClient",
    "RefundClient",
    "SettlementClient",
    "TransactionClient",
]

__getattr__ = module_getattr(__name__, is_package=True)
