"""What both shims share: the one way they call paystack-rs, and the refusal that becomes an answer.

paystackease and pypaystack2 hand back Paystack's error answers (``status: False``) instead of
raising; paystack-rs raises an ``APIError`` that carries the answer (``error.response``). The
shims call the native method by its parameters' names (:func:`call`, :func:`call_async`: the only
way a shim reaches paystack-rs) and, where the original library would have returned the refusal,
return that answer instead.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from .._response import Response
from ..errors import APIError

__all__ = [
    "REFUND_LIST",
    "BulkChargesT",
    "RefundsT",
    "SettlementsT",
    "TransactionsT",
    "by_name",
    "call",
    "call_async",
    "ignored",
    "plain",
]

#: The classes of a shim's client's four sub-clients (sync or async): its client is generic over them.
BulkChargesT = TypeVar("BulkChargesT")
TransactionsT = TypeVar("TransactionsT")
SettlementsT = TypeVar("SettlementsT")
RefundsT = TypeVar("RefundsT")

#: Which refusals a shim answers rather than raises.
Keep = Callable[[APIError], bool]


def _refusal(error: APIError, keep: Keep) -> Response[Any]:
    if error.status_code is None or not keep(error):
        raise error
    if error.response is not None:
        return error.response
    body = {"status": False, "message": error.paystack_message}
    return Response(body, status_code=error.status_code)


def _sent(params: Mapping[str, Any]) -> dict[str, Any]:
    # An argument left out is not sent: None is how both libraries spell "not given".
    return {name: value for name, value in params.items() if value is not None}


def call(service: Any, method: str, params: Mapping[str, Any], keep: Keep) -> Response[Any]:
    """``service.method(**params)``, the native method called by its parameters' names; a refusal
    that ``keep`` accepts is answered instead of raised."""
    try:
        return getattr(service, method)(**_sent(params))  # type: ignore[no-any-return]
    except APIError as error:
        return _refusal(error, keep)


async def call_async(service: Any, method: str, params: Mapping[str, Any], keep: Keep) -> Response[Any]:
    """The awaitable twin of :func:`call` (``service.method_async(**params)``)."""
    try:
        return await getattr(service, f"{method}_async")(**_sent(params))  # type: ignore[no-any-return]
    except APIError as error:
        return _refusal(error, keep)


def by_name(arguments: Mapping[str, Any], drop: Collection[str] = (), **renamed: str) -> dict[str, Any]:
    """The native method's parameters from a shim method's ``arguments`` (its ``locals()`` before
    it makes any of its own), where the two share the names: but for ``self``, ``drop`` and the
    ``renamed`` ones (``auth_code="authorization_code"``), each argument goes by its own name, an
    enum member as its value."""
    skipped = {"self", *drop}
    return {renamed.get(name, name): plain(value) for name, value in arguments.items() if name not in skipped}


def plain(value: Any) -> Any:
    """An enum member's value (the original libraries take their enums' members), lists too."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def ignored(library: str, method: str, parameter: str, value: Any, instead: str, why: str = "") -> None:
    """Warns that a parameter the original library sends is not sent: by default, one that is not a
    parameter of the Paystack endpoint and that Paystack ignores (``why`` says otherwise)."""
    if value is not None:
        why = why or f"it is not a parameter of Paystack's {method} and Paystack ignores it"
        warnings.warn(
            f"{method}({parameter}=...) is not sent: {library} sends it, but {why}. {instead}",
            UserWarning,
            stacklevel=4,
        )


#: Why the refund list's filters are not sent.
REFUND_LIST = "Paystack documents only perPage, page, from and to for its refund list (docs/paystack-api.md §8)"
