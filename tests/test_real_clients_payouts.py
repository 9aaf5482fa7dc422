"""paystackapi's and paystackease's settlement and refund calls, unmodified, against the sandbox
(a sandbox of its own, whose clock settles a day of charges): they get Paystack's answers, and
paystack-rs's report agrees with what they read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paystack_rs import reconcile
from paystack_rs.sandbox import Sandbox


@pytest.fixture(scope="module")
def settled() -> Iterator[tuple[Sandbox, list[dict[str, Any]]]]:
    with Sandbox(start="2024-08-01T09:00:00Z", process_interval_ms=0) as sb:
        client = sb.client()
        paid = [
            dict(client.transaction.charge_authorization("success@example.com", amount, Sandbox.AUTH_SUCCESS).data)
            for amount in (70_000, 30_000)
        ]
        sb.advance(days=1)
        yield sb, paid


@pytest.fixture
def paystackease(settled: tuple[Sandbox, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    from paystackease import PayStackBase
    from paystackease.core._api_base import BaseAPI

    sb = settled[0]
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", sb.secret_key)
    monkeypatch.setattr(BaseAPI, "_PAYSTACK_API_URL", sb.base_url + "/")
    return PayStackBase()


@pytest.fixture
def paystackapi(settled: tuple[Sandbox, Any], monkeypatch: pytest.MonkeyPatch) -> Any:
    import paystackapi
    from paystackapi.base import PayStackBase
    from paystackapi.paystack import Paystack

    sb = settled[0]
    monkeypatch.setattr(paystackapi, "API_URL", sb.base_url + "/")
    monkeypatch.setattr(PayStackBase, "_shared_state", {})
    return Paystack(secret_key=sb.secret_key)


def test_paystackease_settlements_and_refunds(paystackease: Any, settled: tuple[Sandbox, Any]) -> None:
    sb, paid = settled
    listed = paystackease.settlements.list_settlements(per_page=10)
    assert (listed.status_code, listed.message) == (200, "Settlements retrieved")
    assert len(listed.data) == 1
    settlement = listed.data[0]
    assert settlement["total_processed"] == 100_000
    txs = paystackease.settlements.list_settlement_transactions(settlement["id"], per_page=10)
    assert sorted(t["id"] for t in txs.data) == sorted(t["id"] for t in paid)
    refund = paystackease.refund.create_refund(paid[0]["reference"], amount=5_000)
    assert (refund.status_code, refund.message) == (200, "Refund has been queued for processing")
    assert refund.data["amount"] == 5_000
    fetched = paystackease.refund.fetch_refund(str(refund.data["id"]))
    assert fetched.data["transaction"] == paid[0]["id"]
    assert any(r["id"] == refund.data["id"] for r in paystackease.refund.list_refunds().data)
    report = reconcile.payouts(_from="2024-08-01", to="2024-08-31", client=sb.client())
    assert report.settlements.column("id") == [settlement["id"]]
    assert report.balanced


def test_paystackapi_settlements_and_refunds(paystackapi: Any, settled: tuple[Sandbox, Any]) -> None:
    _, paid = settled
    listed = paystackapi.settlement.fetch(perPage=10)
    assert (listed["status"], listed["message"]) == (True, "Settlements retrieved")
    settlement_id = listed["data"][0]["id"]
    txs = paystackapi.transaction.list(settlement=settlement_id)
    assert sorted(t["id"] for t in txs["data"]) == sorted(t["id"] for t in paid)
    refund = paystackapi.refund.create(transaction=paid[1]["reference"], amount=1_000)
    assert (refund["status"], refund["message"]) == (True, "Refund has been queued for processing")
    fetched = paystackapi.refund.fetch(refund["data"]["id"])
    assert fetched["data"]["amount"] == 1_000
    assert any(r["id"] == refund["data"]["id"] for r in paystackapi.refund.list()["data"])
