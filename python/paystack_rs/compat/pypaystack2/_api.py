"""How the pypaystack2 shim calls paystack-rs: a sub-client over one native service, sync or async,
whose answers are ``Response``s (every HTTP answer, refusals and 5xx included, as in pypaystack2)
with the data as the model pypaystack2 gives (or the caller's ``alternate_model_class``)."""

from __future__ import annotations

import abc
import logging
from collections.abc import Awaitable, Mapping
from http import HTTPStatus
from typing import Any, Generic, TypeVar

from paystack_rs import errors, webhooks
from paystack_rs._client import Paystack
from paystack_rs._response import Response as NativeResponse
from paystack_rs.compat._shared import call, call_async

from .models._surface import dump
from .models.response_models import Model, Response, normalize

logger = logging.getLogger("paystack_rs.compat.pypaystack2")

_Answer = TypeVar("_Answer")

ELSEWHERE = (
    "paystack-rs covers Paystack's Transaction, Bulk Charge, Settlement and Refund APIs: use "
    ".transactions, .bulk_charges, .settlements and .refunds, and keep pypaystack2 for {name!r}"
)


def _status_code(code: int) -> HTTPStatus | int:
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


def _validate(model_class: Any, data: Any, status_code: int) -> Any:
    """``alternate_model_class``: the data parsed by the given pydantic model class, or None
    (with a warning) when it does not fit, as pypaystack2 does."""
    try:
        if isinstance(data, list):
            return [model_class.model_validate(dump(item, "python", False)) for item in data]
        return model_class.model_validate(dump(data, "python", False))
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        logger.warning("%s could not read Paystack's answer (HTTP %s): %s", model_class, status_code, error)
        return None


def _reshape(answer: NativeResponse[Any], model: type[Model] | None, alternate: Any) -> Response[Any]:
    body = dict(answer)
    data = body.get("data")
    if data:
        data = normalize(data, model or Model)
        if alternate is not None:
            data = _validate(alternate, data, answer.status_code)
    if isinstance(data, dict) and not data:
        data = None
    meta = body.get("meta")
    return Response(
        status_code=_status_code(answer.status_code),
        status=bool(body.get("status", False)),
        message=str(body.get("message", "")),
        data=data,
        meta=meta if isinstance(meta, dict) else None,
        type=body.get("type"),
        code=body.get("code"),
        raw=body,
    )


def _is_answered(error: errors.APIError) -> bool:
    # pypaystack2 returns every HTTP answer, 5xx included.
    return error.status_code is not None


class Resource(abc.ABC, Generic[_Answer]):
    """A pypaystack2 sub-client over one paystack-rs service; ``_send`` is sync or async."""

    _resource = ""

    def __init__(self, client: Paystack, secret_key: str) -> None:
        self._client = client
        self._secret_key = secret_key

    @property
    def _service(self) -> Any:
        """The native service (``client.transaction``...) the calls go to."""
        return getattr(self._client, self._resource)

    @abc.abstractmethod
    def _send(self, model: type[Model] | None, alternate: Any, method: str, params: Mapping[str, Any]) -> _Answer:
        """Sends ``method(**params)``: the sync subclass returns the answer, the async one an awaitable."""

    def is_verified_webhook_payload(self, payload: bytes, signature: str) -> bool:
        """Whether ``payload`` was signed by Paystack with this client's key."""
        return webhooks.verify(payload, signature, self._secret_key)


class Sync(Resource[Response[Any]]):
    def _send(self, model: type[Model] | None, alternate: Any, method: str, params: Mapping[str, Any]) -> Response[Any]:
        return _reshape(call(self._service, method, params, _is_answered), model, alternate)


class Async(Resource[Awaitable[Response[Any]]]):
    async def _answer(
        self, model: type[Model] | None, alternate: Any, method: str, params: Mapping[str, Any]
    ) -> Response[Any]:
        return _reshape(await call_async(self._service, method, params, _is_answered), model, alternate)

    def _send(
        self, model: type[Model] | None, alternate: Any, method: str, params: Mapping[str, Any]
    ) -> Awaitable[Response[Any]]:
        return self._answer(model, alternate, method, params)


def require(value: Any, what: str, action: str) -> None:
    if not value:
        raise ValueError(f"Customer's {what} is required {action}")


def integer(value: int | str | None) -> int | str | None:
    """An id given as text (pypaystack2 types ids as ``str``), as the integer Paystack takes."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value
