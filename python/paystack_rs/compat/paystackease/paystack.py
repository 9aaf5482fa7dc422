"""paystackease's ``paystack``: ``PayStackBase``."""

from __future__ import annotations

from typing import Any

from paystack_rs._core import __version__
from paystack_rs._timeouts import Timeouts
from paystack_rs.compat._layout import module_getattr

from ._api import ELSEWHERE, client
from .apis.sync_apis.bulk_charges import BulkChargesClientAPI
from .apis.sync_apis.refund import RefundClientAPI
from .apis.sync_apis.settlements import SettlementClientAPI
from .apis.sync_apis.transactions import TransactionClientAPI

__all__ = ["PayStackBase"]

__getattr__ = module_getattr(__name__, is_package=False)


class PayStackBase:
    """paystackease's ``PayStackBase``: ``.bulk_charges``, ``.transactions``, ``.settlements``, ``.refund``.

    Reads ``PAYSTACK_SECRET_KEY`` (and ``PAYSTACK_BASE_URL``, e.g. the sandbox's) when built;
    ``secret_key=``/``base_url=`` may be given instead.
    """

    VERSION = __version__

    def __init__(
        self, *, secret_key: str | None = None, base_url: str | None = None, timeout: float | Timeouts | None = None
    ) -> None:
        native = client(secret_key, base_url, timeout)
        self.bulk_charges = BulkChargesClientAPI(native)
        self.transactions = TransactionClientAPI(native)
        self.settlements = SettlementClientAPI(native)
        self.refund = RefundClientAPI(native)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(ELSEWHERE.format(name=name))
