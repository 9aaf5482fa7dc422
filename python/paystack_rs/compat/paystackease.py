"""paystackease's interface (Bulk Charges and Transactions) on paystack-rs.

Change the import line and keep the code:

    from paystack_rs.compat.paystackease import AsyncPayStackBase, BulkChargeListObject  # was: paystackease

    async with AsyncPayStackBase() as client:          # reads PAYSTACK_SECRET_KEY (and PAYSTACK_BASE_URL)
        response = await client.bulk_charges.initiate_bulk_charge(objects=data)

Method names, keywords and defaults are paystackease's (``from_date=``, ``id_or_code=``,
``per_page=50``); each call is paystack-rs's own method underneath, and the answer is a
``PayStackResponse`` (``status_code``, ``status``, ``message``, ``data``, ``meta``).

As in paystackease, Paystack's refusals (4xx: an invalid key, a duplicate reference, an unknown
batch, a rate limit) come back as a ``PayStackResponse`` with ``status=False``. What still raises:
``PayStackServerError`` on 5xx and ``APIConnectionError`` when the network fails (as paystackease
does), ``SecretKeyError`` when no key is set (paystackease raises on a missing key too), and
``TypeValueError`` (a ``ValueError``) for input paystack-rs refuses before sending anything, where
paystackease would have sent it: nothing invalid is sent. docs/migrating.md lists every difference.
"""

from __future__ import annotations

import abc
import enum
import os
from collections.abc import Awaitable, Mapping, Sequence
from datetime import date
from typing import Any, Generic, NamedTuple, TypeVar

from .. import errors
from .._client import Paystack
from .._core import BulkChargeItem, BulkChargeListObject, __version__
from .._response import Response
from .._status import STATUS
from .._timeouts import Timeouts
from ._shared import answer, answer_async, ignored, plain

__all__ = [
    "STATUS",
    "APIConnectionError",
    "AsyncBulkChargesClientAPI",
    "AsyncPayStackBase",
    "AsyncTransactionClientAPI",
    "Bearer",
    "BulkChargeItem",
    "BulkChargeListObject",
    "BulkChargesClientAPI",
    "Channels",
    "Currency",
    "PayStackBase",
    "PayStackError",
    "PayStackResponse",
    "PayStackServerError",
    "SecretKeyError",
    "TransactionClientAPI",
    "TransactionStatus",
    "TypeValueError",
    "convert_to_subunit",
]

#: paystackease's exception names, as the paystack-rs classes that play their part.
PayStackError = errors.PaystackError
PayStackServerError = errors.ServerError
APIConnectionError = errors.APIConnectionError
SecretKeyError = errors.AuthenticationError
TypeValueError = errors.ValidationError


class Currency(enum.Enum):
    """Currencies, as paystackease names them (pass a member or its value)."""

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


_SUBUNITS = {"NGN": 100, "GHS": 100, "USD": 100, "ZAR": 100, "KES": 100}


def convert_to_subunit(amount: int, currency: Currency | str | None = Currency.NGN) -> int:
    """``amount`` in the currency's subunit (kobo, pesewas, cents): ``convert_to_subunit(100) == 10000``."""
    multiplier = _SUBUNITS.get(str(plain(currency)))
    if multiplier is None:
        raise ValueError(f"Invalid currency: {currency}")
    return amount * multiplier


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


_Answer = TypeVar("_Answer")


