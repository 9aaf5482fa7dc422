"""paystackease's ``apis.async_apis``: the modules of the covered APIs load on first use."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

__getattr__ = module_getattr(__name__, is_package=True)
