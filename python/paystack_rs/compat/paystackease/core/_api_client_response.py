"""paystackease's ``PayStackResponse``."""

from __future__ import annotations

from typing import Any, NamedTuple

from paystack_rs.compat._layout import module_getattr

__all__ = ["PayStackResponse"]

__getattr__ = module_getattr(__name__, is_package=False)


class PayStackResponse(NamedTuple):
    """Paystack's answer, as paystackease gives it (plus ``meta``, the pagination of lists)."""

    status_code: int
    status: bool
    message: str
    data: Any
    meta: dict[str, Any] | None = None

    @property
    def checkout_url(self) -> str | None:
        """The checkout URL of an initialized transaction."""
        if self.status_code == 200 and self.data and isinstance(self.data, dict):
            return self.data.get("authorization_url")
        return None

    @property
    def charge_url(self) -> str | None:
        if self.status_code == 200 and self.data and isinstance(self.data, dict):
            return self.data.get("url")
        return None
