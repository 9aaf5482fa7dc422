"""paystackease's ``helpers``: enums, ``convert_to_subunit`` and the bulk charge item models."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from .convert import convert_to_subunit
from .data_types import BulkChargeItem, BulkChargeListObject
from .tool_kit import STATUS, Bearer, Channels, Currency, TransactionStatus

__all__ = [
    "STATUS",
    "Bearer",
    "BulkChargeItem",
    "BulkChargeListObject",
    "Channels",
    "Currency",
    "TransactionStatus",
    "convert_to_subunit",
]

__getattr__ = module_getattr(__name__, is_package=True)
