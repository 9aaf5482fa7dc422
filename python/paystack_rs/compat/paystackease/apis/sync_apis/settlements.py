"""paystackease's ``apis.sync_apis.settlements``."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from ..._api import Sync
from ..._resources import Settlements
from ...core import PayStackResponse
from ...helpers import STATUS

__all__ = ["STATUS", "PayStackResponse", "SettlementClientAPI"]

__getattr__ = module_getattr(__name__, is_package=False)


class SettlementClientAPI(Sync, Settlements[PayStackResponse]):
    """paystackease's ``SettlementClientAPI``."""
