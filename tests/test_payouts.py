"""reconcile.payouts and reconcile.settlement against the sandbox, sync and async: a month with
batches, single charges, failures and partial refunds settles on the sandbox's clock, and every
settlement's figures equal the sums of its transactions, fees and deductions (docs/paystack-api.md
§8); Transaction.list(settlement=) agrees; a batch's fees come from its transactions."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from typing import Any

import pytest

import paystack_rs
from paystack_rs import reconcile
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, wait_for_batch

START = "2024-08-01T09:00:00Z"
GOOD = [
    {"authorization": Sandbox.AUTH_SUCCESS, "amount": 250_000 + 1_000 * i, "reference": f"po-{i}"} for i in range(6)
]
BAD = [{"authorization": Sandbox.AUTH_DECLINED, "amount": 40_000, "reference": "po-declined"}]


class Month:
    """What was done in the month, to check the report against."""

    def __init__(self, sb: Sandbox, client: paystack_rs.Paystack) -> None:
        self.sb = sb
        self.client = client
        self.batch_codes: list[str] = []
        self.single: list[dict[str, Any]] = []
        self.failed: list[dict[str, Any]] = []
        self.refunds: list[dict[str, Any]] = []


def run_batch(month: Month, items: list[dict[str, Any]]) -> None:
    code = str(month.client.bulk_charge.initiate(items).data["batch_code"])
    wait_for_batch(month.client, code, timeout=60)
    month.batch_codes.append(code)


@pytest.fixture(scope="module")
def month() -> Iterator[Month]:
    with Sandbox(start=START) as sb:
        sb.configure(process_interval_ms=0)
        m = Month(sb, sb.client())
        charge = m.client.transaction.charge_authorization
        run_batch(m, GOOD + BAD)
        m.single.append(dict(charge("success@example.com", 120_000, Sandbox.AUTH_SUCCESS).data))
        m.failed.append(dict(charge("declined@example.com", 30_000, Sandbox.AUTH_DECLINED).data))
        sb.advance(days=1)
        batch = [{**i, "reference": f"{i['reference']}-d2"} for i in GOOD[:3]]
        run_batch(m, batch)
        m.single.append(dict(charge("success@example.com", 75_000, Sandbox.AUTH_SUCCESS).data))
        # A partial refund of a day-one charge: processed a day later, then deducted from the
        # next settlement (docs/sandbox.md: the schedule).
        m.refunds.append(dict(m.client.refund.create(m.single[0]["reference"], amount=20_000).data))
        sb.advance(days=2)
        m.single.append(dict(charge("success@example.com", 500_000, Sandbox.AUTH_SUCCESS).data))
        sb.advance(days=2)
        yield m


def payouts(mode: str, **kwargs: Any) -> reconcile.PayoutReport:
    if mode == "sync":
        return reconcile.payouts(**kwargs)
    return asyncio.run(reconcile.payouts_async(**kwargs))


@pytest.mark.parametrize("mode", MODES)
def test_every_settlement_of_the_month_adds_up(mode, month):
    report = payouts(mode, _from="2024-08-01", to="2024-08-31", client=month.client, per_page=3)
    settlements = report.settlements.to_records()
    assert len(settlements) >= 2
    assert report.balanced, report.mismatched.to_records()
    for s in settlements:
        assert s["balanced"] is True
        assert s["problems"] is None
        assert s["transactions_amount"] == s["total_processed"]
        assert s["transactions_fees"] == s["total_fees"]
        assert s["total_amount"] == s["total_processed"] - s["total_fees"]
        assert s["refunds_deducted"] == (s["deductions"] or 0)
        assert s["effective_amount"] == s["total_amount"] - (s["deductions"] or 0)
    # Every successful charge of the month was paid out once; failures never.
    settled = report.transactions.column("reference")
    assert len(settled) == len(set(settled))
    charged = [i["reference"] for i in GOOD] + [f"{i['reference']}-d2" for i in GOOD[:3]]
    charged += [t["reference"] for t in month.single]
    assert set(charged) <= set(settled)
    assert not {"po-declined", *(t["reference"] for t in month.failed)} & set(settled)
    assert len(report.unsettled) == 0
    # Each transaction's net is its amount less its fees.
    for row in report.transactions:
        assert row["fees"] is not None
        assert row["net"] == row["amount"] - row["fees"]
    # The partial refund was deducted from one settlement.
    refund = month.refunds[0]
    rows = [r for r in report.refunds if r["id"] == refund["id"]]
    assert len(rows) == 1
    assert rows[0]["amount"] == 20_000
    deducted = [s for s in settlements if s["id"] == rows[0]["settlement_id"]]
    assert len(deducted) == 1
    assert deducted[0]["deductions"] == 20_000


@pytest.mark.parametrize("mode", MODES)
def test_transaction_list_by_settlement_agrees(mode, month):
    report = payouts(mode, _from="2024-08-01", to="2024-08-31", client=month.client)
    for s in report.settlements:
        listed = month.client.transaction.list(settlement=s["id"], per_page=2).auto_paging_iter()
        ids = sorted(t["id"] for t in listed)
        ours = sorted(r["transaction_id"] for r in report.transactions if r["settlement_id"] == s["id"])
        assert ids == ours
        assert len(ids) == s["transactions"]


@pytest.mark.parametrize("mode", MODES)
def test_one_settlement(mode, month):
    whole = reconcile.payouts(_from="2024-08-01", to="2024-08-31", client=month.client)
    first = whole.settlements.to_records()[-1]
    if mode == "sync":
        one = reconcile.settlement(first["id"], client=month.client)
    else:
        one = asyncio.run(reconcile.settlement_async(first["id"], client=month.client))
    assert one.settlements.to_records() == [first]
    assert len(one.transactions) == first["transactions"]
    with pytest.raises(paystack_rs.ValidationError, match="id"):
        reconcile.settlement("not-an-id", client=month.client)


def test_the_views_export_and_render(month):
    report = reconcile.payouts(_from="2024-08-01", to="2024-08-31", client=month.client)
    out = io.StringIO()
    report.settlements.to_csv(out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("id,settlement_date,currency,status,total_processed")
    assert len(lines) == len(report.settlements) + 1
    html = report._repr_html_()
    assert "PayoutReport" in html
    assert "balanced" in html
    assert "<table" in html
    # The notebook shows the columns that fit; every column is one call away.
    narrow, wide = report.settlements._repr_html_(), report.settlements.wide()._repr_html_()
    assert ">problems</th>" not in narrow
    assert "Not shown: " in narrow
    assert "problems" in narrow
    assert ">problems</th>" in wide
    assert "Not shown" not in wide
    assert "paid out" in repr(report)
    pd = pytest.importorskip("pandas")
    frame = report.transactions.to_pandas()
    assert list(frame.columns) == list(report.transactions.columns)
    assert str(frame["amount"].dtype) == "Int64"
    assert str(frame["paid_at"].dtype).startswith("datetime64")
    assert isinstance(frame, pd.DataFrame)


@pytest.mark.parametrize("mode", MODES)
def test_a_batch_report_reads_fees_from_the_transactions(mode, month):
    code = month.batch_codes[0]
    if mode == "sync":
        report = reconcile.batch(code, client=month.client)
    else:
        report = asyncio.run(reconcile.batch_async(code, client=month.client))
    fees = 0
    for item in GOOD:
        tx = month.client.transaction.verify(item["reference"]).data
        assert tx["fees"] > 0
        fees += tx["fees"]
    amount = sum(i["amount"] for i in GOOD)
    assert report.totals["success"]["NGN"] == {"count": 6, "amount": amount, "fees": fees, "net": amount - fees}
    failed = report.totals["failed"]["NGN"]
    assert (failed["count"], failed["amount"], failed["net"]) == (1, 40_000, 0)
    # A failed charge has no fee to read (Paystack sends none): it stays unknown, not 0.
    assert all((row["fees"] is not None) == (row["status"] == "success") for row in report)


def test_a_refund_bigger_than_a_payout_is_deducted_over_two():
    with Sandbox(start=START, process_interval_ms=0) as sb:
        client = sb.client()
        big = client.transaction.charge_authorization("success@example.com", 1_000_000, Sandbox.AUTH_SUCCESS).data
        sb.advance(days=1)
        client.refund.create(big["reference"], amount=900_000)
        for _ in range(4):
            client.transaction.charge_authorization("success@example.com", 500_000, Sandbox.AUTH_SUCCESS)
            sb.advance(days=1)
        sb.advance(days=1)
        report = reconcile.payouts(_from="2024-08-01", to="2024-08-31", client=client)
    deducted = [s["deductions"] for s in report.settlements if s["deductions"]]
    assert len(deducted) >= 2
    assert sum(deducted) == 900_000
    assert report.balanced, report.mismatched.to_records()
