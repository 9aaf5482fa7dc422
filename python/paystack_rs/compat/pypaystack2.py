"""pypaystack2's interface (Transactions and Bulk Charges) on paystack-rs.

Change the import line and keep the code:

    from paystack_rs.compat.pypaystack2 import PaystackClient   # was: from pypaystack2 import PaystackClient

    client = PaystackClient()                        # reads PAYSTACK_SECRET_KEY (and PAYSTACK_BASE_URL)
    r = client.transactions.verify(reference="re4lyvq3s3")
    r.data.reference, r.data.amount, r.data.created_at    # attribute access, dates as datetimes

Method names and parameters are pypaystack2's (``get_transactions(pagination=...)``,
``charge(auth_code=...)``, ``get_charges_in_batch(id_or_code, status)``); each call is
paystack-rs's own method underneath, and the answer is a ``Response`` with ``status_code``,
``status``, ``message``, ``data``, ``meta``, ``type``, ``code`` and ``raw``. ``data`` holds a
``Model`` (or a list of them) with pypaystack2's snake_case attribute names (``expiresAt`` is
``expires_at``), and ``created_at``, ``updated_at`` and ``paid_at`` as ``datetime``.

As in pypaystack2, every answer Paystack gives comes back as a ``Response``, refusals and server
errors included (``status=False``). What raises: ``ClientNetworkError`` when the network fails (as
pypaystack2 does), ``MissingSecretKeyException`` without a key, ``ValueError`` without an email or
authorization code (pypaystack2's checks), and ``ValidationError`` (a ``ValueError``) for other
input paystack-rs refuses before sending, where pypaystack2 would have sent it. docs/migrating.md
lists every difference.
"""

from __future__ import annotations

import abc
import json
import logging
import os
import re
from collections.abc import Awaitable, Mapping, Sequence
from datetime import datetime
from http import HTTPStatus
from typing import Any, Generic, TypeVar

from .. import errors, webhooks
from .._client import Paystack
from .._core import BulkChargeItem
from .._response import Response as NativeResponse
from .._timeouts import Timeouts
from ._shared import answer, answer_async, ignored, plain

__all__ = [
    "AsyncBulkChargeClient",
    "AsyncPaystackClient",
    "AsyncTransactionClient",
    "BulkChargeClient",
    "BulkChargeInstruction",
    "ClientNetworkError",
    "MissingSecretKeyException",
    "Model",
    "PaystackClient",
    "Response",
    "TransactionClient",
]

logger = logging.getLogger(__name__)

#: pypaystack2's exception names, as the paystack-rs classes that play their part.
MissingSecretKeyException = errors.AuthenticationError
ClientNetworkError = errors.APIConnectionError
#: pypaystack2's bulk charge item model (``authorization``, ``amount``, ``reference``).
BulkChargeInstruction = BulkChargeItem

# pypaystack2 turns camelCase keys into snake_case, except these (keys of per-currency maps).
_KEEP_CASE = {"NGN", "GHS", "ZAR", "USD", "KES", "XOF", "EGP", "RWF"}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
# The fields pypaystack2's Transaction, Customer, BulkCharge and BulkChargeUnitCharge models
# declare as datetimes.
_DATETIMES = {"created_at", "updated_at", "paid_at"}


def _snake(key: str) -> str:
    return key if key in _KEEP_CASE else _CAMEL.sub("_", key).lower()


