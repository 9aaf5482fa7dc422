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
from collections.abc import Callable, Mapping
from typing import Any

from .._response import Response
from ..errors import APIError

__all__ = ["REFUND_LIST", "call", "call_async", "ignored", "plain"]

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
