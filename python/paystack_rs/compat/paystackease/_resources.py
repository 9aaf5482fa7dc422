"""paystackease's client APIs, each defined once over its paystack-rs service; the sync and async
classes in ``apis/`` are views of these (``_send`` answers or returns an awaitable)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from paystack_rs._core import BulkChargeListObject
from paystack_rs._status import STATUS
from paystack_rs.compat._shared import REFUND_LIST, ignored, plain

from ._api import Resource, _Answer
from .helpers.tool_kit import Bearer, Channels, Currency, TransactionStatus


class BulkCharges(Resource[_Answer]):
    """Paystack's Bulk Charges API, with paystackease's method names."""

    _resource = "bulk_charge"

    def initiate_bulk_charge(self, objects: BulkChargeListObject | Sequence[Mapping[str, Any]]) -> _Answer:
        """Queue a batch of charges: a ``BulkChargeListObject`` (or a list of charge dicts)."""
        return self._send("initiate", {"charges": objects})

    def list_bulk_charge_batches(
        self,
        per_page: int | None = 50,
        page: int | None = 1,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
    ) -> _Answer:
        """List bulk charge batches."""
        return self._send("list", {"per_page": per_page, "page": page, "_from": from_date, "to": to_date})

    def fetch_bulk_charge_batch(self, id_or_code: str) -> _Answer:
        """Fetch a batch by id or ``BCH_`` code."""
        return self._send("fetch", {"code": id_or_code})

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
        params = {"code": id_or_code, "status": plain(status), "per_page": per_page, "page": page}
        return self._send("charges", {**params, "_from": from_date, "to": to_date})

    def pause_bulk_charge_batch(self, batch_code: str) -> _Answer:
        """Pause a batch."""
        return self._send("pause", {"code": batch_code})

    def resume_bulk_charge_batch(self, batch_code: str) -> _Answer:
        """Resume a paused batch."""
        return self._send("resume", {"code": batch_code})


class Transactions(Resource[_Answer]):
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
            {
                "email": email,
                "amount": amount,
                "currency": plain(currency),
                "reference": reference,
                "callback_url": callback_url,
                "plan": plan,
                "invoice_limit": invoice_limit,
                "metadata": metadata,
                "channels": plain(channels),
                "split_code": split_code,
                "subaccount": subaccount,
                "transaction_charge": transaction_charge,
                "bearer": plain(bearer),
            },
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
            {
                "email": email,
                "amount": amount,
                "authorization_code": authorization_code,
                "reference": reference,
                "currency": plain(currency),
                "metadata": metadata,
                "subaccount": subaccount,
                "transaction_charge": transaction_charge,
                "bearer": plain(bearer),
                "queue": queue,
            },
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
        return self._send(
            "partial_debit",
            {
                "email": email,
                "amount": amount,
                "authorization_code": authorization_code,
                "currency": plain(currency),
                "reference": reference,
                "at_least": at_least,
            },
        )

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
            {
                "per_page": per_page,
                "page": page,
                "_from": from_date,
                "to": to_date,
                "status": plain(status),
                "customer": customer,
                "amount": amount,
                "terminalid": terminal_id,
            },
        )

    def verify_transaction(self, reference: str) -> _Answer:
        """Verify a transaction by reference."""
        return self._send("verify", {"reference": reference})

    def fetch_transaction(self, transaction_id: int) -> _Answer:
        """Fetch a transaction by id."""
        return self._send("fetch", {"id": transaction_id})

    def transaction_timeline(self, id_or_reference: str) -> _Answer:
        """A transaction's timeline, by id or reference."""
        return self._send("timeline", {"id_or_reference": id_or_reference})

    def transaction_totals(
        self,
        per_page: int | None = 50,
        page: int | None = 1,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
    ) -> _Answer:
        """Totals of the transactions."""
        return self._send("totals", {"per_page": per_page, "page": page, "_from": from_date, "to": to_date})

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
            {
                "per_page": per_page,
                "page": page,
                "_from": from_date,
                "to": to_date,
                "customer": customer,
                "status": plain(status),
                "currency": plain(currency),
                "amount": amount,
                "settled": settled,
                "settlement": settlement,
                "payment_page": payment_page,
            },
        )


class Settlements(Resource[_Answer]):
    """Paystack's Settlements API (the payouts to your bank), with paystackease's method names."""

    _resource = "settlement"

    def list_settlements(
        self,
        per_page: int | None = 50,
        page: int | None = 1,
        status: STATUS | str | None = None,
        subaccount: str | None = None,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
    ) -> _Answer:
        """List the settlements made to your settlement accounts."""
        params = {"per_page": per_page, "page": page, "_from": from_date, "to": to_date}
        return self._send("fetch", {**params, "status": plain(status), "subaccount": subaccount})

    def list_settlement_transactions(
        self,
        settlement_id: int,
        per_page: int | None = 50,
        page: int | None = 1,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
    ) -> _Answer:
        """The transactions that make up a settlement."""
        params = {"per_page": per_page, "page": page, "_from": from_date, "to": to_date}
        return self._send("transaction", {"id": settlement_id, **params})


class Refunds(Resource[_Answer]):
    """Paystack's Refunds API, with paystackease's method names."""

    _resource = "refund"

    def create_refund(
        self,
        transaction_ref_or_id: str,
        amount: int | None = None,
        currency: Currency | str | None = None,
        customer_note: str | None = None,
        merchant_note: str | None = None,
    ) -> _Answer:
        """Refund a transaction (all of it, or ``amount``): deducted from a later settlement."""
        return self._send(
            "create",
            {
                "transaction": transaction_ref_or_id,
                "amount": amount,
                "currency": plain(currency),
                "customer_note": customer_note,
                "merchant_note": merchant_note,
            },
        )

    def list_refunds(
        self,
        reference: str | None = None,
        currency: Currency | str | None = None,
        per_page: int | None = 50,
        page: int | None = 1,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
    ) -> _Answer:
        """List refunds (``reference`` and ``currency`` are not sent: docs/migrating.md)."""
        for name, value in (("reference", reference), ("currency", currency)):
            ignored("paystackease", "list_refunds", name, value, "Filter the refunds it answers.", REFUND_LIST)
        return self._send("list", {"per_page": per_page, "page": page, "_from": from_date, "to": to_date})

    def fetch_refund(self, reference: str) -> _Answer:
        """A refund, by its id."""
        return self._send("fetch", {"id": reference})
