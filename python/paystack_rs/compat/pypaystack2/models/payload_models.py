"""pypaystack2's ``models.payload_models``: the bulk charge item, checked in the Rust core."""

from __future__ import annotations

from paystack_rs._core import BulkChargeItem
from paystack_rs.compat._layout import module_getattr

from ..enums import Currency
from .response_models import Model

__all__ = ["BulkChargeInstruction", "RefundAccount"]

__getattr__ = module_getattr(__name__, is_package=False)

#: pypaystack2's bulk charge item model (``authorization``, ``amount``, ``reference``).
BulkChargeInstruction = BulkChargeItem


class RefundAccount(Model):
    """The customer's bank account for ``refunds.retry_refund``: its three fields, required (not type-checked)."""

    __slots__ = ()

    def __init__(self, *, currency: Currency | str, account_number: str, bank_id: str) -> None:
        super().__init__(currency=currency, account_number=account_number, bank_id=bank_id)