def _datetime(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value


def _normalize(value: Any) -> Any:
    """pypaystack2's shape of Paystack's JSON: snake_case keys, objects as Models."""
    if isinstance(value, dict):
        fields: dict[str, Any] = {}
        for key, item in value.items():
            name = _snake(key)
            fields[name] = _datetime(item) if name in _DATETIMES else _normalize(item)
        return Model(fields)
    if isinstance(value, list):
        return [_normalize(item) for item in value]
    return value


def _dump(value: Any, json_mode: bool) -> Any:
    if isinstance(value, Model):
        return value.model_dump(mode="json" if json_mode else "python")
    if isinstance(value, list):
        return [_dump(item, json_mode) for item in value]
    if json_mode and isinstance(value, datetime):
        return value.isoformat()
    return value


class Model(dict[str, Any]):
    """A Paystack object, read by attribute as pypaystack2's models are: ``r.data.reference``.

    It is the dict of what Paystack sent (snake_case names), so ``r.data["reference"]``,
    ``.get()`` and ``json`` work too; ``model_dump()`` gives a plain dict back.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            fields = ", ".join(self)
            raise AttributeError(f"Paystack's answer has no field {name!r} (it has: {fields})") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __repr__(self) -> str:
        return "Model(" + ", ".join(f"{k}={v!r}" for k, v in self.items()) + ")"

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        """The fields as a plain dict (``mode="json"``: datetimes as ISO strings)."""
        return {k: _dump(v, mode == "json") for k, v in self.items()}

    def model_dump_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"))


_Data = TypeVar("_Data")


class Response(Generic[_Data]):
    """Paystack's answer, as pypaystack2 gives it."""

    __slots__ = ("code", "data", "message", "meta", "raw", "status", "status_code", "type")

    def __init__(
        self,
        status_code: HTTPStatus | int,
        status: bool,
        message: str,
        data: _Data,
        meta: dict[str, Any] | None,
        type: str | None,  # Paystack's field name
        code: str | None,
        raw: dict[str, Any] | list[dict[str, Any]] | bytes | None,
    ) -> None:
        self.status_code = status_code
        self.status = status
        self.message = message
        self.data = data
        self.meta = meta
        self.type = type
        self.code = code
        self.raw = raw

    def model_dump(self) -> dict[str, Any]:
        return {
            "status_code": self.status_code,
            "status": self.status,
            "message": self.message,
            "data": _dump(self.data, False),
            "meta": self.meta,
            "type": self.type,
            "code": self.code,
            "raw": self.raw,
        }

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Response):
            return self.model_dump() == other.model_dump()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Response(status_code={self.status_code!r}, status={self.status!r}, message={self.message!r}, "
            f"data={self.data!r}, meta={self.meta!r}, type={self.type!r}, code={self.code!r})"
        )


def _status_code(code: int) -> HTTPStatus | int:
    try:
        return HTTPStatus(code)
    except ValueError:
        return code


def _reshape(answer: NativeResponse[Any], model_class: Any) -> Response[Any]:
    body = dict(answer)
    data = body.get("data")
    if data:
        data = _normalize(data)
        if model_class is not None:
            data = _validate(model_class, data, answer.status_code)
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


def _validate(model_class: Any, data: Any, status_code: int) -> Any:
    """``alternate_model_class``: the data parsed by the given pydantic model class, or None
    (with a warning) when it does not fit, as pypaystack2 does."""
    try:
        if isinstance(data, list):
            return [model_class.model_validate(_dump(item, False)) for item in data]
        return model_class.model_validate(_dump(data, False))
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        logger.warning("%s could not read Paystack's answer (HTTP %s): %s", model_class, status_code, error)
        return None


def _is_answered(error: errors.APIError) -> bool:
    # pypaystack2 returns every HTTP answer, 5xx included.
    return error.status_code is not None


_Answer = TypeVar("_Answer")


