"""What both shims share: a paystack-rs call whose Paystack refusal becomes an answer again.

paystackease and pypaystack2 hand back Paystack's error answers (``status: False``) instead of
raising; paystack-rs raises an ``APIError`` that carries the answer (``error.response``). The
shims call the native method and, where the original library would have returned the refusal,
return that answer instead.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

from .._response import Response
from ..errors import APIError

__all__ = ["answer", "answer_async", "ignored", "plain"]


def _refusal(error: APIError, keep: Callable[[APIError], bool]) -> Response[Any]:
    if error.status_code is None or not keep(error):
        raise error
    if error.response is not None:
        return error.response
    body = {"status": False, "message": error.paystack_message}
    return Response(body, status_code=error.status_code)


def answer(call: Callable[[], Response[Any]], keep: Callable[[APIError], bool]) -> Response[Any]:
    """``call()``'s answer; a refusal that ``keep`` accepts is answered instead of raised."""
    try:
        return call()
    except APIError as error:
        return _refusal(error, keep)


async def answer_async(call: Callable[[], Awaitable[Response[Any]]], keep: Callable[[APIError], bool]) -> Response[Any]:
    """The awaitable twin of :func:`answer`."""
    try:
        return await call()
    except APIError as error:
        return _refusal(error, keep)


def plain(value: Any) -> Any:
    """An enum member's value (the original libraries take their enums' members), lists too."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def ignored(library: str, method: str, parameter: str, value: Any, instead: str) -> None:
    """Warns that a parameter the original library sends, and Paystack ignores, is not sent."""
    if value is not None:
        warnings.warn(
            f"{method}({parameter}=...) is not sent: {library} sends it, but it is not a parameter of "
            f"Paystack's {method} and Paystack ignores it. {instead}",
            UserWarning,
            stacklevel=4,
        )
