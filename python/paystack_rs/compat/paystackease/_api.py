"""How the paystackease shim calls paystack-rs: a resource over one native service, sync or async,
whose answers are ``PayStackResponse``s and whose refusals (4xx) are answers, as in paystackease."""

from __future__ import annotations

import abc
import os
from collections.abc import Awaitable, Mapping
from typing import Any, Generic, TypeVar

from paystack_rs import errors
from paystack_rs._client import Paystack
from paystack_rs._response import Response
from paystack_rs._timeouts import Timeouts
from paystack_rs.compat._shared import call, call_async

from .core import PayStackResponse, SecretKeyError

_Answer = TypeVar("_Answer")

ELSEWHERE = (
    "paystack-rs covers Paystack's Bulk Charge, Transaction, Settlement and Refund APIs: use "
    ".bulk_charges, .transactions, .settlements and .refund, and keep paystackease for {name!r}"
)


def _reshape(response: Response[Any]) -> PayStackResponse:
    meta = response.meta
    return PayStackResponse(
        status_code=response.status_code,
        status=response.status,
        message=response.message,
        data=response.data,
        meta=dict(meta) if meta is not None else None,
    )


def _is_refusal(error: errors.APIError) -> bool:
    # paystackease answers everything below 500 and raises PayStackServerError from 500 up.
    return error.status_code is not None and error.status_code < 500


class Resource(abc.ABC, Generic[_Answer]):
    """A paystackease client API over one paystack-rs service; ``_send`` is sync or async."""

    _resource = ""

    def __init__(self, client: Paystack) -> None:
        self._client = client

    @property
    def _service(self) -> Any:
        """The native service (``client.bulk_charge``...) the calls go to."""
        return getattr(self._client, self._resource)

    @abc.abstractmethod
    def _send(self, method: str, params: Mapping[str, Any]) -> _Answer:
        """Sends ``method(**params)``: the sync subclass returns the answer, the async one an awaitable."""

    async def __aenter__(self) -> Resource[_Answer]:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class Sync(Resource[PayStackResponse]):
    def _send(self, method: str, params: Mapping[str, Any]) -> PayStackResponse:
        return _reshape(call(self._service, method, params, _is_refusal))


class Async(Resource[Awaitable[PayStackResponse]]):
    async def _answer(self, method: str, params: Mapping[str, Any]) -> PayStackResponse:
        return _reshape(await call_async(self._service, method, params, _is_refusal))

    def _send(self, method: str, params: Mapping[str, Any]) -> Awaitable[PayStackResponse]:
        return self._answer(method, params)


def client(secret_key: str | None, base_url: str | None, timeout: float | Timeouts | None) -> Paystack:
    key = secret_key if secret_key is not None else os.environ.get("PAYSTACK_SECRET_KEY")
    if not key:
        raise SecretKeyError(
            "Please provide a secret key or set the environment variable PAYSTACK_SECRET_KEY", status_code=None
        )
    # paystackease waits 30 s for an answer.
    return Paystack(key, base_url=base_url, timeout=timeout if timeout is not None else 30.0)