class _Resource(abc.ABC, Generic[_Answer]):
    """A paystackease client API over one paystack-rs service; ``_send`` is sync or async."""

    _resource = ""

    def __init__(self, client: Paystack) -> None:
        self._service = getattr(client, self._resource)

    @abc.abstractmethod
    def _send(self, method: str, *args: Any, **kwargs: Any) -> _Answer:
        """Sends the call: the sync subclass returns the answer, the async one an awaitable."""

    def _call_sync(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> PayStackResponse:
        bound = getattr(self._service, method)
        return _reshape(answer(lambda: bound(*args, **kwargs), _is_refusal))

    async def _call_async(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> PayStackResponse:
        bound = getattr(self._service, f"{method}_async")
        return _reshape(await answer_async(lambda: bound(*args, **kwargs), _is_refusal))

    async def __aenter__(self) -> _Resource[_Answer]:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class _BulkCharges(_Resource[_Answer]):
    """Paystack's Bulk Charges API, with paystackease's method names."""

    _resource = "bulk_charge"

    def initiate_bulk_charge(self, objects: BulkChargeListObject | Sequence[Mapping[str, Any]]) -> _Answer:
        """Queue a batch of charges: a ``BulkChargeListObject`` (or a list of charge dicts)."""
        return self._send("initiate", objects)

    def list_bulk_charge_batches(
        self,
        per_page: int | None = 50,
        page: int | None = 1,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
    ) -> _Answer:
        """List bulk charge batches."""
        return self._send("list", per_page, page, from_date, to_date)

    def fetch_bulk_charge_batch(self, id_or_code: str) -> _Answer:
        """Fetch a batch by id or ``BCH_`` code."""
        return self._send("fetch", id_or_code)

    def fetch_charge_bulk_batch(
        self,
        id_or_code: str,
        status: STATUS | str | None = None,
        per_page: int | None = 50,
        page: int | None = 1,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
    ) -> _Answer:
        """The charges of a batch (filter by ``status``: ``STATUS.PENDING.value`` or the member)."""
        return self._send("charges", id_or_code, plain(status), per_page, page, from_date, to_date)

    def pause_bulk_charge_batch(self, batch_code: str) -> _Answer:
        """Pause a batch."""
        return self._send("pause", batch_code)

    def resume_bulk_charge_batch(self, batch_code: str) -> _Answer:
        """Resume a paused batch."""
        return self._send("resume", batch_code)


class _Transactions(_Resource[_Answer]):
    """Paystack's Transactions API, with paystackease's method names and defaults."""

    _resource = "transaction"

    def initialize(
        self,
        email: str,
        amount: int,
        currency: Currency | str | None = Currency.NGN.value,
        reference: str | None = None,
        callback_url: str | None = None,
        plan: str | None = None,
        invoice_limit: int | None = None,
        channels: list[Channels] | list[str] | None = None,
        split_code: str | None = None,
        subaccount: str | None = None,
        transaction_charge: int | None = None,
        bearer: Bearer | str | None = Bearer.ACCOUNT.value,
        metadata: dict[str, Any] | None = None,
    ) -> _Answer:
        """Initialize a transaction (``amount`` in subunits: see ``convert_to_subunit``)."""
        return self._send(
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
            transaction_charge,
            plain(bearer),
        )

    def charge_authorization(
        self,
        email: str,
        amount: int,
        authorization_code: str,
        reference: str | None = None,
        currency: Currency | str | None = None,
        channels: list[Channels] | list[str] | None = None,
        subaccount: str | None = None,
        transaction_charge: int | None = None,
        bearer: Bearer | str | None = Bearer.ACCOUNT.value,
        queue: bool | None = True,
        metadata: dict[str, Any] | None = None,
    ) -> _Answer:
        """Charge a saved authorization (queued, as paystackease sends ``queue=True`` by default)."""
        ignored("paystackease", "charge_authorization", "channels", channels, "Drop the argument.")
        return self._send(
            "charge_authorization",
            email,
            amount,
            authorization_code,
            reference,
            plain(currency),
            metadata,
            None,
            subaccount,
            transaction_charge,
            plain(bearer),
            queue,
        )

    def partial_debit(
        self,
        email: str,
        authorization_code: str,
        amount: int,
        currency: Currency | str,
        reference: str | None = None,
        at_least: int | None = None,
    ) -> _Answer:
        """Charge what a saved authorization can pay, down to ``at_least``."""
        return self._send("partial_debit", email, amount, authorization_code, plain(currency), reference, at_least)

    def list_transactions(
        self,
        per_page: int | None = 50,
        page: int | None = 1,
        customer: int | None = None,
        terminal_id: str | None = None,
        amount: int | None = None,
        status: TransactionStatus | str | None = None,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
    ) -> _Answer:
        """List transactions."""
        return self._send(
            "list",
            per_page,
            page,
            from_date,
            to_date,
            status=plain(status),
            customer=customer,
            amount=amount,
            terminalid=terminal_id,
        )

    def verify_transaction(self, reference: str) -> _Answer:
        """Verify a transaction by reference."""
        return self._send("verify", reference)

    def fetch_transaction(self, transaction_id: int) -> _Answer:
        """Fetch a transaction by id."""
        return self._send("fetch", transaction_id)

    def transaction_timeline(self, id_or_reference: str) -> _Answer:
        """A transaction's timeline, by id or reference."""
        return self._send("timeline", id_or_reference)

    def transaction_totals(
        self,
        per_page: int | None = 50,
        page: int | None = 1,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
    ) -> _Answer:
        """Totals of the transactions."""
        return self._send("totals", per_page, page, from_date, to_date)

    def export_transactions(
        self,
        per_page: int | None = 50,
        page: int | None = 1,
        customer: int | None = None,
        currency: Currency | str | None = None,
        amount: int | None = None,
        status: TransactionStatus | str | None = None,
        settled: bool | None = True,
        settlement: int | None = None,
        payment_page: int | None = None,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
    ) -> _Answer:
        """Export transactions as a CSV file (paystackease sends ``settled=true`` by default)."""
        return self._send(
            "download",
            per_page,
            page,
            from_date,
            to_date,
            customer=customer,
            status=plain(status),
            currency=plain(currency),
            amount=amount,
            settled=settled,
            settlement=settlement,
            payment_page=payment_page,
        )


class BulkChargesClientAPI(_BulkCharges[PayStackResponse]):
    """paystackease's ``BulkChargesClientAPI``."""

    def _send(self, method: str, *args: Any, **kwargs: Any) -> PayStackResponse:
        return self._call_sync(method, args, kwargs)


class AsyncBulkChargesClientAPI(_BulkCharges[Awaitable[PayStackResponse]]):
    """paystackease's ``AsyncBulkChargesClientAPI``: every method is awaited."""

    def _send(self, method: str, *args: Any, **kwargs: Any) -> Awaitable[PayStackResponse]:
        return self._call_async(method, args, kwargs)


class TransactionClientAPI(_Transactions[PayStackResponse]):
    """paystackease's ``TransactionClientAPI``."""

    def _send(self, method: str, *args: Any, **kwargs: Any) -> PayStackResponse:
        return self._call_sync(method, args, kwargs)


class AsyncTransactionClientAPI(_Transactions[Awaitable[PayStackResponse]]):
    """paystackease's ``AsyncTransactionClientAPI``: every method is awaited."""

    def _send(self, method: str, *args: Any, **kwargs: Any) -> Awaitable[PayStackResponse]:
        return self._call_async(method, args, kwargs)


def _client(secret_key: str | None, base_url: str | None, timeout: float | Timeouts | None) -> Paystack:
    key = secret_key if secret_key is not None else os.environ.get("PAYSTACK_SECRET_KEY")
    if not key:
        raise SecretKeyError(
            "Please provide a secret key or set the environment variable PAYSTACK_SECRET_KEY", status_code=None
        )
    # paystackease waits 30 s for an answer.
    return Paystack(key, base_url=base_url, timeout=timeout if timeout is not None else 30.0)


_ELSEWHERE = (
    "paystack-rs covers Paystack's Bulk Charge and Transaction APIs: use .bulk_charges and "
    ".transactions, and keep paystackease for {name!r}"
)


class PayStackBase:
    """paystackease's ``PayStackBase``: ``.bulk_charges`` and ``.transactions``.

    Reads ``PAYSTACK_SECRET_KEY`` (and ``PAYSTACK_BASE_URL``, e.g. the sandbox's) when built;
    ``secret_key=``/``base_url=`` may be given instead.
    """

    VERSION = __version__

    def __init__(
        self, *, secret_key: str | None = None, base_url: str | None = None, timeout: float | Timeouts | None = None
    ) -> None:
        client = _client(secret_key, base_url, timeout)
        self.bulk_charges = BulkChargesClientAPI(client)
        self.transactions = TransactionClientAPI(client)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(_ELSEWHERE.format(name=name))


class AsyncPayStackBase:
    """paystackease's ``AsyncPayStackBase``: ``async with AsyncPayStackBase() as client:``."""

    VERSION = PayStackBase.VERSION

    def __init__(
        self, *, secret_key: str | None = None, base_url: str | None = None, timeout: float | Timeouts | None = None
    ) -> None:
        client = _client(secret_key, base_url, timeout)
        self.bulk_charges = AsyncBulkChargesClientAPI(client)
        self.transactions = AsyncTransactionClientAPI(client)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(_ELSEWHERE.format(name=name))

    async def __aenter__(self) -> AsyncPayStackBase:
        return self

    async def __aexit__(self, *exc: object) -> None:
        # The connection pool is paystack-rs's, shared and closed with the process.
        return None
