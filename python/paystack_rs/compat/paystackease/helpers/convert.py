"""paystackease's ``helpers.convert``: amounts in the currency's subunit."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr
from paystack_rs.compat._shared import plain

from .tool_kit import Currency

__all__ = ["Currency", "convert_to_subunit"]

__getattr__ = module_getattr(__name__, is_package=False)

_SUBUNITS = {"NGN": 100, "GHS": 100, "USD": 100, "ZAR": 100, "KES": 100}


def convert_to_subunit(amount: int, currency: Currency | str | None = Currency.NGN) -> int:
    """``amount`` in the currency's subunit (kobo, pesewas, cents): ``convert_to_subunit(100) == 10000``."""
    multiplier = _SUBUNITS.get(str(plain(currency)))
    if multiplier is None:
        raise ValueError(f"Invalid currency: {currency}")
    return amount * multiplier
