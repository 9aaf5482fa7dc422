"""paystackease's ``apis.sync_apis.refund``."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from ..._api import Sync
from ..._resources import Refunds
from ...core import PayStackResponse
from ...helpers import Currency

__all__ = ["Currency", "PayStackResponse", "RefundClientAPI"]

__getattr__ = module_getattr(__name__, is_package=False)


class RefundClientAPI(Sync, Refunds[PayStackResponse]):
    """paystackease's ``RefundClientAPI``."""
