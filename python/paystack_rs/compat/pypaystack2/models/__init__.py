"""pypaystack2's ``models``: the answer, its data models and the bulk charge item."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from .payload_models import BulkChargeInstruction, RefundAccount
from .response_models import (
    Authorization,
    BulkCharge,
    BulkChargeUnitCharge,
    Customer,
    InitTransaction,
    Model,
    Refund,
    Response,
    Settlement,
    Transaction,
    TransactionExport,
    TransactionLog,
    TransactionTotal,
)

__all__ = [
    "Authorization",
    "BulkCharge",
    "BulkChargeInstruction",
    "BulkChargeUnitCharge",
    "Customer",
    "InitTransaction",
    "Model",
    "Refund",
    "RefundAccount",
    "Response",
    "Settlement",
    "Transaction",
    "TransactionExport",
    "TransactionLog",
    "TransactionTotal",
]

__getattr__ = module_getattr(__name__, is_package=True)
