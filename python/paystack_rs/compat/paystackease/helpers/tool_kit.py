"""paystackease's ``helpers.tool_kit``: the enums the covered APIs take (a member or its value)."""

from __future__ import annotations

import enum

from paystack_rs._status import STATUS
from paystack_rs.compat._layout import module_getattr

__all__ = ["STATUS", "Bearer", "Channels", "Currency", "TransactionStatus"]

__getattr__ = module_getattr(__name__, is_package=False)


class Currency(enum.Enum):
    """Currencies, as paystackease names them."""

    GHS = "GHS"
    KES = "KES"
    NGN = "NGN"
    USD = "USD"
    ZAR = "ZAR"


class Channels(enum.Enum):
    """Payment channels, as paystackease names them."""

    BANK = "bank"
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    ETF = "etf"
    MOBILE_MONEY = "mobile_money"
    QR = "qr"
    USSD = "ussd"


class Bearer(enum.Enum):
    """Who bears Paystack's charges, as paystackease names it."""

    ACCOUNT = "account"
    SUB_ACCOUNT = "subaccount"


class TransactionStatus(enum.Enum):
    """Transaction statuses for the list and export filters, as paystackease names them."""

    FAILED = "failed"
    SUCCESS = "success"
    ABANDONED = "abandoned"
