"""paystackease's ``helpers.data_types``: a bulk charge's items, checked in the Rust core."""

from __future__ import annotations

from paystack_rs._core import BulkChargeItem, BulkChargeListObject
from paystack_rs.compat._layout import module_getattr

__all__ = ["BulkChargeItem", "BulkChargeListObject"]

__getattr__ = module_getattr(__name__, is_package=False)
