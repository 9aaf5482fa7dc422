"""pypaystack2's sub-clients, each defined once over its paystack-rs service; the sync and async
classes in ``sub_clients/`` are views of these (``_send`` answers or returns an awaitable)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from paystack_rs._core import BulkChargeItem
from paystack_rs.compat._shared import REFUND_LIST, ignored, plain

from ._api import Resource, _Answer, integer, require
from .models._surface import dump
from .models.response_models import (
    BulkCharge,
    BulkChargeUnitCharge,
    InitTransaction,
    Refund,
    Settlement,
    Transaction,
    TransactionExport,
    TransactionLog,
    TransactionTotal,
)


def _instruction(item: Any) -> Any:
    """A bulk charge item as paystack-rs takes it (pydantic models are dumped, as pypaystack2 does)."""
    dump = getattr(item, "model_dump", None)
    if isinstance(item, (BulkChargeItem, Mapping)) or dump is None:
        return item
    return dump()


class Transactions(Resource[_Answer]):
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
        require(email, "Email", "for initialization")
        ignored(
            "pypaystack2", "initialize", "transfer_charge", transfer_charge, "Use paystack-rs's transaction_charge."
        )
        return self._send(
            InitTransaction,
            alternate_model_class,
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
                "bearer": plain(bearer),
            },
        )

    def verify(self, reference: str, alternate_model_class: Any = None) -> _Answer:
        """Confirm the status of a transaction."""
        return self._send(Transaction, alternate_model_class, "verify", {"reference": str(reference)})

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
            Transaction,
            alternate_model_class,
            "list",
            {
                "per_page": pagination,
                "page": page,
                "_from": start_date,
                "to": end_date,
                "status": plain(status),
                "customer": integer(customer),
                "amount": amount,
                "terminalid": terminal_id,
            },
        )

    def get_transaction(self, id_: int | str, alternate_model_class: Any = None) -> _Answer:
        """Get details of a transaction carried out on your integration."""
        return self._send(Transaction, alternate_model_class, "fetch", {"id": id_})

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
        require(email, "Email", "to charge")
        require(auth_code, "Auth code", "to charge")
        ignored("pypaystack2", "charge_authorization", "channels", channels, "Drop the argument.")
        return self._send(
            Transaction,
            alternate_model_class,
            "charge_authorization",
            {
                "email": email,
                "amount": amount,
                "authorization_code": auth_code,
                "reference": reference,
                "currency": plain(currency),
                "metadata": metadata,
                "subaccount": subaccount,
                "transaction_charge": transaction_charge,
                "bearer": plain(bearer),
                "queue": queue,
            },
        )

    def get_timeline(self, id_or_ref: int | str, alternate_model_class: Any = None) -> _Answer:
        """View the timeline of a transaction."""
        return self._send(TransactionLog, alternate_model_class, "timeline", {"id_or_reference": id_or_ref})

    def totals(
        self,
        page: int | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
        pagination: int = 50,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """Total amount received on your account."""
        params = {"per_page": pagination, "page": page, "_from": start_date, "to": end_date}
        return self._send(TransactionTotal, alternate_model_class, "totals", params)

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
            TransactionExport,
            alternate_model_class,
            "download",
            {
                "per_page": pagination,
                "page": page,
                "_from": start_date,
                "to": end_date,
                "customer": integer(customer),
                "status": plain(status),
                "currency": plain(currency),
                "amount": amount,
                "settled": settled,
                "settlement": integer(settlement),
                "payment_page": integer(payment_page),
            },
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
        require(email, "Email", "to charge")
        require(auth_code, "Auth code", "to charge")
        return self._send(
            Transaction,
            alternate_model_class,
            "partial_debit",
            {
                "email": email,
                "amount": amount,
                "authorization_code": auth_code,
                "currency": plain(currency),
                "reference": reference,
                "at_least": at_least,
            },
        )


class BulkCharges(Resource[_Answer]):
    """Paystack's Bulk Charges API, with pypaystack2's method names and parameters."""

    _resource = "bulk_charge"

    def initiate(self, body: Sequence[Any], alternate_model_class: Any = None) -> _Answer:
        """Queue a batch of charges (``BulkChargeInstruction``s, or dicts)."""
        charges = [_instruction(item) for item in body]
        return self._send(BulkCharge, alternate_model_class, "initiate", {"charges": charges})

    def get_batches(
        self,
        page: int = 1,
        pagination: int = 50,
        start_date: str | None = None,
        end_date: str | None = None,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """All bulk charge batches of the integration."""
        params = {"per_page": pagination, "page": page, "_from": start_date, "to": end_date}
        return self._send(BulkCharge, alternate_model_class, "list", params)

    def get_batch(self, id_or_code: str | int, alternate_model_class: Any = None) -> _Answer:
        """A batch, with its progress (``total_charges``, ``pending_charges``)."""
        return self._send(BulkCharge, alternate_model_class, "fetch", {"code": id_or_code})

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
        params = {"code": id_or_code, "status": plain(status), "per_page": pagination, "page": page}
        params |= {"_from": start_date, "to": end_date}
        return self._send(BulkChargeUnitCharge, alternate_model_class, "charges", params)

    def pause_batch(self, batch_code: str, alternate_model_class: Any = None) -> _Answer:
        """Pause processing a batch."""
        return self._send(None, alternate_model_class, "pause", {"code": batch_code})

    def resume_batch(self, batch_code: str, alternate_model_class: Any = None) -> _Answer:
        """Resume processing a batch."""
        return self._send(None, alternate_model_class, "resume", {"code": batch_code})


class Settlements(Resource[_Answer]):
    """Paystack's Settlements API (the payouts to your bank), with pypaystack2's names."""

    _resource = "settlement"

    def get_settlements(
        self,
        page: int = 1,
        pagination: int = 50,
        start_date: str | None = None,
        end_date: str | None = None,
        subaccount: str | None = None,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """Settlements made to your settlement accounts."""
        params = {"per_page": pagination, "page": page, "_from": start_date, "to": end_date}
        return self._send(Settlement, alternate_model_class, "fetch", {**params, "subaccount": subaccount})

    def get_settlement_transactions(
        self,
        id_: int | str,
        pagination: int = 50,
        page: int = 1,
        start_date: str | None = None,
        end_date: str | None = None,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """The transactions that make up a settlement."""
        params = {"per_page": pagination, "page": page, "_from": start_date, "to": end_date}
        return self._send(Transaction, alternate_model_class, "transaction", {"id": integer(id_), **params})


class Refunds(Resource[_Answer]):
    """Paystack's Refunds API, with pypaystack2's names."""

    _resource = "refund"

    def create(
        self,
        transaction: int | str,
        amount: int | None = None,
        currency: str | None = None,
        customer_note: str | None = None,
        merchant_note: str | None = None,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """Refund a transaction (all of it, or ``amount``): deducted from a later settlement."""
        return self._send(
            Refund,
            alternate_model_class,
            "create",
            {
                "transaction": transaction,
                "amount": amount,
                "currency": plain(currency),
                "customer_note": customer_note,
                "merchant_note": merchant_note,
            },
        )

    def get_refunds(
        self,
        reference: str | None = None,
        transaction: str | None = None,
        currency: str | None = None,
        pagination: int = 50,
        page: int = 1,
        start_date: str | None = None,
        end_date: str | None = None,
        alternate_model_class: Any = None,
    ) -> _Answer:
        """Refunds of the integration (``reference`` is pypaystack2's deprecated ``transaction``)."""
        if reference:
            warnings.warn("'reference' is deprecated; use 'transaction'", DeprecationWarning, stacklevel=3)
            transaction = reference
        for name, value in (("transaction", transaction), ("currency", currency)):
            ignored("pypaystack2", "get_refunds", name, value, "Filter the refunds it answers.", REFUND_LIST)
        params = {"per_page": pagination, "page": page, "_from": start_date, "to": end_date}
        return self._send(Refund, alternate_model_class, "list", params)

    def retry_refund(self, refund_id: str | int, refund_account: Any, alternate_model_class: Any = None) -> _Answer:
        """Retry a refund that needs attention, to the customer's bank account (a ``RefundAccount``)."""
        details = refund_account.model_dump() if hasattr(refund_account, "model_dump") else dict(refund_account)
        params = {"id": integer(refund_id), "refund_account_details": dump(details, "json", False)}
        return self._send(Refund, alternate_model_class, "retry", params)

    def get_refund(self, reference: str, alternate_model_class: Any = None) -> _Answer:
        """A refund, by its id."""
        return self._send(Refund, alternate_model_class, "fetch", {"id": integer(reference)})
