"""paystackease's ``apis.sync_apis.transactions``."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from ..._api import Sync
from ..._resources import Transactions
from ...core import PayStackResponse
from ...helpers import Bearer, Channels, Currency, TransactionStatus

__all__ = ["Bearer", "Channels", "Currency", "PayStackResponse", "TransactionClientAPI", "TransactionStatus"]

__getattr__ = module_getattr(__name__, is_package=False)


class TransactionClientAPI(Sync, Transactions[PayStackResponse]):
    """paystackease's ``TransactionClientAPI``."""
