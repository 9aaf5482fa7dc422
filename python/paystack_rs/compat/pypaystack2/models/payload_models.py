"""pypaystack2's ``models.payload_models``: the bulk charge item, checked in the Rust core."""

from __future__ import annotations

from paystack_rs._core import BulkChargeItem
from paystack_rs.compat._layout import module_getattr

__all__ = ["BulkChargeInstruction"]

__getattr__ = module_getattr(__name__, is_package=False)

#: pypaystack2's bulk charge item model (``authorization``, ``amount``, ``reference``).
BulkChargeInstruction = BulkChargeItem
