"""pypaystack2's ``sub_clients.sync_clients``: the sub-clients of the covered APIs."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from .bulk_charges import BulkChargeClient
from .refunds import RefundClient
from .settlements import SettlementClient
from .transactions import TransactionClient

__all__ = ["BulkChargeClient", "RefundClient", "SettlementClient", "TransactionClient"]

__getattr__ = module_getattr(__name__, is_package=True)
