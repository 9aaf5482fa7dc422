# pyright: strict
"""User code typed against paystack-rs: it must pass mypy --strict and pyright --strict
(tests/test_typing.py). Every line here is a use the types must accept."""

from __future__ import annotations

import datetime

import paystack_rs as paystack
from paystack_rs import ListResponse, Response, Sandbox
from paystack_rs.compat.paystackease import PayStackBase, PayStackResponse
from paystack_rs.compat.pypaystack2 import PaystackClient
from paystack_rs.types import Batch, BatchCharge, ChargeStatus, CursorMeta, PageMeta, Transaction


def amount_of(client: paystack.Paystack, reference: str) -> int:
    r = client.transaction.verify(reference)
    amount: int = r.data["amount"]
    currency: str = r.data["currency"]
    assert currency
    return amount


def customer_email(tx: Transaction) -> str:
    return tx["customer"]["email"]


def card_last4(tx: Transaction) -> str | None:
    return tx["authorization"]["last4"]


def failed_charges(client: paystack.Paystack, code: str) -> list[BatchCharge]:
    r: ListResponse[BatchCharge] = client.bulk_charge.charges(code, status="failed", per_page=100)
    total: int = r.meta["total"]
    assert total >= len(r.data)
    return r.data


def charges_by_enum(client: paystack.Paystack, code: str, status: ChargeStatus) -> int:
    by_enum = client.bulk_charge.charges(code, status=paystack.STATUS.FAILED)
    by_literal = client.bulk_charge.charges(code, status=status)
    return len(by_enum.data) + len(by_literal.data)


def progress(client: paystack.Paystack, code: str) -> tuple[int, int]:
    batch: Batch = client.bulk_charge.fetch(code).data
    return batch["total_charges"] - batch["pending_charges"], batch["total_charges"]


def pause(client: paystack.Paystack, code: str) -> bool:
    r: Response[None] = client.bulk_charge.pause(code)
    return r.status and r.data is None


def transaction_pages(client: paystack.Paystack) -> int | None:
    r = client.transaction.list(status="success", per_page=50, _from=datetime.date(2024, 1, 1))
    meta: PageMeta | CursorMeta = r.meta
    if "pageCount" in meta:
        return meta["pageCount"]
    return None


def optional_field(tx: Transaction) -> str | None:
    return tx.get("receipt_number")


async def verify_async(client: paystack.Paystack, reference: str) -> str:
    r = await client.transaction.verify_async(reference)
    return r.data["status"]


def totals(client: paystack.Paystack) -> int:
    r = client.transaction.totals()
    return sum(c["amount"] for c in r.data["total_volume_by_currency"])


def initialize(client: paystack.Paystack) -> str:
    r = client.transaction.initialize("a@example.com", 10000, bearer="account")
    return r.data["authorization_url"]


def sandbox_client() -> paystack.Paystack:
    with Sandbox() as sb:
        return sb.client()


def with_paystackease() -> int:
    response: PayStackResponse = PayStackBase().bulk_charges.fetch_bulk_charge_batch("BCH_x")
    return response.status_code


def with_pypaystack2() -> bool:
    return PaystackClient().transactions.verify("ref").status


def bare_response(r: Response) -> object:  # a bare Response is a Response[Any]
    return r.data


def every_success(client: paystack.Paystack) -> int:
    total = 0
    for tx in client.transaction.list(status="success", per_page=100).auto_paging_iter(limit=500):
        total += tx["amount"]
    return total


async def every_charge_status(client: paystack.Paystack, code: str) -> list[str]:
    r = await client.bulk_charge.charges_async(code, per_page=100)
    return [charge["status"] async for charge in r.auto_paging_iter(concurrency=4)]


def reconciled(client: paystack.Paystack, code: str) -> int:
    final: Batch = client.bulk_charge.wait(code, timeout=600, progress=True).data
    report = paystack.reconcile.batch(code, client=client, expected="charges.csv")
    retry: paystack.BulkChargeListObject = report.retry_items()
    missing = report.missing or []
    # fees and net are None while a fee is unknown (docs/paystack-api.md §8).
    by_status: dict[str, dict[str, int | None]] = report.totals.get("success", {})
    return final["total_charges"] + len(report.failed) + len(missing) + len(retry) + len(by_status)


async def payouts_of_august(client: paystack.Paystack) -> int:
    # The reports' shared keyword options (client, progress, per_page, concurrency, ...).
    report = await paystack.reconcile.payouts_async(_from="2024-08-01", to="2024-08-31", client=client, per_page=50)
    settled = paystack.reconcile.settlement(1, client=client, timeout=30.0, max_retries=1)
    return len(report.settlements) + len(settled.settlements)
