"""paystackease's ``apis.sync_apis.bulk_charges``."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from ..._api import Sync
from ..._resources import BulkCharges
from ...core import PayStackResponse
from ...helpers import STATUS, BulkChargeListObject

__all__ = ["STATUS", "BulkChargeListObject", "BulkChargesClientAPI", "PayStackResponse"]

__getattr__ = module_getattr(__name__, is_package=False)


class BulkChargesClientAPI(Sync, BulkCharges[PayStackResponse]):
    """paystackease's ``BulkChargesClientAPI``."""