class _Resource(abc.ABC, Generic[_Answer]):
    """A pypaystack2 sub-client over one paystack-rs service; ``_send`` is sync or async."""

    _resource = ""

    def __init__(self, client: Paystack, secret_key: str) -> None:
        self._service = getattr(client, self._resource)
        self._secret_key = secret_key

    @abc.abstractmethod
    def _send(self, model_class: Any, method: str, *args: Any, **kwargs: Any) -> _Answer:
        """Sends the call: the sync subclass returns the answer, the async one an awaitable."""

    def _call_sync(self, model_class: Any, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Response[Any]:
        bound = getattr(self._service, method)
        return _reshape(answer(lambda: bound(*args, **kwargs), _is_answered), model_class)

    async def _call_async(
        self, model_class: Any, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Response[Any]:
        bound = getattr(self._service, f"{method}_async")
        return _reshape(await answer_async(lambda: bound(*args, **kwargs), _is_answered), model_class)

    def is_verified_webhook_payload(self, payload: bytes, signature: str) -> bool:
        """Whether ``payload`` was signed by Paystack with this client's key."""
        return webhooks.verify(payload, signature, self._secret_key)


def _require(value: Any, what: str, action: str) -> None:
    if not value:
        raise ValueError(f"Customer's {what} is required {action}")


def _instruction(item: Any) -> Any:
    """A bulk charge item as paystack-rs takes it (pydantic models are dumped, as pypaystack2 does)."""
    dump = getattr(item, "model_dump", None)
    if isinstance(item, (BulkChargeItem, Mapping)) or dump is None:
        return item
    return dump()


class _Transactions(_Resource[_Answer]):
    """Paystack's Transactions API, with pypaystack2's method names and parameters."""

    _resource = "transaction"

    def initialize(
        self,
        amount: int,
        email: str,
        currency: str | None = None,
        reference: str | None = None,
        callback_url: str | None = None,
        plan: str | None = None,
        invoice_limit: int | None = None,
        metadata: dict[str, Any] | None = None,
        channels: list[str] | None = None,
        split_code: str | None = None,
        subaccount: str | None = None,
        transfer_charge: int | None = None,
        bearer: str | None = None,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """Initialize a transaction from your backend."""
        _require(email, "Email", "for initialization")
        ignored(
            "pypaystack2", "initialize", "transfer_charge", transfer_charge, "Use paystack-rs's transaction_charge."
        )
        return self._send(
            alternate_model_class,
            "initialize",
            email,
            amount,
            plain(currency),
            reference,
            callback_url,
            plan,
            invoice_limit,
            metadata,
            plain(channels),
            split_code,
            subaccount,
            None,
            plain(bearer),
        )

    def verify(self, reference: str, alternate_model_class: Any = None) -> _Answer:
        """Confirm the status of a transaction."""
        return self._send(alternate_model_class, "verify", str(reference))

    def get_transactions(
        self,
        customer: int | str | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
        status: str | None = None,
        page: int | None = None,
        amount: int | None = None,
        terminal_id: str | None = None,
        pagination: int = 50,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """Fetch transactions carried out on your integration."""
        return self._send(
            alternate_model_class,
            "list",
            pagination,
            page,
            start_date,
            end_date,
            status=plain(status),
            customer=_integer(customer),
            amount=amount,
            terminalid=terminal_id,
        )

    def get_transaction(self, id_: int | str, alternate_model_class: Any = None) -> _Answer:
        """Get details of a transaction carried out on your integration."""
        return self._send(alternate_model_class, "fetch", id_)

    def charge(
        self,
        amount: int,
        email: str,
        auth_code: str,
        reference: str | None = None,
        currency: str | None = None,
        metadata: dict[str, Any] | None = None,
        channels: list[str] | None = None,
        subaccount: str | None = None,
        transaction_charge: int | None = None,
        bearer: str | None = None,
        queue: bool = False,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """Charge a reusable authorization."""
        _require(email, "Email", "to charge")
        _require(auth_code, "Auth code", "to charge")
        ignored("pypaystack2", "charge_authorization", "channels", channels, "Drop the argument.")
        return self._send(
            alternate_model_class,
            "charge_authorization",
            email,
            amount,
            auth_code,
            reference,
            plain(currency),
            metadata,
            None,
            subaccount,
            transaction_charge,
            plain(bearer),
            queue,
        )

    def get_timeline(self, id_or_ref: int | str, alternate_model_class: Any = None) -> _Answer:
        """View the timeline of a transaction."""
        return self._send(alternate_model_class, "timeline", id_or_ref)

    def totals(
        self,
        page: int | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
        pagination: int = 50,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """Total amount received on your account."""
        return self._send(alternate_model_class, "totals", pagination, page, start_date, end_date)

    def export(
        self,
        page: int | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
        customer: str | int | None = None,
        status: str | None = None,
        currency: str | None = None,
        amount: int | None = None,
        settled: bool | None = None,
        settlement: str | None = None,
        payment_page: str | None = None,
        pagination: int = 50,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """Export transactions as a CSV file."""
        return self._send(
            alternate_model_class,
            "download",
            pagination,
            page,
            start_date,
            end_date,
            customer=_integer(customer),
            status=plain(status),
            currency=plain(currency),
            amount=amount,
            settled=settled,
            settlement=_integer(settlement),
            payment_page=_integer(payment_page),
        )

    def partial_debit(
        self,
        auth_code: str,
        currency: str,
        amount: int,
        email: str,
        reference: str | None = None,
        at_least: int | None = None,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """Retrieve part of a payment from a customer."""
        _require(email, "Email", "to charge")
        _require(auth_code, "Auth code", "to charge")
        return self._send(
            alternate_model_class, "partial_debit", email, amount, auth_code, plain(currency), reference, at_least
        )


def _integer(value: int | str | None) -> int | str | None:
    """An id given as text (pypaystack2 types ids as ``str``), as the integer Paystack takes."""
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


class _BulkCharges(_Resource[_Answer]):
    """Paystack's Bulk Charges API, with pypaystack2's method names and parameters."""

    _resource = "bulk_charge"

    def initiate(self, body: Sequence[Any], alternate_model_class: Any = None) -> _Answer:
        """Queue a batch of charges (``BulkChargeInstruction``s, or dicts)."""
        return self._send(alternate_model_class, "initiate", [_instruction(item) for item in body])

    def get_batches(
        self,
        page: int = 1,
        pagination: int = 50,
        start_date: str | None = None,
        end_date: str | None = None,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """All bulk charge batches of the integration."""
        return self._send(alternate_model_class, "list", pagination, page, start_date, end_date)

    def get_batch(self, id_or_code: str | int, alternate_model_class: Any = None) -> _Answer:
        """A batch, with its progress (``total_charges``, ``pending_charges``)."""
        return self._send(alternate_model_class, "fetch", id_or_code)

    def get_charges_in_batch(
        self,
        id_or_code: str | int,
        status: str,
        pagination: int = 50,
        page: int = 1,
        start_date: str | None = None,
        end_date: str | None = None,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """The charges of a batch with a status (``pending``, ``success`` or ``failed``)."""
        return self._send(
            alternate_model_class, "charges", id_or_code, plain(status), pagination, page, start_date, end_date
        )

    def pause_batch(self, batch_code: str, alternate_model_class: Any = None) -> _Answer:
        """Pause processing a batch."""
        return self._send(alternate_model_class, "pause", batch_code)

    def resume_batch(self, batch_code: str, alternate_model_class: Any = None) -> _Answer:
        """Resume processing a batch."""
        return self._send(alternate_model_class, "resume", batch_code)


class TransactionClient(_Transactions[Response[Any]]):
    """pypaystack2's ``TransactionClient``."""

    def _send(self, model_class: Any, method: str, *args: Any, **kwargs: Any) -> Response[Any]:
        return self._call_sync(model_class, method, args, kwargs)


class AsyncTransactionClient(_Transactions[Awaitable[Response[Any]]]):
    """pypaystack2's ``AsyncTransactionClient``: every method is awaited."""

    def _send(self, model_class: Any, method: str, *args: Any, **kwargs: Any) -> Awaitable[Response[Any]]:
        return self._call_async(model_class, method, args, kwargs)


class BulkChargeClient(_BulkCharges[Response[Any]]):
    """pypaystack2's ``BulkChargeClient``."""

    def _send(self, model_class: Any, method: str, *args: Any, **kwargs: Any) -> Response[Any]:
        return self._call_sync(model_class, method, args, kwargs)


class AsyncBulkChargeClient(_BulkCharges[Awaitable[Response[Any]]]):
    """pypaystack2's ``AsyncBulkChargeClient``: every method is awaited."""

    def _send(self, model_class: Any, method: str, *args: Any, **kwargs: Any) -> Awaitable[Response[Any]]:
        return self._call_async(model_class, method, args, kwargs)


# httpx's default, which pypaystack2 keeps: 5 seconds to connect and 5 between bytes of the answer.
_HTTPX_TIMEOUT = 5.0

_ELSEWHERE = (
    "paystack-rs covers Paystack's Transaction and Bulk Charge APIs: use .transactions and "
    ".bulk_charges, and keep pypaystack2 for {name!r}"
)


class _Client:
    def __init__(
        self, secret_key: str | None = None, *, base_url: str | None = None, timeout: float | Timeouts | None = None
    ) -> None:
        key = secret_key or os.environ.get("PAYSTACK_SECRET_KEY")
        if not key:
            raise MissingSecretKeyException(
                "secret key was not provided on client instantiation or set in env variables as `PAYSTACK_SECRET_KEY`",
                status_code=None,
            )
        if timeout is None:
            self._client = Paystack(key, base_url=base_url, connect_timeout=_HTTPX_TIMEOUT, read_timeout=_HTTPX_TIMEOUT)
        else:
            self._client = Paystack(key, base_url=base_url, timeout=timeout)
        self._secret_key = key

    def is_verified_webhook_payload(self, payload: bytes, signature: str) -> bool:
        """Whether ``payload`` was signed by Paystack with this client's key."""
        return webhooks.verify(payload, signature, self._secret_key)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(_ELSEWHERE.format(name=name))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._client.base_url!r})"


class PaystackClient(_Client):
    """pypaystack2's ``PaystackClient``: ``.transactions`` and ``.bulk_charges``.

    Reads ``PAYSTACK_SECRET_KEY`` (and ``PAYSTACK_BASE_URL``, e.g. the sandbox's) unless
    ``secret_key`` (and ``base_url=``) are given.
    """

    def __init__(
        self, secret_key: str | None = None, *, base_url: str | None = None, timeout: float | Timeouts | None = None
    ) -> None:
        super().__init__(secret_key, base_url=base_url, timeout=timeout)
        self.transactions = TransactionClient(self._client, self._secret_key)
        self.bulk_charges = BulkChargeClient(self._client, self._secret_key)


class AsyncPaystackClient(_Client):
    """pypaystack2's ``AsyncPaystackClient``: the same, every method awaited."""

    def __init__(
        self, secret_key: str | None = None, *, base_url: str | None = None, timeout: float | Timeouts | None = None
    ) -> None:
        super().__init__(secret_key, base_url=base_url, timeout=timeout)
        self.transactions = AsyncTransactionClient(self._client, self._secret_key)
        self.bulk_charges = AsyncBulkChargeClient(self._client, self._secret_key)
