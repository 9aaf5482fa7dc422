"""paystackease's ``paystack``: ``PayStackBase``."""

from __future__ import annotations

from paystack_rs._core import __version__
from paystack_rs.compat._layout import module_getattr

from ._api import Base
from .apis.sync_apis.bulk_charges import BulkChargesClientAPI
from .apis.sync_apis.refund import RefundClientAPI
from .apis.sync_apis.settlements import SettlementClientAPI
from .apis.sync_apis.transactions import TransactionClientAPI

__all__ = ["PayStackBase"]

__getattr__ = module_getattr(__name__, is_package=False)


class PayStackBase(Base[BulkChargesClientAPI, TransactionClientAPI, SettlementClientAPI, RefundClientAPI]):
    """paystackease's ``PayStackBase``: ``.bulk_charges``, ``.transactions``, ``.settlements``, ``.refund``.

    Reads ``PAYSTACK_SECRET_KEY`` (and ``PAYSTACK_BASE_URL``, e.g. the sandbox's) when built;
    ``secret_key=``/``base_url=`` may be given instead.
    """

    VERSION = __version__
    _apis = (BulkChargesClientAPI, TransactionClientAPI, SettlementClientAPI, RefundClientAPI)
