"""Refunds against the sandbox, sync and async: a refund is checked against what is left to
refund before anything is sent, and a POST /refund whose answer was lost is found by lookup,
never sent twice (docs/paystack-api.md §8.3)."""

from __future__ import annotations

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, invoke


def paid(client: paystack_rs.Paystack, amount: int = 100_000) -> dict:
    return dict(client.transaction.charge_authorization("success@example.com", amount, Sandbox.AUTH_SUCCESS).data)


def refund_posts(sb: Sandbox) -> list[dict]:
    return sb.requests(method="POST", path="/refund")


@pytest.mark.parametrize("mode", MODES)
def test_partial_refunds_until_nothing_is_left(mode, client, sb):
    tx = paid(client)
    first = invoke(mode, client.refund, "create", tx["reference"], amount=30_000, merchant_note="damaged")
    assert first.data["status"] == "pending"
    assert first.data["amount"] == 30_000
    assert not first.recovered
    # By id too; what is left is 70,000.
    second = invoke(mode, client.refund, "create", str(tx["id"]), amount=70_000)
    assert second.data["amount"] == 70_000
    sb.clear_requests()
    with pytest.raises(paystack_rs.ValidationError, match="in full") as refused:
        invoke(mode, client.refund, "create", tx["reference"], amount=1)
    assert refused.value.errors[0]["field"] == "transaction"
    assert refund_posts(sb) == []
    listed = [r for r in client.refund.list(per_page=100).auto_paging_iter() if r["transaction"] == tx["id"]]
    assert sorted(r["amount"] for r in listed) == [30_000, 70_000]


@pytest.mark.parametrize("mode", MODES)
def test_a_refund_larger_than_what_is_left_is_refused_before_sending(mode, client, sb):
    tx = paid(client, 50_000)
    invoke(mode, client.refund, "create", tx["reference"], amount=20_000)
    sb.clear_requests()
    with pytest.raises(paystack_rs.ValidationError, match="30000 left to refund") as refused:
        invoke(mode, client.refund, "create", tx["reference"], amount=30_001)
    assert refused.value.errors[0]["field"] == "amount"
    with pytest.raises(paystack_rs.ValidationError, match="currency"):
        invoke(mode, client.refund, "create", tx["reference"], amount=100, currency="GHS")
    with pytest.raises(paystack_rs.ValidationError, match="amount"):
        invoke(mode, client.refund, "create", tx["reference"], amount=0)
    assert refund_posts(sb) == []


def test_a_failed_transaction_cannot_be_refunded(client, sb):
    failed = client.transaction.charge_authorization("declined@example.com", 10_000, Sandbox.AUTH_DECLINED).data
    sb.clear_requests()
    with pytest.raises(paystack_rs.ValidationError, match="only a successful transaction"):
        client.refund.create(failed["reference"])
    assert refund_posts(sb) == []


@pytest.mark.parametrize("mode", MODES)
def test_a_lost_answer_is_found_not_sent_again(mode, client, sb):
    tx = paid(client)
    sb.set_faults([{"kind": "drop_after", "method": "POST", "route": "/refund", "count": 1}])
    try:
        refund = invoke(mode, client.refund, "create", tx["reference"], amount=40_000)
    finally:
        sb.clear_faults()
    assert refund.recovered
    assert refund.data["amount"] == 40_000
    assert len(refund_posts(sb)) == 1
    mine = [r for r in client.refund.list(per_page=100).auto_paging_iter() if r["transaction"] == tx["id"]]
    assert [r["amount"] for r in mine] == [40_000]


@pytest.mark.parametrize("mode", MODES)
def test_a_server_error_is_never_retried_blindly(mode, client, sb):
    tx = paid(client)
    sb.set_faults([{"kind": "error", "status": 503, "method": "POST", "route": "/refund", "count": 1}])
    sb.clear_requests()
    try:
        with pytest.raises(paystack_rs.ServerError, match="list the refunds of transaction") as lost:
            invoke(mode, client.refund, "create", tx["reference"], amount=10_000, max_retries=3)
    finally:
        sb.clear_faults()
    # The 503 was not processed: the lookup found no refund, and the refund was not sent again.
    assert len(refund_posts(sb)) == 1
    assert lost.value.outcome_unknown_reference == tx["reference"]
    assert [r for r in client.refund.list(per_page=100).auto_paging_iter() if r["transaction"] == tx["id"]] == []


def test_fetch_and_global_classes(client, sb, global_client):
    tx = paid(client)
    created = paystack_rs.Refund.create(tx["reference"], amount=1_000).data
    fetched = paystack_rs.Refund.fetch(created["id"]).data
    assert (fetched["id"], fetched["amount"], fetched["transaction"]) == (created["id"], 1_000, tx["id"])


def test_retry_needs_the_account_and_a_refund_that_needs_attention(client, sb):
    tx = paid(client)
    refund = client.refund.create(tx["reference"], amount=2_000).data
    sb.clear_requests()
    with pytest.raises(paystack_rs.ValidationError, match="account_number"):
        client.refund.retry(refund["id"], {"currency": "NGN", "bank_id": "9"})
    with pytest.raises(paystack_rs.ValidationError, match="id"):
        client.refund.retry("not-an-id", {"currency": "NGN", "account_number": "0123456789", "bank_id": "9"})
    assert sb.requests(method="POST") == []
    account = {"currency": "NGN", "account_number": "0123456789", "bank_id": "9"}
    with pytest.raises(paystack_rs.APIError, match="needs-attention") as refused:
        client.refund.retry(refund["id"], account)
    assert refused.value.status_code == 422
